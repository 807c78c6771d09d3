// Find in Subtree: walks a subtree with the shared pipelined walk and matches names, paths and data
// as the nodes arrive, streaming each matching node to the caller. Memory stays bounded: nodes are not
// kept (the walk streams them), data is dropped once matched, and the matches are capped.
import { isZkError } from '../errors';
import { walkSubtree, type SubtreeClient } from '../subtree';
import { matchNode, PREVIEW_CHARS, type NodeResult } from './nodeMatch';
import { compileQuery, type SearchQuery } from './query';
import type { TextOptions } from './searchableText';

export type { NodeResult } from './nodeMatch';

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

export const SEARCH_DEFAULTS = { maxResults: 5000, maxMatchesPerNode: 100, previewChars: PREVIEW_CHARS };

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
  const matchOpts = { ...opts, maxMatchesPerNode: perNode };
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
        const { result, found, binarySkipped: binary } = matchNode(q, node.path, node.data, node.stat.dataLength, matchOpts);
        if (binary) binarySkipped++;
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
