// The watch log's vocabulary: what is watched (WatchSpec), what a watch saw (WatchLogEvent, one
// per output line), and what is remembered about a node between events (NodeSnapshot).

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
  /** The first bytes (at most the snapshot's preview budget). */
  head: Uint8Array;
  /** The full size of the data, in bytes. */
  size: number;
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
  /** Anything else worth saying ("could not read: …", "deleted before it could be read"). */
  note?: string;
}

export interface NoticeEvent {
  kind: 'notice';
  time: number;
  connection: string;
  level: 'info' | 'warn' | 'error';
  path?: string;
  message: string;
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

/**
 * What a WatchManager remembers across runs (saved per workspace): the last zxid its session saw
 * and the snapshots of watched nodes, so that changes made while nobody watched are reported when
 * the watches are set again. JSON-safe (data heads in base64).
 */
export interface SavedWatchState {
  version: 1;
  /** When it was saved (ms since the epoch). */
  savedAt: number;
  /** The last zxid seen ('0x…'): anything changed after it happened while nobody watched. */
  zxid: string;
  /** The watches this state belongs to. */
  watches: { path: string; kind: WatchKind }[];
  snapshots: [path: string, snapshot: SavedSnapshot][];
}

export interface SavedSnapshot {
  exists: boolean;
  czxid?: string;
  mzxid?: string;
  pzxid?: string;
  version?: number;
  cversion?: number;
  ephemeralOwner?: string;
  numChildren?: number;
  /** Data head, base64, and the full size. */
  head?: string;
  size?: number;
  children?: string[];
}

export function toSavedSnapshot(s: NodeSnapshot): SavedSnapshot {
  const out: SavedSnapshot = { exists: s.exists };
  for (const k of ['czxid', 'mzxid', 'pzxid', 'version', 'cversion', 'ephemeralOwner', 'numChildren', 'children'] as const) {
    if (s[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = s[k];
  }
  if (s.data) {
    out.head = Buffer.from(s.data.head).toString('base64');
    out.size = s.data.size;
  }
  return out;
}

export function fromSavedSnapshot(s: SavedSnapshot): NodeSnapshot {
  const out: NodeSnapshot = { exists: s.exists };
  for (const k of ['czxid', 'mzxid', 'pzxid', 'version', 'cversion', 'ephemeralOwner', 'numChildren', 'children'] as const) {
    if (s[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = s[k];
  }
  if (s.head !== undefined && s.size !== undefined) out.data = { head: new Uint8Array(Buffer.from(s.head, 'base64')), size: s.size };
  return out;
}

const ZXID = /^0x[0-9a-f]{1,16}$/;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const optional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);

/** A saved state read back from storage, or undefined when it is missing or malformed in any way. */
export function readSavedWatchState(raw: unknown): SavedWatchState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (r.version !== 1 || !isCount(r.savedAt) || !isStr(r.zxid) || !ZXID.test(r.zxid)) return undefined;
  if (!Array.isArray(r.watches) || !Array.isArray(r.snapshots)) return undefined;
  const watches: SavedWatchState['watches'] = [];
  for (const w of r.watches as unknown[]) {
    const o = w as Record<string, unknown> | null;
    if (!o || !isStr(o.path) || !o.path.startsWith('/') || (o.kind !== 'node' && o.kind !== 'subtree')) return undefined;
    watches.push({ path: o.path, kind: o.kind });
  }
  const snapshots: SavedWatchState['snapshots'] = [];
  for (const e of r.snapshots as unknown[]) {
    if (!Array.isArray(e) || e.length !== 2 || !isStr(e[0]) || !e[0].startsWith('/')) return undefined;
    const s = e[1] as Record<string, unknown> | null;
    if (!s || typeof s.exists !== 'boolean') return undefined;
    const zxids = ['czxid', 'mzxid', 'pzxid'].every((k) => optional(s[k], (v) => isStr(v) && ZXID.test(v)));
    const counts = ['version', 'cversion', 'numChildren', 'size'].every((k) => optional(s[k], isCount));
    const rest =
      optional(s.ephemeralOwner, isStr) &&
      optional(s.head, isStr) &&
      optional(s.children, (v) => Array.isArray(v) && v.every(isStr)) &&
      (s.head === undefined) === (s.size === undefined);
    if (!zxids || !counts || !rest) return undefined;
    snapshots.push([e[0], s as unknown as SavedSnapshot]);
  }
  return { version: 1, savedAt: r.savedAt, zxid: r.zxid, watches, snapshots };
}
