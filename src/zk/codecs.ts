// How a znode's bytes become something an editor can show, and back, without ever changing a
// byte the user did not mean to change:
// - classifyData: can the bytes be edited as text in VS Code and saved back identically? Only
//   strictly valid UTF-8, without NUL bytes (VS Code would call the file binary) and with one
//   consistent line ending (VS Code normalises mixed ones on load).
// - hexDump: a read-only view of any bytes (offset, hex, ASCII), like `xxd`.
// - base64/hex editable views: formatBase64/parseBase64 and formatHex/parseHex round-trip exactly
//   and refuse anything ambiguous instead of guessing.
// - detectLanguage: json, yaml, xml, properties or plaintext, from the node name and the content.

import { LocalizedError } from './localizedError';
import { messageOfError, msg, type Message } from './message';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type Classification =
  | { kind: 'text'; text: string; bom: boolean; eol: 'lf' | 'crlf' | 'none' }
  /** `reason` completes "… shown as a read-only hex dump: <reason>", in the user's language through an adapter. */
  | { kind: 'binary'; reason: Message };

/** Whether the bytes are valid UTF-8 (strict: no overlongs, no surrogates, nothing above U+10FFFF). */
export function isValidUtf8(data: Uint8Array): boolean {
  try {
    STRICT_UTF8.decode(data);
    return true;
  } catch {
    return false;
  }
}

/** Decodes strictly; throws (a LocalizedError) with the offset of the first invalid byte. A leading BOM is kept as U+FEFF. */
export function decodeUtf8Strict(data: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(data);
  } catch {
    const at = firstInvalidUtf8Offset(data);
    throw new LocalizedError(msg('not valid UTF-8 (first invalid byte 0x{0} at offset {1})', hexByte(data[at] ?? 0), at));
  }
}

/**
 * The offset of the first byte that breaks UTF-8, or -1. Follows the same rules as TextDecoder's
 * fatal mode (the Unicode "maximal subpart" rules): used only to say where the problem is.
 */
