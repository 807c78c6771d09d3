// Unit tests of the snapshot comparison: what changed between two reads of a node, counted by
// versions, including changes that were never notified one by one.
import * as assert from 'node:assert/strict';
import { diffNames, diffSnapshot, nextSnapshot, type DiffContext as DiffContextLike } from '../../../src/zk/watches/diff';
import { readSavedWatches, type ChangeType, type NodeSnapshot, type Observation } from '../../../src/zk/watches';
import { renderMessage } from '../../../src/zk/message';

const ctx = (triggers: ChangeType[] = [], extra: Partial<DiffContextLike> = {}): DiffContextLike => ({
  connection: 'c',
  path: '/n',
  time: 0,
  triggers: new Set(triggers),
  dataNotifications: triggers.filter((t) => t === 'dataChanged').length,
  children: true,
  ...extra,
});
const data = (s: string) => ({ head: Buffer.from(s), size: Buffer.byteLength(s) });
const snap = (f: Partial<NodeSnapshot> = {}): NodeSnapshot => ({ exists: true, czxid: '0x5', version: 3, cversion: 1, numChildren: 1, children: ['a'], data: data('old'), ephemeralOwner: '0x0', ...f });
const obs = (f: Partial<Observation> = {}): Observation => ({ exists: true, czxid: '0x5', version: 3, cversion: 1, numChildren: 1, children: ['a'], data: data('old'), ephemeralOwner: '0x0', ...f });

describe('snapshot diff', () => {
  it('nothing changed: no line', () => {
    assert.deepEqual(diffSnapshot(snap(), obs(), ctx(['dataChanged'])), []);
  });

  it('counts data changes by version (coalesced when more than one)', () => {
    const [l] = diffSnapshot(snap(), obs({ version: 6, data: data('new') }), ctx(['dataChanged']));
    assert.equal(l.type, 'dataChanged');
    assert.equal(l.prevVersion, 3);
    assert.equal(l.version, 6);
    assert.equal(l.changes, 3);
    assert.equal(Buffer.from(l.before!.head).toString(), 'old');
    assert.equal(Buffer.from(l.after!.head).toString(), 'new');
  });

  it('children: names added and removed, counted by cversion', () => {
    const [l] = diffSnapshot(snap(), obs({ cversion: 5, numChildren: 2, children: ['b', 'c'] }), ctx(['childrenChanged']));
    assert.equal(l.type, 'childrenChanged');
    assert.deepEqual([l.added, l.removed, l.addedCount, l.removedCount, l.changes], [['b', 'c'], ['a'], 2, 1, 4]);
  });

  it('children changes are not reported for nodes whose children are not watched', () => {
    assert.deepEqual(diffSnapshot(snap(), obs({ cversion: 5, children: ['b'] }), ctx(['childrenChanged'], { children: false })), []);
  });

  it('known missing, now there: created (with data changes since creation coalesced)', () => {
    const [l] = diffSnapshot({ exists: false }, obs({ version: 2 }), ctx(['created']));
    assert.equal(l.type, 'created');
    assert.equal(l.changes, 3);
    assert.match(renderMessage(l.note!), /data changed 2 more times since it was created/);
  });

  it('there, now missing: deleted with what it was', () => {
    const [l] = diffSnapshot(snap({ ephemeralOwner: '0x77' }), { exists: false }, ctx(['deleted']));
    assert.equal(l.type, 'deleted');
    assert.equal(l.prevVersion, 3);
    assert.equal(l.ephemeralOwner, '0x77');
  });

  it('a new czxid: deleted and created again, in that order', () => {
    const lines = diffSnapshot(snap(), obs({ czxid: '0x9', version: 0 }), ctx(['dataChanged']));
    assert.deepEqual(lines.map((l) => l.type), ['deleted', 'created']);
  });

  it('notified deleted but there again, nothing known before: deleted then created', () => {
    const lines = diffSnapshot(undefined, obs({ version: 0 }), ctx(['deleted', 'created']));
    assert.deepEqual(lines.map((l) => l.type), ['deleted', 'created']);
  });

  it('created and deleted again before the read', () => {
    const lines = diffSnapshot({ exists: false }, { exists: false }, ctx(['created']));
    assert.deepEqual(lines.map((l) => l.type), ['created', 'deleted']);
    assert.match(renderMessage(lines[0].note!), /deleted again/);
  });

  it('first change seen on a node (no baseline): counted by notifications', () => {
    const [l] = diffSnapshot(undefined, obs({ version: 9 }), { ...ctx(['dataChanged']), dataNotifications: 2, children: false });
    assert.equal(l.firstSeen, true);
    assert.equal(l.changes, 2);
    assert.equal(l.version, 9);
  });

  it('found after a disconnect: marked, and no notification count is invented', () => {
    const [l] = diffSnapshot(undefined, obs({ version: 9 }), { ...ctx(['dataChanged']), dataNotifications: 0, children: false, catchUp: 'reconnect' });
    assert.equal(l.catchUp, 'reconnect');
    assert.equal(l.changes, undefined);
  });

  it('a comparison after a disconnect with nothing known and no notification says nothing', () => {
    assert.deepEqual(diffSnapshot(undefined, obs(), ctx([], { catchUp: 'sessionExpired' })), []);
  });

  it('missing and known missing: nothing (the notification was already accounted for)', () => {
    assert.deepEqual(diffSnapshot({ exists: false }, { exists: false }, ctx(['deleted'])), []);
  });

  it('deleted before its last changes could be read: the notified changes are still counted', () => {
    const lines = diffSnapshot(snap({ dataNotified: 25, dataAccounted: 24, version: 24 }), { exists: false }, ctx(['dataChanged', 'deleted']));
    assert.deepEqual(lines.map((l) => [l.type, l.changes, l.prevVersion, l.version]), [
      ['dataChanged', 1, 24, 25],
      ['deleted', undefined, 24, undefined],
    ]);
    assert.match(renderMessage(lines[0].note!), /could not be read/);
    assert.equal(diffSnapshot(snap({ dataNotified: 3, dataAccounted: 3 }), { exists: false }, ctx(['deleted'])).length, 1);
  });

  it('a node first seen without a before: later lines count only what its first line did not', () => {
    const p = snap({ version: 5, countByNotifications: true, dataNotified: 7, dataAccounted: 7 });
    const [l] = diffSnapshot(p, obs({ version: 7 }), ctx(['dataChanged']));
    assert.equal(l.changes, 0);
    assert.match(renderMessage(l.note!), /already counted/);
    const [m] = diffSnapshot({ ...p, dataNotified: 8 }, obs({ version: 7 }), ctx(['dataChanged']));
    assert.equal(m.changes, 1);
    // Changes found after a disconnect were never notified: counted by version.
    const [n] = diffSnapshot(p, obs({ version: 7 }), ctx([], { catchUp: 'sessionExpired' }));
    assert.equal(n.changes, 2);
  });

  it('ephemeral owner on data changes of an ephemeral node', () => {
    const [l] = diffSnapshot(snap({ ephemeralOwner: '0x42' }), obs({ version: 4, ephemeralOwner: '0x42' }), ctx(['dataChanged']));
    assert.equal(l.ephemeralOwner, '0x42');
  });
});

