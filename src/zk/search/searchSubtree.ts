// Find in Subtree: walks a subtree with the shared pipelined walk and matches names, paths and data
// as the nodes arrive, streaming each matching node to the caller. Memory stays bounded: nodes are not
// kept (the walk streams them), data is dropped once matched, and the matches are capped.
import { msg } from '../message';
import { ZkError, isZkError } from '../errors';
import { walkSubtree, walkSubtreeNames, type SubtreeClient } from '../subtree';
import { MatchStats } from './matchStats';
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

/** Stat reads in flight at once for the matches of a names-only search. */
const MATCH_STATS_WINDOW = 64;

export async function searchSubtree(client: SubtreeClient, root: string, query: SearchQuery, opts: SearchOptions = {}): Promise<SearchSummary> {
  const q = compileQuery(query);
  const maxResults = opts.maxResults ?? SEARCH_DEFAULTS.maxResults;
  const perNode = opts.maxMatchesPerNode ?? SEARCH_DEFAULTS.maxMatchesPerNode;
  const stop = new AbortController();
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
  const matched = (path: string, data: Uint8Array | undefined, dataBytes: number, handOn: (result: NodeResult) => void) => {
    if (truncated) return;
    visited++;
    const { result, found, binarySkipped: binary } = matchNode(q, path, data, dataBytes, matchOpts);
    if (binary) binarySkipped++;
    if (found > 0) {
      matchedNodes++;
      matches += found;
      handOn(result);
      if (matches >= maxResults) {
        truncated = true;
        stop.abort();
      }
    }
    progress(false);
  };
  const walkOpts = { collect: false, skipUnreadable: true, maxDepth: opts.maxDepth, concurrency: opts.concurrency, signal: stop.signal } as const;
  // Names or paths only: the walk of names (no Stat per node), and a Stat for the matches alone (matchStats.ts).
  const stats = q.searchesData
    ? undefined
    : new MatchStats(
        client,
        MATCH_STATS_WINDOW,
        (r) => opts.onResult?.(r),
        (r) => {
          matchedNodes--; // deleted since it was listed: skipped quietly, as the walk skips such nodes
          matches -= r.nameMatches.length + r.pathMatches.length;
        },
      );
  const onOuterAbort = () => {
    stop.abort();
    stats?.stop();
  };
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const started = Date.now();
  let walked;
  try {
    try {
      walked = stats
        ? await walkSubtreeNames(client, root, { ...walkOpts, onNode: (node) => matched(node.path, undefined, 0, (r) => stats.add(r)) })
        : await walkSubtree(client, root, { ...walkOpts, withData: true, onNode: (node) => matched(node.path, node.data, node.stat.dataLength, (r) => opts.onResult?.(r)) });
    } catch (e) {
      // The cap stops the walk through the same signal as a cancel: only a user's cancel is an error.
      if (!(truncated && isZkError(e, 'CANCELLED'))) throw e;
    }
    await stats?.drain();
    if (opts.signal?.aborted) throw new ZkError('CANCELLED', msg('Cancelled while searching {0} ({1} nodes visited)', root, visited.toLocaleString('en')), { path: root, op: 'search' });
  } catch (e) {
    stats?.stop();
    throw e;
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
