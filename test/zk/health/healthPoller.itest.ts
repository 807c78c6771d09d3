// The health poller against real 3-node ZooKeeper 3.8 ensembles (test/harness): all up, a follower
// killed, the leader killed, a member frozen, and a member whose whitelist has `srvr` only.
import * as assert from 'node:assert/strict';
import { sendFourLetterWord } from '../../../src/zk/health/fourLetterWords';
import { adminCommand } from '../../../src/zk/health/adminServer';
import { HealthPoller, type HealthIo } from '../../../src/zk/health/healthPoller';
import { ZkCluster } from '../../harness/zookeeper';

const INTERVAL_MS = 1000;
const TIMEOUT_MS = 1500;

/** Real I/O, counted: requests per client port, and the most ever in flight at once per port. */
function countingIo() {
  const sent = new Map<number, string[]>();
  const inFlight = new Map<number, number>();
  const maxInFlight = new Map<number, number>();
  const track = async <T>(port: number, what: string, p: () => Promise<T>): Promise<T> => {
    sent.set(port, [...(sent.get(port) ?? []), what]);
    const n = (inFlight.get(port) ?? 0) + 1;
    inFlight.set(port, n);
    maxInFlight.set(port, Math.max(n, maxInFlight.get(port) ?? 0));
    try {
      return await p();
    } finally {
      inFlight.set(port, (inFlight.get(port) ?? 1) - 1);
    }
  };
  const adminToClient = new Map<number, number>();
  const io: HealthIo = {
    fourLetterWord: (host, port, word, opts) => track(port, word, () => sendFourLetterWord(host, port, word, opts)),
    adminCommand: (host, port, command, opts) => track(adminToClient.get(port) ?? port, `admin:${command}`, () => adminCommand(host, port, command, opts)),
  };
  return { io, sent, maxInFlight, adminToClient };
}

function pollerFor(cluster: ZkCluster, opts: { admin?: boolean } = {}) {
  const counting = countingIo();
  for (const s of cluster.servers) counting.adminToClient.set(s.adminPort, s.clientPort);
  const poller = new HealthPoller({
    connectionName: 'itest',
    servers: cluster.servers.map((s) => ({ host: '127.0.0.1', port: s.clientPort, adminPort: opts.admin === false ? undefined : s.adminPort })),
    intervalMs: INTERVAL_MS,
    timeoutMs: TIMEOUT_MS,
    io: counting.io,
  });
  return { poller, ...counting };
}

