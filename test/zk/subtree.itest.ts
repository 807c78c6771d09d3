// Integration tests of src/zk/subtree.ts against real ZooKeeper servers (test/harness): two
// standalone servers A and B, so that copies and imports really cross ensembles, and zkCli.sh as
// an independent client to check what was written.
import * as assert from 'node:assert/strict';
import { digestId, OPEN_ACL_UNSAFE, PERMS, type ZkAcl } from '../../src/zk/acl';
import { ZkClient, type MultiOp } from '../../src/zk/client';
import { isZkError } from '../../src/zk/errors';
import {
  SubtreeIncompleteError,
  copySubtree,
  countSubtree,
  deleteSubtree,
  exportSubtree,
  importSubtree,
  moveSubtree,
  planCopy,
  walkSubtree,
  type SubtreeExport,
  type SubtreeProgress,
} from '../../src/zk/subtree';
import { ZkCluster, zkCli } from '../harness/zookeeper';
import { rejectsWith } from '../helpers';

const USER = 'admin';
const PASSWORD = 'subtree-secret';
const ADMIN_ONLY: ZkAcl[] = [{ perms: PERMS.ALL, scheme: 'digest', id: digestId(USER, PASSWORD) }];
const READ_FOR_ALL: ZkAcl[] = [{ perms: PERMS.READ, scheme: 'world', id: 'anyone' }, ...ADMIN_ONLY];

async function connect(cluster: ZkCluster, opts: { readOnly?: boolean; auth?: boolean } = {}): Promise<ZkClient> {
  const zk = new ZkClient({ connectString: cluster.connectString, readOnly: opts.readOnly, requestTimeoutMs: 30_000, name: opts.readOnly ? 'read-only' : undefined });
  await zk.connect();
  if (opts.auth !== false) await zk.addAuth('digest', `${USER}:${PASSWORD}`);
  return zk;
}

/** zkCli.sh's output (stdout and stderr) as text; a command that fails (NoAuth...) still has output. */
async function cli(cluster: ZkCluster, args: string[]): Promise<string> {
  const r = await zkCli(cluster.servers[0].address, args);
  return `${r.stdout}\n${r.stderr}`;
}

/** Creates /root with `children` children (and data of `bytes` bytes each) in multi batches of 1000. */
async function seedFlat(zk: ZkClient, root: string, children: number, bytes = 0): Promise<void> {
  const ops: MultiOp[] = [{ type: 'create', path: root }];
  for (let i = 0; i < children; i++) {
    const data = Buffer.alloc(bytes, i & 0xff);
    if (bytes >= 4) data.writeUInt32BE(i);
    ops.push({ type: 'create', path: `${root}/c-${String(i).padStart(5, '0')}`, data });
  }
  for (let i = 0; i < ops.length; i += 1000) await zk.multi(ops.slice(i, i + 1000));
}

/** /root with `folders` folders of `leaves` leaves each. */
async function seedFolders(zk: ZkClient, root: string, folders: number, leaves: number): Promise<number> {
  const ops: MultiOp[] = [{ type: 'create', path: root }];
  for (let f = 0; f < folders; f++) {
    ops.push({ type: 'create', path: `${root}/f${f}` });
    for (let i = 0; i < leaves; i++) ops.push({ type: 'create', path: `${root}/f${f}/n${i}`, data: Buffer.from(`leaf ${f}/${i}`) });
  }
  for (let i = 0; i < ops.length; i += 1000) await zk.multi(ops.slice(i, i + 1000));
  return ops.length;
}

