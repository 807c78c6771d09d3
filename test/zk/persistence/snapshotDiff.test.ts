// The snapshot comparison on hand-built snapshots: every kind of difference, each in isolation, the
// merge of unsorted path lists, ACL refs that differ between files but stand for the same list, and
// which of two snapshots is the older.
import * as assert from 'node:assert/strict';
import type { ZkAcl } from '../../../src/zk/acl';
import { diffSnapshots, olderFirst, type Snapshot } from '../../../src/zk/persistence';
import { SnapshotNode } from '../../../src/zk/persistence/snapshot';

interface NodeSpec {
  data?: string;
  czxid?: bigint;
  owner?: bigint;
  aclRef?: number;
}

/** A node's bytes as the reader keeps them: data, then the 60-byte StatPersisted. */
function node(path: string, spec: NodeSpec = {}): SnapshotNode {
  const data = Buffer.from(spec.data ?? '');
  const slab = Buffer.alloc(data.length + 60);
  data.copy(slab, 0);
  slab.writeBigInt64BE(spec.czxid ?? 1n, data.length);
  slab.writeBigInt64BE(spec.owner ?? 0n, data.length + 44);
  return new SnapshotNode(path, spec.aclRef ?? -1, slab, 0, data.length, data.length);
}

function snapshot(file: string, nodes: Record<string, NodeSpec>, acls: [number, ZkAcl[]][] = []): Snapshot {
  const map = new Map<string, SnapshotNode>(Object.entries(nodes).map(([p, s]) => [p, node(p, s)]));
  return { file, compression: 'none', header: { magic: 0, version: 2, dbid: 0n }, sessions: [], acls: new Map(acls), nodes: map, children: new Map() };
}

const READ_ONLY: ZkAcl[] = [{ perms: 1, scheme: 'world', id: 'anyone' }];
const DIGEST: ZkAcl[] = [{ perms: 31, scheme: 'digest', id: 'bob:x' }];

describe('comparing two snapshots', () => {
  it('lists created, deleted and changed nodes (data, ACL, mode, recreated) sorted, and counts the rest', () => {
    // nodes in a hash order, as a DataTree writes them
    const older = snapshot('/d/snapshot.10', {
      '/': {},
      '/z': { data: 'same' },
      '/a': { data: 'v1' },
      '/a/gone': { data: 'x' },
      '/acl': { aclRef: 1 },
      '/mode': { owner: 0n },
      '/again': { czxid: 3n },
      '/b': {},
    }, [[1, READ_ONLY]]);
    const newer = snapshot('/d/snapshot.20', {
      '/b': {},
      '/again': { czxid: 9n },
      '/mode': { owner: 0x1234n },
      '/acl': { aclRef: 7 },
      '/a/new': { data: 'y' },
      '/a': { data: 'v2' },
      '/z': { data: 'same' },
      '/': {},
      '/0': {},
    }, [[7, DIGEST]]);
    const d = diffSnapshots(older, newer);
    assert.deepEqual(d.created, ['/0', '/a/new']);
    assert.deepEqual(d.deleted, ['/a/gone']);
    assert.deepEqual(d.changed, [
      { path: '/a', aspects: ['data'] },
      { path: '/acl', aspects: ['acl'] },
      { path: '/again', aspects: ['recreated'] },
      { path: '/mode', aspects: ['mode'] },
    ]);
    assert.equal(d.unchanged, 3); // '/', '/b', '/z'
  });

  it('the same ACL under another cache ref is no change; the same length of other data is', () => {
    const older = snapshot('/d/snapshot.1', { '/': {}, '/n': { aclRef: 4, data: 'abc' } }, [[4, DIGEST]]);
    const newer = snapshot('/d/snapshot.2', { '/': {}, '/n': { aclRef: 9, data: 'abd' } }, [[9, [...DIGEST]]]);
    assert.deepEqual(diffSnapshots(older, newer).changed, [{ path: '/n', aspects: ['data'] }]);
  });

  it('a TTL node whose TTL changed, and an ephemeral that became persistent, changed mode', () => {
    const ttl = (ms: number) => BigInt.asIntN(64, 0xff00000000000000n | BigInt(ms));
    const older = snapshot('/d/snapshot.1', { '/': {}, '/t': { owner: ttl(1000) }, '/e': { owner: 0x55n } });
    const newer = snapshot('/d/snapshot.2', { '/': {}, '/t': { owner: ttl(2000) }, '/e': { owner: 0n } });
    assert.deepEqual(diffSnapshots(older, newer).changed.map((c) => [c.path, c.aspects]), [['/e', ['mode']], ['/t', ['mode']]]);
  });

  it('two identical snapshots differ in nothing; swapped, created and deleted swap too', () => {
    const a = snapshot('/d/snapshot.1', { '/': {}, '/x': { data: '1' } });
    const b = snapshot('/d/snapshot.2', { '/': {}, '/y': { data: '1' } });
    assert.deepEqual(diffSnapshots(a, a), { created: [], deleted: [], changed: [], unchanged: 2 });
    assert.deepEqual([diffSnapshots(a, b).created, diffSnapshots(a, b).deleted], [['/y'], ['/x']]);
    assert.deepEqual([diffSnapshots(b, a).created, diffSnapshots(b, a).deleted], [['/x'], ['/y']]);
  });

  it('the older of two snapshots is the one with the lower zxid in its name (hex, not text order)', () => {
    const a = snapshot('/d/snapshot.a', {});
    const b = snapshot('/d/snapshot.9', {});
    assert.deepEqual(olderFirst(a, b).map((s) => s.file), ['/d/snapshot.9', '/d/snapshot.a']);
    assert.deepEqual(olderFirst(b, a).map((s) => s.file), ['/d/snapshot.9', '/d/snapshot.a']);
  });
});
