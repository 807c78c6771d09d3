// multiRead (opcode 22, ZooKeeper 3.6+): many getData/getChildren reads in one request and one
// reply. Unlike a multi, it is not a transaction: every part is answered on its own, a part that
// fails (NONODE, NOAUTH) carries its error code and the others still carry their results.
//
// Request (MultiOperationRecord): for each part a MultiHeader {type, done=false, err=-1} and the
// part's record ({path, watch=false} for both getData (4) and getChildren (8)), then the closing
// MultiHeader {-1, true, -1}. Reply (MultiResponse): for each part a MultiHeader {type, done, err}
// and GetDataResponse {data, Stat} / GetChildrenResponse {children} / ErrorResponse {err} (type -1),
// then the closing header. Note a multiRead getChildren has no Stat (it is getChildren, not
// getChildren2). Everything in the reply is checked against what was asked: a part count or a
// part type that does not match is a ProtocolViolation.
import { ZkError } from '../errors';
import type { ZnodeStat } from '../stat';
import { OP } from './opcodes';
import { ProtocolViolation, type WireReader } from './reader';
import { readStat } from './replies';

/** One read of a multiRead; `path` is the server's path (chroot included). */
export interface MultiReadOp {
  type: 'getData' | 'getChildren';
  path: string;
}

export type MultiReadPart =
  | { type: 'getData'; data: Buffer | null; stat: ZnodeStat }
  | { type: 'getChildren'; children: string[] }
  /** The part failed with this server code (NONODE -101, NOAUTH -102, …). */
  | { type: 'error'; err: number };

/** Bytes of a MultiHeader: type (int), done (bool), err (int). */
const MULTI_HEADER_BYTES = 9;

const opcodeOf = (op: MultiReadOp) => (op.type === 'getData' ? OP.GET_DATA : OP.GET_CHILDREN);

/** Serialized size of one part (its MultiHeader included). */
export function multiReadPartBytes(path: string): number {
  return MULTI_HEADER_BYTES + 4 + Buffer.byteLength(path, 'utf8') + 1;
}

/** Serialized size of the request body (no request header). */
export function multiReadBodyBytes(ops: readonly MultiReadOp[]): number {
  let n = MULTI_HEADER_BYTES;
  for (const op of ops) n += multiReadPartBytes(op.path);
  return n;
}

/** Writes the request body at `offset`; returns the bytes written. */
export function writeMultiReadBody(ops: readonly MultiReadOp[], buf: Buffer, offset: number): number {
  let o = offset;
  const header = (type: number, done: boolean) => {
    o = buf.writeInt32BE(type, o);
    o = buf.writeUInt8(done ? 1 : 0, o);
    o = buf.writeInt32BE(-1, o);
  };
  for (const op of ops) {
    header(opcodeOf(op), false);
    const len = buf.write(op.path, o + 4, 'utf8');
    o = buf.writeInt32BE(len, o) + len;
    o = buf.writeUInt8(0, o); // no watch
  }
  header(-1, true);
  return o - offset;
}

/** The request's record (the part after the request header); paths are the server's already. */
export function multiReadPayload(ops: readonly MultiReadOp[]): Buffer {
  const body = Buffer.alloc(multiReadBodyBytes(ops));
  writeMultiReadBody(ops, body, 0);
  return body;
}

/**
 * Decodes a multiRead reply body for the parts `asked`: one result per asked part, in order. A
 * reply with more or fewer parts, a part of another type than asked, or an error part with code 0
 * is a ProtocolViolation.
 */
export function readMultiRead(r: WireReader, asked: readonly MultiReadOp[]): MultiReadPart[] {
  const out: MultiReadPart[] = [];
  for (;;) {
    if (r.left < MULTI_HEADER_BYTES) throw new ProtocolViolation(`a multiRead reply ends without its closing header (${r.left} bytes left)`);
    const type = r.int();
    const done = r.bool();
    r.int(); // the header's err: the error part's body says it again
    if (done) {
      if (out.length !== asked.length) {
        throw new ProtocolViolation(`a multiRead reply has ${out.length} parts, ${asked.length} were asked`);
      }
      return out;
    }
    const i = out.length;
    if (i >= asked.length) throw new ProtocolViolation(`a multiRead reply has more than the ${asked.length} parts asked`);
    if (type === OP.ERROR) {
      const err = r.int(`the error of multiRead part ${i}`);
      if (err === 0) throw new ProtocolViolation(`multiRead part ${i} is an error part without an error code`);
      out.push({ type: 'error', err });
      continue;
    }
    if (type !== opcodeOf(asked[i])) {
      throw new ProtocolViolation(`multiRead part ${i} has type ${type}, ${asked[i].type} (${opcodeOf(asked[i])}) was asked`);
    }
    if (type === OP.GET_DATA) {
      const data = r.buffer(`the data of multiRead part ${i}`);
      out.push({ type: 'getData', data, stat: readStat(r) });
    } else {
      out.push({ type: 'getChildren', children: r.stringVector(`the child list of multiRead part ${i}`) });
    }
  }
}

/** One read of ZkClient.multiRead (the client's own path, chroot not included). */
export interface ReadOp {
  type: 'getData' | 'getChildren';
  path: string;
}

/** One answer of ZkClient.multiRead: a failed part carries its error (NONODE, NOAUTH, …). */
export type ReadResult =
  | { type: 'getData'; data: Uint8Array; stat: ZnodeStat }
  | { type: 'getChildren'; children: string[] }
  | { type: 'error'; error: ZkError };

/** The decoded parts as ZkClient.multiRead returns them, errors named as a plain read would name them. */
export function toReadResults(parts: readonly MultiReadPart[], ops: readonly ReadOp[]): ReadResult[] {
  return parts.map((p, i): ReadResult => {
    if (p.type === 'error') return { type: 'error', error: ZkError.fromServer(p.err, ops[i].type === 'getData' ? 'read' : 'list the children of', ops[i].path) };
    if (p.type === 'getChildren') return p;
    const d = p.data;
    return { type: 'getData', data: d ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(0), stat: p.stat };
  });
}
