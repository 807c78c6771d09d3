// The tree provider (src/tree/znodeTreeProvider.ts) on the fake vscode module, a fake connection
// and a stand-in for VS Code's side of the tree (test/fakes/treeHost.ts): redrawing a row (a state
// change of its connection) must not leave VS Code without the row's children while the user
// expands one of them ("No tree item with id '1/znode:…' found", issue 14 item 3); Refresh and a
// fired child watch still ask the server.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { EventEmitter } from '../fakes/vscode';
import { FakeTreeHost } from '../fakes/treeHost';
import type { ConnectionRegistry } from '../../src/connections/connectionRegistry';
import type { ZnodeStat } from '../../src/zk/stat';

// Loaded after the fake: it imports 'vscode'.
const { ZnodeTreeProvider } = require('../../src/tree/znodeTreeProvider') as typeof import('../../src/tree/znodeTreeProvider');
type TreeNode = import('../../src/tree/treeNodes').TreeNode;

function stat(numChildren: number): ZnodeStat {
  const t = new Date(0);
  return { czxid: '0x1', mzxid: '0x1', pzxid: '0x1', ctime: t, mtime: t, version: 0, cversion: 0, aversion: 0, ephemeralOwner: '0x0', dataLength: 0, numChildren };
}

/** One connection "sandbox" to a fixed tree: / has app, /app has flags. Counts the listings per path. */
function fakeRegistry() {
  const tree: Record<string, string[]> = { '/': ['app'], '/app': ['flags'], '/app/flags': [] };
  const listings: string[] = [];
  const watchers = new Map<string, () => void>();
  const status = new EventEmitter<{ name: string; status: { state: string; server?: string } }>();
  const client = {
    sessionId: '0x1',
    getChildren: async (path: string, watcher?: () => void) => {
      listings.push(path);
      if (watcher) watchers.set(path, watcher);
      return { children: [...tree[path]], stat: stat(tree[path].length) };
    },
    exists: async (path: string) => stat(tree[path]?.length ?? 0),
    removeWatches: async () => undefined,
  };
  const connection = {
    name: 'sandbox',
    state: 'connected',
    readOnly: false,
    connectString: '127.0.0.1:2181',
    client,
    getStatus: () => ({ state: connection.state, server: '127.0.0.1:2181' }),
    on: () => connection,
    off: () => connection,
  };
  const registry = {
    names: () => ['sandbox'],
    connections: () => [connection],
    get: (name: string) => (name === 'sandbox' ? connection : undefined),
    configs: () => [{ name: 'sandbox', connectString: connection.connectString }],
    open: async () => true,
    onDidChangeConnections: () => ({ dispose: () => undefined }),
    onDidChangeStatus: status.event,
  } as unknown as ConnectionRegistry;
  return { registry, listings, status, tree, watchers, connection };
}

describe('tree provider: what VS Code knows while a row is redrawn', () => {
  it('a connection row redrawn for its state keeps its children known: expanding one right after logs no "No tree item with id"', async () => {
    const { registry, listings, status, connection } = fakeRegistry();
    const provider = new ZnodeTreeProvider(registry);
    const host = new FakeTreeHost<TreeNode>(provider);
    try {
      const [root] = await host.expand();
      const [app] = await host.expand(root);
      assert.equal(app, '1/znode:sandbox\u0000/app');
      assert.deepEqual(listings, ['/']);

      // The connection's state changes (reconnected to a server): its row is drawn again, and the
      // user expands /app at once.
      connection.state = 'reconnecting';
      status.fire({ name: 'sandbox', status: { state: 'reconnecting' } });
      connection.state = 'connected';
      status.fire({ name: 'sandbox', status: { state: 'connected', server: '127.0.0.1:2181' } });
      await host.settle();
      const flags = await host.expand(app);
      assert.deepEqual(host.errors, []);
      assert.deepEqual(flags, ['1/znode:sandbox\u0000/app/flags']);
      assert.deepEqual(listings, ['/', '/app'], 'the root was not listed again: its watch has not fired');
    } finally {
      host.dispose();
      provider.dispose();
    }
  });

  it('a change notified while the listing before it is on its way back is listed: that listing is not taken as current', async () => {
    // Under churn the server's reply to getChildren and the notification of the next change can
    // arrive in one socket read: the notification is handled before the reply's listing is kept.
    const { registry, tree, watchers, connection } = fakeRegistry();
    const provider = new ZnodeTreeProvider(registry);
    const root = provider.connectionNode('sandbox');
    const names = (rows: TreeNode[]) => rows.map((r) => (r.kind === 'znode' ? r.path : r.kind));
    const listed = connection.client.getChildren;
    try {
      await provider.getChildren(root);
      tree['/'] = ['app', 'a'];
      connection.client.getChildren = async (path: string, watcher?: () => void) => {
        const reply = await listed(path, watcher);
        tree['/'] = ['app', 'a', 'b']; // changed right after the server answered
        watcher?.();
        return reply;
      };
      watchers.get('/')!();
      await new Promise((r) => setTimeout(r, 400)); // the listing gap (LISTING_GAP_MS)
      assert.deepEqual(names(await provider.getChildren(root)), ['/a', '/app']);
      connection.client.getChildren = listed;
      await new Promise((r) => setTimeout(r, 400));
      assert.deepEqual(names(await provider.getChildren(root)), ['/a', '/app', '/b']);
    } finally {
      connection.client.getChildren = listed;
      provider.dispose();
    }
  });

  it('a disposed provider stops following its connections\' session renewals (no listener left behind)', () => {
    const { registry, connection } = fakeRegistry();
    const events = new (require('node:events').EventEmitter)();
    Object.assign(connection, { on: events.on.bind(events), off: events.off.bind(events) });
    for (let i = 0; i < 20; i++) new ZnodeTreeProvider(registry).dispose();
    assert.equal(events.listenerCount('sessionRenewed'), 0);
    const provider = new ZnodeTreeProvider(registry);
    assert.equal(events.listenerCount('sessionRenewed'), 1);
    provider.dispose();
  });

  it('lists again when the child watch fired, and on Refresh', async () => {
    const { registry, listings, tree, watchers } = fakeRegistry();
    const provider = new ZnodeTreeProvider(registry);
    const host = new FakeTreeHost<TreeNode>(provider);
    try {
      const [root] = await host.expand();
      await host.expand(root);
      tree['/'] = ['app', 'new'];
      watchers.get('/')!();
      await new Promise((r) => setTimeout(r, 400)); // the listing gap (LISTING_GAP_MS) after the first listing
      const rows = await host.expand(root);
      assert.deepEqual(rows, ['1/znode:sandbox\u0000/app', '1/znode:sandbox\u0000/new']);
      assert.deepEqual(listings, ['/', '/']);

      await provider.refresh(provider.connectionNode('sandbox'));
      await new Promise((r) => setTimeout(r, 400));
      await host.expand(root);
      assert.deepEqual(listings, ['/', '/', '/']);
      assert.deepEqual(host.errors, []);
    } finally {
      host.dispose();
      provider.dispose();
    }
  });
});
