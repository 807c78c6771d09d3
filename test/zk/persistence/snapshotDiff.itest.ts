// Two snapshots a real 3.8 server wrote (one at each restart, after a workload), compared: the nodes
// the second workload created, deleted, changed (data, ACL, mode) and deleted-then-created, and nothing
// else (the server's own /zookeeper nodes stay unchanged).
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../../src/zk/client';
import { diffSnapshots, listDataDir, olderFirst, readSnapshot } from '../../../src/zk/persistence';
import { ZkCluster } from '../../harness/zookeeper';

const text = (s: string) => Buffer.from(s, 'utf8');

describe('comparing two snapshots a real 3.8 server wrote', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;

  async function session(work: (c: ZkClient) => Promise<void>): Promise<void> {
    const c = new ZkClient({ connectString: cluster.connectString });
    await c.connect();
    await work(c);
    await c.close();
  }

  before(async function () {
    this.timeout(90_000);
    cluster = await ZkCluster.startStandalone({ extraConfig: { extendedTypesEnabled: 'true' } });
    await session(async (c) => {
      await c.create('/app', text('v0'));
      await c.create('/app/config', text('level=1'));
      await c.create('/app/doomed', text('bye'));
      await c.create('/app/locked', text('l'));
      await c.create('/app/again', text('first'));
      await c.create('/app/ttl', text('t'), { mode: 'persistentTtl', ttlMs: 3_600_000 });
      await c.create('/same', text('unchanged'));
    });
    // a server takes a snapshot when it starts: one after each workload
    await cluster.stop(1);
    await cluster.start(1);
    await session(async (c) => {
      await c.setData('/app/config', text('level=2'), -1);
      await c.remove('/app/doomed', -1);
      await c.setACL('/app/locked', [{ perms: 1, scheme: 'world', id: 'anyone' }], -1);
      await c.remove('/app/again', -1);
      await c.create('/app/again', text('first'));
      await c.remove('/app/ttl', -1);
      await c.create('/app/ttl', text('t'), { mode: 'container' });
      await c.create('/app/fresh', text('new'));
      await c.create('/app/fresh/child', text(''));
    });
    await cluster.stop(1);
    await cluster.start(1);
    await cluster.stop(1);
  });

  after(async () => {
    await cluster?.close();
  });

  it('lists what the second workload did, and only that', async () => {
    const snaps = (await listDataDir(cluster.servers[0].dataDir)).filter((f) => f.kind === 'snapshot');
    assert.ok(snaps.length >= 2, snaps.map((s) => s.path).join(' '));
    const [b, a] = [await readSnapshot(snaps[snaps.length - 1].path), await readSnapshot(snaps[snaps.length - 2].path)];
    assert.equal(a.damage ?? b.damage, undefined);
    const [older, newer] = olderFirst(b, a);
    assert.equal(older, a);
    const d = diffSnapshots(older, newer);
    assert.deepEqual(d.created, ['/app/fresh', '/app/fresh/child']);
    assert.deepEqual(d.deleted, ['/app/doomed']);
    assert.deepEqual(d.changed, [
      // the parent's data is the same; its children changed, which is the children's business
      { path: '/app/again', aspects: ['recreated'] },
      { path: '/app/config', aspects: ['data'] },
      { path: '/app/locked', aspects: ['acl'] },
      { path: '/app/ttl', aspects: ['mode', 'recreated'] },
    ]);
    assert.equal(d.unchanged, older.nodes.size - d.deleted.length - d.changed.length);
    assert.ok(newer.nodes.has('/zookeeper/config') || newer.nodes.has('/zookeeper/quota'));
  });
});
