// Unit tests of src/zk/subtree.ts: the pure parts (request sizes, batch planning, export parsing)
// and the algorithms against an in-memory fake ZooKeeper that applies multis atomically, counts
// requests in flight and lets a test play "another client" between requests.
import * as assert from 'node:assert/strict';
import { OPEN_ACL_UNSAFE, PERMS, type ZkAcl } from '../../src/zk/acl';
import { ZkMultiError, type CreateOptions, type CreateResult, type MultiOp, type MultiResult } from '../../src/zk/client';
import { ZkError } from '../../src/zk/errors';
import { joinPath, parentPath } from '../../src/zk/paths';
import type { ZnodeStat } from '../../src/zk/stat';
import {
  MULTI_OVERHEAD_BYTES,
  SubtreeIncompleteError,
  copySubtree,
  countSubtree,
  deleteSubtree,
  exportSubtree,
  importSubtree,
  moveSubtree,
  multiOpBytes,
  parseSubtreeExport,
  planBatches,
  planCopy,
  planImport,
  walkSubtree,
  type SubtreeClient,
  type SubtreeProgress,
} from '../../src/zk/subtree';
import { jute } from './libraryJute';
import { rejectsWith } from '../helpers';

// --- the fake --------------------------------------------------------------------------------

interface FakeNode {
  data: Uint8Array;
  acl: ZkAcl[];
  version: number;
  aversion: number;
  children: Set<string>;
  ephemeralOwner: string;
  /** A time as a server may send it (out of a Date's range: Invalid Date). */
  mtime?: Date;
}

type Hook = (op: string, arg: unknown) => void | Promise<void>;

class FakeZk implements SubtreeClient {
  options = { readOnly: false, maxRequestBytes: 0xfffff, maxInFlight: 1000, name: 'fake' };
  chroot: string | undefined = undefined;
  nodes = new Map<string, FakeNode>([['/', node()]]);
  inFlight = 0;
  maxInFlightSeen = 0;
  calls: Record<string, number> = {};
  multiSizes: number[] = [];
  /** Runs before each request is applied ("another client" acting in between). */
  before: Hook | undefined;
  /** Parents whose ACL does not grant DELETE to this session. */
  noDeleteUnder = new Set<string>();
  /** Throw this instead of answering getAllChildrenNumber; 'hang' never answers. */
  allChildrenNumber: 'ok' | 'unimplemented' | 'hang' = 'ok';

  total(): number {
    return this.nodes.size;
  }

  put(path: string, data: string | Uint8Array = '', acl: ZkAcl[] = [...OPEN_ACL_UNSAFE], ephemeralOwner = '0x0'): void {
    const parent = this.nodes.get(parentPath(path));
    if (!parent) throw new Error(`fake: no parent for ${path}`);
    parent.children.add(path.slice(path.lastIndexOf('/') + 1));
    this.nodes.set(path, { ...node(), data: typeof data === 'string' ? Buffer.from(data) : data, acl, ephemeralOwner });
  }

  drop(path: string): void {
    for (const p of [...this.nodes.keys()]) if (p === path || p.startsWith(path + '/')) this.nodes.delete(p);
    this.nodes.get(parentPath(path))?.children.delete(path.slice(path.lastIndexOf('/') + 1));
  }

  private async call<T>(op: string, arg: unknown, fn: () => T): Promise<T> {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    this.inFlight++;
    this.maxInFlightSeen = Math.max(this.maxInFlightSeen, this.inFlight);
    try {
      await new Promise((r) => setImmediate(r));
      if (this.before) await this.before(op, arg);
      return fn();
    } finally {
      this.inFlight--;
    }
  }

  private get(path: string, op: string): FakeNode {
    const n = this.nodes.get(path);
    if (!n) throw ZkError.fromServer(-101, op, path);
    return n;
  }

  private stat(n: FakeNode): ZnodeStat {
    return {
      czxid: '0x1',
      mzxid: '0x1',
      pzxid: '0x1',
      ctime: new Date(0),
      mtime: n.mtime ?? new Date(0),
      version: n.version,
      cversion: 0,
      aversion: n.aversion,
      ephemeralOwner: n.ephemeralOwner,
      dataLength: n.data.byteLength,
      numChildren: n.children.size,
    };
  }

  getChildren(path: string) {
    return this.call('getChildren', path, () => {
      const n = this.get(path, 'list the children of');
      return { children: [...n.children], stat: this.stat(n) };
    });
  }
  getData(path: string) {
    return this.call('getData', path, () => {
      const n = this.get(path, 'read');
      return { data: n.data, stat: this.stat(n) };
    });
  }
  getACL(path: string) {
    return this.call('getACL', path, () => {
      const n = this.get(path, 'read the ACL of');
      return { acl: n.acl.map((a) => ({ ...a })), stat: this.stat(n) };
    });
  }
  exists(path: string) {
    return this.call('exists', path, () => {
      const n = this.nodes.get(path);
      return n && this.stat(n);
    });
  }
  getAllChildrenNumber(path: string): Promise<number> {
    if (this.allChildrenNumber === 'hang') return new Promise(() => undefined);
    return this.call('getAllChildrenNumber', path, () => {
      if (this.allChildrenNumber === 'unimplemented') throw ZkError.fromServer(-6, 'count the descendants of', path);
      this.get(path, 'count');
      return [...this.nodes.keys()].filter((p) => p !== path && (path === '/' || p.startsWith(path + '/'))).length;
    });
  }
  create(path: string, data: Uint8Array = new Uint8Array(0), opts: CreateOptions = {}): Promise<CreateResult> {
    return this.call('create', path, () => {
      this.guard('create', path);
      this.apply({ type: 'create', path, data, acl: opts.acl, mode: opts.mode });
      return { path, stat: this.stat(this.get(path, 'create')) };
    });
  }
  setData(path: string, data: Uint8Array, version: number) {
    return this.call('setData', path, () => {
      this.guard('write', path);
      this.apply({ type: 'setData', path, data, version });
      return this.stat(this.get(path, 'write'));
    });
  }
  setACL(path: string, acl: readonly ZkAcl[], version: number) {
    return this.call('setACL', path, () => {
      this.guard('change the ACL of', path);
      const n = this.get(path, 'change the ACL of');
      if (version !== -1 && version !== n.aversion) throw ZkError.fromServer(-103, 'change the ACL of', path);
      n.acl = acl.map((a) => ({ ...a }));
      n.aversion++;
      return this.stat(n);
    });
  }
  remove(path: string, version: number) {
    return this.call('remove', path, () => {
      this.guard('delete', path);
      this.apply({ type: 'delete', path, version });
    });
  }
  multi(ops: readonly MultiOp[]): Promise<MultiResult[]> {
    this.multiSizes.push(ops.length);
    return this.call('multi', ops, () => {
      this.guard('run a transaction on', ops[0].path);
      const bytes = 8 + 9 + ops.reduce((n, op) => n + multiOpBytes(op), 0);
      if (bytes > this.options.maxRequestBytes) throw new ZkError('DATA_TOO_LARGE', `multi of ${bytes} bytes`);
      const undo: (() => void)[] = [];
      for (let i = 0; i < ops.length; i++) {
        try {
          undo.push(this.apply(ops[i]));
        } catch (e) {
          for (const u of undo.reverse()) u();
          throw new ZkMultiError(i, e as ZkError);
        }
      }
      return ops.map((o) => ({ type: o.type }) as MultiResult);
    });
  }

