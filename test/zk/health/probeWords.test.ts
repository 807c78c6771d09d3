// Why a server is down or part of its figures could not be read reaches the Cluster Health panel in
// the user's language: probe errors (ProbeError) carry a Message, the poller keeps Messages, and the
// model renders them with the panel's Translate (a marking one here) before they cross to the webview.
import * as assert from 'node:assert/strict';
import { ProbeError, socketError } from '../../../src/zk/health/fourLetterWords';
import { adminCommand, describeHttpError, type JsonObject } from '../../../src/zk/health/adminServer';
import { HealthPoller, type HealthIo } from '../../../src/zk/health/healthPoller';
import { dynamicConfigReading } from '../../../src/zk/health/dynamicConfigSection';
import { fetchServerClients } from '../../../src/zk/health/serverClients';
import type { ServerRow } from '../../../src/zk/health/healthTypes';
import { messageOfError, renderMessage } from '../../../src/zk/message';
import { marking, untranslated } from '../markingTranslate';

const REFUSED = 'connection refused: nothing listens on that port (server down?)';
const errno = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:2181`), { code });

describe("health probes: problems in the user's language", () => {
  it('a probe error worded here is a Message; a socket error nobody worded keeps its own text', async () => {
    const refused = socketError(errno('ECONNREFUSED'));
    assert.equal(refused.message, REFUSED, 'the English (logs) is as before');
    assert.equal(renderMessage(messageOfError(refused), marking), `«${REFUSED}»`);
    const odd = socketError(errno('EWEIRD'));
    assert.equal(odd.localized, undefined);
    assert.equal(messageOfError(odd), 'connect EWEIRD 127.0.0.1:2181');
    assert.equal(renderMessage(describeHttpError(503, 'This ZooKeeper instance is not currently serving requests'), marking), '«HTTP 503: the server is not serving requests (no quorum?)»');
    await assert.rejects(adminCommand('127.0.0.1', 1, 'srst', { timeoutMs: 100 }), (e: ProbeError) => {
      assert.equal(renderMessage(messageOfError(e), marking), '«"srst" is not a read-only AdminServer command: it is never sent»');
      return true;
    });
  });

  it('the rows, the alerts and the dynamic configuration say why through the Translate', async () => {
    // 2181 is down, 2182 answers srvr with garbage and mntr too large, 2183 (the leader) refuses mntr and has no AdminServer port.
    const io: HealthIo = {
      fourLetterWord: async (_host, port, word) => {
        if (port === 2181) throw socketError(errno('ECONNREFUSED'));
        if (port === 2182) {
          if (word === 'srvr') return 'garbage';
          if (word === 'mntr') throw new ProbeError('tooLarge', 'the reply to "mntr" exceeded 10 bytes');
          return 'clientPort=2182\nserverId=2\n';
        }
        if (word === 'mntr') return 'mntr is not executed because it is not in the whitelist.';
        if (word === 'srvr') return 'Zookeeper version: 3.8.0-abc, built on x\nLatency min/avg/max: 0/1/2\nOutstanding: 0\nZxid: 0x100000005\nMode: leader\nNode count: 5\n';
        return 'clientPort=2183\nserverId=3\n';
      },
      adminCommand: async (): Promise<JsonObject> => {
        throw new Error('no AdminServer here');
      },
    };
    const p = new HealthPoller({
      connectionName: 'test',
      servers: [2181, 2182, 2183].map((port) => ({ host: '127.0.0.1', port })),
      intervalMs: 60_000,
      timeoutMs: 500,
      io,
      t: marking,
      discoverMembers: false,
    });
    try {
      await p.pollNow();
      const snap = p.snapshot();
      const [down, partial, leader] = snap.servers;
      assert.equal(down.error, `«${REFUSED}»`);
      assert.equal(partial.error, '««srvr: unrecognised reply»; «mntr: the reply to "mntr" exceeded 10 bytes»»');
      assert.equal(leader.error, undefined);
      const detail = (kind: string, port: number) => snap.alerts.find((a) => a.kind === kind && a.server?.endsWith(`:${port}`))?.detail ?? '';
      assert.ok(detail('serverDown', 2181).startsWith(`«127.0.0.1:2181: «${REFUSED}».»`), detail('serverDown', 2181));
      assert.equal(detail('probeProblem', 2182), `«server.2 127.0.0.1:2182: ${partial.error}.»`);
      assert.match(detail('fourLetterWords', 2183), /«Its AdminServer fallback did not work either \(«no AdminServer port is known for this server»\)/);
      for (const s of [down, partial]) assert.equal(untranslated(s.error ?? ''), '', s.error);

      const reading = dynamicConfigReading('server.1=127.0.0.1:2888:3888;2181\nserver.2=127.0.0.1:2889:3889;2182\n', snap.servers, 5, marking);
      assert.deepEqual(
        reading.members.map((m) => m.reports),
        [`««down»: «${REFUSED}»»`, '«up»'],
        'a reach is worded like the server list; server.2 answered without saying its role',
      );
    } finally {
      p.dispose();
    }
  });

  it("the Clients section quotes the probe's reason in the user's language", async () => {
    const io = {
      fourLetterWord: async () => {
        throw socketError(errno('ECONNREFUSED'));
      },
      adminCommand: async (): Promise<JsonObject> => ({}),
    };
    const c = await fetchServerClients({ host: '127.0.0.1', port: 2181 }, { timeoutMs: 500, io, t: marking });
    assert.equal(c.problem?.text, `««it is down («${REFUSED}»)».»`);
  });

  it('rows keep the English when no Translate is given', () => {
    const row: ServerRow = { key: 'k', label: 'l', host: 'h', clientPort: 2182, origin: 'connectString', reach: 'timeout', notServing: false, source: 'none', error: 'did not accept a connection within 500 ms' };
    assert.equal(dynamicConfigReading('server.2=127.0.0.1:2889:3889;2182\n', [row], 5).members[0].reports, 'no answer: did not accept a connection within 500 ms');
  });
});
