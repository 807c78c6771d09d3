// Benchmark of the watch log (src/zk/watches) against a real server, with a second, independent
// session making the changes:
//   latency     change by the other client -> its line written by the channel's sink. One change
//               at a time, so that each is measured alone; reported for a node watch and for a
//               subtree (persistent recursive) watch, to the event (manager output) and to the
//               line (after the sink's batching, which is what a user sees).
//   throughput  a burst of setData on many nodes of a watched subtree, as fast as the writer can
//               (pipelined): changes accounted for per second by the channel, lines per second,
//               how far the channel lags behind the writer, and the event-loop delay meanwhile
//               (the extension host must not be blocked).
//   hotNode     many rapid updates to one watched node: every version accounted for, how many
//               lines and reads that took (coalescing).
// The "channel" is a stand-in for the LogOutputChannel: it formats every line and keeps it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ZkClient, type MultiOp } from '../src/zk/client';
import { EnsembleConnection } from '../src/zk/ensembleConnection';
import { BatchingSink, WatchManager, formatWatchEvent, type ChangeEvent, type WatchLogEvent } from '../src/zk/watches';

export interface LatencySample {
  samples: number;
  /** From the writer's setData call to the line written by the channel's sink (ms). */
  toLineMedianMs: number;
  toLineP99Ms: number;
  toLineMaxMs: number;
  /** From the writer's call to the manager's event, before batching (ms). */
  toEventMedianMs: number;
  toEventP99Ms: number;
}

export interface ThroughputSample {
  changes: number;
  nodes: number;
  /** setData acknowledged per second by the writer (the load offered). */
  writerOpsPerSec: number;
  /** Changes accounted for (sum of each line's change count) per second, first write to last line. */
  changesPerSec: number;
  linesPerSec: number;
  lines: number;
  changesAccounted: number;
  /** Last line written after the last write was acknowledged (ms). */
  lagMs: number;
  dropped: number;
  /** Event-loop delay during the burst (ms): how long other work could be held up. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export interface HotNodeSample {
  updates: number;
  changesAccounted: number;
  lines: number;
  coalescedLines: number;
  reads: number;
  ms: number;
}

export interface SinkCapacitySample {
  events: number;
  /** Events formatted and written per second by the sink alone (no ZooKeeper involved). */
  eventsPerSec: number;
  /** Longest single write of a batch (ms): the longest the extension host is held at once. */
  maxBatchMs: number;
  dropped: number;
}

export interface WatchBench {
  nodeLatency: LatencySample;
  subtreeLatency: LatencySample;
  throughput: ThroughputSample;
  hotNode: HotNodeSample;
  sinkCapacity: SinkCapacitySample;
}

export interface WatchBenchOptions {
  latencySamples?: number;
  burstNodes?: number;
  burstChanges?: number;
  hotUpdates?: number;
  /** The sink's batching interval (ms), as in the extension (75). */
  intervalMs?: number;
  log?: (line: string) => void;
}

export async function benchWatches(connectString: string, opts: WatchBenchOptions = {}): Promise<WatchBench> {
  const log = opts.log ?? (() => undefined);
  const root = `/bench-watches-${process.pid}-${Date.now()}`;
  const writer = new ZkClient({ connectString, name: 'bench-writer' });
  await writer.connect();
  const conn = new EnsembleConnection({ name: 'bench', connectString });
  await conn.open();
  const channel = new Channel(opts.intervalMs ?? 75);
  const mgr = new WatchManager(conn, (e) => channel.push(e));
  try {
    await writer.create(root);
    const nodeLatency = await latency(writer, mgr, channel, `${root}/node`, 'node', opts.latencySamples ?? 200);
    log(`node watch latency: median ${nodeLatency.toLineMedianMs} ms, p99 ${nodeLatency.toLineP99Ms} ms (to event: ${nodeLatency.toEventMedianMs} / ${nodeLatency.toEventP99Ms} ms)`);
    const subtreeLatency = await latency(writer, mgr, channel, `${root}/sub`, 'subtree', opts.latencySamples ?? 200);
    log(`subtree watch latency: median ${subtreeLatency.toLineMedianMs} ms, p99 ${subtreeLatency.toLineP99Ms} ms`);
    const throughput = await burst(writer, mgr, channel, `${root}/burst`, opts.burstNodes ?? 1000, opts.burstChanges ?? 10_000);
    log(`burst: ${throughput.changes} changes on ${throughput.nodes} nodes: writer ${throughput.writerOpsPerSec}/s, channel ${throughput.changesPerSec} changes/s in ${throughput.lines} lines, lag ${throughput.lagMs} ms, loop delay p99 ${throughput.loopDelayP99Ms} ms max ${throughput.loopDelayMaxMs} ms`);
    const hotNode = await hot(writer, mgr, channel, `${root}/hot`, opts.hotUpdates ?? 1000);
    log(`hot node: ${hotNode.updates} updates accounted ${hotNode.changesAccounted} in ${hotNode.lines} lines (${hotNode.coalescedLines} coalesced), ${hotNode.reads} reads`);
    const sinkCapacity = await sinkAlone(100_000);
    log(`sink alone: ${sinkCapacity.eventsPerSec} events/s formatted and written, longest batch ${sinkCapacity.maxBatchMs} ms`);
    return { nodeLatency, subtreeLatency, throughput, hotNode, sinkCapacity };
  } finally {
    mgr.dispose();
    channel.dispose();
    await removeTree(writer, root).catch(() => undefined);
    await conn.dispose();
    await writer.close();
  }
}

