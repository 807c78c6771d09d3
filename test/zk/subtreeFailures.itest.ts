// Subtree operations against a real server that is killed (SIGKILL) half-way: the operation stops
// within its request deadline with a report of what was done, what is left and what is uncertain
// (the batch on the wire when the server died), and once the server is back, the data agrees with
// the report node by node. Nothing done is reported as left, nothing left as done. On an ensemble
// the same kill is ridden through: the session moves to another member and the work finishes.
import * as assert from 'node:assert/strict';
import { ZkClient, type MultiOp } from '../../src/zk/client';
import { SubtreeIncompleteError, copySubtree, deleteSubtree, walkSubtree, type IncompleteReport } from '../../src/zk/subtree';
import { ZkCluster } from '../harness/zookeeper';
import { waitUntil } from '../helpers';

async function seedFlat(zk: ZkClient, root: string, children: number): Promise<void> {
  const ops: MultiOp[] = [{ type: 'create', path: root }];
  for (let i = 0; i < children; i++) ops.push({ type: 'create', path: `${root}/c-${String(i).padStart(5, '0')}`, data: Buffer.from(`value ${i}`) });
  for (let i = 0; i < ops.length; i += 1000) await zk.multi(ops.slice(i, i + 1000));
}

async function client(cluster: ZkCluster): Promise<ZkClient> {
  // A short request deadline so the operation stops soon after the kill; a long session so the
  // session survives until the server is back.
  const zk = new ZkClient({ connectString: cluster.connectString, requestTimeoutMs: 3000, sessionTimeoutMs: 30_000, connectTimeoutMs: 1000 });
  await zk.connect();
  return zk;
}

/** The paths the report puts in each bucket, checked against what is on the server now. */
function checkAgainst(report: IncompleteReport, present: Set<string>, done: 'absent' | 'present'): { uncertainApplied: number } {
  for (const p of report.completedPaths) assert.equal(present.has(p), done === 'present', `${p} is reported done`);
  for (const p of report.remainingPaths) assert.equal(present.has(p), done === 'absent', `${p} is reported left`);
  const uncertainApplied = report.uncertainPaths.filter((p) => present.has(p) === (done === 'present')).length;
  // A batch is one transaction: all of it or none of it.
  assert.ok(uncertainApplied === 0 || uncertainApplied === report.uncertainPaths.length, 'the uncertain batch was applied whole or not at all');
  return { uncertainApplied };
}

describe('subtree operations when the server dies half-way (standalone, SIGKILL)', function () {
  this.timeout(120_000);
  const clusters: ZkCluster[] = [];
  const clients: ZkClient[] = [];

  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    for (const c of clusters) await c.close();
  });

  it('recursive delete: stops with a report, and the restarted server holds exactly what it says is left', async () => {
    const cluster = await ZkCluster.startStandalone();
    clusters.push(cluster);
    const zk = await client(cluster);
    clients.push(zk);
    await seedFlat(zk, '/doomed', 5000);
    const id = cluster.servers[0].id;
    let killed: Promise<void> | undefined;
    let killedAt = 0;
    const t0 = Date.now();
    const e = await deleteSubtree(zk, '/doomed', {
      maxBatchOps: 250,
      onProgress: (p) => {
        if (p.phase === 'delete' && p.done >= 1000 && !killed) {
          killedAt = Date.now() - t0;
          killed = cluster.kill(id);
        }
      },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    const stoppedMs = Date.now() - t0;
    assert.ok(e instanceof SubtreeIncompleteError, `expected an incomplete delete, got ${String(e)}`);
    assert.match(e.message, /Delete of \/doomed incomplete/);
    const r = e.report;
    assert.ok(r.completed >= 1000, `${r.completed} deleted`);
    assert.equal(r.completed + r.remaining + r.uncertain, 5001);
    await killed;
    await cluster.start(id);
    await waitUntil(() => zk.state === 'connected', 30_000, 'the client back on the restarted server');
    const present = new Set((await walkSubtree(zk, '/doomed')).nodes.map((n) => n.path));
    const { uncertainApplied } = checkAgainst(r, present, 'absent');
    assert.equal(present.size, r.remaining + (r.uncertain - uncertainApplied));
    console.log(
      `      delete: killed ${killedAt} ms after it began, stopped ${stoppedMs - killedAt} ms after the kill; ${r.completed} deleted, ${r.uncertain} uncertain (${uncertainApplied ? 'applied' : 'not applied'}), ${r.remaining} left; message: ${e.message.split('\n')[0]}`,
    );
    // Finishing the job afterwards deletes exactly what is left.
    assert.equal((await deleteSubtree(zk, '/doomed')).deleted, present.size);
  });

  it('copy to another server: the target dies half-way; what the report says was written is there byte for byte, the rest is not', async () => {
    const source = await ZkCluster.startStandalone();
    const target = await ZkCluster.startStandalone();
    clusters.push(source, target);
    const a = await client(source);
    const b = await client(target);
    clients.push(a, b);
    await seedFlat(a, '/src', 5000);
    const id = target.servers[0].id;
    let killed: Promise<void> | undefined;
    const e = await copySubtree(a, '/src', b, '/dst', {
      maxBatchOps: 250,
      onProgress: (p) => {
        if (p.phase === 'write' && p.done >= 1000 && !killed) killed = target.kill(id);
      },
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(e instanceof SubtreeIncompleteError, `expected an incomplete copy, got ${String(e)}`);
    const r = e.report;
    assert.ok(r.completed >= 1000, `${r.completed} written`);
    assert.equal(r.completed + r.remaining + r.uncertain, 5001);
    await killed;
    await target.start(id);
    await waitUntil(() => b.state === 'connected', 30_000, 'the target client back');
    const written = await walkSubtree(b, '/dst', { withData: true });
    const present = new Set(written.nodes.map((n) => n.path));
    const { uncertainApplied } = checkAgainst(r, present, 'present');
    for (const n of written.nodes) {
      if (n.path === '/dst') continue;
      const i = Number(n.path.slice('/dst/c-'.length));
      assert.equal(Buffer.from(n.data ?? []).toString(), `value ${i}`, `${n.path} byte for byte`);
    }
    console.log(`      copy: ${r.completed} written, ${r.uncertain} uncertain (${uncertainApplied ? 'applied' : 'not applied'}), ${r.remaining} not written; message: ${e.message.split('\n')[0]}`);
  });

  it('on an ensemble, the member the client is on killed mid-delete: the delete moves on with the session and finishes', async () => {
    const cluster = await ZkCluster.startEnsemble(3);
    clusters.push(cluster);
    const zk = await client(cluster);
    clients.push(zk);
    await seedFlat(zk, '/survives', 5000);
    const onServer = cluster.servers.find((s) => s.address === zk.currentServer)!;
    let killed: Promise<void> | undefined;
    const result = await deleteSubtree(zk, '/survives', {
      maxBatchOps: 250,
      onProgress: (p) => {
        if (p.phase === 'delete' && p.done >= 1000 && !killed) killed = cluster.kill(onServer.id);
      },
    });
    await killed;
    assert.ok(killed, 'the member was killed during the delete');
    assert.notEqual(zk.currentServer, onServer.address, 'the session moved to another member');
    assert.equal(result.deleted + result.vanished, 5001);
    assert.equal(await zk.exists('/survives'), undefined);
  });
});
