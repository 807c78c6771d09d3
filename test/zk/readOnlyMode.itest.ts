// ZooKeeper's read-only mode against a real 3-node ensemble started with readonlymode.enabled:
// when two members die, the survivor serves reads only; the connection lands there and says so,
// reads work, writes fail with a reason; when the quorum is back the connection finds a
// read-write member by itself (isro) and goes on with its session, ephemeral nodes kept.
import * as assert from 'node:assert/strict';
import { EnsembleConnection, type ConnectionState } from '../../src/zk/ensembleConnection';
import { ZkCluster } from '../harness/zookeeper';
import { rejectsWith, waitUntil } from '../helpers';

describe('read-only mode (3-node ensemble, readonlymode.enabled)', function () {
  this.timeout(180_000);
  let cluster: ZkCluster;
  const open: EnsembleConnection[] = [];

  before(async () => {
    // Since ZooKeeper 3.6 (ZOOKEEPER-3864) read-only mode needs local sessions, and upgrading them
    // for ephemeral nodes, as operators configure it.
    cluster = await ZkCluster.startEnsemble(3, { jvmFlags: ['-Dreadonlymode.enabled=true'], extraConfig: { localSessionsEnabled: 'true', localSessionsUpgradingEnabled: 'true' } });
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.dispose();
    for (const s of cluster.servers) if (!s.running()) await cluster.start(s.id);
    await cluster.waitServing();
  });
  after(async () => {
    await cluster?.close();
  });

  it('quorum lost: reads from the read-only survivor, writes refused with the reason; quorum back: read-write again by itself', async () => {
    const c = new EnsembleConnection({ name: 'ro', connectString: cluster.connectString, sessionTimeoutMs: 6000, requestTimeoutMs: 4000, connectTimeoutMs: 2000 });
    open.push(c);
    const states: ConnectionState[] = [];
    c.on('status', (s: { state: ConnectionState; detail?: string }) => {
      states.push(s.state);
      if (process.env.ZK_TEST_VERBOSE) console.log(Date.now() % 100000, s.state, s.detail);
    });
    await c.open();
    await c.client.create('/ro-data', Buffer.from('kept'));
    // An ephemeral node makes the session global (with localSessionsEnabled a session without one
    // is local to its server and dies with it): it must outlive the quorum loss.
    await c.client.create('/ro-owner', undefined, { mode: 'ephemeral' });
    const session = c.client.sessionId;
    const [survivor, ...others] = cluster.servers.map((s) => s.id);
    const t0 = Date.now();
    for (const id of others) await cluster.kill(id);
    await waitUntil(() => c.state === 'readOnlyServer', 60_000, 'on the read-only server');
    const roAfter = Date.now() - t0;
    assert.equal(c.getStatus().server, cluster.server(survivor).address);
    assert.match(c.getStatus().detail ?? '', /without quorum: reads only/);
    assert.equal(Buffer.from((await c.client.getData('/ro-data')).data).toString(), 'kept');
    assert.ok((await c.client.getChildren('/')).children.includes('ro-data'));
    await rejectsWith(c.client.create('/ro-new'), 'NOTREADONLY', /read-only mode: create \/ro-new needs a server with quorum/);

    const t1 = Date.now();
    for (const id of others) void cluster.start(id);
    await waitUntil(() => c.state === 'connected', 90_000, 'read-write again');
    const rwAfter = Date.now() - t1;
    await c.client.create('/ro-after');
    assert.equal(Buffer.from((await c.client.getData('/ro-data')).data).toString(), 'kept');
    assert.ok(states.includes('readOnlyServer'));
    assert.ok(!states.includes('sessionExpired'), states.join(' -> '));
    assert.equal(c.client.sessionId, session, 'the global session resumed on the read-write server');
    assert.ok(await c.client.exists('/ro-owner'), "the session's ephemeral node is still there");
    console.log(`      read-only after ${roAfter} ms; read-write ${rwAfter} ms after the restart began; states ${states.join(' -> ')}`);
  });

  it('connected to the survivor alone: when it is read-write again it resumes the global session, ephemeral node kept', async () => {
    // The survivor refused the global session while read-only; when it closes its read-only
    // connections (quorum back) and is read-write again, it must be offered that session, not a new
    // one (which left the user's session and its ephemeral nodes to expire: seen once in CI when the
    // client happened to reconnect to the survivor first; here it is the only server it knows).
    const [survivor, ...others] = cluster.servers.map((s) => s.id);
    const c = new EnsembleConnection({ name: 'ro-one', connectString: cluster.server(survivor).address, sessionTimeoutMs: 20_000, requestTimeoutMs: 4000, connectTimeoutMs: 2000 });
    open.push(c);
    await c.open();
    await c.client.create('/ro-one-owner', undefined, { mode: 'ephemeral' });
    const session = c.client.sessionId;
    for (const id of others) await cluster.kill(id);
    await waitUntil(() => c.state === 'readOnlyServer', 60_000, 'on the read-only survivor');
    for (const id of others) void cluster.start(id);
    await waitUntil(() => c.state === 'connected', 90_000, 'read-write again');
    assert.equal(c.client.sessionId, session, 'the global session resumed on the survivor');
    assert.ok(await c.client.exists('/ro-one-owner'), "the session's ephemeral node is still there");
  });

  it('opened while the quorum is lost: a read-only session at once, a read-write one when the quorum is back', async () => {
    const [survivor, ...others] = cluster.servers.map((s) => s.id);
    for (const id of others) await cluster.kill(id);
    await waitUntil(async () => /^ro/.test(await cluster.fourLetter(survivor, 'isro').catch(() => '')), 30_000, 'the survivor in read-only mode');
    const c = new EnsembleConnection({ name: 'ro-late', connectString: cluster.connectString, sessionTimeoutMs: 6000, requestTimeoutMs: 4000, connectTimeoutMs: 2000 });
    open.push(c);
    await c.open();
    await waitUntil(() => c.state === 'readOnlyServer', 30_000, 'on the read-only server');
    assert.ok((await c.client.getChildren('/')).children.includes('zookeeper'));
    for (const id of others) void cluster.start(id);
    await waitUntil(() => c.state === 'connected', 90_000, 'read-write again');
    await c.client.create('/ro-late', undefined, { mode: 'ephemeral' });
  });
});
