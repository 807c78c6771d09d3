// The record queue of a WatchManager: one record per path at a time (a burst of notifications to
// one node merges into one read), reads bounded in number, and records leaving in the order their
// first notification arrived, whatever order reads finish in. A read that fails for connection
// trouble keeps its place and runs again once the connection is back.
import type { CatchUpCause, ChangeType, WatchKind, WatchLogEvent } from './types';
import type { WatchClient } from './watchOptions';

export interface Rec {
  seq: number;
  path: string;
  time: number;
  triggers: Set<ChangeType>;
  dataNotifications: number;
  catchUp?: CatchUpCause;
  /** Establishing: read and remember, announce instead of diffing. */
  baseline?: 'announce' | 'silent';
  /** The kind of watch a baseline announces. */
  announce?: WatchKind;
  sent: boolean;
  done: boolean;
  lines: WatchLogEvent[];
  /** Reads tried and failed for connection trouble. */
  attempts: number;
}

/** A record's read could not run for connection trouble: the record waits and tries again. */
export const RETRY = Symbol('retry');

export interface EnqueueOptions {
  trigger?: ChangeType;
  notified?: number;
  catchUp?: CatchUpCause;
  baseline?: 'announce' | 'silent';
  announce?: WatchKind;
}

interface PathQueue {
  running?: Rec;
  pending: Rec[];
}

export interface RecordQueueHost {
  readonly readConcurrency: number;
  now(): number;
  /** Reads what a record needs and returns its lines, or RETRY. */
  execute(rec: Rec): Promise<WatchLogEvent[] | typeof RETRY>;
  /** A line for a record whose processing threw. */
  failed(rec: Rec, e: unknown): WatchLogEvent;
  emit(line: WatchLogEvent): void;
  client(): WatchClient | undefined;
  isUp(): boolean;
  disposed(): boolean;
  /** Nothing is waiting any more (before idle waiters are told). */
  onIdle(): void;
}

export class RecordQueue {
  private readonly queues = new Map<string, PathQueue>();
  private out: Rec[] = [];
  private outHead = 0;
  private seq = 0;
  private unresolvedCount = 0;
  private active = 0;
  private readonly waitingRuns: (() => void)[] = [];
  private waitingHead = 0;
  /** Records waiting for the connection to come back. */
  private readonly parked: { rec: Rec; q: PathQueue }[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly host: RecordQueueHost) {}

  /** Records waiting for or doing a read. */
  get unresolved(): number {
    return this.unresolvedCount;
  }

  /** A record of this path is waiting or running. */
  has(path: string): boolean {
    return this.queues.has(path);
  }

  enqueue(path: string, opts: EnqueueOptions): void {
    if (this.host.disposed()) return;
    let q = this.queues.get(path);
    if (!q) {
      q = { pending: [] };
      this.queues.set(path, q);
    }
    // Merge into a record whose read has not been sent yet: one read covers them all.
    const open = q.pending.length > 0 ? q.pending[q.pending.length - 1] : q.running && !q.running.sent ? q.running : undefined;
    if (open && !open.baseline && !opts.baseline && open.catchUp === opts.catchUp) {
      if (opts.trigger) open.triggers.add(opts.trigger);
      open.dataNotifications += opts.notified ?? 0;
      return;
    }
    const rec: Rec = {
      seq: this.seq++,
      path,
      time: this.host.now(),
      triggers: new Set(opts.trigger ? [opts.trigger] : []),
      dataNotifications: opts.notified ?? 0,
      catchUp: opts.catchUp,
      baseline: opts.baseline,
      announce: opts.announce,
      sent: false,
      done: false,
      lines: [],
      attempts: 0,
    };
    this.out.push(rec);
    this.unresolvedCount++;
    q.pending.push(rec);
    this.pump(path, q);
  }

  /** Lines that need no read, in order with the rest. */
  resolved(lines: WatchLogEvent[]): void {
    this.out.push({ seq: this.seq++, path: '', time: this.host.now(), triggers: new Set(), dataNotifications: 0, sent: true, done: true, lines, attempts: 0 });
    this.drain();
  }

  /** The connection is back: records that could not read try again. */
  resumeParked(): void {
    for (const { rec, q } of this.parked.splice(0)) this.run(rec, q);
  }

  /** Resolves when no record is waiting. */
  whenIdle(): Promise<void> {
    if (this.unresolvedCount === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.queues.clear();
    for (const r of this.idleWaiters.splice(0)) r();
  }

  private pump(path: string, q: PathQueue): void {
    if (q.running) return;
    const rec = q.pending.shift();
    if (!rec) {
      this.queues.delete(path);
      return;
    }
    q.running = rec;
    this.run(rec, q);
  }

  /** Runs a path's current record when a read slot is free. */
  private run(rec: Rec, q: PathQueue): void {
    const path = rec.path;
    const finish = (lines: WatchLogEvent[]) => {
      rec.lines = lines;
      rec.done = true;
      this.unresolvedCount--;
      q.running = undefined;
      this.release();
      this.pump(path, q);
      this.drain();
    };
    const go = () => {
      rec.sent = true;
      const client = this.host.client();
      this.host.execute(rec).then(
        (result) => {
          if (result !== RETRY) return finish(result);
          // Connection trouble: the record keeps its place (and takes in new notifications) and
          // reads again once the connection is back, so a notified change is reported once,
          // with what changed, rather than as "not read" and again after the comparison.
          rec.sent = false;
          rec.attempts++;
          this.release();
          if (this.host.disposed()) return;
          if (this.host.isUp() && client === this.host.client()) {
            const t = setTimeout(() => this.run(rec, q), 200 * rec.attempts);
            t.unref?.();
          } else {
            this.parked.push({ rec, q });
          }
        },
        (e: unknown) => finish([this.host.failed(rec, e)]),
      );
    };
    if (this.active < this.host.readConcurrency) {
      this.active++;
      go();
    } else {
      this.waitingRuns.push(go);
    }
  }

  private release(): void {
    if (this.waitingHead < this.waitingRuns.length) {
      const next = this.waitingRuns[this.waitingHead++];
      if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waitingRuns.length) {
        this.waitingRuns.splice(0, this.waitingHead);
        this.waitingHead = 0;
      }
      next();
      return;
    }
    this.active--;
  }

  /** Emits finished records from the head, in order. */
  private drain(): void {
    if (this.host.disposed()) return;
    while (this.outHead < this.out.length && this.out[this.outHead].done) {
      const rec = this.out[this.outHead++];
      for (const line of rec.lines) {
        try {
          this.host.emit(line);
        } catch {
          // The sink's problem; the watches go on.
        }
      }
    }
    if (this.outHead === this.out.length) {
      this.out = [];
      this.outHead = 0;
    } else if (this.outHead > 4096 && this.outHead * 2 > this.out.length) {
      this.out = this.out.slice(this.outHead);
      this.outHead = 0;
    }
    if (this.unresolvedCount === 0) {
      this.host.onIdle();
      for (const r of this.idleWaiters.splice(0)) r();
    }
  }
}
