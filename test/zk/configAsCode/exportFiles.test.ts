import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  convertExportToFolder, convertFolderToExport, exportFileSizeProblem, takenEntries, treeFromExportFile, MAX_EXPORT_FILE_BYTES,
} from '../../../src/zk/configAsCode/exportFiles';
import { nodeFolderPort } from '../../../src/zk/configAsCode/folderPort';
import { EXPORT_FORMAT, parseSubtreeExport, type SubtreeExport } from '../../../src/zk/subtree';
import { MemoryFolder } from './memoryFolder';
import { messageOfError, renderMessage } from '../../../src/zk/message';
import { marking, untranslated } from '../markingTranslate';

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');
const stat = (version: number, ephemeralOwner = '0x0', numChildren = 0) => ({
  czxid: '0x1', mzxid: '0x1', pzxid: '0x1', ctime: 0, mtime: 0, version, cversion: 0, aversion: 0, ephemeralOwner, ephemeral: ephemeralOwner !== '0x0', dataLength: 0, numChildren,
});

/** An export as Export Subtree… writes it: a JSON node, a binary one, a name no file system takes as is, an ephemeral node. */
function exportDoc(): SubtreeExport {
  return {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: '2026-12-02T08:00:00.000Z',
    root: '/app',
    source: 'staging',
    summary: { nodes: 5, dataBytes: 0, ephemeral: 1, maxDepth: 1, restrictedAcl: 0 },
    nodes: [
      { path: '/', data: '', stat: stat(0, '0x0', 4) },
      { path: '/settings', data: b64('{"a":1}\n'), stat: stat(3) },
      { path: '/blob', data: b64(new Uint8Array([0xff, 0, 0xfe])), stat: stat(0) },
      { path: '/a:b', data: b64('colon'), stat: stat(0) },
      { path: '/lock-0000000001', data: b64('held'), stat: stat(0, '0x10000abc') },
    ],
  } as unknown as SubtreeExport;
}

const bytesOf = (doc: unknown) => new Uint8Array(Buffer.from(JSON.stringify(doc, null, 2)));

