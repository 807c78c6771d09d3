// Unit tests of the saved watch state: what survives a round trip through JSON storage, and what
// malformed storage is refused (it comes from a previous version or a hand-edited workspace).
import * as assert from 'node:assert/strict';
import { fromSavedSnapshot, readSavedWatchState, toSavedSnapshot, type NodeSnapshot, type SavedWatchState } from '../../../src/zk/watches';

const snapshot: NodeSnapshot = {
  exists: true,
  czxid: '0x10',
  mzxid: '0x2a',
  pzxid: '0x2b',
  version: 3,
  cversion: 1,
  ephemeralOwner: '0x0',
  numChildren: 1,
  data: { head: new Uint8Array([0, 0xff, 0x80, 0x41]), size: 4096 },
  children: ['a'],
  dataNotified: 5,
  dataAccounted: 5,
};

const state = (over: Partial<SavedWatchState> = {}): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify({
      version: 1,
      savedAt: 1_700_000_000_000,
      zxid: '0x2b',
      watches: [{ path: '/app', kind: 'subtree' }],
      snapshots: [['/app', toSavedSnapshot(snapshot)]],
      ...over,
    }),
  ) as Record<string, unknown>;

describe('saved watch state', () => {
  it('round-trips a snapshot through JSON, binary data head byte for byte, without the per-run counters', () => {
    const back = fromSavedSnapshot(JSON.parse(JSON.stringify(toSavedSnapshot(snapshot))) as ReturnType<typeof toSavedSnapshot>);
    const { dataNotified, dataAccounted, ...kept } = snapshot;
    assert.equal(dataNotified, 5);
    assert.equal(dataAccounted, 5);
    assert.deepEqual(back, kept);
    assert.deepEqual([...back.data!.head], [0, 0xff, 0x80, 0x41]);
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
      state({ version: 2 as 1 }),
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
      { ...state(), snapshots: [['/app', { exists: true, children: [1] }]] },
    ];
    for (const b of bad) assert.equal(readSavedWatchState(b), undefined, JSON.stringify(b));
  });
});
