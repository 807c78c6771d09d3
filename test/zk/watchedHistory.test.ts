// The watch log as history: change lines (made by the watch's own diff of two reads) carry the zxid
// the node's stat had after the change; the data changes are kept per node, bounded, and merged with
// the transaction logs' versions, one entry per zxid, saying where each was seen.
import * as assert from 'node:assert/strict';
import type { HistoryVersion } from '../../src/zk/persistence';
import { mergeHistory, WatchedChanges } from '../../src/zk/watchedHistory';
import { diffSnapshot } from '../../src/zk/watches/diff';
import type { ChangeType, NodeSnapshot, Observation } from '../../src/zk/watches';

const data = (s: string) => ({ head: Buffer.from(s), size: Buffer.byteLength(s) });
const ctx = (triggers: ChangeType[]) => ({ connection: 'local', path: '/cfg', time: 1000, triggers: new Set(triggers), dataNotifications: 1, children: false });
const known = (f: Partial<NodeSnapshot>): NodeSnapshot => ({ exists: true, czxid: '0x5', mzxid: '0x5', version: 0, cversion: 0, data: data('v0'), ...f });
const read = (f: Partial<Observation>): Observation => ({ exists: true, czxid: '0x5', mzxid: '0x5', version: 0, cversion: 0, data: data('v0'), ...f });

function logVersion(zxid: bigint, change: string, d?: string): HistoryVersion {
  return { zxid, time: 0, session: 1n, change, data: d === undefined ? undefined : Buffer.from(d), file: '/d/log.1', offset: Number(zxid) };
}

describe('the watch log as history', () => {
  it('a data change line carries the mzxid read after it; a created line too; a deletion has none', () => {
    const [changed] = diffSnapshot(known({}), read({ mzxid: '0x1f', version: 1, data: data('v1') }), ctx(['dataChanged']));
    assert.equal(changed.zxid, '0x1f');
    const [created] = diffSnapshot({ exists: false }, read({ mzxid: '0x20', czxid: '0x20' }), ctx(['created']));
    assert.equal(created.zxid, '0x20');
    const [deleted] = diffSnapshot(known({}), { exists: false }, ctx(['deleted']));
    assert.equal(deleted.zxid, undefined);
  });

  it('keeps the data changes per connection and node, newest first, with their data and whether it is whole', () => {
    const w = new WatchedChanges();
    const lines = [
      ...diffSnapshot({ exists: false }, read({ mzxid: '0x20', czxid: '0x20', data: data('first') }), ctx(['created'])),
      ...diffSnapshot(known({ czxid: '0x20', mzxid: '0x20' }), read({ czxid: '0x20', mzxid: '0x2a', version: 3, data: { head: Buffer.from('abc'), size: 9000 } }), ctx(['dataChanged'])),
      ...diffSnapshot(known({ czxid: '0x20' }), { exists: false }, ctx(['deleted'])),
    ];
    for (const l of lines) w.record(l);
    w.record({ kind: 'notice', time: 0, connection: 'local', level: 'info', message: 'watch set' });
    const got = w.versions('local', '/cfg');
    assert.deepEqual(got.map((v) => [v.zxid, v.change, v.changes, Buffer.from(v.data).toString(), v.size, v.complete]), [
      [0x2an, 'setData', 3, 'abc', 9000, false],
      [0x20n, 'create', 1, 'first', 5, true],
    ]);
    assert.deepEqual(w.versions('other', '/cfg'), []);
    // the same change seen twice (a catch-up after a reconnect reads it again) is kept once
    w.record(lines[0]);
    assert.equal(w.versions('local', '/cfg').length, 2);
  });

  it('stays bounded: versions per node and nodes, the oldest dropped', () => {
    const w = new WatchedChanges({ perNode: 3, nodes: 2 });
    for (let i = 1; i <= 5; i++) w.record({ kind: 'change', time: i, connection: 'c', type: 'dataChanged', path: '/a', zxid: `0x${i}`, after: data(`a${i}`) });
    assert.deepEqual(w.versions('c', '/a').map((v) => v.zxid), [5n, 4n, 3n]);
    w.record({ kind: 'change', time: 9, connection: 'c', type: 'dataChanged', path: '/b', zxid: '0x9', after: data('b') });
    w.record({ kind: 'change', time: 9, connection: 'c', type: 'dataChanged', path: '/c', zxid: '0xa', after: data('c') });
    assert.deepEqual(w.versions('c', '/a'), []);
    assert.equal(w.versions('c', '/c').length, 1);
  });

  it('merges with the logs: one entry per zxid, both sources named, newest first; an ACL change at a watched zxid stays apart', () => {
    const w = new WatchedChanges();
    for (const [z, d] of [['0x30', 'w30'], ['0x10', 'v1'], ['0x40', 'w40']] as const) w.record({ kind: 'change', time: 5, connection: 'c', type: 'dataChanged', path: '/p', zxid: z, after: data(d) });
    const merged = mergeHistory([logVersion(0x10n, 'setData', 'v1'), logVersion(0x8n, 'create2', 'v0'), logVersion(0x40n, 'setACL')], w.versions('c', '/p'));
    assert.deepEqual(
      merged.map((m) => [m.zxid, m.log?.change, m.watched ? Buffer.from(m.watched.data).toString() : undefined]),
      [
        [0x40n, 'setACL', undefined],
        [0x40n, undefined, 'w40'],
        [0x30n, undefined, 'w30'],
        [0x10n, 'setData', 'v1'],
        [0x8n, 'create2', undefined],
      ],
    );
  });
});