  private guard(op: string, path: string): void {
    if (this.options.readOnly) throw new ZkError('READ_ONLY_GUARD', `read-only: refused to ${op} ${path}`);
  }

  /** Applies one op; returns how to undo it. */
  private apply(op: MultiOp): () => void {
    switch (op.type) {
      case 'create': {
        if (this.nodes.has(op.path)) throw ZkError.fromServer(-110, 'create', op.path);
        const parent = this.nodes.get(parentPath(op.path));
        if (!parent) throw ZkError.fromServer(-101, 'create', op.path);
        if (parent.ephemeralOwner !== '0x0') throw ZkError.fromServer(-108, 'create', op.path);
        const name = op.path.slice(op.path.lastIndexOf('/') + 1);
        parent.children.add(name);
        this.nodes.set(op.path, { ...node(), data: op.data ?? new Uint8Array(0), acl: [...(op.acl ?? OPEN_ACL_UNSAFE)] });
        return () => {
          this.nodes.delete(op.path);
          parent.children.delete(name);
        };
      }
      case 'delete': {
        const n = this.get(op.path, 'delete');
        if (op.version !== undefined && op.version !== -1 && op.version !== n.version) throw ZkError.fromServer(-103, 'delete', op.path);
        if (n.children.size > 0) throw ZkError.fromServer(-111, 'delete', op.path);
        if (this.noDeleteUnder.has(parentPath(op.path))) throw ZkError.fromServer(-102, 'delete', op.path);
        const parent = this.get(parentPath(op.path), 'delete');
        const name = op.path.slice(op.path.lastIndexOf('/') + 1);
        this.nodes.delete(op.path);
        parent.children.delete(name);
        return () => {
          this.nodes.set(op.path, n);
          parent.children.add(name);
        };
      }
      case 'setData': {
        const n = this.get(op.path, 'write');
        if (op.version !== undefined && op.version !== -1 && op.version !== n.version) throw ZkError.fromServer(-103, 'write', op.path);
        const old = n.data;
        n.data = op.data;
        n.version++;
        return () => {
          n.data = old;
          n.version--;
        };
      }
      case 'check':
        return () => undefined;
    }
  }
}

function node(): FakeNode {
  return { data: new Uint8Array(0), acl: [...OPEN_ACL_UNSAFE], version: 0, aversion: 0, children: new Set(), ephemeralOwner: '0x0' };
}

/** /t with `fanout` children per node, `depth` levels below it. */
function tree(zk: FakeZk, root: string, fanout: number, depth: number): number {
  zk.put(root, 'root');
  let level = [root];
  let count = 1;
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const p of level) {
      for (let i = 0; i < fanout; i++) {
        const c = joinPath(p, `n${i}`);
        zk.put(c, `data of ${c}`);
        next.push(c);
        count++;
      }
    }
    level = next;
  }
  return count;
}

const under = (zk: FakeZk, root: string) => [...zk.nodes.keys()].filter((p) => p === root || p.startsWith(root + '/'));

// --- tests -----------------------------------------------------------------------------------

