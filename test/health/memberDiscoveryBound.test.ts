// A server whose `conf` names 2,000 members: the health poller polls at most 64 of them, says so in
// an alert, and sends HTTP (the AdminServer fallback) only to hosts whose port is configured. A
// scripted four-letter-word server on loopback answers for every member (the probes of all members
// are routed to it, so nothing else on the machine is touched); HTTP calls are recorded, never sent.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { DEFAULT_SETTINGS, adminPortFor, type HealthSettings } from '../../src/zk/health/healthSettings';
import { ProbeError, parseMembership, sendFourLetterWord } from '../../src/zk/health/fourLetterWords';
import { HealthPoller } from '../../src/zk/health/healthPoller';
import { MAX_DISCOVERED_MEMBERS } from '../../src/zk/health/healthModel';
import { DEFAULT_READ_CONCURRENCY, readConnections, sessionServers } from '../../src/zk/sessions';
import { renderMessage } from '../../src/zk/message';

const MEMBERS = 2000;
const membership = Array.from({ length: MEMBERS }, (_, i) => `server.${i + 1}=10.9.${i >> 8}.${i & 255}:2888:3888:participant;10.9.${i >> 8}.${i & 255}:2181`).join('\n');

/**
 * Answers srvr (a follower), refuses mntr (so the AdminServer fallback would be wanted), conf with
 * 2,000 members (and no server id: it answers for all of them).
 */
async function scriptedServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.length < 4) return;
      const word = buf.slice(0, 4);
      if (word === 'srvr') socket.end('Zookeeper version: 3.8.0-abc, built on x\nLatency min/avg/max: 0/1/2\nReceived: 10\nSent: 10\nConnections: 1\nOutstanding: 0\nZxid: 0x100000001\nMode: follower\nNode count: 5\n');
      else if (word === 'conf') socket.end(`clientPort=2181\nmembership: \n${membership}\nversion=100000000\n`);
      else socket.end(`${word} is not executed because it is not in the whitelist.\n`);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('member discovery is bounded (a conf that names 2,000 members)', function () {
  this.timeout(30_000);
  let scripted: Awaited<ReturnType<typeof scriptedServer>>;
  beforeEach(async () => (scripted = await scriptedServer()));
  afterEach(async () => scripted.close());

  it('polls at most 64 discovered members, names the rest in an alert, and sends HTTP only where a port is configured', async () => {
    const probed = new Map<string, number>();
    const http: string[] = [];
    const settings: HealthSettings = { ...DEFAULT_SETTINGS };
    const poller = new HealthPoller({
      connectionName: 'c',
      servers: [{ host: '127.0.0.1', port: 2181, adminPort: adminPortFor(settings, 'c', '127.0.0.1', 2181, 'connectString') }],
      intervalMs: 60_000,
      timeoutMs: 3000,
      adminPortFor: (host, port) => adminPortFor(settings, 'c', host, port, 'membership'),
      io: {
        // Every member's probe goes to the scripted server, counted per member.
        fourLetterWord: (host, port, word, opts) => {
          const key = `${host}:${port}`;
          probed.set(key, (probed.get(key) ?? 0) + 1);
          return sendFourLetterWord('127.0.0.1', scripted.port, word, opts);
        },
        adminCommand: async (host, port, command) => {
          http.push(`${host}:${port}/${command}`);
          throw new ProbeError('refused', 'connection refused: no AdminServer on that port');
        },
      },
    });
    try {
      await poller.pollNow(); // the connect-string server: conf reveals the members
      await poller.pollNow(); // the discovered ones
      await poller.pollNow();
      const targets = poller.targets();
      assert.equal(targets.filter((t) => t.origin === 'membership').length, MAX_DISCOVERED_MEMBERS);
      assert.equal(probed.size, 1 + MAX_DISCOVERED_MEMBERS, 'servers probed');
      // srvr, mntr (refused) and conf the first time, per server and round: bounded by the cap.
      assert.ok(scripted.connections() <= 3 * 3 * (1 + MAX_DISCOVERED_MEMBERS), `${scripted.connections()} connections`);
      const r = poller.result();
      const alert = r.alerts.find((a) => a.kind === 'membersLeftOut');
      assert.ok(alert, 'an alert names the members left out');
      // (conf replies are read up to 2,000 lines: the lines before the membership take a few.)
      const named = parseMembership(`clientPort=2181\nmembership: \n${membership}`).members.length;
      assert.ok(named > 1900);
      assert.match(alert.title, new RegExp(`^${named - MAX_DISCOVERED_MEMBERS} members are not monitored`));
      assert.match(alert.detail, /at most 64 members/);
      assert.ok(r.servers.length <= 1 + 2 * MAX_DISCOVERED_MEMBERS, `${r.servers.length} rows`);
      // HTTP only to the connect-string server (ZooKeeper's default port 8080 stays for it).
      assert.ok(http.length > 0);
      assert.deepEqual([...new Set(http.map((h) => h.split('/')[0]))], ['127.0.0.1:8080']);
    } finally {
      poller.dispose();
    }
  });

  it('a configured AdminServer port ("*") is used for discovered members too', async () => {
    const settings: HealthSettings = { ...DEFAULT_SETTINGS, adminServerPorts: { c: { '*': 9090 } } };
    assert.equal(adminPortFor(settings, 'c', '10.9.0.1', 2181, 'membership'), 9090);
    assert.equal(adminPortFor({ ...DEFAULT_SETTINGS, adminServerPorts: { c: 9191 } }, 'c', '10.9.0.1', 2181, 'membership'), 9191);
    assert.equal(adminPortFor({ ...DEFAULT_SETTINGS, adminServerPorts: { c: { '10.9.0.1:2181': 9292 } } }, 'c', '10.9.0.1', 2181, 'membership'), 9292);
    assert.equal(adminPortFor(DEFAULT_SETTINGS, 'c', '10.9.0.1', 2181, 'membership'), undefined);
    assert.equal(adminPortFor(DEFAULT_SETTINGS, 'c', '10.9.0.1', 2181, 'connectString'), 8080);
    assert.equal(adminPortFor(DEFAULT_SETTINGS, 'c', '10.9.0.1', 2181), 8080);
  });

  it('session look-ups: at most 64 members from the config, read a few at a time, no default HTTP port for them', async () => {
    const servers = sessionServers('127.0.0.1:2181', membership, (host, port, origin) => adminPortFor(DEFAULT_SETTINGS, 'c', host, port, origin));
    assert.equal(servers.length, 1 + MAX_DISCOVERED_MEMBERS);
    assert.equal(servers[0].adminPort, 8080);
    assert.ok(servers.slice(1).every((s) => s.adminPort === undefined));
    let inFlight = 0;
    let maxInFlight = 0;
    const asked = new Set<string>();
    const reading = await readConnections(servers, {
      timeoutMs: 3000,
      io: {
        fourLetterWord: async (host, port, word, opts) => {
          asked.add(`${host}:${port}`);
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            return await sendFourLetterWord('127.0.0.1', scripted.port, word, opts);
          } finally {
            inFlight--;
          }
        },
        adminCommand: async () => {
          throw new ProbeError('refused', 'no');
        },
      },
    });
    assert.equal(reading.servers.length, servers.length);
    assert.equal(asked.size, servers.length);
    // cons and conf of one server go together: two requests per server in flight.
    assert.ok(maxInFlight <= 2 * DEFAULT_READ_CONCURRENCY, `${maxInFlight} requests in flight`);
    assert.equal(renderMessage(reading.servers[1].fallbackProblem ?? ''), 'no AdminServer port is set for it');
  });
});
