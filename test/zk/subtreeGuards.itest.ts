// Integration tests of src/zk/subtreeGuards.ts on a real server: a move never deletes another
// session's ephemeral node, and a recursive delete deletes exactly what was confirmed, also on a
// server without getAllChildrenNumber (a proxy answers UNIMPLEMENTED for opcode 104, as servers
// before 3.6 do) and when another client adds nodes after the confirmation.
import * as assert from 'node:assert/strict';
import { ZkClient, type MultiOp } from '../../src/zk/client';
import { isZkError, type ZkErrorCode } from '../../src/zk/errors';
import { SubtreeIncompleteError, deleteSubtree, moveSubtree, planCopy, walkSubtree, type SubtreeClient } from '../../src/zk/subtree';
import { countForDeleteConfirmation } from '../../src/zk/subtreeGuards';
import { ZkCluster } from '../harness/zookeeper';
import { OlderServerProxy } from '../harness/olderServerProxy';

const GET_ALL_CHILDREN_NUMBER = 104;

async function connect(connectString: string): Promise<ZkClient> {
  const zk = new ZkClient({ connectString, requestTimeoutMs: 20_000 });
  await zk.connect();
  return zk;
}

/** /root with `branches` children of `leaves` children each. */
async function seed(zk: ZkClient, root: string, branches: number, leaves: number): Promise<number> {
  const ops: MultiOp[] = [{ type: 'create', path: root }];
  for (let b = 0; b < branches; b++) {
    ops.push({ type: 'create', path: `${root}/b${b}` });
    for (let l = 0; l < leaves; l++) ops.push({ type: 'create', path: `${root}/b${b}/l${l}`, data: Buffer.from(`v${l}`) });
  }
  for (let i = 0; i < ops.length; i += 500) await zk.multi(ops.slice(i, i + 500));
  return ops.length;
}

