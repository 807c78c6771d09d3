// A bounds-checked reader of jute-encoded bytes (ZooKeeper's wire format). Every length and count
// comes from the peer, so none is trusted: a buffer or string length is -1 (null) or fits in the
// bytes left, a vector count fits in the bytes left divided by its element's smallest encoding, and
// anything else is a ProtocolViolation. Nothing is allocated before its size has been checked, so a
// hostile frame costs at most its own length in memory and time.

/** The peer sent bytes that are not a valid reply; the message says what was wrong. */
export class ProtocolViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolViolation';
  }
}

/** Smallest encodings, for vector counts: an int, a long, an empty-or-null string or buffer. */
export const MIN_BYTES = { int: 4, long: 8, bool: 1, string: 4, buffer: 4 } as const;

export class WireReader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get left(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (n > this.end - this.pos) {
      throw new ProtocolViolation(`${what} needs ${n} bytes but ${this.end - this.pos} are left`);
    }
  }

  int(what = 'an int'): number {
    this.need(4, what);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  bool(what = 'a boolean'): boolean {
    this.need(1, what);
    return this.buf[this.pos++] !== 0;
  }

  /** A long as its two 32-bit halves (high signed, low unsigned), without a BigInt. */
  longHalves(what = 'a long'): { hi: number; lo: number } {
    this.need(8, what);
    const hi = this.buf.readInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return { hi, lo };
  }

  /** A long as an unsigned hex string ('0x1a2b'), how zxids and session ids are shown. */
  longHex(what = 'a long'): string {
    this.need(8, what);
    const hi = this.buf.readUInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return hi === 0 ? '0x' + lo.toString(16) : '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
  }

  /** A signed long as a Number; exact for anything within ±2^53 (times in ms, TTLs). */
  longNumber(what = 'a long'): number {
    this.need(8, what);
    const hi = this.buf.readInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return hi * 0x1_0000_0000 + lo;
  }

  /** The 8 bytes of a long, copied (session ids and zxids the library sends back as they came). */
  longBytes(what = 'a long'): Buffer {
    this.need(8, what);
    const b = Buffer.allocUnsafeSlow(8);
    this.buf.copy(b, 0, this.pos, this.pos + 8);
    this.pos += 8;
    return b;
  }

  private length(what: string): number {
    const n = this.int(`the length of ${what}`);
    if (n === -1) return -1;
    if (n < 0 || n > this.end - this.pos) {
      throw new ProtocolViolation(`${what} length ${n} exceeds the ${this.end - this.pos} bytes left`);
    }
    return n;
  }

  /** A buffer (copied, so a small value does not keep a large frame alive); null for length -1. */
  buffer(what = 'a buffer'): Buffer | null {
    const n = this.length(what);
    if (n === -1) return null;
    const b = Buffer.allocUnsafeSlow(n);
    this.buf.copy(b, 0, this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** Every byte left (copied), for a record another module decodes (a SASL token). */
  rest(): Buffer {
    const b = Buffer.from(this.buf.subarray(this.pos, this.end));
    this.pos = this.end;
    return b;
  }

  /** A UTF-8 string; null for length -1. */
  string(what = 'a string'): string | null {
    const n = this.length(what);
    if (n === -1) return null;
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A string where null makes no sense (paths, names): null is a violation. */
  requiredString(what: string): string {
    const s = this.string(what);
    if (s === null) throw new ProtocolViolation(`${what} is null`);
    return s;
  }

  /**
   * A vector's element count: -1 (null), or at most what the bytes left can hold at `minElementBytes`
   * each, so no loop over a count can run past the frame.
   */
  vectorCount(minElementBytes: number, what = 'a vector'): number {
    const n = this.int(`the count of ${what}`);
    if (n === -1) return -1;
    const left = this.end - this.pos;
    if (n < 0 || n > Math.floor(left / minElementBytes)) {
      throw new ProtocolViolation(`${what} count ${n} exceeds the ${left} bytes left`);
    }
    return n;
  }

  /** A vector of strings none of which may be null (child names, paths); null vector = empty. */
  stringVector(what: string): string[] {
    const n = this.vectorCount(MIN_BYTES.string, what);
    const out: string[] = new Array(Math.max(0, n));
    this.stringsInto(out, 0, out.length, what);
    return out;
  }

  /**
   * Reads strings `from` to `to` of a vector into `out` (none may be null): the elements of a vector
   * whose count was read already, all at once or a slice at a time (a huge child list).
   */
  stringsInto(out: string[], from: number, to: number, what: string): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    // Inlined string() (the hot loop of a 100k-child listing); the same bounds.
    for (let i = from; i < to; i++) {
      if (end - pos < 4) {
        this.pos = pos;
        throw new ProtocolViolation(`the length of ${what}[${i}] needs 4 bytes but ${end - pos} are left`);
      }
      const len = buf.readInt32BE(pos);
      pos += 4;
      if (len < 0 || len > end - pos) {
        this.pos = pos;
        throw new ProtocolViolation(len === -1 ? `${what}[${i}] is null` : `${what}[${i}] length ${len} exceeds the ${end - pos} bytes left`);
      }
      out[i] = buf.toString('utf8', pos, pos + len);
      pos += len;
    }
    this.pos = pos;
  }
}
