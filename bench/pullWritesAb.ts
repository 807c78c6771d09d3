// A/B of the pull's file writes on the 50,001-node subtree, interleaved in each run: the node:fs
// port as it is (a worker thread writes the files in batches), the same port writing through
// fs.writeFile on libuv's thread pool (as before), and a port that writes nothing (the walk and
// the layout alone), each against the subtree walk of the same run, with this process's CPU.
//   npx tsc -p tsconfig.json && node out/bench/pullWritesAb.js [runs] [port:files in flight,...]
//   (ports: worker, pool, none; default worker:32,pool:32,none:32)
// Starts its own standalone server and stops it on the way out.
import { mkdtempSync, writeFile } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZkClient } from '../src/zk/client';
import { deleteSubtree, walkSubtree } from '../src/zk/subtree';
import { nodeFolderPort, pullToFolder, type FolderPort } from '../src/zk/configAsCode';
import { ZkCluster, stopAllClusters } from '../test/harness/zookeeper';
import { seed } from './configAsCode';

/** The node:fs port with its writes on the thread pool (fs.writeFile: open, write, close). */
function poolPort(root: string): FolderPort {
  const port = nodeFolderPort(root);
  return { ...port, write: (file, data) => new Promise<void>((res, rej) => writeFile(join(root, ...file.split('/')), data, (e) => (e ? rej(e) : res()))) };
}

/** Writes nothing: what the pull costs without its files. */
function nullPort(root: string): FolderPort {
  return { ...nodeFolderPort(root), write: async () => undefined, mkdir: async () => undefined };
}

const PORTS = { worker: nodeFolderPort, pool: poolPort, none: nullPort };

async function main() {
  const runs = Number(process.argv[2] ?? 3);
  const variants = (process.argv[3] ?? 'worker:32,pool:32,none:32').split(',').map((v) => {
    const [port, inFlight] = v.split(':');
    if (!(port in PORTS)) throw new Error(`unknown port ${port}: use ${Object.keys(PORTS).join(', ')}`);
    return { port: port as keyof typeof PORTS, inFlight: Number(inFlight ?? 32) };
  });
  const cluster = await ZkCluster.startStandalone();
  const zk = new ZkClient({ connectString: cluster.connectString, requestTimeoutMs: 60_000, sessionTimeoutMs: 30_000, livenessTimeoutMs: 20_000 });
  await zk.connect();
  const root = `/ab-${process.pid}`;
  const dirs: string[] = [];
  try {
    await seed(zk, root, 50, 999);
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      await walkSubtree(zk, root);
      const walk = performance.now() - t;
      t = performance.now();
      await walkSubtree(zk, root, { withData: true, withAcl: true });
      const full = performance.now() - t;
      const out: string[] = [];
      // Each run in another order, so that none always comes first (after the walks) or last.
      const order = variants.map((_, i) => variants[(i + r) % variants.length]);
      for (const { port, inFlight } of order) {
        const dir = mkdtempSync(join(tmpdir(), 'zk-ab-'));
        dirs.push(dir);
        const c = process.cpuUsage();
        t = performance.now();
        await pullToFolder(zk, root, PORTS[port](dir), { writeConcurrency: inFlight } as never);
        const took = performance.now() - t;
        const u = process.cpuUsage(c);
        out.push(`${port}:${inFlight} ${Math.round(took)} ms (${(took / walk).toFixed(2)}× walk; cpu user ${Math.round(u.user / 1000)} sys ${Math.round(u.system / 1000)})`);
      }
      console.log(`run ${r + 1}: walk ${Math.round(walk)} ms, walk+data+acl ${Math.round(full)} ms; ${out.join('; ')}`);
    }
  } finally {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    await deleteSubtree(zk, root).catch(() => undefined);
    await zk.close();
    await stopAllClusters();
  }
}
void main();