describe('config as code: export file ↔ folder', () => {
  it('an export file becomes a folder, and the folder an export of the same nodes, data byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zk-export-folder-'));
    try {
      const port = nodeFolderPort(dir);
      const result = await convertExportToFolder(bytesOf(exportDoc()), 'app.json', port);
      assert.deepEqual({ root: result.root, nodes: result.nodes, folders: result.folders }, { root: '/app', nodes: 5, folders: 1 });
      assert.deepEqual(readdirSync(dir).sort(), ['.znode.json', 'a%3Ab', 'blob', 'lock-0000000001', 'settings.json']);
      assert.equal(readFileSync(join(dir, 'settings.json'), 'utf8'), '{"a":1}\n');
      assert.ok(readFileSync(join(dir, 'blob')).equals(Buffer.from([0xff, 0, 0xfe])));
      const meta = JSON.parse(readFileSync(join(dir, '.znode.json'), 'utf8'));
      assert.equal(meta.source.root, '/app');
      assert.equal(meta.files['lock-0000000001'].mode, 'ephemeral');

      const back = await convertFolderToExport(port);
      const doc = parseSubtreeExport(back.text); // what Import Subtree… reads
      assert.equal(doc.root, '/app');
      assert.equal(doc.source, 'staging');
      const data = new Map(doc.nodes.map((n) => [n.path, n.data]));
      assert.deepEqual(data, new Map(exportDoc().nodes.map((n) => [n.path, n.data])));
      assert.equal(doc.nodes.find((n) => n.path === '/settings')?.stat.version, 3, 'the exported version is kept');
      assert.equal(doc.nodes.find((n) => n.path === '/lock-0000000001')?.stat.ephemeral, true);
      assert.ok(back.text.endsWith('}\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not an export, saying why, and writes nothing', async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['empty', new Uint8Array(0), /Cannot convert x\.json: the file is empty\. Nothing was written\./],
      ['binary', new Uint8Array([0xff, 0xfe, 0x00, 0x80]), /not a text file \(not UTF-8\)/],
      ['not JSON', new Uint8Array(Buffer.from('{"format": ')), /not a subtree export of Export Subtree… \(it is not JSON/],
      ['other JSON', bytesOf({ name: 'package', version: '1.0.0' }), /it has no "format" field/],
      ['damaged', bytesOf({ ...exportDoc(), nodes: [{ path: '/', data: '' }, { path: '/x/y', data: '' }] }), /the parent of \/x\/y is missing/],
      ['escaping path', bytesOf({ ...exportDoc(), nodes: [{ path: '/', data: '' }, { path: '/../etc', data: '' }] }), /Cannot convert x\.json/],
    ];
    for (const [what, bytes, message] of cases) {
      const port = new MemoryFolder();
      await assert.rejects(convertExportToFolder(bytes, 'x.json', port), (e: Error & { code?: string }) => {
        assert.match(e.message, message, what);
        assert.equal(e.code, 'INVALID_EXPORT', what);
        return true;
      });
      assert.deepEqual([...port.entries.keys()], [''], `${what}: nothing written`);
    }
    assert.throws(() => treeFromExportFile(new Uint8Array(Buffer.from('\ufeff' + JSON.stringify({ format: 'other' }))), 'bom.json'), /"format" is "other"/);
  });

  it('refuses a file too large before reading it', () => {
    assert.equal(exportFileSizeProblem(1024, 'a.json'), undefined);
    assert.match(renderMessage(exportFileSizeProblem(MAX_EXPORT_FILE_BYTES + 1, 'a.json')!), /Cannot convert a\.json: the file has [\d,]+ bytes, more than a conversion reads/);
  });

  it("says why a file cannot be converted in the user's language (the parser's own words quoted as they are)", () => {
    const texts = [renderMessage(exportFileSizeProblem(MAX_EXPORT_FILE_BYTES + 1, 'a.json')!, marking)];
    const damaged = [
      Buffer.from('{"format": '),
      bytesOf({ name: 'package' }),
      bytesOf({ ...exportDoc(), format: 'other' }),
      bytesOf({ ...exportDoc(), version: 99 }),
      bytesOf({ ...exportDoc(), aclMode: 'x' }),
      bytesOf({ ...exportDoc(), nodes: [] }),
      bytesOf({ ...exportDoc(), nodes: [{ path: '/', data: '' }, { path: '/x/y', data: '' }] }),
      bytesOf({ ...exportDoc(), nodes: [{ path: '/', data: '' }, { path: '/a', data: '%%%' }] }),
      bytesOf({ ...exportDoc(), nodes: [{ path: '/', data: '' }, { path: '/a', data: '', acl: [] }] }),
      bytesOf({ ...exportDoc(), nodes: [{ path: '/', data: '' }, { path: '/', data: '' }] }),
      bytesOf({ ...exportDoc(), nodes: [{ path: '/', data: '' }, { path: 'rel', data: '' }] }),
    ];
    for (const bytes of [new Uint8Array(0), new Uint8Array([0xff, 0xfe, 0x00, 0x80]), ...damaged.map((b) => new Uint8Array(b))]) {
      try {
        treeFromExportFile(bytes, 'x.json');
      } catch (e) {
        texts.push(renderMessage(messageOfError(e), marking));
      }
    }
    assert.equal(texts.length, 14);
    for (const text of texts) assert.equal(untranslated(text), '', text);
    assert.match(texts[3], /^«Cannot convert x\.json: «not a subtree export of Export Subtree… \(«it is not JSON \([^«»]+\)»\)»\. Nothing was written\.»$/);
    assert.equal(texts[1], '«Cannot convert x.json: «the file is empty». Nothing was written.»');
  });

  it('says what is in a target folder apart from tool files (the caller asks before writing there)', async () => {
    const port = new MemoryFolder();
    assert.deepEqual(await takenEntries(port), []);
    await port.write('.git', new Uint8Array(0));
    assert.deepEqual(await takenEntries(port), [], '.git alone does not count');
    await port.write('notes.txt', new Uint8Array(Buffer.from('mine')));
    assert.deepEqual((await takenEntries(port)).map((e) => e.name), ['notes.txt']);
  });

  it('a folder that is not made of nodes is refused with the file and the reason', async () => {
    const port = new MemoryFolder();
    await port.write('.znode.json', new Uint8Array(Buffer.from('{ broken')));
    await assert.rejects(convertFolderToExport(port), /\.znode\.json: not JSON/);
  });
});
