// Decodes the wire Stat (64-bit fields arrive as 8-byte big-endian Buffers) into plain values that
// can be shown and compared: zxids and session ids as hex strings, times as Dates, counts as numbers.

export interface ZnodeStat {
  czxid: string;
  mzxid: string;
  pzxid: string;
  ctime: Date;
  mtime: Date;
  /** Data version: the value a conflict-safe setData must send. */
  version: number;
  cversion: number;
  aversion: number;
  /** Session id owning an ephemeral node, '0x0' for every other node. */
  ephemeralOwner: string;
  dataLength: number;
  numChildren: number;
}

export interface WireStat {
  czxid: Buffer;
  mzxid: Buffer;
  ctime: Buffer;
  mtime: Buffer;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: Buffer;
  dataLength: number;
  numChildren: number;
  pzxid: Buffer;
}

export function longToBigInt(b: Buffer): bigint {
  return b.readBigInt64BE(0);
}

export function longToHex(b: Buffer): string {
  const v = b.readBigUInt64BE(0);
  return '0x' + v.toString(16);
}

export function decodeStat(w: WireStat): ZnodeStat {
  return {
    czxid: longToHex(w.czxid),
    mzxid: longToHex(w.mzxid),
    pzxid: longToHex(w.pzxid),
    ctime: new Date(Number(longToBigInt(w.ctime))),
    mtime: new Date(Number(longToBigInt(w.mtime))),
    version: w.version,
    cversion: w.cversion,
    aversion: w.aversion,
    ephemeralOwner: longToHex(w.ephemeralOwner),
    dataLength: w.dataLength,
    numChildren: w.numChildren,
  };
}

export function isEphemeral(stat: ZnodeStat): boolean {
  return stat.ephemeralOwner !== '0x0';
}
