// The harness itself against real ZooKeeper 3.8 servers: start-up, probes, member lifecycle,
// zkCli.sh, TLS and cleanup. One cluster per describe block keeps the file fast.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { allThreadsStopped } from './server';
import { ZkCluster, findZooKeeper, zkCli } from './zookeeper';

/** Pids of live processes whose command line mentions text (our clusters' dirs are unique). */
function processesMentioning(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  let value = await probe();
  while (!ok(value)) {
    if (Date.now() > end) assert.fail(`${what}: still ${String(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

interface HandshakeResult {
  authorized: boolean;
  error?: string;
  srvr?: string;
}

/** TLS handshake to the secure port, then `srvr` over it to show ZooKeeper itself speaks TLS there. */
function tlsHandshake(port: number, caPath: string, material: { certPem: string; keyPem: string; servername: string }): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: readFileSync(caPath), cert: material.certPem, key: material.keyPem, servername: material.servername });
    const timer = setTimeout(() => done({ authorized: false, error: 'timeout' }), 5000);
    const chunks: Buffer[] = [];
    function done(result: HandshakeResult): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.once('secureConnect', () => socket.write('srvr'));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('end', () => done({ authorized: socket.authorized, srvr: Buffer.concat(chunks).toString('utf8') }));
    socket.once('error', (e: NodeJS.ErrnoException) => done({ authorized: false, error: e.code ?? e.message }));
  });
}

describe('ZooKeeper harness: install lookup', () => {
  it('finds the Debian install', () => {
    const found = findZooKeeper();
    assert.match(found.classpath, /zookeeper[^:]*\.jar/);
    assert.ok(existsSync(found.zkCli), found.zkCli);
  });

  it('says how to install ZooKeeper when it is missing', () => {
    const saved = { home: process.env.ZOOKEEPER_HOME, cp: process.env.ZK_CLASSPATH };
    process.env.ZOOKEEPER_HOME = '/nonexistent/zookeeper';
    delete process.env.ZK_CLASSPATH;
    try {
      assert.throws(() => findZooKeeper(), (e: Error) =>
        e.message.includes('install with `apt-get update && apt-get install -y zookeeper` (or set ZOOKEEPER_HOME / ZK_CLASSPATH)'));
    } finally {
      if (saved.home === undefined) delete process.env.ZOOKEEPER_HOME;
      else process.env.ZOOKEEPER_HOME = saved.home;
      if (saved.cp !== undefined) process.env.ZK_CLASSPATH = saved.cp;
    }
  });
});

describe('ZooKeeper harness: standalone server', () => {
  let zk: ZkCluster;
  before(async () => {
    zk = await ZkCluster.startStandalone({ tls: true, tickTime: 1000, extraConfig: { extendedTypesEnabled: 'true' } });
  });
  after(() => zk?.close());

  it('serves in standalone mode and answers srvr and mntr', async () => {
    assert.equal(zk.servers.length, 1);
    assert.equal(zk.connectString, zk.servers[0].address);
    assert.equal(await zk.mode(1), 'standalone');
    assert.equal(await zk.leaderId(), undefined);
    assert.match(await zk.fourLetter(1, 'srvr'), /^Zookeeper version: 3\./);
    assert.match(await zk.fourLetter(1, 'mntr'), /^zk_server_state\tstandalone$/m);
    assert.match(await zk.fourLetter(1, 'conf'), /^tickTime=1000$/m);
  });

  it('serves AdminServer /commands/monitor as JSON', async () => {
    const monitor = await zk.admin(1, 'monitor');
    assert.equal(monitor.server_state, 'standalone');
    assert.equal(typeof monitor.znode_count, 'number');
  });

  it('freeze() returns only when every thread of the server has stopped (a request sent right after gets no reply)', async () => {
    // kill(SIGSTOP) returns before the JVM's threads have stopped (12 ms later, once in five, idle):
    // a request sent in between was answered (CI: client.itest "a request to a frozen server").
    const pid = zk.server(1).pid()!;
    for (let i = 0; i < 20; i++) {
      zk.freeze(1);
      try {
        assert.ok(allThreadsStopped(pid), `freeze ${i + 1}: a thread of the server still runs`);
      } finally {
        zk.resume(1);
      }
    }
    assert.equal(await zk.mode(1), 'standalone');
  });

  it('lets zkCli.sh create and read a node, and honours extraConfig (TTL nodes)', async () => {
    const created = await zkCli(zk.servers[0].address, ['create', '/x', 'hello']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /Created \/x/); // zkCli.sh prints this one on stderr
    const read = await zkCli(zk.servers[0].address, ['get', '/x']);
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.stdout.trim().split('\n').pop(), 'hello');
    const ttl = await zkCli(zk.servers[0].address, ['create', '-t', '60000', '/ttl', 'v']);
    assert.match(ttl.stderr, /Created \/ttl/, 'extendedTypesEnabled not applied (else: Unimplemented)');
  });

  it('accepts TLS with the right CA and rejects the wrong one', async () => {
    const material = zk.tls;
    const port = zk.servers[0].securePort;
    assert.ok(material && port, 'tls material and secure port');
    assert.equal(zk.secureConnectString, `127.0.0.1:${port}`);
    const good = await tlsHandshake(port, material.caPath, material);
    assert.equal(good.error, undefined);
    assert.ok(good.authorized);
    assert.match(good.srvr ?? '', /^Mode: standalone$/m);
    const bad = await tlsHandshake(port, material.wrongCaPath, material);
    assert.equal(bad.authorized, false);
    assert.match(bad.error ?? '', /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY|CERT/);
  });

  it('close() leaves no process and no directory, and can be called twice', async () => {
    const pid = zk.servers[0].pid();
    assert.ok(pid);
    await zk.close();
    await zk.close();
    assert.equal(isAlive(pid), false);
    assert.equal(zk.servers[0].running(), false);
    assert.equal(existsSync(zk.dir), false);
    assert.deepEqual(processesMentioning(zk.dir), []);
  });
});

describe('ZooKeeper harness: 3-node ensemble', () => {
  let zk: ZkCluster;
  before(async () => {
    zk = await ZkCluster.startEnsemble(3, { perServerWhitelist: { 3: 'srvr' } });
  });
  after(() => zk?.close());

  const modes = (): Promise<(string | undefined)[]> => Promise.all([1, 2, 3].map((id) => zk.mode(id)));
  const aFollower = async (): Promise<number> => {
    const all = await modes();
    return all.indexOf('follower') + 1;
  };

  it('elects exactly one leader', async () => {
    assert.equal(zk.connectString.split(',').length, 3);
    const all = await modes();
    assert.deepEqual([...all].sort(), ['follower', 'follower', 'leader']);
    assert.equal(await zk.leaderId(), all.indexOf('leader') + 1);
  });

  it('applies a per-server four-letter-word whitelist', async () => {
    assert.match(await zk.fourLetter(3, 'mntr'), /mntr is not executed because it is not in the whitelist/);
    assert.match(await zk.fourLetter(1, 'mntr'), /^zk_version\t/m);
  });

  it('freeze() silences a member (zkCli.sh too, within its deadline), resume() brings it back', async () => {
    const id = await aFollower();
    zk.freeze(id);
    try {
      await assert.rejects(zk.fourLetter(id, 'srvr', 300), /no reply within 300 ms/);
      assert.equal(await zk.mode(id), undefined);
      // zkCli.sh hangs on a frozen server: its deadline must kill the script and its JVM.
      const address = zk.server(id).address;
      await assert.rejects(zkCli(address, ['get', '/'], { timeoutMs: 1500 }), /no result within 1500 ms/);
      assert.deepEqual(processesMentioning(`ZooKeeperMain -server ${address}`), []);
    } finally {
      zk.resume(id);
    }
    await zk.waitServing(20_000);
    assert.equal(await zk.mode(id), 'follower');
  });

  it('stop() and start() a member keep its id and config', async () => {
    const id = await aFollower();
    const before = zk.server(id).pid();
    await zk.stop(id);
    assert.equal(zk.server(id).running(), false);
    assert.equal(zk.server(id).pid(), undefined);
    assert.equal(before !== undefined && isAlive(before), false);
    assert.equal(await zk.mode(id), undefined);
    await zk.start(id);
    assert.notEqual(zk.server(id).pid(), before);
    assert.equal(await zk.mode(id), 'follower');
  });

  it('a new leader is elected after the leader is killed', async () => {
    const old = await zk.leaderId();
    assert.ok(old);
    await zk.kill(old);
    const next = await eventually(() => zk.leaderId(), (id) => id !== undefined && id !== old, 15_000, 'new leader');
    assert.notEqual(next, old);
    await zk.start(old);
    assert.equal(await zk.mode(old), 'follower');
  });

  it('close() leaves no process', async () => {
    const pids = zk.servers.map((s) => s.pid());
    assert.ok(pids.every((p) => p !== undefined));
    await zk.close();
    assert.deepEqual(pids.filter((p) => p !== undefined && isAlive(p)), []);
    assert.deepEqual(processesMentioning(zk.dir), []);
  });
});
