// A znode's data as search sees it: the text the editor shows (UTF-8, the BOM dropped), gzip data
// decompressed first (bounded), other encodings only when configured, and binary data as hex or
// base64 only when asked; otherwise binary data is not searched.
import { nodeZlib } from '../lazyBuiltins';
import { formatBase64, formatHex } from '../codecs';

export type BinaryHandling = 'skip' | 'hex' | 'base64';

export interface TextOptions {
  /** A TextDecoder label (e.g. windows-1252) for data that is not UTF-8; none: such data is binary. */
  fallbackEncoding?: string;
  binary?: BinaryHandling;
  /** Largest decompressed size of gzip data searched (default 16 MiB); larger is searched compressed, as binary. */
  maxGunzipBytes?: number;
}

export interface SearchableText {
  text: string;
  /** How the bytes became this text, for the result's description. */
  as: 'utf-8' | 'gzip' | 'hex' | 'base64' | string;
}

const GZIP_MAGIC = [0x1f, 0x8b];
export const DEFAULT_MAX_GUNZIP_BYTES = 16 * 1024 * 1024;

export function isGzip(data: Uint8Array): boolean {
  return data.length >= 18 && data[0] === GZIP_MAGIC[0] && data[1] === GZIP_MAGIC[1] && data[2] === 8;
}

/** The text to search in `data`, or undefined when it is binary and binary data is not searched. */
export function searchableText(data: Uint8Array, opts: TextOptions = {}): SearchableText | undefined {
  if (data.length === 0) return { text: '', as: 'utf-8' };
  if (isGzip(data)) {
    let inflated: Buffer | undefined;
    try {
      inflated = nodeZlib().gunzipSync(data, { maxOutputLength: opts.maxGunzipBytes ?? DEFAULT_MAX_GUNZIP_BYTES });
    } catch {
      inflated = undefined; // corrupt, or larger than the bound: searched as the bytes it is
    }
    if (inflated) {
      const inner = decodeText(inflated, opts.fallbackEncoding);
      if (inner !== undefined) return { text: inner.text, as: 'gzip' };
    }
  }
  const decoded = decodeText(data, opts.fallbackEncoding);
  if (decoded !== undefined) return decoded;
  switch (opts.binary ?? 'skip') {
    case 'hex':
      return { text: formatHex(data), as: 'hex' };
    case 'base64':
      return { text: formatBase64(data), as: 'base64' };
    default:
      return undefined;
  }
}

/** Strict: throws on bytes that are not UTF-8. Drops a leading BOM, as the editor does. One for all nodes (a search decodes every node). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(data: Uint8Array, fallback: string | undefined): SearchableText | undefined {
  if (data.includes(0)) return undefined; // NUL: binary, as the editor treats it
  try {
    return { text: UTF8.decode(data), as: 'utf-8' };
  } catch {
    // not UTF-8
  }
  if (!fallback) return undefined;
  try {
    return { text: new TextDecoder(fallback).decode(data), as: fallback };
  } catch {
    return undefined; // an unknown label
  }
}
