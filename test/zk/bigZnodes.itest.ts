// Find Big Znodes against a real ZooKeeper: a node with many children, a node near jute.maxbuffer,
// ephemeral nodes of two sessions, an unreadable node.
import * as assert from 'node:assert/strict';
import { digestId, PERMS } from '../../src/zk/acl';
import { findBigZnodes } from '../../src/zk/bigZnodes';
import { ZkClient, type MultiOp } from '../../src/zk/client';
import { JUTE_MAXBUFFER } from '../../src/zk/wire/frames';
import { ZkCluster } from '../harness/zookeeper';

describe('findBigZnodes (real ZooKeeper)', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  const clients: ZkClient[] = [];
  const connect = async () => {
    const zk = new ZkClient({ connectString: cluster.connectString, requestTimeoutMs: 30_000 });
    clients.push(zk);
    await zk.connect();
    return zk;
  };

  before(async () => {
    cluster = await ZkCluster.startStandalone();
  });

  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await cluster?.close();
  });

  it('reports the biggest nodes, child lists, subtrees and ephemerals per session, with their limits', async () => {
    const [zk, owner1, owner2] = [await connect(), await connect(), await connect()];
    await zk.create('/bz');
    await zk.create('/bz/blob', Buffer.alloc(1_000_000, 7)); // 95% of jute.maxbuffer
    const ops: MultiOp[] = [{ type: 'create', path: '/bz/wide' }];
    for (let i = 0; i < 3000; i++) ops.push({ type: 'create', path: `/bz/wide/member-${i}`, data: Buffer.from('x') });
    for (let i = 0; i < ops.length; i += 1000) await zk.multi(ops.slice(i, i + 1000));
    await zk.create('/bz/locks');
    for (let i = 0; i < 3; i++) await owner1.create(`/bz/locks/a-`, Buffer.from('1'), { mode: 'ephemeralSequential' });
    await owner2.create('/bz/locks/b', Buffer.from('22'), { mode: 'ephemeral' });
    await zk.create('/bz/secret', Buffer.from('s'), { acl: [{ perms: PERMS.ALL, scheme: 'digest', id: digestId('u', 'p') }] });

    const r = await findBigZnodes(zk, '/bz', { top: 5 });
    assert.equal(r.nodes, 1 + 1 + 3001 + 1 + 4);
    assert.deepEqual(r.unreadable, ['/bz/secret']);
    assert.equal(r.mostData[0].path, '/bz/blob');
    assert.ok(r.mostData[0].ofMaxBuffer > 0.95 && r.mostData[0].ofMaxBuffer < 0.96);
    assert.equal(r.mostChildren[0].path, '/bz/wide');
    assert.equal(r.mostChildren[0].numChildren, 3000);
    const { children } = await zk.getChildren('/bz/wide');
    const listBytes = children.reduce((n, c) => n + 4 + Buffer.byteLength(c), 16 + 4 + 68);
    assert.equal(r.mostChildren[0].childListBytes, listBytes);
    assert.equal(r.mostChildren[0].ofJavaClientLimit, listBytes / JUTE_MAXBUFFER);
    assert.deepEqual(r.largestByNodes[0], { path: '/bz/wide', nodes: 3001, dataBytes: 3000 });
    // Leaves are in mostData; subtrees are nodes with descendants.
    assert.deepEqual(r.largestByBytes.map((s) => s.path), ['/bz/wide', '/bz/locks']);
    assert.deepEqual(
      r.ephemeralsBySession.map((s) => [s.session, s.count, s.dataBytes, s.paths.length]),
      [[owner1.sessionId, 3, 3, 3], [owner2.sessionId, 1, 2, 1]],
    );
    assert.deepEqual(r.ephemeralsBySession[1].paths, ['/bz/locks/b']);
  });
});
