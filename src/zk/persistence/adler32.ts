// Adler-32 as java.util.zip.Adler32 computes it: ZooKeeper seals every log record and every snapshot
// with it. Incremental (update over successive chunks), no allocation.

const MOD = 65521;
// The largest n such that 255n(n+1)/2 + (n+1)(MOD-1) fits in 2^32 - 1: sums stay exact between reductions.
const NMAX = 5552;

export class Adler32 {
  private a = 1;
  private b = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): this {
    let a = this.a;
    let b = this.b;
    let i = start;
    while (i < end) {
      const stop = Math.min(end, i + NMAX);
      for (; i < stop; i++) {
        a += buf[i];
        b += a;
      }
      a %= MOD;
      b %= MOD;
    }
    this.a = a;
    this.b = b;
    return this;
  }

  /** The unsigned 32-bit value (Java's Adler32.getValue(), a long, never negative). */
  value(): number {
    return this.b * 65536 + this.a;
  }
}

export function adler32(buf: Uint8Array, start = 0, end = buf.length): number {
  return new Adler32().update(buf, start, end).value();
}
