import * as assert from 'node:assert/strict';
import type { ConfigTree, NodeMeta } from '../../../src/zk/configAsCode/configTree';
import { bytesEqual, diffTrees, diffTreesInTurns, sameAcl, type RemoteNode } from '../../../src/zk/configAsCode/plan';
import { opsOf } from '../../../src/zk/configAsCode/apply';
import type { ZnodeStat } from '../../../src/zk/stat';
import { renderMessage } from '../../../src/zk/message';

const t = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const open = [{ perms: 31, scheme: 'world', id: 'anyone' }];
const readOnly = [{ perms: 1, scheme: 'world', id: 'anyone' }];

function stat(version: number, opts: Partial<ZnodeStat> = {}): ZnodeStat {
  return {
    czxid: '0x1', mzxid: '0x1', pzxid: '0x1', ctime: new Date(0), mtime: new Date(0), version, cversion: 0, aversion: 0, ephemeralOwner: '0x0', dataLength: 0, numChildren: 0, ...opts,
  };
}
const remoteNode = (data: string, version = 0, opts: Partial<ZnodeStat> = {}, acl = open): RemoteNode => ({ data: t(data), acl, stat: stat(version, opts) });
const meta = (version: number, more: Partial<NodeMeta> = {}): NodeMeta => ({ mode: 'persistent', acl: open, version, aversion: 0, ...more });

/** The pulled state: the server as it was, and the folder made from it. */
function pulled(): { local: ConfigTree; remote: Map<string, RemoteNode> } {
  const remote = new Map<string, RemoteNode>([
    ['/', remoteNode('')],
    ['/a', remoteNode('one', 1)],
    ['/b', remoteNode('two', 2)],
    ['/dir', remoteNode('')],
    ['/dir/x', remoteNode('x')],
    ['/eph', remoteNode('e', 0, { ephemeralOwner: '0x1000a' })],
  ]);
  const local: ConfigTree = {
    source: { connection: 'A', root: '/cfg', pulledAt: '' },
    nodes: [...remote].map(([rel, r]) => ({
      rel,
      data: r.data,
      meta: meta(r.stat.version, r.stat.ephemeralOwner !== '0x0' ? { mode: 'ephemeral', ephemeralOwner: r.stat.ephemeralOwner } : {}),
    })),
  };
  return { local, remote };
}

