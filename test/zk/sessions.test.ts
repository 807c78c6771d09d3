// The session lookup on `cons` replies captured from real ZooKeeper 3.8 servers
// (scripts/captureSessionFixtures.ts: two sessions on members 1 and 2 of an ensemble whose member 3
// allows only srvr, a session over the IPv6 loopback, the AdminServer's /commands/connections).
import * as assert from 'node:assert/strict';
import { marking, untranslated } from './markingTranslate';
import { renderMessage } from '../../src/zk/message';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAdminConnections, quoteUnsafeIntegers, type JsonObject } from '../../src/zk/health/adminServer';
import { ProbeError, parseCons, type RequestOptions } from '../../src/zk/health/fourLetterWords';
import {
  describeLookup,
  formatTime,
  locateSession,
  lookupSessions,
  normaliseAddress,
  normaliseSessionId,
  readConnections,
  sessionServers,
  type SessionsIo,
} from '../../src/zk/sessions';

const DIR = join(__dirname, '..', '..', ...(__dirname.includes(join('out', 'test')) ? ['..'] : []), 'test', 'fixtures', 'sessions');
const fixture = (name: string): string => readFileSync(join(DIR, name), 'utf8');

interface Captured {
  sessionId: string;
  local: { address: string; port: number };
  server: string;
}
const SESSIONS = JSON.parse(fixture('sessions.json')) as Record<'server1' | 'server2' | 'ipv6', Captured>;
const WHITELIST_LINE = '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok,cons';

/** Servers 1..3 on 127.0.0.1:2181..2183 answering with the captured replies (3 refuses cons). */
function capturedIo(overrides: Partial<Record<number, 'down' | 'frozen'>> = {}, admin?: string): SessionsIo & { sent: string[] } {
  const sent: string[] = [];
  const replies: Record<number, string> = { 2181: fixture('cons-server1.txt'), 2182: fixture('cons-server2.txt'), 2183: fixture('cons-not-whitelisted.txt') };
  return {
    sent,
    fourLetterWord: async (_host: string, port: number, word: string, opts: RequestOptions) => {
      sent.push(`${port}:${word}`);
      const id = port - 2180;
      if (overrides[id] === 'down') throw new ProbeError('refused', 'connection refused: nothing listens on that port (server down?)');
      if (overrides[id] === 'frozen') {
        await new Promise((r) => setTimeout(r, opts.timeoutMs));
        throw new ProbeError('timeout', `accepted the connection but did not answer "${word}" within ${opts.timeoutMs} ms (frozen, paused or overloaded?)`);
      }
      if (word === 'conf') return id === 3 ? 'conf is not executed because it is not in the whitelist.' : `clientPort=${port}\nserverId=${id}\n`;
      return replies[port];
    },
    adminCommand: async (_host: string, port: number, command: string) => {
      sent.push(`admin ${port}:${command}`);
      if (admin === undefined) throw new ProbeError('refused', 'connection refused: no AdminServer on that port');
      return JSON.parse(quoteUnsafeIntegers(admin)) as JsonObject;
    },
  };
}

const SERVERS = [1, 2, 3].map((id) => ({ host: '127.0.0.1', port: 2180 + id }));

