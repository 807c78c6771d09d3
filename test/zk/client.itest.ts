// ZkClient against real ZooKeeper 3.8 servers started by the harness; zkCli.sh is the independent
// client that checks what we write and writes what we read.
import * as assert from 'node:assert/strict';
import { ZkClient, ZkMultiError, type WatchEvent } from '../../src/zk/client';
import { digestId, PERMS } from '../../src/zk/acl';
import { ZkCluster, zkCli } from '../harness/zookeeper';
import { rejectsWith, text, waitUntil } from '../helpers';

const clients: ZkClient[] = [];
async function connect(connectString: string, extra: Partial<ConstructorParameters<typeof ZkClient>[0]> = {}): Promise<ZkClient> {
  const c = new ZkClient({ connectString, requestTimeoutMs: 5000, ...extra });
  clients.push(c);
  await c.connect();
  return c;
}


describe('ZkClient against a standalone ZooKeeper 3.8', function () {
  this.timeout(60_000);
  let cluster: ZkCluster;
  let zk: ZkClient;

  before(async () => {
    cluster = await ZkCluster.startStandalone({ extraConfig: { extendedTypesEnabled: 'true', enforceQuota: 'true' } });
    zk = await connect(cluster.connectString);
  });
  after(async () => {
    for (const c of clients.splice(0)) await c.close();
    await cluster?.close();
  });

  it('creates, reads, updates and deletes, with decoded stats', async () => {
    const created = await zk.create('/crud', text('v0'));
    assert.equal(created.path, '/crud');
    assert.equal(created.stat.version, 0);
    assert.match(created.stat.czxid, /^0x[0-9a-f]+$/);
    assert.ok(created.stat.ctime instanceof Date && Math.abs(created.stat.ctime.getTime() - Date.now()) < 60_000);
    const read = await zk.getData('/crud');
    assert.ok(read.data instanceof Uint8Array);
    assert.equal(Buffer.from(read.data).toString(), 'v0');
    const stat = await zk.setData('/crud', text('v1'), 0);
    assert.equal(stat.version, 1);
    assert.equal(stat.dataLength, 2);
    const cli = await zkCli(cluster.servers[0].address, ['get', '/crud']);
    assert.match(cli.stdout, /^v1$/m);
    await zk.remove('/crud', 1);
    assert.equal(await zk.exists('/crud'), undefined);
  });

  it('reads what zkCli.sh wrote, and zkCli.sh reads what we wrote', async () => {
    await zkCli(cluster.servers[0].address, ['create', '/from-cli', 'written by zkCli']);
    assert.equal(Buffer.from((await zk.getData('/from-cli')).data).toString(), 'written by zkCli');
    await zk.create('/from-us', text('{"ok":true}'));
    assert.match((await zkCli(cluster.servers[0].address, ['get', '/from-us'])).stdout, /\{"ok":true\}/);
  });

  it('keeps binary data byte for byte, read by a second real client', async () => {
    const bytes = new Uint8Array(256);
    for (let i = 0; i < 256; i++) bytes[i] = 255 - i;
    await zk.create('/binary-roundtrip', bytes);
    const other = await connect(cluster.connectString);
    assert.deepEqual(Buffer.from((await other.getData('/binary-roundtrip')).data), Buffer.from(bytes));
  });

  it('says who changed what on a version conflict: expected and current version', async () => {
    await zk.create('/conflict', text('a'));
    const other = await connect(cluster.connectString);
    await other.setData('/conflict', text('theirs'), 0);
    const e = await rejectsWith(zk.setData('/conflict', text('mine'), 0), 'BADVERSION');
    assert.equal(e.message, 'Version conflict: /conflict was changed by someone else (expected 0, now 1)');
    assert.equal(Buffer.from((await zk.getData('/conflict')).data).toString(), 'theirs');
  });

  it('gives actionable messages for missing nodes, existing nodes, children and bad paths', async () => {
    await rejectsWith(zk.getData('/no/such/node'), 'NONODE', /^Node \/no\/such\/node does not exist$/);
    await zk.create('/dup');
    await rejectsWith(zk.create('/dup'), 'NODEEXISTS', /already exists/);
    await zk.create('/dup/child');
    await rejectsWith(zk.remove('/dup', -1), 'NOTEMPTY', /has children/);
    await rejectsWith(zk.create('/bad//path'), 'INVALID_PATH', /empty segments/);
    await rejectsWith(zk.create('/emoji😀'), 'INVALID_PATH', /does not accept/);
  });

  it('survives an error code the library does not know (QUOTA_EXCEEDED) and keeps working', async () => {
    await zk.create('/quota');
    const q = await zkCli(cluster.servers[0].address, ['setquota', '-N', '2', '/quota']);
    assert.equal(q.code, 0, q.stderr);
    await zk.create('/quota/a');
    // -N is a hard quota (enforced with enforceQuota=true); it counts the node itself, so the second child is one too many.
    await rejectsWith(zk.create('/quota/b'), 'QUOTAEXCEEDED', /Quota exceeded under \/quota\/b/);
    assert.ok((await zk.exists('/quota/a')) !== undefined, 'the session still works after the unknown code');
  });

  it('removes watches on the server: a removed watcher never fires', async () => {
    await zk.create('/watched');
    const fired: string[] = [];
    const events: WatchEvent[] = [];
    zk.on('watchEvent', (e: WatchEvent) => e.path === '/watched' && events.push(e));
    await zk.getData('/watched', (e) => fired.push(e.type));
    await zk.removeWatches('/watched', 'data');
    await zk.addWatch('/watched', false);
    await zk.removeWatches('/watched', 'any');
    await zkCli(cluster.servers[0].address, ['set', '/watched', 'changed']);
    await zk.sync('/watched');
    await zk.exists('/watched');
    assert.deepEqual(fired, []);
    assert.deepEqual(events, []);
    await rejectsWith(zk.removeWatches('/watched', 'data'), 'NOWATCHER', /No watch is registered on \/watched/);
  });

  it('fires one-shot watches for data, children, creation and deletion', async () => {
    const seen: string[] = [];
    await zk.exists('/w-later', (e) => seen.push(`exists:${e.type}`));
    await zk.create('/w-later');
    await zk.getChildren('/w-later', (e) => seen.push(`children:${e.type}`));
    await zk.getData('/w-later', (e) => seen.push(`data:${e.type}`));
    await zkCli(cluster.servers[0].address, ['create', '/w-later/kid', '']);
    await zkCli(cluster.servers[0].address, ['set', '/w-later', 'x']);
    await waitUntil(() => seen.length >= 3);
    assert.deepEqual(seen.sort(), ['children:childrenChanged', 'data:dataChanged', 'exists:created']);
  });

  it('supports ZooKeeper 3.5+ operations: create2 stat, container, TTL, sequential', async () => {
    const seq = await zk.create('/seq-', text('x'), { mode: 'persistentSequential' });
    assert.match(seq.path, /^\/seq-\d{10}$/);
    assert.equal(seq.stat.dataLength, 1);
    const eph = await zk.create('/eph', undefined, { mode: 'ephemeral' });
    assert.equal(eph.stat.ephemeralOwner, zk.sessionId);
    const container = await zk.create('/container', undefined, { mode: 'container' });
    assert.equal(container.path, '/container');
    const ttl = await zk.create('/ttl', undefined, { mode: 'persistentTtl', ttlMs: 60_000 });
    assert.equal(ttl.path, '/ttl');
    await rejectsWith(zk.create('/ttl-bad', undefined, { mode: 'persistentTtl' }), 'INVALID_ARGUMENT', /TTL/);
  });

  it('lists ephemerals, counts descendants, says who am I, syncs', async () => {
    await zk.create('/count');
    await zk.create('/count/a');
    await zk.create('/count/a/b');
    assert.equal(await zk.getAllChildrenNumber('/count'), 2);
    await zk.create('/count/e', undefined, { mode: 'ephemeral' });
    assert.deepEqual(await zk.getEphemerals('/count'), ['/count/e']);
    const who = await zk.whoAmI();
    assert.ok(who.some((w) => w.authScheme === 'ip' && w.user === '127.0.0.1'), JSON.stringify(who));
    await zk.sync('/count');
  });

  it('delivers persistent recursive watch events for a subtree', async () => {
    await zk.create('/tree');
    const events: WatchEvent[] = [];
    zk.on('watchEvent', (e: WatchEvent) => e.path.startsWith('/tree') && events.push(e));
    await zk.addWatch('/tree', true);
    await zkCli(cluster.servers[0].address, ['create', '/tree/a', '1']);
    await zkCli(cluster.servers[0].address, ['set', '/tree/a', '2']);
    await zkCli(cluster.servers[0].address, ['delete', '/tree/a']);
    await waitUntil(() => events.length >= 3);
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.path}`),
      ['created /tree/a', 'dataChanged /tree/a', 'deleted /tree/a'],
    );
    await zk.removeWatches('/tree', 'any');
  });

  it('keeps one-shot and persistent watches of the same path from cancelling each other (ZOOKEEPER-4466)', async () => {
    const server = cluster.servers[0].address;
    await zk.create('/mix');
    const persistent: WatchEvent[] = [];
    zk.on('watchEvent', (e: WatchEvent) => e.path.startsWith('/mix') && persistent.push(e));
    await zk.addWatch('/mix', false);
    // The tree expands /mix (one-shot child watch), then collapses it.
    const treeFired: string[] = [];
    await zk.getChildren('/mix', (e) => treeFired.push(e.type));
    await zk.removeWatches('/mix', 'children');
    await zkCli(server, ['set', '/mix', 'v1']);
    await waitUntil(() => persistent.some((e) => e.type === 'dataChanged'), 10_000, 'the persistent watch still reports data changes');
    // The tree expands it again, then the watch log unwatches: the tree's child watch survives.
    await zk.getChildren('/mix', (e) => treeFired.push(e.type));
    await zk.removePersistentWatch('/mix');
    await zkCli(server, ['create', '/mix/kid', '']);
    await waitUntil(() => treeFired.includes('childrenChanged'), 10_000, "the tree's child watch fired after the unwatch");
    // Under a recursive watch, a child watcher on the same path hears creations as "children changed".
    await zk.create('/rec');
    await zk.addWatch('/rec', true);
    const recFired: string[] = [];
    await zk.getChildren('/rec', (e) => recFired.push(e.type));
    await zkCli(server, ['create', '/rec/x', '']);
    await waitUntil(() => recFired.includes('childrenChanged'), 10_000, 'children changed under a recursive watch');
    await zk.removePersistentWatch('/rec');
  });

  it('runs a multi atomically and says which step failed', async () => {
    const results = await zk.multi([
      { type: 'create', path: '/tx' },
      { type: 'create', path: '/tx/a', data: text('a') },
      { type: 'setData', path: '/tx/a', data: text('b'), version: 0 },
      { type: 'check', path: '/tx', version: 0 },
    ]);
    assert.equal(results.length, 4);
    assert.deepEqual(results[0], { type: 'create', path: '/tx', stat: results[0].type === 'create' ? results[0].stat : undefined });
    const err = await zk.multi([
      { type: 'create', path: '/tx/b' },
      { type: 'delete', path: '/tx/missing' },
    ]).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ZkMultiError, String(err));
    assert.equal(err.failedIndex, 1);
    assert.equal(err.code, 'NONODE');
    assert.equal(await zk.exists('/tx/b'), undefined, 'nothing of a failed multi is applied');
  });

  it('refuses data over the request limit before sending, and the largest that fits reaches the server', async () => {
    await zk.create('/big');
    // Frame = header 8 + path (4 + 4) + data (4 + n) + version 4: 24 + n bytes.
    const largest = 0xfffff - 24;
    const stat = await zk.setData('/big', new Uint8Array(largest).fill(65), -1);
    assert.equal(stat.dataLength, largest);
    const e = await rejectsWith(zk.setData('/big', new Uint8Array(largest + 1), -1), 'DATA_TOO_LARGE');
    assert.match(e.message, /1,048,576 bytes .* limit \(jute.maxbuffer\) is 1,048,575 bytes/);
    assert.equal((await zk.exists('/big'))?.dataLength, largest, 'the refused write sent nothing');
  });

  it('with a chroot, sees and reports paths relative to it', async () => {
    await zk.create('/apps');
    await zk.create('/apps/one');
    const rooted = await connect(`${cluster.servers[0].address}/apps/one`);
    const c = await rooted.create('/conf', text('c'));
    assert.equal(c.path, '/conf');
    assert.ok((await zk.exists('/apps/one/conf')) !== undefined);
    const events: WatchEvent[] = [];
    await rooted.getData('/conf', (e) => events.push(e));
    await zk.setData('/apps/one/conf', text('d'), -1);
    await waitUntil(() => events.length === 1);
    assert.deepEqual(events[0], { type: 'dataChanged', path: '/conf' });
    const seq = await rooted.create('/s-', undefined, { mode: 'ephemeralSequential' });
    assert.deepEqual(await rooted.getEphemerals('/'), [seq.path]);
  });

  it('reads a digest-protected node with the right password; the wrong one gets "not authorized"', async () => {
    const id = digestId('admin', 'right');
    await zk.create('/vault', text('secret'), { acl: [{ scheme: 'digest', id, perms: PERMS.ALL }] });
    await rejectsWith(zk.getData('/vault'), 'NOAUTH', /Not authorized to read \/vault/);
    const good = await connect(cluster.connectString, { auth: [{ scheme: 'digest', auth: 'admin:right' }] });
    assert.equal(Buffer.from((await good.getData('/vault')).data).toString(), 'secret');
    const bad = await connect(cluster.connectString);
    await bad.addAuth('digest', 'admin:wrong');
    await rejectsWith(bad.getData('/vault'), 'NOAUTH', /Not authorized/);
    assert.equal(bad.state, 'connected');
  });

  it('refuses every write on a read-only connection, in the domain layer', async () => {
    const ro = await connect(cluster.connectString, { readOnly: true, name: 'production' });
    await rejectsWith(ro.create('/ro-create'), 'READ_ONLY_GUARD', /"production" is read-only: refused to create \/ro-create/);
    await rejectsWith(ro.setData('/', text('x'), -1), 'READ_ONLY_GUARD');
    await rejectsWith(ro.remove('/eph', -1), 'READ_ONLY_GUARD');
    await rejectsWith(ro.setACL('/', [], -1), 'READ_ONLY_GUARD');
    await rejectsWith(ro.multi([{ type: 'create', path: '/ro-m' }]), 'READ_ONLY_GUARD');
    assert.equal(await zk.exists('/ro-create'), undefined);
    assert.ok((await ro.getChildren('/')).children.length > 0, 'reads still work');
  });

  it('never hangs: a request to a frozen server fails at its deadline', async () => {
    const slow = await connect(cluster.connectString, { requestTimeoutMs: 1500, livenessTimeoutMs: 60_000, sessionTimeoutMs: 30_000 });
    cluster.freeze(1);
    try {
      const started = Date.now();
      await rejectsWith(slow.getData('/'), 'REQUEST_DEADLINE', /No reply to read \/ within 1.5 s/);
      const took = Date.now() - started;
      assert.ok(took >= 1400 && took < 5000, `took ${took} ms`);
    } finally {
      cluster.resume(1);
    }
  });

  it('says why it cannot connect: refused port', async () => {
    const c = new ZkClient({ connectString: '127.0.0.1:1', connectTimeoutMs: 1000 });
    clients.push(c);
    await rejectsWith(c.connect(1500), 'CONNECT_FAILED', /connection refused .*is ZooKeeper running on that port/);
  });
});

describe('ZkClient against a 3-node ensemble', function () {
  this.timeout(90_000);
  let cluster: ZkCluster;

  before(async () => {
    cluster = await ZkCluster.startEnsemble(3);
  });
  after(async () => {
    for (const c of clients.splice(0)) await c.close();
    await cluster?.close();
  });

  it('moves to another member when its server is killed, keeping the session and its ephemeral node', async () => {
    const zk = await connect(cluster.connectString, { sessionTimeoutMs: 8000 });
    await zk.create('/owned', undefined, { mode: 'ephemeral' });
    const session = zk.sessionId;
    const on = zk.currentServer;
    const victim = cluster.servers.find((s) => s.address === on);
    assert.ok(victim, `connected to ${on}`);
    await cluster.kill(victim.id);
    await waitUntil(async () => {
      try {
        return (await zk.exists('/owned')) !== undefined;
      } catch {
        return false;
      }
    }, 20_000);
    assert.equal(zk.sessionId, session);
    assert.notEqual(zk.currentServer, on);
    await cluster.start(victim.id);
  });

  it('requests queued during a reconnect are not failed for lack of auth: credentials go first', async () => {
    const admin = await connect(cluster.connectString);
    const id = digestId('app', 'pw');
    await admin.create('/authed', text('ok'), { acl: [{ scheme: 'digest', id, perms: PERMS.ALL }] });
    const zk = await connect(cluster.connectString, { auth: [{ scheme: 'digest', auth: 'app:pw' }], sessionTimeoutMs: 8000 });
    assert.equal(Buffer.from((await zk.getData('/authed')).data).toString(), 'ok');
    const victim = cluster.servers.find((s) => s.address === zk.currentServer)!;
    const disconnected = new Promise<void>((r) => zk.once('state', () => r()));
    await cluster.kill(victim.id);
    await disconnected;
    // Sent while there is no connection: they wait in the queue and go out right after the
    // handshake, behind the re-sent credentials.
    const reads = await Promise.all(Array.from({ length: 20 }, () => zk.getData('/authed')));
    assert.deepEqual(reads.map((r) => Buffer.from(r.data).toString()), Array(20).fill('ok'));
    await cluster.start(victim.id);
  });

  it('reads and writes through every member', async () => {
    for (const s of cluster.servers) {
      const zk = await connect(s.address);
      await zk.create(`/via-${s.id}`, text(String(s.id)));
    }
    const zk = await connect(cluster.connectString);
    await zk.sync('/');
    for (const s of cluster.servers) assert.equal(Buffer.from((await zk.getData(`/via-${s.id}`)).data).toString(), String(s.id));
  });
});