describe('subtree guards (real ZooKeeper)', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let zk: ZkClient;
  let other: ZkClient;
  let proxy: OlderServerProxy; // a 3.5 server: no getAllChildrenNumber
  let old: ZkClient;

  before(async () => {
    cluster = await ZkCluster.startStandalone();
    zk = await connect(cluster.connectString);
    other = await connect(cluster.connectString);
    proxy = await OlderServerProxy.start(cluster.servers[0].clientPort, { version: '3.5', mode: 'unimplemented' });
    old = await connect(proxy.address);
  });
  after(async () => {
    for (const c of [zk, other, old]) await c?.close().catch(() => undefined);
    await proxy?.close();
    await cluster?.close();
  });

  describe('move and ephemeral nodes of other sessions', () => {
    it('the plan names another session\'s ephemeral node, the move refuses, and the node survives', async () => {
      await zk.create('/svc');
      await zk.create('/svc/locks');
      await zk.create('/svc/config', Buffer.from('x'));
      await other.create('/svc/locks/lock-0000000001', Buffer.from('held'), { mode: 'ephemeral' });
      const plan = await planCopy(zk, '/svc', zk, '/moved');
      assert.deepEqual(plan.foreignEphemeral, [{ path: '/svc/locks/lock-0000000001', owner: other.sessionId }]);

      const e = await moveSubtree(zk, '/svc', zk, '/moved', { plan }).then(
        () => undefined,
        (err: unknown) => err,
      );
      assert.ok(isZkError(e, 'EPHEMERAL_OWNED'), `expected EPHEMERAL_OWNED, got ${String(e)}`);
      assert.match((e as Error).message, /\/svc\/locks\/lock-0000000001 \(session 0x[0-9a-f]+\)/);
      assert.match((e as Error).message, /Nothing was moved/);
      const held = await zk.getData('/svc/locks/lock-0000000001');
      assert.equal(Buffer.from(held.data).toString(), 'held');
      assert.equal(held.stat.ephemeralOwner, other.sessionId);
      assert.equal(await zk.exists('/moved'), undefined, 'nothing written at the target');
      assert.equal((await walkSubtree(zk, '/svc')).count, 4, 'the source is untouched');
    });

    it('this session\'s own ephemeral nodes do not stop a move (they are ours to move)', async () => {
      await zk.create('/mine');
      await zk.create('/mine/e', Buffer.from('own'), { mode: 'ephemeral' });
      const plan = await planCopy(zk, '/mine', zk, '/mine2');
      assert.deepEqual(plan.foreignEphemeral, []);
      const r = await moveSubtree(zk, '/mine', zk, '/mine2', { plan });
      assert.equal(r.deleted, 2);
      assert.equal(await zk.exists('/mine'), undefined);
      assert.deepEqual(r.ephemeralAsPersistent, ['/mine2/e']);
    });
  });

  describe('delete confirmation on a server without getAllChildrenNumber', () => {
    it('the proxy really refuses opcode 104 (as a 3.5 server does)', async () => {
      await rejectsCode(old.getAllChildrenNumber('/'), 'UNIMPLEMENTED');
    });

    it('counts the whole subtree exactly (not only the direct children) by walking', async () => {
      const total = await seed(zk, '/deep', 5, 40); // 1 + 5 + 200
      const c = await countForDeleteConfirmation(old, '/deep');
      assert.equal(c.total, total);
      assert.equal(c.descendants, total - 1);
      assert.equal(c.method, 'walk');
      assert.ok(proxy.refusedOps(GET_ALL_CHILDREN_NUMBER) >= 1);
      // The same count from a server that has the opcode.
      const fast = await countForDeleteConfirmation(zk, '/deep');
      assert.deepEqual([fast.total, fast.method], [total, 'server']);
    });

    it('a node created by another client after the confirmation stops the delete before anything is deleted', async () => {
      const total = await seed(zk, '/grow', 3, 10);
      const confirmed = await countForDeleteConfirmation(old, '/grow');
      assert.equal(confirmed.total, total);
      await other.create('/grow/b1/late', Buffer.from('created after the confirmation'));
      const e = await deleteSubtree(old, '/grow', { confirmedNodes: confirmed.total }).then(
        () => undefined,
        (err: unknown) => err,
      );
      assert.ok(isZkError(e, 'SUBTREE_GREW'), `expected SUBTREE_GREW, got ${String(e)}`);
      assert.match((e as Error).message, new RegExp(`now has ${total + 1} nodes, ${total} were confirmed`));
      assert.equal((await walkSubtree(zk, '/grow')).count, total + 1, 'nothing was deleted');
    });

    it('a node created during the delete (after its walk) is not deleted: the delete stops and reports', async () => {
      const total = await seed(zk, '/race', 4, 30);
      const confirmed = await countForDeleteConfirmation(old, '/race');
      // Another client adds a node under /race/b0 while the first batch (the deepest nodes of
      // b3, b2, ...) is on its way: b0 is deleted last, so its delete meets the new child.
      let injected = false;
      const racing: SubtreeClient = Object.create(old) as SubtreeClient;
      racing.multi = async (ops) => {
        if (!injected) {
          injected = true;
          await other.create('/race/b0/late', Buffer.from('new'));
        }
        return old.multi(ops);
      };
      const e = await deleteSubtree(racing, '/race', { confirmedNodes: confirmed.total, maxBatchOps: 20 }).then(
        () => undefined,
        (err: unknown) => err,
      );
      assert.ok(injected, 'the other client wrote during the delete');
      assert.ok(e instanceof SubtreeIncompleteError, `expected an incomplete delete, got ${String(e)}`);
      assert.equal(e.code, 'NOTEMPTY');
      assert.match(e.message, /created after the confirmation were not deleted/);
      const late = await zk.getData('/race/b0/late');
      assert.equal(Buffer.from(late.data).toString(), 'new', 'the node created after the confirmation is still there');
      assert.ok(e.report.completed > 0 && e.report.completed < total);
    });

    it('without a confirmed count the delete still finishes (re-walks), as before', async () => {
      const total = await seed(zk, '/plain', 2, 5);
      const r = await deleteSubtree(old, '/plain');
      assert.equal(r.deleted, total);
    });
  });
});

async function rejectsCode(p: Promise<unknown>, code: ZkErrorCode): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.ok(isZkError(e, code), `expected ${code}, got ${String(e)}`);
}
