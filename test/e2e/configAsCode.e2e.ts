// Config as code in the real VS Code (code-server in chromium) against two real standalone servers,
// A ("alpha", the source) and B ("beta"), through VS Code's own dialogs (in a browser, the simple
// file dialog: a quick input one types a path into):
// - Pull Subtree to Folder… from the /app row of "alpha" into a new folder of the workspace;
// - edit a file of that folder;
// - Compare Folder with Subtree (palette): VS Code's multi-file diff titled with the counts;
// - Apply Folder to Subtree… (palette) to another connection and path ("beta", /copied/app): the
//   plan report, the confirmation, the result; zkCli.sh and a client check what B holds;
// - Apply back to "alpha" /app (where it was pulled from): exactly the edit is applied;
// - Convert Export File to Folder… (palette) on an export of /app: the files are there; Convert
//   Folder to Export File… turns that folder back into the same nodes.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZkClient } from '../../src/zk/client';
import { exportSubtree, parseSubtreeExport } from '../../src/zk/subtree';
import { ZkCluster, zkCli } from '../harness/zookeeper';
import { expandRow as expand, useWorkbench, waitFor } from './workbench';
import { answerFileDialog } from './fileDialog';

const ALPHA = 'alpha';
const BETA = 'beta';
const SETTINGS = '{\n  "featureFlags": { "newCheckout": true },\n  "maxConnections": 200\n}\n';
const EDITED = '{\n  "featureFlags": { "newCheckout": false },\n  "maxConnections": 250\n}\n';

