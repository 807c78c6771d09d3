// The config-as-code case alone, for profiling and for before/after comparisons on a shared,
// noisy machine, without the whole `npm run bench`:
//   npx tsc -p tsconfig.json && node out/bench/configAsCodeOnly.js [runs]          (the case of npm run bench)
//   node out/bench/configAsCodeOnly.js [runs] --ab   (each run: the walk with data and ACLs, the pull
//     and the plan as they are, and as they were before the streamed pull: walk, then write through
//     fs.promises (a FileHandle per file, an fstat per read); interleaved, same subtree, same run)
//   node --cpu-prof --cpu-prof-dir=/tmp/prof out/bench/configAsCodeOnly.js 1
// Starts its own standalone server and stops it on the way out.
import { mkdtempSync, promises as fsp, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { ZkClient } from '../src/zk/client';
import { deleteSubtree, walkSubtree } from '../src/zk/subtree';
import { nodeFolderPort, planFolder, pullToFolder, pullTree, writeFolder, type FolderPort } from '../src/zk/configAsCode';
import { ZkCluster, stopAllClusters } from '../test/harness/zookeeper';
import { benchConfigAsCode, seed } from './configAsCode';

/** The node:fs port as it was: fs.promises, a FileHandle per file, an fstat per read. */
function promisesPort(root: string): FolderPort {
  const port = nodeFolderPort(root);
  const abs = (rel: string) => join(root, ...rel.split('/'));
  return {
    ...port,
    description: root,
    async read(file, maxBytes) {
      const handle = await fsp.open(abs(file), 'r');
      try {
        const { size } = await handle.stat();
        if (size > maxBytes) throw new Error('too large');
        const buf = new Uint8Array(size);
        let at = 0;
        while (at < size) {
          const { bytesRead } = await handle.read(buf, at, size - at, at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        return buf;
      } finally {
        await handle.close();
      }
    },
    async write(file, data) {
      await fsp.writeFile(abs(file), data);
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (v: number) => `${Math.round(v)} ms`;

async function ab(connectString: string, runs: number): Promise<void> {
  const zk = new ZkClient({ connectString, requestTimeoutMs: 60_000, sessionTimeoutMs: 30_000, livenessTimeoutMs: 20_000, name: 'bench' });
  await zk.connect();
  const root = `/bench-cac-ab-${process.pid}`;
  const t: Record<'full' | 'pull' | 'pullBefore' | 'plan' | 'planBefore', number[]> = { full: [], pull: [], pullBefore: [], plan: [], planBefore: [] };
  /** Longest event-loop delay (ms) seen during each phase: a long synchronous stretch starves the client's liveness check. */
  const blocked: Record<keyof typeof t, number> = { full: 0, pull: 0, pullBefore: 0, plan: 0, planBefore: 0 };
  const time = async (key: keyof typeof t, fn: () => Promise<unknown>) => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    await fn();
    t[key].push(performance.now() - started);
    delay.disable();
    blocked[key] = Math.max(blocked[key], delay.max / 1e6);
  };
  try {
    const nodes = await seed(zk, root, 50, 999);
    console.log(`seeded ${nodes} nodes`);
    for (let r = 0; r < runs; r++) {
      const [now, before] = [mkdtempSync(join(tmpdir(), 'zk-bench-ab-')), mkdtempSync(join(tmpdir(), 'zk-bench-ab-'))];
      await time('full', () => walkSubtree(zk, root, { withData: true, withAcl: true }));
      await time('pull', () => pullToFolder(zk, root, nodeFolderPort(now), { connectionName: 'bench' }));
      await time('pullBefore', async () => writeFolder(await pullTree(zk, root, { connectionName: 'bench' }), promisesPort(before)));
      for (const d of [now, before]) writeFileSync(join(d, 'f07', 'n123'), 'edited in the folder');
      await time('plan', () => planFolder(zk, root, nodeFolderPort(now), { mode: 'mirror' }));
      await time('planBefore', () => planFolder(zk, root, promisesPort(before), { mode: 'mirror' }));
      await Promise.all([now, before].map((d) => fsp.rm(d, { recursive: true, force: true })));
      console.log(`run ${r + 1}/${runs}: walk with data+ACL ${ms(t.full[r])}; pull ${ms(t.pull[r])} (before ${ms(t.pullBefore[r])}); plan ${ms(t.plan[r])} (before ${ms(t.planBefore[r])})`);
    }
    const ref = median(t.full);
    const x = (k: keyof typeof t) => `${ms(median(t[k]))} = ${(median(t[k]) / ref).toFixed(2)}×`;
    console.log(`median, against the walk with data and ACLs (${ms(ref)}): pull ${x('pull')}, before ${x('pullBefore')}; plan ${x('plan')}, before ${x('planBefore')}`);
    console.log(`longest event-loop delay: walk ${ms(blocked.full)}, pull ${ms(blocked.pull)} (before ${ms(blocked.pullBefore)}), plan ${ms(blocked.plan)} (before ${ms(blocked.planBefore)})`);
  } finally {
    await deleteSubtree(zk, root).catch(() => undefined);
    await zk.close();
  }
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const cluster = await ZkCluster.startStandalone();
  try {
    if (process.argv.includes('--ab')) return await ab(cluster.connectString, runs);
    const r = await benchConfigAsCode(cluster.connectString, { runs, log: (l) => console.log(l) });
    const x = (a: number, b: number) => (a / b).toFixed(2) + '×';
    console.log(`median: walk ${Math.round(r.walk.medianMs)} ms, walk with data+ACL ${Math.round(r.walkWithDataAndAcl.medianMs)} ms, pull ${Math.round(r.pull.medianMs)} ms, its files alone ${Math.round(r.rawWrites.medianMs)} ms, plan ${Math.round(r.plan.medianMs)} ms`);
    console.log(`pull ${x(r.pull.medianMs, r.walkWithDataAndAcl.medianMs)}, plan ${x(r.plan.medianMs, r.walkWithDataAndAcl.medianMs)} of the walk with data and ACLs`);
  } finally {
    await cluster.close().catch(() => undefined);
    await stopAllClusters().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
