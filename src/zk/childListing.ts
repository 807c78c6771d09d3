// What one expanded tree node shows: its children sorted naturally, filtered, and cut to a page.
// Kept apart from VS Code so that paging and filtering of 100k children is tested and benchmarked
// in plain Node.
import { compareNames } from './paths';

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
 * The page of sorted children to show: the first `limit` that match, plus any `pinned` names
 * (a node being revealed must be in the list even when it lies beyond the page).
 */
export function pageOf(sorted: readonly string[], limit: number, filter?: string, pinned?: ReadonlySet<string>): ChildPage {
  const match = childFilter(filter);
  const all = match ? sorted.filter(match) : sorted;
  const names = all.slice(0, limit);
  if (pinned && pinned.size > 0) {
    const shown = new Set(names);
    for (const p of pinned) if (!shown.has(p) && sorted.includes(p)) names.push(p);
    if (names.length > limit) names.sort(compareNames);
  }
  return { names, remaining: Math.max(0, all.length - limit), matching: all.length, total: sorted.length };
}
