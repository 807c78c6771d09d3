// Throughput of small getData: through our domain layer (ZkClient: deadlines, path checks, the
// in-flight bound, decoded stats, bytes as Uint8Array) vs the raw node-zookeeper-client it is built
// on, both against the same server (one member, so an ensemble's leader/follower split cannot make
// the two differ). Sequential: one request at a time, each awaited. Pipelined: the same driver keeps
// `window` requests outstanding for both clients (our client's own default bound is 1,000 too).
// Each run alternates blocks of both clients, so that noise from other processes hits both alike.
import { ZkClient } from '../src/zk/client';
import { closeRaw, connectRaw, rawGetData, sample, type RawClient, type Sample } from './stats';

export interface GetDataBench {
  server: string;
  sequentialOps: number;
  pipelinedOps: number;
  window: number;
  /** Time of a whole batch of `sequentialOps` / `pipelinedOps` requests, ms. */
  oursSequential: Sample;
  rawSequential: Sample;
  oursPipelined: Sample;
  rawPipelined: Sample;
}

export interface GetDataBenchOptions {
  runs?: number;
  sequentialOps?: number;
  pipelinedOps?: number;
  window?: number;
  log?: (line: string) => void;
}

/** `server` is one host:port (a single member). */
export async function benchGetData(server: string, opts: GetDataBenchOptions = {}): Promise<GetDataBench> {
  const runs = opts.runs ?? 5;
  const seqOps = roundTo(opts.sequentialOps ?? 1000, SEQ_BLOCKS);
  const pipeOps = roundTo(opts.pipelinedOps ?? 10_000, PIPE_BLOCKS);
  const window = opts.window ?? 1000;
  const log = opts.log ?? (() => undefined);
  const ours = new ZkClient({ connectString: server, name: 'bench', requestTimeoutMs: 60_000 });
  await ours.connect();
  let raw: RawClient | undefined;
  const path = `/bench-getdata-${process.pid}-${Date.now()}`;
  try {
    raw = await connectRaw(server);
    const r = raw;
    await ours.create(path, Buffer.from('0123456789abcdef'));
    const oursOp = async () => {
      const { data } = await ours.getData(path);
      if (data.byteLength !== 16) throw new Error('getData (ours): wrong data');
    };
    const rawOp = async () => {
      const data = await rawGetData(r, path);
      if (data.length !== 16) throw new Error('getData (raw): wrong data');
    };
    // Warm-up (JIT, socket buffers), not timed.
    await sequential(200, oursOp);
    await sequential(200, rawOp);
    await pipelined(2000, window, oursOp);
    await pipelined(2000, window, rawOp);

    // Each run is split into blocks that alternate between the two clients (ours, raw, raw, ours,
    // ...), so that a burst of load from other processes lands on both alike; a run's time per
    // client is the sum of its blocks.
    const seqBlock = Math.max(1, Math.floor(seqOps / SEQ_BLOCKS));
    const pipeBlock = Math.max(window, Math.floor(pipeOps / PIPE_BLOCKS));
    const t = { oursSeq: [] as number[], rawSeq: [] as number[], oursPipe: [] as number[], rawPipe: [] as number[] };
    for (let i = 0; i < runs; i++) {
      const [os, rs] = await alternate(SEQ_BLOCKS, () => sequential(seqBlock, oursOp), () => sequential(seqBlock, rawOp));
      const [op, rp] = await alternate(PIPE_BLOCKS, () => pipelined(pipeBlock, window, oursOp), () => pipelined(pipeBlock, window, rawOp));
      t.oursSeq.push(os);
      t.rawSeq.push(rs);
      t.oursPipe.push(op);
      t.rawPipe.push(rp);
      log(
        `run ${i + 1}/${runs}: sequential ours ${opsPerSec(seqOps, os)}/s raw ${opsPerSec(seqOps, rs)}/s; ` +
          `pipelined ours ${opsPerSec(pipeOps, op)}/s raw ${opsPerSec(pipeOps, rp)}/s`,
      );
    }
    return {
      server,
      sequentialOps: seqOps,
      pipelinedOps: pipeOps,
      window,
      oursSequential: sample(`ZkClient.getData x${seqOps}, one at a time`, t.oursSeq),
      rawSequential: sample(`node-zookeeper-client getData x${seqOps}, one at a time`, t.rawSeq),
      oursPipelined: sample(`ZkClient.getData x${pipeOps}, ${window} in flight`, t.oursPipe),
      rawPipelined: sample(`node-zookeeper-client getData x${pipeOps}, ${window} in flight`, t.rawPipe),
    };
  } finally {
    await ours.remove(path, -1).catch(() => undefined);
    await ours.close();
    if (raw) await closeRaw(raw);
  }
}

const SEQ_BLOCKS = 10;
const PIPE_BLOCKS = 5;
const roundTo = (n: number, blocks: number) => Math.max(blocks, Math.round(n / blocks) * blocks);

/** Runs `blocks` blocks of each, alternating which goes first; total time of each, ms. */
async function alternate(blocks: number, a: () => Promise<void>, b: () => Promise<void>): Promise<[number, number]> {
  let ta = 0;
  let tb = 0;
  for (let k = 0; k < blocks; k++) {
    if (k % 2 === 0) {
      ta += await timed(a);
      tb += await timed(b);
    } else {
      tb += await timed(b);
      ta += await timed(a);
    }
  }
  return [ta, tb];
}

async function sequential(n: number, op: () => Promise<void>): Promise<void> {
  for (let i = 0; i < n; i++) await op();
}

/** Keeps `window` requests outstanding until `n` have been made. */
async function pipelined(n: number, window: number, op: () => Promise<void>): Promise<void> {
  let issued = 0;
  const worker = async () => {
    while (issued < n) {
      issued++;
      await op();
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, n) }, worker));
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export const opsPerSec = (ops: number, ms: number) => Math.round((ops * 1000) / ms);
