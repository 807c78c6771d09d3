// Integration tests of planImport and of the request-size check of imports (src/zk/subtree.ts)
// against two real standalone servers: an export of A is planned and imported into B, and zkCli.sh
// checks independently what B holds.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { exportSubtree, importSubtree, planImport, walkSubtree, type SubtreeExport } from '../../src/zk/subtree';
import { ZkCluster, zkCli } from '../harness/zookeeper';
import { rejectsWith } from '../helpers';

/** Every node under root: relative path -> data as hex. */
async function tree(zk: ZkClient, root: string): Promise<Map<string, string>> {
  const walk = await walkSubtree(zk, root, { withData: true });
  return new Map(walk.nodes.map((n) => [n.path === root ? '/' : n.path.slice(root.length), Buffer.from(n.data ?? []).toString('hex')]));
}

describe('import planning and request sizes against real servers', function () {
  this.timeout(120_000);
  let A: ZkCluster | undefined;
  let B: ZkCluster | undefined;
  let a: ZkClient;
  let b: ZkClient;

  before(async function () {
    this.timeout(90_000);
    [A, B] = await Promise.all([ZkCluster.startStandalone(), ZkCluster.startStandalone()]);
    a = new ZkClient({ connectString: A.connectString, name: 'A' });
    b = new ZkClient({ connectString: B.connectString, name: 'B' });
    await Promise.all([a.connect(), b.connect()]);
  });

  after(async () => {
    await Promise.all([a?.close(), b?.close()].map((p) => p?.catch(() => undefined)));
    await Promise.all([A?.close(), B?.close()]);
  });

  const cli = async (cluster: ZkCluster, ...args: string[]): Promise<string> => {
    const r = await zkCli(cluster.servers[0].address, args);
    return `${r.stdout}\n${r.stderr}`;
  };

  it('plans an import (missing parents, existing nodes, ephemeral ones) without writing, then imports what it planned', async () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
    await a.create('/plan', Buffer.from('{"plan":true}'));
    await a.create('/plan/binary', binary);
    await a.create('/plan/empty');
    await a.create('/plan/empty/leaf', Buffer.from('leaf'));
    await a.create('/plan/session-', Buffer.from('eph'), { mode: 'ephemeralSequential' });
    const doc = await exportSubtree(a, '/plan');
    assert.equal(doc.source, 'A');
    assert.equal(doc.summary.ephemeral, 1);
    const text = JSON.stringify(doc, null, 2);

    const plan = await planImport(b, '/x/y/plan', text);
    assert.deepEqual(plan.missingParents, ['/x', '/x/y']);
    assert.deepEqual(plan.existing, []);
    assert.equal(plan.ephemeral.length, 1);
    assert.match(plan.ephemeral[0], /^\/x\/y\/plan\/session-\d{10}$/);
    assert.equal(plan.nodes, 5);
    assert.equal(plan.dataBytes, 13 + 256 + 4 + 3);
    assert.equal(plan.atomic, true);
    assert.equal(await b.exists('/x'), undefined, 'planning wrote nothing');
    assert.doesNotMatch(await cli(B!, 'ls', '/'), /\bx\b/);

    const r = await importSubtree(b, '/x/y/plan', plan.doc, { createParents: true });
    assert.equal(r.created, 5);
    assert.deepEqual(r.parentsCreated, ['/x', '/x/y']);
    assert.equal(r.atomic, true);
    assert.deepEqual(await tree(b, '/x/y/plan'), await tree(a, '/plan'));
    assert.ok(Buffer.from((await b.getData('/x/y/plan/binary')).data).equals(binary));
    const stat = await cli(B!, 'stat', plan.ephemeral[0]);
    assert.match(stat, /ephemeralOwner = 0x0\s*$/m, 'the ephemeral node arrived as a persistent one');

    // Again: every node exists now; nothing is missing.
    const again = await planImport(b, '/x/y/plan', doc);
    assert.deepEqual(again.missingParents, []);
    assert.equal(again.existing.length, 5);
    assert.equal(again.existing[0], '/x/y/plan');
    const skipped = await importSubtree(b, '/x/y/plan', again.doc, { conflict: 'skip' });
    assert.equal(skipped.created, 0);
    assert.equal(skipped.skipped.length, 5);
  });

  it('refuses an import holding a node over ZooKeeper\'s request limit before writing anything; 1 MB just under it goes', async () => {
    const under = Buffer.alloc(1_040_000, 0xa5);
    await a.create('/sizes', Buffer.from('root'));
    await a.create('/sizes/small', Buffer.from('s'));
    await a.create('/sizes/large', under);
    const doc = await exportSubtree(a, '/sizes');
    // A file that holds more than any default server accepts (1 MiB of data in one node).
    const over: SubtreeExport = JSON.parse(JSON.stringify(doc));
    over.nodes.push({ ...over.nodes[1], path: '/zz-over', data: Buffer.alloc(1_048_576, 1).toString('base64') });

    const e = await rejectsWith(planImport(b, '/sizes', over), 'DATA_TOO_LARGE', /Cannot import to \/sizes: a node is too large to write on "B" \(\/sizes\/zz-over: 1,048,576 bytes of data/);
    assert.match(e.message, /jute\.maxbuffer, is 1,048,575 bytes\); nothing was written$/);
    await rejectsWith(importSubtree(b, '/sizes', over), 'DATA_TOO_LARGE', /nothing was written/);
    await rejectsWith(importSubtree(b, '/sizes', over, { conflict: 'skip', maxBatchOps: 1 }), 'DATA_TOO_LARGE', /nothing was written/);
    assert.equal(await b.exists('/sizes'), undefined);
    assert.doesNotMatch(await cli(B!, 'ls', '/'), /sizes/);

    // The export itself, with its 1,040,000-byte node, is imported whole.
    const plan = await planImport(b, '/sizes', doc);
    assert.equal(plan.atomic, false);
    const r = await importSubtree(b, '/sizes', plan.doc);
    assert.equal(r.created, 3);
    assert.ok(Buffer.from((await b.getData('/sizes/large')).data).equals(under));
  });
});
