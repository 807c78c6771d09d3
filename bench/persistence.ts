// Issue 18's numbers: transaction-log parsing in MB/s next to a raw read of the same file (and the
// Adler-32 pass alone), and a snapshot of a 100,000-child tree read next to a raw read of the file.
// The files are real: a standalone 3.8 server writes a log (setData of 1 KiB values, creates,
// multis) and a snapshot; the log's records are repeated (unchanged, so every checksum holds) into
// a file of the size asked, because a real server needs minutes to write 200 MB.
import { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZkClient } from '../src/zk/client';
import { adler32, listDataDir, readSnapshot, TxnLogReader } from '../src/zk/persistence';
import { ZkCluster } from '../test/harness/zookeeper';
import { sample, type Sample } from './stats';

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
