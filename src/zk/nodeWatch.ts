// Watches on the nodes that are open in editors, and only on those: one exists() watch per
// (connection, path), shared by every listener, re-armed after each notification and after a new
// session replaces an expired one. Changes are found by comparing what was known with what a read
// finds now (existence, incarnation, version), so notifications that were merged, or missed while
// no watch was set, still produce exactly one change report with the current state.
import type { EventEmitter } from 'node:events';
import type { ZnodeStat } from './stat';
import type { Watcher } from './client';

/** The part of an EnsembleConnection this needs. */
export interface WatchableConnection extends Pick<EventEmitter, 'on' | 'off'> {
  readonly state: string;
  readonly client: { exists(path: string, watcher?: Watcher): Promise<ZnodeStat | undefined> };
}

export interface NodeChange {
  connection: string;
  path: string;
  kind: 'created' | 'deleted' | 'changed';
  /** The node's stat now (undefined when deleted). */
  stat: ZnodeStat | undefined;
}

export type NodeChangeListener = (change: NodeChange) => void;

interface Entry {
  connectionName: string;
  path: string;
  listeners: Set<NodeChangeListener>;
  /** Bumped on every arm: only the latest armed watcher may re-arm. */
  generation: number;
  /** What was known: undefined = nothing yet, null = does not exist. */
  known: ZnodeStat | null | undefined;
  armed: boolean;
  /**
   * The entry's one watcher: the same function at every arm, so that the client registers it once
   * (a new closure per arm added a listener per reconnect and recheck until the node changed).
   */
  watcher?: Watcher;
}

interface Bound {
  connection: WatchableConnection;
  onRenewed: () => void;
  onStatus: (s: { state: string }) => void;
}

const USABLE = new Set(['connected', 'readOnlyServer', 'reconnecting']);

export class NodeWatchSet {
  private readonly entries = new Map<string, Entry>();
  private readonly bound = new Map<string, Bound>();
  private disposed = false;

  /**
   * @param resolve the current connection object for a name (it can be replaced when settings or
   *   credentials change: call refresh() then).
   * @param onError a watch could not be set (it is retried when the connection is usable again).
   */
  constructor(
    private readonly resolve: (connectionName: string) => WatchableConnection | undefined,
    private readonly onError: (e: unknown, connectionName: string, path: string) => void = () => undefined,
  ) {}

