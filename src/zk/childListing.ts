// What one expanded tree node shows: its children sorted naturally, filtered, and cut to a page.
// Kept apart from VS Code so that paging and filtering of 100k children is tested and benchmarked
// in plain Node.
import { compareNames } from './paths';
import { childOrder, compareCodeUnits, sameDigitLayout, type NameOrder } from './childOrder';

export interface ChildPage {
  /** Names to show, in order. */
  names: string[];
  /** How many more match the filter beyond this page. */
  remaining: number;
  /** How many children match the filter (all of them without a filter). */
  matching: number;
  total: number;
}

/** A filter typed by the user: a glob when it has * or ?, otherwise a case-insensitive substring. */
export function childFilter(pattern: string | undefined): ((name: string) => boolean) | undefined {
  const p = pattern?.trim();
  if (!p) return undefined;
  if (/[*?]/.test(p)) {
    const re = new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
    return (name) => re.test(name);
  }
  const needle = p.toLowerCase();
  return (name) => name.toLowerCase().includes(needle);
}

/** Sorts in place, naturally (sequence numbers by value; code-unit order where that is the same). */
export function sortChildren(names: string[]): string[] {
  return names.sort(sameDigitLayout(names) ? compareCodeUnits : compareNames);
}

/**
 * The k first names in natural order, without sorting them all: a bounded max-heap, so a page
 * of 500 out of 100,000 costs about n comparisons instead of n·log n (a full natural sort of 100k
 * names blocked the extension host for 50-450 ms, depending on the order the server sent).
 */
export function firstInOrder(names: readonly string[], k: number, compare: (a: string, b: string) => number = compareNames): string[] {
  const pick = new FirstInOrder(k, compare);
  pick.offer(names, 0, names.length);
  return pick.result();
}

/**
 * The selection behind firstInOrder, fed a slice of names at a time (pageInTurns.ts feeds a big
 * listing in slices between which the event loop runs).
 */
export class FirstInOrder {
  /** Max-heap of the k smallest so far (heap[0] the largest of them), once k names were offered. */
  private readonly heap: string[] = [];
  private readonly codeUnits: boolean;

  constructor(
    private readonly k: number,
    private readonly compare: (a: string, b: string) => number,
  ) {
    this.codeUnits = compare === compareCodeUnits;
  }

  /** Offers names[from..to). */
  offer(names: readonly string[], from: number, to: number): void {
    const { heap, k, compare } = this;
    if (k <= 0) return;
    let i = from;
    if (heap.length < k) {
      // The first k, sorted in descending order, already form a heap.
      while (i < to && heap.length < k) heap.push(names[i++]);
      if (heap.length < k) return;
      heap.sort((a, b) => compare(b, a));
    }
    // Each later name costs one comparison with the top, done inline with `<` for code-unit order:
    // no call, no allocation per name (this loop runs cold, once per listing, over every child).
    const codeUnits = this.codeUnits;
    let top = heap[0];
    for (; i < to; i++) {
      const name = names[i];
      if (codeUnits ? name < top : compare(name, top) < 0) {
        heap[0] = name;
        this.down();
        top = heap[0];
      }
    }
  }

  /** The names kept, in order. */
  result(): string[] {
    return this.heap.slice().sort(this.compare);
  }

  private down(): void {
    const { heap, k, compare } = this;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let largest = i;
      if (l < k && compare(heap[l], heap[largest]) > 0) largest = l;
      if (r < k && compare(heap[r], heap[largest]) > 0) largest = r;
      if (largest === i) return;
      const t = heap[i];
      heap[i] = heap[largest];
      heap[largest] = t;
      i = largest;
    }
  }
}

/**
 * The page of children to show, in natural order (a lock's or an election's queue by sequence
 * number, holder first: recipes.ts): the first `limit` that match, plus any
 * `pinned` names (a node being revealed must be in the list even when it lies beyond the page).
 * `names` may be in any order (as the server sends them); `order` is childOrder(names), when the
 * caller kept it from an earlier page of the same names.
 */
export function pageOf(names: readonly string[], limit: number, filter?: string, pinned?: ReadonlySet<string>, order?: NameOrder): ChildPage {
  const match = childFilter(filter);
  const all = match ? names.filter(match) : names;
  const compare = order ?? childOrder(names);
  const page = firstInOrder(all, limit, compare);
  if (pinned && pinned.size > 0) {
    const shown = new Set(page);
    const present = new Set(names);
    let added = false;
    for (const p of pinned) {
      if (!shown.has(p) && present.has(p)) {
        page.push(p);
        added = true;
      }
    }
    if (added) page.sort(compare);
  }
  return { names: page, remaining: Math.max(0, all.length - limit), matching: all.length, total: names.length };
}
