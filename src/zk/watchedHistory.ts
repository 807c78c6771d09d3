// The watch log as history: the data changes the watches of this VS Code saw (a created node, a
// setData), each with the zxid the node's stat carried after it and the data read then, kept in
// memory per node, and merged with what the transaction logs say (one entry per zxid; the log's
// complete record wins, the entry says where it was seen). Deletions are not kept: a watch learns
// that a node is gone, never the zxid that deleted it, so they cannot be placed among zxids.
// The bytes are the watch's preview (the first `previewBytes`): complete for small nodes only, and
// never written to disk (znodes hold secrets).
import type { HistoryVersion } from './persistence';
import type { ChangeEvent, WatchLogEvent } from './watches';

export interface WatchedVersion {
  connection: string;
  path: string;
  zxid: bigint;
  /** When the watch saw it (ms since the epoch): later than the change itself. */
  seenAt: number;
  /** create: the node appeared with this data; setData: its data changed to this. */
  change: 'create' | 'setData';
  /** Changes the line stands for (more than 1: several setData between two reads; the data is the last). */
  changes: number;
  version?: number;
  /** The start of the data (all of it when `complete`). */
  data: Uint8Array;
  size: number;
  complete: boolean;
}

export interface WatchedChangesOptions {
  /** Versions kept per node, newest (default 100). */
  perNode?: number;
  /** Nodes kept, most recently changed (default 1000). */
  nodes?: number;
}

const key = (connection: string, path: string) => `${connection}\u0000${path}`;

/** The zxid of a change line, when it has one a history can use ('0x1a' or decimal). */
function zxidOf(e: ChangeEvent): bigint | undefined {
  if (!e.zxid) return undefined;
  try {
    const z = BigInt(e.zxid);
    return z > 0n ? z : undefined;
  } catch {
    return undefined;
  }
}

export class WatchedChanges {
  private readonly byNode = new Map<string, WatchedVersion[]>();
  private readonly perNode: number;
  private readonly nodes: number;

  constructor(opts: WatchedChangesOptions = {}) {
    this.perNode = opts.perNode ?? 100;
    this.nodes = opts.nodes ?? 1000;
  }

  /** Keeps a watch log line when it is a data change with a zxid and the data read after it. */
  record(e: WatchLogEvent): void {
    if (e.kind !== 'change' || (e.type !== 'created' && e.type !== 'dataChanged') || !e.after || e.after.sizeOnly) return;
    const zxid = zxidOf(e);
    if (zxid === undefined) return;
    const changes = e.changes ?? 1;
    const v: WatchedVersion = {
      connection: e.connection,
      path: e.path,
      zxid,
      seenAt: e.time,
      // a created line standing for more changes shows the data after the last setData
      change: e.type === 'created' && changes <= 1 ? 'create' : 'setData',
      changes,
      data: e.after.head,
      size: e.after.size,
      complete: e.after.head.length >= e.after.size,
    };
    if (e.version !== undefined) v.version = e.version;
    const k = key(e.connection, e.path);
    const list = this.byNode.get(k) ?? [];
    this.byNode.delete(k); // re-inserted last: the most recently changed node
    if (!list.some((x) => x.zxid === zxid)) list.push(v);
    list.sort((a, b) => (a.zxid < b.zxid ? 1 : a.zxid > b.zxid ? -1 : 0));
    if (list.length > this.perNode) list.length = this.perNode;
    this.byNode.set(k, list);
    while (this.byNode.size > this.nodes) this.byNode.delete(this.byNode.keys().next().value as string);
  }

  /** What the watches saw of one node on one connection, newest first. */
  versions(connection: string, path: string): WatchedVersion[] {
    return [...(this.byNode.get(key(connection, path)) ?? [])];
  }
}

/** One entry of a merged history: from the logs, the watch log, or both (the same zxid). */
export interface MergedHistoryEntry {
  zxid: bigint;
  log?: HistoryVersion;
  watched?: WatchedVersion;
}

/** Logs' versions and watched versions in one list, newest first, one entry per zxid and log part. */
export function mergeHistory(log: readonly HistoryVersion[], watched: readonly WatchedVersion[]): MergedHistoryEntry[] {
  const byZxid = new Map<bigint, WatchedVersion>();
  for (const w of watched) byZxid.set(w.zxid, w);
  const out: MergedHistoryEntry[] = [];
  for (const v of log) {
    const w = byZxid.get(v.zxid);
    // the watch saw the data a change set: pair it with that change, not a delete or ACL change at the same zxid
    if (w && v.data !== undefined) {
      out.push({ zxid: v.zxid, log: v, watched: w });
      byZxid.delete(v.zxid);
    } else out.push({ zxid: v.zxid, log: v });
  }
  for (const w of byZxid.values()) out.push({ zxid: w.zxid, watched: w });
  // stable: log parts of one zxid keep their order
  return out.map((e, i) => ({ e, i })).sort((a, b) => (a.e.zxid < b.e.zxid ? 1 : a.e.zxid > b.e.zxid ? -1 : a.i - b.i)).map((x) => x.e);
}
