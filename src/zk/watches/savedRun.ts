// Saved state across runs, as a WatchManager uses it: what to save (the zxid up to which every
// change was reported, and snapshots of the watched nodes, most useful first), and what an earlier
// run saved, taken watch by watch as each is first set.
import { msg, type Message } from '../message';
import type { Lru } from './lru';
import { SavedSnapshots, fromSavedSnapshot, type SavedWatchState } from './savedState';
import type { NodeSnapshot, NoticeEvent } from './types';
import { compareZxid, lastZxidOf, watchKey, within, type ActiveWatch, type WatchClient } from './watchOptions';

export interface SaveSources {
  readonly watches: ReadonlyMap<string, ActiveWatch>;
  readonly pinned: ReadonlyMap<string, NodeSnapshot>;
  readonly lru: Lru<string, NodeSnapshot>;
  readonly maxSnapshots: number;
  snapshotOf(path: string): NodeSnapshot | undefined;
  now(): number;
}

/** The state to save, with every change up to `zxid` reported. */
export function buildSavedState(s: SaveSources, zxid: string): SavedWatchState {
  const all = [...s.watches.values()];
  const inScope = (p: string) => all.some((w) => (w.kind === 'node' ? p === w.path : within(p, w.path)));
  const watches = all.map((w) => ({ path: w.path, kind: w.kind }));
  const snapshots = new SavedSnapshots(s.maxSnapshots, undefined, JSON.stringify(watches).length + 100);
  const add = (p: string, snap: NodeSnapshot | undefined) => {
    if (snap && inScope(p)) snapshots.add(p, snap);
  };
  for (const w of all) add(w.path, s.snapshotOf(w.path));
  for (const [p, snap] of s.pinned) if (!s.watches.has(watchKey('node', p)) && !s.watches.has(watchKey('subtree', p))) add(p, snap);
  // The most recently used first.
  const recent = s.lru.keys().reverse();
  for (const p of recent) if (!snapshots.has(p)) add(p, s.lru.peek(p));
  return { version: 2, savedAt: s.now(), zxid, watches, snapshots: snapshots.entries };
}

export interface RestoreHost {
  notice(level: NoticeEvent['level'], message: Message, path?: string): void;
  snapshotOf(path: string): NodeSnapshot | undefined;
  store(path: string, snap: NodeSnapshot): void;
}

/** A state saved by an earlier run, for the watches not set since. */
export class RestoredState {
  private readonly pending: Set<string>;

  constructor(readonly state: SavedWatchState) {
    this.pending = new Set(state.watches.map((w) => watchKey(w.kind, w.path)));
  }

  /** Some saved watch has not been set yet: what was saved still stands. */
  get open(): boolean {
    return this.pending.size > 0;
  }

  covers(w: ActiveWatch): boolean {
    return this.pending.has(watchKey(w.kind, w.path));
  }

  /**
   * Seeds the snapshots saved for this watch and returns the zxid to compare from, or undefined
   * when the saved state cannot be trusted for this ensemble (the watch then starts afresh, and
   * says why).
   */
  take(w: ActiveWatch, client: WatchClient, host: RestoreHost): string | undefined {
    this.pending.delete(watchKey(w.kind, w.path));
    const state = this.state;
    const saved = new Date(state.savedAt).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
    const now = lastZxidOf(client);
    if (now && compareZxid(state.zxid, now) > 0) {
      host.notice(
        'warn',
        msg(
          'the state saved at {0} (zxid {1}) is ahead of this ensemble (zxid {2}): the connection now leads to another ensemble, or its data was reset; changes made since then are not listed',
          saved,
          state.zxid,
          now,
        ),
        w.path,
      );
      return undefined;
    }
    if (w.kind === 'subtree' && w.mode === 'oneShot') {
      host.notice('warn', msg('changes made to the subtree since {0} are not listed: this server has no persistent watches to find them with', saved), w.path);
      return undefined;
    }
    let seeded = 0;
    for (const [p, snap] of state.snapshots) {
      if ((w.kind === 'node' ? p === w.path : within(p, w.path)) && !host.snapshotOf(p)) {
        host.store(p, fromSavedSnapshot(snap));
        seeded++;
      }
    }
    host.notice('info', restoredNotice(w.kind, saved, state.zxid, seeded), w.path);
    return state.zxid;
  }
}

/** "node watch restored: comparing with its state saved at … (zxid …, 3 nodes known)". */
function restoredNotice(kind: ActiveWatch['kind'], saved: string, zxid: string, seeded: number): Message {
  if (seeded === 0) {
    return kind === 'node'
      ? msg('node watch restored: comparing with its state saved at {0} (zxid {1})', saved, zxid)
      : msg('subtree watch restored: comparing with its state saved at {0} (zxid {1})', saved, zxid);
  }
  const known = seeded === 1 ? msg('1 node known') : msg('{0} nodes known', seeded.toLocaleString('en'));
  return kind === 'node'
    ? msg('node watch restored: comparing with its state saved at {0} (zxid {1}, {2})', saved, zxid, known)
    : msg('subtree watch restored: comparing with its state saved at {0} (zxid {1}, {2})', saved, zxid, known);
}
