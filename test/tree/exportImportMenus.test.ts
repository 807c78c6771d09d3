// Unit test of package.json: Export Subtree… and Import Subtree… are contributed, and their
// context-menu when-clauses show them on the right rows (Import never on a read-only connection,
// nor under an ephemeral node, which cannot have children). The clauses are evaluated against the
// context values the tree gives its rows (znodeTreeProvider.ts).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
  };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.nls.json'), 'utf8')) as Record<string, string>;

/** Evaluates the when-clauses used here: `a && b`, `view == x`, `viewItem =~ /re/`, `!(viewItem =~ /re/)`. */
function shown(when: string, viewItem: string): boolean {
  return when.split(' && ').every((term) => {
    const t = term.trim();
    if (t === 'view == zookeeper.explorer') return true;
    const m = /^(!\()?viewItem =~ \/(.*)\/\)?$/.exec(t);
    if (!m) throw new Error(`unexpected term in a when-clause: ${t}`);
    const matches = new RegExp(m[2]).test(viewItem);
    return m[1] ? !matches : matches;
  });
}

function rowMenu(command: string): string {
  const entries = manifest.contributes.menus['view/item/context'].filter((m) => m.command === command);
  assert.equal(entries.length, 1, `${command} in the row context menu once`);
  return entries[0].when ?? '';
}

describe('package.json: Export Subtree… and Import Subtree…', () => {
  it('contributes both commands in the ZooKeeper category with icons, also in the palette', () => {
    const cmd = (id: string) => {
      const c = manifest.contributes.commands.find((x) => x.command === id);
      return c && { ...c, title: c.title.replace(/^%([^%]+)%$/, (_, key: string) => nls[key]) };
    };
    assert.deepEqual(cmd('zookeeper.exportSubtree'), { command: 'zookeeper.exportSubtree', title: 'Export Subtree…', category: 'ZooKeeper', icon: '$(export)' });
    assert.deepEqual(cmd('zookeeper.importSubtree'), { command: 'zookeeper.importSubtree', title: 'Import Subtree…', category: 'ZooKeeper', icon: '$(desktop-download)' });
    const hidden = manifest.contributes.menus.commandPalette.filter((m) => m.command.endsWith('Subtree'));
    assert.deepEqual(hidden, [], 'not hidden from the palette');
  });

  it('offers Export on every znode row and on connected connection rows', () => {
    const when = rowMenu('zookeeper.exportSubtree');
    for (const v of ['znode.rw', 'znode.ro', 'znode.rw.ephemeral', 'znode.ro.parent.filtered', 'connection.connected.rw', 'connection.readOnlyServer.ro', 'connection.connected.ro.filtered']) {
      assert.ok(shown(when, v), `Export on ${v}`);
    }
    for (const v of ['connection.idle.rw', 'connection.connecting.rw', 'connection.sessionExpired.rw', 'loadMore', 'error']) assert.ok(!shown(when, v), `no Export on ${v}`);
  });

  it('offers Import only where a write can go: never read-only, never under an ephemeral node', () => {
    const when = rowMenu('zookeeper.importSubtree');
    for (const v of ['znode.rw', 'znode.rw.parent', 'znode.rw.parent.filtered', 'connection.connected.rw', 'connection.connected.rw.filtered']) assert.ok(shown(when, v), `Import on ${v}`);
    for (const v of [
      'znode.ro', 'znode.ro.parent', 'znode.rw.ephemeral', 'connection.connected.ro', 'connection.readOnlyServer.rw', 'connection.readOnlyServer.ro',
      'connection.idle.rw', 'connection.reconnecting.rw', 'loadMore', 'message',
    ]) {
      assert.ok(!shown(when, v), `no Import on ${v}`);
    }
  });
});
