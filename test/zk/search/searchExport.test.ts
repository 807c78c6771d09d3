// Find in Export File (src/zk/search/searchExport.ts, exportScanner.ts): the file as Export Subtree
// writes it, read in chunks of any size; matches in names, paths and data as the live search finds
// them; the cap; the node read back from where the result says; and hostile files, each refused
// with what is wrong.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isZkError } from '../../../src/zk/errors';
import { EXPORT_FORMAT, type ExportedNode, type SubtreeExport } from '../../../src/zk/subtree/exportFormat';
import type { SearchQuery } from '../../../src/zk/search/query';
import { readExportedNode, searchExport, type ExportNodeResult, type ExportSearchOptions } from '../../../src/zk/search/searchExport';

const stat = (dataLength: number): ExportedNode['stat'] => ({
  czxid: '0x1', mzxid: '0x1', pzxid: '0x1', ctime: null, mtime: null, version: 0, cversion: 0, aversion: 0,
  ephemeralOwner: '0x0', ephemeral: false, dataLength, numChildren: 0,
});
const node = (path: string, data: string | Buffer = ''): ExportedNode => {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { path, data: bytes.toString('base64'), acl: [{ perms: 31, scheme: 'world', id: 'anyone' }] as never, stat: stat(bytes.length) };
};

function exportDoc(nodes: ExportedNode[], over: Partial<SubtreeExport> = {}): SubtreeExport {
  return {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: '2026-12-02T10:00:00.000Z',
    root: '/config',
    summary: { nodes: nodes.length, dataBytes: 0, ephemeral: 0, maxDepth: 2, restrictedAcl: 0 },
    nodes,
    ...over,
  };
}

/** The file as Export Subtree writes it (indented, final newline). */
const fileText = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

/** A source that hands out `text` in chunks of `size` bytes and counts what was read. */
function chunked(text: string | Buffer, size: number) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const counter = { read: 0, opened: 0 };
  const source = () => {
    counter.opened++;
    return (async function* () {
      for (let i = 0; i < bytes.length; i += size) {
        counter.read += Math.min(size, bytes.length - i);
        yield bytes.subarray(i, i + size);
      }
    })();
  };
  return { source, counter, bytes };
}

const query = (text: string, over: Partial<SearchQuery> = {}): SearchQuery => ({ text, mode: 'substring', caseSensitive: false, target: 'all', ...over });

async function run(text: string | Buffer, q: SearchQuery, opts: ExportSearchOptions = {}, size = 4096) {
  const results: ExportNodeResult[] = [];
  const { source, counter, bytes } = chunked(text, size);
  const summary = await searchExport(source, q, { ...opts, onResult: (r) => results.push(r) });
  return { results, summary, counter, bytes };
}

async function refusal(text: string | Buffer, opts: ExportSearchOptions = {}): Promise<string> {
  try {
    await run(text, query('x'), opts, 16);
  } catch (e) {
    assert.ok(isZkError(e, 'INVALID_EXPORT'), `an INVALID_EXPORT error, not ${String(e)}`);
    return (e as Error).message;
  }
  assert.fail('the file was accepted');
}

const tree = [
  node('/', 'root data'),
  node('/app', 'name=orders\ndb.url=jdbc:postgresql://db:5432/orders\npool=20\n'),
  node('/app/db', 'host=db'),
  node('/app/db/orders-replica', 'x'),
  node('/app/blob', Buffer.from([0, 1, 2, 3, 0xff])),
  node('/app/zipped', gzipSync(Buffer.from('compressed orders here'))),
  node('/app/weird "name" {with} [brackets] \\ and \u00e9\u4e2d', 'orders inside'),
];

