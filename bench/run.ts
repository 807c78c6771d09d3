// `npm run bench` (after scripts/bench.mjs has built everything): every benchmark case, each next
// to a reference measured in the same run, because these machines are shared and noisy. Starts its
// own real ZooKeeper servers (a standalone server, then a 3-node ensemble; the health case starts
// its own ensemble), stops every one of them on the way out (also on failure), prints each case's
// runs as they come and a table of ratios at the end, and writes bench/results.json.
// Ratios are ours / reference in time (per operation for throughputs): below 1 ours is faster.
import { spawnSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { ZkCluster, findZooKeeper, fourLetterWord, stopAllClusters } from '../test/harness/zookeeper';
import { benchActivation, type ActivationBench } from './activation';
import { benchConfigAsCode, type ConfigAsCodeBench } from './configAsCode';
import { benchGetData, type GetDataBench } from './client';
import { benchHealthPolling, type HealthBench } from './health';
import { benchHistory, benchPersistence, type HistoryBench, type PersistenceBench } from './persistence';
import { round2, type Sample } from './stats';
import { benchRecursiveDelete, benchWalk, type DeleteBench, type WalkBench } from './subtree';
import { SEARCH_FEEL_GOALS } from './search';
import { benchWalkData, type WalkDataBench } from './walkData';
import { benchTree, type BigNodeBench, type ExpandsBench } from './tree';
import { benchWatches, type WatchBench } from './watches';
import { benchRawWatchLatency, type RawWatchLatency } from './watchReference';

const ROOT = join(__dirname, '..', '..');
const quick = process.argv.includes('--quick'); // smaller cases, for trying the script itself

interface Results {
  date: string;
  machine: Record<string, unknown>;
  zookeeper: { version?: string; jvm?: string; serverJvmFlags: string };
  totalSeconds?: number;
  benchSeconds?: number;
  quick: boolean;
  cases: {
    activation?: ActivationBench;
    getDataStandalone?: GetDataBench;
    getDataEnsemble?: GetDataBench & { memberMode?: string };
    bigNode?: BigNodeBench;
    expands?: ExpandsBench;
    walk?: WalkBench;
    walkData?: WalkDataBench;
    delete?: DeleteBench;
    configAsCode?: ConfigAsCodeBench;
    watches?: WatchBench & { raw: RawWatchLatency };
    health?: HealthBench;
    persistence?: PersistenceBench;
    history?: HistoryBench;
  };
  caseSeconds: Record<string, number>;
  errors: Record<string, string>;
  table?: Row[];
}

interface Row {
  case: string;
  ours: string;
  reference: string;
  ratio: string;
  note?: string;
}

const results: Results = {
  date: new Date().toISOString(),
  machine: machine(),
  zookeeper: { serverJvmFlags: '-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 (test harness)' },
  quick,
  cases: {},
  caseSeconds: {},
  errors: {},
};

const startedAt = performance.now();
const log = (line: string) => console.log(`  ${line}`);

async function runCase(name: string, fn: () => Promise<void>): Promise<void> {
  console.log(`\n▶ ${name}`);
  const t = performance.now();
  try {
    await fn();
  } catch (e) {
    results.errors[name] = e instanceof Error ? e.message : String(e);
    console.log(`  FAILED: ${results.errors[name]}`);
  } finally {
    results.caseSeconds[name] = round2((performance.now() - t) / 1000);
    console.log(`  (${results.caseSeconds[name]} s; ${elapsed()} s so far)`);
  }
}

async function main(): Promise<void> {
  const m = results.machine;
  console.log(`ZooKeeper Explorer benchmarks — ${m.cores} × ${m.cpuModel}, Node ${m.node}, load average ${(m.loadAverageStart as number[]).join(' ')}${quick ? ' (--quick)' : ''}`);

  await runCase('activation and size', async () => {
    results.cases.activation = await benchActivation(ROOT, { runs: quick ? 3 : 7, connectStrings: ['127.0.0.1:2181', '127.0.0.2:2181,127.0.0.3:2181,127.0.0.4:2181'], log });
  });

  let standalone: ZkCluster | undefined;
  await runCase('standalone server start', async () => {
    standalone = await ZkCluster.startStandalone();
    const srvr = await fourLetterWord(standalone.servers[0].clientPort, 'srvr', 5000);
    // Debian's build reports '3.8.0-${mvngit.commit.id}, built on ...'.
    results.zookeeper.version = /Zookeeper version: ([0-9][0-9.]*)/.exec(srvr)?.[1];
    log(`standalone at ${standalone.connectString}, ZooKeeper ${results.zookeeper.version}`);
  });
  if (standalone) {
    const s = standalone;
    const address = s.servers[0].address;
    try {
      await runCase('getData throughput, standalone', async () => {
        results.cases.getDataStandalone = await benchGetData(address, { runs: quick ? 3 : 5, sequentialOps: quick ? 300 : 1000, pipelinedOps: quick ? 3000 : 10_000, log });
      });
      await runCase('tree: 100,000 children, 1,000 expands', async () => {
        const r = await benchTree(address, s.servers[0].clientPort, {
          runs: quick ? 3 : 5,
          expandRuns: 3,
          bigChildren: quick ? 20_000 : 100_000,
          expandNodes: quick ? 200 : 1000,
          log,
        });
        results.cases.bigNode = r.bigNode;
        results.cases.expands = r.expands;
      });
      const subtree = { runs: 3, log, ...(quick ? { folders: 10, leavesPerFolder: 499 } : {}) };
      await runCase('subtree read (walk)', async () => {
        results.cases.walk = await benchWalk(s.connectString, subtree);
      });
      await runCase('subtree read with data (multiRead walk, search)', async () => {
        results.cases.walkData = await benchWalkData(s.connectString, { runs: quick ? 3 : 5, log, ...(quick ? { folders: 10, leavesPerFolder: 499 } : {}) });
      });
      await runCase('recursive delete', async () => {
        results.cases.delete = await benchRecursiveDelete(s.connectString, subtree);
      });
      await runCase('config as code: pull and plan', async () => {
        results.cases.configAsCode = await benchConfigAsCode(s.connectString, subtree);
      });
      await runCase('watches', async () => {
        const samples = quick ? 20 : 50;
        const ours = await benchWatches(s.connectString, { latencySamples: samples, burstChanges: quick ? 2000 : 10_000, log });
        const raw = await benchRawWatchLatency(s.connectString, samples);
        log(`raw node-zookeeper-client watch: median ${raw.medianMs} ms, p99 ${raw.p99Ms} ms`);
        results.cases.watches = { ...ours, raw };
      });
    } finally {
      await s.close();
    }
  }

  await runCase('getData throughput, 3-node ensemble', async () => {
    const ensemble = await ZkCluster.startEnsemble(3);
    try {
      await waitForLeader(ensemble);
      // One follower, for both clients (most sessions of an ensemble are on followers).
      const leader = await ensemble.leaderId();
      const member = ensemble.servers.find((x) => x.id !== leader) ?? ensemble.servers[0];
      const memberMode = await ensemble.mode(member.id);
      log(`ensemble at ${ensemble.connectString}; both clients on server ${member.id} (${memberMode})`);
      const r = await benchGetData(member.address, { runs: quick ? 3 : 5, sequentialOps: quick ? 300 : 1000, pipelinedOps: quick ? 3000 : 10_000, log });
      results.cases.getDataEnsemble = { ...r, memberMode };
    } finally {
      await ensemble.close();
    }
  });

  await runCase('transaction logs and snapshots (issue 18)', async () => {
    results.cases.persistence = await benchPersistence({ runs: quick ? 3 : 5, logMiB: quick ? 32 : 200, snapshotChildren: quick ? 20_000 : 100_000, log });
  });

  await runCase('Show History over 1 GB of transaction logs (issue 18)', async () => {
    results.cases.history = await benchHistory({ runs: 3, logMiB: quick ? 128 : 1024, log });
  });

  await runCase('health polling, 3-node ensemble', async () => {
    results.cases.health = await benchHealthPolling({ durationMs: quick ? 10_000 : 20_000, serverBaseline: true, log });
  });
}

async function waitForLeader(cluster: ZkCluster): Promise<void> {
  for (let i = 0; i < 100 && (await cluster.leaderId()) === undefined; i++) await new Promise((r) => setTimeout(r, 100));
}

// --- the table ---------------------------------------------------------------------------------

function table(): Row[] {
  const c = results.cases;
  const rows: Row[] = [];
  const failed = (name: string, what: string) => results.errors[name] !== undefined && rows.push({ case: what, ours: 'failed', reference: '', ratio: '', note: results.errors[name].split('\n')[0] });

  for (const [g, where, caseName] of [
    [c.getDataStandalone, 'standalone', 'getData throughput, standalone'],
    [c.getDataEnsemble, '3-node ensemble (follower)', 'getData throughput, 3-node ensemble'],
  ] as const) {
    if (!g) {
      failed(caseName, `getData, ${where}`);
      continue;
    }
    rows.push(throughputRow(`getData one at a time, ${where}`, g.sequentialOps, g.oursSequential, g.rawSequential, 'raw node-zookeeper-client'));
    rows.push(throughputRow(`getData pipelined (${g.window} in flight), ${where}`, g.pipelinedOps, g.oursPipelined, g.rawPipelined, 'raw node-zookeeper-client'));
  }

  if (c.walk) {
    const w = c.walk;
    rows.push(timeRow(`read a ${fmtInt(w.nodes)}-node subtree`, w.ours, w.oneAtATime, 'one request at a time (ZooInspector-style)'));
    rows.push(timeRow(`read a ${fmtInt(w.nodes)}-node subtree`, w.ours, w.zkCliLsR, `zkCli.sh ls -R (JVM start alone: ${fmtMs(w.zkCliStartup.medianMs)})`));
    if (w.oursNames) {
      rows.push(timeRow(`  its paths only (delete, count: multiRead batches)`, w.oursNames, w.oneAtATime, 'one request at a time (ZooInspector-style)'));
      rows.push(timeRow(`  its paths only (delete, count: multiRead batches)`, w.oursNames, w.zkCliLsR, 'zkCli.sh ls -R'));
    }
  } else failed('subtree read (walk)', 'read a 50,000-node subtree');

  if (c.walkData) {
    const d = c.walkData;
    const n = fmtInt(d.nodes);
    rows.push(timeRow(`read a ${n}-node subtree with data (multiRead)`, d.oursMultiRead, d.rawPipelined, 'raw client walk, 256 in flight', 'goal ≤ 0.50×'));
    rows.push(timeRow(`  same, node by node (multiRead off: before)`, d.oursNodeByNode, d.rawPipelined, 'raw client walk, 256 in flight'));
    rows.push(timeRow(`search names in a ${n}-node subtree`, d.searchNames, d.oursNoData, 'our walk without data', 'goal ≤ 1.05×'));
    rows.push(timeRow(`search names + data in a ${n}-node subtree`, d.searchNamesAndData, d.oursMultiRead, 'our walk with data', 'goal ≤ 1.15×'));
    const f = d.searchFeel;
    if (f) {
      const g = SEARCH_FEEL_GOALS;
      const within = (x: number, goal: number) => (x <= goal ? 'within the goal' : 'OVER the goal');
      const first = Math.max(median(f.firstResultNamesMs), median(f.firstResultNamesAndDataMs));
      rows.push({ case: '  search: time to first result', ours: `${fmtMs(median(f.firstResultNamesAndDataMs))} names + data, ${fmtMs(median(f.firstResultNamesMs))} names`, reference: `goal ≤ ${fmtMs(g.firstResultMs)}`, ratio: ratio(first, g.firstResultMs), note: within(first, g.firstResultMs) });
      const block = Math.max(...f.longestBlockMs);
      rows.push({ case: '  search: longest event-loop block', ours: `${fmtMs(median(f.longestBlockMs))} (max ${fmtMs(block)})`, reference: `goal ≤ ${fmtMs(g.longestBlockMs)}`, ratio: ratio(block, g.longestBlockMs), note: `${within(block, g.longestBlockMs)}; names + data search streaming every node; the walk with data alone ${fmtMs(median(f.walkLongestBlockMs))} (max ${fmtMs(Math.max(...f.walkLongestBlockMs))})` });
      const heap = median(f.resultsHeapMiB);
      const heapGoal = (f.cap * g.heapKiBPerMatch) / 1024;
      rows.push({ case: `  search: heap held by ${fmtInt(f.cap)} results (the cap)`, ours: `${heap} MiB`, reference: `goal ≤ ${heapGoal.toFixed(1)} MiB (${g.heapKiBPerMatch} KiB per match)`, ratio: ratio(heap, heapGoal), note: `${within(heap, heapGoal)}; heap growth with them ${median(f.heapGrowthMiB)} MiB; stopped after ${fmtInt(f.cappedVisited)} of ${n} nodes${f.gcForced ? '' : '; no --expose-gc: approximate'}` });
    }
  } else failed('subtree read with data (multiRead walk, search)', 'read a 50,000-node subtree with data');

  if (c.configAsCode) {
    const k = c.configAsCode;
    for (const [what, s] of [['pull', k.pull], ['plan (one edit)', k.plan]] as const) {
      rows.push(timeRow(`config as code: ${what} of a ${fmtInt(k.nodes)}-node subtree`, s, k.walk, 'subtree walk (getChildren)', `vs the walk with data and ACLs ${fmtMs(k.walkWithDataAndAcl.medianMs)}: ${ratio(s.medianMs, k.walkWithDataAndAcl.medianMs)}; ${fmtInt(k.files)} files`));
    }
    rows.push(timeRow(`  its ${fmtInt(k.files)} files written alone (one thread, writeFileSync)`, k.rawWrites, k.walk, 'subtree walk (getChildren)', `what the file system costs here, in the same runs: the pull's floor is about the walk with data and ACLs plus this on 2 cores`));
  } else failed('config as code: pull and plan', 'config as code: pull and plan');

  if (c.bigNode) {
    const b = c.bigNode;
    rows.push(timeRow(`expand a node with ${fmtInt(b.children)} children to its first page (${b.pageSize} rows)`, b.expand, b.rawGetChildren, 'raw getChildren of the node', `${b.expandRequests} requests; ZkClient.getChildren alone ${fmtMs(b.oursGetChildren.medianMs)}`));
    const heldOurs = median(b.expandHeldMiB);
    const heldRaw = median(b.rawHeldMiB);
    rows.push({ case: `  heap held after that expand`, ours: `${heldOurs} MiB`, reference: `${heldRaw} MiB (raw children array)`, ratio: ratio(heldOurs, heldRaw), note: b.gcForced ? 'forced GC before and after' : 'no --expose-gc: approximate' });
    rows.push({ case: `  longest event-loop block during it`, ours: fmtMs(median(b.expandBlockMs)), reference: `${fmtMs(median(b.rawBlockMs))} (raw getChildren)`, ratio: ratio(median(b.expandBlockMs), median(b.rawBlockMs)), note: `max ${fmtMs(Math.max(...b.expandBlockMs))}; first page (pageOf) of the list alone ${fmtMs(median(b.pageMs))}, sortChildren ${fmtMs(median(b.sortMs))}` });
  } else failed('tree: 100,000 children, 1,000 expands', 'expand a node with 100,000 children');

  if (c.expands) {
    const e = c.expands;
    rows.push(timeRow(`expand ${fmtInt(e.nodes)} nodes (${e.childrenEach} children each) one after another`, e.ours, e.raw, `raw getChildren x${fmtInt(e.nodes)}`, `per expand ${fmtMs(e.ours.medianMs / e.nodes)} vs ${fmtMs(e.raw.medianMs / e.nodes)}; ZkClient.getChildren x${fmtInt(e.nodes)} ${fmtMs(e.oursGetChildren.medianMs)}`));
    rows.push({ case: '  requests per expand (counted by the server)', ours: String(e.oursRequestsPerExpand), reference: `${e.rawRequestsPerExpand} (raw getChildren)`, ratio: ratio(e.oursRequestsPerExpand, e.rawRequestsPerExpand) });
  }

  if (c.delete) {
    rows.push(timeRow(`delete a ${fmtInt(c.delete.nodes)}-node subtree`, c.delete.ours, c.delete.zkCliDeleteall, 'zkCli.sh deleteall (whole command)'));
  } else failed('recursive delete', 'delete a 50,000-node subtree');

  if (c.activation) {
    const a = c.activation;
    rows.push(timeRow(`activation, ${a.connections} connections (cold require + activate())`, a.ours, a.minimal, 'minimal extension, same harness', `require ${fmtMs(a.oursRequire.medianMs)} + activate ${fmtMs(a.oursActivate.medianMs)}`));
    rows.push({ case: '  size: dist/extension.js (production) / .vsix', ours: `${fmtKiB(a.bundleBytes)} / ${fmtKiB(a.vsixBytes)}`, reference: '—', ratio: '', note: `exact, no noise; heap after activation ${median(a.oursHeapMiB)} MiB (minimal ${median(a.minimalHeapMiB)} MiB)` });
  } else failed('activation and size', 'activation');

  if (c.watches) {
    const w = c.watches;
    rows.push({ case: 'node watch: change -> event', ours: `${fmtMs(w.nodeLatency.toEventMedianMs)} (p99 ${fmtMs(w.nodeLatency.toEventP99Ms)})`, reference: `${fmtMs(w.raw.medianMs)} (p99 ${fmtMs(w.raw.p99Ms)}) raw one-shot watch`, ratio: ratio(w.nodeLatency.toEventMedianMs, w.raw.medianMs), note: `to the log line (75 ms batching) ${fmtMs(w.nodeLatency.toLineMedianMs)}` });
    rows.push({ case: 'subtree watch: change -> event', ours: `${fmtMs(w.subtreeLatency.toEventMedianMs)} (p99 ${fmtMs(w.subtreeLatency.toEventP99Ms)})`, reference: `${fmtMs(w.raw.medianMs)} raw one-shot watch`, ratio: ratio(w.subtreeLatency.toEventMedianMs, w.raw.medianMs), note: `to the log line ${fmtMs(w.subtreeLatency.toLineMedianMs)}` });
    rows.push({ case: `watch burst: ${fmtInt(w.throughput.changes)} changes on ${fmtInt(w.throughput.nodes)} nodes`, ours: `${fmtInt(w.throughput.changesPerSec)} changes/s logged`, reference: `${fmtInt(w.throughput.writerOpsPerSec)} writes/s (the writer)`, ratio: ratio(w.throughput.writerOpsPerSec, w.throughput.changesPerSec), note: `${w.throughput.changesAccounted}/${w.throughput.changes} accounted, lag ${fmtMs(w.throughput.lagMs)}, loop delay p99 ${fmtMs(w.throughput.loopDelayP99Ms)}` });
  } else failed('watches', 'watches');

  if (c.health) {
    const h = c.health;
    const polling = h.serverCpuMs.reduce((n, s) => n + s.polling, 0);
    const idle = h.serverCpuMs.reduce((n, s) => n + (s.idle ?? 0), 0);
    rows.push({ case: `health polling (${h.intervalMs / 1000} s interval, ${h.durationMs / 1000 | 0} s): servers' CPU`, ours: `${polling} ms`, reference: `${idle} ms idle, same length`, ratio: ratio(polling, idle), note: `${h.rounds} rounds; /proc counts CPU in 10 ms ticks; this process ${h.cpuPercent}% of a core (${h.cpuMsPerRound} ms/round), probe median ${fmtMs(h.probeMs.median)}` });
  } else failed('health polling, 3-node ensemble', 'health polling');

  if (c.persistence) {
    const p = c.persistence;
    const mbps = (ms: number) => `${Math.round(p.logBytes / 1e3 / ms)} MB/s`;
    rows.push({ case: `parse a ${Math.round(p.logBytes / 2 ** 20)} MiB transaction log (${fmtInt(p.logRecords)} records)`, ours: `${mbps(p.parse.medianMs)} (${fmtSample(p.parse)})`, reference: `${mbps(p.rawRead.medianMs)} raw read in 1 MiB chunks`, ratio: ratio(p.parse.medianMs, p.rawRead.medianMs), note: `goal ≥ 100 MB/s; with data copied ${mbps(p.parseWithData.medianMs)}; read + Adler-32 alone ${mbps(p.adlerOnly.medianMs)}` });
    rows.push(timeRow(`read a snapshot of ${fmtInt(p.snapshotNodes)} nodes (${(p.snapshotBytes / 2 ** 20).toFixed(1)} MiB)`, p.snapshotRead, p.snapshotRawRead, 'raw read of the file', 'goal: first page in < 1.5 s (the whole tree is read)'));
  } else failed('transaction logs and snapshots (issue 18)', 'transaction logs and snapshots');
  if (c.history) {
    const h = c.history;
    rows.push(timeRow(`Show History of one node over ${Math.round(h.logBytes / 2 ** 20)} MiB of logs (${h.logFiles} files, ${fmtInt(h.records)} records, ${h.changes} changes)`, h.history, h.rawRead, 'raw read of the files', `goal < 10 s; CPU ${fmtSample(h.historyCpu)}; heap peak +${h.heapPeakMiB} MiB, rss ${h.rssPeakMiB} MiB`));
  } else failed('Show History over 1 GB of transaction logs (issue 18)', 'Show History over 1 GB of logs');
  return rows;
}

function timeRow(name: string, ours: Sample, ref: Sample, refName: string, note?: string): Row {
  return { case: name, ours: fmtSample(ours), reference: `${fmtSample(ref)} ${refName}`, ratio: ratio(ours.medianMs, ref.medianMs), note };
}

function throughputRow(name: string, ops: number, ours: Sample, ref: Sample, refName: string): Row {
  const rate = (s: Sample) => `${fmtRate((ops * 1000) / s.medianMs)} ops/s (${fmtRate((ops * 1000) / s.maxMs)}–${fmtRate((ops * 1000) / s.minMs)})`;
  return { case: name, ours: rate(ours), reference: `${rate(ref)} ${refName}`, ratio: ratio(ours.medianMs, ref.medianMs), note: `${fmtMs((ours.medianMs * 1000) / ops)} µs vs ${fmtMs((ref.medianMs * 1000) / ops)} µs per op`.replace(/ ms/g, '') };
}

const fmtSample = (s: Sample) => `${fmtMs(s.medianMs)} (${fmtMs(s.minMs)}–${fmtMs(s.maxMs)})`;
function fmtMs(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}
const fmtRate = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)}k` : String(Math.round(v)));
const fmtInt = (v: number) => v.toLocaleString('en');
const fmtKiB = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return round2(s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2);
}

function printTable(rows: Row[]): void {
  const head: Row = { case: 'case', ours: 'ours: median (min–max)', reference: 'reference, same run', ratio: 'ours/ref', note: 'note' };
  const all = [head, ...rows];
  const w = (k: keyof Row) => Math.max(...all.map((r) => (r[k] ?? '').length));
  const widths = { case: w('case'), ours: w('ours'), reference: w('reference'), ratio: w('ratio') };
  const line = (r: Row) => `${r.case.padEnd(widths.case)} │ ${r.ours.padEnd(widths.ours)} │ ${r.reference.padEnd(widths.reference)} │ ${r.ratio.padStart(widths.ratio)} │ ${r.note ?? ''}`;
  console.log('\n' + line(head));
  console.log('─'.repeat(widths.case + widths.ours + widths.reference + widths.ratio + 12) + '─'.repeat(10));
  for (const r of rows) console.log(line(r));
}

function markdown(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return ['| case | ours: median (min–max) | reference, same run | ours/ref |', '| --- | --- | --- | ---: |', ...rows.map((r) => `| ${esc(r.case.trim())} | ${esc(r.ours)} | ${esc(r.reference)} | ${r.ratio} |`)].join('\n');
}

// --- machine -----------------------------------------------------------------------------------

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  let java: string | undefined;
  try {
    const r = spawnSync(findZooKeeper().java, ['-version'], { encoding: 'utf8' });
    java = (r.stderr || r.stdout).split('\n')[0]?.trim();
  } catch {
    java = undefined;
  }
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: round2(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    java,
    loadAverageStart: os.loadavg().map((v) => round2(v)),
  };
}

const elapsed = () => Math.round((performance.now() - startedAt) / 1000);

async function finish(): Promise<void> {
  await stopAllClusters();
  results.machine.loadAverageEnd = os.loadavg().map((v) => round2(v));
  results.benchSeconds = Math.round((performance.now() - startedAt) / 1000);
  const outer = Number(process.env.BENCH_STARTED_AT);
  results.totalSeconds = Number.isFinite(outer) && outer > 0 ? Math.round((Date.now() - outer) / 1000) : results.benchSeconds;
  const rows = table();
  results.table = rows;
  printTable(rows);
  console.log(`\nRatios are ours / reference in time (per operation for throughputs): below 1× ours is faster or smaller.`);
  console.log(`Load average ${(results.machine.loadAverageStart as number[]).join(' ')} at the start, ${(results.machine.loadAverageEnd as number[]).join(' ')} at the end; ${results.machine.cores} cores.`);
  console.log(`\nMarkdown:\n\n${markdown(rows)}\n`);
  const file = join(ROOT, 'bench', 'results.json');
  writeFileSync(file + '.tmp', JSON.stringify({ ...results, markdown: markdown(rows) }, null, 2) + '\n');
  renameSync(file + '.tmp', file);
  const failures = Object.keys(results.errors);
  console.log(`Wrote bench/results.json. Benchmarks took ${results.benchSeconds} s (${results.totalSeconds} s with the build).${failures.length ? ` FAILED: ${failures.join(', ')}` : ''}`);
  process.exitCode = failures.length ? 1 : 0;
}

main()
  .catch((e: unknown) => {
    results.errors.run = e instanceof Error ? (e.stack ?? e.message) : String(e);
    console.error(e);
  })
  .then(finish)
  .catch(async (e: unknown) => {
    console.error(e);
    await stopAllClusters();
    process.exitCode = 1;
  })
  .finally(() => {
    // Anything left (a client's timer) must not keep the run going once everything is stopped.
    setTimeout(() => process.exit(), 500).unref();
  });
