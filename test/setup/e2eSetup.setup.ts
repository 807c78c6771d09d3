// The e2e set-up run the way `npm test` and `npm start` run it on a fresh machine: under npm, with a
// Node 20 user agent in the environment, into an empty cache. code-server's postinstall reads the Node
// version from npm_config_user_agent and refuses Node 20, so this fails unless the set-up keeps the outer
// npm's environment out of its nested installs (scripts/bootstrap.mjs cleanEnv).
//
// A cold set-up compiles code-server (163 s on an idle 2-core machine), so it runs where it proves something:
// in CI (`.ci/run` points ZK_E2E_CACHE at a new, empty folder, which the e2e suite then reuses), or when
// asked with ZK_E2E_COLD=1 (into a temporary folder, removed afterwards). Otherwise it is skipped, saying so.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..', '..');
const NODE20_AGENT = 'npm/10.9.2 node/v20.20.2 linux x64 workspaces/false';

function emptyOrMissing(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

describe('e2e set-up on a fresh machine', function () {
  this.timeout(20 * 60_000);
  let cache = '';
  let temporary = false;

  before(function () {
    const configured = process.env.ZK_E2E_CACHE;
    if (configured && emptyOrMissing(configured)) {
      cache = resolve(configured);
    } else if (process.env.ZK_E2E_COLD === '1') {
      cache = mkdtempSync(join(tmpdir(), 'zk-e2e-cold-'));
      temporary = true;
    } else {
      console.log('    (skipped: the e2e cache is warm; CI runs this into an empty ZK_E2E_CACHE, or set ZK_E2E_COLD=1)');
      this.skip();
    }
  });
  after(() => {
    if (temporary) rmSync(cache, { recursive: true, force: true });
  });

  it('installs code-server, Node 24 and playwright-core under `npm run` with a Node 20 user agent', () => {
    const manifestPointer = join(REPO, '.cache', 'e2e', 'manifest.json');
    const started = Date.now();
    const r = spawnSync('npm', ['run', '--silent', 'e2e:setup'], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, ZK_E2E_CACHE: cache, npm_config_user_agent: NODE20_AGENT },
    });
    const output = `${r.stdout}\n${r.stderr}`;
    console.log(`      cold set-up: ${Math.round((Date.now() - started) / 1000)} s`);
    assert.equal(r.status, 0, `the set-up failed:\n${output.slice(-4000)}`);
    assert.doesNotMatch(output, /requires node v24/i);

    const manifest = JSON.parse(readFileSync(manifestPointer, 'utf8')) as Record<string, string>;
    assert.equal(manifest.cacheRoot, cache, 'the manifest points into the new cache');
    for (const key of ['node24', 'codeServer', 'playwrightCore', 'chromium']) assert.ok(existsSync(manifest[key]), `${key} at ${manifest[key]}`);
    const home = mkdtempSync(join(tmpdir(), 'zk-e2e-home-')); // code-server writes its config under HOME
    const v = spawnSync(manifest.node24, [manifest.codeServer, '--version'], { encoding: 'utf8', env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') } });
    rmSync(home, { recursive: true, force: true });
    assert.match(v.stdout, new RegExp(manifest.codeServerVersion.replace(/\./g, '\\.')), `code-server --version: ${v.stdout}${v.stderr}`);
  });
});