describe('subtree: request sizes and batches', () => {
  const aclRecords = (acl: readonly ZkAcl[]) => acl.map((a) => new jute.data.ACL(a.perms, new jute.data.Id(a.scheme, a.id)));
  const header = new jute.protocol.MultiHeader(1, false, -1).byteLength();

  it('multiOpBytes equals the size the jute records serialize to', () => {
    const acl: ZkAcl[] = [
      { perms: PERMS.ALL, scheme: 'digest', id: 'admin:0uek/hZ/V9fgiM35b0Z2226acMQ=' },
      { perms: PERMS.READ, scheme: 'world', id: 'anyone' },
    ];
    const path = '/config/ünïcödé 日本/node';
    const data = Buffer.alloc(777, 7);
    assert.equal(multiOpBytes({ type: 'create', path, data, acl }), header + new jute.protocol.CreateRequest(path, data, aclRecords(acl), 0).byteLength());
    assert.equal(multiOpBytes({ type: 'create', path }), header + new jute.protocol.CreateRequest(path, Buffer.alloc(0), aclRecords(OPEN_ACL_UNSAFE), 0).byteLength());
    assert.equal(multiOpBytes({ type: 'delete', path }), header + new jute.protocol.DeleteRequest(path, -1).byteLength());
    assert.equal(multiOpBytes({ type: 'setData', path, data }), header + new jute.protocol.SetDataRequest(path, data, -1).byteLength());
    assert.equal(multiOpBytes({ type: 'check', path, version: 3 }), header + new jute.protocol.CheckVersionRequest(path, 3).byteLength());
    // The chroot is sent in front of every path.
    assert.equal(multiOpBytes({ type: 'delete', path }, 5), multiOpBytes({ type: 'delete', path: '/abcd' + path }));
    const requestHeader = new jute.protocol.RequestHeader();
    assert.equal(MULTI_OVERHEAD_BYTES, requestHeader.byteLength() + new jute.protocol.MultiHeader(-1, true, -1).byteLength());
  });

  it('planBatches keeps order and stays within bytes and ops', () => {
    const sizes = Array.from({ length: 5000 }, (_, i) => 50 + ((i * 7919) % 3000));
    const limits = { maxBytes: 64 * 1024, maxOps: 100 };
    const batches = planBatches(sizes.map((s, i) => ({ s, i })), (x) => x.s, limits);
    assert.deepEqual(batches.flat().map((x) => x.i), sizes.map((_, i) => i));
    for (const b of batches) {
      assert.ok(b.length > 0 && b.length <= 100);
      assert.ok(MULTI_OVERHEAD_BYTES + b.reduce((n, x) => n + x.s, 0) <= limits.maxBytes);
    }
    // Greedy: each batch is full, i.e. the next item would not have fitted.
    for (let k = 0; k < batches.length - 1; k++) {
      const b = batches[k];
      const bytes = MULTI_OVERHEAD_BYTES + b.reduce((n, x) => n + x.s, 0);
      assert.ok(b.length === 100 || bytes + batches[k + 1][0].s > limits.maxBytes);
    }
  });

  it('planBatches: an item over the budget goes alone; by count when items are small', () => {
    const b = planBatches([10, 2_000_000, 10, 10], (x) => x, { maxBytes: 1000, maxOps: 1000 });
    assert.deepEqual(b, [[10], [2_000_000], [10, 10]]);
    assert.deepEqual(planBatches([], (x: number) => x, { maxBytes: 1000, maxOps: 2 }), []);
    assert.equal(planBatches(Array(2500).fill(60), (x) => x, { maxBytes: 512 * 1024, maxOps: 1000 }).length, 3);
    // 20k creates of ~67 bytes (the 1.34 MB multi that dropped the connection) split by bytes.
    const creates = Array.from({ length: 20_000 }, (_, i) => multiOpBytes({ type: 'create', path: `/big/children/item-${String(i).padStart(5, '0')}` }));
    const batches = planBatches(creates, (x) => x, { maxBytes: 512 * 1024, maxOps: 100_000 });
    assert.equal(batches.length, 3);
    for (const x of batches) assert.ok(MULTI_OVERHEAD_BYTES + x.reduce((n, s) => n + s, 0) <= 512 * 1024);
  });
});

describe('subtree: walk and count', () => {
  it('visits every node once, parents before children, with data and ACLs', async () => {
    const zk = new FakeZk();
    const n = tree(zk, '/t', 4, 4);
    zk.put('/other', 'x');
    const seen: string[] = [];
    const r = await walkSubtree(zk, '/t', { withData: true, withAcl: true, onNode: (x) => seen.push(x.path) });
    assert.equal(r.count, n);
    assert.deepEqual([...r.nodes.map((x) => x.path)].sort(), under(zk, '/t').sort());
    assert.deepEqual(seen, r.nodes.map((x) => x.path));
    const index = new Map(r.nodes.map((x, i) => [x.path, i]));
    for (const x of r.nodes) {
      if (x.path !== '/t') assert.ok((index.get(parentPath(x.path)) ?? Infinity) < (index.get(x.path) ?? -1), x.path);
      assert.equal(Buffer.from(x.data ?? []).toString(), x.path === '/t' ? 'root' : `data of ${x.path}`);
      assert.deepEqual(x.acl, [...OPEN_ACL_UNSAFE]);
      assert.equal(x.depth, x.path.split('/').length - 2);
    }
  });

  it('keeps a bounded window of requests in flight', async () => {
    const zk = new FakeZk();
    tree(zk, '/t', 30, 2); // 931 nodes
    await walkSubtree(zk, '/t', { concurrency: 16 });
    assert.ok(zk.maxInFlightSeen <= 16, `${zk.maxInFlightSeen} in flight`);
    assert.ok(zk.maxInFlightSeen >= 8, `pipelined: ${zk.maxInFlightSeen} in flight`);
    const one = new FakeZk();
    tree(one, '/t', 5, 2);
    await walkSubtree(one, '/t', { concurrency: 1 });
    assert.equal(one.maxInFlightSeen, 1);
    // Never more than the client allows.
    const small = new FakeZk();
    small.options.maxInFlight = 4;
    tree(small, '/t', 30, 1);
    await walkSubtree(small, '/t', { concurrency: 500 });
    assert.ok(small.maxInFlightSeen <= 4);
  });

  it('skips nodes that vanish mid-walk; a missing root is NONODE', async () => {
    const zk = new FakeZk();
    const n = tree(zk, '/t', 3, 3);
    zk.before = (op, path) => {
      if (op === 'getChildren' && path === '/t/n1/n2') zk.drop('/t/n1/n2'); // listed by /t/n1, gone when visited
    };
    const r = await walkSubtree(zk, '/t');
    assert.equal(r.vanished, 1);
    assert.equal(r.count, n - 4);
    await rejectsWith(walkSubtree(zk, '/nope'), 'NONODE', /\/nope does not exist/);
  });

  it('maxNodes, cancellation, unreadable nodes and the /zookeeper subtree', async () => {
    const zk = new FakeZk();
    tree(zk, '/t', 10, 2);
    await rejectsWith(walkSubtree(zk, '/t', { maxNodes: 50 }), 'TOO_MANY_NODES', /more than 50 nodes/);
    const ac = new AbortController();
    let calls = 0;
    await rejectsWith(
      walkSubtree(zk, '/t', {
        signal: ac.signal,
        onNode: () => {
          if (++calls === 20) ac.abort();
        },
      }),
      'CANCELLED',
    );
    ac.abort();
    await rejectsWith(walkSubtree(zk, '/t', { signal: ac.signal }), 'CANCELLED');
    zk.before = (op, path) => {
      if (path === '/t/n3') throw ZkError.fromServer(-102, 'list the children of', '/t/n3');
    };
    await rejectsWith(walkSubtree(zk, '/t'), 'NOAUTH', /Not authorized/);
    const r = await walkSubtree(zk, '/t', { skipUnreadable: true });
    assert.deepEqual(r.unreadable, ['/t/n3']);
    assert.equal(r.count, 111 - 11);
    zk.before = undefined;
    zk.put('/zookeeper');
    zk.put('/zookeeper/quota');
    assert.ok((await walkSubtree(zk, '/')).nodes.some((x) => x.path === '/zookeeper/quota'));
    assert.ok(!(await walkSubtree(zk, '/', { excludeSystem: true })).nodes.some((x) => x.path.startsWith('/zookeeper')));
  });

  it('progress counts up to the total', async () => {
    const zk = new FakeZk();
    const n = tree(zk, '/t', 10, 2);
    const seen: number[] = [];
    await walkSubtree(zk, '/t', { onProgress: (c) => seen.push(c) });
    assert.equal(seen[seen.length - 1], n);
    assert.deepEqual([...seen].sort((a, b) => a - b), seen);
  });

  it('countSubtree asks the server, falls back to a walk when it cannot', async () => {
    const zk = new FakeZk();
    tree(zk, '/t', 5, 2);
    assert.deepEqual(await countSubtree(zk, '/t'), { total: 31, descendants: 30, method: 'server' });
    const old = new FakeZk();
    tree(old, '/t', 5, 2);
    old.allChildrenNumber = 'unimplemented';
    assert.deepEqual(await countSubtree(old, '/t'), { total: 31, descendants: 30, method: 'walk' });
    const silent = new FakeZk();
    tree(silent, '/t', 5, 2);
    silent.allChildrenNumber = 'hang';
    const started = Date.now();
    assert.equal((await countSubtree(silent, '/t', { timeoutMs: 100 })).method, 'walk');
    assert.ok(Date.now() - started < 2000);
    // Remembered: the next count does not wait again.
    const again = Date.now();
    assert.equal((await countSubtree(silent, '/t', { timeoutMs: 5000 })).method, 'walk');
    assert.ok(Date.now() - again < 1000);
    await rejectsWith(countSubtree(zk, '/nope'), 'NONODE');
  });
});

