// A window over a file (or a decompressed stream) read in chunks: records are decoded synchronously
// from the window, and when one does not fit, the window grows or slides forward. Nothing holds more
// of the file than the largest record plus one chunk.
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { nodeFsPromises, nodeZlib } from '../lazyBuiltins';

const CHUNK = 1 << 20;

interface ByteSource {
  /** Reads up to `max` bytes into target at `at`; 0 at the end. */
  read(target: Buffer, at: number, max: number): Promise<number>;
  /** Continues reading at this offset (files only). */
  seek?(offset: number): void;
  close(): Promise<void>;
}

export class ChunkedInput {
  private buf: Buffer;
  /** First unconsumed byte in buf. */
  private start = 0;
  /** End of the valid bytes in buf. */
  private end = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private atEnd = false;

  private constructor(
    private readonly source: ByteSource,
    private readonly chunk = CHUNK,
  ) {
    this.buf = Buffer.allocUnsafe(chunk);
  }

  /** Reads a plain file, `chunk` bytes at a time (a long scan reads bigger chunks: fewer round trips to the thread pool). */
  static async file(path: string, chunk = CHUNK): Promise<ChunkedInput> {
    const fh = await nodeFsPromises().open(path, 'r');
    return new ChunkedInput(fileSource(fh), chunk);
  }

  /** Reads the decompressed bytes of a gzip file. */
  static gzip(path: string): ChunkedInput {
    return new ChunkedInput(streamSource(createReadStream(path).pipe(nodeZlib().createGunzip())));
  }

  /** The window: bytes [start, end) of buffer() are available. */
  buffer(): Buffer {
    return this.buf;
  }
  windowStart(): number {
    return this.start;
  }
  available(): number {
    return this.end - this.start;
  }
  /** Stream offset of the first unconsumed byte. */
  offset(): number {
    return this.base + this.start;
  }
  /** The source has no more bytes (what is in the window is all there is). */
  exhausted(): boolean {
    return this.atEnd;
  }
  ended(): boolean {
    return this.atEnd && this.start === this.end;
  }

  consume(n: number): void {
    if (n < 0 || n > this.available()) throw new RangeError(`consume ${n} of ${this.available()}`);
    this.start += n;
  }

  /** Makes at least n bytes available unless the stream ends first; returns how many are. */
  async ensure(n: number): Promise<number> {
    while (this.available() < n && !this.atEnd) {
      if (this.buf.length - this.start < n || this.end === this.buf.length) this.makeRoom(n);
      const got = await this.source.read(this.buf, this.end, this.buf.length - this.end);
      if (got === 0) this.atEnd = true;
      this.end += got;
    }
    return this.available();
  }

  /** Slides the unconsumed bytes to the front; grows the buffer only when n does not fit. */
  private makeRoom(n: number): void {
    const keep = this.available();
    const size = Math.max(this.buf.length, n + this.chunk);
    const target = size > this.buf.length ? Buffer.allocUnsafe(size) : this.buf;
    this.buf.copy(target, 0, this.start, this.end);
    this.base += this.start;
    this.buf = target;
    this.start = 0;
    this.end = keep;
  }

  /** Drops the window and continues at a stream offset (plain files only). */
  seek(offset: number): void {
    if (!this.source.seek) throw new Error('this input cannot seek');
    this.source.seek(offset);
    this.base = offset;
    this.start = this.end = 0;
    this.atEnd = false;
  }

  async close(): Promise<void> {
    await this.source.close();
  }
}

function fileSource(fh: FileHandle): ByteSource {
  let position = 0;
  return {
    async read(target, at, max) {
      const { bytesRead } = await fh.read(target, at, max, position);
      position += bytesRead;
      return bytesRead;
    },
    seek(offset) {
      position = offset;
    },
    close: () => fh.close(),
  };
}

function streamSource(stream: NodeJS.ReadableStream & { destroy(): void }): ByteSource {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer | undefined;
  let done = false;
  return {
    async read(target, at, max) {
      while (!pending?.length) {
        if (done) return 0;
        const next = await chunks.next();
        if (next.done) {
          done = true;
          return 0;
        }
        pending = next.value;
      }
      const n = Math.min(max, pending.length);
      pending.copy(target, at, 0, n);
      pending = pending.subarray(n);
      return n;
    },
    async close() {
      stream.destroy();
    },
  };
}
