// A znode row's description in the user's language (on the fake vscode, with a marking l10n.t):
// the filter set on it and the recipe role of an ephemeral holder, like the connection row's.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { FakeRegistry, stat } from '../fakes/fakeRegistry';
import { useTranslate } from '../fakes/translateSwap';
import { marking } from '../zk/markingTranslate';
import { ZnodeTreeProvider } from '../../src/tree/znodeTreeProvider';
import type { TreeNode } from '../../src/tree/treeNodes';

const CHILDREN: Record<string, string[]> = { '/': ['locks'], '/locks': ['lock-0000000001', 'lock-0000000002'] };

describe("tree rows: a znode's description in the user's language", () => {
  useTranslate(marking);
  let provider: ZnodeTreeProvider;

  beforeEach(() => {
    const client = {
      async getChildren(path: string) {
        const children = CHILDREN[path] ?? [];
        return { children: [...children], stat: stat({ numChildren: children.length }) };
      },
      async exists() {
        return stat({ numChildren: 2 });
      },
      async removeWatches() {},
    };
    const connection = { name: 'a', state: 'connected', readOnly: false, connectString: '127.0.0.1:2181', chroot: undefined, client, getStatus: () => ({ state: 'connected' }), on: () => undefined, off: () => undefined };
    provider = new ZnodeTreeProvider(new FakeRegistry().set({ name: 'a', connectString: '127.0.0.1:2181' }, connection).asRegistry());
  });
  afterEach(() => provider.dispose());

  it('the filter on a node and the role of a lock holder', async () => {
    const [locks] = (await provider.getChildren(provider.connectionNode('a'))) as Extract<TreeNode, { kind: 'znode' }>[];
    assert.equal(locks.path, '/locks');
    locks.stat = stat({ numChildren: 2 });
    provider.setFilter(locks, 'lock-*');
    assert.match(String(provider.getTreeItem(locks).description), /«filter: lock-\*»$/);
    const rows = (await provider.getChildren(locks)) as Extract<TreeNode, { kind: 'znode' }>[];
    const first = rows.find((r) => r.path === '/locks/lock-0000000001')!;
    first.stat = stat({ ephemeralOwner: '0x5' });
    assert.match(String(provider.getTreeItem(first).description), /«holder»/);
  });
});