describe('subtree: delete', () => {
  it('deletes deepest-first in batches sized by ops and bytes', async () => {
    const zk = new FakeZk();
    const n = tree(zk, '/t', 6, 3); // 259
    zk.put('/keep', 'x');
    const progress: SubtreeProgress[] = [];
    const r = await deleteSubtree(zk, '/t', { maxBatchOps: 50, onProgress: (p) => progress.push(p) });
    assert.equal(r.deleted, n);
    assert.equal(r.walked, n);
    assert.equal(r.batches, Math.ceil(n / 50));
    assert.ok(zk.multiSizes.every((s) => s <= 50));
    assert.deepEqual(under(zk, '/t'), []);
    assert.ok(zk.nodes.has('/keep'));
    const del = progress.filter((p) => p.phase === 'delete');
    assert.equal(del[del.length - 1].done, n);
    assert.equal(del[del.length - 1].total, n);
    // Deep and narrow.
    let p = '/deep';
    zk.put(p);
    for (let i = 0; i < 20; i++) zk.put((p += `/d${i}`));
    assert.equal((await deleteSubtree(zk, '/deep')).deleted, 21);
    assert.equal(zk.nodes.has('/deep'), false);
  });

  it('byte budget splits batches of big paths', async () => {
    const zk = new FakeZk();
    zk.put('/t');
    for (let i = 0; i < 100; i++) zk.put(`/t/${'x'.repeat(200)}${i}`);
    await deleteSubtree(zk, '/t', { maxBatchBytes: 4096 });
    assert.ok(zk.multiSizes.length >= 6, `${zk.multiSizes.length} batches`);
    assert.ok(zk.multiSizes.every((s) => s <= 19));
  });

  it('a node deleted by someone else meanwhile is dropped from its batch, not an error', async () => {
    const zk = new FakeZk();
    const n = tree(zk, '/t', 10, 2);
    let done = false;
    zk.before = (op) => {
      if (op === 'multi' && !done) {
        done = true;
        zk.drop('/t/n4/n7');
        zk.drop('/t/n5');
      }
    };
    const r = await deleteSubtree(zk, '/t');
    assert.equal(r.deleted + r.vanished, n);
    assert.equal(r.vanished, 12);
    assert.equal(zk.nodes.has('/t'), false);
  });

  it('children created meanwhile (NOTEMPTY) are found by walking that node again', async () => {
    const zk = new FakeZk();
    const n = tree(zk, '/t', 5, 2);
    let round = 0;
    zk.before = (op) => {
      if (op !== 'multi') return;
      round++;
      if (round === 1) {
        zk.put('/t/n2/new');
        zk.put('/t/n2/new/deeper');
      }
      if (round === 2) zk.put('/t/late');
    };
    const r = await deleteSubtree(zk, '/t', { maxBatchOps: 1000 });
    assert.equal(r.deleted, n + 3);
    assert.ok(r.rewalks >= 2);
    assert.equal(zk.nodes.has('/t'), false);
  });

  it('keeps making progress while another client adds children all over the batch', async () => {
    const zk = new FakeZk();
    const n = tree(zk, '/t', 20, 2); // 421 nodes, one batch
    let i = 0;
    zk.before = (op) => {
      // Before every third request: a new child under the next folder (while the folders exist).
      // (One per request, as fast as we delete, could never be outrun: then maxRewalks stops it.)
      const folder = `/t/n${(i / 3) % 20}`;
      if (i % 3 === 0 && op !== 'exists' && zk.nodes.has(folder)) zk.put(`${folder}/added-${i}`);
      i++;
    };
    const r = await deleteSubtree(zk, '/t');
    assert.equal(zk.nodes.has('/t'), false);
    assert.ok(r.deleted > n && r.rewalks > 0, JSON.stringify(r));
  });

  it('gives up on a node that keeps getting children, saying what is left', async () => {
    const zk = new FakeZk();
    tree(zk, '/t', 3, 1);
    let i = 0;
    zk.before = (op) => {
      if (op === 'multi' || op === 'remove') zk.put(`/t/spam-${i++}`);
    };
    const e = await rejectsWith(deleteSubtree(zk, '/t', { maxRewalks: 3 }), 'NOTEMPTY', /keep being created under \/t/);
    assert.ok(e instanceof SubtreeIncompleteError);
    assert.ok(e.report.remainingPaths.includes('/t'));
    assert.match(e.message, /delete it again to finish/);
  });

  it('cancellation between batches reports what was deleted and what is left', async () => {
    const zk = new FakeZk();
    const n = tree(zk, '/t', 20, 2); // 421
    const ac = new AbortController();
    const e = await rejectsWith(
      deleteSubtree(zk, '/t', {
        maxBatchOps: 50,
        signal: ac.signal,
        onProgress: (p) => {
          if (p.phase === 'delete' && p.done >= 100) ac.abort();
        },
      }),
      'CANCELLED',
      /Delete of \/t incomplete\. Cancelled\. 100 of 421 nodes deleted, 321 left/,
    );
    assert.ok(e instanceof SubtreeIncompleteError);
    assert.equal(e.report.completed, 100);
    assert.equal(e.report.remaining, n - 100);
    assert.equal(e.report.uncertain, 0);
    assert.equal(under(zk, '/t').length, n - 100);
    assert.deepEqual([...e.report.remainingPaths].sort(), under(zk, '/t').sort());
    assert.equal(e.report.remainingPaths[e.report.remainingPaths.length - 1], '/t');
    // Cancelled during the walk: nothing deleted.
    const ac2 = new AbortController();
    ac2.abort();
    await rejectsWith(deleteSubtree(zk, '/t', { signal: ac2.signal }), 'CANCELLED', /nothing under \/t was deleted/);
  });

  it('a lost connection: the batch is sent again; a failure stops with the batch in doubt', async () => {
    const zk = new FakeZk();
    const n = tree(zk, '/t', 5, 2);
    let failures = 1;
    zk.before = (op) => {
      if (op === 'multi' && failures-- > 0) throw ZkError.fromServer(-4, 'run a transaction on', '/t');
    };
    assert.equal((await deleteSubtree(zk, '/t')).deleted, n);
    tree(zk, '/t', 5, 2);
    zk.before = (op) => {
      if (op === 'multi') throw ZkError.fromServer(-112, 'run a transaction on', '/t');
    };
    const e = await rejectsWith(deleteSubtree(zk, '/t'), 'SESSIONEXPIRED', /may or may not have been applied/);
    assert.ok(e instanceof SubtreeIncompleteError);
    assert.equal(e.report.uncertain, n);
  });

  it('a batch too large for the client is split', async () => {
    const zk = new FakeZk();
    zk.options.maxRequestBytes = 8 * 1024;
    zk.put('/t');
    for (let i = 0; i < 200; i++) zk.put(`/t/${'y'.repeat(100)}${i}`);
    // Asks for a budget above the client's limit: clamped, then split if still too big.
    const r = await deleteSubtree(zk, '/t', { maxBatchBytes: 1 << 20 });
    assert.equal(r.deleted, 201);
  });

  it('NOAUTH names the parent whose ACL lacks DELETE, and what was deleted before', async () => {
    const zk = new FakeZk();
    tree(zk, '/t', 5, 2);
    zk.noDeleteUnder.add('/t/n3');
    const e = await rejectsWith(
      deleteSubtree(zk, '/t', { maxBatchOps: 5 }),
      'NOAUTH',
      /Not authorized to delete \/t\/n3\/n\d: deleting a node needs the DELETE permission in the ACL of its parent \/t\/n3/,
    );
    assert.ok(e instanceof SubtreeIncompleteError);
    assert.equal(e.report.completed + e.report.remaining, 31);
    assert.equal(under(zk, '/t').length, e.report.remaining);
  });

  it('refuses a read-only connection before any request, and "/"', async () => {
    const zk = new FakeZk();
    tree(zk, '/t', 3, 2);
    zk.options.readOnly = true;
    await rejectsWith(deleteSubtree(zk, '/t'), 'READ_ONLY_GUARD', /Connection "fake" is read-only: refused to delete \/t/);
    assert.deepEqual(zk.calls, {});
    zk.options.readOnly = false;
    await rejectsWith(deleteSubtree(zk, '/'), 'INVALID_ARGUMENT');
    await rejectsWith(deleteSubtree(zk, '/nope'), 'NONODE');
  });
});

