// Find in Subtree against a real ZooKeeper server: names, paths and data (text, gzip, binary),
// hostile names, nodes this session may not read, nodes deleted while the search runs, the match cap
// and cancel.
import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { digestId, PERMS } from '../../../src/zk/acl';
import { ZkClient, type MultiOp } from '../../../src/zk/client';
import { isZkError } from '../../../src/zk/errors';
import { searchSubtree, type NodeResult } from '../../../src/zk/search/searchSubtree';
import type { SearchQuery } from '../../../src/zk/search/query';
import { ZkCluster } from '../../harness/zookeeper';

const q = (text: string, over: Partial<SearchQuery> = {}): SearchQuery => ({ text, mode: 'substring', caseSensitive: false, target: 'all', ...over });

describe('searchSubtree (real ZooKeeper)', function () {
  this.timeout(60_000);
  let cluster: ZkCluster;
  let zk: ZkClient;

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startStandalone();
    zk = new ZkClient({ connectString: cluster.connectString, requestTimeoutMs: 20_000 });
    await zk.connect();
    const ops: MultiOp[] = [
      { type: 'create', path: '/s' },
      { type: 'create', path: '/s/config.json', data: Buffer.from('{\n  "broker": "kafka-1:9092",\n  "retries": 3\n}') },
      { type: 'create', path: '/s/gz', data: gzipSync(Buffer.from('line one\ncompressed broker here')) },
      { type: 'create', path: '/s/bin', data: Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]) },
      { type: 'create', path: '/s/\u202Ebroker\u200B', data: Buffer.from('x') },
      { type: 'create', path: '/s/deep' },
      { type: 'create', path: '/s/deep/er' },
      { type: 'create', path: '/s/deep/er/broker-leaf', data: Buffer.from('') },
      { type: 'create', path: '/s/many' },
    ];
    for (let i = 0; i < 300; i++) ops.push({ type: 'create', path: `/s/many/n${i}`, data: Buffer.from(`value needle ${i}`) });
    await zk.multi(ops);
    await zk.create('/s/secret', Buffer.from('broker secret'), { acl: [{ perms: PERMS.ALL, scheme: 'digest', id: digestId('u', 'p') }] });
  });
  after(async () => {
    await zk?.close();
    await cluster?.close();
  });

  const run = async (query: SearchQuery, opts: Parameters<typeof searchSubtree>[3] = {}) => {
    const results: NodeResult[] = [];
    const summary = await searchSubtree(zk, '/s', query, { ...opts, onResult: (r) => results.push(r) });
    return { summary, results, byPath: new Map(results.map((r) => [r.path, r])) };
  };

  it('finds names, paths and data (text and gzip) with lines and previews; unreadable nodes are listed, not fatal', async () => {
    const { summary, byPath } = await run(q('broker'));
    const json = byPath.get('/s/config.json')!;
    assert.deepEqual(json.dataMatches.map((m) => [m.line, m.column, m.preview]), [[1, 3, '  "broker": "kafka-1:9092",']]);
    assert.equal(json.dataAs, 'utf-8');
    const gz = byPath.get('/s/gz')!;
    assert.equal(gz.dataAs, 'gzip');
    assert.deepEqual(gz.dataMatches.map((m) => [m.line, m.column]), [[1, 11]]);
    assert.equal(byPath.get('/s/\u202Ebroker\u200B')!.nameMatches.length, 1, 'a hostile name is matched as the exact string');
    assert.ok(byPath.get('/s/deep/er/broker-leaf')!.pathMatches.length > 0);
    assert.deepEqual(summary.unreadable, ['/s/secret']);
    assert.ok(!byPath.has('/s/bin'));
    assert.equal(summary.binarySkipped, 1);
    assert.equal(summary.truncated, false);
    assert.equal(summary.visited, 309, '/s and 308 readable nodes below it; /s/secret is listed as unreadable');
  });

  it('searches binary data as hex when asked', async () => {
    const { byPath } = await run(q('de ad be ef', { target: 'data' }), { binary: 'hex' });
    assert.equal(byPath.get('/s/bin')?.dataAs, 'hex');
  });

  it('names only does not read data; depth limits how far it goes', async () => {
    const names = await run(q('broker*', { mode: 'glob', target: 'names' }));
    assert.deepEqual([...names.byPath.keys()], ['/s/deep/er/broker-leaf']);
    const shallow = await run(q('broker', { target: 'names' }), { maxDepth: 2 });
    assert.ok(!shallow.byPath.has('/s/deep/er/broker-leaf'), 'depth 3 is not reached with maxDepth 2');
  });

  it('stops at the match cap and says so', async () => {
    const { summary, results } = await run(q('needle', { target: 'data' }), { maxResults: 50 });
    assert.equal(summary.truncated, true);
    assert.equal(summary.matches, 50);
    assert.equal(results.length, 50);
  });

  it('a cancel ends the search with CANCELLED', async () => {
    const ac = new AbortController();
    let seen = 0;
    await assert.rejects(
      searchSubtree(zk, '/s', q('needle'), { signal: ac.signal, concurrency: 1, onResult: () => ++seen === 5 && ac.abort() }),
      (e: unknown) => isZkError(e, 'CANCELLED'),
    );
  });

  it('nodes deleted while the search runs are skipped quietly', async () => {
    const other = new ZkClient({ connectString: cluster.connectString });
    await other.connect();
    try {
      await other.create('/s/vanishing');
      for (let i = 0; i < 200; i++) await other.create(`/s/vanishing/v${i}`, Buffer.from('needle'));
      let deleting: Promise<unknown> | undefined;
      const { summary } = await run(q('needle', { target: 'data' }), {
        concurrency: 2,
        onProgress: () => {
          deleting ??= (async () => {
            for (let i = 0; i < 200; i++) await other.remove(`/s/vanishing/v${i}`, -1).catch(() => undefined);
          })();
        },
      });
      await deleting;
      assert.equal(summary.truncated, false);
      assert.ok(summary.visited >= 300);
    } finally {
      await other.close();
    }
  });
});
