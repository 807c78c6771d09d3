// Decoders of every reply this client reads, on the bounds-checked WireReader: typed results with
// stats already decoded (zxids as hex, times as Dates), so nothing above the wire sees jute records.
// Record layouts: zookeeper-jute/src/main/resources/zookeeper.jute.
import type { ZkAcl } from '../acl';
import type { ZnodeStat } from '../stat';
import { OP } from './opcodes';
import { MIN_BYTES, ProtocolViolation, WireReader } from './reader';

export interface ReplyHeader {
  xid: number;
  /** The server's last zxid (8 bytes, a view into the frame), undefined when zero. */
  zxid: Buffer | undefined;
  err: number;
}

/** Bytes of a ReplyHeader: xid, zxid, err. */
export const REPLY_HEADER_BYTES = 16;

export function readReplyHeader(frame: Buffer): ReplyHeader {
  if (frame.length < REPLY_HEADER_BYTES) {
    throw new ProtocolViolation(`a reply header needs ${REPLY_HEADER_BYTES} bytes but the frame has ${frame.length}`);
  }
  const zeroZxid = frame.readInt32BE(4) === 0 && frame.readInt32BE(8) === 0;
  return { xid: frame.readInt32BE(0), zxid: zeroZxid ? undefined : frame.subarray(4, 12), err: frame.readInt32BE(12) };
}

/** Bytes of a Stat on the wire. */
export const STAT_BYTES = 68;

export function readStat(r: WireReader): ZnodeStat {
  if (r.left < STAT_BYTES) throw new ProtocolViolation(`a Stat needs ${STAT_BYTES} bytes but ${r.left} are left`);
  const czxid = r.longHex();
  const mzxid = r.longHex();
  const ctime = new Date(r.longNumber());
  const mtime = new Date(r.longNumber());
  const version = r.int();
  const cversion = r.int();
  const aversion = r.int();
  const ephemeralOwner = r.longHex();
  const dataLength = r.int();
  const numChildren = r.int();
  const pzxid = r.longHex();
  return { czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength, numChildren };
}

export interface StatReply {
  stat: ZnodeStat;
}
export interface GetDataReply {
  data: Buffer | null;
  stat: ZnodeStat;
}
export interface GetChildrenReply {
  children: string[];
  stat: ZnodeStat;
}
export interface GetAclReply {
  acl: ZkAcl[];
  stat: ZnodeStat;
}
export interface PathReply {
  path: string;
}
export interface Create2Reply {
  path: string;
  stat: ZnodeStat;
}
export interface ClientInfo {
  authScheme: string;
  user: string;
}
export interface WatcherEventReply {
  type: number;
  state: number;
  /** Full server path (chroot included). */
  path: string;
}
export interface ConnectReply {
  protocolVersion: number;
  timeOut: number;
  sessionId: Buffer;
  passwd: Buffer;
  /** Sent by 3.4+ servers after the record; false when absent. */
  readOnly: boolean;
}
/** One part of a multi's reply: `err` is 0 for a part that ran, the part's code otherwise. */
export interface MultiPartReply {
  type: number;
  err: number;
  path?: string;
  stat?: ZnodeStat;
}

/** Bytes of the smallest ACL: perms, and an Id of two empty strings. */
const MIN_ACL_BYTES = MIN_BYTES.int + 2 * MIN_BYTES.string;

export function readAclVector(r: WireReader): ZkAcl[] {
  const n = r.vectorCount(MIN_ACL_BYTES, 'the ACL list');
  const acl: ZkAcl[] = [];
  for (let i = 0; i < n; i++) {
    const perms = r.int();
    const scheme = r.requiredString(`the scheme of ACL entry ${i}`);
    const id = r.requiredString(`the id of ACL entry ${i}`);
    acl.push({ perms, scheme, id });
  }
  return acl;
}

export const readStatReply = (r: WireReader): StatReply => ({ stat: readStat(r) });

export function readGetData(r: WireReader): GetDataReply {
  const data = r.buffer('the data');
  return { data, stat: readStat(r) };
}

export function readGetChildren2(r: WireReader): GetChildrenReply {
  const children = r.stringVector('the child list');
  return { children, stat: readStat(r) };
}

export function readGetAcl(r: WireReader): GetAclReply {
  const acl = readAclVector(r);
  return { acl, stat: readStat(r) };
}

export const readPath = (r: WireReader): PathReply => ({ path: r.requiredString('the path') });

export function readCreate2(r: WireReader): Create2Reply {
  const path = r.requiredString('the created path');
  return { path, stat: readStat(r) };
}

export const readEphemerals = (r: WireReader): { ephemerals: string[] } => ({ ephemerals: r.stringVector('the ephemeral list') });

