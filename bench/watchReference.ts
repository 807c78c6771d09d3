// The reference for bench/watches.ts's latency: what node-zookeeper-client alone gives. One raw
// session keeps a one-shot data watch on a node (getData with a watcher, re-armed after each event);
// another raw session changes the node; measured from the writer's setData call to the watcher's
// callback. One change at a time, as in benchWatches.
import { closeRaw, connectRaw, percentile, round2, type RawClient } from './stats';

export interface RawWatchLatency {
  samples: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

export async function benchRawWatchLatency(connectString: string, samples = 50): Promise<RawWatchLatency> {
  let watcher: RawClient | undefined;
  let writer: RawClient | undefined;
  const path = `/bench-rawwatch-${process.pid}-${Date.now()}`;
  try {
    watcher = await connectRaw(connectString);
    writer = await connectRaw(connectString);
    const w = watcher;
    const wr = writer;
    await new Promise<void>((resolve, reject) => wr.create(path, Buffer.from('0'), (err) => (err ? reject(err) : resolve())));
    const latencies: number[] = [];
    for (let i = 1; i <= samples + 5; i++) {
      // Arm the watch (its reply arrives before we change the node).
      // (Wrapped in an object: resolving with a promise would wait for the event itself.)
      const { fired } = await new Promise<{ fired: Promise<number> }>((armed, reject) => {
        let fire: (at: number) => void = () => undefined;
        const event = new Promise<number>((r) => (fire = r));
        w.getData(
          path,
          () => fire(performance.now()),
          (err) => (err ? reject(err) : armed({ fired: event })),
        );
      });
      const started = performance.now();
      await new Promise<void>((resolve, reject) => wr.setData(path, Buffer.from(String(i)), -1, (err) => (err ? reject(err) : resolve())));
      const at = await withTimeout(fired, 10_000);
      if (i > 5) latencies.push(at - started);
    }
    return {
      samples,
      medianMs: round2(percentile(latencies, 50)),
      p99Ms: round2(percentile(latencies, 99)),
      maxMs: round2(Math.max(...latencies)),
    };
  } finally {
    if (writer) {
      const wr = writer;
      await new Promise<void>((resolve) => wr.remove(path, -1, () => resolve()));
      await closeRaw(wr);
    }
    if (watcher) await closeRaw(watcher);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`raw watch: no event within ${ms} ms`)), ms);
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
