// What a transaction log holds, in our terms. Op codes are ZooKeeper's (ZooDefs.OpCode); bodies are
// the Jute records of zookeeper.jute (CreateTxn, SetDataTxn, MultiTxn, ...).
import type { ZkAcl } from '../acl';

export const TXN_OP = {
  create: 1,
  delete: 2,
  setData: 5,
  setACL: 7,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;

export type TxnTypeName = keyof typeof TXN_OP;

const NAMES = new Map<number, TxnTypeName>(Object.entries(TXN_OP).map(([name, code]) => [code, name as TxnTypeName]));

/** ZooKeeper's name for an op code, or `unknown(<code>)`. */
export function txnTypeName(code: number): string {
  return NAMES.get(code) ?? `unknown(${code})`;
}

export interface TxnHeader {
  /** The session that sent the request. */
  clientId: bigint;
  cxid: number;
  zxid: bigint;
  /** Milliseconds since the epoch, the leader's clock. */
  time: number;
  type: number;
}

/** One change (or a non-change: session, error, check) as decoded from a body or a multi part. */
export type TxnOp =
  | { type: 'create' | 'create2' | 'createContainer' | 'createTTL'; path: string; data: Buffer; dataLength: number; acl: ZkAcl[]; ephemeral: boolean; parentCVersion: number; ttl?: bigint }
  | { type: 'delete' | 'deleteContainer'; path: string }
  | { type: 'setData' | 'reconfig'; path: string; data: Buffer; dataLength: number; version: number }
  | { type: 'setACL'; path: string; acl: ZkAcl[]; version: number }
  | { type: 'check'; path: string; version: number }
  | { type: 'createSession'; timeout: number }
  | { type: 'closeSession'; paths: string[] }
  | { type: 'error'; err: number }
  | { type: 'multi'; parts: TxnOp[] }
  | { type: 'unknown'; code: number; bodyLength: number };

export interface TxnEntry {
  header: TxnHeader;
  op: TxnOp;
  /** The tree digest ZooKeeper 3.6+ appends (TxnDigest), when present. */
  digest?: { version: number; treeDigest: bigint };
  /** Byte offset of the record (its checksum field) in the file. */
  offset: number;
  /** Bytes the record takes in the file (checksum, length, body, end marker). */
  size: number;
}

/** Paths a transaction touches, multi parts included (sessions and errors touch none). */
export function txnPaths(op: TxnOp): string[] {
  if (op.type === 'multi') return op.parts.flatMap(txnPaths);
  return 'path' in op ? [op.path] : [];
}

/** '0x' + unsigned hex, as ZooKeeper's tools and our stat display write zxids and session ids. */
export function hexLong(v: bigint): string {
  return '0x' + BigInt.asUintN(64, v).toString(16);
}
