// Export Subtree… and Import Subtree… in the real VS Code (code-server in chromium) against two real
// standalone servers, A (seeded with the sample data, connection "alpha") and B (empty, "beta"),
// through VS Code's own file dialogs (in a browser, the simple file dialog: a quick input one types
// a path into):
// - export /binary of "alpha" (a 512-byte binary node, gzip, an ephemeral node) from its row's
//   context menu to a file in the workspace; the file holds every node, its bytes in base64; Open;
// - import that file from the "beta" row's context menu at another path, /restored/binary: the
//   modal preview (counts, size, source, the missing parent, the ephemeral node), Import, the
//   report; every node and byte checked on B by a ZkClient, the ephemeral one persistent (zkCli.sh);
// - import it again from the palette: the preview asks what to do with the existing nodes, and
//   Overwrite puts back data changed on B meanwhile;
// - import a JSON file that is not an export: a clear error, and nothing written on B.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { digestId, PERMS } from '../../src/zk/acl';
import { ZkClient } from '../../src/zk/client';
import { seedSampleData } from '../fixtures/sampleData';
import { ZkCluster, zkCli } from '../harness/zookeeper';
import { descriptionMatches, expandRow as expand, useWorkbench, waitFor } from './workbench';
import { answerFileDialog } from './fileDialog';

const ALPHA = 'alpha';
const BETA = 'beta';
const EXPORT_FILE = 'binary-export.json';
const NOT_AN_EXPORT = 'package-like.json';
const TARGET = '/restored/binary';
const SECRET_FILE = 'secret-export.json';
const SECRET_ID = digestId('ops', 'e2e-secret');

/** Every node of a subtree, relative to `root` ('.' for the root), with its data. */
async function subtree(client: ZkClient, root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (path: string): Promise<void> => {
    const { data } = await client.getData(path);
    out.set(path === root ? '.' : path.slice(root === '/' ? 0 : root.length), Buffer.from(data));
    const { children } = await client.getChildren(path);
    for (const c of children.sort()) await walk(path === '/' ? `/${c}` : `${path}/${c}`);
  };
  await walk(root);
  return out;
}

