// Batch sizing (pure): writes go in multi transactions sized by bytes (512 KiB by default, at most
// 1000 ops), not by count: the server drops the connection on a request over jute.maxbuffer
// (1 MiB), and a multi of 20k creates was already 1.34 MB. A write that fits in one request is one
// multi: atomic. Domain layer: no 'vscode' here.
import { OPEN_ACL_UNSAFE, type ZkAcl } from '../acl';
import type { MultiOp } from '../client';
import { SUBTREE_DEFAULTS, type SubtreeClient } from './subtreeClient';

/** Bytes of a multi request besides its ops: the request header (8) and the closing MultiHeader (9). */
export const MULTI_OVERHEAD_BYTES = 8 + 9;

const strBytes = (s: string) => 4 + Buffer.byteLength(s, 'utf8');

/** Serialized size of one ACL list (jute vector<ACL>). */
export function aclBytes(acl: readonly ZkAcl[]): number {
  let n = 4;
  for (const a of acl) n += 4 + strBytes(a.scheme) + strBytes(a.id);
  return n;
}

/**
 * Exact serialized size of one op inside a multi request (its MultiHeader included), as the
 * client will send it; `chrootBytes` is the length of the connection's chroot prefix.
 */
export function multiOpBytes(op: MultiOp, chrootBytes = 0): number {
  const path = 4 + chrootBytes + Buffer.byteLength(op.path, 'utf8');
  switch (op.type) {
    case 'create': {
      const ttl = op.mode === 'persistentTtl' || op.mode === 'persistentSequentialTtl' ? 8 : 0;
      return 9 + path + 4 + (op.data?.byteLength ?? 0) + aclBytes(op.acl ?? OPEN_ACL_UNSAFE) + 4 + ttl;
    }
    case 'delete':
    case 'check':
      return 9 + path + 4;
    case 'setData':
      return 9 + path + 4 + op.data.byteLength + 4;
  }
}

export interface BatchLimits {
  /** Bytes of one multi request, overhead included. */
  maxBytes: number;
  maxOps: number;
}

/** Whether one more op of `opBytes` fits in a batch that has `count` ops and `bytes` bytes so far. */
export function fitsInBatch(bytes: number, count: number, opBytes: number, limits: BatchLimits): boolean {
  if (count === 0) return true; // an op bigger than the budget goes alone
  return count < limits.maxOps && bytes + opBytes <= limits.maxBytes;
}

/**
 * Splits items, in order, into batches of at most `maxOps` ops and `maxBytes` bytes (multi
 * overhead included). An item bigger than the budget gets a batch of its own.
 */
export function planBatches<T>(items: readonly T[], sizeOf: (item: T) => number, limits: BatchLimits): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = MULTI_OVERHEAD_BYTES;
  for (const item of items) {
    const size = sizeOf(item);
    if (!fitsInBatch(bytes, cur.length, size, limits)) {
      out.push(cur);
      cur = [];
      bytes = MULTI_OVERHEAD_BYTES;
    }
    cur.push(item);
    bytes += size;
  }
  if (cur.length) out.push(cur);
  return out;
}

export function batchLimits(client: SubtreeClient, opts: { maxBatchBytes?: number; maxBatchOps?: number }): BatchLimits {
  const serverMax = client.options.maxRequestBytes;
  const wanted = opts.maxBatchBytes ?? SUBTREE_DEFAULTS.maxBatchBytes;
  return {
    // Leave headroom under the server's limit whatever was asked.
    maxBytes: Math.max(1024, Math.min(wanted, serverMax - 1024)),
    maxOps: Math.max(1, opts.maxBatchOps ?? SUBTREE_DEFAULTS.maxBatchOps),
  };
}

/**
 * Bytes of an op sent on its own, as a plain request: the 8-byte request header instead of the
 * 9-byte MultiHeader it has inside a multi. This is what the client compares with maxRequestBytes.
 */
export function aloneRequestBytes(op: MultiOp, chrootBytes = 0): number {
  return multiOpBytes(op, chrootBytes) - 1;
}
