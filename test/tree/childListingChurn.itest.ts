// The tree under churn, against a real server: a node whose children change hundreds of times a
// second is listed at most once per gap, not once per change notification. The "VS Code" here asks
// for the node's children every time the provider says the node changed (as the tree view does).
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import type { ConnectionRegistry } from '../../src/connections/connectionRegistry';
import { ZnodeTreeProvider } from '../../src/tree/znodeTreeProvider';
import type { TreeNode } from '../../src/tree/treeNodes';
import { ZkClient } from '../../src/zk/client';
import { EnsembleConnection } from '../../src/zk/ensembleConnection';
import { ZkCluster } from '../harness/zookeeper';
import { waitUntil } from '../helpers';

describe('tree: child listings are coalesced under churn (real server)', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let writer: ZkClient;
  let conn: EnsembleConnection;

  before(async () => {
    cluster = await ZkCluster.startStandalone();
    writer = new ZkClient({ connectString: cluster.connectString, name: 'writer' });
    await writer.connect();
    conn = new EnsembleConnection({ name: 'churn', connectString: cluster.connectString });
    await conn.open();
  });

  after(async () => {
    await conn?.dispose();
    await writer?.close();
    await cluster?.close();
  });

  it('2 s of churn on an expanded node: a handful of getChildren, and the last listing is current', async () => {
    await writer.create('/churn');
    for (let i = 0; i < 200; i++) await writer.create(`/churn/c${i}`);
    const noop = () => ({ dispose: () => undefined });
    const registry = {
      get: (name: string) => (name === 'churn' ? conn : undefined),
      configs: () => [{ name: 'churn', connectString: cluster.connectString }],
      open: async () => true,
      names: () => ['churn'],
      connections: () => [conn],
      onDidChangeConnections: noop,
      onDidChangeStatus: noop,
    } as unknown as ConnectionRegistry;
    const provider = new ZnodeTreeProvider(registry);
    let listings = 0;
    const getChildren = conn.client.getChildren.bind(conn.client);
    conn.client.getChildren = (path, watcher) => {
      if (path === '/churn') listings++;
      return getChildren(path, watcher);
    };
    const node = provider.znode('churn', '/churn');
    let shown: TreeNode[] = [];
    // VS Code keeps the rows of its latest request for a node: an older answer that comes back
    // later (its rows' stats took longer) does not replace them.
    let asked = 0;
    const show = () => {
      const ticket = ++asked;
      void provider.getChildren(node).then((rows) => {
        if (ticket === asked) shown = rows;
      });
    };
    provider.onDidChangeTreeData((e) => {
      const changed = Array.isArray(e) ? e : [e];
      if (changed.includes(node)) show();
    });
    try {
      shown = await provider.getChildren(node);
      listings = 0;
      const started = Date.now();
      let n = 200;
      // Churn: create and delete children as fast as one session can, for 2 s.
      while (Date.now() - started < 2000) {
        await writer.create(`/churn/c${n}`);
        await writer.remove(`/churn/c${n - 200}`, -1);
        n++;
      }
      const elapsed = Date.now() - started;
      const churned = n - 200;
      const during = listings;
      if (process.env.ZK_TEST_VERBOSE) console.log(`${during} listings for ${churned} changes in ${elapsed} ms`);
      // At most one listing per 300 ms gap (plus the one in flight and the one queued at each end).
      assert.ok(during <= Math.ceil(elapsed / 300) + 4, `${during} listings for ${churned} changes in ${elapsed} ms`);
      assert.ok(churned > 4 * during, `${churned} changes, ${during} listings`);
      // And no change is lost: the last child appears.
      await waitUntil(() => shown.some((r) => r.kind === 'znode' && r.path === `/churn/c${n - 1}`), 10_000, 'the last child shown');
    } finally {
      conn.client.getChildren = getChildren;
      provider.dispose();
    }
  });
});
