// The domain features against servers older than 3.6: a real 3.8 server behind the harness's
// OlderServerProxy, which answers like ZooKeeper 3.4 or 3.5 for the request types they lack
// (UNIMPLEMENTED; UNIMPLEMENTED and a closed connection, as Apache's servers do; or only a closed
// connection). What those servers can do works; what they cannot fails with a message that names
// the feature and the release it needs; nothing unsupported is sent twice on one connection.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { EnsembleConnection } from '../../src/zk/ensembleConnection';
import { NodeDocument } from '../../src/zk/nodeDocument';
import { OP } from '../../src/zk/transport';
import { readRecipe } from '../../src/zk/recipes';
import { describeLookup, lookupSessions, sessionServers } from '../../src/zk/sessions';
import { countSubtree, deleteSubtree } from '../../src/zk/subtree';
import { WatchManager } from '../../src/zk/watches';
import { OlderServerProxy, type OlderVersion, type UnknownOpMode } from '../harness/olderServerProxy';
import { ZkCluster, fourLetterWord } from '../harness/zookeeper';
import { rejectsWith, waitUntil } from '../helpers';
import { LogRecorder } from './watches/logRecorder';

const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const MODES: UnknownOpMode[] = ['unimplemented', 'unimplementedThenClose', 'drop'];

