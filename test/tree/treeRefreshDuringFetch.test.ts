// The tree provider on VS Code 1.85's tree view (test/fakes/treeHost185.ts): a row refreshed while
// VS Code fetches children at or below it made 1.85 register the same ids twice ("Element with id
// znode:… is already registered", seen in code-server 4.20.0 after the first expand: the connection
// row was redrawn for its new state while its children were fetched). The provider redraws the row
// at once and answers the outdated fetch with a placeholder without an id (src/zk/refreshGate.ts),
// and gives each row once even when a server sends a name twice.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { FakeRegistry, stat } from '../fakes/fakeRegistry';
import { FakeTreeHost185 } from '../fakes/treeHost185';
import type { ConnectionState } from '../../src/zk/ensembleConnection';

// Loaded after the fake: it imports 'vscode'.
const { ZnodeTreeProvider } = require('../../src/tree/znodeTreeProvider') as typeof import('../../src/tree/znodeTreeProvider');
type TreeNode = import('../../src/tree/treeNodes').TreeNode;

const SERVER = '127.0.0.1:2181';
const id = (path: string) => `1/znode:sandbox\u0000${path}`;

/** One connection "sandbox" to a fixed tree; a listing of a path in `held` waits until released. */
function sandbox(initial: ConnectionState) {
  const tree: Record<string, string[]> = { '/': ['app', 'big'], '/app': ['flags'], '/app/flags': [], '/big': [] };
  const held = new Map<string, Promise<void>>();
  const releases = new Map<string, () => void>();
  const client = {
    sessionId: '0x1',
    async getChildren(path: string) {
      await held.get(path);
      return { children: [...tree[path]], stat: stat({ numChildren: tree[path].length }) };
    },
    exists: async (path: string) => stat({ numChildren: tree[path]?.length ?? 0 }),
    removeWatches: async () => undefined,
  };
  const connection = {
    name: 'sandbox', state: initial, readOnly: false, connectString: SERVER, client,
    getStatus: () => ({ state: connection.state, server: SERVER }),
    on: () => connection,
    off: () => connection,
  };
  const registry = new FakeRegistry().set({ name: 'sandbox', connectString: SERVER }, connection);
  const setState = (state: ConnectionState) => {
    connection.state = state;
    registry.fireStatus('sandbox', { state, server: SERVER });
  };
  return {
    registry, tree, connection, setState,
    hold(path: string) {
      held.set(path, new Promise<void>((resolve) => releases.set(path, resolve)));
    },
    release(path: string) {
      held.delete(path);
      releases.get(path)?.();
    },
  };
}

async function settled(host: FakeTreeHost185<TreeNode>): Promise<void> {
  for (let i = 0; i < 10; i++) await host.settle();
}

describe('tree provider on VS Code 1.85: no refresh while children are fetched', () => {
  it('expanding a connection that connects: its row redrawn for the new state registers no id twice', async () => {
    const s = sandbox('idle');
    let opened!: () => void;
    const opening = new Promise<void>((resolve) => (opened = resolve));
    s.registry.open = async () => {
      s.setState('connecting');
      await opening;
      s.setState('connected');
      return s.connection;
    };
    const provider = new ZnodeTreeProvider(s.registry.asRegistry());
    const host = new FakeTreeHost185<TreeNode>(provider);
    try {
      const [root] = await host.expand();
      const expanding = host.expand(root);
      await settled(host); // the row's refresh for "connecting" comes while its children are fetched
      opened();
      const first = await expanding;
      await settled(host);
      assert.deepEqual(host.errors, []);
      // The answer the redraw outdated is a placeholder without an id; VS Code asked again after it.
      assert.deepEqual(first, ['1/Loading']);
      assert.deepEqual(host.shown(root), [id('/app'), id('/big')]);
    } finally {
      host.dispose();
      provider.dispose();
    }
  });

  it('a connection that cannot connect keeps its "not connected" row although the row was redrawn meanwhile', async () => {
    const s = sandbox('idle');
    let failed!: () => void;
    const failing = new Promise<void>((resolve) => (failed = resolve));
    s.registry.open = async () => {
      s.setState('connecting');
      await failing;
      return undefined; // the connect timed out; the client keeps retrying ("connecting")
    };
    const provider = new ZnodeTreeProvider(s.registry.asRegistry());
    const host = new FakeTreeHost185<TreeNode>(provider);
    try {
      const [root] = await host.expand();
      const expanding = host.expand(root);
      await settled(host);
      failed();
      assert.deepEqual(await expanding, ['1/not connected']);
      assert.deepEqual(host.errors, []);
    } finally {
      host.dispose();
      provider.dispose();
    }
  });

  it('a connection row redrawn while a row below it is fetched registers no id twice', async () => {
    const s = sandbox('connected');
    const provider = new ZnodeTreeProvider(s.registry.asRegistry());
    const host = new FakeTreeHost185<TreeNode>(provider);
    try {
      const [root] = await host.expand();
      const [app] = await host.expand(root);
      s.hold('/app');
      const expanding = host.expand(app);
      await settled(host);
      // The session moves to another server meanwhile: the connection row is drawn again.
      s.setState('reconnecting');
      s.setState('connected');
      await settled(host);
      s.release('/app');
      await expanding;
      await settled(host);
      assert.deepEqual(host.errors, []);
      assert.deepEqual(host.shown(root), [id('/app'), id('/big')]);
      assert.deepEqual(host.shown(app), [id('/app/flags')]);
    } finally {
      host.dispose();
      provider.dispose();
    }
  });

  it('a name the server sends twice is one row', async () => {
    const s = sandbox('connected');
    s.tree['/'] = ['app', 'big', 'app'];
    const provider = new ZnodeTreeProvider(s.registry.asRegistry());
    const host = new FakeTreeHost185<TreeNode>(provider);
    try {
      const [root] = await host.expand();
      const rows = await host.expand(root);
      assert.deepEqual(host.errors, []);
      assert.deepEqual(rows, [id('/app'), id('/big')]);
    } finally {
      host.dispose();
      provider.dispose();
    }
  });
});
