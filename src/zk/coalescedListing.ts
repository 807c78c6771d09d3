// Listing a node's children again when they change, without listing a busy node again and again:
// per node at most one listing in flight and one more queued, whatever the number of requests
// (every request made while one is queued gets that queued listing's answer), and the queued one
// starts no sooner than `minGapMs` after the previous one ended. A node of 100,000 children under
// churn is then listed at most once per gap instead of once per change notification.

export interface CoalescedListingOptions {
  /** Least time between the end of one listing of a node and the start of the next. Default 0. */
  minGapMs?: number;
}

interface NodeListing<T> {
  inFlight: Promise<T>;
  queued?: Promise<T>;
}

export class CoalescedListings<T> {
  private readonly nodes = new Map<string, NodeListing<T>>();
  private readonly lastEnded = new Map<string, number>();
  private fetches = 0;

  constructor(private readonly opts: CoalescedListingOptions = {}) {}

  /** How many listings were actually started (the rest were coalesced). */
  get started(): number {
    return this.fetches;
  }

  /**
   * The answer of a listing that starts after this call: the one queued, or a new one (now, or
   * when the one in flight ends and the gap has passed). `fetch` is called only for a listing
   * that actually starts.
   */
  list(key: string, fetch: () => Promise<T>): Promise<T> {
    const node = this.nodes.get(key);
    if (!node) {
      const gap = this.waitFor(key);
      const entry: NodeListing<T> = { inFlight: gap > 0 ? delay(gap).then(() => this.start(key, fetch)) : this.start(key, fetch) };
      this.nodes.set(key, entry);
      void this.whenSettled(key, entry, entry.inFlight);
      return entry.inFlight;
    }
    if (node.queued) return node.queued;
    // Starts when the one in flight has ended, and the gap after it has passed.
    const gap = this.opts.minGapMs ?? 0;
    const queued = settle(node.inFlight).then(async () => {
      if (gap > 0) await delay(gap);
      return this.start(key, fetch);
    });
    node.queued = queued;
    return queued;
  }

  /** Forgets a node (collapsed, connection gone): listings in flight finish, nothing new is kept. */
  forget(key: string): void {
    this.lastEnded.delete(key);
  }

  private start(key: string, fetch: () => Promise<T>): Promise<T> {
    this.fetches++;
    return fetch();
  }

  private waitFor(key: string): number {
    const gap = this.opts.minGapMs ?? 0;
    const ended = this.lastEnded.get(key);
    if (ended === undefined) return 0;
    const wait = ended + gap - Date.now();
    if (wait <= 0) this.lastEnded.delete(key);
    return Math.max(0, wait);
  }

  /** When the listing in flight ends: the queued one (if any) becomes the one in flight. */
  private async whenSettled(key: string, entry: NodeListing<T>, current: Promise<T>): Promise<void> {
    await settle(current);
    if ((this.opts.minGapMs ?? 0) > 0) this.lastEnded.set(key, Date.now());
    if (this.nodes.get(key) !== entry) return;
    const next = entry.queued;
    if (!next) {
      this.nodes.delete(key);
      return;
    }
    entry.inFlight = next;
    entry.queued = undefined;
    await this.whenSettled(key, entry, next);
  }
}

function settle(p: Promise<unknown>): Promise<void> {
  return p.then(
    () => undefined,
    () => undefined,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
