// The "Snapshots and Logs" view in the user's language (on the fake vscode, with a marking l10n.t):
// the label of an opened group of logs, the tooltips of a snapshot, a node and a transaction. Paths,
// ids, numbers and ZooKeeper's own words (operation names, stat fields) stay as they are.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { MarkdownString, type TreeItem } from '../fakes/vscode';
import { useTranslate } from '../fakes/translateSwap';
import { marking, untranslated } from '../zk/markingTranslate';
import { OfflineSources } from '../../src/history/offlineSources';
import { OfflineTreeProvider } from '../../src/history/offlineTree';
import { versionLabel } from '../../src/history/historyCommands';
import { multiParts, txnSummary, type Snapshot, type TxnEntry } from '../../src/zk/persistence';
import { damage } from '../../src/zk/persistence/damage';
import { msg } from '../../src/zk/message';

const stat = (ephemeralOwner: bigint) => ({ czxid: 2n, mzxid: 3n, ctime: 0, mtime: 1000, version: 1, cversion: 0, aversion: 0, ephemeralOwner, pzxid: 2n });
const node = (path: string, owner = 0n) => ({ path, aclRef: -1, dataLength: 4, data: Buffer.from('data'), stat: stat(owner) });

function snapshot(): Snapshot {
  return {
    file: '/data/version-2/snapshot.1a',
    compression: 'gzip',
    header: {} as never,
    sessions: [{ id: 0x100n, timeoutMs: 30000 }],
    acls: new Map(),
    nodes: new Map([
      ['/', node('/')],
      ['/eph', node('/eph', 0x100n)],
      ['/gone', node('/gone', 0x999n)],
      ['/ttl', node('/ttl', BigInt.asIntN(64, 0xff00000000001000n))],
    ]) as never,
    children: new Map([['/', ['eph', 'gone', 'ttl']]]),
    damage: damage('truncated', 300, msg('the snapshot is cut short ({0} more byte(s) needed)', 3)),
  };
}

const multi: TxnEntry = {
  header: { clientId: 0x100n, cxid: 7, zxid: 0x1fn, time: 0, type: 14 },
  op: { type: 'multi', parts: [{ type: 'setData', path: '/a', data: Buffer.from('x'), dataLength: 1, version: 1 }, { type: 'error', err: -101 }] },
  offset: 16,
  size: 64,
};
const session: TxnEntry = { header: { clientId: 0x100n, cxid: 0, zxid: 0x20n, time: 0, type: -10 }, op: { type: 'createSession', timeout: 30000 }, offset: 80, size: 40 };

function tooltipLines(item: TreeItem): string[] {
  const tip = item.tooltip as unknown;
  if (tip instanceof MarkdownString) return tip.value.split('\n\n').filter(Boolean);
  return String(tip).split('\n');
}

describe("the Snapshots and Logs view in the user's language", () => {
  useTranslate(marking);

  it('the transaction words (sessions, errors, multis) go through the Translate; operation names and paths do not', () => {
    assert.equal(txnSummary(multi), '0x1f multi /a (2 part(s), failed (nothing applied))');
    assert.equal(txnSummary(multi, marking), '0x1f multi /a («2 part(s), failed (nothing applied)»)');
    assert.deepEqual(multiParts(multi, marking), ['setData /a', 'error «error -101»']);
    assert.equal(txnSummary(session, marking), '0x20 createSession «timeout 30000 ms»');
  });

  it("a version in a node's history says which multi it was part of through the Translate", () => {
    assert.equal(versionLabel({ zxid: 0x1fn, change: 'setData', multiSize: 3 }), '«0x1f setData (in a multi of 3)»');
    assert.equal(versionLabel({ zxid: 0x1fn, change: 'setData' }), '0x1f setData');
  });

  it('an opened group of logs is labelled in the user language and found again by where it was opened from', () => {
    const sources = new OfflineSources();
    const folder = sources.addLogs('/data/version-2', ['/data/version-2/log.1', '/data/version-2/log.2']);
    assert.equal(folder.label, '«2 transaction log(s) in /data/version-2»');
    const file = sources.addLogs('/data/version-2/log.1', ['/data/version-2/log.1']);
    assert.equal(file.label, '«log.1 of version-2»');
    assert.equal(sources.addLogs('/tmp/saved.bin', ['/tmp/saved.bin']).label, '«saved.bin in tmp»');
    // Opening the same folder (or file) again replaces its group, whatever the label's language.
    sources.addLogs('/data/version-2', ['/data/version-2/log.1']);
    sources.addLogs('/data/version-2/log.1', ['/data/version-2/log.1']);
    assert.deepEqual(
      sources.list().map((s) => s.label),
      ['«saved.bin in tmp»', '«1 transaction log(s) in /data/version-2»', '«log.1 of version-2»'],
    );
    sources.dispose();
  });

  it('the tooltips of a snapshot (and its damage), its nodes and a transaction are worded through the Translate', async () => {
    const sources = new OfflineSources();
    const snap = sources.addSnapshot('/data/version-2/snapshot.1a', snapshot());
    const logs = sources.addLogs('/data/version-2', ['/data/version-2/log.1']);
    sources.setFilter(logs.id, { pathPrefix: '/app', session: 0x100n });
    const tree = new OfflineTreeProvider(sources, {} as never);

    const root = tooltipLines(tree.getTreeItem({ kind: 'snapshotRoot', sourceId: snap.id }) as unknown as TreeItem);
    assert.equal(root[0], '/data/version-2/snapshot.1a');
    for (const line of root.slice(1)) assert.equal(untranslated(line).replace(/^⚠ /, ''), '', line);
    assert.equal(root[1], '«gzip, 4 nodes, 1 session(s)»');
    assert.equal(root[2], '⚠ ««the snapshot is cut short (3 more byte(s) needed)» at byte 300»');
    const [note] = await tree.getChildren({ kind: 'snapshotRoot', sourceId: snap.id });
    assert.equal(note.kind === 'note' && note.text, '««the snapshot is cut short (3 more byte(s) needed)» at byte 300»');

    // The stat lines (czxid…, ctime…, version…) are ZooKeeper's field names with values: kept.
    const statLine = /^(czxid|ctime|version) /;
    for (const path of ['/eph', '/gone', '/ttl', '/']) {
      const lines = tooltipLines(tree.getTreeItem({ kind: 'offlineZnode', sourceId: snap.id, path }) as unknown as TreeItem);
      assert.equal(lines.length, 6, lines.join('|'));
      for (const line of lines.filter((l) => !statLine.test(l))) assert.equal(untranslated(line), '', `${path}: ${line}`);
    }

    assert.equal(tree.getTreeItem({ kind: 'offlineZnode', sourceId: snap.id, path: '/eph' }).description, '4 B · «ephemeral»', 'as the live tree says it');
    const logsRoot = tree.getTreeItem({ kind: 'logsRoot', sourceId: logs.id }) as unknown as TreeItem;
    assert.equal(untranslated(String(logsRoot.description)), '', String(logsRoot.description));

    const row = { entry: multi, file: '/data/version-2/log.1', paths: ['/a'], dataBytes: 1 };
    const txn = tooltipLines(tree.getTreeItem({ kind: 'txn', sourceId: logs.id, row }) as unknown as TreeItem);
    assert.deepEqual(txn, [
      '0x1f multi /a («2 part(s), failed (nothing applied)»)',
      '«time 1970-01-01T00:00:00.000Z»',
      '«session 0x100, cxid 7»',
      '  setData /a',
      '  error «error -101»',
      '/data/version-2/log.1 @ 16',
    ]);
    tree.dispose();
    sources.dispose();
  });
});