describe('subtree: copy and move', () => {
  const secret: ZkAcl[] = [{ perms: PERMS.READ, scheme: 'world', id: 'anyone' }, { perms: PERMS.ALL, scheme: 'digest', id: 'admin:abc=' }];
  const binary = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);

  function source(): FakeZk {
    const a = new FakeZk();
    a.put('/app', 'top');
    a.put('/app/bin', binary);
    a.put('/app/empty');
    a.put('/app/secret', 'pw', secret);
    a.put('/app/locks');
    a.put('/app/locks/lock-0000000007', 'me', undefined, '0x1234');
    return a;
  }

  it('copies across clients byte-exact with ACLs, atomically when it fits', async () => {
    const a = source();
    const b = new FakeZk();
    b.put('/dst');
    const plan = await planCopy(a, '/app', b, '/dst/app');
    assert.equal(plan.nodes, 6);
    assert.equal(plan.dataBytes, 3 + 256 + 2 + 2);
    assert.equal(plan.atomic, true);
    assert.equal(plan.targetExists, false);
    assert.deepEqual(plan.ephemeral, ['/app/locks/lock-0000000007']);
    const r = await copySubtree(a, '/app', b, '/dst/app', { plan });
    assert.equal(r.created, 6);
    assert.equal(r.atomic, true);
    assert.equal(b.calls.multi, 1);
    assert.deepEqual(r.ephemeralAsPersistent, ['/dst/app/locks/lock-0000000007']);
    assert.deepEqual(Buffer.from(b.nodes.get('/dst/app/bin')?.data ?? []), Buffer.from(binary));
    assert.deepEqual(b.nodes.get('/dst/app/secret')?.acl, secret);
    assert.equal(b.nodes.get('/dst/app/locks/lock-0000000007')?.ephemeralOwner, '0x0');
    // Without ACLs: the default ACL, and the nodes whose ACL was not copied are named.
    const r2 = await copySubtree(a, '/app', b, '/dst/open', { copyAcl: false });
    assert.deepEqual(b.nodes.get('/dst/open/secret')?.acl, [...OPEN_ACL_UNSAFE]);
    assert.deepEqual(r2.aclNotCopied, ['/dst/open/secret']);
  });

  it('batches a big copy by bytes, parents first, with progress', async () => {
    const a = new FakeZk();
    a.put('/big');
    for (let d = 0; d < 10; d++) {
      a.put(`/big/d${d}`);
      for (let i = 0; i < 200; i++) a.put(`/big/d${d}/n${i}`, Buffer.alloc(300, i));
    }
    const b = new FakeZk();
    const plan = await planCopy(a, '/big', b, '/copy', { maxBatchBytes: 64 * 1024 });
    assert.equal(plan.atomic, false);
    assert.ok(plan.batches >= 10, `${plan.batches}`);
    const progress: number[] = [];
    const r = await copySubtree(a, '/big', b, '/copy', {
      plan,
      maxBatchBytes: 64 * 1024,
      onProgress: (p) => p.phase === 'write' && progress.push(p.done),
    });
    assert.equal(r.created, 2011);
    assert.equal(r.atomic, false);
    assert.equal(r.batches, plan.batches);
    assert.deepEqual([...progress].sort((x, y) => x - y), progress);
    assert.equal(progress[progress.length - 1], 2011);
    assert.equal(under(b, '/copy').length, 2011);
  });

  it('conflicts: fail writes nothing, skip keeps, overwrite replaces', async () => {
    const a = source();
    const b = new FakeZk();
    await copySubtree(a, '/app', b, '/app');
    b.nodes.get('/app/bin')!.data = Buffer.from('changed');
    b.drop('/app/empty');
    b.put('/app/only-here', 'mine');
    const before = b.calls.multi;
    await rejectsWith(copySubtree(a, '/app', b, '/app'), 'NODEEXISTS', /already exists.*nothing was written/);
    assert.equal(b.calls.multi, before);
    const s = await copySubtree(a, '/app', b, '/app', { conflict: 'skip' });
    assert.equal(s.created, 1);
    assert.equal(s.skipped.length, 5);
    assert.equal(Buffer.from(b.nodes.get('/app/bin')!.data).toString(), 'changed');
    b.nodes.get('/app/secret')!.acl = [...OPEN_ACL_UNSAFE];
    const o = await copySubtree(a, '/app', b, '/app', { conflict: 'overwrite' });
    assert.equal(o.updated, 6);
    assert.equal(o.aclsSet, 6);
    assert.deepEqual(Buffer.from(b.nodes.get('/app/bin')!.data), Buffer.from(binary));
    assert.deepEqual(b.nodes.get('/app/secret')!.acl, secret);
    assert.equal(Buffer.from(b.nodes.get('/app/only-here')!.data).toString(), 'mine');
  });

  it('a target created by someone else mid-copy: skip drops it, fail stops with a report', async () => {
    const a = source();
    const b = new FakeZk();
    let once = true;
    b.before = (op) => {
      if (op === 'multi' && once) {
        once = false;
        b.put('/x');
        b.put('/x/bin', 'theirs');
      }
    };
    const r = await copySubtree(a, '/app', b, '/x', { conflict: 'skip', maxBatchOps: 2 });
    assert.deepEqual(r.skipped.sort(), ['/x', '/x/bin']);
    assert.equal(Buffer.from(b.nodes.get('/x/bin')!.data).toString(), 'theirs');
    assert.equal(under(b, '/x').length, 6);

    const c = new FakeZk();
    let n = 0;
    c.before = (op) => {
      if (op === 'multi' && ++n === 2) c.put('/y/empty', 'theirs');
    };
    const e = await rejectsWith(copySubtree(a, '/app', c, '/y', { maxBatchOps: 2 }), 'NODEEXISTS', /Copy of \/y incomplete.*2 of 6 nodes written/);
    assert.ok(e instanceof SubtreeIncompleteError);
    assert.deepEqual(e.report.completedPaths, ['/y', '/y/bin']);
    assert.match(e.message, /conflict policy "skip" to finish/);
  });

  it('refuses a read-only target before reading the source; missing parent; createParents', async () => {
    const a = source();
    const b = new FakeZk();
    b.options.readOnly = true;
    await rejectsWith(copySubtree(a, '/app', b, '/app'), 'READ_ONLY_GUARD', /refused to copy to \/app/);
    await rejectsWith(planCopy(a, '/app', b, '/app'), 'READ_ONLY_GUARD');
    assert.deepEqual(a.calls, {});
    b.options.readOnly = false;
    await rejectsWith(copySubtree(a, '/app', b, '/no/such/app'), 'NONODE', /parent \/no\/such does not exist on "fake"/);
    const r = await copySubtree(a, '/app', b, '/no/such/app', { createParents: true });
    assert.deepEqual(r.parentsCreated, ['/no', '/no/such']);
    assert.equal(r.created, 6);
    assert.equal(r.atomic, true);
  });

  it('move on one client is one multi (creates and deletes); across clients copy then delete', async () => {
    const a = source();
    a.nodes.get('/app/locks/lock-0000000007')!.ephemeralOwner = '0x0';
    const r = await moveSubtree(a, '/app', a, '/moved');
    assert.equal(r.atomic, true);
    assert.equal(a.calls.multi, 1);
    assert.equal(r.deleted, 6);
    assert.equal(a.nodes.has('/app'), false);
    assert.equal(under(a, '/moved').length, 6);
    await rejectsWith(moveSubtree(a, '/moved', a, '/moved/inside'), 'INVALID_ARGUMENT', /into itself/);

    const b = new FakeZk();
    const r2 = await moveSubtree(a, '/moved', b, '/app', { maxBatchOps: 2 });
    assert.equal(r2.atomic, false);
    assert.equal(r2.deleted, 6);
    assert.equal(a.nodes.has('/moved'), false);
    assert.deepEqual(Buffer.from(b.nodes.get('/app/bin')!.data), Buffer.from(binary));
  });

  it('move never loses a node changed after it was read', async () => {
    const a = source();
    a.nodes.get('/app/locks/lock-0000000007')!.ephemeralOwner = '0x0'; // another session's ephemeral node stops a move before this
    const plan = await planCopy(a, '/app', a, '/moved');
    a.nodes.get('/app/bin')!.version++; // someone wrote it
    await rejectsWith(moveSubtree(a, '/app', a, '/moved', { plan }), 'BADVERSION', /Nothing was moved.*try again/);
    assert.equal(under(a, '/app').length, 6);
    assert.equal(a.nodes.has('/moved'), false);

    const b = new FakeZk();
    const plan2 = await planCopy(a, '/app', b, '/app');
    a.put('/app/empty/new-child');
    const e = await rejectsWith(moveSubtree(a, '/app', b, '/app', { plan: plan2, maxBatchOps: 1 }), 'NOTEMPTY', /the copy is complete/);
    assert.ok(e instanceof SubtreeIncompleteError);
    assert.ok(a.nodes.has('/app/empty/new-child'));
    assert.ok(a.nodes.has('/app'));
    assert.equal(under(b, '/app').length, 6);
    b.options.readOnly = true;
    a.options.readOnly = true;
    await rejectsWith(moveSubtree(a, '/app', new FakeZk(), '/x'), 'READ_ONLY_GUARD', /refused to move \/app/);
  });
});

