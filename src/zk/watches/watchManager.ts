// WatchManager: the watches of one ensemble connection, kept working across reconnects and
// session expiries, turned into one ordered stream of change events with what changed.
//
// How it works:
// - Notifications (the connection's 'watchEvent') become records, one per path at a time: a
//   record reads the node once (data and/or children, bounded concurrency) and compares with the
//   node's snapshot (diff.ts), so a burst of changes to one node costs one read, and versions
//   count the changes that were not notified one by one (reported as coalesced).
// - Records leave in the order their first notification arrived, whatever order reads finish in.
// - Subtree watches use one persistent recursive watch (addWatch, ZooKeeper 3.6+) and keep
//   snapshots only of nodes that changed (bounded LRU); servers without addWatch get one-shot
//   watches armed on every node (up to a limit) and re-armed by each read.
// - When the connection comes back (same session) or a new session replaces an expired one, the
//   watches are set again and every known snapshot is compared with the server; nodes of a
//   subtree that were never seen are found by zxid (changed after the last zxid this client saw),
//   within a bounded walk. Those lines are marked as found after the fact.
import type { Watcher, WatchEvent } from '../client';
import type { ConnectionState, ConnectionStatus } from '../ensembleConnection';
import { isZkError } from '../errors';
import { joinPath, parentPath } from '../paths';
import type { ZnodeStat } from '../stat';
import { dataChangesIn, diffNames, diffSnapshot, nextSnapshot, readsFor } from './diff';
import { Lru } from './lru';
import { boundedWalk } from './walk';
import { SavedSnapshots, dataDigest, fromSavedSnapshot, type SavedWatchState } from './savedState';
import type { CatchUpCause, ChangeEvent, ChangeType, NodeSnapshot, NoticeEvent, Observation, WatchKind, WatchLogEvent } from './types';

/** What a WatchManager needs of a client (a ZkClient is one; unit tests pass a fake). */
export interface WatchClient {
  readonly sessionId: string;
  /** Last zxid seen by the session, when the client exposes it. */
  readonly lastZxid?: string;
  exists(path: string, watcher?: Watcher): Promise<ZnodeStat | undefined>;
  getData(path: string, watcher?: Watcher): Promise<{ data: Uint8Array; stat: ZnodeStat }>;
  getChildren(path: string, watcher?: Watcher): Promise<{ children: string[]; stat: ZnodeStat }>;
  addWatch(path: string, recursive: boolean): Promise<void>;
  removeWatches(path: string, type?: 'children' | 'data' | 'any'): Promise<void>;
  /** Removes only the persistent watch, keeping other one-shot watches of the session on the path. */
  removePersistentWatch?(path: string): Promise<void>;
  getAllChildrenNumber(path: string): Promise<number>;
}

/** What a WatchManager needs of an EnsembleConnection. */
export interface WatchHost {
  readonly name: string;
  readonly state: ConnectionState;
  /** The current session's client; throws when the connection is not open. */
  readonly client: WatchClient;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  off(event: string, listener: (...args: any[]) => void): unknown;
}

export interface WatchManagerOptions {
  /** auto: persistent watches when the server has them (3.6+), one-shot otherwise. */
  mode: 'auto' | 'persistent' | 'oneShot';
  /** Reads in flight at once (default 32). */
  readConcurrency: number;
  /** Records waiting for a read before the details of subtree events are skipped (default 10,000). */
  maxPending: number;
  /** Bytes of data kept per node for before/after previews (default 512). */
  previewBytes: number;
  /** Snapshots kept of subtree nodes that changed (default 2,000). */
  lruSize: number;
  /** Children names kept per watched node; above, counts only (default 10,000). */
  maxTrackedChildren: number;
  /** A subtree this small (nodes) is read when the watch starts, so that its first changes have a "before" (default 1,000). */
  seedLimit: number;
  /** Nodes armed with one-shot watches per subtree on servers without persistent watches (default 10,000). */
  oneShotSubtreeLimit: number;
  /** Nodes walked per subtree after a disconnect, to find changes to nodes never seen (default 10,000). */
  catchUpWalkLimit: number;
  /** Ephemeral owners looked up per children change (default 5). */
  ownerLookups: number;
  /** Names listed per side of a children change (default 5). */
  maxNames: number;
  /**
   * How often watches are checked (ms, default 10,000; 0 = never): persistent watches are set
   * again, and node watches are compared with the server. Another part of the session can drop
   * a watch without any notification (removeWatches(path, 'children') when the tree collapses a
   * node removes a persistent watch's children part): a change missed that way is reported at
   * the next check, as found after the fact, instead of never.
   */
  verifyIntervalMs: number;
  /** Snapshots kept in a saved state at most (default 500; it also stays under SAVED_STATE_MAX_BYTES). */
  savedSnapshots: number;
  now: () => number;
}

export const WATCH_DEFAULTS: WatchManagerOptions = {
  mode: 'auto',
  readConcurrency: 32,
  maxPending: 10_000,
  previewBytes: 512,
  lruSize: 2_000,
  maxTrackedChildren: 10_000,
  seedLimit: 1_000,
  oneShotSubtreeLimit: 10_000,
  catchUpWalkLimit: 10_000,
  ownerLookups: 5,
  maxNames: 5,
  verifyIntervalMs: 10_000,
  savedSnapshots: 500,
  now: () => Date.now(),
};

export interface WatchInfo {
  path: string;
  kind: WatchKind;
  /** How it is watched on the server; undefined until the connection is open. */
  mode?: 'persistent' | 'oneShot';
  /** Set on the current session. */
  active: boolean;
}

export interface WatchStats {
  /** Records waiting for or doing a read. */
  pending: number;
  reads: number;
  notifications: number;
  skippedDetails: number;
  lruSize: number;
  pinned: number;
}

interface ActiveWatch {
  path: string;
  kind: WatchKind;
  mode?: 'persistent' | 'oneShot';
  active: boolean;
  /** One-shot subtree: the nodes armed. */
  tracked?: Set<string>;
  overLimitNoticed?: boolean;
  /** Subtree: descendants counted when the watch started (getAllChildrenNumber). */
  count?: number;
}