describe('older servers (3.4, 3.5) behind a proxy in front of a real server', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let writer: ZkClient;
  const proxies: OlderServerProxy[] = [];
  const clients: ZkClient[] = [];
  const closers: (() => unknown)[] = [];

  before(async () => {
    cluster = await ZkCluster.startStandalone();
    writer = new ZkClient({ connectString: cluster.connectString, name: 'writer' });
    await writer.connect();
  });

  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    for (const c of clients.splice(0)) await c.close();
    for (const p of proxies.splice(0)) await p.close();
  });

  after(async () => {
    await writer?.close();
    await cluster?.close();
  });

  async function proxy(version: OlderVersion, mode: UnknownOpMode): Promise<OlderServerProxy> {
    const p = await OlderServerProxy.start(cluster.servers[0].clientPort, { version, mode });
    proxies.push(p);
    return p;
  }

  /**
   * Apache's servers close the connection right after refusing a request type they do not know,
   * and what is sent before the close arrives is lost; the client closes it first itself, except
   * for createTTL, which 3.5.3+ servers with TTL nodes off refuse in order without closing. After
   * a TTL refusal a read that may fail lets the next step wait for the next connection.
   */
  const settle = (zk: ZkClient) => zk.exists('/').catch(() => undefined);

  async function through(p: OlderServerProxy): Promise<ZkClient> {
    const c = new ZkClient({ connectString: p.address, name: 'old', spinDelayMs: 50, requestTimeoutMs: 10_000 });
    clients.push(c);
    await c.connect();
    return c;
  }

  for (const version of ['3.4', '3.5'] as const) {
    for (const mode of MODES) {
      it(`${version}, ${mode}: tree, create modes, documents, counts, delete and whoAmI work or say what the server lacks, each refused request sent once`, async () => {
        const p = await proxy(version, mode);
        const zk = await through(p);
        const root = `/older-${version.replace('.', '')}-${mode}`;

        // Create (3.4 has no create2: refused once, then plain create and a Stat read).
        const made = await zk.create(root, text('v0'));
        assert.equal(made.path, root);
        assert.equal(made.stat.version, 0);
        assert.equal(made.stat.dataLength, 2);
        await zk.create(`${root}/a`, text('a'));
        await zk.create(`${root}/a/deep`);
        const eph = await zk.create(`${root}/owner`, undefined, { mode: 'ephemeral' });
        assert.equal(eph.stat.ephemeralOwner, zk.sessionId);
        const seq = await zk.create(`${root}/job-`, undefined, { mode: 'persistentSequential' });
        assert.match(seq.path, /\/job-\d{10}$/);
        assert.equal(p.refusedOps(OP.CREATE2), version === '3.4' ? 1 : 0);

        // The tree's listing and child counts.
        const listed = await zk.getChildren(root);
        assert.deepEqual(listed.children.sort(), ['a', 'job-' + seq.path.split('-').pop(), 'owner']);
        assert.equal(listed.stat.numChildren, 3);

        // Create modes the server lacks: a clear refusal, nothing created.
        if (version === '3.4') {
          await rejectsWith(zk.create(`${root}/box`, undefined, { mode: 'container' }), 'UNIMPLEMENTED', /does not support container nodes \(it needs ZooKeeper 3\.5\.1 or later.*create a persistent node instead/);
            assert.equal(await writer.exists(`${root}/box`), undefined);
        } else {
          assert.equal((await zk.create(`${root}/box`, undefined, { mode: 'container' })).path, `${root}/box`);
        }
        if (version === '3.4') {
          await rejectsWith(zk.create(`${root}/ttl`, undefined, { mode: 'persistentTtl', ttlMs: 60_000 }), 'UNIMPLEMENTED', /does not support TTL nodes \(it needs ZooKeeper 3\.5\.3 or later.*extendedTypesEnabled=true/);
          // The one refusal the client does not take as the end of the connection (see settle).
          await settle(zk);
          }

        // A node document: open, save, read back.
        const doc = new NodeDocument('old', `${root}/a`, 'text');
        await doc.stat(zk);
        doc.adopt(await doc.read(zk));
        const saved = await doc.commit(zk, doc.prepare(text('edited'), zk), doc.plan()!.version);
        assert.equal(saved.kind, 'saved');
        assert.equal(Buffer.from((await writer.getData(`${root}/a`)).data).toString(), 'edited');

        // Counting falls back to a walk; asked again, nothing is sent.
        const counted = await countSubtree(zk, root);
        assert.deepEqual(counted, { total: version === '3.4' ? 5 : 6, descendants: version === '3.4' ? 4 : 5, method: 'walk' });
        await rejectsWith(zk.getAllChildrenNumber(root), 'UNIMPLEMENTED', /does not support counting all descendants .*it needs ZooKeeper 3\.6\.0 or later/);
        assert.equal(p.refusedOps(OP.GET_ALL_CHILDREN_NUMBER), 1);

        // whoAmI (3.7) and getEphemerals (3.6).
        await rejectsWith(zk.whoAmI(), 'UNIMPLEMENTED', /does not support asking the server who this session is \(whoAmI\) \(it needs ZooKeeper 3\.7\.0/);
        await rejectsWith(zk.whoAmI(), 'UNIMPLEMENTED', /whoAmI/);
        assert.equal(p.refusedOps(OP.WHO_AM_I), 1);
        await rejectsWith(zk.getEphemerals('/'), 'UNIMPLEMENTED', /getEphemerals.*3\.6\.0/);

        // Recursive delete.
        const gone = await deleteSubtree(zk, root);
        assert.equal(gone.deleted, version === '3.4' ? 5 : 6);
        assert.equal(await writer.exists(root), undefined);

        // Each unsupported request reached the server once; a closed connection was reopened once for each.
        const refusedTypes = new Set(p.refused.map((r) => r.opcode));
        for (const op of refusedTypes) assert.equal(p.refusedOps(op), 1, `opcode ${op} refused ${p.refusedOps(op)} times`);
        // A refused createTTL keeps the connection (3.5.3+ refuse it in order when TTL nodes are off).
        const closing = mode === 'unimplemented' ? p.refused.filter((r) => r.opcode !== OP.CREATE_TTL) : p.refused;
        assert.equal(p.connections, 1 + closing.length);
        assert.equal(zk.state, 'connected');
        if (mode !== 'unimplemented') {
          assert.match(String((await rejectsWith(zk.whoAmI(), 'UNIMPLEMENTED')).message), mode === 'drop' ? /closed the connection when asked/ : /whoAmI/);
        }
      });
    }
  }

  it('3.4: a transaction with creates (copy, import) is sent again with plain creates when the server cannot read create2 in a multi', async () => {
    const p = await proxy('3.4', 'unimplemented');
    const zk = await through(p);
    const results = await zk.multi([
      { type: 'create', path: '/older-multi', data: text('x') },
      { type: 'create', path: '/older-multi/child' },
      { type: 'setData', path: '/older-multi', data: text('y') },
    ]);
    assert.deepEqual(
      results.map((r) => r.type),
      ['create', 'create', 'setData'],
    );
    assert.equal(Buffer.from((await writer.getData('/older-multi')).data).toString(), 'y');
    assert.deepEqual(p.refused, [{ opcode: OP.MULTI, xid: p.refused[0].xid, inMulti: true }]);
    // The next one goes out with plain creates at once.
    await zk.multi([{ type: 'create', path: '/older-multi/second' }]);
    assert.equal(p.refused.length, 1);
    await deleteSubtree(zk, '/older-multi');
  });

  for (const [version, mode] of [
    ['3.5', 'drop'],
    ['3.4', 'unimplementedThenClose'],
  ] as const) {
    it(`${version}, ${mode}: the watch log falls back to one-shot watches, re-armed after each event, and asks for addWatch once`, async () => {
      const p = await proxy(version, mode);
      await writer.create(`/older-watch-${version}`);
      const conn = new EnsembleConnection({ name: 'old', connectString: p.address }, { clientOverrides: { spinDelayMs: 50 } });
      closers.push(() => conn.dispose());
      await conn.open();
      const log = new LogRecorder();
      const mgr = new WatchManager(conn, log.push);
      closers.push(() => mgr.dispose());
      const path = `/older-watch-${version}`;
      await mgr.add(path, 'subtree');
      await mgr.add(`${path}/cfg`, 'node');
      await mgr.whenIdle();
      assert.match(log.lines().join('\n'), /does not support persistent watches \(ZooKeeper 3\.6\+\): using one-shot watches/);

      await writer.create(`${path}/cfg`, text('1'));
      await waitUntil(() => log.changes((c) => c.path === `${path}/cfg` && c.type === 'created').length === 1, 10_000, 'created');
      await writer.setData(`${path}/cfg`, text('2'), 0);
      await waitUntil(() => log.changes((c) => c.path === `${path}/cfg` && c.type === 'dataChanged').length === 1, 10_000, 'data changed');
      await writer.setData(`${path}/cfg`, text('3'), 1);
      await waitUntil(() => log.changes((c) => c.path === `${path}/cfg` && c.type === 'dataChanged').length === 2, 10_000, 'data changed again');
      await writer.create(`${path}/new`);
      await waitUntil(() => log.changes((c) => c.path === `${path}/new` && c.type === 'created').length === 1, 10_000, 'a new child');
      await mgr.verify();
      await mgr.whenIdle();
      assert.equal(p.refusedOps(OP.ADD_WATCH), 1, `addWatch refused ${p.refusedOps(OP.ADD_WATCH)} times`);
      assert.ok(p.connections <= 1 + p.refused.length, `${p.connections} connections for ${p.refused.length} refusals`);
      assert.equal(conn.client.state, 'connected');
      mgr.dispose();
      await writer.remove(`${path}/cfg`, -1);
      await writer.remove(`${path}/new`, -1);
      await writer.remove(path, -1);
    });
  }

  it('3.4, drop: holders of a lock and their sessions, looked up with cons through the same address', async () => {
    const p = await proxy('3.4', 'drop');
    const zk = await through(p);
    await zk.create('/older-lock');
    const mine = await zk.create('/older-lock/lock-', undefined, { mode: 'ephemeralSequential' });
    const theirs = await writer.create('/older-lock/lock-', undefined, { mode: 'ephemeralSequential' });
    const recipe = await readRecipe(zk, '/older-lock');
    assert.deepEqual(
      recipe.contenders.map((c) => [c.path, c.role, c.owner]),
      [
        [mine.path, 'holder', zk.sessionId],
        [theirs.path, 'waiting', writer.sessionId],
      ],
    );
    // The session lookup asks the connect string's servers with four-letter words: they pass the proxy.
    const found = await lookupSessions(sessionServers(p.address), [zk.sessionId], { timeoutMs: 5000 });
    const lookup = found.get(zk.sessionId)!;
    assert.ok(lookup.found, describeLookup(lookup));
    assert.equal(lookup.via, 'cons');
    assert.equal(lookup.server.server.port, p.port, 'found on the server it was asked through'); // (the client address it sees is the proxy's)
    assert.match(await fourLetterWord(p.port, 'srvr'), /^Mode: standalone/m);
    assert.ok(p.fourLetterWords >= 2, `${p.fourLetterWords} four-letter words through the proxy`);
    assert.equal(p.connections, 1 + p.refused.length, "one reconnect for the dropped create2");
    assert.deepEqual(p.refused, [{ opcode: OP.CREATE2, xid: p.refused[0].xid }]);
    await deleteSubtree(zk, '/older-lock');
  });
});
