// Issue 14 item 2: "MaxListenersExceededWarning … 11 notification listeners added" after minutes of
// watches and member failovers. Every part that sets watches on one connection (the watch log, the
// watches of open editors, the tree's child watches) runs through many reconnects of a real
// 3-node ensemble (members killed and restarted, and forced moves to another member); the number of
// listeners on every emitter involved (the connection, its client, the transport, the per-path
// watcher emitters) must stay flat.
import * as assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import type { Watcher } from '../../src/zk/client';
import { EnsembleConnection } from '../../src/zk/ensembleConnection';
import { NodeWatchSet } from '../../src/zk/nodeWatch';
import { WatchManager } from '../../src/zk/watches';
import { ZkCluster } from '../harness/zookeeper';
import { waitUntil } from '../helpers';

interface WireInternals {
  transport: { events: EventEmitter; oneShot: { counts(): Map<string, number> } };
}

/** Listener counts per emitter and event ("client:state", "watchers:child:/leak": n, …). */
function listenerCounts(connection: EnsembleConnection): Map<string, number> {
  const out = new Map<string, number>();
  const count = (prefix: string, e: EventEmitter) => {
    for (const name of e.eventNames()) out.set(`${prefix}:${String(name)}`, e.listenerCount(name));
  };
  count('connection', connection);
  const client = connection.client;
  count('client', client);
  const internals = client as unknown as WireInternals; // test-only look at the one-shot watch registry
  count('transport', internals.transport.events);
  for (const [key, n] of internals.transport.oneShot.counts()) out.set(`watchers:${key}`, n);
  return out;
}

function grown(before: Map<string, number>, after: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [k, n] of after) if (n > (before.get(k) ?? 0)) out.push(`${k}: ${before.get(k) ?? 0} -> ${n}`);
  return out;
}

describe('listeners stay flat across reconnects (real 3-node ensemble)', function () {
  this.timeout(300_000);
  let cluster: ZkCluster;
  let connection: EnsembleConnection;
  let manager: WatchManager | undefined;
  let nodeWatches: NodeWatchSet | undefined;
  const warnings: Error[] = [];
  const onWarning = (w: Error) => {
    if (w.name === 'MaxListenersExceededWarning') warnings.push(w);
  };

  before(async () => {
    cluster = await ZkCluster.startEnsemble(3);
    process.on('warning', onWarning);
  });

  after(async () => {
    process.off('warning', onWarning);
    manager?.dispose();
    nodeWatches?.dispose();
    await connection?.dispose();
    await cluster?.close();
  });

  it('keeps the same listener counts after 14 reconnects with watches of every kind set', async () => {
    connection = new EnsembleConnection({ name: 'leak', connectString: cluster.connectString, sessionTimeoutMs: 20_000, connectTimeoutMs: 2000, requestTimeoutMs: 4000 });
    await connection.open();
    const c = connection.client;
    await c.create('/leak');
    await c.create('/leak/cfg', Buffer.from('v0'));
    await c.create('/leak/dir');
    await c.create('/leak/dir/a');

    // The watch log: a node and a subtree.
    manager = new WatchManager(connection, () => undefined, { verifyIntervalMs: 0 });
    await manager.add('/leak/cfg', 'node');
    await manager.add('/leak/dir', 'subtree');
    await manager.whenIdle();
    // Open editors: one exists() watch per node.
    nodeWatches = new NodeWatchSet((name) => (name === 'leak' ? connection : undefined));
    nodeWatches.watch('leak', '/leak/cfg', () => undefined);
    nodeWatches.watch('leak', '/leak/other', () => undefined);
    await waitUntil(() => nodeWatches!.isArmed('leak', '/leak/cfg') && nodeWatches!.isArmed('leak', '/leak/other'), 10_000, 'the editor watches set');
    // The tree: its expanded nodes listed again after each reconnect, with its child watcher.
    const treeWatcher: Watcher = () => undefined;
    const listAsTheTreeDoes = async () => {
      await connection.client.getChildren('/leak', treeWatcher);
      await connection.client.getChildren('/leak/dir', treeWatcher);
    };
    await listAsTheTreeDoes();

    const settle = async () => {
      await connection.waitFor(['connected'], 30_000);
      await listAsTheTreeDoes();
      // An editor looks at its node again (as after another component removed watches on it).
      nodeWatches!.recheck('leak', '/leak/other');
      await manager!.whenIdle();
      await waitUntil(() => nodeWatches!.isArmed('leak', '/leak/cfg') && nodeWatches!.isArmed('leak', '/leak/other'), 15_000, 'the editor watches set again');
      await new Promise((r) => setTimeout(r, 200));
    };
    // One reconnect first, so that anything set up once per connection is counted in the baseline.
    await connection.reconnect();
    await settle();
    const before = listenerCounts(connection);

    const reconnects = 14;
    for (let i = 0; i < reconnects; i++) {
      if (i % 2 === 0) {
        // A member failover: kill the member the session is on, then bring it back.
        const on = connection.getStatus().server;
        const member = cluster.servers.findIndex((s) => s.address === on);
        assert.ok(member >= 0, `the session is on a member (${on})`);
        await cluster.kill(member + 1);
        await connection.waitFor(['reconnecting'], 10_000).catch(() => undefined);
        await settle();
        await cluster.start(member + 1);
      } else {
        await connection.reconnect(); // moves the session to another member
        await settle();
      }
    }
    await cluster.waitServing();
    await settle();
    const after = listenerCounts(connection);
    console.log(`      listeners after 1 and after ${reconnects + 1} reconnects: ${[...after].map(([k, n]) => `${k}=${before.get(k) ?? 0}->${n}`).join(', ')}`);
    assert.deepEqual(grown(before, after), [], 'no emitter gained listeners across the reconnects');
    assert.deepEqual(warnings.map((w) => w.message), [], 'no MaxListenersExceededWarning');
    // The watches still work after all that.
    await connection.client.setData('/leak/cfg', Buffer.from('v1'), -1);
    await waitUntil(() => nodeWatches!.isArmed('leak', '/leak/cfg'), 10_000, 'the editor watch set again after the change');
  });
});
