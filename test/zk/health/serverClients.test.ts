// The Clients section's pure logic: sorting (most requests first) and the 100-row limit, the panel's
// own session marked, the reasons when a server cannot be read (with the config line), and the
// on-demand reader: at once when wanted, again at the interval, one reading in flight per server,
// nothing after the details are closed. `cons` replies from real servers (test/fixtures/sessions).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_ROWS_LIMIT, type ServerClients } from '../../../src/protocol/health';
import { ProbeError, parseCons, type ClientConnection, type RequestOptions } from '../../../src/zk/health/fourLetterWords';
import { ClientsMonitor, clientRows, fetchServerClients, serverClients } from '../../../src/zk/health/serverClients';
import type { SessionsIo } from '../../../src/zk/sessions';
import { marking, untranslated } from '../markingTranslate';

const DIR = join(__dirname, '..', '..', '..', ...(__dirname.includes(join('out', 'test')) ? ['..'] : []), 'test', 'fixtures', 'sessions');
const fixture = (name: string) => readFileSync(join(DIR, name), 'utf8');

const conn = (port: number, received: number, sent = 0, extra: Partial<ClientConnection> = {}): ClientConnection => ({ address: '10.0.0.1', port, received, sent, ...extra });

function fakeIo(reply: (word: string) => string | Promise<string>): { io: Partial<SessionsIo>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    io: {
      fourLetterWord: async (_h: string, _p: number, word: string, _o: RequestOptions) => {
        calls.push(word);
        return reply(word);
      },
      adminCommand: async () => {
        throw new ProbeError('refused', 'connection refused');
      },
    },
  };
}

