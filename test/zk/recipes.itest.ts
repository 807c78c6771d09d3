// Lock and election recipes on a real ZooKeeper 3.8 server: the sample data (test/fixtures/
// sampleData.ts: a Curator-style lock queue, a `n_` election, Kafka's brokers and controller, all
// owned by the seeding session) and a lock queue held by three separate sessions, whose holder
// sorts last by name, found by sequence number and handed on when it lets go.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { formatHolders } from '../../src/zk/holders';
import { readRecipe } from '../../src/zk/recipes';
import { renderMessage } from '../../src/zk/message';
import { lookupSessions, sessionServers } from '../../src/zk/sessions';
import { holdQueue, seedSampleData, type HeldQueue } from '../fixtures/sampleData';
import { ZkCluster } from '../harness/zookeeper';

describe('recipes on a real server', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let seeder: ZkClient;
  let held: HeldQueue | undefined;

  before(async function () {
    this.timeout(90_000);
    cluster = await ZkCluster.startStandalone();
    seeder = new ZkClient({ connectString: cluster.connectString });
    await seeder.connect();
    await seedSampleData(seeder, { bigChildren: 10, ttl: false });
  });

  after(async () => {
    await held?.close();
    await seeder?.close();
    await cluster?.close();
  });

  it('the sample lock queue: three contenders in sequence order, the first holds', async () => {
    const r = await readRecipe(seeder, '/locks/orders');
    assert.equal(r.kind, 'lock');
    assert.deepEqual(
      r.contenders.map((c) => [c.position, c.role, c.sequence]),
      [
        [1, 'holder', 0],
        [2, 'waiting', 1],
        [3, 'waiting', 2],
      ],
    );
    assert.ok(r.contenders.every((c) => c.owner === seeder.sessionId && /^_c_[0-9a-f-]{36}-lock-\d{10}$/.test(c.name)));
    assert.ok(r.contenders[0].since.getTime() <= r.contenders[2].since.getTime());
  });

  it('the sample election: the lowest n_ leads', async () => {
    const r = await readRecipe(seeder, '/election/scheduler');
    assert.equal(r.kind, 'election');
    assert.deepEqual(r.contenders.map((c) => c.role), ['leader', 'waiting', 'waiting']);
    assert.equal(r.contenders[0].name, 'n_0000000000');
  });

  it("Kafka's layout: brokers are ephemeral members, the controller leads (as a child of / and by itself)", async () => {
    const ids = await readRecipe(seeder, '/brokers/ids');
    assert.equal(ids.contenders.length, 0);
    assert.deepEqual(ids.members.map((m) => [m.name, m.owner]), ['1', '2', '3'].map((n) => [n, seeder.sessionId]));
    for (const path of ['/', '/controller']) {
      const r = await readRecipe(seeder, path);
      assert.equal(r.kind, 'singleHolder', path);
      assert.equal(r.contenders.length, 1, path);
      assert.deepEqual([r.contenders[0].path, r.contenders[0].role, r.contenders[0].note && renderMessage(r.contenders[0].note), r.contenders[0].owner], ['/controller', 'leader', 'Kafka controller: broker 1', seeder.sessionId]);
    }
    const broker = await readRecipe(seeder, '/brokers/ids/2');
    assert.equal(broker.contenders.length, 0, 'a broker node is owned, not held');
    assert.equal(broker.members[0].owner, seeder.sessionId);
  });

  it('persistent sequential children are a queue of items, not a lock', async () => {
    await seeder.create('/jobs');
    for (let i = 0; i < 3; i++) await seeder.create('/jobs/qn-', Buffer.from(`job ${i}`), { mode: 'persistentSequential' });
    const r = await readRecipe(seeder, '/jobs');
    assert.equal(r.contenders.length, 0);
    assert.equal(r.persistentSequential, 3);
    assert.match(formatHolders({ connection: 'itest', reading: r }), /No lock or election recipe here[\s\S]*3 sequential children are persistent/);
  });

  it('a queue held by three sessions: the holder sorts last by name but is first by sequence; its client is found; it hands on', async () => {
    held = await holdQueue([cluster.connectString], { parent: '/locks/payments' });
    const names = held.nodes.map((p) => p.slice(p.lastIndexOf('/') + 1));
    assert.deepEqual([...names].sort().reverse(), names, 'name order is the reverse of the line');
    const r = await readRecipe(seeder, '/locks/payments');
    assert.deepEqual(r.contenders.map((c) => c.path), held.nodes);
    assert.deepEqual(r.contenders.map((c) => c.owner), held.clients.map((c) => c.sessionId));
    const lookups = await lookupSessions(sessionServers(cluster.connectString), r.contenders.map((c) => c.owner), { timeoutMs: 3000 });
    held.clients.forEach((c) => {
      const l = lookups.get(c.sessionId);
      assert.ok(l?.found, JSON.stringify(l));
      assert.equal(l.clientPort, c.localEndpoint!.port);
    });
    const report = formatHolders({ connection: 'itest', reading: r, lookups });
    assert.ok(report.includes(`**Holder:** \`${names[0]}\`, session \`${held.clients[0].sessionId}\`: client 127\\.0\\.0\\.1:${held.clients[0].localEndpoint!.port} connected to server\\.`), report);

    await held.clients[0].close(); // the holder lets go: its node goes with its session
    const next = await readRecipe(seeder, '/locks/payments');
    assert.deepEqual(next.contenders.map((c) => [c.path, c.role]), [
      [held.nodes[1], 'holder'],
      [held.nodes[2], 'waiting'],
    ]);
  });

  it("kazoo's Lock and Election (same `<uuid>__lock__` names): 'lock or election' unless the parent's name or data tells", async () => {
    const kazooName = (i: number) => `${(15 - i).toString(16).repeat(32)}__lock__`;
    const queues: HeldQueue[] = [];
    try {
      for (const parent of ['/kazoo/jobs', '/kazoo/scheduler-election', '/kazoo/primary']) queues.push(await holdQueue([cluster.connectString], { parent, name: kazooName }));
      await seeder.setData('/kazoo/primary', Buffer.from('leader of the ingest workers'), -1);
      const undecided = await readRecipe(seeder, '/kazoo/jobs');
      assert.equal(undecided.kind, 'lockOrElection');
      assert.deepEqual(undecided.contenders.map((c) => c.role), ['holder / leader', 'waiting', 'waiting']);
      assert.deepEqual(undecided.contenders.map((c) => c.path), queues[0].nodes);
      assert.match(formatHolders({ connection: 'itest', reading: undecided }), /This is a lock or a leader election [^:]*: one holder \/ leader, 2 waiting\./);
      const byName = await readRecipe(seeder, '/kazoo/scheduler-election');
      assert.equal(byName.kind, 'election');
      assert.match(formatHolders({ connection: 'itest', reading: byName }), /This is a leader election: one leader, 2 waiting\./);
      const byData = await readRecipe(seeder, '/kazoo/primary');
      assert.equal(byData.kind, 'election');
      assert.equal(byData.contenders[0].role, 'leader');
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
  });
});
