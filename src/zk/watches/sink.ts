// Between the watch managers and the output: events are queued and written in batches (every
// ~75 ms, a bounded number per turn of the event loop), so a burst of notifications never turns
// into thousands of synchronous writes. The queue is bounded: when the writer cannot keep up,
// newer events are dropped and the gap is reported in their place ("N events dropped"), never
// silently and never by blocking.

export interface BatchingSinkOptions {
  /** Delay before a batch is written (default 75 ms). */
  intervalMs?: number;
  /** Events waiting at most (default 20,000); past it, events are dropped and counted. */
  maxQueued?: number;
  /** Events written per turn of the event loop (default 500, ~5-15 ms of formatting); the rest follow at once. */
  maxPerFlush?: number;
}

export interface DroppedRange {
  count: number;
  firstMs: number;
  lastMs: number;
}

/** A run of dropped events, kept in the queue where they would have been. */
class Gap implements DroppedRange {
  constructor(
    public count: number,
    public firstMs: number,
    public lastMs: number,
  ) {}
}

export class BatchingSink<T> {
  private queue: (T | Gap)[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private dropping: Gap | undefined;
  private disposed = false;
  readonly intervalMs: number;
  readonly maxQueued: number;
  readonly maxPerFlush: number;
  /** Totals since creation. */
  written = 0;
  dropped = 0;

  constructor(
    private readonly write: (batch: T[]) => void,
    private readonly droppedEvent: (range: DroppedRange) => T,
    opts: BatchingSinkOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 75;
    this.maxQueued = opts.maxQueued ?? 20_000;
    this.maxPerFlush = opts.maxPerFlush ?? 500;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  push(item: T): void {
    if (this.disposed) return;
    const now = Date.now();
    if (this.queued >= this.maxQueued) {
      this.dropped++;
      if (this.dropping) {
        this.dropping.count++;
        this.dropping.lastMs = now;
      } else {
        this.dropping = new Gap(1, now, now);
      }
      return;
    }
    if (this.dropping) {
      // The gap goes where the dropped events would have been (one slot beyond the bound).
      this.queue.push(this.dropping);
      this.dropping = undefined;
    }
    this.queue.push(item);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.immediate) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushSome();
    }, this.intervalMs);
    this.timer.unref?.();
  }

  private flushSome(): void {
    const end = Math.min(this.queue.length, this.head + this.maxPerFlush);
    const batch: T[] = [];
    for (let i = this.head; i < end; i++) {
      const item = this.queue[i];
      batch.push(item instanceof Gap ? this.droppedEvent(item) : item);
    }
    this.head = end;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.queued === 0 && this.dropping && !this.disposed) {
      batch.push(this.droppedEvent(this.dropping));
      this.dropping = undefined;
    }
    this.written += batch.length;
    if (batch.length > 0) {
      try {
        this.write(batch);
      } catch {
        // A failing writer must not stop the watches; the lines are lost, nothing else.
      }
    }
    if (this.queued > 0 && !this.disposed) {
      // More waiting: write the next part on the next turn, after other work had its chance.
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.flushSome();
      });
    }
  }

  /** Writes everything queued now (tests, and before disposing). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    while (this.queued > 0 || this.dropping) {
      const before = this.queued;
      this.flushSome();
      if (this.immediate) clearImmediate(this.immediate);
      this.immediate = undefined;
      if (this.queued === before && !this.dropping) break;
    }
  }

  dispose(): void {
    this.flush();
    this.disposed = true;
  }
}
