// What a WatchManager works with: the client and connection it needs, its options, and the
// watches it keeps (one per path and kind).
import type { Watcher } from '../client';
import type { ConnectionState } from '../ensembleConnection';
import type { ZnodeStat } from '../stat';
import type { WatchKind } from './types';

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

export interface ActiveWatch {
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

/** The key of a watch in the manager's map. */
export function watchKey(kind: WatchKind, path: string): string {
  return `${kind}\u0000${path}`;
}
