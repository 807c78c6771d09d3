// Find Big Znodes (src/zk/bigZnodes.ts) on an in-memory tree: the top lists, subtree sums, child
// list bytes against both limits, ephemerals per session, unreadable nodes.
import * as assert from 'node:assert/strict';
import { findBigZnodes } from '../../src/zk/bigZnodes';
import { ZkError } from '../../src/zk/errors';
import type { ZnodeStat } from '../../src/zk/stat';
import type { SubtreeClient } from '../../src/zk/subtree';
import { JUTE_MAXBUFFER } from '../../src/zk/wire/frames';

interface Node {
  data: number;
  owner?: string;
  noAuth?: boolean;
}

function fakeTree(nodes: Record<string, Node>, maxReplyBytes = 4 * 1024 * 1024): SubtreeClient {
  const childrenOf = (path: string) =>
    Object.keys(nodes)
      .filter((p) => p !== path && p.startsWith(path === '/' ? '/' : path + '/') && !p.slice(path === '/' ? 1 : path.length + 1).includes('/'))
      .map((p) => p.slice(p.lastIndexOf('/') + 1));
  const statOf = (path: string): ZnodeStat => ({
    czxid: '0x1', mzxid: '0x1', pzxid: '0x1', ctime: new Date(0), mtime: new Date(0), version: 0, cversion: 0, aversion: 0,
    ephemeralOwner: nodes[path].owner ?? '0x0', dataLength: nodes[path].data, numChildren: childrenOf(path).length,
  });
  const read = <T>(path: string, f: () => T): Promise<T> => {
    if (!nodes[path]) return Promise.reject(ZkError.fromServer(-101, 'read', path));
    if (nodes[path].noAuth) return Promise.reject(ZkError.fromServer(-102, 'read', path));
    return Promise.resolve(f());
  };
  const no = () => Promise.reject(new Error('not in this test'));
  return {
    options: { readOnly: true, maxRequestBytes: JUTE_MAXBUFFER, maxInFlight: 100, maxReplyBytes },
    getChildren: (p) => read(p, () => ({ children: childrenOf(p), stat: statOf(p) })),
    getData: (p) => read(p, () => ({ data: new Uint8Array(nodes[p].data), stat: statOf(p) })),
    getACL: no, exists: no, create: no, setData: no, setACL: no, remove: no, multi: no, getAllChildrenNumber: no,
  };
}

describe('findBigZnodes', () => {
  const tree: Record<string, Node> = {
    '/app': { data: 10 },
    '/app/config': { data: 900_000 },
    '/app/small': { data: 5 },
    '/app/locks': { data: 0 },
    '/app/locks/lock-1': { data: 1, owner: '0x100' },
    '/app/locks/lock-2': { data: 2, owner: '0x100' },
    '/app/locks/lock-3': { data: 3, owner: '0x200' },
    '/app/queue': { data: 0 },
    '/app/secret': { data: 50, noAuth: true },
  };
  for (let i = 0; i < 12; i++) tree[`/app/queue/item-${String(i).padStart(10, '0')}`] = { data: 100 };

  it('lists the nodes with the most data and children, the largest subtrees, and ephemerals per session', async () => {
    const r = await findBigZnodes(fakeTree(tree), '/app', { top: 3 });
    assert.equal(r.nodes, Object.keys(tree).length - 1); // the unreadable node is not counted
    assert.equal(r.dataBytes, 10 + 900_000 + 5 + 6 + 1200);
    assert.deepEqual(r.unreadable, ['/app/secret']);
    assert.deepEqual(r.mostData.map((n) => [n.path, n.dataLength]), [['/app/config', 900_000], ['/app/queue/item-0000000000', 100], ['/app/queue/item-0000000001', 100]]);
    assert.ok(Math.abs(r.mostData[0].ofMaxBuffer - 900_000 / 1_048_575) < 1e-9);
    assert.deepEqual(r.mostChildren.map((n) => [n.path, n.numChildren]), [['/app/queue', 12], ['/app', 5], ['/app/locks', 3]]);
    // 12 names of 15 bytes, each with its 4-byte length, plus the reply's header, count and Stat.
    assert.equal(r.mostChildren[0].childListBytes, 12 * (4 + 15) + 16 + 4 + 68);
    // The unreadable child is still a name in /app's list.
    assert.equal(r.mostChildren[1].childListBytes, [6, 5, 5, 5, 6].reduce((n, l) => n + 4 + l, 0) + 88);
    assert.equal(r.mostChildren[0].ofReplyLimit, r.mostChildren[0].childListBytes / (4 * 1024 * 1024));
    assert.equal(r.mostChildren[0].ofJavaClientLimit, r.mostChildren[0].childListBytes / JUTE_MAXBUFFER);
    assert.deepEqual(r.largestByNodes.map((s) => [s.path, s.nodes, s.dataBytes]), [['/app/queue', 13, 1200], ['/app/locks', 4, 6]]);
    assert.deepEqual(r.largestByBytes.map((s) => s.path), ['/app/queue', '/app/locks']);
    assert.deepEqual(r.ephemeralsBySession, [
      { session: '0x100', count: 2, dataBytes: 3, paths: ['/app/locks/lock-1', '/app/locks/lock-2'] },
      { session: '0x200', count: 1, dataBytes: 3, paths: ['/app/locks/lock-3'] },
    ]);
    assert.deepEqual(r.limits, { juteMaxBuffer: JUTE_MAXBUFFER, maxReplyBytes: 4 * 1024 * 1024 });
  });

  it('caps the paths listed per session and respects the depth limit', async () => {
    const r = await findBigZnodes(fakeTree(tree), '/app', { pathsPerSession: 1 });
    assert.deepEqual(r.ephemeralsBySession.map((s) => [s.session, s.count, s.paths.length]), [['0x100', 2, 1], ['0x200', 1, 1]]);
    const shallow = await findBigZnodes(fakeTree(tree), '/app', { maxDepth: 1 });
    assert.equal(shallow.nodes, 5);
    assert.deepEqual(shallow.ephemeralsBySession, []);
  });

  it('a missing root is NONODE', async () => {
    await assert.rejects(findBigZnodes(fakeTree(tree), '/nope'), (e: unknown) => e instanceof ZkError && e.code === 'NONODE');
  });
});