/** Stand-in for the LogOutputChannel: the extension's sink, formatting each line when written. */
class Channel {
  readonly sink: BatchingSink<WatchLogEvent>;
  lines = 0;
  private listeners: ((e: WatchLogEvent, at: number) => void)[] = [];
  private emitted: ((e: WatchLogEvent, at: number) => void)[] = [];
  text: string[] = [];

  constructor(intervalMs: number) {
    this.sink = new BatchingSink<WatchLogEvent>(
      (batch) => {
        const at = performance.now();
        for (const e of batch) {
          this.text.push(formatWatchEvent(e));
          this.lines++;
          for (const l of this.listeners) l(e, at);
        }
        if (this.text.length > 10_000) this.text = this.text.slice(-1000);
      },
      (gap) => ({ kind: 'notice', time: gap.lastMs, connection: '*', level: 'warn', message: `${gap.count} events dropped` }),
      { intervalMs },
    );
  }

  push(e: WatchLogEvent): void {
    const at = performance.now();
    for (const l of this.emitted) l(e, at);
    this.sink.push(e);
  }

  onLine(l: (e: WatchLogEvent, at: number) => void): () => void {
    this.listeners.push(l);
    return () => (this.listeners = this.listeners.filter((x) => x !== l));
  }

  onEvent(l: (e: WatchLogEvent, at: number) => void): () => void {
    this.emitted.push(l);
    return () => (this.emitted = this.emitted.filter((x) => x !== l));
  }

  dispose(): void {
    this.sink.dispose();
  }
}

async function latency(writer: ZkClient, mgr: WatchManager, channel: Channel, path: string, kind: 'node' | 'subtree', samples: number): Promise<LatencySample> {
  const target = kind === 'node' ? path : `${path}/leaf`;
  if (kind === 'node') await writer.create(path, Buffer.from('0'));
  else {
    await writer.create(path);
    await writer.create(target, Buffer.from('0'));
  }
  await mgr.add(path, kind);
  await mgr.whenIdle();
  const toEvent: number[] = [];
  const toLine: number[] = [];
  // The first 5 changes warm up (and prove the watch works); the rest are measured.
  for (let i = 1; i <= samples + 5; i++) {
    let started = 0;
    let eventAt = 0;
    const isMine = (e: WatchLogEvent) => e.kind === 'change' && e.path === target && e.type === 'dataChanged' && (e as ChangeEvent).version === i;
    const line = new Promise<number>((resolve) => {
      const offEvent = channel.onEvent((e, at) => {
        if (isMine(e)) {
          eventAt = at;
          offEvent();
        }
      });
      const off = channel.onLine((e, at) => {
        if (isMine(e)) {
          off();
          resolve(at);
        }
      });
    });
    started = performance.now();
    await writer.setData(target, Buffer.from(String(i)), -1);
    const at = await withTimeout(line, 10_000, `the line for version ${i} of ${target}`);
    if (i > 5) {
      toLine.push(at - started);
      toEvent.push(eventAt - started);
    }
  }
  await mgr.remove(path, kind);
  return {
    samples,
    toLineMedianMs: round(percentile(toLine, 50)),
    toLineP99Ms: round(percentile(toLine, 99)),
    toLineMaxMs: round(Math.max(...toLine)),
    toEventMedianMs: round(percentile(toEvent, 50)),
    toEventP99Ms: round(percentile(toEvent, 99)),
  };
}

