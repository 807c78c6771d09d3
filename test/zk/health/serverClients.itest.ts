// The Clients section's reader against a real 3-node ZooKeeper 3.8 ensemble (test/harness) whose
// member 3 whitelists only `srvr`: the reader the panel uses (ClientsMonitor, as HealthService makes
// it) lists the two clients connected to member 1 with their own ports, the one whose session is
// "ours" marked; for member 3 it says cons is refused and gives the line that fixes it, and with
// member 3's AdminServer port it reads the clients from there instead.
import * as assert from 'node:assert/strict';
import type { ServerClients } from '../../../src/protocol/health';
import { ClientsMonitor, fetchServerClients } from '../../../src/zk/health/serverClients';
import type { SessionServer } from '../../../src/zk/sessions';
import { waitUntil } from '../../helpers';
import { useSessionsEnsemble } from '../sessionsEnsemble';

const TIMEOUT_MS = 3000;

describe('server clients against a real 3-node ensemble', function () {
  this.timeout(120_000);
  const ensemble = useSessionsEnsemble();
  const clientOn = (id: number) => ensemble.clientOn(id);

  it('lists the two clients of member 1 with their ports, the own session marked "this connection"', async () => {
    const a = await clientOn(1);
    const b = await clientOn(1);
    const other = await clientOn(2);
    const s1 = ensemble.cluster.server(1);
    const servers = new Map<string, SessionServer>([[s1.address, { host: '127.0.0.1', port: s1.clientPort }]]);
    const got: [string, ServerClients][] = [];
    const monitor = new ClientsMonitor({ serverFor: (k) => servers.get(k), intervalMs: 60_000, timeoutMs: TIMEOUT_MS, ownSessionId: () => a.sessionId, onClients: (k, c) => got.push([k, c]) });
    try {
      monitor.want(s1.address);
      await waitUntil(() => got.length > 0, 10_000, 'the first reading of member 1');
    } finally {
      monitor.dispose();
    }
    const [key, c] = got[0];
    assert.equal(key, s1.address);
    assert.equal(c.problem, undefined, JSON.stringify(c.problem));
    assert.equal(c.via, 'cons');
    const byPort = new Map(c.rows.map((r) => [r.client, r]));
    for (const z of [a, b]) {
      const local = z.localEndpoint!;
      const row = byPort.get(`${local.address}:${local.port}`);
      assert.ok(row, `${local.address}:${local.port} among ${[...byPort.keys()].join(', ')}`);
      assert.equal(row.sessionId, z.sessionId);
      assert.equal(row.own, z === a, `${z.sessionId} own`);
      assert.ok(row.established !== undefined && Math.abs(row.established - Date.now()) < 60_000, `connected just now: ${row.established}`);
      assert.ok((row.received ?? 0) >= 1, 'it has sent requests');
    }
    assert.equal(c.rows.filter((r) => r.own).length, 1, 'one row marked as ours');
    assert.ok(!byPort.has(`${other.localEndpoint!.address}:${other.localEndpoint!.port}`), "member 2's client is not listed");
    for (let i = 1; i < c.rows.length; i++) assert.ok((c.rows[i - 1].received ?? 0) >= (c.rows[i].received ?? 0), 'most requests first');
    assert.equal(c.total, c.rows.length);
    assert.equal(c.more, 0);
  });

  it("member 3 refuses cons: the reason and the whitelist line; through its AdminServer when its port is known", async () => {
    const c3 = await clientOn(3);
    const s3 = ensemble.cluster.server(3);
    const refused = await fetchServerClients({ host: '127.0.0.1', port: s3.clientPort }, { timeoutMs: TIMEOUT_MS });
    assert.deepEqual([refused.rows, refused.total], [[], 0]);
    assert.equal(refused.problem?.configLine, '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok,cons');
    assert.match(refused.problem!.text, /^It refuses the four-letter word cons \(not in its 4lw\.commands\.whitelist\), and its AdminServer could not be asked instead \(no AdminServer port is set for it\)/);

    const viaAdmin = await fetchServerClients({ host: '127.0.0.1', port: s3.clientPort, adminPort: s3.adminPort }, { timeoutMs: TIMEOUT_MS, ownSessionId: c3.sessionId });
    assert.equal(viaAdmin.problem, undefined, JSON.stringify(viaAdmin.problem));
    assert.equal(viaAdmin.via, 'adminServer');
    const own = viaAdmin.rows.find((r) => r.own);
    assert.ok(own, JSON.stringify(viaAdmin.rows));
    assert.equal(own.client, `${c3.localEndpoint!.address}:${c3.localEndpoint!.port}`);
  });
});
