// Bounds-checked reading of Jute's binary encoding (big-endian ints and longs, length-prefixed
// strings, buffers and vectors, -1 for null) from a window of a Buffer. Every length is checked
// against the window before anything is read or allocated: the bytes come from files we do not trust.

/** Reading ran past the window: more bytes may follow in the stream (the caller decides). */
export class OutOfBytes extends Error {
  constructor(readonly needed: number) {
    super(`needs ${needed} more byte(s)`);
  }
}

/** The bytes are not what the format allows (a negative length, an absurd count, ...). */
export class MalformedRecord extends Error {}

export class JuteCursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly limit: number,
    /** The largest length a string/buffer/vector may declare (hostile files declare 2 GB). */
    private readonly maxLength: number,
  ) {}

  remaining(): number {
    return this.limit - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.limit) throw new OutOfBytes(this.pos + n - this.limit);
  }

  int(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  long(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A long that must fit a double exactly (times in ms, Adler values): fast path, no BigInt. */
  safeLong(): number {
    this.need(8);
    const hi = this.buf.readInt32BE(this.pos);
    const lo = this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  byte(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }

  bool(): boolean {
    return this.byte() !== 0;
  }

  private length(what: string): number {
    const n = this.int();
    if (n < -1) throw new MalformedRecord(`negative ${what} length ${n}`);
    if (n > this.maxLength) throw new MalformedRecord(`${what} length ${n} exceeds the limit of ${this.maxLength} bytes`);
    return n;
  }

  /** A ustring; null for length -1. Invalid UTF-8 becomes U+FFFD (shown, never trusted as a path key by callers). */
  string(): string | null {
    const n = this.length('string');
    if (n === -1) return null;
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A buffer as a view into the window (callers copy what they keep); null for length -1. */
  bufferView(): Buffer | null {
    const n = this.length('buffer');
    if (n === -1) return null;
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** Skips a buffer (or string), bounds-checked; returns its length (-1 for null). */
  skipBuffer(): number {
    const n = this.length('buffer');
    if (n === -1) return -1;
    this.need(n);
    this.pos += n;
    return n;
  }

  /** A vector's element count; -1 (null) reads as 0. Each element needs at least `minElementBytes`. */
  vectorCount(minElementBytes: number): number {
    const n = this.int();
    if (n < -1) throw new MalformedRecord(`negative vector count ${n}`);
    if (n === -1) return 0;
    if (n * minElementBytes > this.maxLength) throw new MalformedRecord(`vector count ${n} exceeds the limit`);
    return n;
  }
}
