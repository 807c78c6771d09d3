// The tree provider on the fake vscode module: children come a page at a time with a "Load more…"
// row, Load more and filters work on the names already listed (no second listing), a filter that
// matches nothing says so, a revealed node is shown beyond the page, Refresh lists again, and a
// listing error is a row, not a pop-up.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { setConfiguration } from '../fakes/vscode';
import { FakeRegistry, stat } from '../fakes/fakeRegistry';
import { ZnodeTreeProvider } from '../../src/tree/znodeTreeProvider';
import type { TreeNode } from '../../src/tree/treeNodes';
import { COMMANDS } from '../../src/ui/commandIds';
import { ZkError } from '../../src/zk/errors';

/** A connected ensemble whose root has `names` as children; counts the listings. */
function connectedWith(names: string[]) {
  const calls = { getChildren: 0 };
  let failWith: Error | undefined;
  const client = {
    async getChildren(path: string) {
      calls.getChildren++;
      if (failWith) throw failWith;
      return { children: path === '/' ? [...names] : [], stat: stat({ numChildren: path === '/' ? names.length : 0 }) };
    },
    async exists() {
      return stat();
    },
    async removeWatches() {},
  };
  const connection = {
    name: 'a', state: 'connected', readOnly: false, connectString: '127.0.0.1:2181', chroot: undefined, client,
    getStatus: () => ({ state: 'connected' }),
    on: () => undefined,
    off: () => undefined,
  };
  return { connection, calls, fail: (e: Error | undefined) => (failWith = e) };
}

const rowNames = (rows: TreeNode[]) => rows.map((r) => (r.kind === 'znode' ? r.path : r.kind === 'loadMore' ? `+${r.remaining}` : r.kind === 'message' ? `!${r.text}` : r.connectionName));

describe('tree provider: paging and filters', () => {
  const names = Array.from({ length: 25 }, (_, i) => `n${String(i).padStart(3, '0')}`);
  let provider: ZnodeTreeProvider;
  let fake: ReturnType<typeof connectedWith>;

  beforeEach(() => {
    setConfiguration('zookeeper.tree.pageSize', 10);
    fake = connectedWith(names);
    provider = new ZnodeTreeProvider(new FakeRegistry().set({ name: 'a', connectString: '127.0.0.1:2181' }, fake.connection).asRegistry());
  });
  afterEach(() => {
    provider.dispose();
    setConfiguration('zookeeper.tree.pageSize', undefined);
  });

  it('shows a page, then Load more adds the next one from the names already listed', async () => {
    const root = provider.connectionNode('a');
    const first = await provider.getChildren(root);
    assert.deepEqual(rowNames(first), [...names.slice(0, 10).map((n) => `/${n}`), '+15']);
    const more = first[10];
    const item = provider.getTreeItem(more);
    assert.equal(item.label, 'Load more… (15 more)');
    assert.equal(item.command?.command, COMMANDS.loadMore);

    provider.loadMore(root);
    assert.deepEqual(rowNames(await provider.getChildren(root)), [...names.slice(0, 20).map((n) => `/${n}`), '+5']);
    provider.loadMore(root);
    assert.deepEqual(rowNames(await provider.getChildren(root)), names.map((n) => `/${n}`));
    assert.equal(fake.calls.getChildren, 1, 'paging lists the server once');
  });

  it('filters the listed names, says when nothing matches, and clears', async () => {
    const root = provider.connectionNode('a');
    await provider.getChildren(root);
    provider.setFilter(root, '  n01*  ');
    assert.equal(provider.getFilter(root), 'n01*');
    assert.deepEqual(rowNames(await provider.getChildren(root)), names.slice(10, 20).map((n) => `/${n}`));
    provider.setFilter(root, 'zzz');
    assert.deepEqual(rowNames(await provider.getChildren(root)), ['!No children match "zzz"']);
    provider.setFilter(root, '');
    assert.equal(provider.getFilter(root), undefined);
    assert.deepEqual(rowNames(await provider.getChildren(root)), [...names.slice(0, 10).map((n) => `/${n}`), '+15']);
    assert.equal(fake.calls.getChildren, 1, 'filters work on the names already listed');
  });

  it('shows a revealed node beyond the page; Refresh lists again', async () => {
    const root = provider.connectionNode('a');
    provider.pinPath('a', '/n024');
    const rows = rowNames(await provider.getChildren(root));
    assert.ok(rows.includes('/n024'), JSON.stringify(rows));
    assert.equal(rows.filter((r) => r.startsWith('/')).length, 11, 'the page plus the pinned node');
    await provider.refresh(root);
    await provider.getChildren(root);
    assert.equal(fake.calls.getChildren, 2);
  });

  it('pages a node of 100,000 children with the event loop running in between (no one long block)', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `member-${String((i * 7919) % 100_000).padStart(10, '0')}`);
    const big = connectedWith(many);
    const bigProvider = new ZnodeTreeProvider(new FakeRegistry().set({ name: 'a', connectString: '127.0.0.1:2181' }, big.connection).asRegistry());
    try {
      // Turns of the event loop that pass while the first page is worked out (setImmediate runs
      // once per turn): with all 100,000 names handled in one go, none or one would.
      let turns = 0;
      let ticking = true;
      const tick = () => {
        turns++;
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      const rows = await bigProvider.getChildren(bigProvider.connectionNode('a'));
      ticking = false;
      assert.deepEqual(rowNames(rows).slice(0, 3), ['/member-0000000000', '/member-0000000001', '/member-0000000002']);
      assert.equal(rowNames(rows).at(-1), '+99990');
      assert.ok(turns >= 5, `${turns} turns of the event loop during the expand`);
    } finally {
      bigProvider.dispose();
    }
  });

  it('a listing error is a row with the short reason first and the whole message after it', async () => {
    const root = provider.connectionNode('a');
    fake.fail(new ZkError('NOAUTH', 'Not authorized to list the children of /: insufficient ACL'));
    const [row] = await provider.getChildren(root);
    assert.equal(row.kind, 'message');
    assert.ok(row.kind === 'message' && row.isError);
    assert.equal(row.kind === 'message' && row.text, 'not authorized');
    assert.equal(provider.getTreeItem(row).tooltip, 'Not authorized to list the children of /: insufficient ACL');
  });
});
