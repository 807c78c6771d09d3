// The session lookup against a real 3-node ZooKeeper 3.8 ensemble (test/harness) whose member 3
// whitelists only `srvr`: two clients on members 1 and 2 are found with their own addresses, a
// client on member 3 is not (and the reason names the line that fixes it) unless the AdminServer
// fallback knows member 3's port, and a killed member is reported as down.
import * as assert from 'node:assert/strict';
import { renderMessage } from '../../src/zk/message';
import { lookupSessions, locateSession, readConnections, sessionServers, type SessionFound } from '../../src/zk/sessions';
import { waitUntil } from '../helpers';
import { useSessionsEnsemble } from './sessionsEnsemble';

const TIMEOUT_MS = 3000;
const WHITELIST_LINE = '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok,cons';

describe('sessions against a real 3-node ensemble', function () {
  this.timeout(120_000);
  const ensemble = useSessionsEnsemble();
  const clientOn = (id: number) => ensemble.clientOn(id);

  it("finds each of two clients: its own address and port, on the server it connected to", async () => {
    const a = await clientOn(1);
    const b = await clientOn(2);
    const found = await lookupSessions(sessionServers(ensemble.cluster.connectString), [a.sessionId, b.sessionId], { timeoutMs: TIMEOUT_MS });
    for (const [client, id] of [
      [a, 1],
      [b, 2],
    ] as const) {
      const l = found.get(client.sessionId);
      assert.ok(l?.found, `${client.sessionId}: ${JSON.stringify(l)}`);
      const f = l as SessionFound;
      const local = client.localEndpoint!;
      assert.equal(f.clientHost, local.address);
      assert.equal(f.clientPort, local.port);
      assert.equal(f.client, `${local.address}:${local.port}`);
      assert.equal(f.server.server.port, ensemble.cluster.server(id).clientPort);
      assert.equal(f.server.label, `server.${id} (${ensemble.cluster.server(id).address})`, 'the id from conf');
      assert.equal(f.via, 'cons');
      assert.ok(f.since && Math.abs(f.since.getTime() - Date.now()) < 60_000, `connected just now: ${f.since?.toISOString()}`);
    }
  });

  it('a client on the member that does not whitelist cons: not found, and the reason says which line fixes it', async () => {
    const c = await clientOn(3);
    const reading = await readConnections(sessionServers(ensemble.cluster.connectString), { timeoutMs: TIMEOUT_MS });
    const l = locateSession(reading, c.sessionId);
    assert.equal(l.found, false);
    if (l.found) return;
    assert.deepEqual(
      l.servers.map((s) => [s.label, s.answered]),
      [
        [`server.1 (${ensemble.cluster.server(1).address})`, true],
        [`server.2 (${ensemble.cluster.server(2).address})`, true],
        [ensemble.cluster.server(3).address, false], // conf is refused too: no id
      ],
    );
    const three = l.servers[2];
    assert.match(renderMessage(three.reason), /^it refuses the four-letter word cons \(not in its 4lw\.commands\.whitelist\) \(AdminServer fallback: no AdminServer port is set for it\)$/);
    assert.equal(three.configLine, WHITELIST_LINE);
    assert.equal(l.allAnswered, false);
  });

  it("…and is found through member 3's AdminServer when its port is known", async () => {
    const c = ensemble.clients[2];
    const servers = sessionServers(ensemble.cluster.connectString, undefined, (_host, port) => ensemble.cluster.servers.find((s) => s.clientPort === port)?.adminPort);
    const found = (await lookupSessions(servers, [c.sessionId], { timeoutMs: TIMEOUT_MS })).get(c.sessionId);
    assert.ok(found?.found, JSON.stringify(found));
    assert.equal(found.via, 'adminServer');
    assert.equal(found.clientPort, c.localEndpoint!.port);
    assert.equal(found.server.server.port, ensemble.cluster.server(3).clientPort);
  });

  it('a member that is down is reported as down; its client is connected nowhere', async () => {
    const a = ensemble.clients[0];
    await ensemble.cluster.kill(1);
    await waitUntil(() => a.state !== 'connected', 10_000, 'the client on member 1 to notice');
    const l = locateSession(await readConnections(sessionServers(ensemble.cluster.connectString), { timeoutMs: TIMEOUT_MS }), a.sessionId);
    assert.equal(l.found, false);
    if (l.found) return;
    assert.equal(l.servers[0].label, ensemble.cluster.server(1).address);
    assert.match(renderMessage(l.servers[0].reason), /^it is down \(connection refused/);
    assert.equal(l.servers[1].answered, true);
  });
});
