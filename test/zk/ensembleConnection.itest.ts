// EnsembleConnection through real failures of real servers: killed members and leaders, a frozen
// member, an expired session, a whole ensemble stopped and restarted, and connections that cannot
// work (refused, silent, wrong chroot, wrong TLS CA, wrong password). Recovery times are printed.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnsembleConnection, type ConnectionStatus } from '../../src/zk/ensembleConnection';
import type { ConnectionConfig } from '../../src/zk/config';
import { digestId, PERMS } from '../../src/zk/acl';
import { ZkCluster } from '../harness/zookeeper';
import { expireSession, rejectsWith, text, waitUntil } from '../helpers';

const SESSION_TIMEOUT_MS = 6000;
const open: EnsembleConnection[] = [];

function ensemble(config: Partial<ConnectionConfig> & { connectString: string }, password?: string): EnsembleConnection {
  const c = new EnsembleConnection(
    { name: config.name ?? `test-${open.length}`, sessionTimeoutMs: SESSION_TIMEOUT_MS, requestTimeoutMs: 4000, connectTimeoutMs: 2000, ...config },
    { password },
  );
  open.push(c);
  return c;
}

/** Walks everything reachable from `root` (own properties, Maps, Sets, arrays) and yields [path, value]. */
function* reachable(root: unknown): Generator<[string, unknown]> {
  const seen = new Set<unknown>();
  const stack: [string, unknown][] = [['connection', root]];
  while (stack.length > 0) {
    const [path, v] = stack.pop()!;
    yield [path, v];
    if (typeof v !== 'object' || v === null || seen.has(v) || ArrayBuffer.isView(v)) continue;
    seen.add(v);
    if (v instanceof Map) for (const [k, x] of v) stack.push([`${path}.get(${String(k)})`, x], [`${path}.key`, k]);
    else if (v instanceof Set) for (const x of v) stack.push([`${path}.item`, x]);
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d && 'value' in d) stack.push([`${path}.${String(k)}`, d.value]);
    }
  }
}

function stringsContaining(root: unknown, secret: string): string[] {
  return [...reachable(root)].filter(([, v]) => typeof v === 'string' && v.includes(secret)).map(([p]) => p);
}

function buffersContaining(root: unknown, secret: Buffer): Buffer[] {
  return [...reachable(root)].flatMap(([, v]) => (Buffer.isBuffer(v) && v.includes(secret) ? [v] : []));
}

/** Records every status change with its time since the recorder was made. */
function record(c: EnsembleConnection) {
  const start = Date.now();
  const log: { at: number; status: ConnectionStatus }[] = [];
  c.on('status', (s: ConnectionStatus) => log.push({ at: Date.now() - start, status: s }));
  return {
    log,
    states: () => log.map((l) => l.status.state),
    since: (t: number) => log.filter((l) => l.at >= t).map((l) => l.status.state),
    reset: () => log.splice(0),
  };
}

/**
 * Writes in a loop while something fails: every write the server acknowledged must be readable
 * afterwards, and every request must settle within its deadline.
 */
function writeLoop(c: EnsembleConnection, path: string) {
  let running = true;
  const acked: number[] = [];
  let longestMs = 0;
  let failures = 0;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const t = Date.now();
      try {
        await c.client.create(`${path}/w-${String(i).padStart(6, '0')}`);
        acked.push(i);
      } catch {
        failures++;
        await new Promise((r) => setTimeout(r, 50));
      }
      longestMs = Math.max(longestMs, Date.now() - t);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return { acked, longestMs, failures };
    },
  };
}

async function assertAllAcked(c: EnsembleConnection, path: string, acked: number[]): Promise<void> {
  await c.client.sync(path);
  const { children } = await c.client.getChildren(path);
  const present = new Set(children);
  const lost = acked.filter((i) => !present.has(`w-${String(i).padStart(6, '0')}`));
  assert.deepEqual(lost, [], 'acknowledged writes lost');
}

const timings: string[] = [];

