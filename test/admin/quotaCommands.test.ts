// Set Quota… and Remove Quota as adapters (on the fake vscode): shown only on writable rows, Show
// Sessions on connected connections (package.json's when-clauses against the rows' context
// values), and refused before anything is asked on a read-only or chrooted connection.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { window } from '../fakes/vscode';
import { QuotaCommands } from '../../src/admin/quotaCommands';
import type { ConnectionRegistry } from '../../src/connections/connectionRegistry';
import type { QuotaIndex } from '../../src/admin/quotaIndex';

interface Manifest {
  contributes: { menus: Record<string, { command: string; when?: string }[]> };
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

function shownOn(command: string, viewItem: string): boolean {
  const entry = manifest.contributes.menus['view/item/context'].find((m) => m.command === command);
  assert.ok(entry?.when, `${command} is on the row context menu`);
  return entry.when.split(' && ').every((term) => {
    if (term.trim() === 'view == zookeeper.explorer') return true;
    const m = /^viewItem =~ \/(.*)\/$/.exec(term.trim());
    if (!m) throw new Error(`unexpected term ${term}`);
    return new RegExp(m[1]).test(viewItem);
  });
}

describe('quota commands (adapter)', () => {
  it('Set Quota… and Remove Quota only on writable nodes; Show Sessions on connected connections', () => {
    for (const cmd of ['zookeeper.setQuota', 'zookeeper.removeQuota']) {
      assert.equal(shownOn(cmd, 'znode.rw.parent'), true);
      assert.equal(shownOn(cmd, 'znode.ro.parent'), false, 'a read-only connection or server offers no quota change');
      assert.equal(shownOn(cmd, 'connection.connected.rw'), false);
    }
    assert.equal(shownOn('zookeeper.showSessions', 'connection.connected.ro'), true);
    assert.equal(shownOn('zookeeper.showSessions', 'connection.idle.rw'), false);
  });

  const commandsFor = (connection: object) => {
    const registry = { get: () => connection, open: async () => connection } as unknown as ConnectionRegistry;
    return new QuotaCommands(registry, { refresh: async () => undefined } as unknown as QuotaIndex);
  };
  const asked: string[] = [];
  const original = window.showInputBox;
  beforeEach(() => {
    asked.length = 0;
    (window as { showInputBox: unknown }).showInputBox = async (o: { title?: string }) => {
      asked.push(o.title ?? '');
      return undefined;
    };
  });
  afterEach(() => {
    (window as { showInputBox: unknown }).showInputBox = original;
  });

  it('refuses a read-only connection before asking anything, and says how to allow writes', async () => {
    const c = commandsFor({ name: 'prod', readOnly: true, chroot: undefined, client: {} });
    await assert.rejects(c.setQuota({ connectionName: 'prod', path: '/app' }), /Connection "prod" is read-only: quotas cannot be changed from it\. Clear "readOnly"/);
    await assert.rejects(c.removeQuota({ connectionName: 'prod', path: '/app' }), /read-only/);
    assert.deepEqual(asked, []);
  });

  it('refuses a chrooted connection: /zookeeper/quota is outside its view', async () => {
    const c = commandsFor({ name: 'kafka', readOnly: false, chroot: '/kafka', client: {} });
    await assert.rejects(c.setQuota({ connectionName: 'kafka', path: '/brokers' }), /has the chroot \/kafka: quotas live in \/zookeeper\/quota outside it/);
    assert.deepEqual(asked, []);
  });
});