interface Rec {
  seq: number;
  path: string;
  time: number;
  triggers: Set<ChangeType>;
  dataNotifications: number;
  catchUp?: CatchUpCause;
  /** Establishing: read and remember, announce instead of diffing. */
  baseline?: 'announce' | 'silent';
  /** The kind of watch a baseline announces. */
  announce?: WatchKind;
  sent: boolean;
  done: boolean;
  lines: WatchLogEvent[];
  /** Reads tried and failed for connection trouble. */
  attempts: number;
}

/** execute() could not read for connection trouble: the record waits and tries again. */
const RETRY = Symbol('retry');

/** One-shot watches believed set on a path, and how many times each kind fired. */
interface ArmState {
  data: boolean;
  child: boolean;
  dataFired: number;
  childFired: number;
}

interface PathQueue {
  running?: Rec;
  pending: Rec[];
}

interface Down {
  since: number;
  zxid?: string;
}

const CHANGE_TYPES = new Set<string>(['created', 'deleted', 'dataChanged', 'childrenChanged']);
const REMOVED_TYPES = new Set<string>(['childWatchRemoved', 'dataWatchRemoved', 'persistentWatchRemoved']);
const CONNECTION_CODES = new Set(['CONNECTIONLOSS', 'SESSIONEXPIRED', 'REQUEST_DEADLINE', 'CLOSED', 'SESSIONMOVED']);

/** Watchers for one-shot watches: events are taken from the connection's 'watchEvent' stream. */
const ARM: Watcher = () => undefined;

export function within(path: string, root: string): boolean {
  return path === root || root === '/' || path.startsWith(root + '/');
}

