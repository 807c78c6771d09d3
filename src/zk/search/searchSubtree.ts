// Find in Subtree: walks a subtree with the shared pipelined walk and matches names, paths and data
// as the nodes arrive, streaming each matching node to the caller. Memory stays bounded: nodes are not
// kept (the walk streams them), data is dropped once matched, and the matches are capped.
import { isZkError } from '../errors';
import { baseName } from '../paths';
import { walkSubtree, type SubtreeClient } from '../subtree';
import { compileQuery, type SearchQuery, type TextMatch } from './query';
import { searchableText, type TextOptions } from './searchableText';

export interface SearchOptions extends TextOptions {
  /** Stop after this many matches (default 5,000). */
  maxResults?: number;
  /** Matches kept for one node's data (default 100). */
  maxMatchesPerNode?: number;
  /** Levels below the scope node to search (default: all). */
  maxDepth?: number;
  signal?: AbortSignal;
  /** Every node with at least one match, as soon as it is matched. */
  onResult?: (result: NodeResult) => void;
  /** Nodes visited and matches so far, at most every 100 ms and once at the end. */
  onProgress?: (progress: { visited: number; matches: number }) => void;
  /** Nodes being read at once (the walk's window). */
  concurrency?: number;
}

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

export interface SearchSummary {
  root: string;
  visited: number;
  matchedNodes: number;
  matches: number;
  /** The match cap was reached and the walk stopped there. */
  truncated: boolean;
  /** Nodes this session may not read (NOAUTH), with their subtrees: counted and listed, not fatal. */
  unreadable: string[];
  /** Binary nodes not searched (binary handling 'skip'). */
  binarySkipped: number;
  ms: number;
}

export const SEARCH_DEFAULTS = { maxResults: 5000, maxMatchesPerNode: 100, previewChars: 200 };

export async function searchSubtree(client: SubtreeClient, root: string, query: SearchQuery, opts: SearchOptions = {}): Promise<SearchSummary> {
  const q = compileQuery(query);
  const maxResults = opts.maxResults ?? SEARCH_DEFAULTS.maxResults;
  const perNode = opts.maxMatchesPerNode ?? SEARCH_DEFAULTS.maxMatchesPerNode;
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let matches = 0;
  let matchedNodes = 0;
  let binarySkipped = 0;
  let visited = 0;
  let truncated = false;
  let lastProgress = 0;
  const progress = (final: boolean) => {
    const now = Date.now();
    if (!opts.onProgress || (!final && now - lastProgress < 100)) return;
    lastProgress = now;
    opts.onProgress({ visited, matches });
  };
  const started = Date.now();
  let walked;
  try {
    walked = await walkSubtree(client, root, {
      withData: q.searchesData,
      collect: false,
      skipUnreadable: true,
      maxDepth: opts.maxDepth,
      concurrency: opts.concurrency,
      signal: stop.signal,
      onNode: (node) => {
        if (truncated) return;
        visited++;
        const result: NodeResult = { path: node.path, nameMatches: [], pathMatches: [], dataMatches: [], dataBytes: node.stat.dataLength };
        if (q.searchesNames) result.nameMatches = q.inName(node.path === '/' ? '/' : baseName(node.path));
        if (q.searchesPaths) result.pathMatches = q.inName(node.path);
        if (q.searchesData && node.data && node.data.length > 0) {
          const text = searchableText(node.data, opts);
          if (!text) binarySkipped++;
          else {
            result.dataAs = text.as;
            const found = q.inText(text.text, perNode);
            if (found.length > 0) {
              const lines = text.text.split('\n');
              result.dataMatches = found.map((m) => ({ ...m, ...preview(lines[m.line] ?? '', m) }));
            }
          }
        }
        const found = result.nameMatches.length + result.pathMatches.length + result.dataMatches.length;
        if (found > 0) {
          matchedNodes++;
          matches += found;
          opts.onResult?.(result);
          if (matches >= maxResults) {
            truncated = true;
            stop.abort();
          }
        }
        progress(false);
      },
    });
  } catch (e) {
    // The cap stops the walk through the same signal as a cancel: only a user's cancel is an error.
    if (!(truncated && isZkError(e, 'CANCELLED'))) throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
  progress(true);
  return {
    root,
    visited,
    matchedNodes,
    matches,
    truncated,
    unreadable: walked?.unreadable ?? [],
    binarySkipped,
    ms: Date.now() - started,
  };
}

/** The line around a match, at most previewChars long, and where the match starts in it. */
function preview(line: string, m: TextMatch): { preview: string; previewColumn: number } {
  const max = SEARCH_DEFAULTS.previewChars;
  const clean = line.replace(/\r$/, '');
  if (clean.length <= max) return { preview: clean, previewColumn: m.column };
  const start = Math.max(0, Math.min(m.column - 40, clean.length - max));
  return { preview: (start > 0 ? '…' : '') + clean.slice(start, start + max), previewColumn: m.column - start + (start > 0 ? 1 : 0) };
}

