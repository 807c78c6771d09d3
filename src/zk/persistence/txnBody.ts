// Decodes a transaction's body by its type, as SerializeUtils.deserializeTxn does: CreateTxn (and its
// V0 form without parentCVersion), CreateTTLTxn, CreateContainerTxn, DeleteTxn, SetDataTxn (setData
// and reconfig), SetACLTxn, CheckVersionTxn, CreateSessionTxn, CloseSessionTxn, ErrorTxn, MultiTxn.
import type { ZkAcl } from '../acl';
import { JuteCursor, MalformedRecord, OutOfBytes } from './juteCursor';
import { TXN_OP, type TxnOp } from './txnTypes';

export interface BodyOptions {
  /** Copy data out of the read buffer (false: data is an empty Buffer, dataLength still set). */
  keepData: boolean;
  /** Decode ACLs (false: skipped, bounds-checked, and [] in the result: for scans by path). */
  acls?: boolean;
}

const EMPTY = Buffer.alloc(0);
const MIN_ACL_BYTES = 12; // perms + two empty strings

export function readAcl(c: JuteCursor): ZkAcl[] {
  const n = c.vectorCount(MIN_ACL_BYTES);
  const acl: ZkAcl[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const perms = c.int();
    const scheme = c.string() ?? '';
    const id = c.string() ?? '';
    acl[i] = { perms, scheme, id };
  }
  return acl;
}

function path(c: JuteCursor): string {
  const p = c.string();
  if (p === null) throw new MalformedRecord('null path');
  return p;
}

function acl(c: JuteCursor, opts: BodyOptions): ZkAcl[] {
  if (opts.acls !== false) return readAcl(c);
  const n = c.vectorCount(MIN_ACL_BYTES);
  for (let i = 0; i < n; i++) {
    c.int();
    c.skipBuffer();
    c.skipBuffer();
  }
  return [];
}

function data(c: JuteCursor, opts: BodyOptions): { data: Buffer; dataLength: number } {
  if (!opts.keepData) return { data: EMPTY, dataLength: Math.max(0, c.skipBuffer()) };
  const v = c.bufferView();
  if (!v) return { data: EMPTY, dataLength: 0 };
  return { data: Buffer.from(v), dataLength: v.length };
}

/**
 * Reads one body of `type` starting at c.pos; the cursor's limit is the end of the body. Running out of
 * bytes inside a body is a malformed record (the length said the body is complete).
 */
export function readTxnBody(c: JuteCursor, type: number, opts: BodyOptions, depth = 0): TxnOp {
  try {
    return readBody(c, type, opts, depth);
  } catch (e) {
    if (e instanceof OutOfBytes) throw new MalformedRecord(`${typeLabel(type)} body is ${e.needed} byte(s) short`);
    throw e;
  }
}

function typeLabel(type: number): string {
  return Object.entries(TXN_OP).find(([, code]) => code === type)?.[0] ?? `type ${type}`;
}

function readBody(c: JuteCursor, type: number, opts: BodyOptions, depth: number): TxnOp {
  switch (type) {
    case TXN_OP.create:
    case TXN_OP.create2: {
      const p = path(c);
      const d = data(c, opts);
      const acls = acl(c, opts);
      const ephemeral = c.bool();
      // CreateTxnV0 (before 3.3) stops here; ZooKeeper retries without parentCVersion on EOF.
      const parentCVersion = c.remaining() === 0 ? -1 : c.int();
      return { type: type === TXN_OP.create ? 'create' : 'create2', path: p, ...d, acl: acls, ephemeral, parentCVersion };
    }
    case TXN_OP.createContainer: {
      const p = path(c);
      const d = data(c, opts);
      const acls = acl(c, opts);
      return { type: 'createContainer', path: p, ...d, acl: acls, ephemeral: false, parentCVersion: c.int() };
    }
    case TXN_OP.createTTL: {
      const p = path(c);
      const d = data(c, opts);
      const acls = acl(c, opts);
      const parentCVersion = c.int();
      return { type: 'createTTL', path: p, ...d, acl: acls, ephemeral: false, parentCVersion, ttl: c.long() };
    }
    case TXN_OP.delete:
    case TXN_OP.deleteContainer:
      return { type: type === TXN_OP.delete ? 'delete' : 'deleteContainer', path: path(c) };
    case TXN_OP.setData:
    case TXN_OP.reconfig: {
      const p = path(c);
      const d = data(c, opts);
      return { type: type === TXN_OP.setData ? 'setData' : 'reconfig', path: p, ...d, version: c.int() };
    }
    case TXN_OP.setACL: {
      const p = path(c);
      const acls = acl(c, opts);
      return { type: 'setACL', path: p, acl: acls, version: c.int() };
    }
    case TXN_OP.check: {
      const p = path(c);
      return { type: 'check', path: p, version: c.int() };
    }
    case TXN_OP.createSession:
      return { type: 'createSession', timeout: c.int() };
    case TXN_OP.closeSession: {
      // CloseSessionTxn (3.6+: the ephemerals to delete); older servers wrote no body.
      // ZooKeeper falls back to "no body" when CloseSessionTxn does not parse; so do we.
      const start = c.pos;
      try {
        const n = c.vectorCount(4);
        const paths: string[] = new Array(n);
        for (let i = 0; i < n; i++) paths[i] = path(c);
        return { type: 'closeSession', paths };
      } catch (e) {
        if (!(e instanceof OutOfBytes) && !(e instanceof MalformedRecord)) throw e;
        c.pos = start;
        return { type: 'closeSession', paths: [] };
      }
    }
    case TXN_OP.error:
      return { type: 'error', err: c.int() };
    case TXN_OP.multi: {
      if (depth > 0) throw new MalformedRecord('a multi inside a multi');
      const n = c.vectorCount(8);
      const parts: TxnOp[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const partType = c.int();
        const start = c.pos + 4;
        const length = Math.max(0, c.skipBuffer());
        // the part's body is read in place, bounded by its own length
        parts[i] = readTxnBody(new JuteCursor(c.buf, start, start + length, length), partType, opts, depth + 1);
      }
      return { type: 'multi', parts };
    }
    default: {
      // Not a type ZooKeeper logs: keep its size, decode nothing (the caller may stop here).
      const bodyLength = c.remaining();
      c.pos = c.limit;
      return { type: 'unknown', code: type, bodyLength };
    }
  }
}