describe('next snapshot', () => {
  it('keeps what was not read this time', () => {
    const n = nextSnapshot(snap(), { exists: true, czxid: '0x5', version: 4, data: data('x') }, true);
    assert.deepEqual([n.version, n.cversion, n.children], [4, 1, ['a']]);
  });

  it('forgets everything about a re-created node', () => {
    const n = nextSnapshot(snap(), { exists: true, czxid: '0x9', version: 0 }, true);
    assert.equal(n.children, undefined);
    assert.equal(n.cversion, undefined);
  });

  it('drops children names over the limit or when not tracked', () => {
    assert.equal(nextSnapshot(snap(), obs({ childrenOverLimit: true, children: undefined }), true).children, undefined);
    assert.equal(nextSnapshot(snap(), obs(), false).children, undefined);
  });

  it('diffNames', () => {
    assert.deepEqual(diffNames(['a', 'b'], ['b', 'c']), { added: ['c'], removed: ['a'] });
  });
});

describe('saved watch list', () => {
  it('keeps valid entries once, drops the rest', () => {
    const valid = (p: string) => p.startsWith('/');
    assert.deepEqual(readSavedWatches('nope', valid), []);
    assert.deepEqual(
      readSavedWatches(
        [
          { connection: 'a', path: '/x', kind: 'node' },
          { connection: 'a', path: '/x', kind: 'node' },
          { connection: 'a', path: '/x', kind: 'subtree' },
          { connection: '', path: '/x', kind: 'node' },
          { connection: 'a', path: 'x', kind: 'node' },
          { connection: 'a', path: '/y', kind: 'other' },
          null,
          { connection: 'b', path: '/', kind: 'subtree', extra: 1 },
        ],
        valid,
      ),
      [
        { connection: 'a', path: '/x', kind: 'node' },
        { connection: 'a', path: '/x', kind: 'subtree' },
        { connection: 'b', path: '/', kind: 'subtree' },
      ],
    );
  });
});
