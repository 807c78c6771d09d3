// Config as code against real servers: the sample data (hostile names, binary, empty and null
// data, 20,000 children, ACLs, ephemeral, container and TTL nodes) pulled from A into a folder,
// applied to an empty path on B and compared node by node and byte by byte; edits in the folder
// appear exactly in the plan; a concurrent change on the server becomes a conflict; a server killed
// mid-apply leaves a report that matches what the server holds once it is back.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZkClient } from '../../../src/zk/client';
import { PERMS } from '../../../src/zk/acl';
import { walkSubtree, type WalkedNode } from '../../../src/zk/subtree';
import {
  ApplyIncompleteError, applyPlan, modeOfOwner, nodeFolderPort, planFolder, pullToFolder, pullTree, readFolder, writeFolder, type ApplyReport, type ConfigTree,
} from '../../../src/zk/configAsCode';
import { seedSampleData, SAMPLE } from '../../fixtures/sampleData';
import { ZkCluster, zkCli } from '../../harness/zookeeper';
import { waitUntil } from '../../helpers';

const HOSTILE = ['CON', 'a:b', 'back\\slash', 'trailing ', 'dots..', 'Config', 'config', '.znode.json', 'nul.txt', 'x%41'];
// TTL nodes need extendedTypesEnabled; containers and expired TTL nodes are removed every 300 ms instead of every minute.
const EXTENDED = { extraConfig: { extendedTypesEnabled: 'true' }, jvmFlags: ['-Dznode.container.checkIntervalMs=300'] };

/** Every readable node under root, by relative path: data (hex), ACL, mode. */
async function snapshot(zk: ZkClient, root: string, skip: (rel: string, n: WalkedNode) => boolean = () => false): Promise<Map<string, string>> {
  const walk = await walkSubtree(zk, root, { withData: true, withAcl: true, excludeSystem: true, skipUnreadable: true });
  const out = new Map<string, string>();
  for (const n of walk.nodes) {
    const rel = n.path === root ? '/' : root === '/' ? n.path : n.path.slice(root.length);
    if (skip(rel, n)) continue;
    const m = modeOfOwner(n.stat.ephemeralOwner);
    out.set(rel, `${Buffer.from(n.data ?? []).toString('hex')} ${JSON.stringify(n.acl)} ${m.mode}${m.ttlMs ? ':' + m.ttlMs : ''}`);
  }
  return out;
}