describe('EnsembleConnection through real failures (3-node ensemble)', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;

  before(async () => {
    cluster = await ZkCluster.startEnsemble(3);
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.dispose();
    for (const s of cluster.servers) if (!s.running()) await cluster.start(s.id);
    await cluster.waitServing();
  });
  after(async () => {
    await cluster?.close();
    if (timings.length) console.log(`\n    Recovery times (session timeout ${SESSION_TIMEOUT_MS} ms):\n      ${timings.join('\n      ')}`);
  });

  async function connected(): Promise<EnsembleConnection> {
    const c = ensemble({ connectString: cluster.connectString });
    await c.open();
    assert.equal(c.state, 'connected');
    return c;
  }

  async function failAndRecover(label: string, victimOf: (c: EnsembleConnection) => Promise<number>, act: (id: number) => Promise<void>) {
    const c = await connected();
    await c.client.create(`/${label}`).catch(() => undefined);
    const rec = record(c);
    const loop = writeLoop(c, `/${label}`);
    await new Promise((r) => setTimeout(r, 300));
    const victim = await victimOf(c);
    const t0 = Date.now();
    await act(victim);
    await waitUntil(() => c.state !== 'connected' || c.getStatus().server !== cluster.server(victim).address, 15_000, 'the failure noticed');
    await waitUntil(() => c.state === 'connected', 30_000, 'reconnected');
    const recoveredMs = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 300));
    const { acked, longestMs } = await loop.stop();
    assert.ok(acked.length > 0);
    assert.ok(longestMs < 4000 + 1000, `a request took ${longestMs} ms, more than its deadline`);
    await assertAllAcked(c, `/${label}`, acked);
    timings.push(`${label}: connected again after ${recoveredMs} ms; states ${rec.states().join(' -> ')}; longest request ${longestMs} ms`);
    if (process.env.ZK_TEST_VERBOSE) console.log(rec.log.map((l) => `${l.at} ${l.status.state} ${l.status.detail ?? ''}`).join('\n'));
    return { c, rec, recoveredMs };
  }

  const serverOf = async (c: EnsembleConnection) => cluster.servers.find((s) => s.address === c.getStatus().server)!.id;

  it('member killed: moves to another member, same session, no acknowledged write lost', async () => {
    const { c, rec } = await failAndRecover('member-killed', serverOf, (id) => cluster.kill(id));
    assert.ok(rec.states().includes('reconnecting'), rec.states().join(','));
    assert.ok(!rec.states().includes('sessionExpired'));
    assert.ok(c.getStatus().sessionId);
  });

  it('leader killed: recovers after the election, no acknowledged write lost', async () => {
    const { rec } = await failAndRecover('leader-killed', async () => (await cluster.leaderId())!, (id) => cluster.kill(id));
    assert.ok(!rec.states().includes('sessionExpired'));
  });

  it('member frozen (SIGSTOP) past the liveness deadline: detected within seconds, session kept', async () => {
    let frozen = 0;
    // A follower: freezing the leader also stops the quorum until the others notice (syncLimit).
    const onFollower = async (c: EnsembleConnection) => {
      const leader = await cluster.leaderId();
      for (let i = 0; i < 10 && (await serverOf(c)) === leader; i++) await c.reconnect();
      const victim = await serverOf(c);
      assert.notEqual(victim, leader, 'the connection could not be moved off the leader');
      return victim;
    };
    try {
      const { c, recoveredMs } = await failAndRecover('member-frozen', onFollower, async (id) => {
        frozen = id;
        cluster.freeze(id);
      });
      assert.ok(recoveredMs < SESSION_TIMEOUT_MS, `took ${recoveredMs} ms`);
      assert.notEqual(c.getStatus().server, cluster.server(frozen).address);
    } finally {
      if (frozen) cluster.resume(frozen);
    }
  });

  it('session expired: reports it, makes a new session, and says what was lost', async () => {
    const c = await connected();
    await c.client.create('/owned-by-old-session', undefined, { mode: 'ephemeral' });
    const oldSession = c.client.sessionId;
    const rec = record(c);
    const renewed = new Promise<{ previousSessionId: string; sessionId: string }>((r) => c.once('sessionRenewed', r));
    const expired = new Promise<void>((r) => c.once('sessionExpired', () => r()));
    const t0 = Date.now();
    await expireSession(cluster.connectString, c.client, expired);
    const renewal = await renewed;
    timings.push(`session expired: new session after ${Date.now() - t0} ms; states ${rec.states().join(' -> ')}`);
    assert.equal(renewal.previousSessionId, oldSession);
    assert.notEqual(renewal.sessionId, oldSession);
    assert.ok(rec.states().includes('sessionExpired'));
    assert.equal(c.state, 'connected');
    assert.equal(await c.client.exists('/owned-by-old-session'), undefined, 'the old session\'s ephemeral node is gone');
    await c.client.create('/after-renewal');
  });

  it('whole ensemble stopped and brought back: reconnecting with the reason, then connected again', async () => {
    const c = await connected();
    const rec = record(c);
    for (const s of cluster.servers) await cluster.stop(s.id);
    await waitUntil(() => c.state === 'reconnecting', 10_000);
    await waitUntil(() => /refused/.test(c.getStatus().detail ?? ''), 10_000, 'the reason shown');
    await rejectsWith(c.client.getData('/'), 'REQUEST_DEADLINE', /no connection to ZooKeeper/);
    const t0 = Date.now();
    for (const s of cluster.servers) void cluster.start(s.id);
    await cluster.waitServing(30_000);
    await waitUntil(() => c.state === 'connected', 40_000, 'connected again');
    timings.push(`ensemble restarted: connected ${Date.now() - t0} ms after the restart began; states ${rec.states().join(' -> ')}`);
    assert.ok((await c.client.getChildren('/')).children.includes('zookeeper'));
  });

  it('two ensembles at once, used concurrently', async () => {
    const standalone = await ZkCluster.startStandalone();
    try {
      const a = await connected();
      const b = ensemble({ connectString: standalone.connectString, name: 'other' });
      await b.open();
      await Promise.all([
        Promise.all(Array.from({ length: 50 }, (_, i) => a.client.create(`/only-a-${i}`))),
        Promise.all(Array.from({ length: 50 }, (_, i) => b.client.create(`/only-b-${i}`))),
      ]);
      assert.equal(await a.client.exists('/only-b-0'), undefined);
      assert.equal(await b.client.exists('/only-a-0'), undefined);
      assert.equal((await b.client.getChildren('/')).children.filter((n) => n.startsWith('only-b-')).length, 50);
    } finally {
      await standalone.close();
    }
  });
});

