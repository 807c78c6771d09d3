import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  adminCommand,
  describeHttpError,
  isNotServingError,
  parseAdminConfiguration,
  parseAdminLeader,
  parseAdminMonitor,
  parseAdminStats,
  parseAdminVotingView,
} from '../../../src/zk/health/adminServer';
import { ProbeError } from '../../../src/zk/health/fourLetterWords';
import { renderMessage } from '../../../src/zk/message';
import { fixture, hasFixture, jsonFixture } from './fixtures';

async function fakeAdmin(handler: (path: string, res: http.ServerResponse) => void): Promise<{ port: number; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    handler(req.url ?? '', res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function rejects(p: Promise<unknown>, kind: string, message?: RegExp): Promise<ProbeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ProbeError, String(e));
    assert.equal(e.kind, kind, e.message);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${kind}`);
}

const HOSTILE = '<img src=x onerror=alert(1)>';

describe('adminServer', () => {
  describe('HTTP client', () => {
    it('GETs /commands/<name> and returns the JSON object', async () => {
      const s = await fakeAdmin((_p, res) => {
        res.setHeader('content-type', 'application/json');
        res.end('{"is_leader":true,"leader_id":3,"leader_ip":"127.0.0.1","command":"leader","error":null}');
      });
      try {
        const json = await adminCommand('127.0.0.1', s.port, 'leader', { timeoutMs: 1000 });
        assert.deepEqual(parseAdminLeader(json), { isLeader: true, leaderId: 3, leaderIp: '127.0.0.1' });
        assert.deepEqual(s.paths, ['/commands/leader']);
      } finally {
        await s.close();
      }
    });

    it('never asks for a command that changes state', async () => {
      const s = await fakeAdmin((_p, res) => res.end('{}'));
      try {
        for (const c of ['set_trace_mask', 'stat_reset', 'connection_stat_reset', 'srst', 'crst', 'snapshot', 'restore', '../monitor', 'monitor?x', 'MONITOR']) {
          await rejects(adminCommand('127.0.0.1', s.port, c, { timeoutMs: 500 }), 'refusedCommand', /never sent/);
        }
        assert.deepEqual(s.paths, []);
      } finally {
        await s.close();
      }
    });

    it('a server without quorum: HTTP 500 with an HTML page becomes "not serving"', async () => {
      const s = await fakeAdmin((_p, res) => {
        res.statusCode = 500;
        res.end(hasFixture('admin-monitor-not-serving.html') ? fixture('admin-monitor-not-serving.html') : '<h2>HTTP ERROR 500 java.lang.NullPointerException: ... because &quot;zkServer&quot; is null</h2>');
      });
      try {
        const e = await rejects(adminCommand('127.0.0.1', s.port, 'monitor', { timeoutMs: 1000 }), 'http', /not serving/);
        assert.ok(isNotServingError(e));
      } finally {
        await s.close();
      }
    });

    it('an "error" field (unknown command, not serving) is an error, with the text cleaned', async () => {
      const s = await fakeAdmin((_p, res) => res.end(JSON.stringify({ command: 'stats', error: 'This ZooKeeper instance is not currently serving requests' })));
      try {
        const e = await rejects(adminCommand('127.0.0.1', s.port, 'stats', { timeoutMs: 1000 }), 'http');
        assert.ok(isNotServingError(e));
      } finally {
        await s.close();
      }
    });

    it('not JSON, JSON that is not an object, other statuses', async () => {
      const bodies: [number, string, string][] = [
        [200, '<html>hello</html>', 'badReply'],
        [200, '[1,2,3]', 'badReply'],
        [200, 'null', 'badReply'],
        [200, '{"truncated": ', 'badReply'],
        [404, 'not found', 'http'],
        [302, '', 'http'],
      ];
      for (const [status, body, kind] of bodies) {
        const s = await fakeAdmin((_p, res) => {
          res.statusCode = status;
          res.end(body);
        });
        try {
          await rejects(adminCommand('127.0.0.1', s.port, 'monitor', { timeoutMs: 1000 }), kind);
        } finally {
          await s.close();
        }
      }
      assert.equal(renderMessage(describeHttpError(404, HOSTILE)), 'HTTP 404', 'the body is not echoed');
    });

    it('a hanging AdminServer fails at the deadline; a closed port is refused', async () => {
      const s = await fakeAdmin(() => undefined);
      try {
        const t0 = Date.now();
        await rejects(adminCommand('127.0.0.1', s.port, 'monitor', { timeoutMs: 200 }), 'timeout', /within 200 ms/);
        assert.ok(Date.now() - t0 < 1000);
      } finally {
        await s.close();
      }
      await rejects(adminCommand('127.0.0.1', s.port, 'monitor', { timeoutMs: 1000 }), 'refused', /no AdminServer/);
    });

    it('a reply larger than maxBytes is cut off', async () => {
      const s = await fakeAdmin((_p, res) => res.end('{"x":"' + 'y'.repeat(300_000) + '"}'));
      try {
        await rejects(adminCommand('127.0.0.1', s.port, 'monitor', { timeoutMs: 2000, maxBytes: 100_000 }), 'tooLarge');
      } finally {
        await s.close();
      }
    });
  });

  describe('fixtures captured from ZooKeeper 3.8', () => {
    before(function () {
      if (!hasFixture('admin-monitor-follower.json')) this.skip();
    });

    it('monitor: the same figures as mntr', () => {
      const f = parseAdminMonitor(jsonFixture('admin-monitor-follower.json'));
      assert.equal(f.role, 'follower');
      assert.equal(f.version, '3.8.0');
      for (const k of ['latencyMin', 'latencyAvg', 'latencyMax', 'outstanding', 'connections', 'znodes', 'watches', 'ephemerals', 'approximateDataSize', 'openFds', 'maxFds', 'uptimeMs', 'packetsReceived', 'packetsSent'] as const) {
        assert.equal(typeof f[k], 'number', k);
      }
    });

    it('leader, stats, configuration, voting_view', () => {
      const l = parseAdminLeader(jsonFixture('admin-leader-follower.json'))!;
      assert.equal(l.isLeader, false);
      assert.equal(typeof l.leaderId, 'number');
      const st = parseAdminStats(jsonFixture('admin-stats-follower.json'));
      assert.equal(st.role, 'follower');
      assert.equal(typeof st.zxid, 'bigint');
      assert.equal(typeof st.znodes, 'number');
      assert.equal(st.readOnly, false);
      const c = parseAdminConfiguration(jsonFixture('admin-configuration.json'));
      assert.equal(typeof c.serverId, 'number');
      assert.equal(typeof c.clientPort, 'number');
      const members = parseAdminVotingView(jsonFixture('admin-voting_view.json'));
      assert.equal(members.length, 3);
      assert.ok(members.every((m) => m.type === 'participant' && m.host === '127.0.0.1' && typeof m.quorumPort === 'number'));
      assert.equal(members.filter((m) => m.clientPort !== undefined).length, 1, 'only the server itself knows its client address');
    });
  });

  describe('garbage and hostile JSON', () => {
    const junk: unknown[] = [null, 1, 'x', [], [1], { error: 'x' }, { current_config: 5 }, { server_stats: [] }, { is_leader: 'yes' }];
    it('parsers return nothing rather than throwing', () => {
      for (const j of junk) {
        assert.doesNotThrow(() => parseAdminMonitor(j));
        assert.doesNotThrow(() => parseAdminStats(j));
        assert.deepEqual(parseAdminVotingView(j), []);
        assert.deepEqual(parseAdminConfiguration(j), {});
        assert.equal(parseAdminLeader(j), undefined);
      }
    });

    it('values of the wrong type are ignored; strings stay inert text', () => {
      const f = parseAdminMonitor({ version: HOSTILE, server_state: HOSTILE, avg_latency: '12', znode_count: Number.NaN, watch_count: { valueOf: 1 }, open_file_descriptor_count: 1e400, __proto__: { x: 1 } });
      assert.equal(f.versionFull, HOSTILE);
      assert.equal(f.role, 'unknown');
      assert.equal(f.latencyAvg, 12, 'a numeric string is still a number');
      assert.equal(f.znodes, undefined);
      assert.equal(f.watches, undefined);
      assert.equal(f.openFds, undefined);
      const st = parseAdminStats({ server_stats: { last_processed_zxid: 2 ** 60, min_latency: '1' } });
      assert.equal(st.zxid, undefined, 'a zxid that JSON could not carry exactly is dropped');
      assert.equal(st.latencyMin, undefined);
      const l = parseAdminLeader({ is_leader: false, leader_id: -1, leader_ip: HOSTILE + 'x'.repeat(200) });
      assert.equal(l!.leaderId, undefined);
      assert.ok(l!.leaderIp!.length <= 64);
      const vv = parseAdminVotingView({ current_config: { '1': { server_addresses: [`${HOSTILE}:2888`] }, '2': { server_addresses: ['10.0.0.2:2888'], client_address: `${HOSTILE}:1` }, abc: {} } });
      assert.deepEqual(vv, [{ id: 2, host: '10.0.0.2', quorumPort: 2888, type: 'participant' }]);
    });
  });
});
