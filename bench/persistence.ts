// Issue 18's numbers: transaction-log parsing in MB/s next to a raw read of the same file (and the
// Adler-32 pass alone), and a snapshot of a 100,000-child tree read next to a raw read of the file.
// The files are real: a standalone 3.8 server writes a log (setData of 1 KiB values, creates,
// multis) and a snapshot; the log's records are repeated (unchanged, so every checksum holds) into
// a file of the size asked, because a real server needs minutes to write 200 MB.
// Show History over ~1 GB of logs (benchHistory): synthetic logs from our own encoder
// (bench/txnLogWriter.ts, increasing zxids), one node's history next to a raw read of the same files,
// with the heap's peak. Alone: node --expose-gc out/bench/persistence.js --history-only [MiB]
import { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZkClient } from '../src/zk/client';
import { adler32, listDataDir, nodeHistory, readSnapshot, TxnLogReader } from '../src/zk/persistence';
import { ZkCluster } from '../test/harness/zookeeper';
import { gc, sample, type Sample } from './stats';
import { writeSyntheticLogs } from './txnLogWriter';

export interface PersistenceBench {
  logBytes: number;
  logRecords: number;
  parse: Sample;
  parseWithData: Sample;
  rawRead: Sample;
  adlerOnly: Sample;
  snapshotNodes: number;
  snapshotBytes: number;
  snapshotRead: Sample;
  snapshotRawRead: Sample;
}

interface Options {
  runs: number;
  logMiB: number;
  snapshotChildren: number;
  log: (line: string) => void;
}

export async function benchPersistence(opts: Options): Promise<PersistenceBench> {
  const scratch = mkdtempSync(join(tmpdir(), 'zk-bench-persistence-'));
  const cluster = await ZkCluster.startStandalone({ extraConfig: { snapCount: '1000000' } });
  try {
    const c = new ZkClient({ connectString: cluster.connectString });
    await c.connect();
    const value = Buffer.alloc(1024, 0x61);
    await c.create('/bench', value);
    for (let i = 0; i < 500; i++) await c.create(`/bench/n${i}`, value.subarray(0, i % 200));
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 3000; i++) writes.push(c.setData(`/bench/n${i % 500}`, value, -1));
    for (let i = 0; i < 100; i++) writes.push(c.multi([{ type: 'setData', path: '/bench', data: value }, { type: 'create', path: `/bench/m${i}`, data: value }]));
    await Promise.all(writes);
    // the snapshot: a node with many children, then a restart (ZooKeeper snapshots on start-up)
    await c.create('/big', Buffer.alloc(0));
    const batch = 1000;
    for (let i = 0; i < opts.snapshotChildren; i += batch) {
      const ops = [];
      for (let j = i; j < Math.min(i + batch, opts.snapshotChildren); j++) ops.push({ type: 'create' as const, path: `/big/child-${String(j).padStart(6, '0')}`, data: Buffer.from(`v${j}`) });
      await c.multi(ops);
    }
    await c.close();
    await cluster.stop(1);
    await cluster.start(1);
    await cluster.stop(1);
    const files = await listDataDir(cluster.servers[0].dataDir);
    const firstLog = files.find((f) => f.kind === 'log');
    const lastSnap = files.filter((f) => f.kind === 'snapshot').pop();
    if (!firstLog || !lastSnap) throw new Error('the server wrote no log or snapshot');

    // the big log: header + the real records repeated
    const reader = await TxnLogReader.open(firstLog.path, { keepData: false });
    let start = Infinity;
    let end = 0;
    for await (const e of reader.entries()) {
      start = Math.min(start, e.offset);
      end = e.offset + e.size;
    }
    const real = readFileSync(firstLog.path);
    const records = real.subarray(start, end);
    const copies = Math.max(1, Math.ceil((opts.logMiB << 20) / records.length));
    const bigLog = join(scratch, 'log.1');
    const fd = openSync(bigLog, 'w');
    try {
      writeFileSync(fd, real.subarray(0, start));
      for (let i = 0; i < copies; i++) writeFileSync(fd, records);
    } finally {
      closeSync(fd);
    }
    const logBytes = statSync(bigLog).size;
    opts.log(`log: ${(logBytes / 2 ** 20).toFixed(1)} MiB (${copies} copies of ${reader.count} real records)`);

    let logRecords = 0;
    const parseRuns: number[] = [];
    const parseDataRuns: number[] = [];
    const rawRuns: number[] = [];
    const adlerRuns: number[] = [];
    for (let r = 0; r < opts.runs; r++) {
      rawRuns.push(time(() => rawRead(bigLog)));
      adlerRuns.push(time(() => rawRead(bigLog, true)));
      parseRuns.push(await timeAsync(async () => (logRecords = await parseAll(bigLog, false))));
      parseDataRuns.push(await timeAsync(async () => void (await parseAll(bigLog, true))));
      const mbps = (ms: number) => ((logBytes / 1e6 / ms) * 1000).toFixed(0);
      opts.log(`run ${r + 1}: parse ${mbps(parseRuns[r])} MB/s (with data ${mbps(parseDataRuns[r])}), raw read ${mbps(rawRuns[r])} MB/s, read + Adler-32 ${mbps(adlerRuns[r])} MB/s`);
    }

    const snapshotBytes = statSync(lastSnap.path).size;
    let snapshotNodes = 0;
    const snapRuns: number[] = [];
    const snapRawRuns: number[] = [];
    for (let r = 0; r < opts.runs; r++) {
      snapRawRuns.push(time(() => rawRead(lastSnap.path)));
      snapRuns.push(await timeAsync(async () => (snapshotNodes = (await readSnapshot(lastSnap.path)).nodes.size)));
    }
    opts.log(`snapshot: ${snapshotNodes} nodes, ${(snapshotBytes / 2 ** 20).toFixed(1)} MiB, read in ${snapRuns.map((x) => x.toFixed(0)).join(', ')} ms`);
    return {
      logBytes,
      logRecords,
      parse: sample('parse log (no data copies)', parseRuns),
      parseWithData: sample('parse log (data copied)', parseDataRuns),
      rawRead: sample('raw read, 1 MiB chunks', rawRuns),
      adlerOnly: sample('raw read + Adler-32', adlerRuns),
      snapshotNodes,
      snapshotBytes,
      snapshotRead: sample('read snapshot', snapRuns),
      snapshotRawRead: sample('raw read of the snapshot file', snapRawRuns),
    };
  } finally {
    await cluster.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function parseAll(file: string, keepData: boolean): Promise<number> {
  const reader = await TxnLogReader.open(file, { keepData });
  for await (const _ of reader.entries());
  if (reader.damage) throw new Error(reader.damage.message);
  return reader.count;
}

function rawRead(file: string, checksum = false): void {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let sum = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      if (checksum) sum ^= adler32(buf, 0, n);
    }
  } finally {
    closeSync(fd);
  }
  if (sum === -1) console.log(sum); // keeps the checksum pass from being optimised away
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export interface HistoryBench {
  logBytes: number;
  logFiles: number;
  records: number;
  changes: number;
  generateMs: number;
  history: Sample;
  /** CPU time (user + system) of each Show History run: the machine is shared, wall time waits for others. */
  historyCpu: Sample;
  rawRead: Sample;
  /** Peak of heapUsed + arrayBuffers above the level before the scan, MiB (largest over the runs). */
  heapPeakMiB: number;
  rssPeakMiB: number;
}