export function compareZxid(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The session's last zxid (hex), as the client reports it. */
export function lastZxidOf(client: WatchClient | undefined): string | undefined {
  return client?.lastZxid;
}

export class WatchManager {
  readonly options: WatchManagerOptions;
  private readonly watches = new Map<string, ActiveWatch>();
  private client: WatchClient | undefined;
  private persistentSupported: boolean | undefined;
  private readonly pinned = new Map<string, NodeSnapshot>();
  private readonly lru: Lru<string, NodeSnapshot>;
  private readonly queues = new Map<string, PathQueue>();
  private out: Rec[] = [];
  private outHead = 0;
  private seq = 0;
  private unresolved = 0;
  private active = 0;
  private readonly waitingRuns: (() => void)[] = [];
  private waitingHead = 0;
  /** One-shot watches believed set on the server, per path. */
  private readonly armed = new Map<string, ArmState>();
  /** Persistent watches this manager set on the current session. */
  private readonly serverWatches = new Map<string, 'persistent' | 'recursive'>();
  /** Paths whose watches this manager is removing (their "watch removed" events are expected). */
  private readonly removing = new Map<string, number>();
  private down: Down | undefined;
  private expiredSessionId: string | undefined;
  private disposed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly counters = { reads: 0, notifications: 0, skippedDetails: 0 };
  private establishing: Promise<void> = Promise.resolve();
  private readonly verifyTimer: NodeJS.Timeout | undefined;
  private verifying = false;
  /** Records waiting for the connection to come back. */
  private readonly parked: { rec: Rec; q: PathQueue }[] = [];
  /** dataChanged notifications of nodes without a snapshot yet (persistent watches), by path. */
  private readonly unseen = new Map<string, number>();
  /** A state saved by an earlier run, for the watches not set since (their keys). */
  private restored: { state: SavedWatchState; pending: Set<string> } | undefined;
  /** The last zxid seen while nothing was waiting to be read: every change before it was reported. */
  private settledZxid: string | undefined;
  /** Catch-up walks running (changes they will find are not queued yet). */
  private catchingUp = 0;

  constructor(
    readonly host: WatchHost,
    private readonly emit: (e: WatchLogEvent) => void,
    options: Partial<WatchManagerOptions> = {},
  ) {
    this.options = { ...WATCH_DEFAULTS, ...options };
    this.lru = new Lru(this.options.lruSize);
    host.on('watchEvent', this.onWatchEvent);
    host.on('status', this.onStatus);
    host.on('sessionExpired', this.onSessionExpired);
    if (this.isUp()) this.bind();
    if (this.options.verifyIntervalMs > 0) {
      this.verifyTimer = setInterval(() => void this.verify(), this.options.verifyIntervalMs);
      this.verifyTimer.unref?.();
    }
  }

  get connection(): string {
    return this.host.name;
  }

  // --- public API ------------------------------------------------------------------------------

  list(): WatchInfo[] {
    return [...this.watches.values()].map((w) => ({ path: w.path, kind: w.kind, mode: w.mode, active: w.active }));
  }

  has(path: string, kind?: WatchKind): boolean {
    return kind ? this.watches.has(key(kind, path)) : this.watches.has(key('node', path)) || this.watches.has(key('subtree', path));
  }

  stats(): WatchStats {
    return { pending: this.unresolved, ...this.counters, lruSize: this.lru.size, pinned: this.pinned.size };
  }

  /**
   * Starts watching. Resolves once the watch is set on the server, or at once when the
   * connection is not open (it is set when the connection opens).
   */
  async add(path: string, kind: WatchKind): Promise<void> {
    const k = key(kind, path);
    if (this.watches.has(k) || this.disposed) return;
    const w: ActiveWatch = { path, kind, active: false };
    this.watches.set(k, w);
    if (!this.client || !this.isUp()) {
      this.notice('info', `will watch ${kind === 'node' ? 'node' : 'subtree'} once connected`, path);
      return;
    }
    await this.serially(() => this.establish(w, undefined, undefined));
  }

  /** Stops watching (both kinds when kind is not given). Resolves true when something was removed. */
  async remove(path: string, kind?: WatchKind): Promise<boolean> {
    const kinds: WatchKind[] = kind ? [kind] : ['node', 'subtree'];
    const removed: ActiveWatch[] = [];
    for (const k of kinds) {
      const w = this.watches.get(key(k, path));
      if (w) {
        this.watches.delete(key(k, path));
        removed.push(w);
      }
    }
    if (removed.length === 0) return false;
    for (const w of removed) this.forget(w);
    this.notice('info', `stopped watching ${removed.map((w) => (w.kind === 'node' ? 'node' : 'subtree')).join(' and ')}`, path);
    if (this.client) await this.serially(() => this.reconcileServerWatch(path).catch(() => undefined));
    return true;
  }

  async removeAll(): Promise<void> {
    for (const w of [...this.watches.values()]) await this.remove(w.path, w.kind);
  }

  /** Resolves when no record is waiting (tests and benchmarks). */
  whenIdle(): Promise<void> {
    if (this.unresolved === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Resolves when watches being set (or set again after a reconnect) are set. */
  whenEstablished(): Promise<void> {
    return this.establishing;
  }

  /**
   * Gives this manager what an earlier run saved: when a watch in it is first set, its saved
   * snapshots are compared with the server, and nodes changed after the saved zxid are looked for,
   * so changes made while nobody watched are reported (marked 'restored'). Call before add().
   */
  restoreState(state: SavedWatchState): void {
    this.restored = { state, pending: new Set(state.watches.map((w) => key(w.kind, w.path))) };
  }

  /**
   * What to save to report, in a later run, the changes made until then: the last zxid up to which
   * every change was reported, and the snapshots of the watched nodes. Undefined when there is
   * nothing to save (no watch, or never connected and nothing restored).
   */
  saveState(): SavedWatchState | undefined {
    if (this.watches.size === 0) return undefined;
    // Watches restored but not set yet: what was saved still stands.
    if (this.restored && this.restored.pending.size > 0) return this.restored.state;
    const settled = this.unresolved === 0 && this.catchingUp === 0;
    const zxid = this.down ? this.down.zxid ?? this.settledZxid : settled ? lastZxidOf(this.client) ?? this.settledZxid : this.settledZxid;
    if (!zxid) return undefined;
    const inScope = (p: string) =>
      [...this.watches.values()].some((w) => (w.kind === 'node' ? p === w.path : within(p, w.path)));
    const watches = [...this.watches.values()].map((w) => ({ path: w.path, kind: w.kind }));
    const snapshots = new SavedSnapshots(this.options.savedSnapshots, undefined, JSON.stringify(watches).length + 100);
    const add = (p: string, snap: NodeSnapshot | undefined) => {
      if (snap && inScope(p)) snapshots.add(p, snap);
    };
    for (const w of this.watches.values()) add(w.path, this.snapshotOf(w.path));
    for (const [p, snap] of this.pinned) if (!this.watches.has(key('node', p)) && !this.watches.has(key('subtree', p))) add(p, snap);
    // The most recently used first.
    const recent = this.lru.keys().reverse();
    for (const p of recent) if (!snapshots.has(p)) add(p, this.lru.peek(p));
    return { version: 2, savedAt: this.options.now(), zxid, watches, snapshots: snapshots.entries };
  }

  dispose(): void {
    this.disposed = true;
    if (this.verifyTimer) clearInterval(this.verifyTimer);
    this.host.off('watchEvent', this.onWatchEvent);
    this.host.off('status', this.onStatus);
    this.host.off('sessionExpired', this.onSessionExpired);
    this.watches.clear();
    this.queues.clear();
    for (const r of this.idleWaiters.splice(0)) r();
  }

  // --- connection lifecycle --------------------------------------------------------------------

  private isUp(): boolean {
    const s = this.host.state;
    return s === 'connected' || s === 'readOnlyServer';
  }

  private currentClient(): WatchClient | undefined {
    try {
      return this.host.client;
    } catch {
      return undefined;
    }
  }

  private readonly onStatus = (s: ConnectionStatus): void => {
    if (this.disposed) return;
    const up = s.state === 'connected' || s.state === 'readOnlyServer';
    if (!up) {
      if (this.client && !this.down) this.down = { since: this.options.now(), zxid: lastZxidOf(this.client) };
      return;
    }
    this.bind();
  };

  private readonly onSessionExpired = (sessionId: string): void => {
    this.expiredSessionId = sessionId;
    if (this.client && !this.down) this.down = { since: this.options.now(), zxid: lastZxidOf(this.client) };
  };

  /** The connection is up: on the same session, compare; on a new one, set the watches again and compare. */
  private bind(): void {
    const client = this.currentClient();
    if (!client) return;
    const down = this.down;
    this.down = undefined;
    if (client === this.client) {
      this.resumeParked();
      if (!down || this.watches.size === 0) return;
      void this.serially(async () => {
        for (const w of this.watches.values()) {
          // Watches that could not be set while the connection was down are set now.
          if (w.active) await this.catchUp(w, 'reconnect', down.zxid);
          else await this.establish(w, undefined, undefined);
        }
      });
      return;
    }
    const previous = this.client;
    this.client = client;
    this.armed.clear();
    this.serverWatches.clear();
    this.removing.clear();
    this.unseen.clear();
    const cause: CatchUpCause | undefined = previous ? (this.expiredSessionId ? 'sessionExpired' : 'reopened') : undefined;
    const expired = this.expiredSessionId;
    this.expiredSessionId = undefined;
    if (this.watches.size === 0) {
      this.resumeParked();
      return;
    }
    if (cause === 'sessionExpired') {
      this.notice('warn', `session ${expired} expired; setting ${this.watches.size} watch${this.watches.size === 1 ? '' : 'es'} again on session ${client.sessionId} and comparing with what was seen before`);
    } else if (cause === 'reopened') {
      this.notice('info', `connection opened again (session ${client.sessionId}); setting the watches again and comparing with what was seen before`);
    }
    for (const w of this.watches.values()) w.active = false;
    void this.serially(async () => {
      for (const w of this.watches.values()) await this.establish(w, cause, down?.zxid);
      // Reads that failed with the old session: now that the watches are set again. They keep
      // their place in each path's queue, before the comparisons just queued.
      this.resumeParked();
    });
  }

  /** Runs watch set-up steps one after another (they touch shared server watch state). */
  private serially(fn: () => Promise<void>): Promise<void> {
    const next = this.establishing.then(fn, fn).catch((e: unknown) => {
      this.notice('error', `could not set the watches: ${(e as Error).message}`);
    });
    this.establishing = next;
    return next;
  }

  // --- setting watches ---------------------------------------------------------------------------

  private async establish(w: ActiveWatch, cause: CatchUpCause | undefined, zxid: string | undefined): Promise<void> {
    const client = this.client;
    if (!client || !this.watches.has(key(w.kind, w.path))) return;
    w.mode = this.options.mode === 'oneShot' || this.persistentSupported === false ? 'oneShot' : 'persistent';
    try {
      if (w.mode === 'persistent') {
        try {
          await this.reconcileServerWatch(w.path);
        } catch (e) {
          if (!isZkError(e, 'UNIMPLEMENTED')) throw e;
          this.fallBack();
          w.mode = 'oneShot';
        }
      }
    } catch (e) {
      this.notice('error', `could not set the watch: ${(e as Error).message}; it is set again when the connection comes back`, w.path);
      return;
    }
    w.active = true;
    if (!cause && this.restored?.pending.has(key(w.kind, w.path))) {
      const since = this.takeRestored(w, client);
      if (since) {
        cause = 'restored';
        zxid = since;
      }
    }
    if (w.kind === 'node') {
      if (cause) this.enqueue(w.path, { catchUp: cause });
      else this.enqueue(w.path, { baseline: 'announce', announce: 'node' });
      return;
    }
    if (w.mode === 'oneShot') {
      w.tracked ??= new Set([w.path]);
      for (const p of w.tracked) this.enqueue(p, cause ? { catchUp: cause } : p === w.path ? { baseline: 'announce', announce: 'subtree' } : { baseline: 'silent' });
      return;
    }
    // Persistent recursive.
    if (cause) {
      await this.catchUp(w, cause, zxid);
      return;
    }
    w.count = await client.getAllChildrenNumber(w.path).catch(() => undefined);
    this.enqueue(w.path, { baseline: 'announce', announce: 'subtree' });
    if (w.count !== undefined && w.count + 1 <= this.options.seedLimit) await this.seed(w, client);
  }

  /**
   * Seeds the snapshots an earlier run saved for this watch and returns the zxid to compare from,
   * or undefined when the saved state cannot be trusted for this ensemble (the watch then starts
   * afresh, and says why).
   */
  private takeRestored(w: ActiveWatch, client: WatchClient): string | undefined {
    const r = this.restored!;
    r.pending.delete(key(w.kind, w.path));
    if (r.pending.size === 0) this.restored = undefined;
    const { state } = r;
    const saved = new Date(state.savedAt).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
    const now = lastZxidOf(client);
    if (now && compareZxid(state.zxid, now) > 0) {
      this.notice(
        'warn',
        `the state saved at ${saved} (zxid ${state.zxid}) is ahead of this ensemble (zxid ${now}): the connection now leads to another ensemble, or its data was reset; changes made since then are not listed`,
        w.path,
      );
      return undefined;
    }
    if (w.kind === 'subtree' && w.mode === 'oneShot') {
      this.notice('warn', `changes made to the subtree since ${saved} are not listed: this server has no persistent watches to find them with`, w.path);
      return undefined;
    }
    let seeded = 0;
    for (const [p, snap] of state.snapshots) {
      if ((w.kind === 'node' ? p === w.path : within(p, w.path)) && !this.snapshotOf(p)) {
        this.store(p, fromSavedSnapshot(snap));
        seeded++;
      }
    }
    this.notice('info', `${w.kind === 'node' ? 'node' : 'subtree'} watch restored: comparing with its state saved at ${saved} (zxid ${state.zxid}${seeded ? `, ${seeded.toLocaleString('en')} node${seeded === 1 ? '' : 's'} known` : ''})`, w.path);
    return state.zxid;
  }

  private fallBack(): void {
    if (this.persistentSupported === false) return;
    this.persistentSupported = false;
    this.notice(
      'warn',
      'the server does not support persistent watches (ZooKeeper 3.6+): using one-shot watches, re-armed after each event; ' +
        'changes made between an event and the re-arm are found by version and reported as coalesced',
    );
  }

  /** Sets, changes or removes this manager's persistent watch on `path` to match the watches. */
  private async reconcileServerWatch(path: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    const sub = this.watches.get(key('subtree', path));
    const node = this.watches.get(key('node', path));
    const desired = sub?.mode === 'persistent' ? 'recursive' : node?.mode === 'persistent' ? 'persistent' : undefined;
    const current = this.serverWatches.get(path);
    if (desired === current) return;
    if (desired) {
      // A node and a subtree watch on the same path share one recursive watch (the server keeps
      // one mode per path and session); the node's children changes then come from its
      // children's created/deleted events.
      await client.addWatch(path, desired === 'recursive');
      if (this.persistentSupported === undefined) this.persistentSupported = true;
      this.serverWatches.set(path, desired);
    } else {
      this.serverWatches.delete(path);
      this.removing.set(path, this.options.now());
      try {
        if (client.removePersistentWatch) await client.removePersistentWatch(path);
        else await client.removeWatches(path, 'any');
      } catch (e) {
        if (!isZkError(e, 'NOWATCHER')) throw e;
      }
    }
  }

  private forget(w: ActiveWatch): void {
    if (w.kind === 'node' && !this.isPinned(w.path)) this.pinned.delete(w.path);
    if (w.tracked) {
      for (const p of w.tracked) if (!this.isPinned(p)) this.pinned.delete(p);
    }
  }

  /** Reads a small subtree when its watch starts, so that its first changes have a "before". */
  private async seed(w: ActiveWatch, client: WatchClient): Promise<void> {
    try {
      await boundedWalk(client, w.path, {
        withData: true,
        concurrency: 16,
        limit: this.options.seedLimit,
        onNode: (n) => {
          // A node with a notification already waiting keeps the order: its record reads it.
          if (n.path === w.path || this.queues.has(n.path) || this.snapshotOf(n.path)) return;
          this.store(n.path, { ...nextSnapshot(undefined, this.observation(n.stat, n.data), false), dataNotified: 0, dataAccounted: 0 });
        },
      });
    } catch {
      // Seeding only adds "before" values; without it the first change of a node says so.
    }
  }

  /**
   * Sets this manager's persistent watches again (a no-op on the server when they are there) and
   * compares watched nodes with the server: a difference with no notification on its way means
   * the watch had been dropped; the comparison reports what was missed.
   */
  async verify(): Promise<void> {
    if (this.verifying || this.disposed || !this.client || !this.isUp() || this.watches.size === 0) return;
    this.verifying = true;
    try {
      await this.serially(() => this.verifyNow().catch(() => undefined));
    } finally {
      this.verifying = false;
    }
  }

  private async verifyNow(): Promise<void> {
    const client = this.client;
    if (!client || !this.isUp()) return;
    for (const [path, mode] of [...this.serverWatches]) {
      if (this.serverWatches.get(path) === mode) await client.addWatch(path, mode === 'recursive');
    }
    const paths = new Set<string>();
    for (const w of this.watches.values()) if (w.active && (w.kind === 'node' || w.mode === 'oneShot')) paths.add(w.path);
    await Promise.all(
      [...paths].map(async (path) => {
        if (this.queues.has(path)) return;
        const stat = await client.exists(path);
        // A notification for anything the reply shows has arrived before it: if one did, its
        // record is queued (or done, and the snapshot is up to date).
        const snap = this.snapshotOf(path);
        if (!snap || this.queues.has(path) || client !== this.client) return;
        const differs = stat
          ? !snap.exists || snap.czxid !== stat.czxid || snap.version !== stat.version || (snap.cversion !== undefined && snap.cversion !== stat.cversion)
          : snap.exists;
        if (differs) this.enqueue(path, { catchUp: 'rearmed' });
      }),
    );
  }

  // --- after a disconnect ----------------------------------------------------------------------

  /** Compares what is known with the server after the watch was down, and sets one-shot watches again. */
  private async catchUp(w: ActiveWatch, cause: CatchUpCause, zxid: string | undefined): Promise<void> {
    this.catchingUp++;
    try {
      await this.catchUpNow(w, cause, zxid);
    } finally {
      this.catchingUp--;
    }
  }

  private async catchUpNow(w: ActiveWatch, cause: CatchUpCause, zxid: string | undefined): Promise<void> {
    if (!this.watches.has(key(w.kind, w.path)) || !this.client) return;
    if (w.kind === 'node') {
      this.enqueue(w.path, { catchUp: cause });
      return;
    }
    if (w.mode === 'oneShot') {
      for (const p of w.tracked ?? [w.path]) this.enqueue(p, { catchUp: cause });
      return;
    }
    // Persistent recursive: the nodes seen before, then the others by zxid.
    const known = new Set<string>([w.path]);
    this.enqueue(w.path, { catchUp: cause });
    for (const p of this.lru.keys()) {
      if (p !== w.path && within(p, w.path)) {
        known.add(p);
        this.enqueue(p, { catchUp: cause });
      }
    }
    const client = this.client;
    if (!zxid) {
      this.notice('warn', `compared the ${known.size.toLocaleString('en')} nodes seen before; other nodes of the subtree changed while disconnected cannot be found (the last zxid is unknown)`, w.path);
      return;
    }
    const count = await client.getAllChildrenNumber(w.path).catch(() => undefined);
    if (count !== undefined && count + 1 > this.options.catchUpWalkLimit) {
      this.notice(
        'warn',
        `the subtree has ${(count + 1).toLocaleString('en')} nodes, more than the ${this.options.catchUpWalkLimit.toLocaleString('en')} read after a disconnect: ` +
          `only the ${known.size.toLocaleString('en')} nodes seen before were compared; other changes made while disconnected are not listed`,
        w.path,
      );
      return;
    }
    const changedParents = new Map<string, ZnodeStat>();
    const explained = new Set<string>();
    try {
      await boundedWalk(client, w.path, {
        concurrency: 16,
        limit: this.options.catchUpWalkLimit,
        onNode: (n) => {
          const createdSince = compareZxid(n.stat.czxid, zxid) > 0;
          if (!createdSince && compareZxid(n.stat.pzxid, zxid) > 0) changedParents.set(n.path, n.stat);
          if (known.has(n.path)) return;
          if (createdSince) {
            explained.add(parentPath(n.path));
            this.enqueue(n.path, { catchUp: cause, trigger: 'created' });
          } else if (compareZxid(n.stat.mzxid, zxid) > 0) {
            this.enqueue(n.path, { catchUp: cause, trigger: 'dataChanged', notified: 0 });
          }
        },
      });
    } catch (e) {
      if (!isZkError(e, 'NONODE')) this.notice('warn', `could not look for changes made while disconnected: ${(e as Error).message}`, w.path);
      return;
    }
    // A parent whose children changed without a new child to show for it lost children.
    for (const [p, stat] of changedParents) {
      if (explained.has(p) || known.has(p)) continue;
      this.resolved([
        {
          kind: 'change',
          time: this.options.now(),
          connection: this.connection,
          type: 'childrenChanged',
          path: p,
          numChildren: stat.numChildren,
          catchUp: cause,
          note: 'children deleted (names not known: they had not been seen)',
        },
      ]);
    }
  }

  // --- notifications -----------------------------------------------------------------------------

  private readonly onWatchEvent = (e: WatchEvent): void => {
    if (this.disposed || !this.client || this.watches.size === 0) return;
    if (REMOVED_TYPES.has(e.type)) {
      this.onWatchRemoved(e.path);
      return;
    }
    if (!CHANGE_TYPES.has(e.type)) return;
    const type = e.type as ChangeType;
    const i = this.interest(e.path);
    if (i.oneShot) this.consume(e.path, type);
    const relevant = type === 'childrenChanged' ? i.keepChildren : i.data;
    if (relevant) {
      this.counters.notifications++;
      if (type === 'dataChanged' && !i.oneShot) {
        const snap = this.snapshotOf(e.path);
        if (snap?.dataNotified !== undefined) snap.dataNotified++;
        else if (!snap) this.unseen.set(e.path, (this.unseen.get(e.path) ?? 0) + 1);
      }
      this.enqueue(e.path, { trigger: type, notified: type === 'dataChanged' ? 1 : 0 });
    }
    // A node watched together with its subtree gets no childrenChanged of its own (recursive
    // watches have none): its children's created/deleted stand for it.
    if ((type === 'created' || type === 'deleted') && e.path !== '/') {
      const parent = parentPath(e.path);
      if (this.serverWatches.get(parent) === 'recursive' && this.watches.has(key('node', parent))) {
        this.enqueue(parent, { trigger: 'childrenChanged' });
      }
    }
  };

  /** The server dropped a watch: ours (unwatch) is expected; anyone else's is set again and compared. */
  private onWatchRemoved(path: string): void {
    const at = this.removing.get(path);
    if (at !== undefined) {
      if (this.options.now() - at < 10_000) return;
      this.removing.delete(path);
    }
    const affected = [...this.watches.values()].filter((w) => w.path === path || w.tracked?.has(path));
    if (affected.length === 0) return;
    this.armed.delete(path);
    if (this.serverWatches.has(path)) this.serverWatches.delete(path);
    this.notice('warn', 'the watch was removed on the server by another part of this session; setting it again', path);
    void this.serially(async () => {
      for (const w of affected) {
        if (w.path === path && w.mode === 'persistent') await this.reconcileServerWatch(path);
        if (w.path === path && w.kind === 'subtree' && w.mode === 'persistent') await this.catchUp(w, 'rearmed', lastZxidOf(this.client));
        else this.enqueue(path, { catchUp: 'rearmed' });
      }
    });
  }

  private interest(path: string): { data: boolean; keepChildren: boolean; nodeWatched: boolean; oneShot: boolean; armExists: boolean; pinned: boolean } {
    let nodeWatched = false;
    let oneShotTracked = false;
    let persistentSubtree = false;
    let oneShot = false;
    let armExists = false;
    for (const w of this.watches.values()) {
      if (!w.active) continue;
      if (w.kind === 'node') {
        if (w.path === path) {
          nodeWatched = true;
          armExists = true;
          if (w.mode === 'oneShot') oneShot = true;
        }
      } else if (within(path, w.path)) {
        if (w.mode === 'persistent') persistentSubtree = true;
        else if (w.tracked?.has(path)) {
          oneShotTracked = true;
          oneShot = true;
          if (path === w.path) armExists = true;
        }
      }
    }
    return {
      data: nodeWatched || oneShotTracked || persistentSubtree,
      keepChildren: nodeWatched || oneShotTracked,
      nodeWatched,
      oneShot,
      armExists,
      pinned: nodeWatched || oneShotTracked,
    };
  }

  private isPinned(path: string): boolean {
    for (const w of this.watches.values()) {
      if (w.kind === 'node' && w.path === path) return true;
      if (w.tracked?.has(path)) return true;
    }
    return false;
  }

  /** A notification consumed the one-shot watches it fired. */
  private consume(path: string, type: ChangeType): void {
    const a = this.armed.get(path);
    if (!a) return;
    if (type === 'created' || type === 'dataChanged' || type === 'deleted') {
      a.data = false;
      a.dataFired++;
    }
    if (type === 'childrenChanged' || type === 'deleted') {
      a.child = false;
      a.childFired++;
    }
  }

  // --- records -------------------------------------------------------------------------------------

  private enqueue(
    path: string,
    opts: { trigger?: ChangeType; notified?: number; catchUp?: CatchUpCause; baseline?: 'announce' | 'silent'; announce?: WatchKind },
  ): void {
    if (this.disposed) return;
    let q = this.queues.get(path);
    if (!q) {
      q = { pending: [] };
      this.queues.set(path, q);
    }
    // Merge into a record whose read has not been sent yet: one read covers them all.
    const open = q.pending.length > 0 ? q.pending[q.pending.length - 1] : q.running && !q.running.sent ? q.running : undefined;
    if (open && !open.baseline && !opts.baseline && open.catchUp === opts.catchUp) {
      if (opts.trigger) open.triggers.add(opts.trigger);
      open.dataNotifications += opts.notified ?? 0;
      return;
    }
    const rec: Rec = {
      seq: this.seq++,
      path,
      time: this.options.now(),
      triggers: new Set(opts.trigger ? [opts.trigger] : []),
      dataNotifications: opts.notified ?? 0,
      catchUp: opts.catchUp,
      baseline: opts.baseline,
      announce: opts.announce,
      sent: false,
      done: false,
      lines: [],
      attempts: 0,
    };
    this.out.push(rec);
    this.unresolved++;
    q.pending.push(rec);
    this.pump(path, q);
  }

  private pump(path: string, q: PathQueue): void {
    if (q.running) return;
    const rec = q.pending.shift();
    if (!rec) {
      this.queues.delete(path);
      return;
    }
    q.running = rec;
    this.run(rec, q);
  }

  /** Runs a path's current record when a read slot is free. */
  private run(rec: Rec, q: PathQueue): void {
    const path = rec.path;
    const finish = (lines: WatchLogEvent[]) => {
      rec.lines = lines;
      rec.done = true;
      this.unresolved--;
      q.running = undefined;
      this.release();
      this.pump(path, q);
      this.drain();
    };
    const go = () => {
      rec.sent = true;
      const client = this.client;
      this.execute(rec).then(
        (result) => {
          if (result !== RETRY) return finish(result);
          // Connection trouble: the record keeps its place (and takes in new notifications) and
          // reads again once the connection is back, so a notified change is reported once,
          // with what changed, rather than as "not read" and again after the comparison.
          rec.sent = false;
          rec.attempts++;
          this.release();
          if (this.disposed) return;
          if (this.isUp() && client === this.client) {
            const t = setTimeout(() => this.run(rec, q), 200 * rec.attempts);
            t.unref?.();
          } else {
            this.parked.push({ rec, q });
          }
        },
        (e: unknown) => finish([this.noticeEvent('error', `could not process an event: ${(e as Error).message}`, rec.path)]),
      );
    };
    if (this.active < this.options.readConcurrency) {
      this.active++;
      go();
    } else {
      this.waitingRuns.push(go);
    }
  }

  /** The connection is back: records that could not read try again. */
  private resumeParked(): void {
    for (const { rec, q } of this.parked.splice(0)) this.run(rec, q);
  }

  private release(): void {
    if (this.waitingHead < this.waitingRuns.length) {
      const next = this.waitingRuns[this.waitingHead++];
      if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waitingRuns.length) {
        this.waitingRuns.splice(0, this.waitingHead);
        this.waitingHead = 0;
      }
      next();
      return;
    }
    this.active--;
  }

  /** Emits finished records from the head, in order. */
  private drain(): void {
    if (this.disposed) return;
    while (this.outHead < this.out.length && this.out[this.outHead].done) {
      const rec = this.out[this.outHead++];
      for (const line of rec.lines) {
        try {
          this.emit(line);
        } catch {
          // The sink's problem; the watches go on.
        }
      }
    }
    if (this.outHead === this.out.length) {
      this.out = [];
      this.outHead = 0;
    } else if (this.outHead > 4096 && this.outHead * 2 > this.out.length) {
      this.out = this.out.slice(this.outHead);
      this.outHead = 0;
    }
    if (this.unresolved === 0) {
      if (!this.down && this.catchingUp === 0) this.settledZxid = lastZxidOf(this.client) ?? this.settledZxid;
      for (const r of this.idleWaiters.splice(0)) r();
    }
  }

  /** Lines that need no read, in order with the rest. */
  private resolved(lines: WatchLogEvent[]): void {
    this.out.push({ seq: this.seq++, path: '', time: this.options.now(), triggers: new Set(), dataNotifications: 0, sent: true, done: true, lines, attempts: 0 });
    this.drain();
  }

  private notice(level: NoticeEvent['level'], message: string, path?: string): void {
    this.resolved([this.noticeEvent(level, message, path)]);
  }

  private noticeEvent(level: NoticeEvent['level'], message: string, path?: string): NoticeEvent {
    const n: NoticeEvent = { kind: 'notice', time: this.options.now(), connection: this.connection, level, message };
    if (path !== undefined) n.path = path;
    return n;
  }

  private snapshotOf(path: string): NodeSnapshot | undefined {
    return this.pinned.get(path) ?? this.lru.peek(path);
  }

  private store(path: string, snap: NodeSnapshot | undefined): void {
    if (this.isPinned(path)) {
      this.lru.delete(path);
      if (snap) this.pinned.set(path, snap);
      else this.pinned.delete(path);
    } else if (snap) {
      this.lru.set(path, snap);
    } else {
      this.lru.delete(path);
    }
  }

  /** Reads the node as the record needs, compares with its snapshot, and returns the lines. */
  private async execute(rec: Rec): Promise<WatchLogEvent[] | typeof RETRY> {
    const client = this.client;
    const path = rec.path;
    const i = this.interest(path);
    if (!client || (!i.data && !i.keepChildren)) return [];
    const prev = this.snapshotOf(path);

    // Overloaded: say what the notifications said, without reading (snapshots of nodes not
    // pinned are forgotten, the next read of such a node starts afresh).
    if (!i.pinned && !rec.baseline && !rec.catchUp && this.unresolved > this.options.maxPending) {
      this.counters.skippedDetails++;
      this.lru.delete(path);
      this.unseen.delete(path);
      const note = `details not read: ${this.unresolved.toLocaleString('en')} events waiting`;
      return [...rec.triggers].map((type) => this.changeLine(rec, type, { note, changes: type === 'dataChanged' && rec.dataNotifications > 1 ? rec.dataNotifications : undefined }));
    }

    let needData: boolean;
    let needChildren: boolean;
    if (rec.baseline || rec.catchUp || i.oneShot) {
      needData = true;
      needChildren = i.keepChildren;
    } else {
      const r = readsFor(rec.triggers);
      needData = r.data;
      needChildren = r.children && i.keepChildren;
    }
    const armed = this.armed.get(path) ?? { data: false, child: false, dataFired: 0, childFired: 0 };
    // After a disconnect or a dropped watch the flags cannot be trusted: set them all again.
    const force = rec.catchUp !== undefined;
    const arm = i.oneShot ? { data: force || !armed.data, child: i.keepChildren && (force || !armed.child), exists: i.armExists } : undefined;

    let obs: Observation;
    try {
      obs = needData || needChildren ? await this.observe(client, path, needData, needChildren, arm) : { exists: false };
    } catch (e) {
      const connection = isZkError(e) && CONNECTION_CODES.has(e.code);
      if (client !== this.client || (connection && (!this.isUp() || rec.attempts < 3))) return RETRY;
      const note = connection
        ? `details not read (${(e as Error).message}); compared again when the connection is back`
        : `could not read: ${(e as Error).message}`;
      if (rec.baseline === 'announce') return [this.noticeEvent('warn', `watch set, but its current state could not be read: ${(e as Error).message}`, path)];
      return [...rec.triggers].map((type) => this.changeLine(rec, type, { note }));
    }
    if (client !== this.client) return RETRY; // the session changed meanwhile: read on the new one

    const lines: WatchLogEvent[] = rec.baseline
      ? []
      : diffSnapshot(prev, obs, {
          connection: this.connection,
          path,
          time: rec.time,
          triggers: rec.triggers,
          dataNotifications: prev === undefined && this.unseen.has(path) ? this.unseen.get(path)! : rec.dataNotifications,
          children: i.nodeWatched,
          catchUp: rec.catchUp,
          maxNames: this.options.maxNames,
        });
    const next = nextSnapshot(prev, obs, i.keepChildren);
    if (!i.oneShot) {
      // Persistent: every data change is notified; count them from the first snapshot on.
      // A baseline, or a comparison after notifications may have been lost, starts counting afresh.
      const changeLines = lines.filter((l): l is ChangeEvent => l.kind === 'change');
      if (rec.baseline || rec.catchUp) {
        next.dataNotified = 0;
        next.dataAccounted = 0;
        delete next.countByNotifications;
      } else if (next.dataNotified === undefined) {
        // First snapshot of this node: the notifications so far were counted by its lines.
        next.dataNotified = this.unseen.get(path) ?? 0;
        next.dataAccounted = dataChangesIn(changeLines);
        if (changeLines.some((l) => l.firstSeen && l.type === 'dataChanged')) {
          next.countByNotifications = true;
          next.dataAccounted = next.dataNotified;
        }
      } else {
        next.dataAccounted = (next.dataAccounted ?? 0) + dataChangesIn(changeLines);
      }
    } else {
      delete next.dataNotified;
      delete next.dataAccounted;
      delete next.countByNotifications;
    }
    this.unseen.delete(path);
    this.store(path, next);

    if (rec.baseline === 'announce') lines.push(this.baselineNotice(path, obs, rec.announce ?? 'node'));
    if (i.nodeWatched) await this.lookUpOwners(client, path, lines);
    this.followSubtree(rec, path, prev, obs);
    return lines;
  }

  private changeLine(rec: Rec, type: ChangeType, fields: Partial<ChangeEvent>): ChangeEvent {
    const e: ChangeEvent = { kind: 'change', time: rec.time, connection: this.connection, type, path: rec.path };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) (e as unknown as Record<string, unknown>)[k] = v;
    if (rec.catchUp) e.catchUp = rec.catchUp;
    return e;
  }

  private baselineNotice(path: string, obs: Observation, kind: WatchKind): NoticeEvent {
    const w = this.watches.get(key(kind, path));
    const node = kind === 'node';
    const sub = kind === 'subtree' ? w : undefined;
    const parts: string[] = [];
    const how =
      w?.mode === 'oneShot'
        ? `one-shot watches, re-armed after each event${sub ? ` (up to ${this.options.oneShotSubtreeLimit.toLocaleString('en')} nodes)` : ''}`
        : sub
          ? 'persistent recursive watch'
          : 'persistent watch';
    const what = node ? 'watching node (data and children)' : 'watching subtree';
    if (!obs.exists) parts.push('does not exist yet: its creation will be reported');
    else {
      if (obs.version !== undefined) parts.push(`v${obs.version}`);
      if (obs.data) parts.push(`${obs.data.size.toLocaleString('en')} B`);
      if (node && obs.numChildren !== undefined) parts.push(`${obs.numChildren.toLocaleString('en')} children`);
      if (sub?.count !== undefined) parts.push(`${(sub.count + 1).toLocaleString('en')} nodes in the subtree`);
      if (obs.ephemeralOwner && obs.ephemeralOwner !== '0x0') parts.push(`ephemeral, session ${obs.ephemeralOwner}`);
    }
    return this.noticeEvent('info', `${what}, ${how} · ${parts.join(' · ')}`, path);
  }

  /** One-shot subtrees: new children get watches (and are reported created), gone ones are dropped. */
  private followSubtree(rec: Rec, path: string, prev: NodeSnapshot | undefined, obs: Observation): void {
    for (const w of this.watches.values()) {
      if (w.kind !== 'subtree' || w.mode !== 'oneShot' || !w.tracked?.has(path)) continue;
      if (!obs.exists) {
        if (path !== w.path) {
          w.tracked.delete(path);
          if (!this.isPinned(path)) {
            this.pinned.delete(path);
            this.armed.delete(path);
          }
        }
        continue;
      }
      if (!obs.children) continue;
      const before = prev?.exists && prev.children ? prev.children : [];
      const added = rec.baseline ? obs.children : diffNames(before, obs.children).added;
      for (const name of added) {
        const child = joinPath(path, name);
        if (w.tracked.has(child)) continue;
        if (w.tracked.size >= this.options.oneShotSubtreeLimit) {
          if (!w.overLimitNoticed) {
            w.overLimitNoticed = true;
            this.notice('warn', `more than ${this.options.oneShotSubtreeLimit.toLocaleString('en')} nodes: nodes beyond them are not watched (this server has no persistent watches)`, w.path);
          }
          break;
        }
        w.tracked.add(child);
        if (rec.baseline) this.enqueue(child, { baseline: 'silent' });
        else this.enqueue(child, { trigger: 'created', catchUp: rec.catchUp });
      }
    }
  }

  private async lookUpOwners(client: WatchClient, path: string, lines: WatchLogEvent[]): Promise<void> {
    for (const line of lines) {
      if (line.kind !== 'change' || line.type !== 'childrenChanged' || !line.added?.length) continue;
      const names = line.added.slice(0, this.options.ownerLookups);
      const stats = await Promise.all(names.map((n) => client.exists(joinPath(path, n)).catch(() => undefined)));
      names.forEach((n, idx) => {
        const o = stats[idx]?.ephemeralOwner;
        if (o && o !== '0x0') (line.addedOwners ??= {})[n] = o;
      });
    }
  }

  /** One read of a node (data, children, both), setting one-shot watches when asked. */
  private async observe(
    client: WatchClient,
    path: string,
    needData: boolean,
    needChildren: boolean,
    arm: { data: boolean; child: boolean; exists: boolean } | undefined,
  ): Promise<Observation> {
    this.counters.reads++;
    let armed = this.armed.get(path);
    if (arm && !armed) this.armed.set(path, (armed = { data: false, child: false, dataFired: 0, childFired: 0 }));
    // A watch set by this read may fire before its reply is processed (the notification can come
    // in the same socket read): a watch counts as set only if nothing fired since it was asked for.
    const dataFired = armed?.dataFired ?? 0;
    const childFired = armed?.childFired ?? 0;
    const dataRead = needData
      ? client.getData(path, arm?.data ? ARM : undefined).then(
          (r) => r,
          (e: unknown) => {
            if (isZkError(e, 'NONODE')) return undefined;
            throw e;
          },
        )
      : Promise.resolve(undefined);
    const childRead = needChildren
      ? client.getChildren(path, arm?.child ? ARM : undefined).then(
          (r) => r,
          (e: unknown) => {
            if (isZkError(e, 'NONODE')) return undefined;
            throw e;
          },
        )
      : Promise.resolve(undefined);
    const [d, c] = await Promise.all([dataRead, childRead]);
    let obs: Observation;
    if (needData && !d) {
      obs = { exists: false };
      if (arm?.exists && armed) {
        // Missing: an exists watch reports its creation (it is a data watch once the node exists).
        const fired = armed.dataFired;
        const stat = await client.exists(path, ARM);
        if (armed.dataFired === fired) armed.data = true;
        if (stat) obs = this.observation(stat, undefined);
      } else if (armed) {
        armed.data = false;
      }
    } else if (d) {
      obs = this.observation(d.stat, d.data);
      if (arm?.data && armed && armed.dataFired === dataFired) armed.data = true;
    } else {
      obs = c ? this.observation(c.stat, undefined) : { exists: false };
    }
    if (c && obs.exists) {
      obs.cversion = c.stat.cversion;
      obs.numChildren = c.stat.numChildren;
      obs.pzxid = c.stat.pzxid;
      if (c.children.length <= this.options.maxTrackedChildren) obs.children = c.children.slice().sort();
      else obs.childrenOverLimit = true;
      if (arm?.child && armed && armed.childFired === childFired) armed.child = true;
    } else if (needChildren && !c && armed) {
      armed.child = false;
    }
    if (!c && obs.exists) {
      // Children not listed: their counters come with the listing, or a children change would be
      // recorded without its names.
      delete obs.cversion;
      delete obs.pzxid;
      delete obs.numChildren;
    }
    return obs;
  }

  private observation(stat: ZnodeStat, data: Uint8Array | undefined): Observation {
    const obs: Observation = {
      exists: true,
      czxid: stat.czxid,
      mzxid: stat.mzxid,
      pzxid: stat.pzxid,
      version: stat.version,
      cversion: stat.cversion,
      ephemeralOwner: stat.ephemeralOwner,
      numChildren: stat.numChildren,
    };
    if (data) {
      // A copy of the start only: never keep the reply buffer (up to 1 MiB) alive.
      obs.data = { head: new Uint8Array(data.subarray(0, this.options.previewBytes)), size: data.length, digest: dataDigest(data) };
    }
    return obs;
  }
}

function key(kind: WatchKind, path: string): string {
  return `${kind}\u0000${path}`;
}
