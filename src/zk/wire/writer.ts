// A writer of jute-encoded bytes (ZooKeeper's wire format), the counterpart of reader.ts: big-endian
// ints and longs, length-prefixed strings and buffers (-1 for null), count-prefixed vectors.
// Record layouts: zookeeper-jute/src/main/resources/zookeeper.jute.

export class WireWriter {
  private buf: Buffer;
  private at = 0;

  constructor(initialBytes = 64) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialBytes));
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  int(v: number): this {
    this.room(4);
    this.buf.writeInt32BE(v, this.at);
    this.at += 4;
    return this;
  }

  /** A 64-bit value: a bigint (taken modulo 2^64, so an unsigned zxid fits), or 8 bytes as they are. */
  long(v: bigint | Uint8Array): this {
    this.room(8);
    if (typeof v === 'bigint') this.buf.writeBigUInt64BE(BigInt.asUintN(64, v), this.at);
    else {
      if (v.byteLength !== 8) throw new RangeError(`a long is 8 bytes, got ${v.byteLength}`);
      this.buf.set(v, this.at);
    }
    this.at += 8;
    return this;
  }

  bool(v: boolean): this {
    this.room(1);
    this.buf[this.at] = v ? 1 : 0;
    this.at += 1;
    return this;
  }

  ustring(v: string | null): this {
    if (v === null) return this.int(-1);
    const n = Buffer.byteLength(v, 'utf8');
    this.int(n);
    this.room(n);
    this.buf.write(v, this.at, n, 'utf8');
    this.at += n;
    return this;
  }

  buffer(v: Uint8Array | null): this {
    if (v === null) return this.int(-1);
    this.int(v.byteLength);
    this.room(v.byteLength);
    this.buf.set(v, this.at);
    this.at += v.byteLength;
    return this;
  }

  strings(v: readonly string[]): this {
    this.int(v.length);
    for (const s of v) this.ustring(s);
    return this;
  }

  /** The bytes written so far (a view: the writer must not be used after). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

/** Encoded size of a jute ustring (length prefix included). */
export function ustringBytes(v: string): number {
  return 4 + Buffer.byteLength(v, 'utf8');
}