describe('sessions: who is behind a session id', () => {
  describe('parseCons on real 3.8 output', () => {
    it('finds each session with its client address, connection time and last operation', () => {
      for (const [file, captured] of [
        ['cons-server1.txt', SESSIONS.server1],
        ['cons-server2.txt', SESSIONS.server2],
      ] as const) {
        const list = parseCons(fixture(file));
        assert.equal(list.length, 2, `${file}: the session and the cons request itself`);
        const c = list.find((x) => x.sessionId !== undefined)!;
        assert.equal(c.sessionId, captured.sessionId);
        assert.equal(c.address, captured.local.address);
        assert.equal(c.port, captured.local.port);
        assert.equal(c.lastOperation, 'GETD');
        assert.equal(c.timeoutMs, 30000);
        assert.ok(c.established! > 1.6e12, 'est is ms since the epoch');
        assert.match(c.lastZxid!, /^0x[0-9a-f]+$/);
        assert.equal(c.lastCxid, '0x1');
        assert.equal(typeof c.lastResponse, 'number');
        assert.equal(typeof c.lastLatency, 'number');
        const self = list.find((x) => x.sessionId === undefined)!;
        assert.equal(self.received, 1, 'the cons connection has no session yet');
      }
    });

    it('reads IPv6 peers as JDK 17 prints them ([0:0:0:0:0:0:0:1]:port) and normalises them as Node does', () => {
      const list = parseCons(fixture('cons-ipv6.txt'));
      const c = list.find((x) => x.sessionId === SESSIONS.ipv6.sessionId)!;
      assert.equal(c.address, '0:0:0:0:0:0:0:1');
      assert.equal(c.port, SESSIONS.ipv6.local.port);
      assert.equal(normaliseAddress(c.address), SESSIONS.ipv6.local.address);
    });

    it('tolerates other JDKs, resolved names, missing parts and odd fields; drops cut lines', () => {
      const text = [
        ' /0:0:0:0:0:0:0:1:51234[1](queued=0,recved=5,sent=5,sid=0x1000A2B3C4D0000,lop=PING)', // older JDK: no brackets, upper-case hex
        ' app-7.example.com/10.1.2.3:40100[1](sid=0x200000000000001,est=1700000000000)', // a resolved name, few fields
        ' /10.1.2.4:40101(sid=0x300000000000001)', // no [interest]
        ' /[fe80:0:0:0:0:0:0:1%eth0]:40102[1](sid=0x400000000000001,future=yes,to=4000)', // scope id, unknown field
        ' /127.0.0.1:40103[1](queued=0,recved=1,sent=1,sid=0x50000000000', // cut: the id could be another one's
        ' /127.0.0.1:99999[1](sid=0x600000000000001)', // no such port
        'garbage /:[1]()',
        '',
      ].join('\n');
      const list = parseCons(text);
      assert.deepEqual(
        list.map((c) => [c.address, c.port, c.sessionId, c.hostName]),
        [
          ['0:0:0:0:0:0:0:1', 51234, '0x1000a2b3c4d0000', undefined],
          ['10.1.2.3', 40100, '0x200000000000001', 'app-7.example.com'],
          ['10.1.2.4', 40101, '0x300000000000001', undefined],
          ['fe80:0:0:0:0:0:0:1%eth0', 40102, '0x400000000000001', undefined],
        ],
      );
      assert.equal(list[1].established, 1700000000000);
      assert.equal(list[1].lastOperation, undefined);
      assert.equal(list[3].timeoutMs, 4000);
    });
  });

  describe('the AdminServer fallback', () => {
    it('keeps 64-bit session ids exact (JSON numbers would round them)', () => {
      const raw = fixture('admin-connections-server2.json');
      const rounded = parseAdminConnections(JSON.parse(raw));
      const exact = parseAdminConnections(JSON.parse(quoteUnsafeIntegers(raw)));
      assert.notEqual(rounded[0]?.sessionId, SESSIONS.server2.sessionId, 'plain JSON.parse loses the low bits');
      assert.equal(exact.length, 1);
      assert.equal(exact[0].sessionId, SESSIONS.server2.sessionId);
      assert.equal(exact[0].address, '127.0.0.1');
      assert.equal(exact[0].port, SESSIONS.server2.local.port);
      assert.equal(exact[0].lastOperation, 'GETD');
    });

    it('quoteUnsafeIntegers leaves strings, safe numbers and decimals alone; negative ids become unsigned', () => {
      const text = '{"a":"id 144116005878890496, \\"x\\": 1","b":144116005878890496,"c":[12,-9223372036854775807,1.5e300,0.25],"d":9007199254740991}';
      const v = JSON.parse(quoteUnsafeIntegers(text)) as { a: string; b: string; c: unknown[]; d: number };
      assert.equal(v.a, 'id 144116005878890496, "x": 1');
      assert.equal(v.b, '144116005878890496');
      assert.deepEqual(v.c, [12, '-9223372036854775807', 1.5e300, 0.25]);
      assert.equal(v.d, 9007199254740991);
      const c = parseAdminConnections({ connections: [{ remote_socket_address: '[::1]:5000', session_id: '-9223372036854775807' }] });
      assert.equal(c[0].sessionId, '0x8000000000000001');
      assert.equal(c[0].address, '::1');
    });
  });

  describe('normalising ids and addresses', () => {
    it('session ids: any case, leading zeros, decimal (signed as Java prints it); 0 and junk are none', () => {
      assert.equal(normaliseSessionId('0x0001000ABC'), '0x1000abc');
      assert.equal(normaliseSessionId('72057594037927936'), '0x100000000000000');
      assert.equal(normaliseSessionId('-1'), '0xffffffffffffffff');
      assert.equal(normaliseSessionId('0x0'), undefined);
      assert.equal(normaliseSessionId('0x<b>'), undefined);
    });

    it('addresses: IPv6 to its short form, the rest unchanged', () => {
      assert.equal(normaliseAddress('0:0:0:0:0:0:0:1'), '::1');
      assert.equal(normaliseAddress('[2001:db8:0:0:0:0:0:5]'), '2001:db8::5');
      assert.equal(normaliseAddress('10.0.0.1'), '10.0.0.1');
      assert.equal(normaliseAddress('fe80:0:0:0:0:0:0:1%eth0'), 'fe80:0:0:0:0:0:0:1%eth0');
    });
  });

  describe('which servers to ask', () => {
    it('the connect string, with ids from the membership, and members it does not name', () => {
      const membership = ['server.1=10.0.0.1:2888:3888:participant;10.0.0.1:2181', 'server.2=10.0.0.2:2888:3888:participant;0.0.0.0:2181', 'server.3=10.0.0.3:2888:3888:observer;10.0.0.3:2181', 'version=100000000'].join('\n');
      const servers = sessionServers('10.0.0.1:2181,10.0.0.2:2181/app', membership, (_h, p) => (p === 2181 ? 8080 : undefined));
      assert.deepEqual(servers, [
        { host: '10.0.0.1', port: 2181, id: 1, adminPort: 8080 },
        { host: '10.0.0.2', port: 2181, id: 2, adminPort: 8080 },
        { host: '10.0.0.3', port: 2181, id: 3, adminPort: 8080 },
      ]);
    });

    it('a membership without client addresses (as the harness writes it) adds nothing', () => {
      const servers = sessionServers('127.0.0.1:2181,127.0.0.1:2182', fixture('config-znode.txt'));
      assert.deepEqual(servers, [
        { host: '127.0.0.1', port: 2181 },
        { host: '127.0.0.1', port: 2182 },
      ]);
      assert.deepEqual(sessionServers('not a connect string'), []);
    });
  });

  describe('locating sessions across the ensemble', () => {
    it('finds each session on its server, with the client address and since when', async () => {
      const io = capturedIo();
      const found = await lookupSessions(SERVERS, [SESSIONS.server1.sessionId, SESSIONS.server2.sessionId.toUpperCase().replace('0X', '0x')], { timeoutMs: 1000, io });
      const a = found.get(SESSIONS.server1.sessionId)!;
      const b = found.get(SESSIONS.server2.sessionId)!;
      assert.ok(a.found && b.found);
      assert.equal(a.client, `127.0.0.1:${SESSIONS.server1.local.port}`);
      assert.equal(a.server.label, 'server.1 (127.0.0.1:2181)');
      assert.equal(b.server.label, 'server.2 (127.0.0.1:2182)');
      assert.equal(a.via, 'cons');
      assert.ok(a.since instanceof Date && a.since.getTime() > 1.6e12);
      assert.match(describeLookup(a), new RegExp(`^client 127\\.0\\.0\\.1:${SESSIONS.server1.local.port} connected to server\\.1 \\(127\\.0\\.0\\.1:2181\\) since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`));
      assert.equal(io.sent.filter((s) => s.endsWith(':cons')).length, 3, 'one cons per server for all sessions');
    });

    it('a session on no server we could ask: each server says why, with the line that fixes a refusal', async () => {
      const reading = await readConnections(SERVERS, { timeoutMs: 1000, io: capturedIo() });
      const l = locateSession(reading, '0x30000dead0000');
      assert.equal(l.found, false);
      if (l.found) return;
      assert.deepEqual(
        l.servers.map((s) => [s.label, s.answered, renderMessage(s.reason), s.configLine]),
        [
          ['server.1 (127.0.0.1:2181)', true, 'not among its 1 session', undefined],
          ['server.2 (127.0.0.1:2182)', true, 'not among its 1 session', undefined],
          ['127.0.0.1:2183', false, 'it refuses the four-letter word cons (not in its 4lw.commands.whitelist) (AdminServer fallback: no AdminServer port is set for it)', WHITELIST_LINE],
        ],
      );
      assert.equal(l.allAnswered, false);
      const text = describeLookup(l);
      assert.match(text, /^not connected to any server we could ask \(/);
      assert.ok(text.includes(`127.0.0.1:2183: it refuses the four-letter word cons (not in its 4lw.commands.whitelist) (AdminServer fallback: no AdminServer port is set for it), add \`${WHITELIST_LINE}\` to its zoo.cfg and restart it`), text);
      assert.ok(!describeLookup(l, { fixes: false }).includes('zoo.cfg'));
    });

    it('a server that is down or frozen is named as such, and does not hold up the others', async () => {
      const started = Date.now();
      const reading = await readConnections(SERVERS, { timeoutMs: 300, io: capturedIo({ 1: 'down', 2: 'frozen' }) });
      assert.ok(Date.now() - started < 2000, 'each server has its own deadline');
      const l = locateSession(reading, SESSIONS.server1.sessionId);
      assert.equal(l.found, false);
      if (l.found) return;
      assert.match(renderMessage(l.servers[0].reason), /^it is down \(connection refused/);
      assert.match(renderMessage(l.servers[1].reason), /^it did not answer in time/);
      assert.equal(l.servers[0].label, '127.0.0.1:2181', 'no id without conf');
    });

    it('a refused cons falls back to the AdminServer when its port is known', async () => {
      const servers = SERVERS.map((s) => (s.port === 2183 ? { ...s, adminPort: 8083 } : s));
      // Member 3 "has" the session captured on member 2's AdminServer.
      const io = capturedIo({}, fixture('admin-connections-server2.json'));
      const reading = await readConnections(servers, { timeoutMs: 1000, io });
      assert.ok(io.sent.includes('admin 8083:connections'));
      const three = reading.servers[2];
      assert.equal(three.via, 'adminServer');
      assert.equal(three.problem?.kind, 'notWhitelisted');
      const l = locateSession({ servers: [three], at: reading.at }, SESSIONS.server2.sessionId);
      assert.ok(l.found);
      assert.equal(l.via, 'adminServer');
      assert.equal(l.client, `127.0.0.1:${SESSIONS.server2.local.port}`);
    });

    it('every server answered and none has it: the session is between servers or ending', async () => {
      const reading = await readConnections(SERVERS.slice(0, 2), { timeoutMs: 1000, io: capturedIo() });
      const l = locateSession(reading, '0x99');
      assert.ok(!l.found && l.allAnswered);
      assert.match(describeLookup(l), /^not connected to any server right now \(.*\); its client may be between servers, or gone until the session times out$/);
    });

    it('words the lookup through the Translate it is given', async () => {
      const io = capturedIo();
      const reading = await readConnections(SERVERS, { timeoutMs: 1000, io });
      const found = locateSession(reading, SESSIONS.server1.sessionId);
      const missing = locateSession(reading, '0x30000dead0000');
      const between = locateSession({ servers: reading.servers.slice(0, 2), at: reading.at }, '0x99');
      const none = locateSession({ servers: [], at: reading.at }, '0x99');
      for (const l of [found, missing, between, none]) {
        for (const fixes of [true, false]) {
          const text = describeLookup(l, { fixes }, marking);
          assert.match(text, /^«/, text);
          assert.equal(untranslated(text), '', text);
        }
      }
      assert.match(describeLookup(between, {}, marking), /«server\.1 \(127\.0\.0\.1:2181\): «not among its 1 session»»/);
      assert.equal(formatTime(new Date(NaN), marking), '«an unknown time»');
    });
  });
});
