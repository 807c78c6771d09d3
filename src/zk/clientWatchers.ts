// The watchers a ZkClient's callers pass to reads: registered as one-shot watches of the session
// (by full server path), and the notifications of the connection turned into WatchEvents with
// paths relative to the chroot; and the watch requests that add, remove and re-arm them on the server.
import { EVENT_TYPES, type RemoveWatchType, type Watcher, type WatchEvent } from './clientTypes';
import { addWatchRequest, existsRequest, getChildrenRequest, removeWatchesRequest } from './clientRequests';
import type { OneShotKind, OneShotListener } from './connection/oneShotWatches';
import { ZkError } from './errors';
import { ADD_WATCH_MODE, type WatcherEventFrame, type WireRequest, type ZkTransport } from './transport';

/** Sends one request through the client (its deadline, in-flight bound and errors). */
export type SendRequest = (op: string, path: string, build: (fullPath: string) => WireRequest) => Promise<unknown>;

/** A path below the chroot, and back. */
export interface ChrootPaths {
  toServerPath(path: string): string;
  /** Undefined when the server path lies outside the chroot. */
  fromServerPath(full: string): string | undefined;
}

export class ClientWatchers {
  private readonly wrappers = new WeakMap<Watcher, OneShotListener>();

  constructor(
    private readonly transport: ZkTransport,
    private readonly paths: ChrootPaths,
    private readonly onWatcherError: (err: unknown) => void,
    /** The client's request path (deadline, in-flight bound, errors): watch requests go through it. */
    private readonly send: SendRequest,
  ) {}

  /** Adds a persistent (optionally recursive) watch, ZooKeeper 3.6+; events arrive as 'watchEvent'. */
  async addWatch(path: string, recursive: boolean): Promise<void> {
    const mode = recursive ? ADD_WATCH_MODE.PERSISTENT_RECURSIVE : ADD_WATCH_MODE.PERSISTENT;
    await this.send('watch', path, (full) => addWatchRequest(full, mode));
    this.transport.persistentWatches.set(this.paths.toServerPath(path), mode);
  }

  /** Removes watches of a kind from a path on the server (one-shot and persistent alike). */
  async removeWatches(path: string, type: RemoveWatchType = 'any'): Promise<void> {
    const code = { children: 1, data: 2, any: 3 }[type];
    const full = this.paths.toServerPath(path);
    // Forget them locally too, or the next reconnect would register them again (SetWatches).
    const oneShot = this.transport.oneShot;
    if (type !== 'data') oneShot.forget('child', full);
    if (type !== 'children') {
      oneShot.forget('data', full);
      oneShot.forget('exists', full);
    }
    if (type !== 'any' && this.transport.persistentWatches.has(full)) {
      // Up to ZooKeeper 3.8 a session holds one watch per path (ZOOKEEPER-4466): the persistent
      // watch is what serves this kind here, and removing the kind would silently cut it.
      return;
    }
    if (type === 'any') this.transport.persistentWatches.delete(full);
    await this.send('remove the watches of', path, (f) =>
      removeWatchesRequest(f, code),
    );
    // The removal may have taken other parts of this session's interest in the path with it
    // (the tree's child watch when the watch log unwatches): set again what is still wanted.
    await this.rearmOneShot(path).catch(() => undefined);
  }

  /**
   * Removes this session's persistent watch on a path. One-shot watches that other parts of the
   * extension hold on the same path (the tree's child watch) are set again on the server.
   */
  async removePersistentWatch(path: string): Promise<void> {
    const full = this.paths.toServerPath(path);
    if (!this.transport.persistentWatches.delete(full)) return;
    try {
      await this.send('remove the watch of', path, (f) => removeWatchesRequest(f, 3));
    } catch (e) {
      if (!(e instanceof ZkError && e.code === 'NOWATCHER')) throw e;
    }
    await this.rearmOneShot(path).catch(() => undefined);
  }

  /** Sends watch requests for the one-shot watchers still registered locally on a path. */
  private async rearmOneShot(path: string): Promise<void> {
    const full = this.paths.toServerPath(path);
    const oneShot = this.transport.oneShot;
    const pending: Promise<unknown>[] = [];
    if (oneShot.has('child', full)) {
      pending.push(this.send('list the children of', path, (f) => getChildrenRequest(f, true)));
    }
    if (oneShot.has('data', full) || oneShot.has('exists', full)) {
      pending.push(this.send('look up', path, (f) => existsRequest(f, true)).catch(() => undefined));
    }
    await Promise.all(pending);
  }

  register(kind: OneShotKind | undefined, path: string, watcher: Watcher): void {
    if (!kind) return;
    // The same wrapper for the same watcher: a function is registered once per path, and a new
    // wrapper per request added a listener per listing until the watch fired (a leak).
    let wrapped = this.wrappers.get(watcher);
    if (!wrapped) this.wrappers.set(watcher, (wrapped = this.wrap(watcher)));
    this.transport.oneShot.register(kind, this.paths.toServerPath(path), wrapped);
  }

  /**
   * Whether a one-shot watch on this path must not be sent to the server: a persistent watch of
   * this session on the same path already delivers its events (and a one-shot request would
   * downgrade it on ZooKeeper 3.8, ZOOKEEPER-4466).
   */
  servedByPersistent(path: string): boolean {
    return this.transport.persistentWatches.has(this.paths.toServerPath(path));
  }

  /** Emits a notification as a WatchEvent (none outside the chroot), then the child watch a recursive watch serves. */
  notified(e: WatcherEventFrame, emit: (event: WatchEvent) => void): void {
    const path = this.paths.fromServerPath(e.path);
    if (path === undefined) return;
    emit({ type: EVENT_TYPES[e.type] ?? `unknown(${e.type})`, path });
    // A recursive watch reports a child's creation or deletion but never "children changed": a
    // local child watcher on the parent, served by that watch, hears it as one.
    if (e.type === 1 || e.type === 2) {
      const parent = e.path.slice(0, Math.max(1, e.path.lastIndexOf('/')));
      if (this.transport.persistentWatches.get(parent) === ADD_WATCH_MODE.PERSISTENT_RECURSIVE && this.transport.oneShot.has('child', parent)) {
        this.transport.oneShot.fire(4, parent);
      }
    }
  }

  private wrap(watcher: Watcher): OneShotListener {
    return (event) => {
      const path = this.paths.fromServerPath(event.path);
      if (path === undefined) return;
      try {
        watcher({ type: EVENT_TYPES[event.type] ?? `unknown(${event.type})`, path });
      } catch (err) {
        this.onWatcherError(err);
      }
    };
  }
}
