// Unit tests of the saved watch state: what survives a round trip through JSON storage, and what
// malformed storage is refused (it comes from a previous version or a hand-edited workspace).
import * as assert from 'node:assert/strict';
import { SAVED_CHILD_NAMES, SAVED_STATE_MAX_BYTES, SavedSnapshots, dataDigest, fromSavedSnapshot, readSavedWatchState, toSavedSnapshot, type NodeSnapshot, type SavedWatchState } from '../../../src/zk/watches';

const snapshot: NodeSnapshot = {
  exists: true,
  czxid: '0x10',
  mzxid: '0x2a',
  pzxid: '0x2b',
  version: 3,
  cversion: 1,
  ephemeralOwner: '0x0',
  numChildren: 1,
  data: { head: new Uint8Array([0, 0xff, 0x80, 0x41]), size: 4096, digest: dataDigest(new Uint8Array([0, 0xff, 0x80, 0x41])) },
  children: ['a'],
  dataNotified: 5,
  dataAccounted: 5,
};

const state = (over: Partial<SavedWatchState> = {}): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify({
      version: 2,
      savedAt: 1_700_000_000_000,
      zxid: '0x2b',
      watches: [{ path: '/app', kind: 'subtree' }],
      snapshots: [['/app', toSavedSnapshot(snapshot)]],
      ...over,
    }),
  ) as Record<string, unknown>;

describe('saved watch state', () => {
  it('round-trips a snapshot through JSON with its size and digest, never its data, without the per-run counters', () => {
    const saved = JSON.parse(JSON.stringify(toSavedSnapshot(snapshot))) as ReturnType<typeof toSavedSnapshot>;
    assert.equal((saved as unknown as Record<string, unknown>).head, undefined);
    assert.doesNotMatch(JSON.stringify(saved), /AP\+AQQ|AP-AQQ/, 'no base64 of the data');
    const back = fromSavedSnapshot(saved);
    const { dataNotified, dataAccounted, data, ...kept } = snapshot;
    assert.equal(dataNotified, 5);
    assert.equal(dataAccounted, 5);
    const { data: backData, ...backKept } = back;
    assert.deepEqual(backKept, kept);
    assert.deepEqual(backData, { head: new Uint8Array(0), size: 4096, digest: data!.digest, sizeOnly: true });
  });

  it('keeps at most SAVED_CHILD_NAMES names per node, and the whole state under SAVED_STATE_MAX_BYTES', () => {
    const names = (n: number, len: number) => Array.from({ length: n }, (_, i) => `${String(i).padStart(6, '0')}-${'n'.repeat(len)}`);
    assert.equal(toSavedSnapshot({ ...snapshot, children: names(SAVED_CHILD_NAMES + 1, 4) }).children, undefined);
    assert.equal(toSavedSnapshot({ ...snapshot, children: names(SAVED_CHILD_NAMES, 4) }).children?.length, SAVED_CHILD_NAMES);
    // 500 watched nodes of 1,000 names of 200 bytes each (100 MB of names): the state stays small.
    const all = new SavedSnapshots(500);
    let added = 0;
    for (let i = 0; i < 500; i++) if (all.add(`/big/n${i}`, { ...snapshot, children: names(SAVED_CHILD_NAMES, 200) })) added++;
    const state = { version: 2, savedAt: 1, zxid: '0x1', watches: [{ path: '/big', kind: 'subtree' }], snapshots: all.entries };
    const bytes = JSON.stringify(state).length;
    assert.ok(bytes <= SAVED_STATE_MAX_BYTES + 200, `${bytes} bytes`);
    assert.ok(bytes < 1024 * 1024);
    assert.ok(added >= 1 && added < 500, `${added} snapshots kept`);
    // Smaller snapshots still fit after one that did not (the count limit holds too).
    assert.ok(all.add('/small', { exists: true, version: 1 }));
    const few = new SavedSnapshots(2);
    assert.ok(few.add('/a', snapshot) && few.add('/b', snapshot));
    assert.equal(few.add('/c', snapshot), false);
  });

  it('reads a state saved by the previous version (data heads in base64): sizes kept, heads dropped', () => {
    const v1 = {
      version: 1,
      savedAt: 1_700_000_000_000,
      zxid: '0x2b',
      watches: [{ path: '/app', kind: 'node' }],
      snapshots: [['/app', { exists: true, czxid: '0x10', mzxid: '0x2a', version: 3, head: Buffer.from('secret').toString('base64'), size: 6, children: ['a'] }]],
    };
    const s = readSavedWatchState(JSON.parse(JSON.stringify(v1)));
    assert.ok(s, 'an old state loads');
    assert.equal(s.version, 2);
    assert.doesNotMatch(JSON.stringify(s), /c2VjcmV0|secret/);
    const back = fromSavedSnapshot(s.snapshots[0][1]);
    assert.deepEqual(back.data, { head: new Uint8Array(0), size: 6, sizeOnly: true });
    assert.deepEqual(back.children, ['a']);
    // Children lists over the limit in storage are dropped, the rest kept.
    const many = { ...v1, snapshots: [['/app', { exists: true, children: Array.from({ length: SAVED_CHILD_NAMES + 1 }, (_, i) => `c${i}`) }]] };
    assert.equal(readSavedWatchState(many)!.snapshots[0][1].children, undefined);
  });

  it('reads back a well-formed state', () => {
    const s = readSavedWatchState(state());
    assert.ok(s);
    assert.equal(s.zxid, '0x2b');
    assert.deepEqual(s.watches, [{ path: '/app', kind: 'subtree' }]);
    assert.equal(fromSavedSnapshot(s.snapshots[0][1]).version, 3);
  });

  it('refuses anything malformed as a whole', () => {
    const bad: unknown[] = [
      undefined,
      'x',
      state({ version: 3 as 2 }),
      state({ zxid: '42' }),
      state({ zxid: '0xZZ' }),
      { ...state(), savedAt: -1 },
      { ...state(), watches: [{ path: 'app', kind: 'subtree' }] },
      { ...state(), watches: [{ path: '/app', kind: 'tree' }] },
      { ...state(), snapshots: [['/app']] },
      { ...state(), snapshots: [['/app', { exists: 'yes' }]] },
      { ...state(), snapshots: [['/app', { exists: true, version: -1 }]] },
      { ...state(), snapshots: [['/app', { exists: true, mzxid: 'abc' }]] },
      { ...state(), snapshots: [['/app', { exists: true, head: 'AA==' }]] }, // a head without its size
      { ...state(), snapshots: [['/app', { exists: true, size: 1, digest: 'not hex' }]] },
      { ...state(), snapshots: [['/app', { exists: true, children: [1] }]] },
    ];
    for (const b of bad) assert.equal(readSavedWatchState(b), undefined, JSON.stringify(b));
  });
});
