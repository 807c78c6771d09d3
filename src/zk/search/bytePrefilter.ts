// A look at a node's raw bytes that rules out a match before the data is decoded: most nodes of a
// search do not match, and decoding each one to text and running the matcher over its lines costs
// far more than one native search of the bytes. The filter only ever answers "cannot match" when
// the decoded search (searchableText + the query's matcher) would find nothing; when in doubt it
// answers "may match" and the node is decoded as before.
//
// Why this is sound: UTF-8 text contains a string exactly when its bytes contain that string's
// UTF-8 bytes, and a whole-word match is also a substring match. Case-insensitive matching
// (Unicode simple case folding, the `iu` flags) is done on ASCII queries only: an ASCII letter
// folds only to ASCII letters, except s/S with U+017F (ſ) and k/K with U+212A (the Kelvin sign),
// whose bytes are checked for separately. Regular expressions are not prefiltered.
import type { SearchQuery } from './query';

export interface BytePrefilter {
  /** False only when the bytes, decoded as UTF-8 text, cannot contain a match. */
  mayMatch(data: Uint8Array): boolean;
}

/** UTF-8 of the non-ASCII characters that fold to an ASCII letter: ſ (to s) and K (to k). */
const FOLDS_TO_ASCII: Readonly<Record<string, Buffer>> = { s: Buffer.from('\u017f', 'utf8'), k: Buffer.from('\u212a', 'utf8') };

/** The prefilter for a query, or undefined when the query's matches cannot be told from the bytes. */
export function bytePrefilter(query: SearchQuery): BytePrefilter | undefined {
  if (query.mode !== 'substring' && query.mode !== 'word') return undefined;
  if (query.text.length === 0) return undefined;
  if (query.caseSensitive) {
    const needle = Buffer.from(query.text, 'utf8');
    return { mayMatch: (data) => asBuffer(data).indexOf(needle) >= 0 };
  }
  if (!/^[\x00-\x7f]*$/.test(query.text)) return undefined; // non-ASCII case folding: decode and match
  const lower = query.text.toLowerCase();
  const lowerBytes = Buffer.from(lower, 'latin1'); // ASCII: one byte per character
  const folds = Object.entries(FOLDS_TO_ASCII)
    .filter(([letter]) => lower.includes(letter))
    .map(([, bytes]) => bytes);
  return {
    mayMatch(data) {
      if (data.length <= SMALL_DATA_BYTES) {
        if (asciiFoldedIncludes(data, lowerBytes)) return true;
      } else {
        // latin1 maps each byte to one character; lowercasing one never turns a byte >= 0x80 into ASCII.
        if (asBuffer(data).toString('latin1').toLowerCase().includes(lower)) return true;
      }
      return folds.length > 0 && folds.some((f) => asBuffer(data).indexOf(f) >= 0);
    },
  };
}

/** Up to this many bytes a plain loop beats making two strings of the data (most znodes are this small). */
const SMALL_DATA_BYTES = 512;

/** Whether `hay`, its ASCII letters lowercased, contains `needle` (lowercase ASCII). */
function asciiFoldedIncludes(hay: Uint8Array, needle: Uint8Array): boolean {
  const n = needle.length;
  const first = needle[0];
  outer: for (let i = 0, last = hay.length - n; i <= last; i++) {
    if (lowerAscii(hay[i]) !== first) continue;
    for (let j = 1; j < n; j++) if (lowerAscii(hay[i + j]) !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function lowerAscii(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