describe('server clients', () => {
  describe('clientRows', () => {
    it('sorts by most requests first (then most sent, then the oldest), and marks the own session', () => {
      const list = [
        conn(1, 5, 1, { sessionId: '0x01' }),
        conn(2, 50, 2, { sessionId: '0x00A2' }),
        conn(3, 5, 9),
        conn(4, 5, 1, { established: 10 }),
        conn(5, 5, 1, { established: 5 }),
      ];
      const r = clientRows(list, '0xa2');
      assert.deepEqual(
        r.rows.map((x) => x.client),
        ['10.0.0.1:2', '10.0.0.1:3', '10.0.0.1:5', '10.0.0.1:4', '10.0.0.1:1'],
      );
      assert.deepEqual(
        r.rows.map((x) => x.own),
        [true, false, false, false, false],
      );
      assert.equal(r.rows[0].sessionId, '0xa2');
      assert.deepEqual([r.total, r.more], [5, 0]);
    });

    it(`keeps at most ${CLIENT_ROWS_LIMIT} rows and says how many more there are`, () => {
      const list = Array.from({ length: 250 }, (_, i) => conn(1000 + i, i));
      const r = clientRows(list, undefined);
      assert.equal(r.rows.length, CLIENT_ROWS_LIMIT);
      assert.deepEqual([r.total, r.more], [250, 150]);
      assert.equal(r.rows[0].received, 249, 'the busiest first');
      assert.equal(r.rows[99].received, 150);
      assert.equal(clientRows(list, undefined, 3).rows.length, 3);
    });

    it('rows from a real cons reply: address, session, latencies; IPv6 in brackets; no own session without an id', () => {
      const r = clientRows(parseCons(fixture('cons-server1.txt')), '0x10000be68830000');
      assert.deepEqual(r.rows[0], {
        client: '127.0.0.1:45900',
        own: true,
        sessionId: '0x10000be68830000',
        established: 1795729595007,
        lastOperation: 'GETD',
        queued: 0,
        received: 3,
        sent: 3,
        latencyMin: 0,
        latencyAvg: 4,
        latencyMax: 9,
      });
      assert.deepEqual(r.rows[1], { client: '127.0.0.1:45904', own: false, queued: 0, received: 1, sent: 0 }, 'the 4lw connection itself: no session yet');
      const v6 = clientRows(parseCons(fixture('cons-ipv6.txt')), undefined);
      assert.ok(v6.rows.some((x) => x.client.startsWith('[::1]:')), JSON.stringify(v6.rows));
    });
  });

  describe('serverClients (the message for one reading)', () => {
    it('not whitelisted and no AdminServer: says so, with the line that fixes it', () => {
      const c = serverClients(
        {
          server: { host: '127.0.0.1', port: 2183 },
          label: '127.0.0.1:2183',
          problem: { kind: 'notWhitelisted', message: 'it refuses the four-letter word cons (not in its 4lw.commands.whitelist)', configLine: '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok,cons' },
          fallbackProblem: 'no AdminServer port is set for it',
        },
        undefined,
        42,
      );
      assert.deepEqual([c.at, c.rows, c.total, c.more], [42, [], 0, 0]);
      assert.equal(c.problem?.configLine, '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok,cons');
      assert.match(c.problem!.text, /^It refuses the four-letter word cons \(not in its 4lw\.commands\.whitelist\), and its AdminServer could not be asked instead \(no AdminServer port is set for it\)\. Add this line to its zoo\.cfg/);
    });

    it('a server that is down: the reason, no config line', () => {
      const c = serverClients({ server: { host: 'h', port: 1 }, label: 'h:1', problem: { kind: 'down', message: 'it is down (connection refused)' } }, undefined, 1);
      assert.deepEqual(c.problem, { text: 'It is down (connection refused).' });
    });

    it('read through the AdminServer: says so', () => {
      const c = serverClients({ server: { host: 'h', port: 1 }, label: 'h:1', connections: [conn(9, 1)], via: 'adminServer' }, undefined, 1);
      assert.equal(c.via, 'adminServer');
      assert.equal(c.rows.length, 1);
    });
  });

  describe('fetchServerClients', () => {
    it('asks cons only (no conf: the panel knows the server) and reports a refusal', async () => {
      const { io, calls } = fakeIo(() => fixture('cons-not-whitelisted.txt'));
      const c = await fetchServerClients({ host: '127.0.0.1', port: 2183 }, { timeoutMs: 500, io });
      assert.deepEqual(calls, ['cons']);
      assert.match(c.problem?.text ?? '', /refuses the four-letter word cons/);
      assert.equal(c.problem?.configLine, '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok,cons');
    });
  });

  describe("in the user's language", () => {
    it('words a refusal, a server that is down and one that is not serving through the Translate it is given', async () => {
      const replies: (() => string)[] = [
        () => fixture('cons-not-whitelisted.txt'),
        () => {
          throw new ProbeError('refused', 'connection refused');
        },
        () => 'This ZooKeeper instance is not currently serving requests',
      ];
      for (const reply of replies) {
        const { io } = fakeIo(reply);
        for (const adminPort of [undefined, 8080]) {
          const server = adminPort === undefined ? { host: '127.0.0.1', port: 2183 } : { host: '127.0.0.1', port: 2183, adminPort };
          const c = await fetchServerClients(server, { timeoutMs: 500, io, t: marking });
          assert.match(c.problem?.text ?? '', /^«/, c.problem?.text);
          assert.equal(untranslated(c.problem?.text ?? ''), '', c.problem?.text);
        }
      }
    });
  });

  describe('ClientsMonitor', () => {
    const server = { host: '127.0.0.1', port: 2181 };

    it('reads when wanted, again at the interval, never two at once per server, and stops when closed', async () => {
      let release: (() => void) | undefined;
      let inFlight = 0;
      let maxInFlight = 0;
      const { io, calls } = fakeIo(async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((r) => (release = r));
        inFlight--;
        return fixture('cons-server1.txt');
      });
      const got: [string, ServerClients][] = [];
      const m = new ClientsMonitor({ serverFor: (k) => (k === 'a' ? server : undefined), intervalMs: 30, timeoutMs: 1000, ownSessionId: () => '0x10000be68830000', onClients: (k, c) => got.push([k, c]), io });
      try {
        m.want('a');
        m.want('a'); // opened again before the first answer: still one reading
        await new Promise((r) => setTimeout(r, 100)); // several intervals pass while it is in flight
        assert.equal(calls.length, 1, 'one reading in flight');
        release!();
        await new Promise((r) => setTimeout(r, 10));
        assert.equal(got.length, 1);
        assert.equal(got[0][0], 'a');
        assert.equal(got[0][1].rows[0].own, true);
        // The next interval reads again.
        await new Promise((r) => setTimeout(r, 60));
        assert.equal(calls.length, 2, 'read again at the interval');
        assert.equal(maxInFlight, 1);
        m.stop('a');
        release!();
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(got.length, 1, 'nothing reported after the details were closed');
        assert.equal(calls.length, 2, 'nothing read after the details were closed');
        assert.deepEqual(m.watching, []);
      } finally {
        m.dispose();
      }
    });

    it('reads nothing for servers whose details are not open; an unknown server gets a reason', async () => {
      const { io, calls } = fakeIo(() => '');
      const got: [string, ServerClients][] = [];
      const m = new ClientsMonitor({ serverFor: () => undefined, intervalMs: 20, timeoutMs: 100, onClients: (k, c) => got.push([k, c]), io });
      try {
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual([calls.length, got.length], [0, 0]);
        m.want('member:4');
        await new Promise((r) => setTimeout(r, 5));
        assert.equal(calls.length, 0);
        assert.match(got[0][1].problem?.text ?? '', /does not poll this server/);
      } finally {
        m.dispose();
      }
    });

    it('gives up on a server that does not answer within the deadline', async () => {
      const never: Partial<SessionsIo> = {
        fourLetterWord: (_h, _p, _w, o) =>
          new Promise((_resolve, reject) => {
            const t = setTimeout(() => reject(new ProbeError('timeout', `no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
            o.signal?.addEventListener('abort', () => clearTimeout(t));
          }),
      };
      const got: ServerClients[] = [];
      const m = new ClientsMonitor({ serverFor: () => server, intervalMs: 10_000, timeoutMs: 50, onClients: (_k, c) => got.push(c), io: never });
      try {
        m.want('a');
        await new Promise((r) => setTimeout(r, 150));
        assert.equal(got.length, 1);
        assert.match(got[0].problem?.text ?? '', /^It did not answer in time/);
      } finally {
        m.dispose();
      }
    });
  });
});
