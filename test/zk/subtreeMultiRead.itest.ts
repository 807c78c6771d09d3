// The walk with data reads nodes in multiRead batches (ZooKeeper 3.6+) against a real 3.8 server,
// with today's semantics kept per node inside a batch: a node deleted meanwhile is skipped quietly,
// an unreadable one (NOAUTH) is listed with skipUnreadable and fails the walk without it. A reply
// over maxReplyBytes is skipped, not fatal (the nodes are read one by one), and an older server
// (through the proxy that answers like 3.5) gets the node-by-node walk.
import * as assert from 'node:assert/strict';
import { digestId, PERMS, type ZkAcl } from '../../src/zk/acl';
import { ZkClient, type MultiOp } from '../../src/zk/client';
import { isZkError } from '../../src/zk/errors';
import { walkSubtree, type WalkedNode } from '../../src/zk/subtree';
import { MIN_MAX_REPLY_BYTES } from '../../src/zk/wire/frames';
import type { ReadOp } from '../../src/zk/wire/multiRead';
import { OlderServerProxy, type UnknownOpMode } from '../harness/olderServerProxy';
import { ZkCluster } from '../harness/zookeeper';
import { countingSubtreeClient } from './countingSubtreeClient';

const ADMIN_ONLY: ZkAcl[] = [{ perms: PERMS.ALL, scheme: 'digest', id: digestId('admin', 'multiread-secret') }];

const counting = (zk: ZkClient, beforeMultiRead?: (ops: readonly ReadOp[]) => Promise<void>) =>
  countingSubtreeClient(zk, { beforeMultiRead, recordBatch: (ops) => ops.filter((o) => o.type === 'getData').map((o) => o.path) });

const summary = (nodes: readonly WalkedNode[]) =>
  nodes.map((n) => `${n.path} ${n.depth} v${n.stat.version} ${n.stat.dataLength} ${n.stat.numChildren} ${Buffer.from(n.data ?? []).toString('hex')} ${JSON.stringify(n.acl ?? null)}`).sort();

