// A Translate for report tests: wraps every message it words in «…» (placeholders filled), so a test
// sees which parts went through it; `untranslated` is what is left outside the marks.
import type { Translate } from '../../src/zk/localize';

export const marking: Translate = (m, ...args) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))}»`;

/** The text with every marked part removed (nested marks included). */
export function untranslated(text: string): string {
  let out = text;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/«[^«»]*»/g, '');
  }
  return out;
}