describe('subtree: export and import', () => {
  it('a node with an out-of-range time does not fail the export: its time is null, the rest is exported', async () => {
    const a = new FakeZk();
    a.put('/t', 'root');
    a.put('/t/odd', 'x');
    a.put('/t/fine', 'y');
    // What decodeStat makes of a server's mtime of 2^62 ms.
    a.nodes.get('/t/odd')!.mtime = new Date(Number(2n ** 62n));
    const doc = await exportSubtree(a, '/t');
    assert.equal(doc.nodes.length, 3);
    const odd = doc.nodes.find((n) => n.path === '/odd')!;
    assert.equal(odd.stat.mtime, null);
    assert.equal(odd.stat.ctime, '1970-01-01T00:00:00.000Z');
    assert.equal(doc.nodes.find((n) => n.path === '/fine')!.stat.mtime, '1970-01-01T00:00:00.000Z');
    assert.equal(parseSubtreeExport(JSON.parse(JSON.stringify(doc))).nodes.length, 3, 'the file reads back');
  });

  it('round-trips through JSON: bytes, ACLs, odd names, ephemeral as persistent', async () => {
    const a = new FakeZk();
    a.put('/e', Buffer.from([0, 255, 0, 128]));
    a.put('/e/ünïcödé 日本', 'u');
    a.put('/e/with space', '');
    a.put('/e/with space/seq-0000000003', 'q', [{ perms: PERMS.READ | PERMS.ADMIN, scheme: 'ip', id: '127.0.0.1' }]);
    a.put('/e/eph', 'e', undefined, '0xabc');
    const doc = await exportSubtree(a, '/e');
    assert.equal(doc.format, 'zookeeper-explorer/subtree');
    assert.equal(doc.version, 1);
    assert.equal(doc.summary.nodes, 5);
    assert.equal(doc.summary.ephemeral, 1);
    assert.equal(doc.summary.restrictedAcl, 1);
    assert.equal(doc.nodes[0].path, '/');
    const json = JSON.stringify(doc);
    const b = new FakeZk();
    b.put('/restore');
    const r = await importSubtree(b, '/restore/e', json);
    assert.equal(r.created, 5);
    assert.equal(r.atomic, true);
    assert.deepEqual(r.ephemeralAsPersistent, ['/restore/e/eph']);
    const again = await exportSubtree(b, '/restore/e');
    const strip = (d: typeof doc) => d.nodes.map((n) => ({ path: n.path, data: n.data, acl: n.acl })).sort((x, y) => x.path.localeCompare(y.path));
    assert.deepEqual(strip(again), strip(doc));
    // Importing it again: fail, then skip, then overwrite.
    await rejectsWith(importSubtree(b, '/restore/e', doc), 'NODEEXISTS', /nothing was written/);
    assert.equal((await importSubtree(b, '/restore/e', doc, { conflict: 'skip' })).skipped.length, 5);
    b.nodes.get('/restore/e')!.data = Buffer.from('x');
    const o = await importSubtree(b, '/restore/e', doc, { conflict: 'overwrite' });
    assert.equal(o.updated, 5);
    assert.deepEqual(Buffer.from(b.nodes.get('/restore/e')!.data), Buffer.from([0, 255, 0, 128]));
    b.options.readOnly = true;
    await rejectsWith(importSubtree(b, '/other', doc), 'READ_ONLY_GUARD', /refused to import to \/other/);
  });

  it('parseSubtreeExport says what is wrong, and puts parents first', () => {
    const good = {
      format: 'zookeeper-explorer/subtree',
      version: 1,
      exportedAt: '',
      root: '/x',
      summary: { nodes: 2, dataBytes: 0, ephemeral: 0, maxDepth: 1, restrictedAcl: 0 },
      nodes: [
        { path: '/a', data: 'AA==', stat: {} },
        { path: '/', data: '', stat: {} },
      ],
    };
    assert.deepEqual(parseSubtreeExport(good).nodes.map((n) => n.path), ['/', '/a']);
    const bad = (patch: object, re: RegExp) => assert.throws(() => parseSubtreeExport({ ...good, ...patch }), (e: ZkError) => e.code === 'INVALID_EXPORT' && re.test(e.message));
    bad({ format: 'zkcli' }, /"format" is "zkcli"/);
    bad({ version: 2, aclMode: 'hidden' }, /"aclMode" is "hidden"/);
    bad({ version: 1, aclMode: 'redactDigest' }, /needs format version 2/);
    bad({ nodes: [{ path: '/', data: '', acl: [{ perms: 32, scheme: 'world', id: 'anyone' }] }] }, /perms 32 is not a permission mask/);
    bad({ nodes: [{ path: '/', data: '', acl: [{ perms: 0, scheme: 'world', id: 'anyone' }] }] }, /perms 0 is not a permission mask/);
    bad({ nodes: [{ path: '/', data: '', acl: [{ perms: 31, scheme: 'world', id: 'everyone' }] }] }, /only the id "anyone"/);
    bad({ nodes: [{ path: '/', data: '', acl: [{ perms: 31, scheme: 'digest', id: 'admin:secret' }] }] }, /looks like a password/);
    bad({ nodes: [{ path: '/', data: '', acl: [{ perms: 31, scheme: 'ip', id: '10.0.0.0/99' }] }] }, /not a prefix length/);
    bad({ nodes: [{ path: '/', data: '', acl: [{ perms: 31, scheme: 'a b', id: 'x' }] }] }, /not a scheme name/);
    bad({ nodes: [{ path: '/', data: '', acl: [{ perms: 31, scheme: 'digest', id: 'admin:<redacted>' }] }] }, /not a digest hash/);
    bad({ nodes: [] }, /non-empty/);
    bad({ nodes: [{ path: '/', data: 'not base64!' }] }, /not base64/);
    bad({ nodes: [{ path: '/', data: '' }, { path: '/a/b', data: '' }] }, /parent of \/a\/b is missing/);
    bad({ nodes: [{ path: '/a', data: '' }] }, /root .* is missing/);
    bad({ nodes: [{ path: '/', data: '' }, { path: '/a/', data: '' }] }, /must not end with/);
    bad({ nodes: [{ path: '/', data: '', acl: [{ perms: 'all' }] }] }, /ACL entry/);
    assert.throws(() => parseSubtreeExport('{not json'), /not JSON/);
    bad({ format: undefined }, /it has no "format" field/);
    bad({ version: 3 }, /version 3 is not supported: the file was written by a newer ZooKeeper Explorer/);
    bad({ version: '1' }, /version "1" is not supported/);
    bad({ root: undefined }, /"root" must be the exported path/);
  });

  it('planImport says what exists, which parents are missing, and writes nothing', async () => {
    const a = new FakeZk();
    a.put('/e', 'root');
    a.put('/e/x', Buffer.from([1, 2, 3]));
    a.put('/e/x/y', '');
    a.put('/e/eph', 'e', undefined, '0xabc');
    const doc = await exportSubtree(a, '/e');
    const b = new FakeZk();
    const fresh = await planImport(b, '/r/s/e', JSON.stringify(doc));
    assert.deepEqual(fresh.missingParents, ['/r', '/r/s']);
    assert.deepEqual(fresh.existing, []);
    assert.deepEqual(fresh.ephemeral, ['/r/s/e/eph']);
    assert.equal(fresh.nodes, 4);
    assert.equal(fresh.dataBytes, 4 + 3 + 1);
    assert.equal(fresh.atomic, true);
    assert.equal(b.total(), 1, 'nothing written');
    assert.equal(b.calls.create ?? 0, 0);
    assert.equal(b.calls.multi ?? 0, 0);
    // Written with what the plan said; then the same plan again finds every node.
    const r = await importSubtree(b, '/r/s/e', fresh.doc, { createParents: true });
    assert.deepEqual(r.parentsCreated, ['/r', '/r/s']);
    assert.equal(r.created, 4);
    const again = await planImport(b, '/r/s/e', doc);
    assert.deepEqual(again.missingParents, []);
    assert.deepEqual(again.existing.sort(), ['/r/s/e', '/r/s/e/eph', '/r/s/e/x', '/r/s/e/x/y']);
    assert.deepEqual(again.ephemeral, []);
    // Partly there: only those count.
    b.drop('/r/s/e/x');
    assert.deepEqual((await planImport(b, '/r/s/e', doc)).existing.sort(), ['/r/s/e', '/r/s/e/eph']);
    // A whole-tree export into '/': the root is no conflict.
    const whole = await exportSubtree(a, '/');
    const c = new FakeZk();
    assert.deepEqual((await planImport(c, '/', whole)).existing, []);
    b.options.readOnly = true;
    await rejectsWith(planImport(b, '/other', doc), 'READ_ONLY_GUARD', /refused to import to \/other/);
    await rejectsWith(planImport(c, '/x', { ...doc, format: 'other' } as unknown as typeof doc), 'INVALID_EXPORT');
  });

  it('refuses an import holding a node too large for one request before writing anything', async () => {
    const a = new FakeZk();
    a.put('/big', 'small');
    a.put('/big/a', 'a');
    a.put('/big/huge', Buffer.alloc(2000, 7));
    a.put('/big/z', 'z');
    const doc = await exportSubtree(a, '/big');
    const b = new FakeZk();
    b.options.maxRequestBytes = 1500;
    await rejectsWith(planImport(b, '/big', doc), 'DATA_TOO_LARGE', /Cannot import to \/big: a node is too large to write on "fake" \(\/big\/huge: 2,000 bytes of data, a request of 2,\d{3} bytes; ZooKeeper's limit, jute.maxbuffer, is 1,500 bytes\); nothing was written/);
    await rejectsWith(importSubtree(b, '/big', doc, { maxBatchOps: 1 }), 'DATA_TOO_LARGE', /nothing was written/);
    assert.equal(b.total(), 1, 'nothing written');
    // A node just within the limit alone goes through (the check matches the client's own).
    const exact = multiOpBytes({ type: 'create', path: '/big/huge', data: Buffer.alloc(2000), acl: [...OPEN_ACL_UNSAFE] }) - 1;
    b.options.maxRequestBytes = exact;
    assert.equal((await importSubtree(b, '/big', doc)).created, 4);
    // Copies too.
    const c = new FakeZk();
    c.options.maxRequestBytes = exact - 1;
    await rejectsWith(copySubtree(a, '/big', c, '/big'), 'DATA_TOO_LARGE', /Cannot copy to \/big: a node is too large/);
    assert.equal(c.total(), 1);
  });
});
