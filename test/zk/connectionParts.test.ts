// The parts the transport is composed of, on their own: the request queue and the one-shot watch
// registry (what the library's PacketQueue and WatcherManager did before).
import * as assert from 'node:assert/strict';
import { OneShotWatches } from '../../src/zk/connection/oneShotWatches';
import { RequestQueue, type ReplyFailure } from '../../src/zk/connection/requestQueue';
import { request } from '../../src/zk/wire/requests';

describe('RequestQueue', () => {
  it('sends in order, puts auth and watch re-registration first, and expects replies in xid order', () => {
    const q = new RequestQueue();
    const a = request(4);
    const b = request(3);
    const auth = request(100);
    q.enqueue({ request: a, callback: () => undefined });
    q.enqueue({ request: b, callback: () => undefined });
    q.putFirst([{ request: auth, callback: () => undefined, fixedXid: -4 }]);
    const sent: [number, number][] = [];
    for (let p = q.takeNext(); p; p = q.takeNext()) sent.push([p.request.opcode, q.sent(p)]);
    assert.deepEqual(sent, [[100, -4], [4, 0], [3, 1]]);
    assert.equal(q.expected()?.xid, 0, 'the auth packet is not awaited in order');
    q.answered();
    assert.equal(q.expected()?.packet.request, b);
  });

  it('withdraws a request not yet sent, and fails the others by where they are', () => {
    const q = new RequestQueue();
    const failures: [string, ReplyFailure | null][] = [];
    const cb = (name: string) => (err: ReplyFailure | null) => failures.push([name, err]);
    const onWire = request(4);
    const waiting = request(3);
    const withdrawn = request(5);
    q.enqueue({ request: onWire, callback: cb('onWire') });
    q.sent(q.takeNext()!);
    q.enqueue({ request: waiting, callback: cb('waiting') });
    q.enqueue({ request: withdrawn, callback: cb('withdrawn') });
    assert.equal(q.withdraw(withdrawn), true);
    assert.equal(q.withdraw(withdrawn), false);
    assert.equal(q.withdraw(onWire), false, 'a request on the wire cannot be withdrawn');
    q.failOnWire({ code: -4 });
    assert.deepEqual(failures, [['onWire', { code: -4 }]]);
    assert.equal(q.waitingCount, 1, 'requests not sent stay for the next connection');
    q.failWaiting({ code: -112 });
    assert.deepEqual(failures[1], ['waiting', { code: -112 }]);
  });

  it('serves 100,000 waiting requests in order, each answered by its own xid', () => {
    const q = new RequestQueue();
    const all = Array.from({ length: 100_000 }, (_, i) => request(i % 2 ? 4 : 3));
    for (const r of all) q.enqueue({ request: r, callback: () => undefined });
    let n = 0;
    for (let p = q.takeNext(); p; p = q.takeNext()) {
      assert.equal(p.request, all[n]);
      assert.equal(q.sent(p), n);
      assert.equal(q.expected()?.packet.request, all[n]);
      q.answered();
      n++;
    }
    assert.equal(n, 100_000);
    assert.equal(q.expected(), undefined);
  });
});

describe('OneShotWatches', () => {
  it('fires each watch once, by the kinds an event type triggers, and registers a function once per path', () => {
    const w = new OneShotWatches();
    const heard: string[] = [];
    const listener = (e: { type: number; path: string }) => heard.push(`${e.type}:${e.path}`);
    w.register('data', '/a', listener);
    w.register('data', '/a', listener);
    w.register('exists', '/b', listener);
    w.register('child', '/a', listener);
    assert.deepEqual(w.paths('data'), ['/a']);
    w.fire(6, '/a'); // watch removed: no one-shot watch fires
    w.fire(3, '/a');
    assert.deepEqual(heard, ['3:/a']);
    assert.equal(w.has('data', '/a'), false);
    assert.equal(w.has('child', '/a'), true);
    w.fire(1, '/b');
    w.fire(2, '/a');
    assert.deepEqual(heard, ['3:/a', '1:/b', '2:/a']);
    assert.deepEqual([...w.counts()], []);
  });
});
