// The packaged extension in code-server, for a person with a browser (`npm start -- --browser`).
// Uses the code-server + Node 24 that scripts/e2e-setup.mjs caches (running it when needed).
//
//   import { startBrowserSandbox } from './sandbox-browser.mjs';
//   const sb = await startBrowserSandbox({ settings: { 'zookeeper.connections': [...] } });
//   console.log(sb.url);   // http://127.0.0.1:PORT/?folder=...
//   await sb.stop();       // or kill -sb.processes[0].pid (its own process group)
//
// Standalone: node scripts/sandbox-browser.mjs [--port N] [--settings file.json] [--folder DIR]
//   runs until Ctrl+C. The profile lives in .sandbox/code-server/ (git-ignored) and is made anew
//   on each start; nothing is written to the home folder.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
};

function manifest() {
  const file = process.env.ZK_E2E_MANIFEST ?? join(repo, '.cache', 'e2e', 'manifest.json');
  const read = () => {
    try {
      const m = JSON.parse(readFileSync(file, 'utf8'));
      return existsSync(m.node24) && existsSync(m.codeServer) ? m : undefined;
    } catch {
      return undefined;
    }
  };
  let m = read();
  if (!m) {
    console.log('Installing code-server (once per machine, ~2 minutes)…');
    const r = spawnSync(process.execPath, [join(repo, 'scripts', 'e2e-setup.mjs')], { stdio: 'inherit', cwd: repo });
    m = r.status === 0 ? read() : undefined;
    if (!m) throw new Error('scripts/e2e-setup.mjs failed: cannot start code-server');
  }
  return m;
}

function packageVsix() {
  const vsix = join(repo, `${pkg.name}.vsix`);
  const started = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !existsSync(vsix) || statSync(vsix).mtimeMs < started - 1000) throw new Error('npm run package failed');
  return vsix;
}

function freePort() {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function healthy(port) {
  return new Promise((res) => {
    const req = http.get(`http://127.0.0.1:${port}/healthz`, { timeout: 2000 }, (r) => {
      r.resume();
      res(r.statusCode === 200);
    });
    req.on('error', () => res(false));
    req.on('timeout', () => {
      req.destroy();
      res(false);
    });
  });
}

/**
 * Starts code-server on 127.0.0.1 with the extension installed and `settings` as user settings.
 * Options: settings, folder (opened; default .sandbox/code-server/workspace), port (default free),
 * vsix (default: `npm run package`), dir (profile root, default .sandbox/code-server).
 * Returns { url, port, dir, processes: [code-server ChildProcess, leader of its own group], stop() }.
 */
export async function startBrowserSandbox(options = {}) {
  const m = manifest();
  const vsix = options.vsix ?? packageVsix();
  const dir = resolve(options.dir ?? join(repo, '.sandbox', 'code-server'));
  rmSync(dir, { recursive: true, force: true });
  const sub = (name) => {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const userData = sub('user-data');
  const extensions = sub('extensions');
  const folder = resolve(options.folder ?? sub('workspace'));
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2));

  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VSCODE_|ELECTRON_|NODE_OPTIONS$|npm_)/.test(k)) env[k] = v;
  Object.assign(env, {
    HOME: sub('home'),
    XDG_CONFIG_HOME: sub('xdg/config'),
    XDG_DATA_HOME: sub('xdg/data'),
    XDG_CACHE_HOME: sub('xdg/cache'),
    TMPDIR: sub('tmp'),
    PATH: `${dirname(m.node24)}:${process.env.PATH ?? ''}`,
  });

  const inst = spawnSync(m.node24, [m.codeServer, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], {
    env,
    encoding: 'utf8',
  });
  if (inst.status !== 0 || !/successfully installed/i.test(`${inst.stdout}${inst.stderr}`)) {
    throw new Error(`code-server --install-extension failed:\n${inst.stdout}${inst.stderr}`);
  }

  const port = options.port ?? (await freePort());
  const logFile = join(dir, 'code-server.log');
  const fd = openSync(logFile, 'a');
  const server = spawn(
    m.node24,
    [
      m.codeServer,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', userData,
      '--extensions-dir', extensions,
      folder,
    ],
    { env, detached: true, stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
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
  };

  const end = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`code-server exited early; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    if (await healthy(port)) break;
    if (Date.now() > end) {
      await stop();
      throw new Error(`code-server not healthy after 30 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  return { url, port, dir, folder, logFile, processes: [server], stop };
}

// ---- standalone -----------------------------------------------------------------------------------
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const settingsFile = arg('--settings');
  const sandbox = await startBrowserSandbox({
    port: arg('--port') ? Number(arg('--port')) : undefined,
    folder: arg('--folder'),
    settings: settingsFile ? JSON.parse(readFileSync(settingsFile, 'utf8')) : {},
  });
  console.log(`\nZooKeeper Explorer in code-server: ${sandbox.url}\n(log: ${sandbox.logFile}) Press Ctrl+C to stop.`);
  const quit = async () => {
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
}