  /**
   * Starts watching (or joins the existing watch); dispose the result to stop listening.
   * @param baseline the node's state as the caller knows it (null: known not to exist), so that a
   *   change between the caller's read and the watch being set is reported too.
   */
  watch(connectionName: string, path: string, listener: NodeChangeListener, baseline?: ZnodeStat | null): { dispose(): void } {
    const key = `${connectionName}\u0000${path}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { connectionName, path, listeners: new Set(), generation: 0, known: baseline, armed: false };
      this.entries.set(key, entry);
      this.bind(connectionName);
      void this.arm(entry);
    }
    entry.listeners.add(listener);
    const e = entry;
    return {
      dispose: () => {
        e.listeners.delete(listener);
        if (e.listeners.size === 0 && this.entries.get(key) === e) {
          this.entries.delete(key);
          e.generation++; // a notification still on its way is ignored
          if (![...this.entries.values()].some((x) => x.connectionName === connectionName)) this.unbind(connectionName);
        }
      },
    };
  }

  /** Number of (connection, path) pairs watched: what the server holds for us. */
  get size(): number {
    return this.entries.size;
  }

  isWatching(connectionName: string, path: string): boolean {
    return this.entries.has(`${connectionName}\u0000${path}`);
  }

  /** Whether the watch is set on the server now (false while it waits for a usable connection). */
  isArmed(connectionName: string, path: string): boolean {
    return this.entries.get(`${connectionName}\u0000${path}`)?.armed ?? false;
  }

  /**
   * Reads the node again now, reports a change that was missed, and sets its watch again (in case
   * another component removed this session's watches on the path with removeWatches).
   */
  recheck(connectionName: string, path: string): void {
    const e = this.entries.get(`${connectionName}\u0000${path}`);
    if (e) void this.arm(e);
  }

  /** Re-reads every watched node now (e.g. after the connection objects were replaced). */
  refresh(connectionName?: string): void {
    for (const name of new Set([...this.entries.values()].map((e) => e.connectionName))) {
      if (connectionName !== undefined && name !== connectionName) continue;
      const current = this.resolve(name);
      if (this.bound.get(name)?.connection !== current) {
        this.unbind(name);
        this.bind(name);
      }
    }
    for (const e of this.entries.values()) if (connectionName === undefined || e.connectionName === connectionName) void this.arm(e);
  }

  dispose(): void {
    this.disposed = true;
    for (const name of [...this.bound.keys()]) this.unbind(name);
    for (const e of this.entries.values()) e.generation++;
    this.entries.clear();
  }

  private bind(name: string): void {
    if (this.bound.has(name)) return;
    const connection = this.resolve(name);
    if (!connection) return;
    // A new session has none of the old one's watches: set them again and report what changed.
    const onRenewed = () => this.refreshBound(name);
    // A watch that could not be set (not connected yet) is set as soon as the connection works.
    const onStatus = (s: { state: string }) => {
      if (!USABLE.has(s.state)) return;
      for (const e of this.entries.values()) if (e.connectionName === name && !e.armed) void this.arm(e);
    };
    connection.on('sessionRenewed', onRenewed);
    connection.on('status', onStatus);
    this.bound.set(name, { connection, onRenewed, onStatus });
  }

  private unbind(name: string): void {
    const b = this.bound.get(name);
    if (!b) return;
    b.connection.off('sessionRenewed', b.onRenewed);
    b.connection.off('status', b.onStatus);
    this.bound.delete(name);
  }

  private refreshBound(name: string): void {
    for (const e of this.entries.values()) if (e.connectionName === name) void this.arm(e);
  }

  private async arm(entry: Entry): Promise<void> {
    if (this.disposed) return;
    const generation = ++entry.generation;
    const connection = this.bound.get(entry.connectionName)?.connection ?? this.resolve(entry.connectionName);
    entry.armed = false;
    if (!connection || !USABLE.has(connection.state)) return; // armed on the next usable status
    let stat: ZnodeStat | undefined;
    try {
      // One-shot: whatever it was (created, deleted, data changed), read again and re-arm.
      entry.watcher ??= () => {
        if (this.entries.get(keyOf(entry)) === entry) void this.arm(entry);
      };
      stat = await connection.client.exists(entry.path, entry.watcher);
    } catch (e) {
      if (entry.generation === generation) this.onError(e, entry.connectionName, entry.path);
      return;
    }
    if (!this.entries.has(keyOf(entry))) return;
    if (entry.generation !== generation) {
      // A newer arm is on its way (a notification came first); this read is still the baseline
      // that the newer one compares with.
      if (entry.known === undefined) entry.known = stat ?? null;
      return;
    }
    entry.armed = true;
    const before = entry.known;
    entry.known = stat ?? null;
    if (before === undefined) return; // the first read: the baseline
    const change = compare(before, stat);
    if (!change) return;
    const report: NodeChange = { connection: entry.connectionName, path: entry.path, kind: change, stat };
    for (const l of [...entry.listeners]) {
      try {
        l(report);
      } catch (err) {
        this.onError(err, entry.connectionName, entry.path);
      }
    }
  }
}

function keyOf(e: Entry): string {
  return `${e.connectionName}\u0000${e.path}`;
}

/** What happened between two observations, or undefined when nothing did. */
export function compare(before: ZnodeStat | null, after: ZnodeStat | undefined): NodeChange['kind'] | undefined {
  if (before === null) return after ? 'created' : undefined;
  if (!after) return 'deleted';
  if (before.czxid !== after.czxid) return 'created'; // deleted and created again
  if (before.version !== after.version || before.mzxid !== after.mzxid) return 'changed';
  return undefined;
}
