// A znode's history from transaction logs: every committed change to one path, newest first, with
// who (session), when, and the data after it. Memory stays bounded over gigabytes of logs: a first
// pass reads paths only (no data copied, ACLs skipped) and keeps the offsets of matching records;
// only those records are read again in full.
import type { ZkAcl } from '../acl';
import type { FileDamage } from './damage';
import { messageOfError, type Message } from '../message';
import type { FileHandle } from 'node:fs/promises';
import { nodeFsPromises } from '../lazyBuiltins';
import { decodeRecordAt, TxnLogReader } from './txnLog';
import type { TxnEntry, TxnOp } from './txnTypes';

export interface HistoryVersion {
  zxid: bigint;
  /** Leader's clock, ms since the epoch. */
  time: number;
  session: bigint;
  /** The change: create, create2, createContainer, createTTL, setData, reconfig, setACL, delete, deleteContainer. */
  change: string;
  /** The change came inside a multi (with `multiSize` parts). */
  multiSize?: number;
  /** The node's data after the change (creates and setData/reconfig); undefined when the data did not change. */
  data?: Buffer;
  /** The ACL set (creates and setACL). */
  acl?: ZkAcl[];
  /** Data version the change was checked against (setData/setACL; -1 = unconditional). */
  expectedVersion?: number;
  file: string;
  offset: number;
}

export interface HistoryResult {
  versions: HistoryVersion[];
  /** Logs that ended early; their changes before the damage are included. */
  damages: { file: string; damage: FileDamage }[];
  /** Logs that could not be opened at all (not a log, unreadable). */
  /** `reason`: a Message when worded here (a FileDamageError's), else the error's own text (a file system error). */
  unreadable: { file: string; reason: Message | string }[];
  /** Set when more than `limit` changes were found (only the newest are returned). */
  truncated: boolean;
  recordsScanned: number;
}

export interface HistoryOptions {
  /** Newest changes kept (default 1000). */
  limit?: number;
  /** Checked between records; true stops the scan. */
  cancelled?: () => boolean;
}

/** The scan reads 4 MiB at a time: a quarter of the round trips of the default, still a small buffer. */
const SCAN_CHUNK = 4 << 20;

const CHANGES = new Set(['create', 'create2', 'createContainer', 'createTTL', 'setData', 'reconfig', 'setACL', 'delete', 'deleteContainer']);

/** Whether a multi was applied: ZooKeeper logs a failed multi with an error part, and applies none of it. */
export function multiApplied(op: TxnOp): boolean {
  return op.type !== 'multi' || !op.parts.some((p) => p.type === 'error');
}

/** The changes an entry made to `path` (none for failed multis, sessions, errors and checks). */
export function changesTo(entry: TxnEntry, path: string): TxnOp[] {
  const op = entry.op;
  if (op.type === 'multi') return multiApplied(op) ? op.parts.filter((p) => CHANGES.has(p.type) && 'path' in p && p.path === path) : [];
  return CHANGES.has(op.type) && 'path' in op && op.path === path ? [op] : [];
}

/** Every change to `path` in the given logs (any order; deduplicated by zxid and part), newest first. */
export async function nodeHistory(logs: readonly string[], path: string, opts: HistoryOptions = {}): Promise<HistoryResult> {
  const limit = opts.limit ?? 1000;
  const result: HistoryResult = { versions: [], damages: [], unreadable: [], truncated: false, recordsScanned: 0 };
  // pass 1: offsets of records that touch the path
  const hits: { file: string; offset: number; size: number; zxid: bigint }[] = [];
  for (const file of logs) {
    let reader: TxnLogReader;
    try {
      reader = await TxnLogReader.open(file, { keepData: false, acls: false, chunkBytes: SCAN_CHUNK });
    } catch (e) {
      result.unreadable.push({ file, reason: messageOfError(e) });
      continue;
    }
    for await (const entry of reader.entries()) {
      if (opts.cancelled?.()) break;
      if (changesTo(entry, path).length) hits.push({ file, offset: entry.offset, size: entry.size, zxid: entry.header.zxid });
    }
    result.recordsScanned += reader.count;
    if (reader.damage) result.damages.push({ file, damage: reader.damage });
    if (opts.cancelled?.()) break;
  }
  hits.sort((a, b) => (a.zxid < b.zxid ? 1 : a.zxid > b.zxid ? -1 : 0));
  const seen = new Set<bigint>();
  const unique = hits.filter((h) => !seen.has(h.zxid) && seen.add(h.zxid));
  result.truncated = unique.length > limit;
  // pass 2: the matching records in full, each read on its own (its size is known), one handle per file
  const handles = new Map<string, FileHandle>();
  try {
    for (const hit of unique.slice(0, limit)) {
      if (opts.cancelled?.()) break;
      let fh = handles.get(hit.file);
      if (!fh) handles.set(hit.file, (fh = await nodeFsPromises().open(hit.file, 'r')));
      const b = Buffer.allocUnsafe(hit.size);
      const { bytesRead } = await fh.read(b, 0, hit.size, hit.offset);
      const entry = bytesRead === hit.size ? decodeRecordAt(b, hit.offset, { keepData: true, acls: true }) : undefined;
      if (!entry) continue; // the file changed since the scan
      const parts = changesTo(entry, path);
      const multiSize = entry.op.type === 'multi' ? entry.op.parts.length : undefined;
      // newest first: within one multi, later parts are newer
      for (const op of [...parts].reverse()) result.versions.push(toVersion(entry, op, hit.file, multiSize));
    }
  } finally {
    for (const fh of handles.values()) await fh.close();
  }
  return result;
}

/** The one record at `offset` of a log, fully decoded (undefined when it is no longer readable). */
export async function readEntryAt(file: string, offset: number): Promise<TxnEntry | undefined> {
  const reader = await TxnLogReader.open(file, { fromOffset: offset });
  for await (const entry of reader.entries()) return entry;
  return undefined;
}

function toVersion(entry: TxnEntry, op: TxnOp, file: string, multiSize?: number): HistoryVersion {
  const v: HistoryVersion = { zxid: entry.header.zxid, time: entry.header.time, session: entry.header.clientId, change: op.type, file, offset: entry.offset };
  if (multiSize !== undefined) v.multiSize = multiSize;
  if ('data' in op) v.data = op.data;
  if ('acl' in op) v.acl = op.acl;
  if ('version' in op) v.expectedVersion = op.version;
  return v;
}

