import * as assert from 'node:assert/strict';
import { CoalescedListings } from '../../src/zk/coalescedListing';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('coalesced child listings', () => {
  it('100 requests during a listing: one in flight, one queued, every caller answered', async () => {
    const c = new CoalescedListings<number>();
    const gates: ReturnType<typeof deferred<number>>[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const fetch = () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const d = deferred<number>();
      gates.push(d);
      return d.promise.finally(() => inFlight--);
    };
    const first = c.list('/big', fetch);
    const later = Array.from({ length: 100 }, () => c.list('/big', fetch));
    assert.equal(gates.length, 1);
    gates[0].resolve(1);
    assert.equal(await first, 1);
    await new Promise((r) => setImmediate(r));
    assert.equal(gates.length, 2, 'the queued listing starts after the first');
    gates[1].resolve(2);
    assert.deepEqual(new Set(await Promise.all(later)), new Set([2]));
    assert.equal(c.started, 2);
    assert.equal(maxInFlight, 1);
    // Other nodes are not held up by this one.
    assert.equal(await c.list('/other', async () => 3), 3);
  });

  it('a failed listing fails its callers only; the queued one still runs', async () => {
    const c = new CoalescedListings<string>();
    const a = c.list('/n', async () => {
      throw new Error('connection loss');
    });
    const b = c.list('/n', async () => 'fresh');
    await assert.rejects(a, /connection loss/);
    assert.equal(await b, 'fresh');
  });

  it('the next listing of a node waits for the gap after the last one', async () => {
    const c = new CoalescedListings<number>({ minGapMs: 150 });
    const starts: number[] = [];
    const fetch = async () => {
      starts.push(Date.now());
      return starts.length;
    };
    await c.list('/n', fetch);
    await c.list('/n', fetch);
    const both = [c.list('/n', fetch), c.list('/n', fetch)];
    await Promise.all(both);
    assert.ok(starts.length <= 3, `${starts.length} listings`);
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] >= 140, `gap ${starts[i] - starts[i - 1]} ms`);
  });
});
