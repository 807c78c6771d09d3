// Issue 21: the watch log in the user's language. The domain words its notices and notes as
// Messages (src/zk/message.ts); formatWatchEvent renders them, and its data previews, through the
// Translate the adapter passes (vscode.l10n.t). A plain string (an event made by older code) is
// still shown as it is.
import * as assert from 'node:assert/strict';
import { isMessage, msg } from '../../../src/zk/message';
import { diffSnapshot, formatWatchEvent, type ChangeEvent, type ChangeType, type DataHead, type NodeSnapshot, type NoticeEvent, type Observation, type SavedWatchState } from '../../../src/zk/watches';
import { ZkError } from '../../../src/zk/errors';
import { catchUpWatch, type CatchUpHost } from '../../../src/zk/watches/catchUp';
import { RestoredState } from '../../../src/zk/watches/savedRun';
import { WatchManager, WATCH_DEFAULTS, type WatchLogEvent } from '../../../src/zk/watches';
import type { ActiveWatch, WatchClient } from '../../../src/zk/watches/watchOptions';
import { FakeHost, FakeZk } from './fakeZk';
import { assertWordedForTranslation, marking, wordedPart } from './wordedForTranslation';

const T = Date.UTC(2024, 0, 2, 3, 4, 5, 67);
const head = (s: string): DataHead => ({ head: new Uint8Array(Buffer.from(s)), size: Buffer.byteLength(s) });
const diff = (prev: NodeSnapshot | undefined, obs: Observation, triggers: ChangeType[], extra: { dataNotifications?: number } = {}) =>
  diffSnapshot(prev, obs, { connection: 'c', path: '/n', time: T, triggers: new Set(triggers), dataNotifications: extra.dataNotifications ?? 0, children: true });