/** A small tree with everything a copy must keep: binary, empty, odd names, ACLs, an ephemeral, a sequential. */
async function seedRich(zk: ZkClient, root: string): Promise<{ binary: Buffer; ephemeral: string; sequential: string }> {
  const binary = Buffer.alloc(4096);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 167 + 13) & 0xff;
  await zk.create(root, Buffer.from('{"root":true}'));
  await zk.create(`${root}/binary`, binary);
  await zk.create(`${root}/all-bytes`, Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
  await zk.create(`${root}/empty`);
  await zk.create(`${root}/ünïcödé 日本 & <x>`, Buffer.from('unicode name'));
  await zk.create(`${root}/secret`, Buffer.from('password=hunter2'), { acl: ADMIN_ONLY });
  await zk.create(`${root}/secret/child`, Buffer.from('under a digest ACL'), { acl: READ_FOR_ALL });
  await zk.create(`${root}/read-only-leaf`, Buffer.from('r'), { acl: [{ perms: PERMS.READ, scheme: 'world', id: 'anyone' }, ...ADMIN_ONLY] });
  await zk.create(`${root}/ip`, Buffer.from('ip acl'), { acl: [{ perms: PERMS.ALL, scheme: 'ip', id: '127.0.0.1' }] });
  await zk.create(`${root}/queue`);
  const sequential = (await zk.create(`${root}/queue/item-`, Buffer.from('seq'), { mode: 'persistentSequential' })).path;
  const ephemeral = (await zk.create(`${root}/queue/lock-`, Buffer.from('held'), { mode: 'ephemeralSequential' })).path;
  return { binary, ephemeral, sequential };
}

/** Every node under root as { relative path: [data hex, ACL] }, for comparing trees node by node. */
async function snapshot(zk: ZkClient, root: string): Promise<Map<string, { data: string; acl: string; ephemeral: boolean }>> {
  const walk = await walkSubtree(zk, root, { withData: true, withAcl: true });
  const out = new Map<string, { data: string; acl: string; ephemeral: boolean }>();
  for (const n of walk.nodes) {
    const rel = n.path === root ? '/' : n.path.slice(root.length);
    const acl = (n.acl ?? []).map((a) => `${a.scheme}:${a.id}:${a.perms}`).sort().join(',');
    out.set(rel, { data: Buffer.from(n.data ?? []).toString('hex'), acl, ephemeral: n.stat.ephemeralOwner !== '0x0' });
  }
  return out;
}

function assertSameTree(actual: Map<string, { data: string; acl: string; ephemeral: boolean }>, expected: Map<string, { data: string; acl: string; ephemeral: boolean }>): void {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [rel, e] of expected) {
    const a = actual.get(rel);
    assert.equal(a?.data, e.data, `data of ${rel}`);
    assert.equal(a?.acl, e.acl, `ACL of ${rel}`);
  }
}

