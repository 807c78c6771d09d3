// Znode data that is text, but not UTF-8 as stored: text in another encoding (a cp1252
// .properties, Shift JIS, UTF-16) and gzip-compressed data. Shown as text only when it comes back
// byte for byte:
// - another encoding: decoded strictly (TextDecoder, fatal); saving encodes back and checks that
//   decoding the result gives exactly the text (a character the encoding cannot hold is refused,
//   with its position). Single-byte encodings and UTF-16 can be written; the multi-byte legacy
//   ones (Shift JIS, GBK, Big5, EUC) have no encoder here, so they open read-only, saying why.
// - gzip: decompressed with a bound (a small node can expand to gigabytes); saving compresses the
//   text again and checks that it decompresses to exactly that text.
import { nodeZlib } from './lazyBuiltins';
import { LocalizedError } from './localizedError';
import { messageOfError, msg, type Message } from './message';

export interface TextEncodingInfo {
  /** WHATWG name (what TextDecoder takes and what a zk: URI carries). */
  id: string;
  label: string;
  /** Why saving in it is not possible, when it is not. */
  readOnlyReason?: Message;
}

const NO_ENCODER = msg('this extension can decode this encoding but has no encoder for it; use Edit as Base64/Hex to change the bytes');

export const TEXT_ENCODINGS: readonly TextEncodingInfo[] = [
  { id: 'windows-1252', label: 'Western (Windows 1252, Latin-1)' },
  { id: 'iso-8859-15', label: 'Western (ISO 8859-15)' },
  { id: 'windows-1250', label: 'Central European (Windows 1250)' },
  { id: 'iso-8859-2', label: 'Central European (ISO 8859-2)' },
  { id: 'windows-1251', label: 'Cyrillic (Windows 1251)' },
  { id: 'koi8-r', label: 'Cyrillic (KOI8-R)' },
  { id: 'windows-1253', label: 'Greek (Windows 1253)' },
  { id: 'windows-1254', label: 'Turkish (Windows 1254)' },
  { id: 'utf-16le', label: 'UTF-16 LE' },
  { id: 'utf-16be', label: 'UTF-16 BE' },
  { id: 'shift_jis', label: 'Japanese (Shift JIS)', readOnlyReason: NO_ENCODER },
  { id: 'euc-jp', label: 'Japanese (EUC-JP)', readOnlyReason: NO_ENCODER },
  { id: 'gbk', label: 'Simplified Chinese (GBK)', readOnlyReason: NO_ENCODER },
  { id: 'gb18030', label: 'Simplified Chinese (GB 18030)', readOnlyReason: NO_ENCODER },
  { id: 'big5', label: 'Traditional Chinese (Big5)', readOnlyReason: NO_ENCODER },
  { id: 'euc-kr', label: 'Korean (EUC-KR)', readOnlyReason: NO_ENCODER },
];

/** The encoding a name stands for (exact id), or undefined. */
export function textEncoding(id: string): TextEncodingInfo | undefined {
  return TEXT_ENCODINGS.find((e) => e.id === id);
}

// windows-1252 bytes 0x80-0x9F (WHATWG; the rest is Latin-1). Node 20's TextDecoder decodes
// windows-1252 as Latin-1, turning "€" (0x80) into a control character: decode it here.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeCp1252(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i += 8192) {
    const part = Array.from(data.subarray(i, i + 8192), (b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : b));
    out += String.fromCharCode(...part);
  }
  return out;
}

/** Decodes strictly; throws (a LocalizedError) with the offset of the first byte that is not valid in `encoding`. */
export function decodeAs(data: Uint8Array, encoding: string): string {
  if (encoding === 'windows-1252') return decodeCp1252(data);
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(data);
  } catch (e) {
    if (e instanceof RangeError && !/decode|invalid|encoded/i.test(e.message)) throw new LocalizedError(msg('{0} is not supported by this Node.js', encoding));
    throw new LocalizedError(notValidIn(data, encoding));
  }
}

