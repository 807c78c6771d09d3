// The watchers a ZkClient's callers pass to reads: registered as one-shot watches of the session
// (by full server path), and the notifications of the connection turned into WatchEvents with
// paths relative to the chroot.
import { EVENT_TYPES, type Watcher, type WatchEvent } from './clientTypes';
import type { OneShotKind, OneShotListener } from './connection/oneShotWatches';
import { ADD_WATCH_MODE, type WatcherEventFrame, type ZkTransport } from './transport';

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
  ) {}

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