describe('config as code against real servers', function () {
  this.timeout(300_000);
  let A: ZkCluster | undefined;
  let B: ZkCluster | undefined;
  let a: ZkClient;
  let b: ZkClient;
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'zk-cac-'));
    dirs.push(d);
    return d;
  };

  before(async function () {
    this.timeout(180_000);
    [A, B] = await Promise.all([ZkCluster.startStandalone(EXTENDED), ZkCluster.startStandalone(EXTENDED)]);
    a = new ZkClient({ connectString: A.connectString, name: 'A' });
    b = new ZkClient({ connectString: B.connectString, name: 'B' });
    await Promise.all([a.connect(), b.connect()]);
    const seeded = await seedSampleData(a);
    assert.ok(seeded.ttlCreated, 'the TTL node exists (extendedTypesEnabled)');
    for (const name of HOSTILE) await a.create(`${SAMPLE.hostileParent}/${name}`, Buffer.from(`hostile ${name}`));
    await a.create('/acl', Buffer.from('restricted but readable'), { acl: [{ perms: PERMS.ALL, scheme: 'ip', id: '127.0.0.1' }, { perms: PERMS.READ, scheme: 'world', id: 'anyone' }] });
    // Null data (zkCli creates without data), next to the fixture's empty data.
    const made = await zkCli(A.servers[0].address, ['create', '/nulldata']);
    assert.match(`${made.stdout}${made.stderr}`, /Created \/nulldata/);
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close()].map((p) => p?.catch(() => undefined)));
    await Promise.all([A?.close(), B?.close()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('round trip: pull A, apply to an empty path on B; every node equal byte for byte (ACLs, container, TTL); ephemeral ones listed, not written', async () => {
    const dir = tempDir();
    const pulled = await pullToFolder(a, '/', nodeFolderPort(dir), { connectionName: 'A' });
    assert.ok(pulled.nodes > 20_000, `${pulled.nodes} nodes pulled`);
    assert.deepEqual(pulled.unreadable, [SAMPLE.secureNode]);
    assert.ok(pulled.ephemeral.includes('/controller') && pulled.ephemeral.length === 10, pulled.ephemeral.join(', '));
    // What the layout looks like on disk.
    const hostile = readdirSync(join(dir, 'hostile')).sort();
    for (const f of ['%43ON', 'a%3Ab', 'back%5Cslash', 'trailing%20', 'dots.%2E', '%2Eznode.json', '%6Eul.txt', 'x%2541']) assert.ok(hostile.includes(f), `${f} in ${hostile.join(' | ')}`);
    assert.equal(hostile.filter((f) => f.toLowerCase().includes('onfig')).length, 2);
    assert.equal(readFileSync(join(dir, 'config', 'app', 'settings.json'), 'utf8'), Buffer.from((await a.getData(SAMPLE.jsonNode)).data).toString('utf8'));
    assert.ok(readFileSync(join(dir, 'cluster', 'id.json')).length > 0, 'JSON without an extension gets .json');
    assert.ok(Buffer.from(readFileSync(join(dir, 'binary', 'blob'))).equals(Buffer.from((await a.getData(SAMPLE.binaryNode)).data)), 'binary as it is');
    assert.equal(readFileSync(join(dir, 'nulldata')).length, 0);
    assert.equal(readdirSync(join(dir, 'big', 'children')).length, 20_001, '20,000 files and the metadata');
    const meta = JSON.parse(readFileSync(join(dir, 'containers', '.znode.json'), 'utf8'));
    assert.equal(meta.dirs.jobs.name, 'jobs');
    // Servers report ephemeralOwner 0 for container and TTL nodes (DataNode.copyStat): no client can
    // tell them from persistent ones, so a pull records "persistent"; a mode set by hand is applied (below).
    assert.equal(JSON.parse(readFileSync(join(dir, 'containers', 'jobs', '.znode.json'), 'utf8')).node.mode, 'persistent');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'ttl', '.znode.json'), 'utf8')).files['session-cache'], { name: 'session-cache', mode: 'persistent', acl: [{ perms: 31, scheme: 'world', id: 'anyone' }], version: 0, aversion: 0 });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, '.znode.json'), 'utf8')).files.acl.acl, [
      { perms: PERMS.ALL, scheme: 'ip', id: '127.0.0.1' },
      { perms: PERMS.READ, scheme: 'world', id: 'anyone' },
    ]);

    const plan = await planFolder(b, '/copy', nodeFolderPort(dir), { mode: 'mirror' });
    assert.equal(plan.baseline, false, 'another connection: a plain diff');
    assert.equal(plan.counts.create, pulled.nodes - 10);
    assert.equal(plan.counts.skip, 10, 'the ephemeral nodes');
    assert.equal(plan.counts.delete + plan.counts.conflict + plan.counts.update, 0);
    assert.equal(await b.exists('/copy'), undefined, 'a plan writes nothing');
    const report = await applyPlan(b, plan);
    assert.equal(report.applied.length, plan.counts.create);
    assert.ok(report.batches > 1);

    const ephemeral = (_rel: string, n: WalkedNode) => modeOfOwner(n.stat.ephemeralOwner).mode === 'ephemeral';
    const [onA, onB] = await Promise.all([snapshot(a, '/', ephemeral), snapshot(b, '/copy', ephemeral)]);
    onA.delete('/'); // '/' on A and /copy on B differ in ACL... compare them apart
    onB.delete('/');
    assert.equal(onB.size, onA.size);
    for (const [rel, v] of onA) assert.equal(onB.get(rel), v, rel);
    assert.match(onB.get('/acl') ?? '', /"ip","id":"127.0.0.1"/);
    assert.equal(await b.exists('/copy/controller'), undefined, 'ephemeral: not written back as persistent');
    // And with zkCli, independently.
    const cli = await zkCli((B as ZkCluster).servers[0].address, ['get', '/copy/hostile/a:b']);
    assert.match(cli.stdout, /hostile a:b/);

    // Compared again: nothing to do.
    const again = await planFolder(b, '/copy', nodeFolderPort(dir), { mode: 'mirror' });
    assert.deepEqual({ ...again.counts, unchanged: 0 }, { create: 0, update: 0, acl: 0, delete: 0, conflict: 0, skip: 10, kept: 0, unchanged: 0 });
  });

  it('the pull written while walking holds what the walk-then-write layout holds; a failed write stops it', async () => {
    const [streamed, after] = [tempDir(), tempDir()];
    await pullToFolder(a, '/', nodeFolderPort(streamed), { connectionName: 'A' });
    await writeFolder(await pullTree(a, '/', { connectionName: 'A' }), nodeFolderPort(after));
    const files = (dir: string, rel = ''): Map<string, string> => {
      const out = new Map<string, string>();
      for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
        const path = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) for (const [k, v] of files(dir, path)) out.set(k, v);
        else out.set(path, path === '.znode.json' ? '(top metadata)' : readFileSync(join(dir, path)).toString('hex'));
      }
      return out;
    };
    // One difference by design: /secure's only child is unreadable; the server listed a child, so
    // the streamed pull makes it a folder (the walk-then-write layout, seeing no child, a file).
    assert.ok(statSync(join(streamed, 'secure')).isDirectory());
    assert.ok(statSync(join(after, 'secure')).isFile());
    const [s, w] = [files(streamed), files(after)];
    for (const m of [s, w]) for (const k of [...m.keys()]) if (k === 'secure' || k.startsWith('secure/')) m.delete(k);
    assert.deepEqual(s, w);
    const top = (dir: string) => JSON.parse(readFileSync(join(dir, '.znode.json'), 'utf8'));
    assert.deepEqual(top(streamed).unreadable, [SAMPLE.secureNode], 'the top metadata, written last, lists the unreadable node');
    const key = (tree: ConfigTree) => new Map(tree.nodes.map((n) => [n.rel, `${Buffer.from(n.data).toString('hex')} ${JSON.stringify(n.meta)}`]));
    const [rs, rw] = await Promise.all([readFolder(nodeFolderPort(streamed)), readFolder(nodeFolderPort(after))]);
    assert.deepEqual(key(rs.tree), key(rw.tree), 'both read back as the same nodes');

    // A write that fails stops the walk and the writes, and is what the pull reports.
    const port = nodeFolderPort(tempDir());
    let attempts = 0;
    // 32 in flight (the node port asks for 256): writes already started when one fails still finish.
    const failing = { ...port, description: port.description, writesInFlight: 32, write: async (file: string, data: Uint8Array) => {
      if (++attempts === 100) throw new Error('ENOSPC: no space left on device (test)');
      await port.write(file, data);
    } };
    await assert.rejects(pullToFolder(a, '/', failing), /ENOSPC: no space left on device \(test\)/);
    assert.ok(attempts < 100 + 64, `${attempts} writes attempted: the queue stopped`);

    // Cancelled mid-pull: no write starts after it, and the message says how far it got.
    const cancelPort = nodeFolderPort(tempDir());
    const cancel = new AbortController();
    let writes = 0;
    let afterCancel = 0;
    const counting = { ...cancelPort, description: cancelPort.description, write: async (file: string, data: Uint8Array) => {
      if (cancel.signal.aborted) afterCancel++;
      if (++writes === 50) cancel.abort();
      await cancelPort.write(file, data);
    } };
    await assert.rejects(pullToFolder(a, '/', counting, { signal: cancel.signal }), /Cancelled: [\d,]+ of [\d,]+ files were written to /);
    assert.equal(afterCancel, 0, 'no write started after the cancel');
  });

  it('modes set in the metadata are applied: a container and a TTL node on B are removed by the server as such', async () => {
    const dir = tempDir();
    await b.create('/modes', Buffer.from('m'));
    await b.create('/modes/box');
    await b.create('/modes/box/item', Buffer.from('i'));
    await b.create('/modes/short', Buffer.from('t'));
    await pullToFolder(b, '/modes', nodeFolderPort(dir), { connectionName: 'B' });
    const top = JSON.parse(readFileSync(join(dir, '.znode.json'), 'utf8'));
    top.files.short = { ...top.files.short, mode: 'ttl', ttlMs: 200 };
    writeFileSync(join(dir, '.znode.json'), JSON.stringify(top));
    const box = JSON.parse(readFileSync(join(dir, 'box', '.znode.json'), 'utf8'));
    box.node.mode = 'container';
    writeFileSync(join(dir, 'box', '.znode.json'), JSON.stringify(box));
    const plan = await planFolder(b, '/modes-copy', nodeFolderPort(dir), { mode: 'mirror' });
    await applyPlan(b, plan);
    assert.ok(await b.exists('/modes-copy/short'));
    await b.remove('/modes-copy/box/item', -1); // an emptied container goes; a persistent node would stay
    await waitUntil(async () => (await b.exists('/modes-copy/box')) === undefined && (await b.exists('/modes-copy/short')) === undefined, 20_000, 'the server to remove the container and the expired TTL node');
    assert.ok(await b.exists('/modes/box'), 'the persistent original stays');
  });

  it('edits in the folder appear exactly in the plan, and the apply does exactly them', async () => {
    const dir = tempDir();
    await b.create('/edit', Buffer.from('root'));
    for (const n of ['keep', 'change', 'remove', 'acl']) await b.create(`/edit/${n}`, Buffer.from(`{"n":"${n}"}`));
    await b.create('/edit/dir');
    await b.create('/edit/dir/leaf', Buffer.from('leaf'));
    await pullToFolder(b, '/edit', nodeFolderPort(dir), { connectionName: 'B' });
    writeFileSync(join(dir, 'change.json'), '{"n":"changed"}');
    unlinkSync(join(dir, 'remove.json'));
    writeFileSync(join(dir, 'new%3Anode.json'), '{"new":true}');
    const meta = JSON.parse(readFileSync(join(dir, '.znode.json'), 'utf8'));
    meta.files['acl.json'].acl = [{ perms: PERMS.ALL, scheme: 'ip', id: '127.0.0.1' }];
    writeFileSync(join(dir, '.znode.json'), JSON.stringify(meta));
    rmSync(join(dir, 'dir'), { recursive: true });

    const addOnly = await planFolder(b, '/edit', nodeFolderPort(dir), { mode: 'addUpdate' });
    assert.equal(addOnly.baseline, true);
    const listed = (p: typeof addOnly) => p.changes.filter((c) => c.kind !== 'unchanged').map((c) => `${c.kind} ${c.rel}`).sort();
    assert.deepEqual(listed(addOnly), ['acl /acl', 'create /new.json', 'kept /dir', 'kept /dir/leaf', 'kept /remove', 'update /change'].map((s) => s.replace('/new.json', '/new:node.json')).sort());
    const mirror = await planFolder(b, '/edit', nodeFolderPort(dir), { mode: 'mirror' });
    assert.deepEqual(listed(mirror), ['acl /acl', 'create /new:node.json', 'delete /dir', 'delete /dir/leaf', 'delete /remove', 'update /change']);
    assert.deepEqual(mirror.counts, { create: 1, update: 1, acl: 1, delete: 3, conflict: 0, skip: 0, kept: 0, unchanged: 2 });

    await applyPlan(b, mirror);
    assert.deepEqual((await b.getChildren('/edit')).children.sort(), ['acl', 'change', 'keep', 'new:node.json']);
    assert.equal(Buffer.from((await b.getData('/edit/change')).data).toString(), '{"n":"changed"}');
    assert.deepEqual((await b.getACL('/edit/acl')).acl, [{ perms: PERMS.ALL, scheme: 'ip', id: '127.0.0.1' }]);
    const after = await planFolder(b, '/edit', nodeFolderPort(dir), { mode: 'mirror', baseline: false });
    assert.equal(after.counts.unchanged, 5, 'the server now is the folder');
  });

  it('a change on the server since the pull is a conflict: the apply refuses and writes nothing; a change since the plan fails its transaction', async () => {
    const dir = tempDir();
    await b.create('/race', Buffer.from('root'));
    await b.create('/race/mine', Buffer.from('v1'));
    await b.create('/race/theirs', Buffer.from('v1'));
    await pullToFolder(b, '/race', nodeFolderPort(dir), { connectionName: 'B' });
    writeFileSync(join(dir, 'mine'), 'v2 from the folder');
    await b.setData('/race/theirs', Buffer.from('v2 from someone else'), -1); // the folder still has v1
    await b.create('/race/late', Buffer.from('created there'));
    const plan = await planFolder(b, '/race', nodeFolderPort(dir), { mode: 'mirror' });
    const kinds = new Map(plan.changes.map((c) => [c.rel, c.kind]));
    assert.equal(kinds.get('/mine'), 'update');
    assert.equal(kinds.get('/theirs'), 'conflict');
    assert.equal(kinds.get('/late'), 'conflict');
    await assert.rejects(applyPlan(b, plan), (e: Error & { code?: string }) => e.code === 'CONFLICT' && /2 nodes changed on the server since the pull/.test(e.message));
    assert.equal(Buffer.from((await b.getData('/race/mine')).data).toString(), 'v1', 'nothing was written');

    // Applying the rest leaves the conflicts alone; a change made between plan and apply fails its transaction.
    await b.setData('/race/mine', Buffer.from('v1 again, changed after the plan'), -1);
    const err = await applyPlan(b, plan, { skipConflicts: true }).then(
      () => assert.fail('applied over a change made after the plan'),
      (e: unknown) => e as ApplyIncompleteError,
    );
    assert.ok(err instanceof ApplyIncompleteError);
    assert.equal(err.code, 'BADVERSION');
    assert.deepEqual(err.report.failed?.op, { op: 'setData', path: '/race/mine' });
    assert.deepEqual(err.report.applied, []);
    assert.equal(Buffer.from((await b.getData('/race/mine')).data).toString(), 'v1 again, changed after the plan');
    assert.equal(Buffer.from((await b.getData('/race/theirs')).data).toString(), 'v2 from someone else');
  });

  it('a read-only connection refuses before anything is written', async () => {
    const ro = new ZkClient({ connectString: (B as ZkCluster).connectString, name: 'B-ro', readOnly: true });
    await ro.connect();
    try {
      const dir = tempDir();
      await pullToFolder(a, '/config', nodeFolderPort(dir), { connectionName: 'A' });
      const plan = await planFolder(ro, '/ro-target', nodeFolderPort(dir), { mode: 'mirror' });
      assert.equal(plan.readOnly, true);
      await assert.rejects(applyPlan(ro, plan), (e: Error & { code?: string }) => e.code === 'READ_ONLY_GUARD' && /read-only/.test(e.message));
      assert.equal(await b.exists('/ro-target'), undefined);
    } finally {
      await ro.close();
    }
  });

  it('the server killed mid-apply: the report matches the server once it is back', async () => {
    const C = await ZkCluster.startStandalone();
    let zk: ZkClient | undefined;
    let check: ZkClient | undefined;
    try {
      zk = new ZkClient({ connectString: C.connectString, name: 'C', requestTimeoutMs: 3000, sessionTimeoutMs: 30_000, connectTimeoutMs: 1000 });
      await zk.connect();
      const dir = tempDir();
      const folder = await readFolder(nodeFolderPort(await pulledBig(dir)));
      assert.ok(folder.tree.nodes.length > 20_000);
      const plan = await planFolder(zk, '/restore', nodeFolderPort(dir), { mode: 'mirror' });
      let killed: Promise<void> | undefined;
      const e = await applyPlan(zk, plan, {
        maxBatchOps: 500,
        onProgress: (p) => {
          if (p.done >= 2000 && !killed) killed = C.kill(1);
        },
      }).then(
        () => assert.fail('the apply went through a killed server'),
        (x: unknown) => x as ApplyIncompleteError,
      );
      await killed;
      assert.ok(e instanceof ApplyIncompleteError, String(e));
      const r: ApplyReport = e.report;
      assert.ok(r.applied.length >= 2000 && r.notApplied.length > 0, `${r.applied.length} applied, ${r.notApplied.length} not`);
      assert.equal(r.applied.length + r.uncertain.length + r.notApplied.length, plan.counts.create);
      assert.match(e.message, /ops applied/);
      await C.start(1);
      check = new ZkClient({ connectString: C.connectString });
      await check.connect();
      const present = new Set((await walkSubtree(check, '/restore')).nodes.map((n) => n.path));
      for (const op of r.applied) assert.ok(present.has(op.path), `${op.path} is reported applied`);
      for (const op of r.notApplied) assert.ok(!present.has(op.path), `${op.path} is reported not applied`);
      const uncertainThere = r.uncertain.filter((op) => present.has(op.path)).length;
      assert.ok(uncertainThere === 0 || uncertainThere === r.uncertain.length, 'the uncertain transaction was applied whole or not at all');
      console.log(`      killed mid-apply: ${r.applied.length} applied, ${r.uncertain.length} uncertain (${uncertainThere ? 'applied' : 'not applied'}), ${r.notApplied.length} not applied`);
    } finally {
      await zk?.close().catch(() => undefined);
      await check?.close().catch(() => undefined);
      await C.close();
    }
  });

  /** The big children of A's sample data, pulled into a folder. */
  async function pulledBig(dir: string): Promise<string> {
    await pullToFolder(a, '/big', nodeFolderPort(dir), { connectionName: 'A' });
    return dir;
  }
});