describe('e2e: export and import a subtree through files', function () {
  this.timeout(240_000);
  let a: ZkCluster | undefined;
  let b: ZkCluster | undefined;
  let seeder: ZkClient | undefined; // A's seeding session: it owns the ephemeral nodes
  let beta: ZkClient | undefined; // checks B
  let binary: Uint8Array = new Uint8Array(0);
  const settings: Record<string, unknown> = {};

  before(async function () {
    this.timeout(180_000);
    [a, b] = await Promise.all([ZkCluster.startStandalone(), ZkCluster.startStandalone()]);
    seeder = new ZkClient({ connectString: a.connectString });
    beta = new ZkClient({ connectString: b.connectString });
    await Promise.all([seeder.connect(), beta.connect()]);
    binary = (await seedSampleData(seeder, { bigChildren: 100 })).binary;
    await seeder.create('/binary/session', Buffer.from('held by the seeder'), { mode: 'ephemeral' });
    // Readable by all, administered by a digest user: its ACL holds a password hash.
    await seeder.create('/withSecret', Buffer.from('s'), {
      acl: [{ perms: PERMS.READ, scheme: 'world', id: 'anyone' }, { perms: PERMS.ALL, scheme: 'digest', id: SECRET_ID }],
    });
    settings['zookeeper.connections'] = [
      { name: ALPHA, connectString: a.connectString },
      { name: BETA, connectString: b.connectString },
    ];
  });
  const wb = useWorkbench({
    scenario: 'exportImport',
    settings,
    files: { [NOT_AN_EXPORT]: `${JSON.stringify({ name: 'my-app', version: '1.0.0', dependencies: {} }, null, 2)}\n` },
  });
  after(async () => {
    await Promise.all([seeder?.close(), beta?.close()]);
    await Promise.all([a?.close(), b?.close()]);
  });

  it('exports /binary of "alpha" from its context menu to a JSON file in the workspace, every byte in it', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await expand(await w.waitForTreeItem(ALPHA, 20_000, view));
    const row = await w.waitForTreeItem('binary', 20_000, view);
    await w.contextMenu(row, 'Export Subtree…');

    const file = join(w.folder, EXPORT_FILE);
    const proposed = await answerFileDialog(w, 'Export /binary on "alpha" to a file', file);
    assert.match(proposed, /\/alpha-binary\.json$/, 'the proposed file name');
    const toast = await w.waitForNotification(/Exported 4 nodes \([\d.]+ (B|KiB) of data\) from \/binary on "alpha" to binary-export\.json\./, 30_000);
    assert.match(await toast.innerText(), /1 ephemeral node included: an import creates it as a persistent node\./);
    console.log(`      screenshot: ${await w.screenshot('exportImport-exported')}`);

    // The file: the domain's export document, data in base64, byte for byte what A holds.
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      format: string; version: number; root: string; source: string; summary: { nodes: number; ephemeral: number };
      nodes: { path: string; data: string; stat: { ephemeral: boolean } }[];
    };
    assert.equal(doc.format, 'zookeeper-explorer/subtree');
    assert.equal(doc.version, 1);
    assert.equal(doc.root, '/binary');
    assert.equal(doc.source, ALPHA);
    assert.deepEqual(doc.summary.nodes, 4);
    assert.deepEqual(doc.nodes.map((n) => n.path).sort(), ['/', '/blob', '/config.json.gz', '/session']);
    const source = await subtree(seeder!, '/binary');
    for (const n of doc.nodes) {
      const rel = n.path === '/' ? '.' : n.path;
      assert.ok(Buffer.from(n.data, 'base64').equals(source.get(rel)!), `the data of ${n.path} in the file`);
    }
    assert.ok(Buffer.from(doc.nodes.find((n) => n.path === '/blob')!.data, 'base64').equals(Buffer.from(binary)));
    assert.equal(doc.nodes.find((n) => n.path === '/session')!.stat.ephemeral, true);

    // Open shows the file in an editor.
    await toast.getByRole('button', { name: 'Open' }).click();
    const editor = w.page.locator('.editor-group-container.active .editor-instance .view-lines').last();
    await waitFor(async () => /"format": "zookeeper-explorer\/subtree"/.test((await editor.innerText().catch(() => '')).replace(/\u00a0/g, ' ')), 20_000, `${EXPORT_FILE} in an editor`);
    await w.runCommand('View: Close All Editors');
    w.assertNoExtensionErrors();
  });

  it('exporting a node whose ACL holds a digest password hash warns and offers to redact it; the file has no hash', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await expand(await w.waitForTreeItem(ALPHA, 20_000, view));
    const row = await w.waitForTreeItem('withSecret', 20_000, view);
    await w.contextMenu(row, 'Export Subtree…');
    const file = join(w.folder, SECRET_FILE);
    await answerFileDialog(w, 'Export /withSecret on "alpha" to a file', file);
    await w.waitQuickTitle('1 node under /withSecret has digest ACL entries: their ids hold password hashes (unsalted SHA-1)', 20_000);
    console.log(`      screenshot: ${await w.screenshot('exportImport-acl-choice')}`);
    await w.pickQuickItem('Redact digest ids');
    await w.waitForNotification(/Exported 1 node .* to secret-export\.json\. Digest ids redacted \(no password hashes in the file\)\./, 30_000);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(SECRET_ID.split(':')[1]), 'no password hash in the file');
    const doc = JSON.parse(text) as { version: number; aclMode: string; nodes: { acl: { id: string }[] }[] };
    assert.equal(doc.version, 2);
    assert.equal(doc.aclMode, 'redactDigest');
    assert.deepEqual(doc.nodes[0].acl.map((a) => a.id), ['anyone', 'ops:<redacted>']);
    w.assertNoExtensionErrors();
  });

  it('imports the file into "beta" at /restored/binary from its row, after a preview, every node and byte', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    const betaRow = await w.waitForTreeItem(BETA, 10_000, view);
    await expand(betaRow);
    // The row's menu follows its state: only a connected, writable connection offers Import.
    await descriptionMatches(betaRow, /^connected/);
    await w.contextMenu(betaRow, 'Import Subtree…');

    await answerFileDialog(w, 'Import a subtree into "beta"', join(w.folder, EXPORT_FILE));
    await w.waitQuickTitle('Import /binary of "alpha" into "beta"');
    assert.equal(await w.quickInput.locator('input').inputValue(), '/binary', 'from a connection row: where it came from');
    await w.answerQuickInput(TARGET);

    const dialog = w.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await dialog.innerText();
    assert.match(text, /Import 4 nodes \([\d.]+ (B|KiB)\) from "alpha" \/binary into \/restored\/binary on "beta"\?/);
    assert.match(text, /From binary-export\.json, exported on \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);
    assert.match(text, /Missing parent created first, empty: \/restored\./);
    assert.match(text, /1 node was ephemeral when exported: created as persistent\./);
    assert.match(text, /New nodes are written in one atomic transaction\./);
    assert.equal(await dialog.getByRole('button', { name: 'Overwrite' }).count(), 0, 'nothing exists: no conflict policy to choose');
    console.log(`      screenshot: ${await w.screenshot('exportImport-preview')}`);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });

    await w.waitForNotification(
      'Imported into /restored/binary on "beta": 4 created, 0 skipped (existing), 0 overwritten. Created the missing parent /restored. 1 ephemeral node written as persistent.',
      30_000,
    );
    const source = await subtree(seeder!, '/binary');
    const copied = await subtree(beta!, TARGET);
    assert.deepEqual([...copied.keys()], [...source.keys()]);
    for (const [rel, data] of source) assert.ok(copied.get(rel)!.equals(data), `the data of ${TARGET}${rel === '.' ? '' : rel} on B`);
    assert.ok(copied.get('/blob')!.equals(Buffer.from(binary)));
    const stat = await zkCli(b!.servers[0].address, ['stat', `${TARGET}/session`]);
    assert.match(stat.stdout, /ephemeralOwner = 0x0\s*$/m);
    // The imported root is revealed under "beta".
    await w.waitForTreeItem('restored', 15_000, view);
    const selected = view.locator('.monaco-list-row[role="treeitem"][aria-selected="true"]').filter({ has: w.page.locator('.label-name', { hasText: /^\s*binary\s*$/ }) });
    await selected.waitFor({ state: 'visible', timeout: 15_000 });
    w.assertNoExtensionErrors();
  });

  it('imports it again from the palette: the preview asks about existing nodes, and Overwrite restores changed data', async () => {
    const w = wb();
    await beta!.setData(`${TARGET}/blob`, Buffer.from('changed on beta'), -1);
    await w.runCommand('ZooKeeper: Import Subtree…');
    await w.waitQuickTitle('Import Subtree: choose the connection to import into');
    await w.pickQuickItem(BETA);
    await answerFileDialog(w, 'Import a subtree into "beta"', join(w.folder, EXPORT_FILE));
    await w.waitQuickTitle('Import /binary of "alpha" into "beta"');
    await w.answerQuickInput(TARGET);

    const dialog = w.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await dialog.innerText();
    assert.match(text, /Import 4 nodes .* into \/restored\/binary on "beta"\?/);
    assert.match(text, /4 of these nodes already exist on "beta" \(first: \/restored\/binary\)\. Skip existing keeps them as they are; Overwrite replaces their data and ACL\./);
    await dialog.getByRole('button', { name: 'Skip existing' }).waitFor({ state: 'visible', timeout: 5_000 });
    console.log(`      screenshot: ${await w.screenshot('exportImport-conflict')}`);
    await dialog.getByRole('button', { name: 'Overwrite' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });

    await w.waitForNotification('Imported into /restored/binary on "beta": 0 created, 0 skipped (existing), 4 overwritten.', 30_000);
    assert.ok(Buffer.from((await beta!.getData(`${TARGET}/blob`)).data).equals(Buffer.from(binary)), 'the binary data is back');
    w.assertNoExtensionErrors();
  });

  it('refuses a JSON file that is not an export with a clear error, and writes nothing', async () => {
    const w = wb();
    const before = await subtree(beta!, '/');
    await w.runCommand('ZooKeeper: Import Subtree…');
    await w.waitQuickTitle('Import Subtree: choose the connection to import into');
    await w.pickQuickItem(BETA);
    await answerFileDialog(w, 'Import a subtree into "beta"', join(w.folder, NOT_AN_EXPORT));

    const error = await w.waitForNotification(`Cannot import ${NOT_AN_EXPORT}: Not a usable subtree export: it has no "format" field`, 20_000);
    assert.match(await error.innerText(), /Nothing was imported\./);
    console.log(`      screenshot: ${await w.screenshot('exportImport-not-an-export')}`);
    // No path was asked for, no preview shown, and B is as it was.
    assert.equal(await w.page.locator('.monaco-dialog-box').count(), 0);
    assert.equal(await w.quickInput.isVisible(), false);
    const after = await subtree(beta!, '/');
    assert.deepEqual([...after.keys()], [...before.keys()]);
    for (const [p, data] of before) assert.ok(after.get(p)!.equals(data), `${p} unchanged`);
    w.assertNoExtensionErrors();
  });
});
