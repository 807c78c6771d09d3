// The Stat of the nodes a names-only search matched, read for those nodes alone. A search of names
// or paths rides on the walk of names (multiRead batches of getChildren, no Stat), which costs a
// fraction of one request per node; a result row still shows the node's data size, so each match
// gets one `exists` (a Stat, no data, no read permission needed) before it is handed on. Those
// requests are pipelined, a bounded number at a time, and the results leave in the order the
// nodes were matched. Domain layer: no 'vscode' here.
import type { SubtreeClient } from '../subtree';
import type { NodeResult } from './nodeMatch';

export class MatchStats {
  private readonly waiting: NodeResult[] = [];
  private head = 0;
  private inFlight = 0;
  /** Results in the order they were matched, each settled once its Stat is in (undefined: gone). */
  private readonly order: { result: NodeResult; settled?: 'found' | 'gone' }[] = [];
  private next = 0;
  private failure: unknown;
  private stopped = false;
  private idle: (() => void) | undefined;

  constructor(
    private readonly client: SubtreeClient,
    private readonly window: number,
    /** A matched node with its data size, in match order. */
    private readonly emit: (result: NodeResult) => void,
    /** A matched node that was deleted before its Stat was read: not a result. */
    private readonly vanished: (result: NodeResult) => void,
  ) {}

  add(result: NodeResult): void {
    if (this.stopped) return;
    this.waiting.push(result);
    this.pump();
  }

  /** Resolves once every added match is handed on (or rejects with the first failed read). */
  async drain(): Promise<void> {
    while (!this.stopped && this.failure === undefined && (this.inFlight > 0 || this.head < this.waiting.length)) {
      await new Promise<void>((resolve) => (this.idle = resolve));
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** Hands nothing more on (the search failed or was cancelled); reads in flight are ignored. */
  stop(): void {
    this.stopped = true;
    this.idle?.();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < this.window && this.head < this.waiting.length) {
      const result = this.waiting[this.head++];
      const entry: { result: NodeResult; settled?: 'found' | 'gone' } = { result };
      this.order.push(entry);
      this.inFlight++;
      this.client.exists(result.path).then(
        (stat) => {
          if (stat) result.dataBytes = stat.dataLength;
          entry.settled = stat ? 'found' : 'gone';
          this.settle();
        },
        (e: unknown) => {
          this.failure ??= e;
          this.settle();
        },
      );
    }
    this.compact();
  }

  private settle(): void {
    this.inFlight--;
    while (!this.stopped && this.next < this.order.length && this.order[this.next].settled) {
      const { result, settled } = this.order[this.next++];
      if (settled === 'found') this.emit(result);
      else this.vanished(result);
    }
    if (this.failure !== undefined) this.stopped = true;
    this.pump();
    if (this.stopped || (this.inFlight === 0 && this.head >= this.waiting.length)) {
      const idle = this.idle;
      this.idle = undefined;
      idle?.();
    }
  }

  /** Drops what was handed on, so that a long search keeps only the matches still in flight. */
  private compact(): void {
    if (this.next > 1024 && this.next * 2 > this.order.length) {
      this.order.splice(0, this.next);
      this.next = 0;
    }
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }
}