/** Show History of one node over `logMiB` of logs (64 MiB files), next to a raw read of the files. */
export async function benchHistory(opts: { runs: number; logMiB: number; log: (line: string) => void }): Promise<HistoryBench> {
  const scratch = mkdtempSync(join(tmpdir(), 'zk-bench-history-'));
  try {
    const target = '/bench/history/config';
    const t0 = performance.now();
    const logs = writeSyntheticLogs({ dir: scratch, totalBytes: opts.logMiB * 2 ** 20, fileBytes: 64 << 20, target, targetEvery: 1200, paths: 5000, dataSizes: [64, 700, 1024, 2048, 300] });
    const generateMs = performance.now() - t0;
    opts.log(`logs: ${(logs.bytes / 2 ** 20).toFixed(0)} MiB in ${logs.files.length} files, ${logs.records.toLocaleString('en')} records, ${logs.targetData.length} changes to ${target} (written in ${(generateMs / 1000).toFixed(1)} s)`);
    const expected = [...logs.targetData].reverse();
    const historyRuns: number[] = [];
    const cpuRuns: number[] = [];
    const rawRuns: number[] = [];
    let heapPeak = 0;
    let rssPeak = 0;
    for (let r = 0; r < opts.runs; r++) {
      rawRuns.push(time(() => logs.files.forEach((f) => rawRead(f))));
      gc();
      const base = process.memoryUsage();
      const baseHeap = base.heapUsed + base.arrayBuffers;
      let peak = 0;
      let peakRss = 0;
      let calls = 0;
      const measure = () => {
        const m = process.memoryUsage();
        peak = Math.max(peak, m.heapUsed + m.arrayBuffers - baseHeap);
        peakRss = Math.max(peakRss, m.rss);
      };
      let versions: string[] = [];
      const cpu0 = process.cpuUsage();
      historyRuns.push(
        await timeAsync(async () => {
          const h = await nodeHistory(logs.files, target, { cancelled: () => (++calls % 2000 === 0 && measure(), false) });
          measure();
          if (h.damages.length || h.unreadable.length || h.recordsScanned !== logs.records) throw new Error(`history scan: ${h.recordsScanned} of ${logs.records} records, ${JSON.stringify(h.damages.concat())}`);
          versions = h.versions.map((v) => v.data?.toString() ?? '');
        }),
      );
      const cpu = process.cpuUsage(cpu0);
      cpuRuns.push((cpu.user + cpu.system) / 1000);
      if (versions.length !== expected.length || versions.some((v, i) => v !== expected[i])) throw new Error(`history found ${versions.length} versions, expected ${expected.length}`);
      heapPeak = Math.max(heapPeak, peak);
      rssPeak = Math.max(rssPeak, peakRss);
      const mbps = (ms: number) => ((logs.bytes / 1e6 / ms) * 1000).toFixed(0);
      opts.log(`run ${r + 1}: Show History ${(historyRuns[r] / 1000).toFixed(2)} s (${mbps(historyRuns[r])} MB/s; CPU ${(cpuRuns[r] / 1000).toFixed(2)} s, ${mbps(cpuRuns[r])} MB/s), raw read ${(rawRuns[r] / 1000).toFixed(2)} s; heap peak +${(peak / 2 ** 20).toFixed(1)} MiB, rss ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
    }
    return {
      logBytes: logs.bytes,
      logFiles: logs.files.length,
      records: logs.records,
      changes: logs.targetData.length,
      generateMs: Math.round(generateMs),
      history: sample('Show History of one node', historyRuns),
      historyCpu: sample('CPU time of Show History', cpuRuns),
      rawRead: sample('raw read of the logs, 1 MiB chunks', rawRuns),
      heapPeakMiB: Math.round((heapPeak / 2 ** 20) * 10) / 10,
      rssPeakMiB: Math.round(rssPeak / 2 ** 20),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv.includes('--history-only')) {
  const mib = Number(process.argv[process.argv.indexOf('--history-only') + 1]) || 1024;
  benchHistory({ runs: 3, logMiB: mib, log: (l) => console.log(`  ${l}`) }).then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