describe('watch log in the user\'s language', () => {
  it('a notice and a note are Messages, rendered through the Translate given (English by default)', () => {
    const notice: NoticeEvent = { kind: 'notice', time: T, connection: 'prod', level: 'warn', path: '/a', message: msg('could not read: {0}', msg('Node {0} does not exist', '/a')) };
    assert.equal(formatWatchEvent(notice, { utc: true }), '03:04:05.067 [prod] /a: could not read: Node /a does not exist');
    assert.equal(formatWatchEvent(notice, { utc: true, t: marking }), '03:04:05.067 [prod] /a: ⟦could not read: ⟦Node /a does not exist⟧⟧');
    const change: ChangeEvent = { kind: 'change', time: T, connection: 'prod', type: 'created', path: '/a', note: msg('deleted again before it could be read'), catchUp: 'reconnect' };
    assert.equal(formatWatchEvent(change, { utc: true }), '03:04:05.067 [prod] created /a · deleted again before it could be read [while disconnected]');
    assert.equal(wordedPart(change), '⟦deleted again before it could be read⟧');
  });

  it('an event with a plain English string (made by older code) still reads, as it is', () => {
    const notice: NoticeEvent = { kind: 'notice', time: T, connection: 'prod', level: 'info', path: '/a', message: 'watching subtree, persistent recursive watch · v0' };
    const change: ChangeEvent = { kind: 'change', time: T, connection: 'prod', type: 'deleted', path: '/a', note: 'deleted before it could be read' };
    for (const t of [undefined, marking]) {
      assert.equal(formatWatchEvent(notice, { utc: true, t }), '03:04:05.067 [prod] /a: watching subtree, persistent recursive watch · v0');
      assert.match(formatWatchEvent(change, { utc: true, t }), / · deleted before it could be read$/);
    }
    // …and the check this suite uses tells such a line apart.
    assert.throws(() => assertWordedForTranslation([notice]), /not through the Translate/);
    assert.throws(() => assertWordedForTranslation([change]), /not through the Translate/);
  });

  it('data previews word "empty", "binary" and a late difference through the Translate', () => {
    const e = (before: DataHead, after: DataHead): ChangeEvent => ({ kind: 'change', time: T, connection: 'p', type: 'dataChanged', path: '/d', prevVersion: 1, version: 2, changes: 1, before, after });
    assert.match(formatWatchEvent(e(head(''), { head: new Uint8Array([0, 1, 2]), size: 3 }), { utc: true, t: marking }), /⟦empty⟧ → ⟦binary 000102⟧$/);
    const long = 'x'.repeat(20);
    const cut = (s: string): DataHead => ({ head: new Uint8Array(Buffer.from(long)), size: long.length + s.length });
    assert.match(formatWatchEvent(e(cut('a'), cut('bb')), { utc: true, t: marking }), /⟦\(differs after the first 20 characters\)⟧$/);
  });

  it('every note the comparison makes goes through the Translate', () => {
    const known: NodeSnapshot = { exists: true, czxid: '0x1', version: 1, cversion: 0, numChildren: 0, data: head('a') };
    const lines = [
      ...diff(undefined, { exists: false }, ['created', 'dataChanged'], { dataNotifications: 2 }),
      ...diff({ exists: false }, { exists: false }, ['created']),
      ...diff({ ...known, dataNotified: 3, dataAccounted: 1 }, { exists: false }, ['deleted']),
      ...diff(known, { exists: true, czxid: '0x9', version: 2, cversion: 0, numChildren: 0, data: head('b') }, ['created']),
      ...diff({ exists: false }, { exists: true, czxid: '0x9', version: 1, cversion: 0, numChildren: 0, data: head('b') }, ['created']),
      ...diff({ ...known, countByNotifications: true, dataNotified: 1, dataAccounted: 1 }, { exists: true, czxid: '0x1', version: 3, cversion: 0, numChildren: 0, data: head('c') }, ['dataChanged']),
      ...diff({ ...known, countByNotifications: true, dataNotified: 2, dataAccounted: 1 }, { exists: true, czxid: '0x1', version: 4, cversion: 0, numChildren: 0, data: head('c') }, ['dataChanged']),
    ];
    const notes = lines.filter((l) => l.note !== undefined);
    assert.equal(notes.length, 9, JSON.stringify(lines));
    assert.match(formatWatchEvent(notes[6], { utc: true }), / · data changed 1 more time since it was created$/);
    assert.ok(notes.every((l) => isMessage(l.note)));
    assertWordedForTranslation(lines);
  });

  it('the notices of a restored watch go through the Translate', () => {
    const state: SavedWatchState = { version: 2, savedAt: T, zxid: '0x10', watches: [{ path: '/n', kind: 'node' }, { path: '/s', kind: 'subtree' }], snapshots: [['/n', { exists: true, version: 1 }]] };
    const client = (lastZxid: string): WatchClient => ({ sessionId: '0x1', lastZxid }) as WatchClient;
    const notices: NoticeEvent[] = [];
    const host = {
      notice: (level: NoticeEvent['level'], message: NoticeEvent['message'], path?: string) => notices.push({ kind: 'notice', time: T, connection: 'c', level, message, path }),
      snapshotOf: () => undefined,
      store: () => undefined,
    };
    const node: ActiveWatch = { path: '/n', kind: 'node', active: true, mode: 'persistent' };
    const oneShotSubtree: ActiveWatch = { path: '/s', kind: 'subtree', active: true, mode: 'oneShot' };
    assert.equal(new RestoredState(state).take(node, client('0x20'), host), '0x10');
    assert.equal(new RestoredState(state).take(node, client('0x5'), host), undefined);
    assert.equal(new RestoredState(state).take(oneShotSubtree, client('0x20'), host), undefined);
    assert.equal(notices.length, 3);
    assert.match(formatWatchEvent(notices[0], { utc: true }), /node watch restored: comparing with its state saved at 2024-01-02 03:04:05 UTC \(zxid 0x10, 1 node known\)$/);
    assertWordedForTranslation(notices);
  });

  it('the notices and the note of a catch-up after a disconnect go through the Translate', async () => {
    const zk = new FakeZk();
    zk.mkdirp('/s/p/c');
    const since = '0x' + zk.zxid.toString(16);
    zk.remove('/s/p/c'); // a child deleted while nobody watched: its name was never seen
    const client = new FakeHost(zk).client;
    const out: WatchLogEvent[] = [];
    const host = (c: WatchClient, limit = 100): CatchUpHost => ({
      options: { ...WATCH_DEFAULTS, catchUpWalkLimit: limit },
      connection: 'c',
      client: () => c,
      watching: () => true,
      seenPaths: () => [],
      enqueue: () => undefined,
      notice: (level, message, path) => out.push({ kind: 'notice', time: T, connection: 'c', level, message, path }),
      resolved: (lines) => out.push(...lines),
    });
    const w: ActiveWatch = { path: '/s', kind: 'subtree', active: true, mode: 'persistent' };
    await catchUpWatch(host(client), w, 'reconnect', undefined);
    await catchUpWatch(host(client, 1), w, 'reconnect', since);
    const refusing = Object.assign(Object.create(client) as WatchClient, { getChildren: (path: string) => Promise.reject(ZkError.fromServer(-102, 'list the children of', path)) });
    await catchUpWatch(host(refusing), w, 'reconnect', since);
    await catchUpWatch(host(client), w, 'reconnect', since);
    assert.deepEqual(
      out.map((e) => formatWatchEvent(e, { utc: true }).slice(13)),
      [
        '[c] /s: compared the 1 nodes seen before; other nodes of the subtree changed while disconnected cannot be found (the last zxid is unknown)',
        '[c] /s: the subtree has 2 nodes, more than the 1 read after a disconnect: only the 1 nodes seen before were compared; other changes made while disconnected are not listed',
        `[c] /s: could not look for changes made while disconnected: ${ZkError.fromServer(-102, 'list the children of', '/s').message}`,
        '[c] children changed /s/p · 0 children · children deleted (names not known: they had not been seen) [while disconnected]',
      ],
    );
    assertWordedForTranslation(out);
    // The server's error inside the notice is the domain's Message too: translated with it.
    assert.match(wordedPart(out[2])!, /^⟦could not look for changes made while disconnected: ⟦.+⟧⟧$/);
  });

  it('the manager\'s own notices go through the Translate: set once connected, unwatched, a read refused', async () => {
    const zk = new FakeZk();
    zk.mkdirp('/a', 'x');
    const host = new FakeHost(zk);
    host.state = 'idle';
    const out: WatchLogEvent[] = [];
    const mgr = new WatchManager(host, (e) => out.push(e));
    await mgr.add('/a', 'subtree');
    await mgr.add('/a', 'node');
    await mgr.remove('/a');
    // A read refused by the server (not the connection): the watch is set, its state is not read.
    const session = host.current;
    session.getData = (path: string) => Promise.reject(ZkError.fromServer(-102, 'read', path));
    await mgr.add('/a', 'node');
    host.state = 'connected';
    host.emit('status', { state: 'connected' });
    await mgr.whenEstablished();
    await mgr.whenIdle();
    zk.set('/a', 'y');
    for (let i = 0; i < 50 && !out.some((e) => e.kind === 'change'); i++) await new Promise((r) => setImmediate(r));
    await mgr.whenIdle();
    const text = out.map((e) => formatWatchEvent(e, { utc: true }).slice(13));
    const refused = ZkError.fromServer(-102, 'read', '/a').message;
    assert.deepEqual(text, [
      '[test] /a: will watch subtree once connected',
      '[test] /a: will watch node once connected',
      '[test] /a: stopped watching node and subtree',
      '[test] /a: will watch node once connected',
      `[test] /a: watch set, but its current state could not be read: ${refused}`,
      `[test] data changed /a · could not read: ${refused}`,
    ]);
    assertWordedForTranslation(out);
    mgr.dispose();
  });
});
