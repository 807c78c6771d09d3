// Captures the replies that the health parsers' unit tests read (test/fixtures/health/) from a real
// 3-node ZooKeeper ensemble started by the test harness, member 2 with only `srvr` whitelisted.
// Only read-only commands are sent. Run after `npx tsc -p tsconfig.json`:
//   node out/scripts/captureHealthFixtures.js
import { mkdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { join } from 'node:path';
import { ZkClient } from '../src/zk/client';
import { sendFourLetterWord } from '../src/zk/health/fourLetterWords';
import { ZkCluster, stopAllClusters } from '../test/harness/zookeeper';

const OUT = join(__dirname, '..', '..', 'test', 'fixtures', 'health');

function get(port: number, command: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: `/commands/${command}`, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const save = (name: string, text: string) => {
    writeFileSync(join(OUT, name), text);
    console.log(`${name}: ${text.length} bytes`);
  };
  const cluster = await ZkCluster.startEnsemble(3, { perServerWhitelist: { 2: 'srvr' } });
  try {
    let leader: number | undefined;
    for (let i = 0; i < 100 && leader === undefined; i++) {
      leader = await cluster.leaderId();
      if (leader === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    if (leader === undefined) throw new Error('no leader');
    // A follower with every word whitelisted, to read cons/conf from (member 2 allows srvr only).
    const follower = [1, 3].find((id) => id !== leader)!;
    const f = cluster.server(follower);
    const l = cluster.server(leader);
    // Two sessions on the follower, with some data, so that cons, znodes and watches have content.
    const clients = [new ZkClient({ connectString: f.address }), new ZkClient({ connectString: f.address })];
    for (const c of clients) await c.connect();
    await clients[0].create('/health-fixture', Buffer.from('x'));
    await clients[1].getData('/health-fixture', () => undefined);
    const word = (port: number, w: string) => sendFourLetterWord('127.0.0.1', port, w, { timeoutMs: 5000 });

    save('mntr-leader.txt', await word(l.clientPort, 'mntr'));
    save('srvr-leader.txt', await word(l.clientPort, 'srvr'));
    save('mntr-follower.txt', await word(f.clientPort, 'mntr'));
    save('srvr-follower.txt', await word(f.clientPort, 'srvr'));
    save('conf-follower.txt', await word(f.clientPort, 'conf'));
    save('cons.txt', await word(f.clientPort, 'cons'));
    save('isro.txt', await word(f.clientPort, 'isro'));
    save('mntr-not-whitelisted.txt', await word(cluster.server(2).clientPort, 'mntr'));
    // The AdminServer of a follower (member 2 if it follows, else the other one).
    const af = cluster.server(leader === 2 ? follower : 2);
    for (const c of ['monitor', 'leader', 'stats']) {
      const r = await get(af.adminPort, c);
      if (r.status !== 200) throw new Error(`${c}: HTTP ${r.status}`);
      save(`admin-${c}-follower.json`, r.body);
    }
    save('admin-configuration.json', (await get(af.adminPort, 'configuration')).body);
    save('admin-voting_view.json', (await get(af.adminPort, 'voting_view')).body);
    for (const c of clients) await c.close();

    // Without quorum: the survivor answers "not serving" (after up to syncLimit x tickTime).
    const survivor = follower;
    for (const id of [1, 2, 3].filter((x) => x !== survivor)) await cluster.kill(id);
    const s = cluster.server(survivor);
    let reply = '';
    for (let i = 0; i < 300; i++) {
      reply = await word(s.clientPort, 'srvr');
      if (/not currently serving/.test(reply)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    save('srvr-not-serving.txt', reply);
    const monitor = await get(s.adminPort, 'monitor');
    save('admin-monitor-not-serving.html', monitor.body);
    console.log(`monitor without quorum: HTTP ${monitor.status}`);
  } finally {
    await cluster.close();
    await stopAllClusters();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
