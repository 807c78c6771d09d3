import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigTree } from '../../../src/zk/configAsCode/configTree';
import { layOut, naturalExtension, readFolder, writeFolder } from '../../../src/zk/configAsCode/folderLayout';
import { nodeFolderPort } from '../../../src/zk/configAsCode/folderPort';
import { exportFromTree, treeFromExport } from '../../../src/zk/configAsCode/exportConvert';
import { modeOfOwner } from '../../../src/zk/configAsCode/configTree';
import { assertEmptyFolder } from '../../../src/zk/configAsCode/pull';
import { parseSubtreeExport } from '../../../src/zk/subtree';
import { MemoryFolder } from './memoryFolder';

const t = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const digest = [{ perms: 31, scheme: 'digest', id: 'admin:x1nq8J69m4/sXJdI5UZ3bGDEFfA=' }];
const open = [{ perms: 31, scheme: 'world', id: 'anyone' }];

function sample(): ConfigTree {
  const binary = new Uint8Array(256).map((_, i) => 255 - i);
  return {
    source: { connection: 'staging', root: '/config', pulledAt: '2026-12-02T08:00:00.000Z' },
    nodes: [
      { rel: '/', data: t('{"root":true}'), meta: { mode: 'persistent', acl: open, version: 3, aversion: 0 } },
      { rel: '/app', data: new Uint8Array(0), meta: { mode: 'persistent', acl: open, version: 0, aversion: 0 } },
      { rel: '/brokers', data: t('{"b":1}'), meta: { mode: 'container', acl: open, version: 1, aversion: 0 } },
      { rel: '/app/settings', data: t('{"a":1}'), meta: { mode: 'persistent', acl: digest, version: 7, aversion: 2 } },
      { rel: '/app/settings.json', data: t('{"other":2}'), meta: { mode: 'persistent', acl: open, version: 0, aversion: 0 } },
      { rel: '/app/logging', data: t('root:\n  level: INFO\n'), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/db', data: t('a.b=1\nc=2\n'), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/beans', data: t('<?xml version="1.0"?>\n<beans/>\n'), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/README', data: t('just text\n'), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/empty', data: new Uint8Array(0), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/blob', data: binary, meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/CON', data: t('device'), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/a:b', data: t('colon'), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/back\\slash', data: t('bs'), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/Config', data: t('upper'), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/config', data: t('lower'), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/trailing. ', data: t('td'), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/.znode.json', data: t('not the metadata'), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/session-0000000001', data: t('eph'), meta: { mode: 'ephemeral', ephemeralOwner: '0x10000abc', version: 0 } },
      { rel: '/brokers/ids', data: new Uint8Array(0), meta: { mode: 'persistent', version: 0 } },
      { rel: '/brokers/cache', data: t('x'), meta: { mode: 'ttl', ttlMs: 3_600_000, version: 0 } },
      { rel: '/brokers/ids/1', data: t('{"host":"b1"}'), meta: { mode: 'persistent', version: 4 } },
    ],
  };
}

function sameTree(actual: ConfigTree, expected: ConfigTree): void {
  const key = (tree: ConfigTree) =>
    new Map(tree.nodes.map((n) => [n.rel, { data: Buffer.from(n.data).toString('hex'), meta: JSON.stringify(n.meta ?? null, Object.keys(n.meta ?? {}).sort()) }]));
  assert.deepEqual(key(actual), key(expected));
}

describe('config as code: folder layout', () => {
  it('lays out files with natural extensions, folders with .znode-data, one .znode.json per folder', () => {
    const l = layOut(sample());
    const files = new Set(l.files.map((f) => f.file));
    for (const f of [
      '.znode-data.json',
      '.znode.json',
      'app/settings.json',
      'app/logging.yaml',
      'app/db.properties',
      'app/beans.xml',
      'app/README',
      'app/empty',
      'app/blob',
      'app/%43ON',
      'app/a%3Ab',
      'app/back%5Cslash',
      'app/trailing.%20',
      'app/%2Eznode.json',
      'brokers/.znode-data.json',
      'brokers/cache',
      'brokers/ids/1.json',
      'brokers/ids/.znode.json',
      'app/.znode.json',
    ]) {
      assert.ok(files.has(f), `${f} in ${[...files].join(', ')}`);
    }
    // 'settings' (JSON, no extension) and 'settings.json' would both be settings.json: neither gets an extension.
    assert.equal(l.where.get('/app/settings'), 'app/settings');
    assert.equal(l.where.get('/app/settings.json'), 'app/settings.json');
    assert.notEqual(l.where.get('/app/Config')?.toLowerCase(), l.where.get('/app/config')?.toLowerCase());
    assert.deepEqual(l.dirs, ['', 'app', 'brokers', 'brokers/ids']);
    const meta = JSON.parse(Buffer.from(l.files.find((f) => f.file === 'app/.znode.json')?.data ?? []).toString('utf8'));
    assert.equal(meta.node.name, 'app');
    assert.equal(meta.files['logging.yaml'].name, 'logging');
    assert.deepEqual(meta.files['settings'].acl, digest);
    assert.equal(meta.files['session-0000000001'].mode, 'ephemeral');
  });

  it('natural extensions only for text of a known language whose name has none', () => {
    assert.equal(naturalExtension('id', t('{"a":1}')), '.json');
    assert.equal(naturalExtension('id.txt', t('{"a":1}')), '');
    assert.equal(naturalExtension('x', t('just words')), '');
    assert.equal(naturalExtension('x', new Uint8Array([0xff, 0xfe, 0x7b, 0x7d])), '');
  });

  for (const fs of [{ name: 'a case-sensitive', opts: {} }, { name: 'a case-insensitive Windows-like', opts: { foldCase: true, windows: true } }]) {
    it(`writes and reads back the same tree, byte for byte, on ${fs.name} file system`, async () => {
      const port = new MemoryFolder(fs.opts);
      const tree = sample();
      await writeFolder(tree, port);
      const back = await readFolder(port);
      sameTree(back.tree, tree);
      assert.deepEqual(back.tree.source, tree.source);
      assert.deepEqual(back.removed, new Map());
    });
  }

  it("keeps as many writes in flight as the port asks for (the node:fs port: a batch of its worker)", async () => {
    const peaks: number[] = [];
    for (const writesInFlight of [2, undefined]) {
      const memory = new MemoryFolder();
      let running = 0;
      let peak = 0;
      const port = {
        list: memory.list.bind(memory),
        read: memory.read.bind(memory),
        mkdir: memory.mkdir.bind(memory),
        description: memory.description,
        writesInFlight,
        async write(file: string, data: Uint8Array) {
          peak = Math.max(peak, ++running);
          await new Promise((resolve) => setImmediate(resolve));
          running--;
          return memory.write(file, data);
        },
      };
      await writeFolder(sample(), port);
      peaks.push(peak);
    }
    // sample() has 19 files and more: the default (32) writes them all at once.
    assert.deepEqual(peaks, [2, layOut(sample()).files.length]);
    assert.equal(nodeFolderPort(tmpdir()).writesInFlight, 256);
  });

  it('on disk too (node:fs); a symbolic link and .git are ignored, not nodes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zk-folder-'));
    try {
      const port = nodeFolderPort(dir);
      await assertEmptyFolder(port);
      await writeFolder(sample(), port);
      await assert.rejects(assertEmptyFolder(port), /not empty/);
      assert.equal(readFileSync(join(dir, 'app', 'a%3Ab'), 'utf8'), 'colon');
      writeFileSync(join(dir, '.git'), 'gitdir: elsewhere');
      symlinkSync('/etc/passwd', join(dir, 'app', 'link'));
      const back = await readFolder(port);
      sameTree(back.tree, sample());
      assert.deepEqual(back.ignored.sort(), ['.git', 'app/link']);
      assert.ok(readdirSync(join(dir, 'app')).includes('%43ON'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('edits in the folder: changed file, new file (named by decoding), new folder, deleted file and folder', async () => {
    const port = new MemoryFolder();
    await writeFolder(sample(), port);
    await port.write('app/settings', t('{"a":2}'));
    await port.write('app/new%3Anode', t('fresh'));
    await port.mkdir('app/newdir');
    await port.write('app/newdir/leaf.json', t('{}'));
    port.remove('app/logging.yaml');
    port.remove('brokers/ids');
    const back = await readFolder(port);
    const rels = new Map(back.tree.nodes.map((n) => [n.rel, n]));
    assert.equal(Buffer.from(rels.get('/app/settings')?.data ?? []).toString(), '{"a":2}');
    assert.equal(rels.get('/app/settings')?.meta?.version, 7, 'the pulled version stays with the node');
    assert.equal(Buffer.from(rels.get('/app/new:node')?.data ?? []).toString(), 'fresh');
    assert.equal(rels.get('/app/new:node')?.meta, undefined);
    assert.ok(rels.has('/app/newdir'));
    assert.ok(rels.has('/app/newdir/leaf.json'), 'a new file keeps its extension as part of the name');
    assert.ok(!rels.has('/app/logging'));
    assert.ok(!rels.has('/brokers/ids'));
    assert.deepEqual([...back.removed.keys()].sort(), ['/app/logging', '/brokers/ids']);
    assert.equal(back.removed.get('/app/logging')?.version, 0);
  });

  it('refuses with the file and a reason: bad metadata, two files for one node, a second data file', async () => {
    const port = new MemoryFolder();
    await writeFolder(sample(), port);
    await port.write('app/.znode.json', t('{ nope'));
    await assert.rejects(readFolder(port), (e: Error) => /app\/\.znode\.json: not JSON/.test(e.message));
    await writeFolder(sample(), (port.remove('app'), port));
    await port.write('app/logging', t('dup'));
    await assert.rejects(readFolder(port), /stands for the node "logging"/);
    port.remove('app/logging');
    await port.write('.znode-data.txt', t('second'));
    await assert.rejects(readFolder(port), /the folder's data is in \.znode-data\.json/);
    port.remove('.znode-data.txt');
    const meta = JSON.parse(port.text('.znode.json'));
    meta.node.acl = [{ perms: 99, scheme: 'world', id: 'anyone' }];
    await port.write('.znode.json', t(JSON.stringify(meta)));
    await assert.rejects(readFolder(port), /perms 99/);
  });

  it('converts to and from the export JSON of Export Subtree', async () => {
    const tree = sample();
    const doc = exportFromTree(tree);
    const checked = parseSubtreeExport(JSON.parse(JSON.stringify(doc)));
    assert.equal(checked.root, '/config');
    assert.equal(checked.summary.ephemeral, 1);
    const back = treeFromExport(JSON.stringify(doc));
    // The export format always has an ACL version (0 when the folder did not know it).
    for (const n of tree.nodes) if (n.meta && n.meta.aversion === undefined) n.meta.aversion = 0;
    sameTree(back, tree);
  });

  it('reads modes out of ephemeralOwner', () => {
    assert.deepEqual(modeOfOwner('0x0'), { mode: 'persistent' });
    assert.deepEqual(modeOfOwner('0x8000000000000000'), { mode: 'container' });
    assert.deepEqual(modeOfOwner('0xff0000000036ee80'), { mode: 'ttl', ttlMs: 3_600_000 });
    assert.deepEqual(modeOfOwner('0x100007f3a2b0001'), { mode: 'ephemeral' });
  });
});
