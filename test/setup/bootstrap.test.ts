// scripts/bootstrap.mjs: what `npm start`, `npm test` and `npm run bench` check and install first.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Bootstrap = typeof import('../../scripts/bootstrap.mjs', { with: { 'resolution-mode': 'import' } });
// A Function-made import() survives the CommonJS compile, which would turn import() into require().
const load = new Function('p', 'return import(p)') as (p: string) => Promise<Bootstrap>;
const bootstrap = (): Promise<Bootstrap> => load(join(__dirname, '..', '..', '..', 'scripts', 'bootstrap.mjs'));

describe('bootstrap: the environment of nested installs', () => {
  // What `npm test` (npm 11 on Node 20) exports into the scripts it runs, abridged.
  const outer: NodeJS.ProcessEnv = {
    HOME: '/root',
    HTTPS_PROXY: 'http://127.0.0.1:3128',
    PATH: ['/repo/node_modules/.bin', '/node_modules/.bin', '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin', '/usr/local/bin', '/usr/bin'].join(':'),
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_prefix: '/repo',
    npm_config_local_prefix: '/repo',
    npm_lifecycle_event: 'test',
    npm_lifecycle_script: 'node scripts/test.mjs',
    npm_package_name: 'zookeeper-explorer',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: '/usr/bin/node',
    NPM_CONFIG_REGISTRY_OVERRIDE: 'x',
    INIT_CWD: '/repo',
    NODE: '/usr/bin/node',
  };

  it('drops every npm_* variable, INIT_CWD and NODE, and the PATH entries npm prepends', async () => {
    const { cleanEnv } = await bootstrap();
    const env = cleanEnv(outer);
    assert.deepEqual(Object.keys(env).sort(), ['HOME', 'HTTPS_PROXY', 'PATH']);
    assert.equal(env.PATH, '/usr/local/bin:/usr/bin');
    assert.equal(env.HTTPS_PROXY, outer.HTTPS_PROXY, "the user's own settings stay");
  });

  it('leaves an environment without npm settings as it is', async () => {
    const { cleanEnv } = await bootstrap();
    assert.deepEqual(cleanEnv({ HOME: '/h', PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }), { HOME: '/h', PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' });
  });
});

describe('bootstrap: when npm ci is needed', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zk-bootstrap-'));
    writeFileSync(join(dir, 'package-lock.json'), '{}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('on a fresh clone (no node_modules)', async () => {
    const { npmInstallReason } = await bootstrap();
    assert.equal(npmInstallReason(dir), 'node_modules is missing');
  });

  it('when node_modules was not made by npm (no .package-lock.json)', async () => {
    const { npmInstallReason } = await bootstrap();
    mkdirSync(join(dir, 'node_modules'));
    assert.equal(npmInstallReason(dir), 'node_modules was not installed by npm ci');
  });

  it('when package-lock.json changed after the install, and not before', async () => {
    const { npmInstallReason } = await bootstrap();
    mkdirSync(join(dir, 'node_modules'));
    const record = join(dir, 'node_modules', '.package-lock.json');
    writeFileSync(record, '{}');
    const now = Date.now() / 1000;
    utimesSync(record, now - 60, now - 60);
    utimesSync(join(dir, 'package-lock.json'), now - 120, now - 120);
    assert.equal(npmInstallReason(dir), undefined, 'an install newer than the lock file is current');
    utimesSync(join(dir, 'package-lock.json'), now, now);
    assert.equal(npmInstallReason(dir), 'package-lock.json is newer than node_modules');
  });
});
