// The liveness check after a long synchronous stretch of the event loop, on a real server: the
// reply the server sent meanwhile is waiting on the socket, and the check's timer fires before the
// poll phase reads it. The bench lost its connection that way after a 50,000-node plan.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { ZkCluster } from '../harness/zookeeper';
import { waitUntil } from '../helpers';

/** Holds the event loop, as a long synchronous computation does. */
function holdTheLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy on purpose
  }
}

describe('liveness check after a blocked event loop (real server)', function () {
  this.timeout(60_000);
  let cluster: ZkCluster;
  const clients: ZkClient[] = [];

  before(async () => {
    cluster = await ZkCluster.startStandalone();
  });
  after(async () => {
    for (const c of clients.splice(0)) await c.close();
    await cluster?.close();
  });

  async function connect(): Promise<{ zk: ZkClient; timeouts: number[] }> {
    const zk = new ZkClient({ connectString: cluster.connectString, livenessTimeoutMs: 1000, sessionTimeoutMs: 30_000, requestTimeoutMs: 20_000 });
    clients.push(zk);
    const timeouts: number[] = [];
    zk.on('livenessTimeout', (_server: unknown, silentMs: number) => timeouts.push(silentMs));
    await zk.connect();
    return { zk, timeouts };
  }

  it('a loop held past the liveness window while a reply waits keeps the connection and gets the reply', async () => {
    const { zk, timeouts } = await connect();
    const sessionId = zk.sessionId;
    await zk.getData('/');
    // The request leaves in this turn (its write is flushed on nextTick); the loop is then held
    // 2.5 times the liveness window, and the server's reply arrives meanwhile.
    const reply = zk.getData('/zookeeper').then(
      () => 'answered',
      (e: Error) => `failed: ${e.message}`,
    );
    await new Promise<void>((resolve) => setImmediate(resolve));
    holdTheLoop(2500);
    assert.equal(await reply, 'answered');
    assert.deepEqual(timeouts, [], 'the liveness check dropped a live server');
    assert.equal(zk.sessionId, sessionId);
    // And the connection stays good afterwards.
    await zk.getData('/');
    assert.deepEqual(timeouts, []);
  });

  it('a frozen server is still dropped by the liveness check, after a blocked loop too', async () => {
    const { zk, timeouts } = await connect();
    cluster.freeze(1);
    try {
      holdTheLoop(1500);
      await waitUntil(() => timeouts.length > 0, 10_000, 'the liveness timeout of a frozen server');
      assert.ok(timeouts[0] >= 1000, `silent ${timeouts[0]} ms`);
      void zk;
    } finally {
      cluster.resume(1);
    }
  });
});
