// How a string from a server (a znode name or path, a connection name) is shown to a person.
// Names are hostile: U+202E reverses the rest of a tree row, a zero-width space or U+2028 makes two
// different names look the same. Shown names therefore make every invisible, control and bidi
// formatting character visible as an escape (`\u200B`), and text written right to left is isolated
// (FSI…PDI) so it cannot reorder what follows it (a size, a role). The exact string is kept for
// tooltips, Copy Path and every request: this is for display only.

/** First Strong Isolate and Pop Directional Isolate: the text between them is laid out on its own. */
export const FSI = '\u2068';
export const PDI = '\u2069';

const ZWNJ = 0x200c;
const ZWJ = 0x200d;
const BLACK_FLAG = 0x1f3f4;

// Scripts whose spelling needs the zero-width (non-)joiner: kept there, escaped anywhere else
// (between Latin letters it only serves to make "ad\u200Dmin" look like "admin").
const JOINING_SCRIPT = /[\p{sc=Arabic}\p{sc=Syriac}\p{sc=Nko}\p{sc=Mongolian}\p{sc=Devanagari}\p{sc=Bengali}\p{sc=Gurmukhi}\p{sc=Gujarati}\p{sc=Oriya}\p{sc=Tamil}\p{sc=Telugu}\p{sc=Kannada}\p{sc=Malayalam}\p{sc=Sinhala}\p{sc=Khmer}\p{sc=Myanmar}\p{sc=Tibetan}]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const MARK = /[\p{M}\u{1F3FB}-\u{1F3FF}]/u;
// Controls, format characters (bidi controls, zero-width characters, the soft hyphen, BOM), line and
// paragraph separators, spaces other than U+0020, lone surrogates.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\p{Cs}\u115F\u1160\u3164\uFFA0]/u;
// Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko, … and their presentation forms).
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;
// Quick test for the common case (printable ASCII without a backslash): nothing to do.
const PLAIN = /^[\x21-\x5b\x5d-\x7e](?:[\x20-\x5b\x5d-\x7e]*[\x21-\x5b\x5d-\x7e])?$/;

/** A format character (bidi control, zero-width character, BOM) or a line/paragraph separator. */
export function isFormatCharacter(ch: string): boolean {
  return /^[\p{Cf}\p{Zl}\p{Zp}]$/u.test(ch);
}

/** The escape that shows a hidden character: `\u200B`, or `\u{E0001}` beyond the BMP. */
export function escapeCodePoint(cp: number): string {
  const hex = cp.toString(16).toUpperCase();
  return cp > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/**
 * The code points of `s` that a display escapes, in order (empty when `s` shows as itself apart
 * from isolation). Spaces count only at either end: in the middle a space is visible.
 */
export function hiddenCharacters(s: string): number[] {
  const out: number[] = [];
  const chars = Array.from(s);
  chars.forEach((ch, i) => {
    if (isHidden(chars, i)) out.push(ch.codePointAt(0)!);
  });
  return out;
}

function isHidden(chars: readonly string[], i: number): boolean {
  const ch = chars[i];
  const cp = ch.codePointAt(0)!;
  if (cp === 0x20) return i === 0 || i === chars.length - 1;
  if (cp >= 0xe0000 && cp <= 0xe007f) return !inTagSequence(chars, i); // tags: only inside an emoji flag
  if (!HIDDEN.test(ch)) return false;
  if (cp === ZWJ || cp === ZWNJ) return !joinerIsSpelling(chars, i, cp);
  return true;
}

/** A joiner between letters of a script that uses it, or ZWJ inside an emoji sequence. */
function joinerIsSpelling(chars: readonly string[], i: number, cp: number): boolean {
  let p = i - 1;
  while (p >= 0 && (MARK.test(chars[p]) || chars[p] === '\uFE0F')) p--;
  const before = p >= 0 ? chars[p] : undefined;
  const after = chars[i + 1];
  if (before === undefined || after === undefined) return false;
  if (cp === ZWJ && PICTOGRAPHIC.test(before) && PICTOGRAPHIC.test(after)) return true;
  return JOINING_SCRIPT.test(before) && (JOINING_SCRIPT.test(after) || MARK.test(after));
}

function inTagSequence(chars: readonly string[], i: number): boolean {
  let p = i - 1;
  while (p >= 0) {
    const c = chars[p].codePointAt(0)!;
    if (c === BLACK_FLAG) return true;
    if (c < 0xe0020 || c > 0xe007e) return false;
    p--;
  }
  return false;
}

/**
 * A server-supplied string as it is shown in a label, a description, a title, a report, a
 * notification or a log line: invisible, control and bidi formatting characters are written as
 * `\uXXXX` (backslashes doubled when an escape could be mistaken for one, so two different names
 * never look the same), and text with right-to-left letters is wrapped in FSI…PDI. Plain names are
 * returned unchanged.
 */
export function displayName(s: string): string {
  if (PLAIN.test(s)) return s;
  const chars = Array.from(s);
  const hidden = chars.map((_, i) => isHidden(chars, i));
  const anyHidden = hidden.includes(true);
  // A name that itself contains "\u" must not read like an escape: backslashes are doubled
  // whenever escapes are in play, and only then (a plain Windows-like name stays as it is).
  const doubleBackslashes = anyHidden || /\\u/i.test(s);
  let out = '';
  chars.forEach((ch, i) => {
    if (hidden[i]) out += escapeCodePoint(ch.codePointAt(0)!);
    else if (ch === '\\' && doubleBackslashes) out += '\\\\';
    else out += ch;
  });
  return RTL.test(out) ? FSI + out + PDI : out;
}

/** Names of the hidden characters of `s` for a tooltip: "U+202E, U+200B" (each once, in order). */
export function describeHidden(s: string): string | undefined {
  const cps = [...new Set(hiddenCharacters(s))];
  if (cps.length === 0) return undefined;
  return cps.map((c) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`).join(', ');
}

/** The exact string, laid out on its own so that its own bidi controls cannot reach what follows. */
export function isolate(s: string): string {
  return FSI + s + PDI;
}
