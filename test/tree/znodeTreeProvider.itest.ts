// The tree provider (src/tree/znodeTreeProvider.ts) on the fake vscode module against a real
// ZooKeeper: a page's rows come with their stats (no wave of row refreshes after them), Load more
// pages the names the tree already has, names are shown with hidden characters escaped, and a
// kazoo lock queue is listed by sequence number with its holder named "holder / leader".
import * as assert from 'node:assert/strict';
import { ZkClient, type MultiOp } from '../../src/zk/client';
import { holdQueue, type HeldQueue } from '../fixtures/sampleData';
import { ZkCluster } from '../harness/zookeeper';
import { installFakeVscode, setConfiguration, window as stubWindow, type MarkdownString } from '../fakes/vscode';

installFakeVscode();
// Loaded after the fake: these import 'vscode'.
const { ConnectionRegistry } = require('../../src/connections/connectionRegistry') as typeof import('../../src/connections/connectionRegistry');
const { ZnodeTreeProvider } = require('../../src/tree/znodeTreeProvider') as typeof import('../../src/tree/znodeTreeProvider');
type TreeNode = import('../../src/tree/treeNodes').TreeNode;
type ZnodeNode = import('../../src/tree/treeNodes').ZnodeNode;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitUntil(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

describe('tree provider on a real server', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let seeder: ZkClient;
  let queue: HeldQueue | undefined;
  let registry: import('../../src/connections/connectionRegistry').ConnectionRegistry;
  let provider: import('../../src/tree/znodeTreeProvider').ZnodeTreeProvider;
  const fired: (TreeNode | TreeNode[] | undefined)[] = [];

  before(async function () {
    this.timeout(90_000);
    cluster = await ZkCluster.startStandalone();
    seeder = new ZkClient({ connectString: cluster.connectString });
    await seeder.connect();
    await seeder.create('/t');
    await seeder.create('/t/big');
    const ops: MultiOp[] = Array.from({ length: 1200 }, (_, i) => ({ type: 'create', path: `/t/big/item-${String(i).padStart(4, '0')}`, data: Buffer.from('x'.repeat(i % 7)) }));
    for (let i = 0; i < ops.length; i += 600) await seeder.multi(ops.slice(i, i + 600));
    await seeder.create('/t/names');
    await seeder.create('/t/names/\u202Ertl', Buffer.from('abcdef'));
    queue = await holdQueue([cluster.connectString], { parent: '/t/queue', name: (i) => `${(15 - i).toString(16).repeat(32)}__lock__` });
    setConfiguration('zookeeper.connections', [{ name: 'itest', connectString: cluster.connectString }]);
    setConfiguration('zookeeper.tree.pageSize', 500);
    registry = new ConnectionRegistry(
      { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose: () => undefined }) } as never,
      stubWindow.createOutputChannel('ZooKeeper') as never,
      { get: () => undefined, update: async () => undefined, keys: () => [] } as never,
    );
    await registry.reload();
    assert.ok(await registry.open('itest'), 'the connection opened');
    provider = new ZnodeTreeProvider(registry);
    provider.onDidChangeTreeData((e) => fired.push(e));
  });

  after(async () => {
    provider?.dispose();
    registry?.dispose();
    await queue?.close();
    await seeder?.close();
    await cluster?.close();
  });

  const rowsOf = (nodes: TreeNode[]) => nodes.filter((n): n is ZnodeNode => n.kind === 'znode');
  const firedRows = () => fired.flatMap((e) => (Array.isArray(e) ? e : e ? [e] : [])).filter((n) => n.kind === 'znode' && n.path.startsWith('/t/big/'));

  it("gives a page's rows their stats in one go: with the rows, or in one refresh of them all (not a wave per chunk)", async () => {
    const big = provider.znode('itest', '/t/big');
    const rows = rowsOf(await provider.getChildren(big));
    assert.equal(rows.length, 500);
    assert.equal(rows[0].path, '/t/big/item-0000');
    const late = rows.filter((r) => !r.stat);
    // Within the short wait (an idle machine) they come with the rows; on a busy one, in one refresh.
    await waitUntil(() => rows.every((r) => r.stat !== undefined), 10_000);
    await sleep(300);
    const refreshes = fired.filter((e) => (Array.isArray(e) ? e : [e]).some((n) => n?.kind === 'znode' && n.path.startsWith('/t/big/')));
    assert.ok(refreshes.length <= 1, `${refreshes.length} refreshes of the rows`);
    if (late.length > 0) assert.equal(firedRows().length, late.length, 'the one refresh names every row that came without its stat');
    assert.equal(rows[3].stat!.dataLength, 3);
  });

  it('Load more pages the names the tree has (no second listing of every child), and lists again after a change', async () => {
    const big = provider.znode('itest', '/t/big');
    const client = registry.get('itest')!.client;
    const original = client.getChildren.bind(client);
    const listed: string[] = [];
    client.getChildren = ((path: string, ...rest: unknown[]) => {
      listed.push(path);
      return (original as (...a: unknown[]) => ReturnType<typeof original>)(path, ...rest);
    }) as typeof client.getChildren;
    try {
      provider.loadMore(big);
      const more = await provider.getChildren(big);
      assert.equal(rowsOf(more).length, 1000);
      assert.equal(rowsOf(more)[999].path, '/t/big/item-0999');
      assert.ok(more.some((n) => n.kind === 'loadMore'));
      assert.deepEqual(listed, [], 'Load more did not list the 1,200 children again');

      // Another client adds a child: the watch fires, and the next listing asks the server.
      await seeder.create('/t/big/item-0000a');
      await sleep(300);
      const after = await provider.getChildren(big);
      assert.deepEqual(listed, ['/t/big']);
      assert.ok(rowsOf(after).some((r) => r.path === '/t/big/item-0000a'), 'the new child is listed');
    } finally {
      client.getChildren = original;
    }
  });

  it('labels a name with a right-to-left override as an escape; its tooltip keeps the exact name', async () => {
    const rows = rowsOf(await provider.getChildren(provider.znode('itest', '/t/names')));
    assert.equal(rows[0].path, '/t/names/\u202Ertl');
    const item = provider.getTreeItem(rows[0]);
    assert.equal(item.label, '\\u202Ertl');
    assert.equal(item.description, '6 B');
    const resolved = await provider.resolveTreeItem(item, rows[0]);
    const tooltip = (resolved.tooltip as unknown as MarkdownString).value;
    assert.ok(tooltip.includes('\u2068\u202Ertl\u2069'), `the exact name, isolated: ${JSON.stringify(tooltip)}`);
    assert.match(tooltip, /U\+202E/);
  });

  it("lists a kazoo lock queue by sequence number, its first as 'holder / leader'", async () => {
    const rows = rowsOf(await provider.getChildren(provider.znode('itest', '/t/queue')));
    assert.deepEqual(rows.map((r) => r.path), queue!.nodes);
    assert.match(String(provider.getTreeItem(rows[0]).description), /ephemeral · holder \/ leader$/);
    assert.match(String(provider.getTreeItem(rows[1]).description), /^\d+ B · ephemeral$/);
  });
});
