// How Find in Subtree feels while it runs, on the subtree bench/walkData.ts seeds (every node's
// data matches the names + data query, so the stream of results is as dense as it gets):
//   time to first result   from the call to the first result the view would get   (goal ≤ 200 ms)
//   longest event-loop block while a search streams every node of the subtree       (goal ≤ 50 ms)
//   heap growth            a query matching every node, capped at the default 5,000 matches, the
//                          results kept as the view keeps them: bounded by the cap, not by the
//                          subtree (goal ≤ 1 KiB per kept match, forced GC before and after); what
//                          the results themselves hold is measured apart (heap with them, then
//                          without them), as the growth alone moves by a few MiB from run to run
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ZkClient } from '../src/zk/client';
import { SEARCH_DEFAULTS, searchSubtree, type NodeResult } from '../src/zk/search/searchSubtree';
import type { SearchQuery } from '../src/zk/search/query';
import { walkSubtree } from '../src/zk/subtree';
import { gc, round2 } from './stats';

export const SEARCH_QUERIES: Record<'names' | 'namesAndData', SearchQuery> = {
  // n4xx: 100 leaves a folder, also in the smaller subtree of a quick run (n000..n498).
  names: { text: 'n4', mode: 'substring', caseSensitive: false, target: 'names' },
  namesAndData: { text: 'cdef', mode: 'substring', caseSensitive: false, target: 'all' },
};

export interface SearchFeel {
  /** ms from the call to the first onResult, per run. */
  firstResultNamesMs: number[];
  firstResultNamesAndDataMs: number[];
  /** Longest event-loop delay (ms) during a whole uncapped names + data search, per run. */
  longestBlockMs: number[];
  /** The same during the walk with data alone (the reference: what the search adds is the difference). */
  walkLongestBlockMs: number[];
  /** Heap kept after a capped search whose results are kept (MiB, after forced GC), per run. */
  heapGrowthMiB: number[];
  /** Of that, what the kept results hold (freed when they are dropped): the part that grows with the cap. */
  resultsHeapMiB: number[];
  /** Matches the capped search kept (the cap). */
  cap: number;
  /** Nodes the capped search visited before it stopped. */
  cappedVisited: number;
  gcForced: boolean;
}

const MiB = 1024 * 1024;

export const SEARCH_FEEL_GOALS = { firstResultMs: 200, longestBlockMs: 50, heapKiBPerMatch: 1 };

/** `nodes`: the subtree's size; the capped search stops at the default cap, or a tenth of a smaller subtree (npm run bench -- quick). */
export async function measureSearchFeel(zk: ZkClient, root: string, nodes: number, runs: number): Promise<SearchFeel> {
  const cap = Math.min(SEARCH_DEFAULTS.maxResults, Math.floor(nodes / 10));
  const out: SearchFeel = { firstResultNamesMs: [], firstResultNamesAndDataMs: [], longestBlockMs: [], walkLongestBlockMs: [], heapGrowthMiB: [], resultsHeapMiB: [], cap, cappedVisited: 0, gcForced: false };
  for (let run = 0; run < runs; run++) {
    out.firstResultNamesMs.push(await firstResult(zk, root, SEARCH_QUERIES.names));
    out.firstResultNamesAndDataMs.push(await firstResult(zk, root, SEARCH_QUERIES.namesAndData));

    out.walkLongestBlockMs.push(await longestBlock(() => walkSubtree(zk, root, { withData: true, collect: false, onNode: () => undefined })));
    out.longestBlockMs.push(await longestBlock(() => searchSubtree(zk, root, SEARCH_QUERIES.namesAndData, { maxResults: 1e9, onResult: () => undefined })));

    out.gcForced = gc();
    const before = process.memoryUsage().heapUsed;
    let kept: NodeResult[] = [];
    const summary = await searchSubtree(zk, root, SEARCH_QUERIES.namesAndData, { maxResults: cap, onResult: (r) => kept.push(r) });
    if (kept.length === 0 || !summary.truncated) throw new Error(`the capped search kept ${kept.length} results and was not truncated: the query must match more than the cap`);
    // The cap stops the walk with reads still in flight, which hold its queue until they answer; the
    // server answers a session's requests in order, so once this one is back they all are.
    await zk.exists(root);
    gc();
    const withResults = process.memoryUsage().heapUsed;
    kept = [];
    gc();
    const after = process.memoryUsage().heapUsed;
    out.cap = summary.matches;
    out.cappedVisited = summary.visited;
    out.heapGrowthMiB.push(round2((withResults - before) / MiB));
    out.resultsHeapMiB.push(round2((withResults - after) / MiB));
  }
  return out;
}

/** The longest stretch (ms) the event loop was not free while `work` ran: monitorEventLoopDelay samples on a timer. */
async function longestBlock(work: () => Promise<unknown>): Promise<number> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  await work();
  loop.disable();
  return round2(loop.max / 1e6);
}

async function firstResult(zk: ZkClient, root: string, query: SearchQuery): Promise<number> {
  const stop = new AbortController();
  const started = performance.now();
  let first = -1;
  await searchSubtree(zk, root, query, {
    maxResults: 1e9,
    signal: stop.signal,
    onResult: () => {
      if (first < 0) first = performance.now() - started;
      stop.abort(); // the rest of the walk is not what is measured
    },
  }).catch((e: unknown) => {
    if (first < 0) throw e;
  });
  if (first < 0) throw new Error(`${JSON.stringify(query.text)} matched nothing under ${root}: no first result to time`);
  return round2(first);
}
