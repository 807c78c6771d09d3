// WatchManager: the watches of one ensemble connection, kept working across reconnects and
// session expiries, turned into one ordered stream of change events with what changed.
//
// This module is the thin owner: the registry of watches, the connection lifecycle, setting
// watches on the server (persistent, or one-shot through arming.ts), notifications, and verify.
// The rest lives in its own module:
// - recordQueue.ts: notifications become records, one per path at a time (a burst of changes to
//   one node costs one read), leaving in the order their first notification arrived;
// - recordReader.ts: a record's read and its comparison with the node's snapshot (diff.ts);
// - arming.ts: one-shot watches believed set, re-armed by each read (servers without addWatch);
// - catchUp.ts: after a disconnect or a new session, known snapshots are compared with the
//   server and nodes never seen are found by zxid within a bounded walk;
// - savedRun.ts: what is saved for a later run, and what an earlier run saved;
// - watchOptions.ts / interest.ts: options, client and host shapes, what watches want of a path.
import type { WatchEvent } from '../client';
import type { ConnectionStatus } from '../ensembleConnection';
import { isZkError } from '../errors';
import { messageOfError, msg, type Message } from '../message';
import { parentPath } from '../paths';
import { Arming } from './arming';
import { catchUpWatch, type CatchUpHost } from './catchUp';
import { nextSnapshot } from './diff';
import { Lru } from './lru';
import { RecordQueue } from './recordQueue';
import { interestIn, isPinnedBy, type Interest } from './interest';
import { RecordReader, type ReaderHost } from './recordReader';
import { RestoredState, buildSavedState } from './savedRun';
import type { SavedWatchState } from './savedState';
import type { CatchUpCause, ChangeType, NodeSnapshot, NoticeEvent, WatchKind, WatchLogEvent } from './types';
import { boundedWalk } from './walk';
import {
  WATCH_DEFAULTS,
  lastZxidOf,
  watchKey as key,
  type ActiveWatch,
  type WatchClient,
  type WatchHost,
  type WatchInfo,
  type WatchManagerOptions,
  type WatchStats,
} from './watchOptions';

export { WATCH_DEFAULTS, compareZxid, lastZxidOf, within, type WatchClient, type WatchHost, type WatchInfo, type WatchManagerOptions, type WatchStats } from './watchOptions';

interface Down {
  since: number;
  zxid?: string;
}

const CHANGE_TYPES = new Set<string>(['created', 'deleted', 'dataChanged', 'childrenChanged']);
const REMOVED_TYPES = new Set<string>(['childWatchRemoved', 'dataWatchRemoved', 'persistentWatchRemoved']);

