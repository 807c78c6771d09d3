// A small entry for profiling the tree's two listing cases alone (`node --cpu-prof out/bench/profileTree.js
// big|small [runs]`): no reference, no heap figures; prints the longest event-loop block of each step.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ZkClient, type MultiOp } from '../src/zk/client';
import { ZkCluster } from '../test/harness/zookeeper';
import { installFakeVscode, setConfiguration, window as stubWindow } from '../test/fakes/vscode';

installFakeVscode();
const { ConnectionRegistry } = require('../src/connections/connectionRegistry') as typeof import('../src/connections/connectionRegistry');
const { ZnodeTreeProvider } = require('../src/tree/znodeTreeProvider') as typeof import('../src/tree/znodeTreeProvider');

/** As bench/tree.ts's: one timer turn before stopping, so the last block is recorded. */
function loopMonitor(): { stop(): Promise<number> } {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  return { stop: async () => (await new Promise((res) => setTimeout(res, 2)), h.disable(), Math.round(h.max / 1e4) / 100) };
}

async function multiBatches(zk: ZkClient, ops: MultiOp[]): Promise<void> {
  for (let i = 0; i < ops.length; i += 4000) {
    await Promise.all([0, 1, 2, 3].map((k) => (ops.length > i + k * 1000 ? zk.multi(ops.slice(i + k * 1000, i + (k + 1) * 1000)) : undefined)));
  }
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'big';
  const runs = Number(process.argv[3] ?? 5);
  const cluster = await ZkCluster.startStandalone();
  const server = cluster.servers[0].address;
  const seeder = new ZkClient({ connectString: server, name: 'seeder', requestTimeoutMs: 60_000 });
  await seeder.connect();
  setConfiguration('zookeeper.connections', [{ name: 'bench', connectString: server }]);
  const registry = new ConnectionRegistry(
    { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose: () => undefined }) } as never,
    stubWindow.createOutputChannel('ZooKeeper') as never,
    { get: () => undefined, update: async () => undefined, keys: () => [] } as never,
  );
  try {
    await registry.reload();
    await registry.open('bench');
    const client = registry.get('bench')!.client;
    if (which === 'big') {
      await seeder.create('/big');
      await multiBatches(seeder, Array.from({ length: 100_000 }, (_, i): MultiOp => ({ type: 'create', path: `/big/member-${String(i).padStart(10, '0')}`, data: Buffer.from('x') })));
      for (let r = 0; r < runs; r++) {
        let loop = loopMonitor();
        let t = performance.now();
        await client.getChildren('/big');
        const layer = [performance.now() - t, await loop.stop()];
        await new Promise((res) => setTimeout(res, 50));
        loop = loopMonitor();
        t = performance.now();
        const provider = new ZnodeTreeProvider(registry);
        const node = provider.znode('bench', '/big');
        const rows = await provider.getChildren(node);
        for (const row of rows) provider.getTreeItem(row);
        const exp = [performance.now() - t, await loop.stop()];
        provider.collapsed(node);
        provider.dispose();
        console.log(`run ${r + 1}: getChildren ${layer[0].toFixed(1)} ms block ${layer[1]} ms; expand ${exp[0].toFixed(1)} ms block ${exp[1]} ms`);
        await new Promise((res) => setTimeout(res, 100));
      }
    } else {
      await seeder.create('/many');
      const parents = Array.from({ length: 1000 }, (_, i) => `/many/node-${String(i).padStart(4, '0')}`);
      const ops: MultiOp[] = [];
      for (const p of parents) {
        ops.push({ type: 'create', path: p, data: Buffer.from('{"a":1}') });
        for (let c = 0; c < 5; c++) ops.push({ type: 'create', path: `${p}/child-${c}`, data: Buffer.from('value') });
      }
      await multiBatches(seeder, ops);
      for (let r = 0; r < runs; r++) {
        const provider = new ZnodeTreeProvider(registry);
        let t = performance.now();
        for (const p of parents) {
          const rows = await provider.getChildren(provider.znode('bench', p));
          for (const row of rows) provider.getTreeItem(row);
        }
        const ours = performance.now() - t;
        for (const p of parents) provider.collapsed(provider.znode('bench', p));
        provider.dispose();
        await new Promise((res) => setTimeout(res, 200));
        t = performance.now();
        for (const p of parents) await client.getChildren(p);
        const layer = performance.now() - t;
        // The floor of the tree's design: the listing, then its rows' stats in one round.
        t = performance.now();
        for (const p of parents) {
          const { children } = await client.getChildren(p);
          await Promise.all(children.map((c) => client.exists(`${p}/${c}`)));
        }
        const floor = performance.now() - t;
        console.log(`run ${r + 1}: 1000 expands ${ours.toFixed(0)} ms; 1000 ZkClient.getChildren ${layer.toFixed(0)} ms; getChildren + stats round ${floor.toFixed(0)} ms`);
      }
    }
  } finally {
    registry.dispose();
    await seeder.close();
    await cluster.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
