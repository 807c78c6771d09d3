// A search of names or paths on a real server rides on the walk of names (multiRead batches of
// getChildren) and reads a Stat for the matched nodes alone: the server sees a few batches and one
// `exists` per match, never a getData or a Stat request for a node that does not match.
import * as assert from 'node:assert/strict';
import { ZkClient, type MultiOp } from '../../../src/zk/client';
import { isZkError } from '../../../src/zk/errors';
import { searchSubtree, type NodeResult } from '../../../src/zk/search/searchSubtree';
import type { SearchQuery } from '../../../src/zk/search/query';
import type { SubtreeClient } from '../../../src/zk/subtree';
import { fourLetterWord, ZkCluster } from '../../harness/zookeeper';

const names = (text: string): SearchQuery => ({ text, mode: 'substring', caseSensitive: false, target: 'names' });

/** Packets the server received on a session so far (`cons`: recved), pings included. */
async function receivedOn(port: number, sessionId: string): Promise<number> {
  const cons = await fourLetterWord(port, 'cons', 5000);
  const line = cons.split('\n').find((l) => l.includes(`sid=${sessionId},`) || l.includes(`sid=${sessionId})`));
  const m = line && /recved=(\d+)/.exec(line);
  if (!m) throw new Error(`session ${sessionId} not found in cons:\n${cons}`);
  return Number(m[1]);
}

/** The client as the search sees it, counting the reads it asks for; `beforeExists` runs before each exists. */
function counting(zk: ZkClient, beforeExists?: (path: string) => Promise<void>) {
  const calls = { getData: 0, getChildren: 0, exists: [] as string[], multiRead: 0 };
  const client: SubtreeClient = Object.create(zk) as SubtreeClient;
  Object.assign(client, {
    getData: (p: string) => (calls.getData++, zk.getData(p)),
    getChildren: (p: string) => (calls.getChildren++, zk.getChildren(p)),
    exists: async (p: string) => {
      calls.exists.push(p);
      await beforeExists?.(p);
      return zk.exists(p);
    },
    multiRead: (ops: Parameters<ZkClient['multiRead']>[0]) => (calls.multiRead++, zk.multiRead(ops)),
  });
  return { client, calls };
}

describe('names-only search (real ZooKeeper)', function () {
  this.timeout(60_000);
  let cluster: ZkCluster;
  let zk: ZkClient;
  const NODES = 1 + 10 * 101; // /ns, 10 folders, 100 leaves each

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startStandalone();
    zk = new ZkClient({ connectString: cluster.connectString, requestTimeoutMs: 20_000 });
    await zk.connect();
    const ops: MultiOp[] = [{ type: 'create', path: '/ns' }];
    for (let f = 0; f < 10; f++) {
      ops.push({ type: 'create', path: `/ns/f${f}` });
      for (let i = 0; i < 100; i++) ops.push({ type: 'create', path: `/ns/f${f}/leaf${i}`, data: Buffer.from(i === 7 ? 'seven bytes!' : 'x') });
    }
    await zk.multi(ops);
  });
  after(async () => {
    await zk?.close();
    await cluster?.close();
  });

  it('reads a Stat for the matches only: the server sees a few batches and one exists per match', async () => {
    const { client, calls } = counting(zk);
    const port = cluster.servers[0].clientPort;
    const before = await receivedOn(port, zk.sessionId!);
    const results: NodeResult[] = [];
    const summary = await searchSubtree(client, '/ns', names('leaf7'), { onResult: (r) => results.push(r) });
    const received = (await receivedOn(port, zk.sessionId!)) - before;

    // leaf7 and leaf70..leaf79 in each of the 10 folders
    assert.equal(summary.visited, NODES);
    assert.equal(summary.matchedNodes, 110);
    assert.equal(results.length, 110);
    assert.equal(calls.getData, 0, 'no data is read');
    assert.equal(calls.getChildren, 0, 'no node is listed on its own: the walk of names lists in batches');
    assert.deepEqual(results.map((r) => r.path), calls.exists, 'a Stat is read for the matches and nothing else; results leave in the order they matched');
    // The batches, the 110 exists, and a ping or two; a Stat per node would be over 1,000.
    assert.ok(received <= calls.multiRead + 110 + 5, `the server received ${received} requests for ${calls.multiRead} batches and 110 matches`);
    assert.equal(results.find((r) => r.path === '/ns/f3/leaf7')?.dataBytes, 12, 'the row still shows the data size, from the Stat');
    assert.equal(results.find((r) => r.path === '/ns/f3/leaf71')?.dataBytes, 1);
  });

  it('paths are matched the same way; the cap counts name matches', async () => {
    const { client, calls } = counting(zk);
    const results: NodeResult[] = [];
    const summary = await searchSubtree(client, '/ns', { ...names('f4/leaf'), target: 'paths' }, { maxResults: 30, onResult: (r) => results.push(r) });
    assert.equal(summary.truncated, true);
    assert.equal(summary.matches, 30);
    assert.equal(results.length, 30);
    assert.ok(results.every((r) => r.path.startsWith('/ns/f4/leaf')));
    assert.equal(calls.getData, 0);
    assert.equal(calls.exists.length, 30);
  });

  it('a matched node deleted before its Stat is read is skipped quietly and not counted', async () => {
    const other = new ZkClient({ connectString: cluster.connectString });
    await other.connect();
    try {
      await other.create('/ns/f9/leaf7-gone', Buffer.from('x'));
      const { client } = counting(zk, async (p) => {
        if (p === '/ns/f9/leaf7-gone') await other.remove(p, -1);
      });
      const results: NodeResult[] = [];
      const summary = await searchSubtree(client, '/ns', names('leaf7'), { onResult: (r) => results.push(r) });
      assert.equal(results.length, 110);
      assert.ok(!results.some((r) => r.path === '/ns/f9/leaf7-gone'));
      assert.equal(summary.matchedNodes, 110);
      assert.equal(summary.matches, 110);
    } finally {
      await other.close();
    }
  });

  it('a cancel while the Stats are read ends with CANCELLED and hands on nothing more', async () => {
    const ac = new AbortController();
    let after = 0;
    const { client } = counting(zk, async (p) => {
      if (p === '/ns/f0/leaf7') ac.abort();
    });
    await assert.rejects(
      searchSubtree(client, '/ns', names('leaf7'), { signal: ac.signal, onResult: () => {
        if (ac.signal.aborted) after++;
      } }),
      (e: unknown) => isZkError(e, 'CANCELLED'),
    );
    assert.equal(after, 0, 'no result after the cancel');
  });
});
