// Refreshes of tree rows held back while VS Code is fetching children at or below them.
//
// VS Code's tree view keeps, per row, the children its last fetch registered, and until 1.87 it
// did not tell an outdated fetch from a current one: a row refreshed while the children of it (or
// of a row below it) were being fetched got the same child ids registered twice, once by the
// outdated fetch and once by the fetch after the refresh, and VS Code 1.85 threw "Element with id
// … is already registered" and drew the rows empty. Newer versions drop the outdated fetch. So a
// refresh asked for a row while a fetch at or below it is pending waits until that fetch has
// settled (and VS Code has registered its answer), then goes out once, whatever the VS Code.

/** A row as the gate knows it: its connection and its path ('/' for the connection row). */
export interface GatedRow {
  readonly connectionName: string;
  readonly path: string;
}

/** Waits until what is already queued has run (VS Code registers a fetch's rows in microtasks). */
export type AfterFetch = (release: () => void) => void;
const nextTurn: AfterFetch = (release) => setImmediate(release);

export class RefreshGate<T extends GatedRow> {
  /** Pending fetches by row key, counted: VS Code may fetch one row's children twice at once. */
  private readonly pending = new Map<string, { row: GatedRow; count: number }>();
  /** Rows whose refresh waits, in the order asked, each once. */
  private readonly held = new Set<T>();

  constructor(
    private readonly fire: (rows: T[]) => void,
    private readonly afterFetch: AfterFetch = nextTurn,
  ) {}

  /** Runs a fetch of `row`'s children; refreshes asked meanwhile at or above `row` wait for it. */
  async fetching<R>(row: GatedRow, fetch: () => Promise<R>): Promise<R> {
    const key = rowKey(row);
    const entry = this.pending.get(key) ?? { row, count: 0 };
    entry.count++;
    this.pending.set(key, entry);
    try {
      return await fetch();
    } finally {
      // Released after VS Code has taken the answer (our promise settles first, then it registers).
      this.afterFetch(() => {
        if (--entry.count === 0 && this.pending.get(key) === entry) this.pending.delete(key);
        this.release();
      });
    }
  }

  /** Refreshes `rows` now, or as soon as no fetch at or below each of them is pending. */
  refresh(rows: readonly T[]): void {
    const now = new Set<T>();
    for (const row of rows) {
      if (this.held.has(row)) continue;
      if (this.pending.size > 0 && this.blocked(row)) this.held.add(row);
      else now.add(row);
    }
    if (now.size > 0) this.fire([...now]);
  }

  /** Whether a refresh of this very row waits (VS Code will fetch its children again after it). */
  isHeld(row: T): boolean {
    return this.held.has(row);
  }

  /** A refresh of the whole tree replaces every held one (VS Code drops outdated fetches then). */
  clear(): void {
    this.held.clear();
  }

  /** Whether a fetch is pending at or below `row`. */
  blocked(row: GatedRow): boolean {
    for (const { row: p } of this.pending.values()) if (p.connectionName === row.connectionName && isAtOrBelow(p.path, row.path)) return true;
    return false;
  }

  private release(): void {
    if (this.held.size === 0) return;
    const ready = [...this.held].filter((row) => !this.blocked(row));
    for (const row of ready) this.held.delete(row);
    if (ready.length > 0) this.fire(ready);
  }
}

function rowKey(row: GatedRow): string {
  return `${row.connectionName}\u0000${row.path}`;
}

function isAtOrBelow(path: string, ancestor: string): boolean {
  return ancestor === '/' || path === ancestor || path.startsWith(`${ancestor}/`);
}
