// Short, safe previews of znode data for one log line: text is shown quoted with control
// characters escaped and cut around what changed; binary data is named as such with a few bytes
// in hex. Only the start of the data is ever kept (DataHead), so previews say when they stop short.
// Their few words go through the options' Translate (English by default).
import { displayName, isFormatCharacter } from '../displayText';
import { english, type Translate } from '../localize';
import type { DataHead } from './types';
import { formatBytes } from '../bytes';

export interface PreviewOptions {
  /** Characters of text shown per side (default 40). */
  width?: number;
  /** Characters kept before the first difference when a change is cut (default 12). */
  context?: number;
  /** Translates the fixed words (default: English). */
  t?: Translate;
}

const DEFAULT_WIDTH = 40;
const DEFAULT_CONTEXT = 12;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The head as text, or undefined when it is not UTF-8 text (binary, or control characters). */
export function headText(d: DataHead): string | undefined {
  let bytes = d.head;
  // A head cut inside a multi-byte character: drop the partial character at the end.
  if (bytes.length < d.size) bytes = trimPartialUtf8(bytes);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return undefined;
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) control++;
  }
  // A stray control character in text is escaped; a NUL or many of them means binary.
  if (text.includes('\u0000') || control > Math.max(2, text.length / 20)) return undefined;
  return text;
}

function trimPartialUtf8(b: Uint8Array): Uint8Array {
  let end = b.length;
  // Walk back over continuation bytes (10xxxxxx) to the lead byte, at most 3.
  let i = end - 1;
  let cont = 0;
  while (i >= 0 && cont < 3 && (b[i] & 0xc0) === 0x80) {
    i--;
    cont++;
  }
  if (i < 0) return b;
  const lead = b[i];
  const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  if (need > cont) end = i;
  return b.subarray(0, end);
}

/** Quotes text for one line: escapes quotes, backslashes, newlines and other control characters. */
export function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) || isFormatCharacter(ch)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** A name or path for the log (paths can be hostile): quoted when it has line breaks or controls, else as displayName shows it. */
export function safeName(s: string): string {
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s) ? quote(s) : displayName(s);
}

function hex(b: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < Math.min(n, b.length); i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

/** Sizes in the watch log: the one byte formatter. */
export const formatSize = formatBytes;

/** Cuts `text` to `width` characters from `start`, marking cuts with an ellipsis. */
function window(text: string, start: number, width: number, complete: boolean): string {
  const chars = Array.from(text);
  const end = Math.min(chars.length, start + width);
  const body = chars.slice(start, end).join('');
  const cutLeft = start > 0;
  const cutRight = end < chars.length || !complete;
  return `${cutLeft ? '…' : ''}${quote(body)}${cutRight ? '…' : ''}`;
}

/** One value: empty, a quoted start of text, or "binary" with its first bytes. */
export function previewOne(d: DataHead, opts: PreviewOptions = {}): string {
  const t = opts.t ?? english;
  if (d.size === 0) return t('empty');
  const width = opts.width ?? DEFAULT_WIDTH;
  const text = headText(d);
  if (text === undefined) return t('binary {0}', `${hex(d.head, 8)}${d.size > 8 ? '…' : ''}`);
  return window(text, 0, width, d.head.length >= d.size);
}

/**
 * Before → after, cut so that the first difference is visible: long values that share a start
 * are shown from a little before where they differ.
 */
export function previewChange(before: DataHead, after: DataHead, opts: PreviewOptions = {}): string {
  const width = opts.width ?? DEFAULT_WIDTH;
  const context = opts.context ?? DEFAULT_CONTEXT;
  const t = opts.t ?? english;
  const bt = before.size === 0 ? '' : headText(before);
  const at = after.size === 0 ? '' : headText(after);
  if (bt === undefined || at === undefined) return `${previewOne(before, opts)} → ${previewOne(after, opts)}`;
  const b = Array.from(bt);
  const a = Array.from(at);
  let i = 0;
  while (i < b.length && i < a.length && b[i] === a[i]) i++;
  const bComplete = before.head.length >= before.size;
  const aComplete = after.head.length >= after.size;
  if (i === b.length && i === a.length && bt.length > 0 && (!bComplete || !aComplete)) {
    // Same as far as we kept: the difference lies beyond the kept start.
    return `${previewOne(before, opts)} → ${previewOne(after, opts)} ${t('(differs after the first {0} characters)', b.length)}`;
  }
  const start = i > width - context ? i - context : 0;
  const show = (chars: string[], text: string, complete: boolean, size: number) =>
    size === 0 ? t('empty') : window(text, Math.min(start, Math.max(0, chars.length - 1)), width, complete);
  return `${show(b, bt, bComplete, before.size)} → ${show(a, at, aComplete, after.size)}`;
}
