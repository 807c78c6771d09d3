// code-server with the packaged extension installed, in a profile of its own: the part shared by
// the browser sandbox (scripts/sandbox-browser.mjs, `npm start -- --browser`) and the e2e driver
// (test/e2e/workbench.ts, which runs compiled from out/ as CommonJS and loads this file with
// import(); its types are in codeServer.d.mts). The steps are separate functions so that a caller can
// time them and take over between them:
//
//   const m = loadManifest(repo);                      // paths written by scripts/e2e-setup.mjs
//   const vsix = await packageVsix(repo, m);
//   const profile = makeProfile(dir, m, { settings });  // user data, extensions, folder, env
//   await installExtension(m, profile, vsix);
//   const cs = await spawnCodeServer(m, profile);      // its own process group; does not wait
//   await waitForHealthy(cs.server, cs.port, cs.logFile);
//   ...
//   await stopCodeServer(cs.server);
//
// Nothing is written outside `dir` (and the .vsix in the repo): HOME, XDG folders and TMPDIR of
// code-server point into the profile.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';

/** User settings that keep a fresh code-server quiet: no welcome page, tips, telemetry or updates. */
export const QUIET_SETTINGS = Object.freeze({
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
});

/**
 * Reads the manifest scripts/e2e-setup.mjs writes ($ZK_E2E_MANIFEST or <repo>/.cache/e2e/manifest.json).
 * When it is missing, or a path named in `needs` does not exist, runs the setup once and reads it again.
 */
export function loadManifest(repo, { needs = ['node24', 'codeServer'] } = {}) {
  const file = process.env.ZK_E2E_MANIFEST ?? join(repo, '.cache', 'e2e', 'manifest.json');
  const read = () => {
    try {
      const m = JSON.parse(readFileSync(file, 'utf8'));
      return needs.every((k) => m[k] && existsSync(m[k])) ? m : undefined;
    } catch {
      return undefined;
    }
  };
  let m = read();
  if (!m) {
    console.log('Setting up code-server with scripts/e2e-setup.mjs (the first time on a machine: ~2 minutes)…');
    const r = spawnSync(process.execPath, [join(repo, 'scripts', 'e2e-setup.mjs')], { stdio: 'inherit', cwd: repo });
    m = r.status === 0 ? read() : undefined;
    if (!m) throw new Error(`e2e setup failed or wrote no usable manifest at ${file}; run \`node scripts/e2e-setup.mjs\``);
  }
  return m;
}

/**
 * `npm run package` in `repo`; returns the path of the fresh .vsix. With `quiet`, its output is
 * kept and shown only when it fails; otherwise it goes to this process's stdout and stderr.
 */
export async function packageVsix(repo, manifest, { quiet = false } = {}) {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const vsix = join(repo, `${pkg.name}.vsix`);
  const started = Date.now();
  const env = { ...process.env };
  // vsce from the e2e cache when the clone's node_modules has none
  if (!manifest.vsce.startsWith(repo + '/')) env.PATH = `${resolve(manifest.vsce, '..', '..', '..', '.bin')}:${env.PATH}`;
  const r = await run('npm', ['run', '--silent', 'package'], { cwd: repo, env, quiet });
  if (r.code !== 0 || !existsSync(vsix) || statSync(vsix).mtimeMs < started - 1000) {
    throw new Error(`npm run package failed (exit ${r.code})${quiet ? `:\n${r.output.slice(-4000)}` : ''}`);
  }
  return vsix;
}

/**
 * Makes a code-server profile in `root` (which should be new or empty): user-data-dir with
 * User/settings.json (QUIET_SETTINGS, then `settings`), extensions-dir, the folder to open
 * (default <root>/workspace), and the environment to run code-server in: this process's without
 * VSCODE_*, ELECTRON_*, NODE_OPTIONS and npm_* (VSCODE_IPC_HOOK_CLI would make code-server talk to
 * an outer VS Code), with HOME, XDG_* and TMPDIR inside `root`, Node 24 first on PATH, then `env`.
 */
