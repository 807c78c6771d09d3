// Quotas against a real ZooKeeper 3.8 server that enforces them (enforceQuota=true): set (the
// server counts the subtree), read back by zkCli (an independent client), refused where zkCli
// refuses, a soft limit exceeded (writes still pass, alert raised), a hard limit refusing a write
// with the quota named, removed with its empty folders, and a read-only connection refused.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../../src/zk/client';
import { QUOTA_ROOT, quotaAlerts } from '../../../src/zk/clusterAdmin/quotas';
import { explainQuotaExceeded, listQuotas, readQuota, removeQuota, setQuota } from '../../../src/zk/clusterAdmin/quotaStore';
import { renderMessage } from '../../../src/zk/message';
import { ZkCluster, zkCli } from '../../harness/zookeeper';
import { rejectsWith, text } from '../../helpers';

describe('quotas against a real server with enforceQuota=true', function () {
  this.timeout(90_000);
  let cluster: ZkCluster;
  let c: ZkClient;

  before(async () => {
    cluster = await ZkCluster.startStandalone({ extraConfig: { enforceQuota: 'true' } });
    c = new ZkClient({ connectString: cluster.connectString, requestTimeoutMs: 5000 });
    await c.connect();
    await c.create('/app', text('abc'));
    await c.create('/app/a', text('12345'));
    await c.create('/app/a/b');
  });
  after(async () => {
    await c?.close();
    await cluster?.close();
  });

  it('sets a quota: the server counts the subtree, zkCli reads the same limits', async () => {
    const q = await setQuota(c, '/app', { count: 10, bytesHard: 1000 });
    assert.deepEqual(q.limits, { count: 10, bytesHard: 1000 });
    assert.deepEqual(q.usage, { count: 3, bytes: 8 }, 'three nodes, 3 + 5 bytes: counted by the server');
    const cli = await zkCli(cluster.connectString, ['listquota', '/app']);
    assert.match(cli.stdout, /Output quota for \/app count=10,bytes=-1=;byteHardLimit=1000;countHardLimit=-1/);
    assert.match(cli.stdout, /Output stat for \/app count=3,bytes=8/);
  });

  it('refuses what zkCli refuses: a quota under or above one, the root, a missing node', async () => {
    await rejectsWith(setQuota(c, '/app/a', { count: 5 }), 'INVALID_ARGUMENT', /\/app\/a has a parent \/app which has a quota/);
    await c.create('/outer');
    await c.create('/outer/inner');
    await setQuota(c, '/outer/inner', { count: 5 });
    await rejectsWith(setQuota(c, '/outer', { count: 5 }), 'INVALID_ARGUMENT', /\/outer has a child \/outer\/inner which has a quota/);
    await rejectsWith(setQuota(c, '/', { count: 5 }), 'INVALID_ARGUMENT', /root/);
    await rejectsWith(setQuota(c, '/missing', { count: 5 }), 'NONODE', /does not exist/);
    assert.equal(await removeQuota(c, '/outer/inner'), true);
  });

  it('lists every quota, including one zkCli set in the 3.7+ form', async () => {
    await c.create('/other');
    const cli = await zkCli(cluster.connectString, ['setquota', '-N', '4', '/other']);
    assert.equal(cli.code, 0, cli.stderr);
    const { quotas, truncated } = await listQuotas(c);
    assert.equal(truncated, false);
    assert.deepEqual(quotas.map((q) => [q.path, q.limits]), [
      ['/app', { count: 10, bytesHard: 1000 }],
      ['/other', { countHard: 4 }],
    ]);
    assert.deepEqual(quotas[1].usage, { count: 1, bytes: 0 });
  });

  it('a soft limit exceeded: the writes pass (the server only logs) and an alert says so', async () => {
    await setQuota(c, '/app', { count: 4, bytesHard: 1000 });
    await c.create('/app/x');
    await c.create('/app/y'); // 5 nodes > 4: allowed
    const q = await readQuota(c, '/app');
    assert.deepEqual(q?.usage, { count: 5, bytes: 8 });
    const alerts = quotaAlerts([q!], 80);
    assert.deepEqual(alerts.map((a) => [a.kind, a.severity]), [['quotaExceeded', 'error']]);
    assert.match(alerts[0].detail, /5 of 4 nodes \(soft limit, 125%\)/);
  });

  it('a hard limit refuses the write (QUOTAEXCEEDED) and the explanation names the quota, limit and usage', async () => {
    await setQuota(c, '/app', { countHard: 5 });
    const err = await rejectsWith(c.create('/app/a/over'), 'QUOTAEXCEEDED');
    const why = renderMessage(await explainQuotaExceeded(c, err.path));
    assert.match(why, /refused the write to \/app\/a\/over: it would exceed the hard quota on \/app \(nodes: hard 5; now 5 of 5 nodes \(hard limit, 100%\)\)\. Raise it with Set Quota…/);
  });

  it('removes a quota and the folders it leaves empty; writes pass again', async () => {
    assert.equal(await removeQuota(c, '/app'), true);
    assert.equal(await c.exists(`${QUOTA_ROOT}/app`), undefined, 'its folder is gone');
    assert.ok(await c.exists(`${QUOTA_ROOT}/other/zookeeper_limits`), 'another quota is untouched');
    await c.create('/app/a/over');
    assert.equal(await removeQuota(c, '/app'), false);
    const cli = await zkCli(cluster.connectString, ['listquota', '/app']);
    assert.match(cli.stdout + cli.stderr, /quota for \/app does not exist/);
  });

  it('a read-only connection cannot set or remove a quota', async () => {
    const ro = new ZkClient({ connectString: cluster.connectString, requestTimeoutMs: 5000, readOnly: true });
    await ro.connect();
    try {
      await rejectsWith(setQuota(ro, '/app', { count: 5 }), 'READ_ONLY_GUARD');
      await rejectsWith(removeQuota(ro, '/other'), 'READ_ONLY_GUARD');
      assert.ok(await c.exists(`${QUOTA_ROOT}/other/zookeeper_limits`));
    } finally {
      await ro.close();
    }
  });
});
