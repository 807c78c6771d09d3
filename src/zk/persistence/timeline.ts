// A page of a transaction timeline across logs: read from a cursor (file index + record offset),
// keep the records a filter lets through until the page is full, and say where the next page starts.
// Nothing but the page is held, so a million transactions page as fast as a hundred.
import type { FileDamage } from './damage';
import { messageOfError, type Message } from '../message';
import { TxnLogReader } from './txnLog';
import { txnPaths, txnTypeName, type TxnEntry, type TxnOp } from './txnTypes';

export interface TimelineFilter {
  /** Keeps records touching a path that starts with this (multi parts included). */
  pathPrefix?: string;
  /** Keeps one session's records. */
  session?: bigint;
  /** Keeps records of these types (a multi also matches by its parts' types). */
  types?: readonly string[];
}

export interface TimelineCursor {
  fileIndex: number;
  /** Offset of the next record in that file (undefined: from the first record). */
  offset?: number;
}

export interface TimelineRow {
  entry: TxnEntry;
  file: string;
  paths: string[];
  /** Sum of the data bytes the record carries. */
  dataBytes: number;
}

export interface TimelinePage {
  rows: TimelineRow[];
  /** Where the next page starts; undefined at the end of the last log. */
  next?: TimelineCursor;
  damages: { file: string; damage: FileDamage }[];
  /** `reason`: a Message when worded here (a FileDamageError's), else the error's own text (a file system error). */
  unreadable: { file: string; reason: Message | string }[];
}

export function matches(entry: TxnEntry, filter: TimelineFilter): boolean {
  if (filter.session !== undefined && entry.header.clientId !== filter.session) return false;
  if (filter.types?.length) {
    const types = [txnTypeName(entry.header.type), ...(entry.op.type === 'multi' ? entry.op.parts.map((p) => p.type) : [])];
    if (!types.some((t) => filter.types!.includes(t))) return false;
  }
  if (filter.pathPrefix) {
    const prefix = filter.pathPrefix;
    if (!txnPaths(entry.op).some((p) => p === prefix || p.startsWith(prefix.endsWith('/') ? prefix : prefix + '/'))) return false;
  }
  return true;
}

function dataBytes(op: TxnOp): number {
  if (op.type === 'multi') return op.parts.reduce((n, p) => n + dataBytes(p), 0);
  return 'dataLength' in op ? op.dataLength : 0;
}

export async function readTimelinePage(logs: readonly string[], cursor: TimelineCursor, filter: TimelineFilter, pageSize: number): Promise<TimelinePage> {
  const page: TimelinePage = { rows: [], damages: [], unreadable: [] };
  for (let i = cursor.fileIndex; i < logs.length; i++) {
    const file = logs[i];
    let reader: TxnLogReader;
    try {
      reader = await TxnLogReader.open(file, { keepData: false, fromOffset: i === cursor.fileIndex ? cursor.offset : undefined });
    } catch (e) {
      page.unreadable.push({ file, reason: messageOfError(e) });
      continue;
    }
    for await (const entry of reader.entries()) {
      if (page.rows.length >= pageSize) {
        page.next = { fileIndex: i, offset: entry.offset };
        return page; // leaving the loop closes the file
      }
      if (matches(entry, filter)) page.rows.push({ entry, file, paths: txnPaths(entry.op), dataBytes: dataBytes(entry.op) });
    }
    if (reader.damage) page.damages.push({ file, damage: reader.damage });
  }
  return page;
}
