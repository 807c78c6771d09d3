// Matching one node against a compiled query: its name, its full path and its data as search sees
// it (searchableText), with a preview of each data match's line. Shared by the live search (a
// subtree walk) and the search of an export file, so that both find the same things.
import * as nodeBuffer from 'node:buffer';
import { baseName } from '../paths';
import { NO_MATCHES, type CompiledQuery, type TextMatch } from './query';
import { isGzip, searchableText, type TextOptions } from './searchableText';

export interface NodeResult {
  path: string;
  /** Matches in the node's name (line 0 of the name). */
  nameMatches: TextMatch[];
  /** Matches in the full path. */
  pathMatches: TextMatch[];
  /** Matches in the data, with the line each is on (the line's text, cut to 200 characters around it). */
  dataMatches: (TextMatch & { preview: string; previewColumn: number })[];
  /** How the data was read for matching: utf-8, gzip, hex, base64 or the fallback encoding. */
  dataAs?: string;
  dataBytes: number;
}

export const PREVIEW_CHARS = 200;

/**
 * The matches of `q` in the node at `path` with `data` (undefined: not read). `binarySkipped` says
 * the data was binary and not searched (binary handling 'skip').
 */
export function matchNode(
  q: CompiledQuery,
  path: string,
  data: Uint8Array | undefined,
  dataBytes: number,
  opts: TextOptions & { maxMatchesPerNode: number },
): { result: NodeResult; found: number; binarySkipped: boolean } {
  const result: NodeResult = { path, nameMatches: NO_MATCHES, pathMatches: NO_MATCHES, dataMatches: NO_DATA_MATCHES, dataBytes };
  let binarySkipped = false;
  if (q.searchesNames) result.nameMatches = q.inName(path === '/' ? '/' : baseName(path));
  if (q.searchesPaths) result.pathMatches = q.inName(path);
  if (q.searchesData && data && data.length > 0) {
    if (q.bytes && !q.bytes.mayMatch(data) && isPlainUtf8(data)) {
      result.dataAs = 'utf-8'; // what decoding would have said; no need to decode to know it holds no match
    } else {
      const text = searchableText(data, opts);
      if (!text) binarySkipped = true;
      else {
        result.dataAs = text.as;
        const dataMatches: NodeResult['dataMatches'] = [];
        q.forEachInText(text.text, opts.maxMatchesPerNode, (m, line) => dataMatches.push(withPreview(m, line)));
        if (dataMatches.length > 0) result.dataMatches = dataMatches;
      }
    }
  }
  return { result, found: result.nameMatches.length + result.pathMatches.length + result.dataMatches.length, binarySkipped };
}

const NO_DATA_MATCHES: NodeResult['dataMatches'] = Object.freeze([]) as unknown as NodeResult['dataMatches'];

/** Node 18.14+ checks UTF-8 without decoding; older ones (older VS Code hosts) decode to check. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const isUtf8: (data: Uint8Array) => boolean =
  (nodeBuffer as { isUtf8?: (data: Uint8Array) => boolean }).isUtf8 ??
  ((data) => {
    try {
      STRICT_UTF8.decode(data);
      return true;
    } catch {
      return false;
    }
  });

/** Data searchableText would decode as UTF-8 as it is: not gzip, no NUL, valid UTF-8. */
function isPlainUtf8(data: Uint8Array): boolean {
  return !isGzip(data) && !data.includes(0) && isUtf8(data);
}

/** A data match with its line around it, at most PREVIEW_CHARS long, and where the match starts in that. */
function withPreview(m: TextMatch, line: string): NodeResult['dataMatches'][number] {
  const max = PREVIEW_CHARS;
  if (line.length <= max) return { line: m.line, column: m.column, length: m.length, preview: line, previewColumn: m.column };
  const start = Math.max(0, Math.min(m.column - 40, line.length - max));
  const cut = start > 0 ? 1 : 0;
  return { line: m.line, column: m.column, length: m.length, preview: (cut ? '…' : '') + line.slice(start, start + max), previewColumn: m.column - start + cut };
}