export class WatchManager {
  readonly options: WatchManagerOptions;
  private readonly watches = new Map<string, ActiveWatch>();
  private client: WatchClient | undefined;
  private persistentSupported: boolean | undefined;
  private readonly pinned = new Map<string, NodeSnapshot>();
  private readonly lru: Lru<string, NodeSnapshot>;
  private readonly records: RecordQueue;
  private readonly arming: Arming;
  private readonly reader: RecordReader;
  /** Persistent watches this manager set on the current session. */
  private readonly serverWatches = new Map<string, 'persistent' | 'recursive'>();
  /** Paths whose watches this manager is removing (their "watch removed" events are expected). */
  private readonly removing = new Map<string, number>();
  private down: Down | undefined;
  private expiredSessionId: string | undefined;
  private disposed = false;
  private readonly counters = { reads: 0, notifications: 0, skippedDetails: 0 };
  private establishing: Promise<void> = Promise.resolve();
  private readonly verifyTimer: NodeJS.Timeout | undefined;
  private verifying = false;
  /** dataChanged notifications of nodes without a snapshot yet (persistent watches), by path. */
  private readonly unseen = new Map<string, number>();
  /** A state saved by an earlier run, for the watches not set since (their keys). */
  private restored: RestoredState | undefined;
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
    this.arming = new Arming(this.options, this.counters);
    this.reader = new RecordReader(this.readerHost());
    this.records = new RecordQueue({
      readConcurrency: this.options.readConcurrency,
      now: () => this.options.now(),
      execute: (rec) => this.reader.execute(rec),
      failed: (rec, e) => this.noticeEvent('error', msg('could not process an event: {0}', messageOfError(e)), rec.path),
      emit: (line) => this.emit(line),
      client: () => this.client,
      isUp: () => this.isUp(),
      disposed: () => this.disposed,
      onIdle: () => {
        if (!this.down && this.catchingUp === 0) this.settledZxid = lastZxidOf(this.client) ?? this.settledZxid;
      },
    });
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
    return { pending: this.records.unresolved, ...this.counters, lruSize: this.lru.size, pinned: this.pinned.size };
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
      this.notice('info', kind === 'node' ? msg('will watch node once connected') : msg('will watch subtree once connected'), path);
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
    const both = removed.length > 1;
    this.notice('info', both ? msg('stopped watching node and subtree') : removed[0].kind === 'node' ? msg('stopped watching node') : msg('stopped watching subtree'), path);
    if (this.client) await this.serially(() => this.reconcileServerWatch(path).catch(() => undefined));
    return true;
  }

  async removeAll(): Promise<void> {
    for (const w of [...this.watches.values()]) await this.remove(w.path, w.kind);
  }

  /** Resolves when no record is waiting (tests and benchmarks). */
  whenIdle(): Promise<void> {
    return this.records.whenIdle();
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
    this.restored = new RestoredState(state);
  }

  /**
   * What to save to report, in a later run, the changes made until then: the last zxid up to which
   * every change was reported, and the snapshots of the watched nodes. Undefined when there is
   * nothing to save (no watch, or never connected and nothing restored).
   */
  saveState(): SavedWatchState | undefined {
    if (this.watches.size === 0) return undefined;
    // Watches restored but not set yet: what was saved still stands.
    if (this.restored?.open) return this.restored.state;
    const settled = this.records.unresolved === 0 && this.catchingUp === 0;
    const zxid = this.down ? this.down.zxid ?? this.settledZxid : settled ? lastZxidOf(this.client) ?? this.settledZxid : this.settledZxid;
    if (!zxid) return undefined;
    return buildSavedState(
      { watches: this.watches, pinned: this.pinned, lru: this.lru, maxSnapshots: this.options.savedSnapshots, snapshotOf: (p) => this.snapshotOf(p), now: () => this.options.now() },
      zxid,
    );
  }

  dispose(): void {
    this.disposed = true;
    if (this.verifyTimer) clearInterval(this.verifyTimer);
    this.host.off('watchEvent', this.onWatchEvent);
    this.host.off('status', this.onStatus);
    this.host.off('sessionExpired', this.onSessionExpired);
    this.watches.clear();
    this.records.dispose();
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
      this.records.resumeParked();
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
    this.arming.clear();
    this.serverWatches.clear();
    this.removing.clear();
    this.unseen.clear();
    const cause: CatchUpCause | undefined = previous ? (this.expiredSessionId ? 'sessionExpired' : 'reopened') : undefined;
    const expired = this.expiredSessionId;
    this.expiredSessionId = undefined;
    if (this.watches.size === 0) {
      this.records.resumeParked();
      return;
    }
    if (cause === 'sessionExpired') {
      const n = this.watches.size;
      this.notice('warn', n === 1 ? msg('session {0} expired; setting 1 watch again on session {1} and comparing with what was seen before', String(expired), client.sessionId) : msg('session {0} expired; setting {1} watches again on session {2} and comparing with what was seen before', String(expired), n, client.sessionId));
    } else if (cause === 'reopened') {
      this.notice('info', msg('connection opened again (session {0}); setting the watches again and comparing with what was seen before', client.sessionId));
    }
    for (const w of this.watches.values()) w.active = false;
    void this.serially(async () => {
      for (const w of this.watches.values()) await this.establish(w, cause, down?.zxid);
      // Reads that failed with the old session: now that the watches are set again. They keep
      // their place in each path's queue, before the comparisons just queued.
      this.records.resumeParked();
    });
  }

  /** Runs watch set-up steps one after another (they touch shared server watch state). */
  private serially(fn: () => Promise<void>): Promise<void> {
    const next = this.establishing.then(fn, fn).catch((e: unknown) => {
      this.notice('error', msg('could not set the watches: {0}', messageOfError(e)));
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
      this.notice('error', msg('could not set the watch: {0}; it is set again when the connection comes back', messageOfError(e)), w.path);
      return;
    }
    w.active = true;
    if (!cause && this.restored?.covers(w)) {
      const since = this.takeRestored(w, client);
      if (since) {
        cause = 'restored';
        zxid = since;
      }
    }
    if (w.kind === 'node') {
      if (cause) this.records.enqueue(w.path, { catchUp: cause });
      else this.records.enqueue(w.path, { baseline: 'announce', announce: 'node' });
      return;
    }
    if (w.mode === 'oneShot') {
      w.tracked ??= new Set([w.path]);
      for (const p of w.tracked) this.records.enqueue(p, cause ? { catchUp: cause } : p === w.path ? { baseline: 'announce', announce: 'subtree' } : { baseline: 'silent' });
      return;
    }
    // Persistent recursive.
    if (cause) {
      await this.catchUp(w, cause, zxid);
      return;
    }
    w.count = await client.getAllChildrenNumber(w.path).catch(() => undefined);
    this.records.enqueue(w.path, { baseline: 'announce', announce: 'subtree' });
    if (w.count !== undefined && w.count + 1 <= this.options.seedLimit) await this.seed(w, client);
  }

  /**
   * Seeds the snapshots an earlier run saved for this watch and returns the zxid to compare from,
   * or undefined when the saved state cannot be trusted for this ensemble (the watch then starts
   * afresh, and says why).
   */
  private takeRestored(w: ActiveWatch, client: WatchClient): string | undefined {
    const restored = this.restored!;
    const since = restored.take(w, client, { notice: (l, m, p) => this.notice(l, m, p), snapshotOf: (p) => this.snapshotOf(p), store: (p, s) => this.store(p, s) });
    if (!restored.open) this.restored = undefined;
    return since;
  }

  private fallBack(): void {
    if (this.persistentSupported === false) return;
    this.persistentSupported = false;
    this.notice('warn', msg('the server does not support persistent watches (ZooKeeper 3.6+): using one-shot watches, re-armed after each event; changes made between an event and the re-arm are found by version and reported as coalesced'));
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
          if (n.path === w.path || this.records.has(n.path) || this.snapshotOf(n.path)) return;
          this.store(n.path, { ...nextSnapshot(undefined, this.arming.observation(n.stat, n.data), false), dataNotified: 0, dataAccounted: 0 });
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
        if (this.records.has(path)) return;
        const stat = await client.exists(path);
        // A notification for anything the reply shows has arrived before it: if one did, its
        // record is queued (or done, and the snapshot is up to date).
        const snap = this.snapshotOf(path);
        if (!snap || this.records.has(path) || client !== this.client) return;
        const differs = stat
          ? !snap.exists || snap.czxid !== stat.czxid || snap.version !== stat.version || (snap.cversion !== undefined && snap.cversion !== stat.cversion)
          : snap.exists;
        if (differs) this.records.enqueue(path, { catchUp: 'rearmed' });
      }),
    );
  }

  // --- after a disconnect ----------------------------------------------------------------------

  /** Compares what is known with the server after the watch was down, and sets one-shot watches again. */
  private async catchUp(w: ActiveWatch, cause: CatchUpCause, zxid: string | undefined): Promise<void> {
    this.catchingUp++;
    try {
      await catchUpWatch(this.catchUpHost(), w, cause, zxid);
    } finally {
      this.catchingUp--;
    }
  }

  private catchUpHost(): CatchUpHost {
    return {
      options: this.options,
      connection: this.connection,
      client: () => this.client,
      watching: (w) => this.watches.has(key(w.kind, w.path)),
      seenPaths: () => this.lru.keys(),
      enqueue: (path, opts) => this.records.enqueue(path, opts),
      notice: (level, message, path) => this.notice(level, message, path),
      resolved: (lines) => this.records.resolved(lines),
    };
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
    if (i.oneShot) this.arming.consume(e.path, type);
    const relevant = type === 'childrenChanged' ? i.keepChildren : i.data;
    if (relevant) {
      this.counters.notifications++;
      if (type === 'dataChanged' && !i.oneShot) {
        const snap = this.snapshotOf(e.path);
        if (snap?.dataNotified !== undefined) snap.dataNotified++;
        else if (!snap) this.unseen.set(e.path, (this.unseen.get(e.path) ?? 0) + 1);
      }
      this.records.enqueue(e.path, { trigger: type, notified: type === 'dataChanged' ? 1 : 0 });
    }
    // A node watched together with its subtree gets no childrenChanged of its own (recursive
    // watches have none): its children's created/deleted stand for it.
    if ((type === 'created' || type === 'deleted') && e.path !== '/') {
      const parent = parentPath(e.path);
      if (this.serverWatches.get(parent) === 'recursive' && this.watches.has(key('node', parent))) {
        this.records.enqueue(parent, { trigger: 'childrenChanged' });
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
    this.arming.forget(path);
    if (this.serverWatches.has(path)) this.serverWatches.delete(path);
    this.notice('warn', msg('the watch was removed on the server by another part of this session; setting it again'), path);
    void this.serially(async () => {
      for (const w of affected) {
        if (w.path === path && w.mode === 'persistent') await this.reconcileServerWatch(path);
        if (w.path === path && w.kind === 'subtree' && w.mode === 'persistent') await this.catchUp(w, 'rearmed', lastZxidOf(this.client));
        else this.records.enqueue(path, { catchUp: 'rearmed' });
      }
    });
  }

  private interest(path: string): Interest {
    return interestIn(this.watches.values(), path);
  }

  private isPinned(path: string): boolean {
    return isPinnedBy(this.watches.values(), path);
  }

  // --- records -------------------------------------------------------------------------------------

  private notice(level: NoticeEvent['level'], message: Message, path?: string): void {
    this.records.resolved([this.noticeEvent(level, message, path)]);
  }

  private noticeEvent(level: NoticeEvent['level'], message: Message, path?: string): NoticeEvent {
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

  /** The manager's state, as the record reader works on it. */
  private readerHost(): ReaderHost {
    return {
      options: this.options,
      connection: this.connection,
      watches: this.watches,
      pinned: this.pinned,
      lru: this.lru,
      unseen: this.unseen,
      counters: this.counters,
      arming: this.arming,
      client: () => this.client,
      isUp: () => this.isUp(),
      unresolved: () => this.records.unresolved,
      interest: (path) => this.interest(path),
      isPinned: (path) => this.isPinned(path),
      snapshotOf: (path) => this.snapshotOf(path),
      store: (path, snap) => this.store(path, snap),
      enqueue: (path, opts) => this.records.enqueue(path, opts),
      notice: (level, message, path) => this.notice(level, message, path),
      noticeEvent: (level, message, path) => this.noticeEvent(level, message, path),
    };
  }
}
