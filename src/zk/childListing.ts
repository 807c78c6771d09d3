// What one expanded tree node shows: its children sorted naturally, filtered, and cut to a page.
// Kept apart from VS Code so that paging and filtering of 100k children is tested and benchmarked
// in plain Node.
import { compareNames } from './paths';
import { recipeOrder } from './recipes';

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

/** Sorts in place, naturally (sequence numbers by value). */
export function sortChildren(names: string[]): string[] {
  return names.sort(compareNames);
}

/**
 * The k first names in natural order, without sorting them all: a bounded max-heap, so a page
 * of 500 out of 100,000 costs about n comparisons instead of n·log n (a full natural sort of 100k
 * names blocked the extension host for 50-450 ms, depending on the order the server sent).
 */
export function firstInOrder(names: readonly string[], k: number, compare: (a: string, b: string) => number = compareNames): string[] {
  if (k <= 0) return [];
  if (names.length <= k) return names.slice().sort(compare);
  const heap: string[] = []; // max-heap: heap[0] is the largest of the k kept so far
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(heap[i], heap[parent]) <= 0) return;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let largest = i;
      if (l < heap.length && compare(heap[l], heap[largest]) > 0) largest = l;
      if (r < heap.length && compare(heap[r], heap[largest]) > 0) largest = r;
      if (largest === i) return;
      [heap[i], heap[largest]] = [heap[largest], heap[i]];
      i = largest;
    }
  };
  for (const name of names) {
    if (heap.length < k) {
      heap.push(name);
      up(heap.length - 1);
    } else if (compare(name, heap[0]) < 0) {
      heap[0] = name;
      down(0);
    }
  }
  return heap.sort(compare);
}

/**
 * The page of children to show, in natural order (a lock's or an election's queue by sequence
 * number, holder first: recipes.ts): the first `limit` that match, plus any
 * `pinned` names (a node being revealed must be in the list even when it lies beyond the page).
 * `names` may be in any order (as the server sends them).
 */
export function pageOf(names: readonly string[], limit: number, filter?: string, pinned?: ReadonlySet<string>): ChildPage {
  const match = childFilter(filter);
  const all = match ? names.filter(match) : names;
  const compare = recipeOrder(names) ?? compareNames;
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
