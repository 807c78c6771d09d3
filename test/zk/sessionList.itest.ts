// Show Sessions against a real 3-node ZooKeeper 3.8 ensemble whose member 3 does not whitelist
// `dump`: every session with its client address and server (cons), its ephemeral nodes (dump from
// members 1 and 2; member 3's refusal named with the line that fixes it, or its AdminServer used
// when its port is known), which lock it holds or waits for, the filter by client address, and
// the report as Markdown.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { filterSessions, readSessionList, type SessionList } from '../../src/zk/sessionList';
import { formatSessionsReport } from '../../src/zk/clusterAdmin/sessionReport';
import { sessionServers } from '../../src/zk/sessions';
import { sendFourLetterWord } from '../../src/zk/health/fourLetterWords';
import { renderMessage } from '../../src/zk/message';
import { ZkCluster } from '../harness/zookeeper';

const TIMEOUT_MS = 3000;

describe('sessions of a real ensemble (cons + dump)', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  const clients: ZkClient[] = [];
  const clientOn = async (id: number) => {
    const c = new ZkClient({ connectString: cluster.server(id).address });
    clients.push(c);
    await c.connect();
    return c;
  };
  let a: ZkClient;
  let b: ZkClient;
  let list: SessionList;

  before(async function () {
    this.timeout(90_000);
    cluster = await ZkCluster.startEnsemble(3, { perServerWhitelist: { 3: 'srvr,conf,cons' } });
    a = await clientOn(1);
    b = await clientOn(2);
    await a.create('/locks');
    await a.create('/locks/orders');
    await a.create('/svc');
    await a.create('/svc/a', Buffer.from('x'), { mode: 'ephemeral' });
    await a.create('/locks/orders/lock-', undefined, { mode: 'ephemeralSequential' });
    await b.create('/locks/orders/lock-', undefined, { mode: 'ephemeralSequential' });
    list = await readSessionList(sessionServers(cluster.connectString), {
      timeoutMs: TIMEOUT_MS,
      listChildren: async (p) => (await a.getChildren(p)).children,
      ownSessionId: a.sessionId,
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await cluster?.close();
  });

  const entry = (c: ZkClient) => list.sessions.find((s) => s.sessionId === c.sessionId);

  it('lists each session with its client address, server, ephemeral nodes and what it holds', () => {
    const ea = entry(a);
    const eb = entry(b);
    assert.ok(ea && eb, JSON.stringify(list.sessions.map((s) => s.sessionId)));
    assert.equal(ea.connection?.client, `127.0.0.1:${a.localEndpoint!.port}`);
    assert.equal(ea.connection?.server.label, `server.1 (${cluster.server(1).address})`);
    assert.deepEqual(ea.ephemerals, ['/locks/orders/lock-0000000000', '/svc/a']);
    assert.deepEqual(ea.holdings, [{ path: '/locks/orders/lock-0000000000', role: 'holder' }]);
    assert.equal(ea.own, true);
    assert.ok(ea.expiresAt !== undefined || (ea.timeoutMs ?? 0) > 0, 'the leader reports its expiry, a follower its timeout');
    assert.equal(eb.connection?.server.label, `server.2 (${cluster.server(2).address})`);
    assert.deepEqual(eb.holdings, [{ path: '/locks/orders/lock-0000000001', role: 'waiting' }]);
    assert.equal(list.sessions[0].sessionId, a.sessionId, 'the session holding most comes first');
  });

  it("names the member that refuses dump, with the line that fixes it; its AdminServer answers when its port is known", async () => {
    assert.deepEqual(list.dumps.map((d) => d.ok), [true, true, false]);
    assert.match(renderMessage(list.dumps[2].reason ?? ''), /refuses the four-letter word dump/);
    assert.match(list.dumps[2].configLine ?? '', /^4lw\.commands\.whitelist=.*\bdump\b/);
    const viaAdmin = await readSessionList(sessionServers(cluster.connectString, undefined, (_h, port) => cluster.servers.find((s) => s.clientPort === port)?.adminPort), { timeoutMs: TIMEOUT_MS });
    assert.deepEqual(viaAdmin.dumps.map((d) => d.ok), [true, true, true], JSON.stringify(viaAdmin.dumps));
    const c = await clientOn(3);
    await c.create('/svc/c', undefined, { mode: 'ephemeral' });
    const again = await readSessionList(sessionServers(cluster.connectString, undefined, (_h, port) => (port === cluster.server(3).clientPort ? cluster.server(3).adminPort : undefined)), {
      timeoutMs: TIMEOUT_MS,
      fourLetterWord: async (host, port, word, o) => {
        // Only member 3 is asked for dump: its AdminServer's JSON alone must give the ephemeral nodes.
        if (word === 'dump' && port !== cluster.server(3).clientPort) throw new Error('not asked in this test');
        return sendFourLetterWord(host, port, word, o);
      },
    });
    assert.deepEqual(again.sessions.find((s) => s.sessionId === c.sessionId)?.ephemerals, ['/svc/c']);
  });

  it('filters by client address, and the report shows the rows', () => {
    const port = String(b.localEndpoint!.port);
    assert.deepEqual(filterSessions(list.sessions, `:${port}`).map((s) => s.sessionId), [b.sessionId]);
    assert.equal(filterSessions(list.sessions, '').length, list.sessions.length);
    const report = formatSessionsReport({ connection: 'ens', list, filter: `:${port}` });
    assert.match(report, /1 of \d+ sessions whose client address contains `:\d+`/);
    assert.ok(report.includes(`| \`${b.sessionId}\` | \`127.0.0.1:${port}\` | server\\.2 \\(127\\.0\\.0\\.1:${cluster.server(2).clientPort}\\) |`), report);
    assert.match(report, /waiting `\/locks\/orders`/);
    assert.match(report, /## Not read[\s\S]*dump[\s\S]*4lw\.commands\.whitelist=/);
  });
});
