import * as assert from 'node:assert/strict';
import { ProbeError, type RequestOptions } from '../../../src/zk/health/fourLetterWords';
import type { JsonObject } from '../../../src/zk/health/adminServer';
import { clockTime } from '../../../src/zk/health/healthModel';
import { HealthPoller, RingBuffer, type HealthIo } from '../../../src/zk/health/healthPoller';

type Behaviour = 'ok' | 'down' | 'frozen';

/** A fake ensemble behind the HealthIo interface: servers 1..3 on ports 2181..2183, admin on 8081..8083. */
class FakeEnsemble {
  behaviour = new Map<number, Behaviour>([
    [2181, 'ok'],
    [2182, 'ok'],
    [2183, 'ok'],
  ]);
  leaderPort = 2183;
  refused = new Map<number, Set<string>>();
  sent: { port: number; word: string; at: number }[] = [];
  inFlight = new Map<number, number>();
  maxInFlight = new Map<number, number>();
  zxid = 0x100000005n;
  packets = 100;
  membership = [1, 2, 3].map((id) => `server.${id}=127.0.0.1:${2887 + id}:${3887 + id}:participant`).join('\n');

  private enter(port: number): void {
    const n = (this.inFlight.get(port) ?? 0) + 1;
    this.inFlight.set(port, n);
    this.maxInFlight.set(port, Math.max(n, this.maxInFlight.get(port) ?? 0));
  }

  private leave(port: number): void {
    this.inFlight.set(port, (this.inFlight.get(port) ?? 1) - 1);
  }

  private async behave(port: number, opts: RequestOptions): Promise<void> {
    const b = this.behaviour.get(port) ?? 'down';
    if (b === 'down') throw new ProbeError('refused', 'connection refused');
    if (b === 'frozen') {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, 60_000);
        const fail = () => {
          clearTimeout(t);
          reject(new ProbeError('timeout', `accepted the connection but did not answer within ${opts.timeoutMs} ms`));
        };
        const d = setTimeout(fail, opts.timeoutMs);
        opts.signal?.addEventListener('abort', () => {
          clearTimeout(t);
          clearTimeout(d);
          reject(new ProbeError('aborted', 'stopped'));
        });
      });
    }
  }

  io(): HealthIo {
    return {
      fourLetterWord: async (_host, port, word, opts) => {
        this.sent.push({ port, word, at: Date.now() });
        this.enter(port);
        try {
          await this.behave(port, opts);
          if (this.refused.get(port)?.has(word)) return `${word} is not executed because it is not in the whitelist.`;
          const id = port - 2180;
          const role = port === this.leaderPort ? 'leader' : 'follower';
          this.packets += 10;
          if (word === 'srvr') return `Zookeeper version: 3.8.0-abc, built on x\nLatency min/avg/max: 0/1.5/9\nReceived: ${this.packets}\nSent: ${this.packets}\nConnections: 1\nOutstanding: 0\nZxid: 0x${this.zxid.toString(16)}\nMode: ${role}\nNode count: 5\n`;
          if (word === 'mntr') return `zk_version\t3.8.0-abc\nzk_server_state\t${role}\nzk_avg_latency\t1.5\nzk_max_latency\t9\nzk_min_latency\t0\nzk_packets_received\t${this.packets}\nzk_packets_sent\t${this.packets}\nzk_num_alive_connections\t1\nzk_outstanding_requests\t0\nzk_znode_count\t5\n${role === 'leader' ? 'zk_synced_followers\t2\nzk_learners\t2\nzk_pending_syncs\t0\n' : ''}`;
          if (word === 'conf') return `clientPort=${port}\nserverId=${id}\nmembership: \n${this.membership}\nversion=0\n`;
          throw new Error(`unexpected word ${word}`);
        } finally {
          this.leave(port);
        }
      },
      adminCommand: async (_host, port, command, opts): Promise<JsonObject> => {
        const clientPort = port - 8081 + 2181;
        this.sent.push({ port: clientPort, word: `admin:${command}`, at: Date.now() });
        this.enter(clientPort);
        try {
          await this.behave(clientPort, opts);
          const role = clientPort === this.leaderPort ? 'leader' : 'follower';
          if (command === 'monitor') return { version: '3.8.0-abc', server_state: role, avg_latency: 2.5, num_alive_connections: 4, packets_received: this.packets, packets_sent: this.packets };
          if (command === 'leader') return { is_leader: role === 'leader', leader_id: this.leaderPort - 2180, leader_ip: '127.0.0.1', command: 'leader', error: null };
          if (command === 'configuration') return { server_id: clientPort - 2180, client_port: clientPort };
          if (command === 'voting_view') return { current_config: {} };
          throw new Error(`unexpected admin ${command}`);
        } finally {
          this.leave(clientPort);
        }
      },
    };
  }
}