async function burst(writer: ZkClient, mgr: WatchManager, channel: Channel, root: string, nodes: number, changes: number): Promise<ThroughputSample> {
  await writer.create(root);
  const names = Array.from({ length: nodes }, (_, i) => `${root}/n${String(i).padStart(5, '0')}`);
  for (let i = 0; i < names.length; i += 500) {
    await writer.multi(names.slice(i, i + 500).map((p): MultiOp => ({ type: 'create', path: p, data: Buffer.from('v0') })));
  }
  await mgr.add(root, 'subtree');
  await mgr.whenIdle();
  await sleep(200); // let the sink write the "watching" line
  let accounted = 0;
  let lines = 0;
  let lastLineAt = 0;
  const off = channel.onLine((e, at) => {
    if (e.kind === 'change' && e.type === 'dataChanged' && e.path.startsWith(root + '/')) {
      accounted += e.changes ?? 1;
      lines++;
      lastLineAt = at;
    }
  });
  const droppedBefore = channel.sink.dropped;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  // Pipelined writes (the client bounds the number in flight).
  const writes: Promise<unknown>[] = [];
  for (let i = 0; i < changes; i++) writes.push(writer.setData(names[i % nodes], Buffer.from(`v${Math.floor(i / nodes) + 1}`), -1));
  await Promise.all(writes);
  const writtenAt = performance.now();
  const deadline = Date.now() + 60_000;
  while (accounted < changes && Date.now() < deadline) await sleep(20);
  loop.disable();
  off();
  await mgr.remove(root, 'subtree');
  const seconds = (lastLineAt - started) / 1000;
  return {
    changes,
    nodes,
    writerOpsPerSec: Math.round(changes / ((writtenAt - started) / 1000)),
    changesPerSec: Math.round(accounted / seconds),
    linesPerSec: Math.round(lines / seconds),
    lines,
    changesAccounted: accounted,
    lagMs: round(Math.max(0, lastLineAt - writtenAt)),
    dropped: channel.sink.dropped - droppedBefore,
    loopDelayP99Ms: round(loop.percentile(99) / 1e6),
    loopDelayMaxMs: round(loop.max / 1e6),
  };
}

async function hot(writer: ZkClient, mgr: WatchManager, channel: Channel, path: string, updates: number): Promise<HotNodeSample> {
  await writer.create(path, Buffer.from('v0'));
  await mgr.add(path, 'node');
  await mgr.whenIdle();
  let accounted = 0;
  let lines = 0;
  let coalesced = 0;
  const off = channel.onLine((e) => {
    if (e.kind === 'change' && e.type === 'dataChanged' && e.path === path) {
      accounted += e.changes ?? 1;
      lines++;
      if ((e.changes ?? 1) > 1) coalesced++;
    }
  });
  const readsBefore = mgr.stats().reads;
  const started = performance.now();
  const writes: Promise<unknown>[] = [];
  for (let i = 1; i <= updates; i++) writes.push(writer.setData(path, Buffer.from(`v${i}`), -1));
  await Promise.all(writes);
  const deadline = Date.now() + 30_000;
  while (accounted < updates && Date.now() < deadline) await sleep(20);
  off();
  await mgr.remove(path, 'node');
  return { updates, changesAccounted: accounted, lines, coalescedLines: coalesced, reads: mgr.stats().reads - readsBefore, ms: round(performance.now() - started) };
}

/** The sink and formatter alone: how many lines per second the channel side can take. */
async function sinkAlone(events: number): Promise<SinkCapacitySample> {
  let written = 0;
  let maxBatchMs = 0;
  const out: string[] = [];
  const sink = new BatchingSink<WatchLogEvent>(
    (batch) => {
      const t = performance.now();
      for (const e of batch) out.push(formatWatchEvent(e));
      written += batch.length;
      if (out.length > 10_000) out.length = 0;
      maxBatchMs = Math.max(maxBatchMs, performance.now() - t);
    },
    (gap) => ({ kind: 'notice', time: gap.lastMs, connection: '*', level: 'warn', message: `${gap.count} events dropped` }),
    { maxQueued: events + 1 },
  );
  const head = { head: Buffer.from('{"leader":"broker-1","epoch":41,"brokers":[1,2,3]}'), size: 52 };
  const after = { head: Buffer.from('{"leader":"broker-2","epoch":42,"brokers":[1,2,3]}'), size: 52 };
  const started = performance.now();
  for (let i = 0; i < events; i++) {
    sink.push({ kind: 'change', time: Date.now(), connection: 'bench', type: 'dataChanged', path: `/bench/n${i % 1000}`, prevVersion: i, version: i + 1, changes: 1, before: head, after });
    if (i % 5000 === 4999) await new Promise((r) => setImmediate(r));
  }
  while (written < events) await sleep(5);
  const seconds = (performance.now() - started) / 1000;
  sink.dispose();
  return { events, eventsPerSec: Math.round(events / seconds), maxBatchMs: round(maxBatchMs), dropped: sink.dropped };
}

async function removeTree(zk: ZkClient, path: string): Promise<void> {
  const { children } = await zk.getChildren(path);
  for (let i = 0; i < children.length; i += 64) await Promise.all(children.slice(i, i + 64).map((c) => removeTree(zk, `${path}/${c}`)));
  await zk.remove(path, -1);
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

const round = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
