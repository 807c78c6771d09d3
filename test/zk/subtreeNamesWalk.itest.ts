// A walk of names only (what delete, count and the existing-node check of copy and import need)
// lists nodes in multiRead batches of getChildren (ZooKeeper 3.6+) against a real 3.8 server: the
// same paths as the node-by-node walk, a node deleted meanwhile skipped, an unreadable one listed
// with skipUnreadable, a reply over maxReplyBytes skipped and its nodes listed one by one, and an
// older server (through the proxy that answers like 3.5) gets the node-by-node walk.
import * as assert from 'node:assert/strict';
import { digestId, PERMS, type ZkAcl } from '../../src/zk/acl';
import { ZkClient, type MultiOp } from '../../src/zk/client';
import { isZkError } from '../../src/zk/errors';
import { deleteSubtree, walkSubtree, walkSubtreeNames, type WalkedName } from '../../src/zk/subtree';
import { MIN_MAX_REPLY_BYTES } from '../../src/zk/wire/frames';
import type { ReadOp } from '../../src/zk/wire/multiRead';
import { OlderServerProxy, type UnknownOpMode } from '../harness/olderServerProxy';
import { ZkCluster } from '../harness/zookeeper';
import { countingSubtreeClient } from './countingSubtreeClient';

const ADMIN_ONLY: ZkAcl[] = [{ perms: PERMS.ALL, scheme: 'digest', id: digestId('admin', 'names-walk-secret') }];

const counting = (zk: ZkClient, beforeMultiRead?: (ops: readonly ReadOp[]) => Promise<void>) => countingSubtreeClient(zk, { beforeMultiRead });

const summary = (nodes: readonly WalkedName[]) => nodes.map((n) => `${n.path} ${n.depth}`).sort();

describe('subtree walk of names with multiRead (real ZooKeeper)', function () {
  this.timeout(180_000);
  let cluster: ZkCluster;
  let zk: ZkClient;
  const closers: (() => Promise<unknown>)[] = [];

  before(async () => {
    cluster = await ZkCluster.startStandalone();
    zk = new ZkClient({ connectString: cluster.connectString, name: 'names walk', requestTimeoutMs: 30_000 });
    await zk.connect();
  });

  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  });

  after(async () => {
    await zk?.close();
    await cluster?.close();
  });

  async function seed(root: string, folders: number, leaves: number, nameOf: (i: number) => string = (i) => `n${i}`): Promise<number> {
    const ops: MultiOp[] = [{ type: 'create', path: root }];
    for (let f = 0; f < folders; f++) {
      ops.push({ type: 'create', path: `${root}/f${f}` });
      for (let i = 0; i < leaves; i++) ops.push({ type: 'create', path: `${root}/f${f}/${nameOf(i)}` });
    }
    for (let i = 0; i < ops.length; i += 500) await zk.multi(ops.slice(i, i + 500));
    return ops.length;
  }

  it('lists the subtree in multiRead batches of getChildren: the paths the node-by-node walk finds', async () => {
    const total = await seed('/names', 6, 60);
    const { client, calls } = counting(zk);
    const walk = await walkSubtreeNames(client, '/names');
    assert.equal(walk.count, total);
    assert.deepEqual(summary(walk.nodes), summary((await walkSubtree(zk, '/names')).nodes));
    assert.equal(calls.getChildren, 0, 'no node listed with its own request');
    assert.equal(calls.getData, 0, 'no data read');
    assert.ok(calls.multiRead > 1 && calls.multiRead <= Math.ceil(total / 32), `${calls.multiRead} multiReads for ${total} nodes`);
    assert.deepEqual(calls.batches[0], ['getChildren /names'], 'the first multiRead of a walk goes alone');
    assert.ok(calls.batches.every((b) => b.every((op) => op.startsWith('getChildren '))));
  });

  it('deletes a subtree listed in batches, and skips a node deleted meanwhile', async () => {
    const total = await seed('/del', 4, 50);
    const { client, calls } = counting(zk);
    const result = await deleteSubtree(client, '/del');
    assert.equal(result.deleted, total);
    assert.equal(await zk.exists('/del'), undefined);
    assert.equal(calls.getChildren, 0);
    assert.ok(calls.multiRead > 1);

    await seed('/gone', 3, 20);
    let removed = false;
    const racing = counting(zk, async (ops) => {
      if (!removed && ops.some((o) => o.path === '/gone/f1/n3')) {
        removed = true;
        await zk.remove('/gone/f1/n3', -1);
      }
    });
    const walk = await walkSubtreeNames(racing.client, '/gone');
    assert.ok(removed);
    assert.equal(walk.vanished, 1);
    assert.ok(!walk.nodes.some((n) => n.path === '/gone/f1/n3'));
    assert.equal(walk.count, 1 + 3 + 3 * 20 - 1);
  });

  it('lists an unreadable node with skipUnreadable, and fails the walk without it', async () => {
    await seed('/locked', 2, 5);
    await zk.create('/locked/f0/secret', undefined, { acl: ADMIN_ONLY });
    const { client } = counting(zk);
    const walk = await walkSubtreeNames(client, '/locked', { skipUnreadable: true });
    assert.deepEqual(walk.unreadable, ['/locked/f0/secret']);
    assert.equal(walk.count, 1 + 2 + 2 * 5);
    await assert.rejects(walkSubtreeNames(counting(zk).client, '/locked'), (e: unknown) => isZkError(e, 'NOAUTH'));
  });

  it('a batch whose reply is over maxReplyBytes is skipped and its nodes listed one by one: the connection stays up', async () => {
    const small = new ZkClient({ connectString: cluster.connectString, name: 'small replies', maxReplyBytes: MIN_MAX_REPLY_BYTES, requestTimeoutMs: 30_000 });
    closers.push(() => small.close());
    await small.connect();
    const protocolErrors: Error[] = [];
    small.on('protocolError', (e: Error) => protocolErrors.push(e));
    // 3 folders of 4,000 names of 100 bytes: one folder's list is ~416 KB, the three in one reply ~1.25 MB > 1.1 MiB.
    const total = await seed('/wide', 3, 4000, (i) => `n${String(i).padStart(99, '0')}`);
    const session = small.sessionId;
    const { client, calls } = counting(small);
    const walk = await walkSubtreeNames(client, '/wide');
    assert.equal(walk.count, total);
    assert.ok(calls.getChildren >= 3, 'the folders were listed one by one');
    assert.deepEqual(protocolErrors, []);
    assert.equal(small.sessionId, session);
    assert.equal(small.state, 'connected');
    await deleteSubtree(zk, '/wide');
  });

  for (const mode of ['unimplementedThenClose', 'drop'] as UnknownOpMode[]) {
    it(`a 3.5 server (${mode}) gets the node-by-node walk of names, and is asked for multiRead once`, async () => {
      await seed(`/old-names-${mode}`, 3, 40);
      const proxy = await OlderServerProxy.start(cluster.servers[0].clientPort, { version: '3.5', mode });
      closers.push(() => proxy.close());
      const old = new ZkClient({ connectString: proxy.address, name: '3.5', requestTimeoutMs: 30_000 });
      closers.push(() => old.close());
      await old.connect();
      const expected = summary((await walkSubtree(zk, `/old-names-${mode}`)).nodes);
      for (let round = 0; round < 2; round++) {
        const walk = await walkSubtreeNames(old, `/old-names-${mode}`);
        assert.deepEqual(summary(walk.nodes), expected, `round ${round}`);
      }
      assert.deepEqual(proxy.refused.map((r) => r.opcode), [22]);
    });
  }
});