/** Encodes text in `encoding` and checks the round trip; throws naming the first character it cannot hold. */
export function encodeAs(text: string, encoding: string): Uint8Array {
  const info = textEncoding(encoding);
  if (!info) throw new LocalizedError(msg('unknown encoding "{0}"', encoding));
  if (info.readOnlyReason) throw new LocalizedError(msg('cannot save in {0}: {1}', encoding, info.readOnlyReason));
  let out: Uint8Array;
  if (encoding === 'utf-16le') out = Uint8Array.from(Buffer.from(text, 'utf16le'));
  else if (encoding === 'utf-16be') out = Uint8Array.from(Buffer.from(text, 'utf16le').swap16());
  else {
    const table = reverseTable(encoding);
    const bytes: number[] = [];
    let i = 0;
    for (const ch of text) {
      const b = table.get(ch);
      if (b === undefined) {
        throw new LocalizedError(msg('the text has {0} at character {1}, which {2} cannot hold', describeChar(ch), i + 1, encoding));
      }
      bytes.push(b);
      i += ch.length;
    }
    out = Uint8Array.from(bytes);
  }
  if (decodeAs(out, encoding) !== text) throw new LocalizedError(msg('the text does not survive a round trip through {0}', encoding));
  return out;
}

const tables = new Map<string, Map<string, number>>();

/** Character → byte for a single-byte encoding, from its decoder (bytes it leaves undefined are skipped). */
function reverseTable(encoding: string): Map<string, number> {
  let t = tables.get(encoding);
  if (t) return t;
  t = new Map();
  for (let b = 0; b < 256; b++) {
    try {
      const ch = decodeAs(Uint8Array.of(b), encoding);
      if (!t.has(ch)) t.set(ch, b);
    } catch {
      // not defined in this encoding
    }
  }
  tables.set(encoding, t);
  return t;
}

/** "not valid <encoding>" with where: the first invalid byte, or a character cut at the end. */
function notValidIn(data: Uint8Array, encoding: string): Message {
  // Only to say where: the shortest prefix that does not decode.
  const dec = (n: number) => {
    try {
      new TextDecoder(encoding, { fatal: true }).decode(data.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = data.length;
  if (dec(hi)) return msg('not valid {0} (it ends in the middle of a character)', encoding);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (dec(mid)) lo = mid;
    else hi = mid;
  }
  return msg('not valid {0} (first invalid byte 0x{1} at offset {2})', encoding, data[lo].toString(16).padStart(2, '0'), lo);
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return `"${ch}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

// --- gzip -------------------------------------------------------------------------------------

/** The most a gzip node is expanded to for viewing (a few bytes can expand to gigabytes). */
export const MAX_GUNZIP_BYTES = 16 * 1024 * 1024;

/** Whether the data starts like a gzip member (magic 1f 8b, method deflate). */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 18 && data[0] === 0x1f && data[1] === 0x8b && data[2] === 0x08;
}

/** Decompresses, refusing output over `max` bytes and corrupt data, with a reason. */
export function gunzipBounded(data: Uint8Array, max = MAX_GUNZIP_BYTES): Uint8Array {
  try {
    return new Uint8Array(nodeZlib().gunzipSync(data, { maxOutputLength: max }));
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new LocalizedError(msg('it is gzip data that decompresses to more than {0} bytes', max.toLocaleString('en')));
    }
    // zlib's own words ("incorrect header check") are quoted as they are.
    throw new LocalizedError(msg('it looks like gzip data but does not decompress: {0}', messageOfError(e)));
  }
}

/** Compresses and checks that the result decompresses to exactly `plain`. */
export function gzipVerified(plain: Uint8Array): Uint8Array {
  const packed = new Uint8Array(nodeZlib().gzipSync(plain));
  const back = gunzipBounded(packed, Math.max(plain.byteLength, 1));
  if (!Buffer.from(back).equals(Buffer.from(plain))) throw new LocalizedError(msg('the compressed data did not decompress to the same text'));
  return packed;
}
