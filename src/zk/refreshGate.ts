// Tree row refreshes that come while VS Code is fetching children at or below the row.
//
// VS Code's tree view keeps, per row, the children its last fetch registered, and in 1.85 it
// does not tell an outdated fetch from a current one: a row refreshed while the children of it (or
// of a row below it) were being fetched got the same child ids registered twice, once by the
// outdated fetch and once by the fetch after the refresh, and VS Code 1.85 threw "Element with id
// … is already registered" and drew the rows empty. Newer versions drop the outdated answer. Two
// ways out, by what the refresh is for:
//   - 'outdate': the refresh goes out at once and the fetches it makes outdated answer a
//     placeholder without ids (newer VS Code drops such answers anyway); VS Code 1.85 asks again after
//     them. For a connection row whose state changed: it must be redrawn now.
//   - 'hold': the refresh waits until no fetch at or below the row is pending (and VS Code has
//     registered its answer), then goes out once. For the rest (a fired watch, stats, a page):
//     under churn a watch fires during most listings, and outdating them would show only placeholders.

/** A row as the gate knows it: its connection and its path ('/' for the connection row). */
export interface GatedRow {
  readonly connectionName: string;
  readonly path: string;
}

export type WhileFetching = 'outdate' | 'hold';

/** Waits until what is already queued has run (VS Code registers a fetch's rows in microtasks). */
export type AfterFetch = (release: () => void) => void;
const nextTurn: AfterFetch = (release) => setImmediate(release);

interface Fetch {
  readonly row: GatedRow;
  outdated: boolean;
}

export class RefreshGate<T extends GatedRow> {
  private readonly pending = new Set<Fetch>();
  /** Rows whose refresh waits, in the order asked, each once. */
  private readonly held = new Set<T>();

  constructor(
    private readonly fire: (rows: T[]) => void,
    private readonly afterFetch: AfterFetch = nextTurn,
  ) {}

  /**
   * Runs a fetch of `row`'s children. When a refresh made it outdated meanwhile, its answer goes
   * through `outdated` (which replaces rows with ids by a placeholder); held refreshes at or above
   * `row` go out after it.
   */
  async fetching<R>(row: GatedRow, fetch: () => Promise<R>, outdated: (answer: R) => R): Promise<R> {
    const record: Fetch = { row, outdated: false };
    this.pending.add(record);
    try {
      const answer = await fetch();
      return record.outdated ? outdated(answer) : answer;
    } finally {
      // Released after VS Code has taken the answer (our promise settles first, then it registers).
      this.afterFetch(() => {
        this.pending.delete(record);
        this.release();
      });
    }
  }

  /** Refreshes `rows`, now or after the fetches at or below them (see the modes above). */
  refresh(rows: readonly T[], whileFetching: WhileFetching = 'hold'): void {
    const now = new Set<T>();
    for (const row of rows) {
      if (this.held.has(row)) continue;
      const below = this.pending.size > 0 ? this.fetchesAtOrBelow(row) : [];
      if (below.length === 0) now.add(row);
      else if (whileFetching === 'outdate') {
        for (const f of below) f.outdated = true;
        now.add(row);
      } else this.held.add(row);
    }
    if (now.size > 0) this.fire([...now]);
  }

  /** A refresh of the whole tree replaces every held one (VS Code drops outdated fetches then). */
  clear(): void {
    this.held.clear();
  }

  private fetchesAtOrBelow(row: GatedRow): Fetch[] {
    return [...this.pending].filter((f) => f.row.connectionName === row.connectionName && isAtOrBelow(f.row.path, row.path));
  }

  private release(): void {
    if (this.held.size === 0) return;
    const ready = [...this.held].filter((row) => this.fetchesAtOrBelow(row).length === 0);
    for (const row of ready) this.held.delete(row);
    if (ready.length > 0) this.fire(ready);
  }
}

function isAtOrBelow(path: string, ancestor: string): boolean {
  return ancestor === '/' || path === ancestor || path.startsWith(`${ancestor}/`);
}
