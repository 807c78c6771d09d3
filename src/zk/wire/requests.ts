// Request records, encoded by us (the counterpart of replies.ts): what each opcode sends after the
// request header, and the frame around it. Layouts: zookeeper-jute/src/main/resources/zookeeper.jute.
import type { ReplyDecoder } from './replies';
import { WireWriter } from './writer';

/** One request before it is given an xid: its opcode and the record that follows the header. */
export interface WireRequest {
  readonly opcode: number;
  /** The record after the header; undefined for requests that have none (ping, closeSession, whoAmI). */
  readonly body: Buffer | undefined;
  /** Decoder for a successful reply (defaults to REPLY_DECODERS, by opcode). */
  readonly decode?: ReplyDecoder;
  /** A multi's part opcodes (the read-only guard tells a check-only multi from a write). */
  readonly multiParts?: readonly number[];
  /** Decode the body even when the reply code is an error (multi carries per-op results). */
  readonly decodeOnError?: boolean;
  /**
   * A reply over maxReplyBytes fails this request alone (tooLarge), its bytes skipped, instead of
   * dropping the connection: for requests whose caller can ask again in smaller pieces (multiRead).
   */
  readonly failOversizedReply?: boolean;
}

/** An ACL entry as jute encodes it (perms, then the id's scheme and id). */
export interface AclRecord {
  readonly perms: number;
  readonly scheme: string;
  readonly id: string;
}

/** xid and opcode. */
export const REQUEST_HEADER_BYTES = 8;
export const PROTOCOL_VERSION = 0;

/** Bytes the server counts against jute.maxbuffer: header and record, without the length prefix. */
export function requestBytes(r: WireRequest): number {
  return REQUEST_HEADER_BYTES + (r.body?.length ?? 0);
}

/** The frame sent for a request: length, xid, opcode, record. */
export function encodeFrame(xid: number, r: WireRequest): Buffer {
  const size = requestBytes(r);
  const out = Buffer.allocUnsafe(4 + size);
  out.writeInt32BE(size, 0);
  out.writeInt32BE(xid, 4);
  out.writeInt32BE(r.opcode, 8);
  r.body?.copy(out, 12);
  return out;
}

export function request(opcode: number, body?: Buffer, extra: Omit<WireRequest, 'opcode' | 'body'> = {}): WireRequest {
  return { opcode, body, ...extra };
}

// --- records --------------------------------------------------------------------------------

const w = (size = 64) => new WireWriter(size);

function writeAcl(out: WireWriter, acl: readonly AclRecord[]): void {
  out.int(acl.length);
  for (const a of acl) out.int(a.perms).ustring(a.scheme).ustring(a.id);
}

/** GetACL, sync, getEphemerals, getAllChildrenNumber: the path alone. */
export const pathRecord = (path: string) => w(4 + path.length * 3).ustring(path).bytes();

/** Exists, getData, getChildren2: the path and whether to set a watch. */
export const pathWatchRecord = (path: string, watch: boolean) => w(5 + path.length * 3).ustring(path).bool(watch).bytes();

/** Delete and checkVersion (path, version), addWatch (path, mode), removeWatches (path, type). */
export const pathIntRecord = (path: string, n: number) => w(8 + path.length * 3).ustring(path).int(n).bytes();

/** Create, create2 and createContainer; with `ttlMs`, createTTL. */
export function createRecord(path: string, data: Uint8Array, acl: readonly AclRecord[], flags: number, ttlMs?: bigint): Buffer {
  const out = w(64 + data.byteLength + path.length * 3).ustring(path).buffer(data);
  writeAcl(out, acl);
  out.int(flags);
  if (ttlMs !== undefined) out.long(ttlMs);
  return out.bytes();
}

export const setDataRecord = (path: string, data: Uint8Array, version: number) =>
  w(16 + data.byteLength + path.length * 3).ustring(path).buffer(data).int(version).bytes();

export function setAclRecord(path: string, acl: readonly AclRecord[], version: number): Buffer {
  const out = w().ustring(path);
  writeAcl(out, acl);
  return out.int(version).bytes();
}

/**
 * ReconfigRequest: joining servers (`server.N=…` lines, comma-separated), leaving ids
 * (comma-separated), new members (null: incremental), and the config version it is guarded by (-1: none).
 */
export const reconfigRecord = (joining: string | null, leaving: string | null, fromConfig: bigint) =>
  w(64 + ((joining?.length ?? 0) + (leaving?.length ?? 0)) * 3).ustring(joining).ustring(leaving).ustring(null).long(fromConfig).bytes();

export const authRecord = (scheme: string, auth: Uint8Array) => w().int(0).ustring(scheme).buffer(auth).bytes();

/** The watches a session re-registers on a new connection (SetWatches, or SetWatches2 with persistent ones). */
export interface WatchSet {
  data: readonly string[];
  exist: readonly string[];
  child: readonly string[];
  persistent: readonly string[];
  persistentRecursive: readonly string[];
}

export function setWatchesRecord(relativeZxid: bigint, s: WatchSet, withPersistent: boolean): Buffer {
  const out = w(256).long(relativeZxid).strings(s.data).strings(s.exist).strings(s.child);
  if (withPersistent) out.strings(s.persistent).strings(s.persistentRecursive);
  return out.bytes();
}

/** A multi's parts, each preceded by its MultiHeader, and the closing header (type -1, done). */
export function multiRecord(parts: readonly { opcode: number; body: Buffer }[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) chunks.push(w(9).int(p.opcode).bool(false).int(-1).bytes(), p.body);
  chunks.push(w(9).int(-1).bool(true).int(-1).bytes());
  return Buffer.concat(chunks);
}

/** The session handshake: the only frame with no request header. */
export interface ConnectRecord {
  lastZxidSeen: bigint;
  timeoutMs: number;
  sessionId: Uint8Array;
  password: Uint8Array;
  /** Sent only when the client accepts a read-only server (3.4+ servers read the trailing flag). */
  readOnly?: boolean;
}

export function encodeConnectFrame(c: ConnectRecord): Buffer {
  const out = w(64).int(0).int(PROTOCOL_VERSION).long(c.lastZxidSeen).int(c.timeoutMs).long(c.sessionId).buffer(c.password);
  if (c.readOnly) out.bool(true);
  const bytes = out.bytes();
  bytes.writeInt32BE(bytes.length - 4, 0);
  return bytes;
}