async function pollUntil(poller: HealthPoller, cond: () => boolean, maxRounds: number, what: string): Promise<number> {
  for (let i = 1; i <= maxRounds; i++) {
    await poller.pollNow();
    if (cond()) return i;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${what} not seen within ${maxRounds} polls: ${poller.snapshot().summary.text}`);
}

describe('cluster health against a real 3-node ensemble', function () {
  this.timeout(180_000);

  describe('member 2 whitelists only srvr', () => {
    let cluster: ZkCluster;
    before(async () => {
      cluster = await ZkCluster.startEnsemble(3, { perServerWhitelist: { 2: 'srvr' } });
    });
    after(async () => {
      await cluster?.close();
    });

    it('all up: healthy, one leader, two followers, every figure read', async () => {
      const { poller } = pollerFor(cluster);
      try {
        await pollUntil(poller, () => poller.snapshot().summary.leaderId !== undefined, 20, 'a leader');
        const snap = poller.snapshot();
        const leader = await cluster.leaderId();
        assert.equal(snap.summary.leaderId, leader);
        assert.equal(snap.summary.votersUp, 3);
        assert.equal(snap.summary.votersTotal, 3);
        assert.equal(snap.summary.quorum, 2);
        assert.equal(snap.summary.level, 'healthy', `${snap.summary.text}\n${JSON.stringify(snap.alerts, null, 1)}`);
        assert.deepEqual(snap.servers.map((s) => s.role).sort(), ['follower', 'follower', 'leader']);
        for (const row of snap.servers) {
          assert.equal(row.reach, 'up');
          assert.equal(row.id, cluster.servers.find((s) => row.key === `127.0.0.1:${s.clientPort}`)!.id);
          assert.equal(row.version, '3.8.0');
          for (const k of ['latencyAvg', 'outstanding', 'connections', 'znodes', 'watches', 'ephemerals', 'approximateDataSize', 'openFds', 'maxFds', 'uptimeMs'] as const) {
            assert.equal(typeof row[k], 'number', `${row.label}: ${k}`);
          }
          assert.match(row.zxid!, /^0x[0-9a-f]+$/);
          if (row.role === 'leader') assert.equal(row.syncedFollowers, 2);
          // A fresh ensemble: the leader is at 0x100000000 (its epoch, no transaction yet), followers at 0x0.
          else assert.equal(row.behind?.txns, 0);
        }
        assert.equal(snap.summary.zxidSpread?.txns, 0);
        assert.match(snap.summary.text, /zxids in step/);
      } finally {
        poller.dispose();
      }
    });

    it('4lw not whitelisted on member 2: the alert with the config line, figures from the AdminServer', async () => {
      const { poller, sent } = pollerFor(cluster);
      try {
        await poller.pollNow();
        await poller.pollNow();
        const snap = poller.snapshot();
        const row = snap.servers.find((s) => s.id === 2)!;
        assert.equal(row.reach, 'up');
        assert.equal(row.source, 'both', 'srvr by 4lw, the rest by the AdminServer');
        assert.equal(typeof row.znodes, 'number');
        assert.equal(typeof row.watches, 'number', 'watches come from /commands/monitor (srvr has none)');
        assert.equal(typeof row.openFds, 'number');
        const alert = snap.alerts.find((a) => a.kind === 'fourLetterWords')!;
        assert.ok(alert, JSON.stringify(snap.alerts));
        assert.equal(alert.server, row.label);
        assert.equal(alert.severity, 'info');
        assert.equal(alert.fix!.configLine, '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok');
        assert.match(alert.detail, /mntr, conf are not in its 4lw\.commands\.whitelist/);
        assert.match(alert.detail, /\/commands\/monitor/);
        assert.match(alert.detail, /\/commands\/leader/);
        assert.equal(snap.summary.level, 'healthy');
        const port2 = cluster.server(2).clientPort;
        assert.deepEqual(sent.get(port2)!.slice(0, 7), ['srvr', 'mntr', 'admin:monitor', 'admin:leader', 'conf', 'admin:configuration', 'admin:voting_view']);
        assert.ok(!sent.get(port2)!.slice(7).includes('mntr'), 'the refused word is not sent again every round');
        for (const words of sent.values()) for (const w of words) assert.doesNotMatch(w, /srst|crst|reset|trace/);
      } finally {
        poller.dispose();
      }
    });

    it('4lw not whitelisted and no AdminServer: a warning that says both fixes', async () => {
      const { poller } = pollerFor(cluster, { admin: false });
      try {
        await poller.pollNow();
        const snap = poller.snapshot();
        const alert = snap.alerts.find((a) => a.kind === 'fourLetterWords')!;
        assert.equal(alert.severity, 'warning');
        assert.equal(alert.fix!.configLine, '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok');
        assert.equal(alert.fix!.setting, 'zookeeper.health.adminServerPorts');
        assert.equal(snap.summary.level, 'degraded');
        const row = snap.servers.find((s) => s.key === `127.0.0.1:${cluster.server(2).clientPort}`)!;
        assert.equal(row.reach, 'up');
        assert.match(row.zxid!, /^0x/, 'srvr still gives zxid and mode');
        assert.equal(row.watches, undefined);
      } finally {
        poller.dispose();
      }
    });

    it('a frozen member times out on its own deadline while the others keep updating', async () => {
      const { poller, sent, maxInFlight } = pollerFor(cluster);
      const leader = await cluster.leaderId();
      const frozen = [3, 1].find((id) => id !== leader)!; // a follower (a frozen leader means no leader: down)
      const frozenPort = cluster.server(frozen).clientPort;
      try {
        await pollUntil(poller, () => poller.snapshot().servers.every((s) => s.reach === 'up'), 10, 'all up');
        const updates = new Map<string, number>();
        cluster.freeze(frozen);
        const before = new Map(poller.snapshot().servers.map((s) => [s.key, s.updatedAt ?? 0]));
        poller.on('update', () => {
          for (const s of poller.snapshot().servers) if ((s.updatedAt ?? 0) > (before.get(s.key) ?? 0)) updates.set(s.key, (updates.get(s.key) ?? 0) + 1);
        });
        const sentBefore = (sent.get(frozenPort) ?? []).length;
        poller.start();
        await new Promise((r) => setTimeout(r, 5500));
        poller.stop();
        const snap = poller.snapshot();
        const row = snap.servers.find((s) => s.key === `127.0.0.1:${frozenPort}`)!;
        assert.equal(row.reach, 'timeout', JSON.stringify(row));
        assert.match(row.error!, /did not answer/);
        assert.ok(snap.alerts.some((a) => a.kind === 'serverTimeout' && a.server === row.label));
        assert.equal(snap.summary.level, 'degraded');
        for (const s of snap.servers.filter((x) => x.key !== row.key)) {
          assert.equal(s.reach, 'up');
          assert.ok((updates.get(s.key) ?? 0) >= 4, `${s.label} kept updating (${updates.get(s.key) ?? 0} updates)`);
          assert.ok(Date.now() - (s.updatedAt ?? 0) < 2 * INTERVAL_MS + 500, `${s.label} is fresh`);
        }
        // One probe at a time: with a 1.5 s deadline and a 1 s interval, rounds skip the frozen server.
        const frozenProbes = (sent.get(frozenPort) ?? []).length - sentBefore;
        assert.ok(frozenProbes <= 5, `${frozenProbes} probes of the frozen server in 5.5 s`);
        for (const [port, n] of maxInFlight) assert.equal(n, 1, `port ${port}: ${n} requests in flight at once`);
      } finally {
        poller.dispose();
        cluster.resume(frozen);
      }
      // Back after SIGCONT.
      const again = pollerFor(cluster).poller;
      try {
        await pollUntil(again, () => again.snapshot().servers.every((s) => s.reach === 'up'), 30, 'the resumed member back up');
      } finally {
        again.dispose();
      }
    });
  });

  describe('members killed', () => {
    let cluster: ZkCluster;
    before(async () => {
      cluster = await ZkCluster.startEnsemble(3);
    });
    after(async () => {
      await cluster?.close();
    });

    it('kill a follower: shown down within two polls, summary degraded; then kill the leader: a new leader is shown', async () => {
      const { poller } = pollerFor(cluster);
      try {
        await pollUntil(poller, () => poller.snapshot().summary.level === 'healthy', 20, 'healthy');
        const leader = (await cluster.leaderId())!;
        const follower = [1, 2, 3].find((id) => id !== leader)!;
        await cluster.kill(follower);
        const followerKey = `127.0.0.1:${cluster.server(follower).clientPort}`;
        await poller.pollNow();
        await poller.pollNow();
        let snap = poller.snapshot();
        const row = snap.servers.find((s) => s.key === followerKey)!;
        assert.equal(row.reach, 'down', JSON.stringify(row));
        assert.match(row.error!, /refused/);
        assert.equal(snap.summary.level, 'degraded', snap.summary.text);
        assert.equal(snap.summary.votersUp, 2);
        assert.equal(snap.summary.leaderId, leader);
        assert.ok(snap.alerts.some((a) => a.kind === 'serverDown' && a.server === row.label));
        assert.ok(snap.alerts.some((a) => a.kind === 'quorumAtRisk'));

        // Bring the follower back so that killing the leader leaves a quorum.
        await cluster.start(follower);
        await pollUntil(poller, () => poller.snapshot().summary.level === 'healthy', 30, 'healthy again');

        await cluster.kill(leader);
        await pollUntil(
          poller,
          () => {
            const s = poller.snapshot().summary;
            return s.leaderId !== undefined && s.leaderId !== leader;
          },
          30,
          'a new leader',
        );
        snap = poller.snapshot();
        assert.equal(snap.summary.leaderId, await cluster.leaderId());
        assert.equal(snap.servers.find((s) => s.id === leader)!.reach, 'down');
        assert.equal(snap.summary.level, 'degraded');
        assert.equal(snap.servers.filter((s) => s.role === 'leader').length, 1);
      } finally {
        poller.dispose();
      }
    });
  });
});