describe('subtree operations against real servers', function () {
  this.timeout(240_000);
  let A: ZkCluster | undefined;
  let B: ZkCluster | undefined;
  let a: ZkClient;
  let b: ZkClient;
  const clients: ZkClient[] = [];

  before(async function () {
    this.timeout(120_000);
    [A, B] = await Promise.all([ZkCluster.startStandalone(), ZkCluster.startStandalone()]);
    a = await connect(A);
    b = await connect(B);
    clients.push(a, b);
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all([A?.close(), B?.close()]);
  });

  it('walks a 20k-child node pipelined, and counts with getAllChildrenNumber', async () => {
    await seedFlat(a, '/walk', 20_000);
    const walk = await walkSubtree(a, '/walk', { collect: false });
    assert.equal(walk.count, 20_001);
    assert.equal(walk.nodes.length, 0);
    assert.deepEqual(await countSubtree(a, '/walk'), { total: 20_001, descendants: 20_000, method: 'server' });
    await deleteSubtree(a, '/walk');
  });

  it('deletes a tree 20 levels deep, checked with zkCli.sh', async () => {
    let p = '/deep';
    await a.create(p);
    for (let i = 0; i < 20; i++) {
      p += `/level-${i}`;
      await a.create(p, Buffer.from(`depth ${i + 1}`));
      await a.create(`${p}-sibling`);
    }
    const listed = await cli(A!, ['ls', '-R', '/deep']);
    assert.ok(listed.includes(p), 'zkCli.sh sees the deepest node');
    const r = await deleteSubtree(a, '/deep');
    assert.equal(r.deleted, 41);
    assert.equal(r.walked, 41);
    assert.equal(await a.exists('/deep'), undefined);
    const root = await cli(A!, ['ls', '/']);
    assert.match(root, /\[.*zookeeper.*\]/);
    assert.doesNotMatch(root, /deep/);
  });

  it('deletes a node with 20,000 children in byte-sized batches', async () => {
    await seedFlat(a, '/wide', 20_000, 16);
    const progress: SubtreeProgress[] = [];
    const r = await deleteSubtree(a, '/wide', { onProgress: (p) => progress.push(p) });
    assert.equal(r.deleted, 20_001);
    assert.ok(r.batches >= 21, `${r.batches} batches`);
    assert.equal(await a.exists('/wide'), undefined);
    const last = progress.filter((p) => p.phase === 'delete').pop();
    assert.deepEqual(last, { phase: 'delete', done: 20_001, total: 20_001 });
  });

  it('deletes while another client adds and removes children', async () => {
    const total = await seedFolders(a, '/busy', 20, 250);
    const other = await connect(A!);
    clients.push(other);
    let stop = false;
    let added = 0;
    let removed = 0;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          if (i % 3 === 2) {
            await other.remove(`/busy/f${i % 20}/n${i % 250}`, -1);
            removed++;
          } else {
            await other.create(i % 10 === 0 ? `/busy/new-${i}` : `/busy/f${i % 20}/new-${i}`, Buffer.from('late'));
            added++;
          }
        } catch (e) {
          if (!isZkError(e, 'NONODE')) throw e;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await new Promise((r) => setTimeout(r, 200)); // let it get going
    const r = await deleteSubtree(a, '/busy');
    stop = true;
    await writer;
    assert.equal(await a.exists('/busy'), undefined);
    assert.ok(added > 0 && removed > 0, `writer added ${added}, removed ${removed}`);
    assert.ok(r.deleted + r.vanished >= total - removed, JSON.stringify(r));
    // The writer really got in the way: nodes gone before we got to them, or new children.
    assert.ok(r.vanished + r.rewalks > 0, JSON.stringify(r));
  });

  it('cancellation mid-delete reports what was deleted and what is left', async () => {
    await seedFlat(a, '/cancel', 5000);
    const ac = new AbortController();
    const e = await rejectsWith(
      deleteSubtree(a, '/cancel', {
        signal: ac.signal,
        maxBatchOps: 250,
        onProgress: (p) => {
          if (p.phase === 'delete' && p.done >= 1000) ac.abort();
        },
      }),
      'CANCELLED',
      /Delete of \/cancel incomplete\. Cancelled\. 1,000 of 5,001 nodes deleted, 4,001 left/,
    );
    assert.ok(e instanceof SubtreeIncompleteError);
    assert.equal(e.report.completed, 1000);
    assert.equal(e.report.remaining, 4001);
    assert.equal(e.report.uncertain, 0);
    assert.equal((await countSubtree(a, '/cancel')).total, 4001);
    // What is left is exactly what the report says.
    const left = await walkSubtree(a, '/cancel');
    assert.deepEqual(left.nodes.map((n) => n.path).sort(), [...e.report.remainingPaths].sort());
    assert.equal((await deleteSubtree(a, '/cancel')).deleted, 4001);
  });

  it('copies from server A to server B byte-exact with ACLs; zkCli.sh on B reads it', async () => {
    const seeded = await seedRich(a, '/rich');
    const plan = await planCopy(a, '/rich', b, '/copied');
    assert.equal(plan.nodes, 12);
    assert.equal(plan.atomic, true);
    assert.deepEqual(plan.ephemeral, [seeded.ephemeral]);
    const r = await copySubtree(a, '/rich', b, '/copied', { plan });
    assert.equal(r.created, 12);
    assert.equal(r.atomic, true);
    assert.equal(r.batches, 1);
    assert.deepEqual(r.ephemeralAsPersistent, [seeded.ephemeral.replace('/rich', '/copied')]);
    assertSameTree(await snapshot(b, '/copied'), await snapshot(a, '/rich'));
    assert.deepEqual(Buffer.from((await b.getData('/copied/binary')).data), seeded.binary);
    // The sequential name is kept as it is, and the ephemeral is persistent now.
    assert.ok(await b.exists(seeded.sequential.replace('/rich', '/copied')));
    assert.equal((await b.exists(seeded.ephemeral.replace('/rich', '/copied')))?.ephemeralOwner, '0x0');
    // An independent client sees the data and the ACL.
    assert.match(await cli(B!, ['get', '/copied/ünïcödé 日本 & <x>']), /unicode name/);
    assert.match(await cli(B!, ['getAcl', '/copied/read-only-leaf']), new RegExp(`'digest,'${USER}:[^\\n]+\\n: cdrwa`));
    assert.match(await cli(B!, ['get', '/copied/secret']), /Insufficient permission|NoAuth/i);
    // (Unauthenticated, zkCli.sh cannot list below the digest-only node: list level by level.)
    const top = await cli(B!, ['ls', '/copied']);
    for (const name of (await a.getChildren('/rich')).children) assert.ok(top.includes(name), name);
    const queue = await cli(B!, ['ls', '/copied/queue']);
    assert.ok(queue.includes(seeded.sequential.slice(seeded.sequential.lastIndexOf('/') + 1)));
    assert.ok(queue.includes(seeded.ephemeral.slice(seeded.ephemeral.lastIndexOf('/') + 1)));
  });

  it('copies 20,000 nodes in batches with progress, and says what is not atomic', async () => {
    await seedFlat(a, '/many', 20_000, 48);
    const plan = await planCopy(a, '/many', b, '/many');
    assert.equal(plan.nodes, 20_001);
    assert.equal(plan.dataBytes, 20_000 * 48);
    assert.equal(plan.atomic, false);
    assert.ok(plan.batches >= 21, `${plan.batches} batches`);
    const progress: number[] = [];
    const r = await copySubtree(a, '/many', b, '/many', { plan, onProgress: (p) => p.phase === 'write' && progress.push(p.done) });
    assert.equal(r.created, 20_001);
    assert.equal(r.atomic, false);
    assert.equal(r.batches, plan.batches);
    assert.deepEqual([...progress].sort((x, y) => x - y), progress);
    assert.equal(progress[progress.length - 1], 20_001);
    assert.equal((await countSubtree(b, '/many')).total, 20_001);
    const src = await walkSubtree(a, '/many', { withData: true });
    const dst = await walkSubtree(b, '/many', { withData: true });
    const data = new Map(dst.nodes.map((n) => [n.path, Buffer.from(n.data ?? []).toString('hex')]));
    for (const n of src.nodes) assert.equal(data.get(n.path), Buffer.from(n.data ?? []).toString('hex'), n.path);
    await Promise.all([deleteSubtree(a, '/many'), deleteSubtree(b, '/many')]);
  });

  it('copies nodes of 1 MB and 400 KB: batches by bytes stay under jute.maxbuffer', async () => {
    const huge = Buffer.alloc(1_000_000);
    for (let i = 0; i < huge.length; i++) huge[i] = (i * 31) & 0xff;
    await a.create('/heavy');
    await a.create('/heavy/huge', huge);
    await a.create('/heavy/mid-1', Buffer.alloc(400_000, 1));
    await a.create('/heavy/mid-2', Buffer.alloc(400_000, 2));
    await a.create('/heavy/small', Buffer.from('s'));
    const plan = await planCopy(a, '/heavy', b, '/heavy');
    assert.equal(plan.atomic, false);
    assert.ok(plan.batches >= 3, `${plan.batches} batches`);
    const r = await copySubtree(a, '/heavy', b, '/heavy', { plan });
    assert.equal(r.created, 5);
    assert.deepEqual(Buffer.from((await b.getData('/heavy/huge')).data), huge);
    assertSameTree(await snapshot(b, '/heavy'), await snapshot(a, '/heavy'));
    await Promise.all([deleteSubtree(a, '/heavy'), deleteSubtree(b, '/heavy')]);
  });

  it('export then import into another server gives the same tree, node by node', async () => {
    if (!(await a.exists('/rich'))) await seedRich(a, '/rich');
    const doc = await exportSubtree(a, '/rich');
    assert.equal(doc.summary.nodes, 12);
    assert.equal(doc.summary.ephemeral, 1);
    const json = JSON.stringify(doc);
    const parsed = JSON.parse(json) as SubtreeExport;
    await b.create('/restore');
    const r = await importSubtree(b, '/restore/rich', parsed);
    assert.equal(r.created, 12);
    assert.equal(r.atomic, true);
    assertSameTree(await snapshot(b, '/restore/rich'), await snapshot(a, '/rich'));
    // Its own export of the import re-imports, too (and equals the first one).
    const again = await exportSubtree(b, '/restore/rich');
    const key = (d: SubtreeExport) => JSON.stringify(d.nodes.map((n) => [n.path, n.data, n.acl]).sort());
    assert.equal(key(again), key(doc));
    // Conflicts: 'fail' writes nothing; 'overwrite' puts data back; 'skip' leaves it.
    await b.setData('/restore/rich/binary', Buffer.from('changed'), -1);
    await b.setACL('/restore/rich/ip', OPEN_ACL_UNSAFE, -1);
    await rejectsWith(importSubtree(b, '/restore/rich', json), 'NODEEXISTS', /nothing was written/);
    const skipped = await importSubtree(b, '/restore/rich', json, { conflict: 'skip' });
    assert.equal(skipped.skipped.length, 12);
    assert.equal(Buffer.from((await b.getData('/restore/rich/binary')).data).toString(), 'changed');
    const over = await importSubtree(b, '/restore/rich', json, { conflict: 'overwrite' });
    assert.equal(over.updated, 12);
    assertSameTree(await snapshot(b, '/restore/rich'), await snapshot(a, '/rich'));
  });

  it('moves within one server in one transaction, and across servers', async () => {
    await seedFolders(a, '/tomove', 3, 5);
    const before = await snapshot(a, '/tomove');
    const r = await moveSubtree(a, '/tomove', a, '/moved');
    assert.equal(r.atomic, true);
    assert.equal(r.deleted, 19);
    assert.equal(await a.exists('/tomove'), undefined);
    assertSameTree(await snapshot(a, '/moved'), before);
    const r2 = await moveSubtree(a, '/moved', b, '/arrived', { maxBatchOps: 5 });
    assert.equal(r2.atomic, false);
    assert.equal(await a.exists('/moved'), undefined);
    assertSameTree(await snapshot(b, '/arrived'), before);
  });

  it('a read-only connection refuses delete, copy, move and import before any work', async () => {
    const ro = await connect(B!, { readOnly: true });
    clients.push(ro);
    await b.create('/guarded', Buffer.from('keep'));
    await rejectsWith(deleteSubtree(ro, '/guarded'), 'READ_ONLY_GUARD', /Connection "read-only" is read-only: refused to delete \/guarded/);
    await rejectsWith(copySubtree(a, '/rich', ro, '/guarded/x'), 'READ_ONLY_GUARD', /refused to copy to/);
    await rejectsWith(planCopy(a, '/rich', ro, '/guarded/x'), 'READ_ONLY_GUARD');
    await rejectsWith(moveSubtree(ro, '/guarded', b, '/elsewhere'), 'READ_ONLY_GUARD', /refused to move \/guarded/);
    await rejectsWith(importSubtree(ro, '/guarded/x', await exportSubtree(ro, '/guarded')), 'READ_ONLY_GUARD', /refused to import/);
    assert.equal(Buffer.from((await b.getData('/guarded')).data).toString(), 'keep');
    assert.equal(await b.exists('/guarded/x'), undefined);
  });
});
