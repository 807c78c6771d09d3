// The packaged extension in code-server, for a person with a browser (`npm start -- --browser`).
// Uses the code-server + Node 24 that scripts/e2e-setup.mjs caches (running it when needed);
// packaging and starting code-server are scripts/codeServer.mjs's, shared with test/e2e.
//
//   import { startBrowserSandbox } from './sandbox-browser.mjs';
//   const sb = await startBrowserSandbox({ settings: { 'zookeeper.connections': [...] } });
//   console.log(sb.url);   // http://127.0.0.1:PORT/?folder=...
//   await sb.stop();       // or kill -sb.processes[0].pid (its own process group)
//
// Standalone: node scripts/sandbox-browser.mjs [--port N] [--settings file.json] [--folder DIR]
//   runs until Ctrl+C. The profile lives in $TMPDIR/zookeeper-explorer-sandbox-<uid>/ and is made anew
//   on each start; nothing is written to the home folder. It is outside the repository on purpose:
//   a workspace folder inside it makes VS Code ask about "a git repository found in the parent folders".
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installExtension, loadManifest, makeProfile, packageVsix, spawnCodeServer, stopCodeServer, waitForHealthy } from './codeServer.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Starts code-server on 127.0.0.1 with the extension installed and `settings` as user settings.
 * Options: settings, folder (opened; default <dir>/workspace), port (default free),
 * vsix (default: `npm run package`), dir (profile root, default $TMPDIR/zookeeper-explorer-sandbox-<uid>).
 * Returns { url, port, dir, processes: [code-server ChildProcess, leader of its own group], stop() }.
 */
export async function startBrowserSandbox(options = {}) {
  const m = loadManifest(repo);
  const vsix = options.vsix ?? (await packageVsix(repo, m));
  const dir = resolve(options.dir ?? join(tmpdir(), `zookeeper-explorer-sandbox-${process.getuid?.() ?? 'user'}`));
  rmSync(dir, { recursive: true, force: true });
  const profile = makeProfile(dir, m, { settings: options.settings, folder: options.folder });
  await installExtension(m, profile, vsix);
  const { server, port, url, logFile } = await spawnCodeServer(m, profile, { port: options.port });
  let stopping;
  const stop = () => (stopping ??= stopCodeServer(server));
  try {
    await waitForHealthy(server, port, logFile, 30_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, dir, folder: profile.folder, logFile, processes: [server], stop };
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