describe('config as code: plan', () => {
  it('an unedited folder is all unchanged (ephemeral nodes left to their session)', () => {
    const { local, remote } = pulled();
    const { counts } = diffTrees(local, remote, '/cfg', { mode: 'mirror', baseline: true });
    assert.deepEqual(counts, { create: 0, update: 0, acl: 0, delete: 0, conflict: 0, skip: 1, kept: 0, unchanged: 5 });
  });

  it('edits become exactly those changes: create, update, ACL, delete (mirror only)', () => {
    const { local, remote } = pulled();
    local.nodes.find((n) => n.rel === '/a')!.data = t('ONE');
    local.nodes.find((n) => n.rel === '/b')!.meta!.acl = readOnly;
    local.nodes.push({ rel: '/dir/new', data: t('n') });
    local.nodes = local.nodes.filter((n) => n.rel !== '/dir/x');
    const removed = new Map([['/dir/x', { version: 0 }]]);
    const mirror = diffTrees(local, remote, '/cfg', { mode: 'mirror', baseline: true, removed });
    const kinds = new Map(mirror.changes.map((c) => [c.rel, c.kind]));
    assert.equal(kinds.get('/a'), 'update');
    assert.equal(kinds.get('/b'), 'acl');
    assert.equal(kinds.get('/dir/new'), 'create');
    assert.equal(kinds.get('/dir/x'), 'delete');
    assert.deepEqual(mirror.counts, { create: 1, update: 1, acl: 1, delete: 1, conflict: 0, skip: 1, kept: 0, unchanged: 2 });
    const addOnly = diffTrees(local, remote, '/cfg', { mode: 'addUpdate', baseline: true, removed });
    assert.equal(addOnly.changes.find((c) => c.rel === '/dir/x')?.kind, 'kept');
    assert.equal(addOnly.counts.delete, 0);

    // The ops: guarded by the versions read, creates before deletes, deletes children first, a check for the ACL-only node.
    const plan = { target: '/cfg', mode: 'mirror' as const, baseline: true, readOnly: false, ...mirror, missingParents: [], defaultAcl: { acl: open, source: 'parent' as const, description: '' }, acls: [], unreadable: [], walkMs: 0 };
    const { ops, acls } = opsOf(plan);
    assert.deepEqual(
      ops.map((o) => [o.type, o.path, 'version' in o ? o.version : undefined]),
      [
        ['setData', '/cfg/a', 1],
        ['check', '/cfg/b', 2],
        ['create', '/cfg/dir/new', undefined],
        ['delete', '/cfg/dir/x', 0],
      ],
    );
    assert.deepEqual(acls, [{ path: '/cfg/b', acl: readOnly, aversion: 0 }]);
  });

  it('a node changed on the server since the pull is a conflict, whatever the folder did', () => {
    const { local, remote } = pulled();
    remote.set('/a', remoteNode('changed there', 2)); // folder unchanged: applying would undo the server's change
    remote.set('/b', remoteNode('two', 2, { aversion: 1 }, readOnly)); // ACL changed there
    remote.set('/late', remoteNode('created there')); // mirror would delete it
    remote.delete('/dir/x'); // deleted there; the folder still has it
    const { changes, counts } = diffTrees(local, remote, '/cfg', { mode: 'mirror', baseline: true });
    const c = new Map(changes.map((x) => [x.rel, x]));
    assert.equal(c.get('/a')?.kind, 'conflict');
    assert.match(renderMessage(c.get('/a')?.reason ?? ''), /data version 1 when pulled, 2 now/);
    assert.equal(c.get('/b')?.kind, 'conflict');
    assert.equal(c.get('/late')?.kind, 'conflict');
    assert.equal(c.get('/dir/x')?.kind, 'conflict');
    assert.equal(counts.conflict, 4);
    // Without a baseline (another connection or path) the same is a plain diff.
    const plain = diffTrees(local, remote, '/cfg', { mode: 'mirror', baseline: false });
    assert.equal(plain.counts.conflict, 0);
    assert.deepEqual(
      [plain.changes.find((x) => x.rel === '/a')?.kind, plain.changes.find((x) => x.rel === '/late')?.kind, plain.changes.find((x) => x.rel === '/dir/x')?.kind],
      ['update', 'delete', 'create'],
    );
  });

  it('ephemeral nodes: never deleted, never created as persistent unless asked; their parents are not deleted', () => {
    const { local, remote } = pulled();
    remote.set('/dir/session', remoteNode('s', 0, { ephemeralOwner: '0xabc' }));
    local.nodes = local.nodes.filter((n) => !n.rel.startsWith('/dir'));
    const removed = new Map([['/dir', { version: 0 }], ['/dir/x', { version: 0 }]]);
    const { changes } = diffTrees(local, remote, '/cfg', { mode: 'mirror', baseline: true, removed });
    const c = new Map(changes.map((x) => [x.rel, x]));
    assert.equal(c.get('/dir/session')?.kind, 'skip');
    assert.equal(c.get('/dir/x')?.kind, 'delete');
    assert.equal(c.get('/dir')?.kind, 'skip');
    assert.equal(renderMessage(c.get('/dir')?.reason ?? ''), 'has children that stay');

    const empty = new Map<string, RemoteNode>([['/', remoteNode('')]]);
    const eph = diffTrees(pulled().local, empty, '/other', { mode: 'mirror' });
    assert.equal(eph.changes.find((x) => x.rel === '/eph')?.kind, 'skip');
    const asked = diffTrees(pulled().local, empty, '/other', { mode: 'mirror', ephemeralAsPersistent: true });
    assert.equal(asked.changes.find((x) => x.rel === '/eph')?.kind, 'create');
  });

  it('children of a node that is not created are skipped, not sent to fail', () => {
    const { local, remote } = pulled();
    remote.delete('/dir');
    remote.delete('/dir/x');
    const { changes } = diffTrees(local, remote, '/cfg', { mode: 'addUpdate', baseline: true });
    assert.equal(changes.find((x) => x.rel === '/dir')?.kind, 'conflict');
    assert.equal(changes.find((x) => x.rel === '/dir/x')?.kind, 'skip');
  });

  it('compares data byte for byte at every length (short ones in a loop, long ones as buffers), views at an offset too', () => {
    for (const n of [0, 1, 63, 64, 65, 1000]) {
      const a = new Uint8Array(n).map((_, i) => i & 0xff);
      const b = new Uint8Array(Buffer.concat([Buffer.from([9, 9]), Buffer.from(a)])).subarray(2);
      assert.equal(bytesEqual(a, b), true, `${n} bytes`);
      if (n > 0) {
        const c = b.slice();
        c[n - 1] ^= 1;
        assert.equal(bytesEqual(a, c), false, `${n} bytes, the last one differs`);
      }
    }
    assert.equal(bytesEqual(new Uint8Array(3), new Uint8Array(4)), false);
  });

  it('compares ACLs as sets of entries: order does not matter, counts do', () => {
    const a = { perms: 31, scheme: 'world', id: 'anyone' };
    const b = { perms: 1, scheme: 'ip', id: '127.0.0.1' };
    assert.equal(sameAcl([a, b], [{ ...a }, { ...b }]), true);
    assert.equal(sameAcl([a, b], [b, a]), true);
    assert.equal(sameAcl([a, a], [a, b]), false);
    assert.equal(sameAcl([a, b], [a, { ...b, perms: 3 }]), false);
    assert.equal(sameAcl([a], [a, b]), false);
  });

  it('the plan of a large tree lets the event loop run: a timer set before it fires before it ends, with the same result', async () => {
    // 60,000 nodes, one edited, 500 only on the server: held in one synchronous loop, a plan this
    // size blocked the loop for over a second and the connection's liveness check with it.
    const remote = new Map<string, RemoteNode>([['/', remoteNode('')]]);
    for (let f = 0; f < 60; f++) {
      remote.set(`/f${f}`, remoteNode(''));
      for (let i = 0; i < 1000; i++) remote.set(`/f${f}/n${i}`, remoteNode('0123456789abcdef', 1));
    }
    const local: ConfigTree = { source: { connection: 'A', root: '/cfg', pulledAt: '' }, nodes: [...remote].map(([rel, r]) => ({ rel, data: r.data, meta: meta(r.stat.version) })) };
    local.nodes.find((n) => n.rel === '/f7/n123')!.data = t('edited');
    for (let i = 0; i < 500; i++) remote.set(`/f59/extra${i}`, remoteNode('x'));
    let timerFired = false;
    const timer = setTimeout(() => (timerFired = true), 0);
    let firedBeforeTheEnd: boolean | undefined;
    const inTurns = await diffTreesInTurns(local, remote, '/cfg', { mode: 'mirror', baseline: false }, { sliceMs: 2 }).then((d) => {
      firedBeforeTheEnd = timerFired;
      return d;
    });
    clearTimeout(timer);
    assert.equal(firedBeforeTheEnd, true, 'the timer waited for the whole plan');
    const atOnce = diffTrees(local, remote, '/cfg', { mode: 'mirror', baseline: false });
    assert.deepEqual(inTurns.counts, { create: 0, update: 1, acl: 0, delete: 500, conflict: 0, skip: 0, kept: 0, unchanged: 60_060 });
    assert.deepEqual(inTurns.counts, atOnce.counts);
    assert.deepEqual(
      inTurns.changes.map((c) => `${c.kind} ${c.rel}`),
      atOnce.changes.map((c) => `${c.kind} ${c.rel}`),
    );
  });
});
