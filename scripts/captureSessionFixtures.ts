// Captures the `cons` replies that the session lookup's unit tests read (test/fixtures/sessions/)
// from real ZooKeeper 3.8 servers started by the test harness: a 3-node ensemble (member 3 with only
// `srvr` whitelisted) with two sessions on members 1 and 2, and a standalone server listening on the
// IPv6 loopback. Only read-only commands are sent. Run after `npx tsc -p tsconfig.json`:
//   node out/scripts/captureSessionFixtures.js
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZkClient } from '../src/zk/client';
import { sendFourLetterWord } from '../src/zk/health/fourLetterWords';
import { findZooKeeper } from '../test/harness/locate';
import { freePorts, httpGet, sleep } from '../test/harness/net';
import { makeTempDir, removeTempDir } from '../test/harness/processes';
import { SERVER_JVM_FLAGS, ZkServer } from '../test/harness/server';
import { ZkCluster, stopAllClusters } from '../test/harness/zookeeper';

const OUT = join(__dirname, '..', '..', 'test', 'fixtures', 'sessions');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const save = (name: string, text: string) => {
    writeFileSync(join(OUT, name), text);
    console.log(`${name}: ${text.length} bytes`);
  };
  const word = (host: string, port: number, w: string) => sendFourLetterWord(host, port, w, { timeoutMs: 5000 });
  const sessions: Record<string, unknown> = {};

  const cluster = await ZkCluster.startEnsemble(3, { perServerWhitelist: { 3: 'srvr' } });
  const clients: ZkClient[] = [];
  try {
    // One session on member 1, one on member 2, each having done something (lop, lzxid).
    for (const id of [1, 2]) {
      const c = new ZkClient({ connectString: cluster.server(id).address });
      await c.connect();
      clients.push(c);
      await c.create(`/sessions-fixture-${id}`, Buffer.from('x'), { mode: 'ephemeral' });
      await c.getData(`/sessions-fixture-${id}`, () => undefined);
      sessions[`server${id}`] = { sessionId: c.sessionId, local: c.localEndpoint, server: cluster.server(id).address };
    }
    save('cons-server1.txt', await word('127.0.0.1', cluster.server(1).clientPort, 'cons'));
    save('cons-server2.txt', await word('127.0.0.1', cluster.server(2).clientPort, 'cons'));
    save('cons-not-whitelisted.txt', await word('127.0.0.1', cluster.server(3).clientPort, 'cons'));
    const admin = await httpGet(`http://127.0.0.1:${cluster.server(2).adminPort}/commands/connections`, 5000);
    if (admin.status !== 200) throw new Error(`connections: HTTP ${admin.status}`);
    save('admin-connections-server2.json', admin.body);
    save('config-znode.txt', Buffer.from((await clients[0].getData('/zookeeper/config')).data).toString('utf8'));
  } finally {
    for (const c of clients) await c.close();
    await cluster.close();
    await stopAllClusters();
  }

  // A standalone server on [::1] (the harness binds 127.0.0.1 only), for IPv6 peers in `cons`.
  const install = findZooKeeper();
  const dir = makeTempDir('ipv6');
  const [client, admin] = await freePorts(2);
  const server = new ZkServer(1, join(dir, 'server-1'), { client, admin, quorum: 0, election: 0 }, { java: install.java, classpath: install.classpath, jvmFlags: SERVER_JVM_FLAGS });
  server.writeConfig(
    ['tickTime=2000', `dataDir=${server.dataDir}`, 'clientPortAddress=::1', `clientPort=${client}`, '4lw.commands.whitelist=*', 'admin.enableServer=false', ''].join('\n'),
    false,
  );
  const c6 = new ZkClient({ connectString: `[::1]:${client}` });
  try {
    server.spawn();
    let ready = false;
    for (let i = 0; i < 300 && !ready; i++) {
      ready = await word('::1', client, 'srvr').then((r) => /^Mode: standalone/m.test(r), () => false);
      if (!ready) await sleep(100);
    }
    if (!ready) throw new Error(`the IPv6 server did not start:\n${server.logTail(30)}`);
    await c6.connect();
    await c6.getChildren('/');
    sessions.ipv6 = { sessionId: c6.sessionId, local: c6.localEndpoint, server: `[::1]:${client}` };
    save('cons-ipv6.txt', await word('::1', client, 'cons'));
  } finally {
    await c6.close();
    await server.terminate('SIGKILL');
    removeTempDir(dir);
  }
  save('sessions.json', JSON.stringify(sessions, null, 2) + '\n');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
