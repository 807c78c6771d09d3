// A bound on requests in flight: the rest wait in line, and every one waiting has its own deadline
// (the request deadline, counted from when it was asked). Waiters whose time is up are failed by a
// timer, without being sent and without waiting for a slot to free; releasing a slot skips them in
// a loop, never by recursion, so a long line of expired requests cannot overflow the stack.
// performance: Node's global (node:perf_hooks, a dozen internal modules, is left unloaded at activation).

interface Waiter {
  askedAt: number;
  go: () => void;
  expired: () => void;
  done: boolean;
}

export class RequestSlots {
  private inFlight = 0;
  private line: Waiter[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly max: number,
    private readonly deadlineMs: number,
  ) {}

  /** Now, in ms, on the clock `askedAt` is measured with (monotonic). */
  static now(): number {
    return performance.now();
  }

  get waiting(): number {
    return this.line.length - this.head;
  }

  /**
   * Runs `go` now when a slot is free, else when one frees; runs `expired` instead when the
   * deadline, counted from `askedAt`, passes first. `go` owns the slot until release().
   */
  acquire(askedAt: number, go: () => void, expired: () => void): void {
    if (this.inFlight < this.max) {
      this.inFlight++;
      go();
      return;
    }
    this.line.push({ askedAt, go, expired, done: false });
    if (!this.timer) this.arm();
  }

  /** Passes the slot to the first waiter still in time, or frees it. */
  release(): void {
    const now = RequestSlots.now();
    for (;;) {
      const next = this.shift();
      if (!next) {
        this.inFlight--;
        return;
      }
      if (now - next.askedAt >= this.deadlineMs) {
        next.expired();
        continue;
      }
      next.go();
      return;
    }
  }

  private shift(): Waiter | undefined {
    while (this.head < this.line.length) {
      const w = this.line[this.head++];
      if (this.head > 1024 && this.head * 2 > this.line.length) {
        this.line = this.line.slice(this.head);
        this.head = 0;
      }
      if (w.done) continue;
      w.done = true;
      return w;
    }
    return undefined;
  }

  /** A timer for the oldest waiter's deadline (the line is in order of asking). */
  private arm(): void {
    const first = this.line[this.head];
    if (!first) return;
    const delay = Math.max(1, Math.ceil(first.askedAt + this.deadlineMs - RequestSlots.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sweep();
    }, delay);
  }

  private sweep(): void {
    const now = RequestSlots.now();
    while (this.head < this.line.length) {
      const w = this.line[this.head];
      if (!w.done && now - w.askedAt < this.deadlineMs) break;
      this.head++;
      if (!w.done) {
        w.done = true;
        w.expired();
      }
    }
    if (this.head > 1024 && this.head * 2 > this.line.length) {
      this.line = this.line.slice(this.head);
      this.head = 0;
    }
    if (this.head >= this.line.length) {
      this.line = [];
      this.head = 0;
      return;
    }
    this.arm();
  }
}