export function makeProfile(root, manifest, { settings = {}, folder, env: extraEnv = {} } = {}) {
  root = resolve(root);
  const dir = (name) => {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const userDataDir = dir('user-data');
  const extensionsDir = dir('extensions');
  const workspace = resolve(folder ?? dir('workspace'));
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));

  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VSCODE_|ELECTRON_|NODE_OPTIONS$|npm_)/.test(k)) env[k] = v;
  Object.assign(env, {
    HOME: dir('home'),
    XDG_CONFIG_HOME: dir('xdg/config'),
    XDG_DATA_HOME: dir('xdg/data'),
    XDG_CACHE_HOME: dir('xdg/cache'),
    XDG_RUNTIME_DIR: dir('xdg/runtime'),
    TMPDIR: dir('tmp'),
    PATH: `${dirname(manifest.node24)}:${process.env.PATH ?? ''}`,
    ...extraEnv,
  });
  return { root, userDataDir, extensionsDir, folder: workspace, env };
}

/** `code-server --install-extension <vsix>` into the profile; throws with its output when it fails. */
export async function installExtension(manifest, profile, vsix) {
  const r = await run(
    manifest.node24,
    [manifest.codeServer, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix],
    { env: profile.env, cwd: profile.root, quiet: true },
  );
  if (r.code !== 0 || !/successfully installed/i.test(r.output)) {
    throw new Error(`code-server --install-extension ${basename(vsix)} failed (exit ${r.code}):\n${r.output}`);
  }
}

/** The workbench's address with `folder` open. */
export function codeServerUrl(port, folder) {
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
}

/**
 * Starts code-server on 127.0.0.1 (`port`, default a free one) without auth, telemetry, update
 * checks or workspace trust, on the profile's folder, as the leader of its own process group
 * (kill -PID stops it with its children); its output goes to <root>/code-server.log. Does not wait
 * for it: see waitForHealthy.
 */
export async function spawnCodeServer(manifest, profile, { port } = {}) {
  port ??= await freePort();
  const logFile = join(profile.root, 'code-server.log');
  const fd = openSync(logFile, 'a');
  const server = spawn(
    manifest.node24,
    [
      manifest.codeServer,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      // ZK_E2E_LOG_LEVEL=trace: the extension host logs every tree refresh ("[TreeView:…] refresh start"),
      // what it takes to see which refresh made VS Code lose a row.
      ...(process.env.ZK_E2E_LOG_LEVEL ? ['--log', process.env.ZK_E2E_LOG_LEVEL] : []),
      '--user-data-dir', profile.userDataDir,
      '--extensions-dir', profile.extensionsDir,
      profile.folder,
    ],
    { env: profile.env, cwd: profile.root, detached: true, stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  return { server, port, logFile, url: codeServerUrl(port, profile.folder) };
}

/** Waits until code-server answers /healthz with 200; throws, with the end of its log, when it exits first or after timeoutMs. */
export async function waitForHealthy(server, port, logFile, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  const logTail = () => {
    let text = '';
    try {
      text = readFileSync(logFile, 'utf8');
    } catch {
      /* not written yet */
    }
    return text.length > 3000 ? `…${text.slice(-3000)}` : text;
  };
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`code-server exited (${server.exitCode ?? server.signalCode}) before it was healthy; see ${logFile}:\n${logTail()}`);
    }
    if ((await httpStatus(`http://127.0.0.1:${port}/healthz`)) === 200) return;
    if (Date.now() > end) throw new Error(`code-server not healthy on port ${port} after ${timeoutMs} ms; see ${logFile}:\n${logTail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops what spawnCodeServer started: SIGTERM to its process group, up to 5 s for it to exit, then SIGKILL to the group's survivors. */
export async function stopCodeServer(server) {
  const alive = () => server.exitCode === null && server.signalCode === null;
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  try {
    process.kill(-server.pid, 'SIGKILL'); // children of the group that outlived it
  } catch {
    /* none left */
  }
}

// ---- helpers -----------------------------------------------------------------------------------------

function run(cmd, args, { cwd, env, quiet }) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { cwd, env, stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'] });
    let output = '';
    child.stdout?.on('data', (d) => (output += d.toString()));
    child.stderr?.on('data', (d) => (output += d.toString()));
    child.on('error', (e) => res({ code: -1, output: `${output}\n${String(e)}` }));
    child.on('close', (code) => res({ code: code ?? -1, output }));
  });
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((res) => {
    const req = http.get(url, { timeout: 2000 }, (r) => {
      r.resume();
      res(r.statusCode ?? 0);
    });
    req.on('error', () => res(0));
    req.on('timeout', () => {
      req.destroy();
      res(0);
    });
  });
}
