// Unit tests of the batching sink: batches, bounded writes per turn, drops reported in place.
import * as assert from 'node:assert/strict';
import { BatchingSink, type DroppedRange } from '../../../src/zk/watches';

type Item = string;
const dropped = (r: DroppedRange): Item => `dropped ${r.count}`;
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('batching sink', () => {
  it('writes in batches after the interval, in order', async () => {
    const batches: Item[][] = [];
    const sink = new BatchingSink<Item>((b) => batches.push(b), dropped, { intervalMs: 20 });
    sink.push('a');
    sink.push('b');
    assert.equal(batches.length, 0, 'nothing written synchronously');
    await tick(40);
    sink.push('c');
    await tick(40);
    assert.deepEqual(batches, [['a', 'b'], ['c']]);
  });

  it('writes at most maxPerFlush per turn, the rest on the next turns', async () => {
    const batches: Item[][] = [];
    const sink = new BatchingSink<Item>((b) => batches.push(b), dropped, { intervalMs: 1, maxPerFlush: 3 });
    for (let i = 0; i < 8; i++) sink.push(String(i));
    await tick(20);
    assert.deepEqual(batches.map((b) => b.length), [3, 3, 2]);
    assert.deepEqual(batches.flat(), ['0', '1', '2', '3', '4', '5', '6', '7']);
  });

  it('drops beyond the bound and reports the gap where it happened, never blocking', async () => {
    const out: Item[] = [];
    const sink = new BatchingSink<Item>((b) => out.push(...b), dropped, { intervalMs: 5, maxQueued: 3 });
    for (let i = 0; i < 10; i++) sink.push(String(i));
    sink.push('late'); // still over the bound
    await tick(30);
    sink.push('after');
    await tick(30);
    assert.deepEqual(out, ['0', '1', '2', 'dropped 8', 'after']);
    assert.equal(sink.dropped, 8);
  });

  it('reports a gap at the end of a burst even when nothing follows it', async () => {
    const out: Item[] = [];
    const sink = new BatchingSink<Item>((b) => out.push(...b), dropped, { intervalMs: 5, maxQueued: 2 });
    for (let i = 0; i < 5; i++) sink.push(String(i));
    await tick(30);
    assert.deepEqual(out, ['0', '1', 'dropped 3']);
  });

  it('flush() writes everything now; a failing writer does not stop the sink', () => {
    const out: Item[] = [];
    let fail = true;
    const sink = new BatchingSink<Item>(
      (b) => {
        if (fail) {
          fail = false;
          throw new Error('boom');
        }
        out.push(...b);
      },
      dropped,
      { intervalMs: 1000 },
    );
    sink.push('x');
    sink.flush();
    sink.push('y');
    sink.flush();
    assert.deepEqual(out, ['y']);
    sink.dispose();
    sink.push('z');
    sink.flush();
    assert.deepEqual(out, ['y']);
  });
});