describe('e2e: config as code (pull, edit, compare, apply)', function () {
  this.timeout(300_000);
  let A: ZkCluster | undefined;
  let B: ZkCluster | undefined;
  let alpha: ZkClient | undefined;
  let beta: ZkClient | undefined;
  const settings: Record<string, unknown> = {};

  before(async function () {
    this.timeout(120_000);
    [A, B] = await Promise.all([ZkCluster.startStandalone(), ZkCluster.startStandalone()]);
    alpha = new ZkClient({ connectString: A.connectString });
    beta = new ZkClient({ connectString: B.connectString });
    await Promise.all([alpha.connect(), beta.connect()]);
    await alpha.create('/app');
    await alpha.create('/app/settings', Buffer.from(SETTINGS));
    await alpha.create('/app/db.properties', Buffer.from('db.pool.size=20\n'));
    await alpha.create('/app/a:b', Buffer.from('a name no file system takes as it is'));
    await alpha.create('/app/blob', Buffer.from([0xff, 0x00, 0xfe, 0x01]));
    settings['zookeeper.connections'] = [
      { name: ALPHA, connectString: A.connectString },
      { name: BETA, connectString: B.connectString },
    ];
  });
  const wb = useWorkbench({ scenario: 'configAsCode', settings });
  after(async () => {
    await Promise.all([alpha?.close(), beta?.close()]);
    await Promise.all([A?.close(), B?.close()]);
  });

  const pulled = () => join(wb().folder, 'pulled');

  it('pulls /app of "alpha" into a new folder from the row menu', async () => {
    const w = wb();
    const view = await w.openZooKeeperView(90_000); // the first test also waits for the extension host to start
    await expand(await w.waitForTreeItem(ALPHA, 20_000, view));
    await w.contextMenu(await w.waitForTreeItem('app', 20_000, view), 'Pull Subtree to Folder…');
    await answerFileDialog(w, 'Pull /app on "alpha" into a new folder', pulled());
    await w.waitForNotification(/Pulled 5 nodes \(\d+ files, 1 folder\) from \/app on "alpha" into pulled\./, 30_000);
    assert.equal(readFileSync(join(pulled(), 'settings.json'), 'utf8'), SETTINGS, 'JSON gets .json, byte for byte');
    assert.ok(existsSync(join(pulled(), 'a%3Ab')), 'a:b escaped');
    assert.ok(Buffer.from(readFileSync(join(pulled(), 'blob'))).equals(Buffer.from([0xff, 0x00, 0xfe, 0x01])));
    const meta = JSON.parse(readFileSync(join(pulled(), '.znode.json'), 'utf8'));
    assert.deepEqual(meta.source.connection, ALPHA);
    assert.equal(meta.files['settings.json'].name, 'settings');
    w.assertNoExtensionErrors();
  });

  it('an edited file shows in the multi-file diff of Compare Folder with Subtree, with the counts', async () => {
    const w = wb();
    writeFileSync(join(pulled(), 'settings.json'), EDITED);
    await w.runCommand('ZooKeeper: Compare Folder with Subtree');
    await answerFileDialog(w, 'Compare Folder with Subtree: choose a pulled folder', pulled(), { folder: true });
    await w.waitQuickTitle('Compare Folder with Subtree: pulled with which connection?');
    await w.pickQuickItem(ALPHA);
    await w.waitQuickTitle('Compare Folder with Subtree: pulled with which path on "alpha"?');
    assert.equal(await w.quickInput.locator('input').inputValue(), '/app', 'the pulled path is proposed');
    await w.answerQuickInput('/app');
    const counts = '0 to create, 1 to change, 0 to delete, 0 ACL changes, 4 unchanged';
    await w.waitForNotification(`pulled ↔ /app on "alpha": ${counts}.`, 30_000);
    const tab = w.page.locator('.tabs-container .tab', { hasText: 'pulled ↔ /app' });
    await tab.first().waitFor({ state: 'visible', timeout: 20_000 });
    const editor = w.page.locator('.editor-group-container.active');
    await waitFor(async () => /settings\.json/.test(await editor.innerText().catch(() => '')), 20_000, 'the multi-file diff to list settings.json');
    console.log(`      screenshot: ${await w.screenshot('configAsCode-compare')}`);
    await w.runCommand('View: Close All Editors');
    w.assertNoExtensionErrors();
  });

  it('applies the folder to another connection and path after the plan; zkCli.sh sees every node', async () => {
    const w = wb();
    await w.runCommand('ZooKeeper: Apply Folder to Subtree…');
    await answerFileDialog(w, 'Apply Folder to Subtree: choose a pulled folder', pulled(), { folder: true });
    await w.waitQuickTitle('Apply Folder to Subtree: pulled with which connection?');
    await w.pickQuickItem(BETA);
    await w.waitQuickTitle('Apply Folder to Subtree: pulled with which path on "beta"?');
    await w.answerQuickInput('/copied/app');
    await w.waitQuickTitle('Apply pulled to /copied/app on "beta": what about nodes that are not in the folder?');
    await w.pickQuickItem('Mirror');
    const dialog = w.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), /Apply pulled to \/copied\/app on "beta"\?[\s\S]*5 to create, 0 to change, 0 to delete, 0 ACL changes, 0 unchanged/);
    const report = w.page.locator('.editor-group-container.active');
    // The editor draws spaces as no-break spaces.
    await waitFor(async () => /To create \(5\)/.test((await report.innerText().catch(() => '')).replace(/\u00a0/g, ' ')), 20_000, 'the plan report to list the creates');
    console.log(`      screenshot: ${await w.screenshot('configAsCode-plan')}`);
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await w.waitForNotification(/Applied pulled to \/copied\/app on "beta": 6 changes in 1 transaction\b/, 30_000);
    const cli = await zkCli(B!.servers[0].address, ['get', '/copied/app/settings']);
    assert.match(cli.stdout, /"newCheckout": false/, 'the edited file, on B');
    for (const name of ['settings', 'db.properties', 'a:b', 'blob']) {
      const [a, b] = await Promise.all([alpha!.getData(`/app/${name}`), beta!.getData(`/copied/app/${name}`)]);
      if (name === 'settings') assert.equal(Buffer.from(b.data).toString(), EDITED);
      else assert.ok(Buffer.from(a.data).equals(Buffer.from(b.data)), name);
    }
    await w.runCommand('View: Close All Editors');
    w.assertNoExtensionErrors();
  });

  it('applies the edit back to where it was pulled from: exactly one change, checked with zkCli.sh', async () => {
    const w = wb();
    await w.runCommand('ZooKeeper: Apply Folder to Subtree…');
    await answerFileDialog(w, 'Apply Folder to Subtree: choose a pulled folder', pulled(), { folder: true });
    await w.waitQuickTitle('Apply Folder to Subtree: pulled with which connection?');
    await w.pickQuickItem(ALPHA);
    await w.waitQuickTitle('Apply Folder to Subtree: pulled with which path on "alpha"?');
    await w.answerQuickInput('/app');
    await w.waitQuickTitle('Apply pulled to /app on "alpha": what about nodes that are not in the folder?');
    await w.pickQuickItem('Add and Update Only');
    const dialog = w.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await dialog.innerText(), /0 to create, 1 to change, 0 to delete, 0 ACL changes, 4 unchanged/);
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await w.waitForNotification(/Applied pulled to \/app on "alpha": 1 change in 1 transaction\b/, 30_000);
    const cli = await zkCli(A!.servers[0].address, ['get', '/app/settings']);
    assert.match(cli.stdout, /"maxConnections": 250/);
    assert.equal((await alpha!.getData('/app/settings')).stat.version, 1);
    w.assertNoExtensionErrors();
  });

  it('converts an export file of /app into a folder and the folder back into an export file (palette)', async () => {
    const w = wb();
    const exportFile = join(wb().folder, 'app-export.json');
    const converted = join(wb().folder, 'converted');
    writeFileSync(exportFile, JSON.stringify(await exportSubtree(alpha!, '/app'), null, 2));
    await w.runCommand('ZooKeeper: Convert Export File to Folder…');
    await answerFileDialog(w, 'Convert Export File to Folder: choose an export file', exportFile);
    await answerFileDialog(w, 'Convert app-export.json (5 nodes of /app) into a folder', converted);
    await w.waitForNotification(/Converted app-export\.json \(5 nodes of \/app\) into converted: \d+ files written\./, 30_000);
    assert.deepEqual(readdirSync(converted).sort(), ['.znode.json', 'a%3Ab', 'blob', 'db.properties', 'settings.json']);
    const settingsNow = Buffer.from((await alpha!.getData('/app/settings')).data);
    assert.ok(readFileSync(join(converted, 'settings.json')).equals(settingsNow), 'the data of /app/settings, byte for byte');
    assert.ok(Buffer.from(readFileSync(join(converted, 'blob'))).equals(Buffer.from([0xff, 0x00, 0xfe, 0x01])));

    // And back: the folder as an export file that Import Subtree… reads.
    const back = join(wb().folder, 'converted-back.json');
    await w.runCommand('ZooKeeper: Convert Folder to Export File…');
    await answerFileDialog(w, 'Convert Folder to Export File: choose a folder', converted, { folder: true });
    await answerFileDialog(w, 'Save converted (5 nodes) as an export file', back);
    await w.waitForNotification(/Converted converted \(5 nodes of \/app\) into the export file converted-back\.json\./, 30_000);
    const doc = parseSubtreeExport(readFileSync(back, 'utf8'));
    const original = parseSubtreeExport(readFileSync(exportFile, 'utf8'));
    assert.deepEqual(new Map(doc.nodes.map((x) => [x.path, x.data])), new Map(original.nodes.map((x) => [x.path, x.data])), 'the same nodes, data byte for byte');
    w.assertNoExtensionErrors();
  });
});
