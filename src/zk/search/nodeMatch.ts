// Matching one node against a compiled query: its name, its full path and its data as search sees
// it (searchableText), with a preview of each data match's line. Shared by the live search (a
// subtree walk) and the search of an export file, so that both find the same things.
import { baseName } from '../paths';
import type { CompiledQuery, TextMatch } from './query';
import { searchableText, type TextOptions } from './searchableText';

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
  const result: NodeResult = { path, nameMatches: [], pathMatches: [], dataMatches: [], dataBytes };
  let binarySkipped = false;
  if (q.searchesNames) result.nameMatches = q.inName(path === '/' ? '/' : baseName(path));
  if (q.searchesPaths) result.pathMatches = q.inName(path);
  if (q.searchesData && data && data.length > 0) {
    const text = searchableText(data, opts);
    if (!text) binarySkipped = true;
    else {
      result.dataAs = text.as;
      const found = q.inText(text.text, opts.maxMatchesPerNode);
      if (found.length > 0) {
        const lines = text.text.split('\n');
        result.dataMatches = found.map((m) => ({ ...m, ...preview(lines[m.line] ?? '', m) }));
      }
    }
  }
  return { result, found: result.nameMatches.length + result.pathMatches.length + result.dataMatches.length, binarySkipped };
}

/** The line around a match, at most PREVIEW_CHARS long, and where the match starts in it. */
function preview(line: string, m: TextMatch): { preview: string; previewColumn: number } {
  const max = PREVIEW_CHARS;
  const clean = line.replace(/\r$/, '');
  if (clean.length <= max) return { preview: clean, previewColumn: m.column };
  const start = Math.max(0, Math.min(m.column - 40, clean.length - max));
  return { preview: (start > 0 ? '…' : '') + clean.slice(start, start + max), previewColumn: m.column - start + (start > 0 ? 1 : 0) };
}