function poller(fake: FakeEnsemble, extra: Partial<ConstructorParameters<typeof HealthPoller>[0]> = {}): HealthPoller {
  return new HealthPoller({
    connectionName: 'test',
    servers: [2181, 2182, 2183].map((port) => ({ host: '127.0.0.1', port, adminPort: port - 2181 + 8081 })),
    intervalMs: 60_000,
    timeoutMs: 300,
    io: fake.io(),
    ...extra,
  });
}

describe('healthPoller', () => {
  it('RingBuffer keeps the newest entries, oldest first', () => {
    const r = new RingBuffer<number>(3);
    assert.deepEqual(r.toArray(), []);
    assert.equal(r.last(), undefined);
    for (let i = 1; i <= 5; i++) r.push(i);
    assert.deepEqual(r.toArray(), [3, 4, 5]);
    assert.equal(r.size, 3);
    assert.equal(r.last(), 5);
    r.clear();
    assert.equal(r.size, 0);
    assert.throws(() => new RingBuffer(0), RangeError);
  });

  it('a round reads srvr, mntr and (first time) conf from every server; healthy', async () => {
    const fake = new FakeEnsemble();
    const p = poller(fake);
    await p.pollNow();
    const snap = p.snapshot();
    assert.equal(snap.summary.level, 'healthy', snap.summary.text);
    assert.equal(snap.summary.leaderId, 3);
    assert.deepEqual(
      snap.servers.map((s) => [s.id, s.role, s.reach, s.source]),
      [
        [1, 'follower', 'up', 'fourLetterWords'],
        [2, 'follower', 'up', 'fourLetterWords'],
        [3, 'leader', 'up', 'fourLetterWords'],
      ],
    );
    assert.deepEqual([...new Set(fake.sent.map((s) => s.word))].sort(), ['conf', 'mntr', 'srvr']);
    // Second round: conf is not asked again yet.
    fake.sent = [];
    await p.pollNow();
    assert.deepEqual([...new Set(fake.sent.map((s) => s.word))].sort(), ['mntr', 'srvr']);
    p.dispose();
  });

  it('a frozen server times out on its own deadline while the others keep updating; never two probes at once', async () => {
    const fake = new FakeEnsemble();
    const p = poller(fake, { timeoutMs: 400 });
    await p.pollNow();
    fake.behaviour.set(2181, 'frozen');
    const started = Date.now();
    const updates: number[] = [];
    p.on('update', () => updates.push(Date.now() - started));
    const round = p.pollNow();
    // While server 1 hangs, the others' results arrive.
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(updates.length >= 2, `the healthy servers updated first (${updates.length} updates)`);
    assert.equal(p.snapshot().servers[1].reach, 'up');
    // A second round while server 1's probe is still in flight sends nothing to it.
    const sentBefore = fake.sent.filter((s) => s.port === 2181).length;
    const second = p.pollNow();
    await Promise.all([round, second]);
    assert.equal(fake.sent.filter((s) => s.port === 2181).length, sentBefore, 'no second probe to the frozen server');
    assert.equal(fake.maxInFlight.get(2181), 1);
    assert.equal(fake.maxInFlight.get(2182), 1);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 1500, `bounded by the deadline (${elapsed} ms)`);
    const snap = p.snapshot();
    assert.equal(snap.servers[0].reach, 'timeout');
    assert.match(snap.servers[0].error!, /did not answer within 400 ms/);
    assert.equal(snap.summary.level, 'degraded');
    assert.ok(snap.alerts.some((a) => a.kind === 'serverTimeout'));
    p.dispose();
  });

  it('a frozen server: the alert gives the clock time of its last answer and how long it has not answered (issue 14 item 15)', async () => {
    const fake = new FakeEnsemble();
    // A clock that the test moves between rounds (probes are an interval apart) and that runs during them.
    const t0 = new Date(2026, 11, 2, 10, 15, 0).getTime();
    let jumped = 0;
    const realStart = Date.now();
    const now = () => t0 + jumped + (Date.now() - realStart);
    const p = poller(fake, { timeoutMs: 300, now });
    await p.pollNow(); // answered at ~10:15:00
    const answeredAt = p.result().servers[0].lastOkAt!;
    // The status bar polls every 15 s: the server froze 5.5 s before the next probe, 9.5 s after its last answer.
    jumped += 9_500;
    fake.behaviour.set(2181, 'frozen');
    jumped += 5_500;
    const missedAt = now();
    await p.pollNow(); // sent at ~10:15:15, no answer within 300 ms
    const checkedAt = now();
    const alert = p.result().alerts.find((a) => a.kind === 'serverTimeout' && a.server?.includes('2181'))!;
    assert.ok(alert, JSON.stringify(p.result().alerts));
    assert.ok(alert.detail.includes(`Last answered at ${clockTime(answeredAt)}.`), alert.detail);
    assert.ok(alert.detail.includes(`No answer since ${clockTime(missedAt)}:`), alert.detail);
    const silent = Number(/: ([\d.]+) s without an answer/.exec(alert.detail)?.[1]);
    assert.ok(silent >= 0.2 && silent <= (checkedAt - missedAt) / 1000 + 0.1, `silent for about the probe's deadline, not since the last answer 15 s before: ${alert.detail}`);
    assert.doesNotMatch(alert.detail, /\b1[45](\.\d)? s without/, alert.detail);

    // A second missed probe a round later: still counted from the first one.
    jumped += 15_000;
    await p.pollNow();
    const again = p.result().alerts.find((a) => a.kind === 'serverTimeout' && a.server?.includes('2181'))!;
    assert.ok(again.detail.includes(`No answer since ${clockTime(missedAt)}:`), again.detail);
    assert.match(again.detail, /: 1[56] s without an answer/); // 15 s later, plus two probe deadlines
    // An answer clears it.
    fake.behaviour.set(2181, 'ok');
    await p.pollNow();
    assert.ok(!p.result().alerts.some((a) => a.kind === 'serverTimeout'));
    p.dispose();
  });

  it('a server that is down is shown down after one round', async () => {
    const fake = new FakeEnsemble();
    const p = poller(fake);
    await p.pollNow();
    fake.behaviour.set(2182, 'down');
    await p.pollNow();
    const snap = p.snapshot();
    assert.equal(snap.servers[1].reach, 'down');
    assert.equal(snap.summary.level, 'degraded');
    assert.ok(snap.alerts.some((a) => a.kind === 'serverDown'));
    p.dispose();
  });

  it('mntr and conf not whitelisted: AdminServer fallback, then a recheck only every N rounds', async () => {
    const fake = new FakeEnsemble();
    fake.refused.set(2182, new Set(['mntr', 'conf']));
    const p = poller(fake, { recheckRefusedEveryRounds: 3, confEveryRounds: 3 });
    await p.pollNow();
    let snap = p.snapshot();
    const row = snap.servers[1];
    assert.equal(row.source, 'both');
    assert.equal(row.latencyAvg, 2.5, 'from /commands/monitor');
    assert.equal(row.id, 2, 'from /commands/configuration');
    const alert = snap.alerts.find((a) => a.kind === 'fourLetterWords')!;
    assert.equal(alert.fix!.configLine, '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok');
    assert.deepEqual(fake.sent.filter((s) => s.port === 2182).map((s) => s.word), ['srvr', 'mntr', 'admin:monitor', 'admin:leader', 'conf', 'admin:configuration', 'admin:voting_view']);
    fake.sent = [];
    await p.pollNow();
    assert.deepEqual(fake.sent.filter((s) => s.port === 2182).map((s) => s.word), ['srvr', 'admin:monitor', 'admin:leader'], 'the refused word is not resent every round');
    fake.sent = [];
    fake.refused.delete(2182); // the operator fixed the whitelist
    await p.pollNow();
    snap = p.snapshot();
    assert.equal(snap.alerts.find((a) => a.kind === 'fourLetterWords')?.severity, 'info', 'the fallback is remembered on rounds that do not need it');
    await p.pollNow();
    snap = p.snapshot();
    assert.equal(snap.servers[1].source, 'fourLetterWords');
    assert.equal(snap.alerts.find((a) => a.kind === 'fourLetterWords'), undefined, 'the alert goes once the word is answered');
    p.dispose();
  });

  it('without an AdminServer port the alert says the fallback is missing', async () => {
    const fake = new FakeEnsemble();
    fake.refused.set(2181, new Set(['mntr']));
    const p = new HealthPoller({ connectionName: 't', servers: [{ host: '127.0.0.1', port: 2181 }], intervalMs: 60_000, timeoutMs: 300, io: fake.io() });
    await p.pollNow();
    const a = p.snapshot().alerts.find((x) => x.kind === 'fourLetterWords')!;
    assert.equal(a.severity, 'warning');
    assert.match(a.detail, /no AdminServer port is known/);
    p.dispose();
  });

  it('history: aligned rounds per server, packets per second from counter deltas, gaps as null', async () => {
    const fake = new FakeEnsemble();
    let now = 1_000_000;
    const p = poller(fake, { now: () => now, historyMs: 3 * 60_000 });
    await p.pollNow();
    now += 1000;
    fake.behaviour.set(2181, 'down');
    await p.pollNow();
    now += 1000;
    await p.pollNow();
    const h = p.history();
    assert.deepEqual(h.t, [1000, 1001, 1002]);
    assert.equal(h.series.length, 3);
    assert.deepEqual(h.series[0].latencyAvg, [1.5, null, null]);
    assert.equal(h.series[1].packetsPerSec[0], null, 'no rate without a previous sample');
    assert.ok((h.series[1].packetsPerSec[1] ?? 0) > 0);
    assert.equal(h.series[2].label, 'server.3');
    // The buffer holds historyMs / interval + 1 rounds.
    for (let i = 0; i < 10; i++) {
      now += 1000;
      await p.pollNow();
    }
    assert.equal(p.history().t.length, 4);
    p.dispose();
  });

  it('members revealed by the ensemble with a client address are polled too', async () => {
    const fake = new FakeEnsemble();
    fake.membership += '\nserver.4=127.0.0.1:2891:3891:observer;127.0.0.1:2184';
    fake.behaviour.set(2184, 'ok');
    const p = poller(fake, { adminPortFor: () => undefined });
    await p.pollNow();
    assert.deepEqual(p.targets().map((t) => [t.key, t.origin]), [
      ['127.0.0.1:2181', 'connectString'],
      ['127.0.0.1:2182', 'connectString'],
      ['127.0.0.1:2183', 'connectString'],
      ['127.0.0.1:2184', 'membership'],
    ]);
    await p.pollNow();
    const row = p.snapshot().servers.find((s) => s.key === '127.0.0.1:2184')!;
    assert.equal(row.origin, 'membership');
    assert.equal(row.reach, 'up');
    p.dispose();
  });

  it('stop() abandons probes in flight and start() polls on the interval', async () => {
    const fake = new FakeEnsemble();
    fake.behaviour.set(2181, 'frozen');
    const p = poller(fake, { intervalMs: 50, timeoutMs: 10_000 });
    p.start();
    assert.equal(p.running, true);
    await new Promise((r) => setTimeout(r, 180));
    p.stop();
    assert.equal(p.running, false);
    const rounds = p.history().t.length;
    assert.ok(rounds >= 3, `polled on the interval (${rounds} rounds)`);
    assert.equal(fake.sent.filter((s) => s.port === 2181).length, 1, 'the frozen server got one probe only');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(fake.inFlight.get(2181), 0, 'its probe was aborted by stop()');
    p.dispose();
  });

  it('reads /zookeeper/config from the membership source', async () => {
    const fake = new FakeEnsemble();
    fake.membership = '';
    const p = poller(fake, {
      membershipSource: async () => 'server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\nserver.2=127.0.0.1:2889:3889:participant;127.0.0.1:2182\nserver.3=127.0.0.1:2890:3890:participant;127.0.0.1:2183\nserver.5=10.1.1.5:2888:3888:participant\nversion=100000000',
    });
    await p.pollNow();
    await new Promise((r) => setTimeout(r, 10));
    const snap = p.snapshot();
    assert.equal(snap.summary.votersTotal, 4);
    assert.equal(snap.summary.quorum, 3);
    assert.ok(snap.servers.some((s) => s.key === 'member:5' && s.reach === 'notPolled'));
    p.dispose();
  });

  it('reads the membership source again at the next round when asked (after a reconfiguration), not 12 rounds on', async () => {
    const fake = new FakeEnsemble();
    fake.membership = '';
    const three = 'server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\nserver.2=127.0.0.1:2889:3889:participant;127.0.0.1:2182\nserver.3=127.0.0.1:2890:3890:participant;127.0.0.1:2183\nversion=100000000';
    let config = three;
    let reads = 0;
    const p = poller(fake, { membershipSource: async () => (reads++, config) });
    await p.pollNow();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(p.snapshot().summary.votersTotal, 3);
    config = three.replace('version=100000000', 'server.4=10.1.1.4:2888:3888:observer;10.1.1.4:2181\nversion=100000005');
    await p.pollNow();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(reads, 1, 'the next round does not read it again by itself');
    p.refreshMembership();
    await p.pollNow();
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(reads, 2);
    assert.ok(p.snapshot().servers.some((s) => s.key === 'member:4'), 'the new member is in the panel at once');
    p.dispose();
  });
});
