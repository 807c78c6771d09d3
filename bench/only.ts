// One benchmark case alone, for working on it without running all of `npm run bench` (10 minutes
// on a shared machine): `node --expose-gc out/bench/only.js <case> [runs]`, after `npm run build`
// and `npx tsc -p tsconfig.json`. Cases: tree (100,000 children and 1,000 expands), walk, delete,
// activation (runs `npm run package`; run `npm run build` afterwards to get the development
// bundle back), watches, search (Find in Subtree against the walks it rides on, and how it feels). Each prints its runs next to the reference measured in the same process,
// as `npm run bench` does, and the ratio of medians.
import { join } from 'node:path';
import { ZkCluster } from '../test/harness/zookeeper';
import { benchActivation } from './activation';
import { SEARCH_FEEL_GOALS } from './search';
import { benchRecursiveDelete, benchWalk } from './subtree';
import { benchTree } from './tree';
import { benchWalkData } from './walkData';
import { benchWatches } from './watches';
import { benchRawWatchLatency } from './watchReference';

const ROOT = join(__dirname, '..', '..');
const log = (line: string) => console.log(`  ${line}`);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const which = process.argv[2];
  const runs = Number(process.argv[3] ?? 3);
  if (which === 'activation') {
    const a = await benchActivation(ROOT, { runs, connectStrings: ['127.0.0.1:2181', '127.0.0.2:2181,127.0.0.3:2181,127.0.0.4:2181'], log });
    console.log(`activation ${a.ours.medianMs} ms (require ${a.oursRequire.medianMs} + activate ${a.oursActivate.medianMs}) vs minimal ${a.minimal.medianMs} ms: ${ratio(a.ours.medianMs, a.minimal.medianMs)}; bundle ${Math.round(a.bundleBytes / 1024)} KiB`);
    return;
  }
  const server = await ZkCluster.startStandalone();
  try {
    const s = server.servers[0];
    if (which === 'tree') {
      const { bigNode: b, expands: e } = await benchTree(s.address, s.clientPort, { runs, expandRuns: runs, log });
      console.log(`longest block ${median(b.expandBlockMs)} ms vs raw getChildren ${median(b.rawBlockMs)} ms: ${ratio(median(b.expandBlockMs), median(b.rawBlockMs))}; expand ${b.expand.medianMs} vs raw ${b.rawGetChildren.medianMs} ms`);
      console.log(`1,000 expands ${e.ours.medianMs} ms vs raw ${e.raw.medianMs} ms: ${ratio(e.ours.medianMs, e.raw.medianMs)}; ${e.oursRequestsPerExpand} requests each`);
    } else if (which === 'walk') {
      const w = await benchWalk(server.connectString, { runs, log });
      console.log(`walk of names ${w.oursNames.medianMs} ms vs one at a time ${w.oneAtATime.medianMs} ms: ${ratio(w.oursNames.medianMs, w.oneAtATime.medianMs)}; vs zkCli ls -R: ${ratio(w.oursNames.medianMs, w.zkCliLsR.medianMs)}`);
      console.log(`walk ${w.ours.medianMs} ms vs one at a time ${w.oneAtATime.medianMs} ms: ${ratio(w.ours.medianMs, w.oneAtATime.medianMs)}; vs zkCli ls -R ${w.zkCliLsR.medianMs} ms: ${ratio(w.ours.medianMs, w.zkCliLsR.medianMs)}`);
    } else if (which === 'delete') {
      const d = await benchRecursiveDelete(server.connectString, { runs, log });
      console.log(`delete ${d.ours.medianMs} ms vs zkCli deleteall ${d.zkCliDeleteall.medianMs} ms: ${ratio(d.ours.medianMs, d.zkCliDeleteall.medianMs)}`);
    } else if (which === 'watches') {
      const w = await benchWatches(server.connectString, { latencySamples: 50, burstChanges: 2000, log });
      const raw = await benchRawWatchLatency(server.connectString, 50);
      console.log(`node watch to event ${w.nodeLatency.toEventMedianMs} ms (p99 ${w.nodeLatency.toEventP99Ms}) vs raw ${raw.medianMs} ms (p99 ${raw.p99Ms}): ${ratio(w.nodeLatency.toEventMedianMs, raw.medianMs)}`);
    } else if (which === 'search') {
      const d = await benchWalkData(server.connectString, { runs, log, cases: ['oursNoData', 'searchNames', 'oursMultiRead', 'searchNamesAndData'] });
      console.log(`names search ${d.searchNames.medianMs} ms vs walk without data ${d.oursNoData.medianMs} ms: ${ratio(d.searchNames.medianMs, d.oursNoData.medianMs)} (goal ≤ 1.05×)`);
      console.log(`names + data search ${d.searchNamesAndData.medianMs} ms vs walk with data ${d.oursMultiRead.medianMs} ms: ${ratio(d.searchNamesAndData.medianMs, d.oursMultiRead.medianMs)} (goal ≤ 1.15×)`);
      const f = d.searchFeel;
      if (f) {
        const g = SEARCH_FEEL_GOALS;
        console.log(`first result: names ${median(f.firstResultNamesMs)} ms, names + data ${median(f.firstResultNamesAndDataMs)} ms (goal ≤ ${g.firstResultMs} ms)`);
        console.log(`longest event-loop block ${median(f.longestBlockMs)} ms, max ${Math.max(...f.longestBlockMs)} ms (goal ≤ ${g.longestBlockMs} ms); the walk alone ${median(f.walkLongestBlockMs)} ms, max ${Math.max(...f.walkLongestBlockMs)} ms`);
        console.log(`heap growth keeping ${f.cap} results ${median(f.heapGrowthMiB)} MiB (runs ${f.heapGrowthMiB.join(', ')}), the results themselves ${median(f.resultsHeapMiB)} MiB (goal ≤ ${((f.cap * g.heapKiBPerMatch) / 1024).toFixed(1)} MiB; ${f.cappedVisited} nodes visited${f.gcForced ? '' : '; no --expose-gc: approximate'})`);
      }
    } else {
      throw new Error(`usage: node --expose-gc out/bench/only.js tree|walk|delete|activation|watches|search [runs]`);
    }
  } finally {
    await server.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