export const readAllChildrenNumber = (r: WireReader): { totalNumber: number } => ({ totalNumber: r.int('the descendant count') });

export function readWhoAmI(r: WireReader): { clientInfo: ClientInfo[] } {
  const n = r.vectorCount(2 * MIN_BYTES.string, 'the client info list');
  const clientInfo: ClientInfo[] = [];
  for (let i = 0; i < n; i++) {
    const authScheme = r.string(`the scheme of client info ${i}`) ?? '';
    const user = r.string(`the user of client info ${i}`) ?? '';
    clientInfo.push({ authScheme, user });
  }
  return { clientInfo };
}

export function readWatcherEvent(r: WireReader): WatcherEventReply {
  const type = r.int('the event type');
  const state = r.int('the event state');
  return { type, state, path: r.requiredString('the event path') };
}

export function readConnectResponse(frame: Buffer): ConnectReply {
  const r = new WireReader(frame);
  const protocolVersion = r.int('the protocol version');
  const timeOut = r.int('the session timeout');
  const sessionId = r.longBytes('the session id');
  const passwd = r.buffer('the session password') ?? Buffer.alloc(16);
  const readOnly = r.left > 0 && r.bool('the read-only flag');
  return { protocolVersion, timeOut, sessionId, passwd, readOnly };
}

/** Bytes of a MultiHeader: type, done, err. */
const MULTI_HEADER_BYTES = 9;

/** A multi's reply: one result per part, up to the closing header (each loop consumes ≥ 9 bytes). */
export function readMulti(r: WireReader): MultiPartReply[] {
  const results: MultiPartReply[] = [];
  for (;;) {
    if (r.left < MULTI_HEADER_BYTES) throw new ProtocolViolation(`a multi reply ends without its closing header (${r.left} bytes left)`);
    const type = r.int();
    const done = r.bool();
    const headerErr = r.int();
    if (done) return results;
    switch (type) {
      case OP.ERROR:
        results.push({ type, err: r.int('the error of a multi part') });
        break;
      case OP.DELETE:
      case OP.CHECK:
        results.push({ type, err: 0 });
        break;
      case OP.CREATE:
        results.push({ type, err: 0, path: r.requiredString('the created path') });
        break;
      case OP.CREATE2:
      case OP.CREATE_CONTAINER:
      case OP.CREATE_TTL: {
        const c = readCreate2(r);
        results.push({ type, err: 0, path: c.path, stat: c.stat });
        break;
      }
      case OP.SET_DATA:
        results.push({ type, err: 0, stat: readStat(r) });
        break;
      default:
        throw new ProtocolViolation(`a multi reply has a part of unknown type ${type} (err ${headerErr})`);
    }
  }
}

export type ReplyDecoder = (r: WireReader) => unknown;

const NO_BODY: ReplyDecoder = () => undefined;

/** How to decode a successful reply, by the opcode of the request. */
export const REPLY_DECODERS: Readonly<Record<number, ReplyDecoder>> = {
  [OP.CREATE]: readPath,
  [OP.CREATE2]: readCreate2,
  [OP.CREATE_CONTAINER]: readCreate2,
  [OP.CREATE_TTL]: readCreate2,
  [OP.DELETE]: NO_BODY,
  [OP.EXISTS]: readStatReply,
  [OP.GET_DATA]: readGetData,
  // The new config's text and the Stat of /zookeeper/config.
  [OP.RECONFIG]: readGetData,
  [OP.SET_DATA]: readStatReply,
  [OP.GET_ACL]: readGetAcl,
  [OP.SET_ACL]: readStatReply,
  [OP.GET_CHILDREN2]: readGetChildren2,
  [OP.SYNC]: readPath,
  [OP.MULTI]: readMulti,
  [OP.SET_WATCHES]: NO_BODY,
  [OP.SET_WATCHES2]: NO_BODY,
  [OP.ADD_WATCH]: NO_BODY,
  [OP.REMOVE_WATCHES]: NO_BODY,
  [OP.CHECK_WATCHES]: NO_BODY,
  [OP.GET_EPHEMERALS]: readEphemerals,
  [OP.GET_ALL_CHILDREN_NUMBER]: readAllChildrenNumber,
  [OP.WHO_AM_I]: readWhoAmI,
  [OP.CLOSE_SESSION]: NO_BODY,
};

/** Decodes a reply body that starts after the header; unknown opcodes have no body. */
export function decodeReply(opcode: number, frame: Buffer): unknown {
  const decode = REPLY_DECODERS[opcode];
  return decode ? decode(new WireReader(frame, REPLY_HEADER_BYTES)) : undefined;
}
