// Requests asked in one turn of the event loop leave in one socket write. Writing each request on
// its own cost a write call (and a system call) per request: a tree page asks the stats of its 500
// rows at once, which spent most of the longest event-loop block of an expand in 500 writes.

/** Largest batch handed to the socket at once: back pressure is still seen between batches. */
export const WRITE_BATCH_BYTES = 64 * 1024;

/** Runs `run` once, after the code that is running now (before any I/O), however often it is asked. */
export class SoonOnce {
  private pending = false;

  constructor(private readonly run: () => void) {}

  request(): void {
    if (this.pending) return;
    this.pending = true;
    process.nextTick(() => {
      this.pending = false;
      this.run();
    });
  }
}

/**
 * Writes the frames `next` hands out, joined into batches of about WRITE_BATCH_BYTES. Stops when
 * `next` has no more, or after a batch the socket answered with back pressure (false): the caller
 * goes on at 'drain'. `last` says a frame is the last one to send (closeSession).
 */
export function writeBatched(write: (bytes: Buffer) => boolean, next: () => { frame: Buffer; last: boolean } | undefined): void {
  let frames: Buffer[] = [];
  let bytes = 0;
  const send = (): boolean => {
    const flowing = write(frames.length === 1 ? frames[0] : Buffer.concat(frames, bytes));
    frames = [];
    bytes = 0;
    return flowing;
  };
  for (let item = next(); item !== undefined; item = next()) {
    frames.push(item.frame);
    bytes += item.frame.length;
    if (item.last) break;
    if (bytes >= WRITE_BATCH_BYTES && !send()) return;
  }
  if (frames.length > 0) send();
}
