import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import {
  ProbeError,
  cleanText,
  figuresFromMntr,
  isNotServing,
  notWhitelistedWord,
  parseCons,
  parseConf,
  parseIsro,
  parseMemberLine,
  parseMembership,
  parseMntr,
  parseNumber,
  parseSrvr,
  parseVersion,
  parseZxid,
  sendFourLetterWord,
  whitelistLine,
} from '../../../src/zk/health/fourLetterWords';
import { fixture, hasFixture } from './fixtures';

/** A TCP server that answers each connection with `reply(word)` (or hangs when it returns undefined). */
async function fakeServer(reply: (word: string, socket: net.Socket) => string | undefined | 'hang'): Promise<{ port: number; words: string[]; connections: number; close(): Promise<void> }> {
  const words: string[] = [];
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (d) => {
      const w = d.toString('utf8');
      words.push(w);
      const r = reply(w, socket);
      if (r === 'hang' || r === undefined) return;
      socket.end(r);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    words,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function rejects(p: Promise<unknown>, kind: string, message?: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ProbeError, String(e));
    assert.equal(e.kind, kind, e.message);
    if (message) assert.match(e.message, message);
    return;
  }
  assert.fail(`expected ${kind}`);
}

const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';

describe('fourLetterWords', () => {
  describe('socket client', () => {
    it('sends the word and reads the reply to the end', async () => {
      const s = await fakeServer(() => 'Zookeeper version: 3.8.0\nMode: standalone\n');
      try {
        const reply = await sendFourLetterWord('127.0.0.1', s.port, 'srvr', { timeoutMs: 1000 });
        assert.equal(reply, 'Zookeeper version: 3.8.0\nMode: standalone\n');
        assert.deepEqual(s.words, ['srvr']);
      } finally {
        await s.close();
      }
    });

    it('refuses state-changing words without opening a socket', async () => {
      const s = await fakeServer(() => 'ok');
      try {
        for (const w of ['srst', 'crst', 'stat_reset', 'connection_stat_reset', 'set_trace_mask', 'stmk', 'kill', 'SRST', 'mntr\n', '']) {
          await rejects(sendFourLetterWord('127.0.0.1', s.port, w, { timeoutMs: 500 }), 'refusedCommand', /never sent/);
        }
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(s.connections, 0);
      } finally {
        await s.close();
      }
    });

    it('a server that accepts but never answers (frozen) fails at the deadline', async () => {
      const s = await fakeServer(() => 'hang');
      try {
        const t0 = Date.now();
        await rejects(sendFourLetterWord('127.0.0.1', s.port, 'mntr', { timeoutMs: 200 }), 'timeout', /accepted the connection but did not answer "mntr" within 200 ms/);
        const took = Date.now() - t0;
        assert.ok(took >= 190 && took < 1000, `${took} ms`);
      } finally {
        await s.close();
      }
    });

    it('a server that sends part of a reply and then stalls still fails at the deadline', async () => {
      const s = await fakeServer((_w, socket) => {
        socket.write('zk_version\t3.8.0\nzk_server_st');
        return 'hang';
      });
      try {
        await rejects(sendFourLetterWord('127.0.0.1', s.port, 'mntr', { timeoutMs: 200 }), 'timeout');
      } finally {
        await s.close();
      }
    });

    it('nothing listening: refused, at once', async () => {
      const s = await fakeServer(() => '');
      const port = s.port;
      await s.close();
      await rejects(sendFourLetterWord('127.0.0.1', port, 'srvr', { timeoutMs: 2000 }), 'refused', /connection refused/);
    });

    it('an endless reply is cut off at maxBytes', async () => {
      const s = await fakeServer((_w, socket) => {
        const chunk = 'x'.repeat(64 * 1024);
        const pump = () => {
          while (socket.writable && socket.write(chunk));
          if (socket.writable) socket.once('drain', pump);
        };
        pump();
        return 'hang';
      });
      try {
        await rejects(sendFourLetterWord('127.0.0.1', s.port, 'mntr', { timeoutMs: 5000, maxBytes: 256 * 1024 }), 'tooLarge');
      } finally {
        await s.close();
      }
    });

    it('abort stops waiting', async () => {
      const s = await fakeServer(() => 'hang');
      try {
        const ac = new AbortController();
        const p = sendFourLetterWord('127.0.0.1', s.port, 'mntr', { timeoutMs: 5000, signal: ac.signal });
        setTimeout(() => ac.abort(), 50);
        await rejects(p, 'aborted');
      } finally {
        await s.close();
      }
    });
  });

  describe('small parsers', () => {
    it('numbers, zxids, versions', () => {
      assert.equal(parseNumber('12'), 12);
      assert.equal(parseNumber(' 0.25 '), 0.25);
      assert.equal(parseNumber('-1'), -1);
      for (const bad of ['', 'NaN', 'Infinity', '1e999', '0x10', '12abc', '1,5', undefined]) assert.equal(parseNumber(bad), undefined, String(bad));
      assert.equal(parseZxid('0x100000005'), 0x100000005n);
      assert.equal(parseZxid('0xffffffffffffffff'), 0xffffffffffffffffn);
      assert.equal(parseZxid('0x1ffffffffffffffff'), undefined);
      assert.equal(parseZxid('zz'), undefined);
      assert.equal(parseVersion('3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC'), '3.8.0');
      assert.equal(parseVersion('3.9.2-e454e8c7283100c7caec6dcae2bc82aaecb63023, built on 2024-02-12'), '3.9.2');
      assert.equal(parseVersion(HOSTILE), undefined);
    });

    it('recognises "not whitelisted" and "not serving" replies', () => {
      assert.equal(notWhitelistedWord('mntr is not executed because it is not in the whitelist.\n'), 'mntr');
      assert.equal(notWhitelistedWord('zk_version\t3.8.0'), undefined);
      assert.equal(notWhitelistedWord(`${HOSTILE} is not executed because it is not in the whitelist.`), undefined);
      assert.ok(isNotServing('This ZooKeeper instance is not currently serving requests\n'));
      assert.ok(!isNotServing('Mode: follower'));
    });

    it('the whitelist line names what is needed plus what already works, in a fixed order', () => {
      assert.equal(whitelistLine([]), '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok');
      assert.equal(whitelistLine(['cons', 'srvr', 'wchs']), '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok,cons,wchs');
      assert.equal(whitelistLine(['srst', HOSTILE]), '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok', 'only known read-only words');
    });

    it('cleanText drops control and bidi characters and caps the length', () => {
      assert.equal(cleanText('a\u0000b\u001b[31mc\u202ed'), 'ab[31mcd');
      assert.equal(cleanText('x'.repeat(1000)).length, 256);
    });

    it('isro', () => {
      assert.equal(parseIsro('rw'), 'rw');
      assert.equal(parseIsro('ro\n'), 'ro');
      assert.equal(parseIsro('yes'), undefined);
      assert.equal(parseIsro(''), undefined);
    });
  });

  describe('fixtures captured from ZooKeeper 3.8', () => {
    before(function () {
      if (!hasFixture('mntr-leader.txt')) this.skip();
    });

    it('mntr on the leader: the figures the panel shows', () => {
      const { values, skippedLines } = parseMntr(fixture('mntr-leader.txt'));
      assert.equal(skippedLines, 0);
      assert.ok(values.size > 300, `${values.size} keys`);
      const f = figuresFromMntr(values);
      assert.equal(f.role, 'leader');
      assert.equal(f.version, '3.8.0');
      assert.match(f.versionFull!, /^3\.8\.0-/);
      for (const k of ['latencyMin', 'latencyAvg', 'latencyMax', 'outstanding', 'connections', 'znodes', 'watches', 'ephemerals', 'approximateDataSize', 'openFds', 'maxFds', 'uptimeMs', 'packetsReceived', 'packetsSent', 'learners', 'syncedFollowers', 'pendingSyncs', 'votingMembers'] as const) {
        assert.equal(typeof f[k], 'number', k);
      }
      assert.equal(f.learners, 2);
      assert.equal(f.syncedFollowers, 2);
      assert.equal(f.votingMembers, 3);
      assert.ok(f.openFds! < f.maxFds!);
      assert.equal(f.zxid, undefined, 'mntr carries no zxid: srvr does');
    });

    it('mntr on a follower: no leader-only figures', () => {
      const f = figuresFromMntr(parseMntr(fixture('mntr-follower.txt')).values);
      assert.equal(f.role, 'follower');
      assert.match(f.peerState!, /following/);
      assert.equal(f.learners, undefined);
      assert.equal(f.syncedFollowers, undefined);
      assert.equal(typeof f.znodes, 'number');
    });

    it('srvr on the leader and a follower', () => {
      const l = parseSrvr(fixture('srvr-leader.txt'));
      assert.ok(l.recognised);
      assert.equal(l.notServing, false);
      assert.equal(l.figures.role, 'leader');
      assert.equal(typeof l.figures.zxid, 'bigint');
      assert.ok(l.figures.zxid! >= 0x100000000n, 'epoch >= 1');
      assert.equal(l.figures.version, '3.8.0');
      for (const k of ['latencyMin', 'latencyAvg', 'latencyMax', 'packetsReceived', 'packetsSent', 'connections', 'outstanding', 'znodes'] as const) assert.equal(typeof l.figures[k], 'number', k);
      const f = parseSrvr(fixture('srvr-follower.txt'));
      assert.equal(f.figures.role, 'follower');
    });

    it('srvr and mntr from a server without quorum', () => {
      const r = parseSrvr(fixture('srvr-not-serving.txt'));
      assert.ok(r.notServing);
      assert.ok(isNotServing(fixture('srvr-not-serving.txt')));
    });

    it('a word that is not whitelisted', () => {
      assert.equal(notWhitelistedWord(fixture('mntr-not-whitelisted.txt')), 'mntr');
      assert.equal(parseMntr(fixture('mntr-not-whitelisted.txt')).values.size, 0);
    });

    it('conf: server id, client port, membership', () => {
      const c = parseConf(fixture('conf-follower.txt'));
      assert.ok(c.recognised);
      assert.equal(typeof c.serverId, 'number');
      assert.equal(typeof c.clientPort, 'number');
      assert.equal(c.members.length, 3);
      assert.deepEqual(
        c.members.map((m) => [m.id, m.host, m.type]),
        [
          [1, '127.0.0.1', 'participant'],
          [2, '127.0.0.1', 'participant'],
          [3, '127.0.0.1', 'participant'],
        ],
      );
      assert.equal(typeof c.members[0].quorumPort, 'number');
      assert.equal(typeof c.members[0].electionPort, 'number');
    });

    it('cons: one entry per client, the established session with its id', () => {
      const list = parseCons(fixture('cons.txt'));
      assert.ok(list.length >= 2, `${list.length} connections`);
      assert.ok(list.every((c) => c.address === '127.0.0.1' && c.port > 0));
      const withSession = list.filter((c) => c.sessionId !== undefined);
      assert.ok(withSession.length >= 1);
      assert.match(withSession[0].sessionId!, /^0x[0-9a-f]+$/);
      assert.equal(typeof withSession[0].timeoutMs, 'number');
    });

    it('isro', () => {
      assert.equal(parseIsro(fixture('isro.txt')), 'rw');
    });
  });

  describe('garbage, truncated and hostile replies', () => {
    const garbage = ['', '\n\n\n', '\u0000\u0001\u0002', 'HTTP/1.1 400 Bad Request\r\n\r\n', '{"zk_version": 1}', 'x'.repeat(100_000), '\t\t\t', 'zk_\t', '=\n=\n', ': : :'];

    it('never throw, and yield nothing from garbage', () => {
      for (const g of garbage) {
        assert.doesNotThrow(() => parseMntr(g));
        const s = parseSrvr(g);
        assert.equal(s.recognised, false, JSON.stringify(g.slice(0, 20)));
        assert.deepEqual(parseConf(g).members, []);
        assert.deepEqual(parseCons(g), []);
        assert.equal(parseIsro(g), undefined);
      }
    });

    it('truncated mntr: complete lines are kept, the cut one is not misread', () => {
      const text = 'zk_version\t3.8.0-x\nzk_server_state\tfollower\nzk_avg_latency\t0.5\nzk_znode_co';
      const { values, skippedLines } = parseMntr(text);
      assert.equal(values.size, 3);
      assert.equal(skippedLines, 1);
      const f = figuresFromMntr(values);
      assert.equal(f.znodes, undefined);
      assert.equal(f.latencyAvg, 0.5);
      // A value cut in the middle of a number stays a number or nothing, never NaN.
      const cut = figuresFromMntr(parseMntr('zk_avg_latency\t0.\nzk_max_latency\t12').values);
      assert.equal(cut.latencyAvg, undefined);
      assert.equal(cut.latencyMax, 12);
    });

    it('truncated srvr: what arrived is used', () => {
      const r = parseSrvr('Zookeeper version: 3.8.0-x, built on\nLatency min/avg/max: 0/0.3/4\nReceived: 10\nSen');
      assert.equal(r.recognised, false);
      assert.equal(r.figures.latencyAvg, 0.3);
      assert.equal(r.figures.packetsReceived, 10);
      assert.equal(r.figures.packetsSent, undefined);
    });

    it('hostile mntr values are kept as inert text, capped, and never become numbers or roles', () => {
      const text = [`zk_version\t${HOSTILE}`, `zk_server_state\t${HOSTILE}`, `zk_avg_latency\t${HOSTILE}`, 'zk_znode_count\t1e400', `zk_peer_state\t${'A'.repeat(10_000)}`, '<b>key</b>\tvalue', 'zk_max_latency\t-0', '__proto__\tx', 'constructor\ty'].join('\n');
      const { values } = parseMntr(text);
      assert.equal(values.has('<b>key</b>'), false);
      const f = figuresFromMntr(values);
      assert.equal(f.versionFull, HOSTILE, 'kept as text: the renderer uses textContent');
      assert.equal(f.version, undefined);
      assert.equal(f.role, 'unknown');
      assert.equal(f.rawRole!.length <= 40, true);
      assert.equal(f.latencyAvg, undefined);
      assert.equal(f.znodes, undefined);
      assert.equal(f.peerState!.length, 80);
      assert.equal(({} as Record<string, unknown>).x, undefined, 'no prototype pollution');
    });

    it('hostile srvr: mode and zxid must match their shape', () => {
      const r = parseSrvr(`Zookeeper version: ${HOSTILE}\nMode: leader<script>\nZxid: 0x1<img>\nNode count: 5; DROP TABLE\n`);
      assert.equal(r.figures.role, 'unknown');
      assert.equal(r.figures.zxid, undefined);
      assert.equal(r.figures.znodes, undefined);
      assert.equal(r.figures.versionFull, HOSTILE);
    });

    it('membership lines: IPv6, client addresses, observers; hostile hosts are dropped', () => {
      assert.deepEqual(parseMemberLine('server.1=10.0.0.1:2888:3888:participant;10.0.0.1:2181'), { id: 1, host: '10.0.0.1', quorumPort: 2888, electionPort: 3888, type: 'participant', clientHost: '10.0.0.1', clientPort: 2181 });
      assert.deepEqual(parseMemberLine('server.7=[fe80::1]:2888:3888:observer;[::]:2181'), { id: 7, host: 'fe80::1', quorumPort: 2888, electionPort: 3888, type: 'observer', clientHost: '::', clientPort: 2181 });
      assert.deepEqual(parseMemberLine('server.2=zk2:2888:3888;2181'), { id: 2, host: 'zk2', quorumPort: 2888, electionPort: 3888, type: 'participant', clientPort: 2181 });
      assert.deepEqual(parseMemberLine('server.3=zk3:2888:3888'), { id: 3, host: 'zk3', quorumPort: 2888, electionPort: 3888, type: 'participant' });
      assert.equal(parseMemberLine(`server.4=${HOSTILE}:2888:3888`), undefined);
      assert.equal(parseMemberLine('server.5=zk5:2888:3888:spy'), undefined);
      assert.equal(parseMemberLine('server.x=zk:1:2'), undefined);
      assert.deepEqual(parseMemberLine('server.6=zk6:99999:3888;zk6:70000'), { id: 6, host: 'zk6', electionPort: 3888, type: 'participant' }, 'out-of-range ports dropped');
      const m = parseMembership('server.1=a:1:2:participant;a:2181\nserver.1=b:1:2\nversion=100000000\njunk');
      assert.equal(m.members.length, 1, 'first line per id wins');
      assert.equal(m.configVersion, '100000000');
    });

    it('cons: IPv6 peers, half-open lines, hostile fields', () => {
      const text = [
        ' /0:0:0:0:0:0:0:1:51234[1](queued=0,recved=5,sent=5,sid=0x1000a2b3c4d0000,lop=PING,est=1700000000000,to=30000,lcxid=0x3,lzxid=0x100000004,lresp=1700000001000,llat=0,minlat=0,avglat=0.2,maxlat=1)',
        ' /127.0.0.1:40000[0](queued=0,recved=1,sent=0)',
        ` /127.0.0.1:40001[1](queued=0,recved=1,sent=1,sid=${HOSTILE},lop=<b>)`,
        ' /127.0.0.1:40002[1](queued=0,recved=1,sent=1,sid=0x1',
        `/${HOSTILE}:1[1](queued=0)`,
      ].join('\n');
      const list = parseCons(text);
      assert.equal(list.length, 3);
      assert.equal(list[0].address, '0:0:0:0:0:0:0:1');
      assert.equal(list[0].port, 51234);
      assert.equal(list[0].sessionId, '0x1000a2b3c4d0000');
      assert.equal(list[0].lastOperation, 'PING');
      assert.equal(list[0].latencyAvg, 0.2);
      assert.equal(list[1].sessionId, undefined);
      assert.equal(list[2].sessionId, undefined);
      assert.equal(list[2].lastOperation, undefined);
    });
  });
});
