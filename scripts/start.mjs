// `npm start`: the extension against a local ZooKeeper sandbox.
//  1. installs dependencies when node_modules is missing, and Debian's zookeeper when it is missing;
//  2. builds; starts a 3-node ensemble on loopback, seeded with the sample data;
//  3. opens the extension against it: in VS Code (`code --extensionDevelopmentPath`) when `code`
//     exists, otherwise (or with `npm start -- --browser`) in code-server, printing the URL.
// Ctrl+C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureNodeModules, ensureZooKeeper, withSetupErrors } from './bootstrap.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
process.chdir(root);
const require = createRequire(import.meta.url);
const browser = process.argv.includes('--browser');

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

await withSetupErrors(() => {
  ensureNodeModules();
  ensureZooKeeper();
});
sh('npm', ['run', '--silent', 'build']);
sh('npx', ['tsc', '-p', 'tsconfig.json']);

const { ZkCluster, stopAllClusters } = require(join(root, 'out/test/harness/zookeeper.js'));
const { ZkClient } = require(join(root, 'out/src/zk/client.js'));
const { seedSampleData, SAMPLE } = require(join(root, 'out/test/fixtures/sampleData.js'));

const children = [];
let seeder;
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the sandbox…');
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {
      try {
        c.kill('SIGTERM');
      } catch {
        /* already gone */
      }
    }
  }
  await seeder?.close().catch(() => undefined);
  await stopAllClusters();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

console.log('Starting a 3-node ZooKeeper ensemble on loopback…');
const cluster = await ZkCluster.startEnsemble(3, { extraConfig: { extendedTypesEnabled: 'true' } });
seeder = new ZkClient({ connectString: cluster.connectString, name: 'sandbox seeder' });
await seeder.connect();
const summary = await seedSampleData(seeder);
console.log(`Seeded ${summary.created.toLocaleString('en')} znodes (ephemeral ones live while this runs).`);

const connections = [
  { name: 'sandbox', connectString: cluster.connectString },
  { name: 'sandbox (read-only)', connectString: cluster.connectString, readOnly: true },
  { name: 'sandbox /config chroot', connectString: `${cluster.servers[0].address}/config` },
];
const settings = { 'zookeeper.connections': connections, 'workbench.startupEditor': 'none' };
console.log(`\nEnsemble: ${cluster.connectString}`);
console.log(`Digest-protected node ${SAMPLE.secureNode}: user "${SAMPLE.secureUser}", password "${SAMPLE.securePassword}"`);

if (!browser && has('code')) {
  const sandboxDir = mkdtempSync(join(tmpdir(), 'zk-sandbox-'));
  // The extension reads zookeeper.connections from user settings only (a workspace's value is
  // ignored), so the sandbox gets a user data dir of its own with them in its User/settings.json.
  const userDataDir = join(sandboxDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const ws = join(sandboxDir, 'workspace');
  mkdirSync(ws);
  console.log(`Opening VS Code with the extension from ${root} on ${ws} (user data in ${userDataDir})`);
  const code = spawn('code', ['--new-window', '--wait', `--user-data-dir=${userDataDir}`, `--extensionDevelopmentPath=${root}`, ws], { stdio: 'inherit', detached: true });
  children.push(code);
  code.on('exit', () => void stop(0));
} else if (existsSync(join(root, 'scripts/sandbox-browser.mjs'))) {
  const { startBrowserSandbox } = await import(join(root, 'scripts/sandbox-browser.mjs'));
  let sandbox;
  try {
    sandbox = await startBrowserSandbox({ settings });
  } catch (e) {
    // One line, not a stack trace: the set-up or code-server said what went wrong above.
    console.error(`\n[start] code-server could not be started: ${e instanceof Error ? e.message : String(e)}`);
    await stop(1);
  }
  children.push(...(sandbox.processes ?? []));
  console.log(`\nOpen ${sandbox.url} in a browser (code-server with ZooKeeper Explorer installed).`);
} else {
  console.log('\nNo `code` command found and the browser sandbox is not available yet; the ensemble stays up for your own client.');
}
console.log('Press Ctrl+C to stop everything.');