describe('searchExport', () => {
  it('finds names, paths and data under the export root, the same in any chunk size', async () => {
    const text = fileText(exportDoc(tree));
    const seen: string[] = [];
    for (const size of [1, 7, 100, 1 << 16]) {
      const { results, summary } = await run(text, query('orders'), {}, size);
      assert.equal(summary.visited, tree.length);
      const shape = JSON.stringify(results.map((r) => [r.path, r.nameMatches.length, r.pathMatches.length, r.dataMatches.map((m) => [m.line, m.column, m.preview]), r.dataAs]));
      seen.push(shape);
    }
    assert.equal(new Set(seen).size, 1, 'the chunk size changes nothing');
    const { results, summary } = await run(text, query('orders'));
    const byPath = new Map(results.map((r) => [r.path, r]));
    assert.deepEqual([...byPath.keys()], ['/config/app', '/config/app/db/orders-replica', '/config/app/zipped', '/config/app/weird "name" {with} [brackets] \\ and \u00e9\u4e2d']);
    const app = byPath.get('/config/app')!;
    assert.deepEqual(app.dataMatches.map((m) => [m.line, m.column]), [[0, 5], [1, 33]]);
    assert.equal(app.dataMatches[1].preview, 'db.url=jdbc:postgresql://db:5432/orders');
    assert.deepEqual(byPath.get('/config/app/db/orders-replica')!.nameMatches, [{ line: 0, column: 0, length: 6 }]);
    assert.equal(byPath.get('/config/app/zipped')!.dataAs, 'gzip');
    assert.equal(summary.binarySkipped, 1);
    assert.equal(summary.root, '/config');
    assert.equal(summary.header.exportedAt, '2026-12-02T10:00:00.000Z');
  });

  it('names the exported root by its own name, honours the depth, and lists the unreadable nodes', async () => {
    const text = fileText(exportDoc(tree, { unreadable: ['/secret'] }));
    const { results } = await run(text, query('config', { target: 'names' }));
    assert.deepEqual(results.map((r) => r.path), ['/config']);
    const shallow = await run(text, query('orders'), { maxDepth: 1 });
    assert.deepEqual(shallow.results.map((r) => r.path), ['/config/app']);
    assert.equal(shallow.summary.visited, 2);
    assert.deepEqual(shallow.summary.unreadable, ['/config/secret']);
  });

  it('stops at the cap without reading the rest of the file', async () => {
    const many = [node('/'), ...Array.from({ length: 2000 }, (_, i) => node(`/n${i}`, `match ${i}`))];
    const { results, summary, counter, bytes } = await run(fileText(exportDoc(many)), query('match', { target: 'data' }), { maxResults: 25 }, 1024);
    assert.equal(results.length, 25);
    assert.equal(summary.truncated, true);
    assert.equal(summary.matches, 25);
    assert.ok(counter.read < bytes.length / 10, `read ${counter.read} of ${bytes.length} bytes`);
  });

  it('reads a file whose header comes after its nodes, in a second pass', async () => {
    const doc = exportDoc(tree);
    const reordered = { nodes: doc.nodes, format: doc.format, version: doc.version, root: '/', summary: doc.summary };
    const { results, counter } = await run(fileText(reordered), query('replica'));
    assert.deepEqual(results.map((r) => r.path), ['/app/db/orders-replica']);
    assert.equal(counter.opened, 3, 'the header pass stopped at the nodes, a second read the header, a third the search');
  });

  it('reads a matched node back from where its result says, and notices when the file changed', async () => {
    const text = fileText(exportDoc(tree));
    const { results, bytes } = await run(text, query('orders'));
    const r = results.find((x) => x.path === '/config/app/zipped')!;
    const slice = bytes.subarray(r.at.offset, r.at.offset + r.at.length);
    const read = readExportedNode(slice, '/app/zipped');
    assert.deepEqual(read.data, tree[5].data ? Buffer.from(tree[5].data, 'base64') : undefined);
    assert.throws(() => readExportedNode(slice, '/app/db'), /changed since it was searched/);
    assert.throws(() => readExportedNode(bytes.subarray(r.at.offset + 3, r.at.offset + r.at.length), '/app/zipped'), /changed since it was searched/);
  });

  it('reads a real file through a read stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zk-export-search-'));
    try {
      const file = join(dir, 'export.json');
      writeFileSync(file, fileText(exportDoc(tree)));
      const results: ExportNodeResult[] = [];
      await searchExport(() => createReadStream(file, { highWaterMark: 64 }), query('host'), { onResult: (r) => results.push(r) });
      assert.deepEqual(results.map((r) => r.path), ['/config/app/db']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops when cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(run(fileText(exportDoc(tree)), query('orders'), { signal: abort.signal }), (e: unknown) => isZkError(e, 'CANCELLED'));
  });

  describe('hostile files', () => {
    it('refuses what is not JSON, or not an object', async () => {
      assert.match(await refusal('hello world'), /not a JSON object/);
      assert.match(await refusal('[1, 2, 3]'), /not a JSON object/);
      assert.match(await refusal(''), /the file is empty/);
    });

    it('refuses other JSON documents, early when they say another format', async () => {
      assert.match(await refusal(JSON.stringify({ name: 'my-package', version: '1.0.0' })), /no "format" field/);
      const other = fileText({ format: 'something-else', nodes: tree });
      const { source, counter } = chunked(other, 16);
      await assert.rejects(searchExport(source, query('x')), /"format" is "something-else", expected "zookeeper-explorer\/subtree"/);
      assert.ok(counter.read < 64, `refused after ${counter.read} bytes`);
      assert.match(await refusal(fileText(exportDoc(tree, { version: 3 as never }))), /version 3 is not supported/);
      assert.match(await refusal(fileText(exportDoc(tree, { root: 'config' }))), /"root" must be the exported path/);
    });

    it('refuses a cut-short file, broken JSON and trailing bytes, saying so', async () => {
      const text = fileText(exportDoc(tree));
      assert.match(await refusal(text.slice(0, Math.floor(text.length / 2))), /cut short/);
      assert.match(await refusal(text.replace('"summary": {', '"summary": {,')), /not valid JSON/);
      assert.match(await refusal(text + '{}'), /more after the end/);
      assert.match(await refusal(`${JSON.stringify({ format: EXPORT_FORMAT, version: 1, root: '/' })}`), /no "nodes" array/);
    });

    it('refuses bad nodes with their index', async () => {
      const base = exportDoc(tree);
      assert.match(await refusal(fileText({ ...base, nodes: [node('/'), 42] })), /node 1 is not an object/);
      assert.match(await refusal(fileText({ ...base, nodes: [node('/'), { ...node('/a'), path: 'a' }] })), /node 1 \("a"\): a path must start with "\/"/);
      assert.match(await refusal(fileText({ ...base, nodes: [node('/'), { ...node('/a'), data: 'not base64!' }] })), /node 1 \("\/a"\): "data" is not base64/);
      assert.match(await refusal(fileText({ ...base, nodes: [node('/'), { ...node('/a'), path: undefined }] })), /node 1 has no path/);
    });

    it('bounds the memory a node or the header may take', async () => {
      assert.match(await refusal(fileText(exportDoc([node('/'), node('/big', 'x'.repeat(10_000))])), { maxNodeBytes: 4096 }), /node 1 takes more than 4,096 bytes/);
      const hugeHeader = `{"format": "${EXPORT_FORMAT}", "version": 1, "root": "/", "padding": "${'p'.repeat(10_000)}", "nodes": []}`;
      assert.match(await refusal(hugeHeader, { maxHeaderBytes: 4096 }), /besides "nodes" take more than 4,096 bytes/);
    });
  });
});