describe('subtree walk with multiRead (real ZooKeeper)', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let zk: ZkClient;
  const closers: (() => Promise<unknown>)[] = [];

  before(async () => {
    cluster = await ZkCluster.startStandalone();
    zk = new ZkClient({ connectString: cluster.connectString, name: 'multiread', requestTimeoutMs: 30_000 });
    await zk.connect();
  });

  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  });

  after(async () => {
    await zk?.close();
    await cluster?.close();
  });

  async function seed(root: string, folders: number, leaves: number, dataOf: (f: number, i: number) => Buffer = (f, i) => Buffer.from(`leaf ${f}/${i}`)) {
    const ops: MultiOp[] = [{ type: 'create', path: root, data: Buffer.from('root') }];
    for (let f = 0; f < folders; f++) {
      ops.push({ type: 'create', path: `${root}/f${f}` });
      for (let i = 0; i < leaves; i++) ops.push({ type: 'create', path: `${root}/f${f}/n${i}`, data: dataOf(f, i) });
    }
    // Batches of at most 500 ops and 700 KB (jute.maxbuffer is 1 MiB).
    let batch: MultiOp[] = [];
    let bytes = 0;
    for (const op of ops) {
      const size = op.type === 'create' ? (op.data?.byteLength ?? 0) + 100 : 100;
      if (batch.length > 0 && (batch.length >= 500 || bytes + size > 700_000)) {
        await zk.multi(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(op);
      bytes += size;
    }
    if (batch.length > 0) await zk.multi(batch);
    return ops.length;
  }

  it('reads data, stats and ACLs in multiRead batches, exactly what the node-by-node walk reads', async () => {
    const total = await seed('/mr', 5, 300);
    const { client, calls } = counting(zk);
    const batched = await walkSubtree(client, '/mr', { withData: true, withAcl: true });
    assert.equal(batched.count, total);
    // Far fewer requests than nodes: one multiRead per batch, no getData/getChildren of their own.
    assert.equal(calls.getData, 0);
    assert.equal(calls.getChildren, 0);
    assert.ok(calls.multiRead > 1 && calls.multiRead <= Math.ceil(total / 32), `${calls.multiRead} multiReads for ${total} nodes`);
    assert.deepEqual(calls.batches[0], ['/mr'], 'the first multiRead of a walk goes alone');
    const plain = await walkSubtree(zk, '/mr', { withData: true, withAcl: true, multiRead: false });
    assert.deepEqual(summary(batched.nodes), summary(plain.nodes));
    // Parents before children, as before.
    const seen = new Set<string>();
    for (const n of batched.nodes) {
      if (n.depth > 0) assert.ok(seen.has(n.path.slice(0, n.path.lastIndexOf('/')) || '/'), `${n.path} before its parent`);
      seen.add(n.path);
    }
  });

  it('inside one batch: a node deleted meanwhile is skipped quietly, an unreadable one is listed (skipUnreadable) or fails the walk', async () => {
    await zk.create('/mixed', Buffer.from('m'));
    for (let i = 0; i < 20; i++) await zk.create(`/mixed/n${String(i).padStart(2, '0')}`, Buffer.from(`n${i}`));
    await zk.create('/mixed/n05/below', Buffer.from('b'));
    await zk.create('/mixed/secret', Buffer.from('s'), { acl: ADMIN_ONLY });
    await zk.create('/mixed/secret-too', Buffer.from('s'), { acl: ADMIN_ONLY });
    const gone = '/mixed/n07';
    // Deleted after its parent listed it, before the batch that reads it is sent.
    const { client, calls } = counting(zk, async (ops) => {
      if (ops.some((o) => o.path === gone)) await zk.remove(gone, -1);
    });
    const walk = await walkSubtree(client, '/mixed', { withData: true, skipUnreadable: true });
    const batch = calls.batches.find((b) => b.includes(gone)) ?? [];
    assert.ok(batch.includes('/mixed/secret') && batch.includes('/mixed/n00'), `one batch holds the vanished, the unreadable and readable nodes: ${batch.join(' ')}`);
    assert.equal(walk.vanished, 1);
    assert.deepEqual(walk.unreadable.sort(), ['/mixed/secret', '/mixed/secret-too']);
    const paths = walk.nodes.map((n) => n.path);
    assert.equal(walk.count, 1 + 19 + 1);
    assert.ok(!paths.includes(gone) && paths.includes('/mixed/n05/below'));
    assert.equal(Buffer.from(walk.nodes.find((n) => n.path === '/mixed/n19')?.data ?? []).toString(), 'n19');

    // Without skipUnreadable the NOAUTH part fails the walk, as a plain read would.
    await assert.rejects(walkSubtree(counting(zk).client, '/mixed', { withData: true }), (e: unknown) => isZkError(e, 'NOAUTH'));
  });

  it('a reply over maxReplyBytes is skipped and its nodes read one by one: the connection stays up', async () => {
    const small = new ZkClient({ connectString: cluster.connectString, name: 'small replies', maxReplyBytes: MIN_MAX_REPLY_BYTES, requestTimeoutMs: 30_000 });
    closers.push(() => small.close());
    await small.connect();
    const protocolErrors: Error[] = [];
    small.on('protocolError', (e: Error) => protocolErrors.push(e));
    const big = (f: number, i: number) => Buffer.alloc(300_000, f * 16 + i);
    const total = await seed('/big', 1, 8, big); // one multiRead of the 8 leaves: ~2.4 MB > 1.1 MiB
    const session = small.sessionId;

    await assert.rejects(
      small.multiRead(Array.from({ length: 8 }, (_, i) => ({ type: 'getData' as const, path: `/big/f0/n${i}` }))),
      (e: unknown) => isZkError(e, 'REPLY_TOO_LARGE') && /over the limit of 1,114,112 bytes/.test((e as Error).message),
    );
    assert.equal((await small.getData('/big/f0/n3')).data.byteLength, 300_000, 'the connection carries on');

    const { client, calls } = counting(small);
    const walk = await walkSubtree(client, '/big', { withData: true });
    assert.equal(walk.count, total);
    for (let i = 0; i < 8; i++) assert.ok(Buffer.from(walk.nodes.find((n) => n.path === `/big/f0/n${i}`)?.data ?? []).equals(big(0, i)));
    assert.ok(calls.getData >= 8, 'the leaves were read one by one');
    assert.deepEqual(protocolErrors, []);
    assert.equal(small.sessionId, session);
    assert.equal(small.state, 'connected');
  });

  for (const mode of ['unimplementedThenClose', 'drop'] as UnknownOpMode[]) {
    it(`a 3.5 server (${mode}) gets the node-by-node walk, and is asked for multiRead once`, async () => {
      await seed(`/old-${mode}`, 3, 40);
      const proxy = await OlderServerProxy.start(cluster.servers[0].clientPort, { version: '3.5', mode });
      closers.push(() => proxy.close());
      const old = new ZkClient({ connectString: proxy.address, name: '3.5', requestTimeoutMs: 30_000 });
      closers.push(() => old.close());
      await old.connect();
      const expected = summary((await walkSubtree(zk, `/old-${mode}`, { withData: true, multiRead: false })).nodes);
      for (let round = 0; round < 2; round++) {
        const walk = await walkSubtree(old, `/old-${mode}`, { withData: true });
        assert.deepEqual(summary(walk.nodes), expected, `round ${round}`);
      }
      assert.deepEqual(proxy.refused.map((r) => r.opcode), [22]);
    });
  }
});
