// The order in which a connection tries servers: every server once per round, the preferred one
// first, and after a round that all failed a backoff before the next round.
import * as assert from 'node:assert/strict';
import { ServerRotation } from '../../src/zk/connection/serverRotation';

const servers = [1, 2, 3].map((n) => ({ host: `10.0.0.${n}`, port: 2181 }));

describe('ServerRotation', () => {
  it('tries each server once per round, then waits for the backoff before the next round', async () => {
    const rotation = new ServerRotation(servers, { spinDelayMs: 20, maxBackoffMs: 20 });
    const round = [1, 2, 3].map(() => rotation.next(() => assert.fail('no retry within a round')));
    assert.deepEqual(new Set(round.map((s) => s?.host)), new Set(servers.map((s) => s.host)));
    let retried = false;
    assert.equal(rotation.next(() => (retried = true)), undefined, 'a failed round waits');
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(retried, true, 'and tries again after the backoff');
    assert.deepEqual(rotation.next(() => undefined), round[0], 'the next round starts in the same order');
    rotation.stop();
  });

  it('tries a preferred server first, once; success forgets the failed rounds; stop cancels a pending retry', async () => {
    const rotation = new ServerRotation(servers, { spinDelayMs: 10, maxBackoffMs: 10 });
    rotation.prefer(servers[2]);
    assert.deepEqual(rotation.next(() => undefined), servers[2]);
    rotation.next(() => undefined);
    rotation.succeeded();
    for (let i = 0; i < 3; i++) assert.ok(rotation.next(() => assert.fail('no backoff after a success')));
    let retried = false;
    assert.equal(rotation.next(() => (retried = true)), undefined);
    rotation.stop();
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(retried, false);
  });
});