describe('EnsembleConnection: connections that cannot work say why', function () {
  this.timeout(60_000);
  let cluster: ZkCluster;

  before(async () => {
    cluster = await ZkCluster.startStandalone({ tls: true });
  });
  after(async () => {
    for (const c of open.splice(0)) await c.dispose();
    await cluster?.close();
  });

  it('refused port', async () => {
    const c = ensemble({ connectString: '127.0.0.1:1', connectTimeoutMs: 1000 });
    await rejectsWith(c.open(2500), 'CONNECT_FAILED', /connection refused/);
    assert.equal(c.state, 'connecting');
    assert.match(c.getStatus().detail ?? '', /connection refused .* is ZooKeeper running on that port/);
  });

  it('a server that accepts the connection but never answers', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const c = ensemble({ connectString: `127.0.0.1:${port}`, connectTimeoutMs: 1000 });
      await rejectsWith(c.open(2500), 'CONNECT_FAILED', /no answer|closed the connection/);
    } finally {
      silent.close();
    }
  });

  it('wrong chroot: connected, and the missing chroot is detected and can be created', async () => {
    const c = ensemble({ connectString: `${cluster.servers[0].address}/no/such/chroot` });
    await c.open();
    assert.equal(await c.chrootExists(), false);
    await c.createChroot();
    assert.equal(await c.chrootExists(), true);
  });

  it('TLS with the right CA works; the wrong CA is a TLS handshake failure, in words', async () => {
    const t = cluster.tls!;
    const good = ensemble({ connectString: cluster.secureConnectString!, tls: { ca: t.caPath, cert: t.certPath, key: t.keyPath } });
    await good.open();
    assert.ok((await good.client.getChildren('/')).children.includes('zookeeper'));
    const bad = ensemble({ connectString: cluster.secureConnectString!, tls: { ca: t.wrongCaPath, cert: t.certPath, key: t.keyPath }, connectTimeoutMs: 1500 });
    await rejectsWith(bad.open(3000), 'CONNECT_FAILED', /TLS handshake failed/);
    assert.match(bad.getStatus().detail ?? '', /TLS handshake failed .* check the CA/);
  });

  it('a missing TLS file is named, on the connection too', async () => {
    const c = ensemble({ connectString: cluster.secureConnectString!, tls: { ca: '/nonexistent/ca.pem' } });
    await assert.rejects(c.open(), /Cannot read the TLS CA file \/nonexistent\/ca.pem/);
    assert.equal(c.state, 'idle');
    assert.match(c.getStatus().detail ?? '', /Cannot read the TLS CA file \/nonexistent\/ca.pem/);
  });

  it('TLS files are read at open: a key file removed afterwards does not strand the next session after an expiry', async () => {
    const t = cluster.tls!;
    const dir = mkdtempSync(join(tmpdir(), 'zk-tls-key-'));
    const keyPath = join(dir, 'client.key');
    copyFileSync(t.keyPath, keyPath);
    try {
      const c = ensemble({ connectString: cluster.secureConnectString!, tls: { ca: t.caPath, cert: t.certPath, key: keyPath } });
      await c.open();
      const oldSession = c.client.sessionId;
      rmSync(keyPath); // unreadable from now on
      const renewed = new Promise<void>((r) => c.once('sessionRenewed', () => r()));
      const expired = new Promise<void>((r) => c.once('sessionExpired', () => r()));
      await expireSession(cluster.connectString, c.client, expired);
      await renewed;
      assert.equal(c.state, 'connected');
      assert.notEqual(c.client.sessionId, oldSession);
      // Reconnect reads the files again and says which one is missing, on the connection itself.
      await c.close();
      await assert.rejects(c.open(), /Cannot read the TLS key file/);
      assert.match(c.getStatus().detail ?? '', /Cannot read the TLS key file .*client\.key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps no "user:password" string on the connection or its client, and zeroes a closed session\'s copy', async () => {
    const password = `pw-${process.pid}-${Date.now()}`;
    const c = ensemble({ connectString: cluster.connectString, auth: { scheme: 'digest', user: 'ops' } }, password);
    await c.open();
    await c.client.exists('/');
    const found = stringsContaining(c, password);
    assert.deepEqual(found, [], `the password is reachable as a string at ${found.join(', ')}`);
    const client = c.client;
    const copies = buffersContaining(client, Buffer.from(`ops:${password}`));
    assert.ok(copies.length > 0, 'the session keeps a Buffer copy to re-send after a reconnect');
    await c.close();
    for (const b of copies) assert.ok(b.every((x) => x === 0), 'the closed session\'s copy is zeroed');
  });

  it('wrong password: connected, and the protected node says "not authorized"', async () => {
    const admin = ensemble({ connectString: cluster.connectString });
    await admin.open();
    await admin.client.create('/locked', text('x'), { acl: [{ scheme: 'digest', id: digestId('ops', 'right'), perms: PERMS.ALL }] });
    const good = ensemble({ connectString: cluster.connectString, auth: { scheme: 'digest', user: 'ops' } }, 'right');
    await good.open();
    assert.equal(Buffer.from((await good.client.getData('/locked')).data).toString(), 'x');
    const bad = ensemble({ connectString: cluster.connectString, auth: { scheme: 'digest', user: 'ops' } }, 'wrong');
    await bad.open();
    await rejectsWith(bad.client.getData('/locked'), 'NOAUTH', /Not authorized to read \/locked/);
    assert.equal(bad.state, 'connected');
  });

  it('read-only connections refuse writes in the domain layer', async () => {
    const ro = ensemble({ connectString: cluster.connectString, readOnly: true, name: 'prod' });
    await ro.open();
    await rejectsWith(ro.client.create('/nope'), 'READ_ONLY_GUARD', /"prod" is read-only/);
  });
});
