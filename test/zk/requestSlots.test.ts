// Requests waiting for an in-flight slot have a deadline of their own (issue 13, Low): counted from
// when they were asked, enforced by a timer while they wait, never by sending them with a sliver of
// time left; a long line of expired waiters is skipped in a loop, not by recursion.
import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ZkClient } from '../../src/zk/client';
import { isZkError } from '../../src/zk/errors';
import { RequestSlots } from '../../src/zk/requestSlots';
import { OP } from '../../src/zk/wire/opcodes';
import { startHostilePeer, type HostilePeer } from './hostilePeer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RequestSlots', () => {
  it('fails waiters at their own deadline while the slot stays taken', async () => {
    const slots = new RequestSlots(1, 50);
    const events: string[] = [];
    slots.acquire(RequestSlots.now(), () => events.push('holder'), () => events.push('holder expired'));
    for (const name of ['a', 'b', 'c']) slots.acquire(RequestSlots.now(), () => events.push(`${name} sent`), () => events.push(`${name} expired`));
    assert.deepEqual(events, ['holder']);
    await sleep(150);
    assert.deepEqual(events, ['holder', 'a expired', 'b expired', 'c expired']);
    assert.equal(slots.waiting, 0);
    slots.release();
    slots.acquire(RequestSlots.now(), () => events.push('d sent'), () => events.push('d expired'));
    assert.equal(events.at(-1), 'd sent', 'the freed slot is used at once');
  });

  it('passes a freed slot to the first waiter still in time, skipping expired ones without recursion', () => {
    const slots = new RequestSlots(1, 1000);
    let expired = 0;
    let sent = '';
    slots.acquire(RequestSlots.now(), () => undefined, () => undefined);
    const long = RequestSlots.now() - 5000;
    for (let i = 0; i < 50_000; i++) slots.acquire(long, () => (sent = 'stale'), () => expired++);
    slots.acquire(RequestSlots.now(), () => (sent = 'fresh'), () => undefined);
    slots.release();
    assert.equal(expired, 50_000);
    assert.equal(sent, 'fresh');
  });
});

describe('ZkClient: waiting for an in-flight slot', function () {
  this.timeout(20_000);
  let peer: HostilePeer | undefined;
  let zk: ZkClient | undefined;
  afterEach(async () => {
    await zk?.close();
    await peer?.close();
  });

  it('a request waiting behind a silent one fails at its own deadline, unsent', async () => {
    peer = await startHostilePeer(() => undefined); // never answers
    const deadlineMs = 300;
    zk = new ZkClient({ connectString: peer.address, requestTimeoutMs: deadlineMs, maxInFlight: 1 });
    await zk.connect();
    // A loaded machine can stall the whole process for a second; lateness is counted beyond the
    // event loop's own worst delay, so only a deadline the client itself misses fails the test.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const outcomes = await Promise.all(
      Array.from({ length: 2000 }, (_, i) => {
        const asked = performance.now();
        return zk!.getData(`/n${i}`).then(
          () => ({ lateMs: NaN, message: 'answered' }),
          (e: unknown) => ({ lateMs: performance.now() - asked - deadlineMs, message: isZkError(e, 'REQUEST_DEADLINE') ? e.message : String(e) }),
        );
      }),
    );
    loopDelay.disable();
    const stallMs = loopDelay.max / 1e6;
    const late = outcomes.filter((o) => !(o.lateMs < 750 + stallMs));
    assert.deepEqual(late.slice(0, 3), [], `${late.length} of 2,000 requests failed more than 750 ms (+ the loop's worst delay, ${Math.round(stallMs)} ms) after their deadline (or not with REQUEST_DEADLINE)`);
    const unsent = outcomes.filter((o) => /nothing was sent/.test(o.message)).length;
    assert.ok(unsent >= 1600, `only ${unsent} of 2,000 were failed unsent; the rest went out with a sliver of time left`);
    assert.ok(peer.requests.filter((r) => r.opcode === OP.GET_DATA).length <= 400, `${peer.requests.length} requests reached the server`);
  });
});
