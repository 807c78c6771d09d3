// Splits a ZooKeeper byte stream into frames (a 4-byte length, then that many bytes). The length is
// judged the moment its 4 bytes arrive: one over the limit is refused before anything of the frame
// is kept, so a peer announcing 2 GiB and trickling it in costs nothing. A frame is copied once, when
// it is complete (and only when it spans chunks).
import { ProtocolViolation } from './reader';

/**
 * ZooKeeper's jute.maxbuffer (0xfffff): the server refuses requests over it, and bounds every
 * reply but one by it (data, ACLs, paths). A child list is not bounded by the server: a node with
 * 100,000 children answers about 1.6 MiB (Java clients refuse that, "Packet len … is out of range").
 */
export const JUTE_MAXBUFFER = 0xfffff;

/**
 * Default largest inbound frame: a 100,000-child listing (about 1.6 MiB) fits twice over, while the
 * worst frame of this size (a million empty names, each a string to build) stays one bounded block.
 */
export const DEFAULT_MAX_REPLY_BYTES = 4 * 1024 * 1024;

/** The smallest limit that still lets the largest data reply through (jute.maxbuffer, headers, Stat). */
export const MIN_MAX_REPLY_BYTES = JUTE_MAXBUFFER + 1 + 64 * 1024;

/** Bytes of a frame's start that an oversize hook is shown: the reply header (xid, zxid, err). */
export const OVERSIZE_PEEK_BYTES = 16;

/**
 * Asked about a frame over the limit, with its length and its first OVERSIZE_PEEK_BYTES: true to
 * skip the frame's bytes without keeping them (the hook failed the request it answers), false to
 * refuse it as a protocol violation.
 */
export type OversizeHook = (size: number, head: Buffer) => boolean;

export class FrameSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes of a skipped oversized frame still to be dropped as they arrive. */
  private skipping = 0;

  constructor(readonly maxFrameBytes: number) {}

  /** Forgets a partial frame (a new socket starts from scratch). */
  reset(): void {
    this.chunks = [];
    this.buffered = 0;
    this.skipping = 0;
  }

  /**
   * Adds a chunk and hands every complete frame to `onFrame`, which returns false to stop (the
   * socket was dropped). Throws a ProtocolViolation for a negative or oversized length, unless
   * `onOversize` takes the oversized frame (then its bytes are dropped as they arrive).
   */
  push(chunk: Buffer, onFrame: (frame: Buffer) => boolean, onOversize?: OversizeHook): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.skipping > 0) this.skipping -= this.drop(this.skipping);
      if (this.skipping > 0 || this.buffered < 4) return;
      if (this.chunks[0].length < 4) this.coalesce();
      const size = this.chunks[0].readInt32BE(0);
      if (size > this.maxFrameBytes && onOversize) {
        // Decided on the header alone: nothing of the frame's body is ever kept.
        if (this.buffered < 4 + OVERSIZE_PEEK_BYTES) return;
        if (this.chunks[0].length < 4 + OVERSIZE_PEEK_BYTES) this.coalesce();
        const head = Buffer.from(this.chunks[0].subarray(4, 4 + OVERSIZE_PEEK_BYTES));
        if (onOversize(size, head)) {
          this.skipping = size + 4;
          continue;
        }
      }
      if (size < 0 || size > this.maxFrameBytes) {
        this.reset();
        throw new ProtocolViolation(
          size < 0
            ? `frame length ${size} is invalid`
            : `a frame of ${size.toLocaleString('en')} bytes exceeds the limit of ${this.maxFrameBytes.toLocaleString('en')} bytes ("maxReplyBytes" in the connection's settings)`,
        );
      }
      if (this.buffered < size + 4) return;
      if (this.chunks[0].length < size + 4) this.coalesce();
      const head = this.chunks[0];
      const frame = head.subarray(4, size + 4);
      if (head.length > size + 4) this.chunks[0] = head.subarray(size + 4);
      else this.chunks.shift();
      this.buffered -= size + 4;
      if (!onFrame(frame)) return;
    }
  }

  /** Drops up to `n` buffered bytes from the front; returns how many were dropped. */
  private drop(n: number): number {
    let dropped = 0;
    while (dropped < n && this.chunks.length > 0) {
      const head = this.chunks[0];
      const take = Math.min(head.length, n - dropped);
      if (take === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(take);
      dropped += take;
    }
    this.buffered -= dropped;
    return dropped;
  }

  private coalesce(): void {
    this.chunks = [Buffer.concat(this.chunks, this.buffered)];
  }
}
