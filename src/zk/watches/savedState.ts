// What a WatchManager remembers across runs (saved per workspace, every 15 s): the last zxid its
// session saw and a little of each watched node, so that changes made while nobody watched are
// reported when the watches are set again. Workspace storage is a plain file: no data is kept
// (znodes hold passwords and keys), only sizes and a digest, and the state is bounded (names per
// node, bytes in all), whatever the ensemble holds. Reading trusts nothing: storage may come from
// an older version or a hand-edited file.
import { nodeCrypto } from '../lazyBuiltins';
import type { NodeSnapshot, WatchKind } from './types';

export interface SavedWatchState {
  /** 2: sizes and digests only. 1 (read, never written): data heads in base64. */
  version: 2;
  /** When it was saved (ms since the epoch). */
  savedAt: number;
  /** The last zxid seen ('0x…'): anything changed after it happened while nobody watched. */
  zxid: string;
  /** The watches this state belongs to. */
  watches: { path: string; kind: WatchKind }[];
  snapshots: [path: string, snapshot: SavedSnapshot][];
}

/** The Stat fields of a node's snapshot that are saved as they are. */
const SAVED_STAT_FIELDS = ['czxid', 'mzxid', 'pzxid', 'version', 'cversion', 'ephemeralOwner', 'numChildren'] as const;

export type SavedSnapshot = Pick<NodeSnapshot, 'exists' | (typeof SAVED_STAT_FIELDS)[number] | 'children'> & {
  /** The data's full size and digest: never the bytes. */
  size?: number;
  digest?: string;
};

/** Children names kept per saved node at most (beyond, the counts alone: cversion, numChildren). */
export const SAVED_CHILD_NAMES = 1000;
/** A saved state stays under this many bytes of JSON: snapshots beyond it are left out. */
export const SAVED_STATE_MAX_BYTES = 256 * 1024;

/** The digest a snapshot keeps of a node's data: SHA-256, first 128 bits, hex. */
export function dataDigest(data: Uint8Array): string {
  return nodeCrypto().createHash('sha256').update(data).digest('hex').slice(0, 32);
}

export function toSavedSnapshot(s: NodeSnapshot): SavedSnapshot {
  const out: SavedSnapshot = { exists: s.exists };
  for (const k of SAVED_STAT_FIELDS) {
    if (s[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = s[k];
  }
  if (s.data) {
    out.size = s.data.size;
    if (s.data.digest !== undefined) out.digest = s.data.digest;
  }
  if (s.children && s.children.length <= SAVED_CHILD_NAMES) out.children = s.children;
  return out;
}

export function fromSavedSnapshot(s: SavedSnapshot): NodeSnapshot {
  const out: NodeSnapshot = { exists: s.exists };
  for (const k of ['czxid', 'mzxid', 'pzxid', 'version', 'cversion', 'ephemeralOwner', 'numChildren', 'children'] as const) {
    if (s[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = s[k];
  }
  if (s.size !== undefined) {
    out.data = { head: new Uint8Array(0), size: s.size, sizeOnly: true };
    if (s.digest !== undefined) out.data.digest = s.digest;
  }
  return out;
}

/** Collects saved snapshots while the state stays within SAVED_STATE_MAX_BYTES (and a count). */
export class SavedSnapshots {
  readonly entries: [string, SavedSnapshot][] = [];
  private readonly paths = new Set<string>();
  private bytes: number;

  constructor(
    private readonly maxCount: number,
    private readonly maxBytes = SAVED_STATE_MAX_BYTES,
    /** Bytes the rest of the state takes (zxid, watches). */
    overhead = 0,
  ) {
    this.bytes = overhead;
  }

  has(path: string): boolean {
    return this.paths.has(path);
  }

  /** Adds a node's snapshot unless it is there, or it would pass a limit; false when it did not fit. */
  add(path: string, snap: NodeSnapshot): boolean {
    if (this.paths.has(path)) return true;
    if (this.entries.length >= this.maxCount) return false;
    const saved = toSavedSnapshot(snap);
    const size = JSON.stringify([path, saved]).length + 1;
    if (this.bytes + size > this.maxBytes) return false;
    this.bytes += size;
    this.paths.add(path);
    this.entries.push([path, saved]);
    return true;
  }
}

const ZXID = /^0x[0-9a-f]{1,16}$/;
const DIGEST = /^[0-9a-f]{1,64}$/;
const isStr = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const optional = (v: unknown, ok: (v: unknown) => boolean) => v === undefined || ok(v);

/**
 * A saved state read back from storage, or undefined when it is missing or malformed in any way.
 * A state of version 1 (data heads in base64) is read without its heads (the next save rewrites
 * it without them); children lists over the limit are dropped.
 */
export function readSavedWatchState(raw: unknown): SavedWatchState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if ((r.version !== 1 && r.version !== 2) || !isCount(r.savedAt) || !isStr(r.zxid) || !ZXID.test(r.zxid)) return undefined;
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
      optional(s.digest, (v) => isStr(v) && DIGEST.test(v)) &&
      optional(s.children, (v) => Array.isArray(v) && v.every(isStr)) &&
      (s.head === undefined || s.size !== undefined);
    if (!zxids || !counts || !rest) return undefined;
    const out: SavedSnapshot = { exists: s.exists };
    for (const k of ['czxid', 'mzxid', 'pzxid', 'version', 'cversion', 'ephemeralOwner', 'numChildren', 'size', 'digest'] as const) {
      if (s[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = s[k];
    }
    const children = s.children as string[] | undefined;
    if (children && children.length <= SAVED_CHILD_NAMES) out.children = children;
    snapshots.push([e[0], out]);
  }
  return { version: 2, savedAt: r.savedAt, zxid: r.zxid, watches, snapshots };
}
