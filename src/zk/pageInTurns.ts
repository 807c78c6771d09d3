// The page of a big listing worked out a slice of names at a time, with the event loop running
// between slices. Everything pageOf does is a pass over every child (the order's check, the
// filter, the first-page selection, a pinned name's presence): over 100,000 names in one go it was
// the longest block of the extension host during an expand, tens of ms on a busy machine, while
// VS Code's requests, the socket and timers waited. A listing of up to NAMES_PER_TURN names is
// paged at once, without waiting for a turn.
import { childFilter, FirstInOrder, type ChildPage } from './childListing';
import { compareCodeUnits, digitLayoutOf, type NameOrder } from './childOrder';
import { compareNames } from './paths';
import { recipeOrder } from './recipes';

/** Names handled per turn of the event loop: a few ms of work, however big the listing. */
export const NAMES_PER_TURN = 8192;

/** Waits for the next turn of the event loop (setImmediate: after pending I/O and timers). */
export type NextTurn = () => Promise<void>;
export const nextTurn: NextTurn = () => new Promise((resolve) => setImmediate(resolve));

export interface TurnOptions {
  turn?: NextTurn;
  perTurn?: number;
}

/**
 * What pageOf(names, limit, filter, pinned, order) returns, and the order it used (childOrder's,
 * when `order` is not given: kept by the caller for the next page of the same names).
 */
export async function pageInTurns(
  names: readonly string[],
  limit: number,
  filter?: string,
  pinned?: ReadonlySet<string>,
  order?: NameOrder,
  opts: TurnOptions = {},
): Promise<{ page: ChildPage; order: NameOrder }> {
  const slices = new Slices(opts.turn ?? nextTurn, opts.perTurn ?? NAMES_PER_TURN);
  const compare = order ?? (await slices.childOrder(names));
  const match = childFilter(filter);
  let all: readonly string[] = names;
  if (match) {
    const kept: string[] = [];
    await slices.each(names, (from, to) => {
      for (let i = from; i < to; i++) if (match(names[i])) kept.push(names[i]);
    });
    all = kept;
  }
  const pick = new FirstInOrder(limit, compare);
  await slices.each(all, (from, to) => pick.offer(all, from, to));
  const page = pick.result();
  const missing = pinned && pinned.size > 0 ? new Set([...pinned].filter((p) => !page.includes(p))) : undefined;
  if (missing && missing.size > 0) {
    const present: string[] = [];
    await slices.each(names, (from, to) => {
      for (let i = from; i < to; i++) if (missing.has(names[i])) present.push(names[i]);
    });
    if (present.length > 0) {
      page.push(...new Set(present));
      page.sort(compare);
    }
  }
  return { page: { names: page, remaining: Math.max(0, all.length - limit), matching: all.length, total: names.length }, order: compare };
}

class Slices {
  constructor(
    private readonly turn: NextTurn,
    private readonly perTurn: number,
  ) {}

  /**
   * Runs work over the list's indexes a slice at a time, waiting for a turn between slices (not
   * before the first); work returns false to stop.
   */
  async each(list: readonly unknown[], work: (from: number, to: number) => void | boolean): Promise<void> {
    for (let from = 0; from < list.length; from += this.perTurn) {
      if (from > 0) await this.turn();
      if (work(from, Math.min(list.length, from + this.perTurn)) === false) return;
    }
  }

  /** childOrder(names), the digit layout checked a slice at a time. */
  async childOrder(names: readonly string[]): Promise<NameOrder> {
    // A queue of a lock or an election: recipes.ts knows its order (a pass that stops at the first
    // name of another kind, so only a real queue is read whole).
    const recipe = recipeOrder(names);
    if (recipe) return recipe;
    if (names.length < 2) return compareCodeUnits;
    const layout = digitLayoutOf(names[0]);
    let same = true;
    await this.each(names, (from, to) => {
      for (let i = Math.max(from, 1); same && i < to; i++) same = layout.test(names[i]);
      return same;
    });
    return same ? compareCodeUnits : compareNames;
  }
}
