// The order a node's children are shown in, chosen once per listing, as cheaply as the names allow.
// Natural order (compareNames) is a JavaScript loop per comparison; picking the first page of
// 100,000 names with it blocked the extension host for 180-1,080 ms on a busy 2-core machine.
// Most big nodes have names of one layout (item-000123, a host name and a fixed-width counter):
// for those, natural order IS code-unit order, and the engine's own string comparison is many
// times faster. The order shown is the same either way.
import { compareNames } from './paths';
import { recipeOrder } from './recipes';

export type NameOrder = (a: string, b: string) => number;

/** Code-unit order (what `<` on strings does). */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The comparator for these children: a lock's or an election's queue by sequence number
 * (recipes.ts), otherwise natural order; given as plain code-unit order when that is the same
 * thing for every pair of these names (see sameDigitLayout).
 */
export function childOrder(names: readonly string[]): NameOrder {
  const recipe = recipeOrder(names);
  if (recipe) return recipe;
  return sameDigitLayout(names) ? compareCodeUnits : compareNames;
}

/**
 * Whether every name has the same length and its ASCII digits at the same positions as the first.
 * Then any two names have the same digit runs (same places, same lengths), and for two runs of one
 * length natural order (fewer leading zeros = more significant digits = larger; same significant
 * length: digit by digit) and code-unit order agree; the other characters compare by code unit in
 * both. So compareNames and compareCodeUnits order these names identically.
 */
export function sameDigitLayout(names: readonly string[]): boolean {
  if (names.length < 2) return true;
  const layout = digitLayoutOf(names[0]);
  for (let i = 1; i < names.length; i++) if (!layout.test(names[i])) return false;
  return true;
}

/** `^\D{5}\d{6}$` for "item-000123": one compiled test per name (no per-character JavaScript loop). */
export function digitLayoutOf(name: string): RegExp {
  let source = '^';
  let i = 0;
  while (i < name.length) {
    const digit = isDigit(name.charCodeAt(i));
    let j = i + 1;
    while (j < name.length && isDigit(name.charCodeAt(j)) === digit) j++;
    source += `${digit ? '\\d' : '\\D'}{${j - i}}`;
    i = j;
  }
  // Without the u flag a pattern reads code units, as `length` and `<` do.
  return new RegExp(source + '$');
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