export function firstInvalidUtf8Offset(data: Uint8Array): number {
  let i = 0;
  while (i < data.length) {
    const b = data[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = data[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Whether the bytes can be shown and edited as text and saved back byte for byte. */
export function classifyData(data: Uint8Array): Classification {
  let text: string;
  try {
    text = decodeUtf8Strict(data);
  } catch (e) {
    return { kind: 'binary', reason: msg('the data is {0}', messageOfError(e)) };
  }
  const nul = data.indexOf(0);
  if (nul >= 0) return { kind: 'binary', reason: msg('the data contains a NUL byte (offset {0}), which VS Code treats as binary', nul) };
  const bom = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf;
  let crlf = 0;
  let lf = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0d) {
      if (data[i + 1] === 0x0a) {
        crlf++;
        i++;
      } else {
        return { kind: 'binary', reason: msg('the data contains a lone carriage return (offset {0}), which the text editor would turn into a line break', i) };
      }
    } else if (data[i] === 0x0a) lf++;
  }
  if (crlf > 0 && lf > 0) {
    return { kind: 'binary', reason: msg('the data mixes CRLF ({0}) and LF ({1}) line endings, which the text editor would make uniform', crlf, lf) };
  }
  return { kind: 'text', text, bom, eol: crlf > 0 ? 'crlf' : lf > 0 ? 'lf' : 'none' };
}

// --- read-only hex dump ----------------------------------------------------------------------

/** `xxd`-like lines: 8-digit offset, 16 bytes in two groups of 8, and the printable ASCII. */
export function hexDump(data: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < data.length; off += 16) {
    const row = data.subarray(off, off + 16);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += ' ';
      if (i < row.length) {
        hex += hexByte(row[i]) + ' ';
        ascii += row[i] >= 0x20 && row[i] < 0x7f ? String.fromCharCode(row[i]) : '.';
      } else hex += '   ';
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

// --- editable base64 -------------------------------------------------------------------------

export const BASE64_LINE = 76;

/** Standard base64 (RFC 4648 §4, with padding), wrapped at 76 characters, ending with a newline. */
export function formatBase64(data: Uint8Array): string {
  const b64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  if (b64 === '') return '';
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += BASE64_LINE) lines.push(b64.slice(i, i + BASE64_LINE));
  return lines.join('\n') + '\n';
}

/**
 * Parses what formatBase64 writes, ignoring whitespace (spaces, tabs, line breaks) anywhere.
 * Refuses what Node's decoder would silently skip or guess: other characters, the URL-safe
 * alphabet, missing or misplaced padding, and non-zero bits in the last character.
 */
export function parseBase64(text: string): Uint8Array {
  const s = text.replace(/[ \t\r\n]+/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(s);
  if (bad) {
    const where = positionOf(text, bad.index);
    throw new LocalizedError(
      bad[0] === '-' || bad[0] === '_'
        ? msg('Invalid base64: unexpected character {0} at {1} (this is the URL-safe alphabet; use + and / instead of - and _)', JSON.stringify(bad[0]), where)
        : msg('Invalid base64: unexpected character {0} at {1}', JSON.stringify(bad[0]), where),
    );
  }
  if (s.length % 4 !== 0) {
    throw new LocalizedError(msg('Invalid base64: {0} characters (without whitespace) is not a multiple of 4 (is the "=" padding missing, or a character lost)', s.length));
  }
  const pad = s.indexOf('=');
  if (pad >= 0 && (pad < s.length - 2 || /[^=]/.test(s.slice(pad)))) {
    throw new LocalizedError(msg('Invalid base64: "=" padding may only appear at the very end (found at {0})', positionOf(text, pad)));
  }
  const out = Buffer.from(s, 'base64');
  // Canonical form only: the unused low bits of the last character must be zero, or two
  // different texts would decode to the same bytes.
  if (Buffer.from(out).toString('base64') !== s) {
    throw new LocalizedError(msg('Invalid base64: the last character has non-zero padding bits (not a canonical encoding)'));
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

// --- editable hex ----------------------------------------------------------------------------

/** Two lowercase hex digits per byte, 16 per line separated by spaces, ending with a newline. */
export function formatHex(data: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < data.length; off += 16) {
    lines.push(Array.from(data.subarray(off, off + 16), hexByte).join(' '));
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** Parses hex digits, ignoring whitespace; refuses anything else and an odd number of digits. */
export function parseHex(text: string): Uint8Array {
  const bad = /[^0-9a-fA-F \t\r\n]/.exec(text);
  if (bad) throw new LocalizedError(msg('Invalid hex: unexpected character {0} at {1}; use only 0-9, a-f and whitespace', JSON.stringify(bad[0]), lineColumn(text, bad.index)));
  const digits = text.replace(/[ \t\r\n]+/g, '');
  if (digits.length % 2 !== 0) throw new LocalizedError(msg('Invalid hex: {0} digits is an odd number; every byte needs two digits', digits.length));
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function hexByte(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** "line L, column C" (1-based, as editors show it) of an index into the text. */
function lineColumn(text: string, index: number): Message {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const col = index - before.lastIndexOf('\n');
  return msg('line {0}, column {1}', line, col);
}

/** lineColumn of the character that is number `strippedIndex` once whitespace is removed. */
function positionOf(text: string, strippedIndex: number): Message {
  let seen = -1;
  for (let i = 0; i < text.length; i++) {
    if (!/[ \t\r\n]/.test(text[i])) seen++;
    if (seen === strippedIndex) return lineColumn(text, i);
  }
  return msg('offset {0}', strippedIndex);
}

// --- languages -------------------------------------------------------------------------------

export type LanguageId = 'json' | 'yaml' | 'xml' | 'properties' | 'plaintext';
export const LANGUAGES: readonly LanguageId[] = ['json', 'yaml', 'xml', 'properties', 'plaintext'];

const BY_EXTENSION: Record<string, LanguageId> = {
  json: 'json',
  jsonc: 'json',
  json5: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  xml: 'xml',
  xsd: 'xml',
  xsl: 'xml',
  xslt: 'xml',
  properties: 'properties',
  props: 'properties',
  cfg: 'properties',
  conf: 'properties',
  ini: 'properties',
  env: 'properties',
  txt: 'plaintext',
  text: 'plaintext',
  log: 'plaintext',
};

/** The language from the node name (its extension) first, else from the content. */
export function detectLanguage(name: string, text: string): LanguageId {
  const dot = name.lastIndexOf('.');
  if (dot > 0 && dot < name.length - 1) {
    const byName = BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
    if (byName) return byName;
  }
  return detectLanguageFromContent(text);
}

/** Sniffs the content; plaintext when nothing fits well. Only looks at the first 64 KiB for the line rules. */
export function detectLanguageFromContent(text: string): LanguageId {
  const t = text.replace(/^\uFEFF/, '').trim();
  if (t === '') return 'plaintext';
  if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
    try {
      JSON.parse(t);
      return 'json';
    } catch {
      // Not JSON; it may still be YAML flow style or something else.
    }
  }
  if (/^<\?xml[\s?]/.test(t) || (/^<(!--|[A-Za-z_][\w.:-]*[\s/>])/.test(t) && t.endsWith('>'))) return 'xml';
  const lines = t
    .slice(0, 65536)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (lines[0] === '---' || lines[0].startsWith('%YAML')) return 'yaml';
  const significant = lines.filter((l) => !/^\s*[#!]/.test(l));
  if (significant.length === 0) return 'plaintext';
  const isProp = (l: string) => /^\s*[^\s=:#!][^\s=:]*\s*=/.test(l);
  const isPropContinuation = (l: string, prev: string | undefined) => prev !== undefined && /\\$/.test(prev);
  let propOk = true;
  for (let i = 0; i < significant.length; i++) {
    if (!isProp(significant[i]) && !isPropContinuation(significant[i], significant[i - 1])) {
      propOk = false;
      break;
    }
  }
  if (propOk) return 'properties';
  const yamlKey = /^(\s*)(- +)?("[^"]*"|'[^']*'|[^\s:#'"{}[\],&*!|>%@`][^:#]*?)\s*:(\s|$)/;
  const yamlItem = /^\s*- /;
  let keys = 0;
  for (let i = 0; i < significant.length; i++) {
    const l = significant[i];
    if (yamlKey.test(l)) keys++;
    else if (yamlItem.test(l)) continue;
    else if (/^\s+\S/.test(l)) continue; // a nested or folded value under a key
    else return 'plaintext';
  }
  return keys > 0 ? 'yaml' : 'plaintext';
}
