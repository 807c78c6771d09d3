// The watch log's vocabulary: what is watched (WatchSpec), what a watch saw (WatchLogEvent, one
// per output line), and what is remembered about a node between events (NodeSnapshot).
import type { Message } from '../message';

export type WatchKind = 'node' | 'subtree';

/** A watch as the user asked for it and as it is saved per workspace. */
export interface WatchSpec {
  connection: string;
  path: string;
  /** node: the node's data and children; subtree: every node at or below the path. */
  kind: WatchKind;
}

/** The saved list of watches, with anything malformed left out (it comes from storage). */
export function readSavedWatches(raw: unknown, validPath: (path: string) => boolean): WatchSpec[] {
  if (!Array.isArray(raw)) return [];
  const out: WatchSpec[] = [];
  const seen = new Set<string>();
  for (const x of raw) {
    if (typeof x !== 'object' || x === null) continue;
    const s = x as Record<string, unknown>;
    if (typeof s.connection !== 'string' || s.connection === '' || typeof s.path !== 'string' || !validPath(s.path)) continue;
    if (s.kind !== 'node' && s.kind !== 'subtree') continue;
    const spec: WatchSpec = { connection: s.connection, path: s.path, kind: s.kind };
    const k = watchKey(spec);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(spec);
  }
  return out;
}

export function watchKey(spec: Pick<WatchSpec, 'connection' | 'path' | 'kind'>): string {
  return `${spec.kind}\u0000${spec.connection}\u0000${spec.path}`;
}

export type ChangeType = 'created' | 'deleted' | 'dataChanged' | 'childrenChanged';

/**
 * Why a change was found by comparing with what was seen before, rather than from a notification:
 * - reconnect: the session moved to another server (same session)
 * - sessionExpired: the session expired and the watches were set again on a new one
 * - reopened: the connection was closed and opened again (a new session)
 * - rearmed: the server dropped the watch (removeWatches by another component) and it was set again
 * - restored: a watch saved by an earlier run (VS Code closed, or the connection replaced) was set
 *   again and compared with the state saved then
 */
export type CatchUpCause = 'reconnect' | 'sessionExpired' | 'reopened' | 'rearmed' | 'restored';

/** The start of a node's data: enough for a short preview, never the whole (up to 1 MiB) value. */
export interface DataHead {
  /** The first bytes (at most the snapshot's preview budget); empty when `sizeOnly`. */
  head: Uint8Array;
  /** The full size of the data, in bytes. */
  size: number;
  /** A digest of the whole data (hex), to tell whether the bytes changed without keeping them. */
  digest?: string;
  /**
   * Only the size and digest are known: the bytes were not kept (a snapshot from a saved state,
   * which never stores data: znodes hold secrets, and workspace storage is not encrypted).
   */
  sizeOnly?: boolean;
}

export interface ChangeEvent {
  kind: 'change';
  /** When the change was observed (ms since the epoch): the notification, or the comparison. */
  time: number;
  connection: string;
  type: ChangeType;
  path: string;
  /** Version after the change (data version; cversion for children changes). */
  version?: number;
  /** Version before, when known. */
  prevVersion?: number;
  /** How many changes this line stands for; more than 1 = coalesced. */
  changes?: number;
  /** No earlier state of this node is known (the first change seen on a node of a large subtree). */
  firstSeen?: boolean;
  before?: DataHead;
  after?: DataHead;
  /** The node's mzxid as read after the change: the zxid of the last data change the line stands for. */
  zxid?: string;
  /** Children added and removed (names, at most a few; the counts say how many in all). */
  added?: string[];
  removed?: string[];
  addedCount?: number;
  removedCount?: number;
  /** Ephemeral owners of added children, by name, when looked up. */
  addedOwners?: Record<string, string>;
  numChildren?: number;
  prevNumChildren?: number;
  /** Session id owning the node when it is ephemeral ('0x…'). */
  ephemeralOwner?: string;
  /** Set when the change was found by comparison after the watch was down. */
  catchUp?: CatchUpCause;
  /**
   * Anything else worth saying ("could not read: …", "deleted before it could be read"): a Message
   * the adapter translates; a plain string (from older code) is shown as it is.
   */
  note?: Message | string;
}

export interface NoticeEvent {
  kind: 'notice';
  time: number;
  connection: string;
  level: 'info' | 'warn' | 'error';
  path?: string;
  /** What happened, for the adapter to translate; a plain string is shown as it is. */
  message: Message | string;
}

export type WatchLogEvent = ChangeEvent | NoticeEvent;

/** What is remembered about one node between events: small and bounded. */
export interface NodeSnapshot {
  exists: boolean;
  czxid?: string;
  mzxid?: string;
  pzxid?: string;
  version?: number;
  cversion?: number;
  ephemeralOwner?: string;
  numChildren?: number;
  /** The start of the data (when it was read). */
  data?: DataHead;
  /** Children names (sorted), when tracked for this node and not too many. */
  children?: string[];
  /**
   * Persistent watches deliver every change: dataChanged notifications received since this
   * node's first snapshot, and how many data changes the lines so far stood for. When a node is
   * deleted before its last changes could be read, the difference still counts them.
   */
  dataNotified?: number;
  dataAccounted?: number;
  /**
   * First seen without a "before" (a node of a large subtree): its first line counted the
   * notifications received by then, which can include a change the read did not show yet; later
   * lines count at most the notifications not yet counted, so the total stays exact.
   */
  countByNotifications?: boolean;
}

/** What one read of a node found. Fields are set only for what was read. */
export interface Observation {
  exists: boolean;
  czxid?: string;
  mzxid?: string;
  pzxid?: string;
  version?: number;
  cversion?: number;
  ephemeralOwner?: string;
  numChildren?: number;
  data?: DataHead;
  /** Children names, when listed (sorted). Undefined when not listed or over the tracking limit. */
  children?: string[];
  /** Children were listed but there were too many to keep the names. */
  childrenOverLimit?: boolean;
}

// The saved state (what a WatchManager remembers across runs) lives in savedState.ts.
