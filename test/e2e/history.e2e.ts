// Issue 18 end to end, in the real VS Code against a real 3.8 server whose data directory is the
// opened workspace folder: Open Transaction Log… on its version-2 folder (Explorer context menu)
// lists the logs and the newest snapshot in "Snapshots and Logs"; Show History on /app/config in the
// Connections tree lists its changes newest first; two selected open VS Code's diff editor between
// them; Restore This Version writes an old version back to the live server through the node's
// document (version-checked save), and the server then has that data. Then the watch log as history:
// a node watched from this VS Code changes and Show History lists that change, saying a watch saw it;
// and two snapshots compared (the one opened first and one written at a restart after more changes):
// Created/Deleted/Changed with counts, a changed node opening the diff editor between them.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { basename } from 'node:path';
import { diffSnapshots, hexLong, listDataDir, nodeHistory, readSnapshot } from '../../src/zk/persistence';
import { ZkCluster } from '../harness/zookeeper';
import { descriptionMatches, expandRow as expand, useWorkbench, waitFor, type WorkbenchOptions } from './workbench';

const CONNECTION = 'local';
const text = (s: string) => Buffer.from(s, 'utf8');

describe('e2e: snapshots, transaction logs and a znode\'s history', function () {
  this.timeout(300_000);
  let cluster: ZkCluster | undefined;
  let client: ZkClient | undefined;
  const options: WorkbenchOptions = { scenario: 'history', settings: {} };
  /** What the first test opened: the logs and the newest snapshot of the data directory then. */
  let openedLogs: string[] = [];
  let openedSnapshot = '';

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startStandalone({ extraConfig: { snapCount: '10' } });
    client = new ZkClient({ connectString: cluster.connectString });
    await client.connect();
    await client.create('/app', text(''));
    await client.create('/app/config', text('level=1'));
    for (let i = 2; i <= 4; i++) await client.setData('/app/config', text(`level=${i}`), -1);
    for (let i = 0; i < 12; i++) await client.create(`/filler-${i}`, text('x'));
    options.folder = cluster.servers[0].dataDir;
    options.settings!['zookeeper.connections'] = [{ name: CONNECTION, connectString: cluster.connectString }];
  });
  const wb = useWorkbench(options);
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it('opens the data directory, shows /app/config\'s history, diffs two versions and restores one', async () => {
    const w = wb();
    const files = await listDataDir(cluster!.servers[0].dataDir);
    const logs = files.filter((f) => f.kind === 'log').map((f) => f.path);
    openedLogs = logs;
    openedSnapshot = files.filter((f) => f.kind === 'snapshot').pop()!.path;
    const expected = (await nodeHistory(logs, '/app/config')).versions;
    assert.deepEqual(expected.map((v) => v.data?.toString()), ['level=4', 'level=3', 'level=2', 'level=1']);
    const label = (i: number) => `${hexLong(expected[i].zxid)} ${expected[i].change}`;

    // Explorer: the workspace is the server's data directory. The extension is activated first (by
    // its view): code-server shows an extension's Explorer menu entries only once it is running.
    await w.openZooKeeperView();
    await w.waitForActivation();
    const explorer = await w.openViewContainer('Explorer');
    const version2 = await w.waitForTreeItem('version-2', 20_000, explorer);
    await w.contextMenu(version2, 'Open Transaction Log…');
    const offline = w.view('Snapshots and Logs');
    await w.waitForTreeItem(/transaction log\(s\) in /, 20_000, offline);
    const snapshotRow = await w.waitForTreeItem(/^snapshot\.[0-9a-f]+ of version-2$/, 20_000, offline);
    // the command is done when it has selected the snapshot (it focuses the view until then)
    await waitFor(async () => (await snapshotRow.getAttribute('aria-selected')) === 'true', 20_000, 'the opened snapshot selected');

    // Show History from the live tree
    const view = await w.openZooKeeperView();
    await expand(await w.waitForTreeItem(CONNECTION, 20_000, view));
    await expand(await w.waitForTreeItem('app', 20_000, view));
    const config = await w.waitForTreeItem('config', 20_000, view);
    await w.contextMenu(config, 'Show History');
    await w.waitQuickTitle('History of /app/config: 4 change(s), newest first', 30_000);
    const rows = w.quickInput.locator('.monaco-list-row');
    await waitFor(async () => (await rows.count()) === 4, 10_000, 'four versions');
    // each row's label, then its detail ("7 B: level=4") in a second .label-name
    const labels = (await rows.locator('.label-name').allInnerTexts()).map((l) => l.trim());
    assert.deepEqual(labels.filter((l) => l.startsWith('0x')), [0, 1, 2, 3].map(label));
    assert.deepEqual(labels.filter((l) => !l.startsWith('0x')), ['7 B: level=4', '7 B: level=3', '7 B: level=2', '7 B: level=1']);

    // two versions: the diff editor, older on the left
    await w.pickQuickItem(label(1));
    await w.pickQuickItem(label(3));
    await w.quickInput.locator('input').press('Enter');
    const tab = w.page.locator('.editor-group-container.active .tab.active');
    await waitFor(async () => (await tab.innerText().catch(() => '')).includes(`${hexLong(expected[3].zxid)} ↔ ${hexLong(expected[1].zxid)}`), 20_000, 'the diff editor of two versions');
    const diff = w.page.locator('.monaco-diff-editor');
    await diff.first().waitFor({ state: 'visible', timeout: 10_000 });
    await waitFor(async () => {
      const t = await diff.first().innerText().catch(() => '');
      return t.includes('level=1') && t.includes('level=3');
    }, 10_000, 'both versions in the diff');

    // Restore This Version: level=2 goes back to the live server
    await w.contextMenu(config, 'Show History');
    await w.waitQuickTitle('History of /app/config', 30_000);
    const row = w.quickInput.locator('.monaco-list-row').filter({ has: w.page.locator('.label-name', { hasText: label(2) }) }).first();
    await row.hover();
    await row.locator('[aria-label="Restore This Version"], [title="Restore This Version"]').first().click();
    const dialog = w.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await dialog.innerText(), /Restore \/app\/config on "local" to its data after/);
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await w.waitForNotification(/Restored \/app\/config on "local"/, 30_000);
    const now = await client!.getData('/app/config');
    assert.equal(Buffer.from(now.data).toString(), 'level=2');
    assert.equal(now.stat.version, 4);
    w.assertNoExtensionErrors();
  });

  it('Show History lists a change a watch of this VS Code saw, and says where it was seen', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await expand(await w.waitForTreeItem(CONNECTION, 20_000, view));
    await expand(await w.waitForTreeItem('app', 20_000, view));
    const config = await w.waitForTreeItem('config', 20_000, view);
    await w.contextMenu(config, 'Watch Node');
    await waitFor(async () => (await w.decorationBadge(w.treeItem('config', view).first())) === 'W', 15_000, 'the "W" decoration on /app/config');
    await waitFor(() => w.outputChannelLog('ZooKeeper Watches').includes('/app/config: watching node'), 15_000, 'the watch announced');
    const stat = await client!.setData('/app/config', text('level=5'), -1);
    await waitFor(() => w.outputChannelLog('ZooKeeper Watches').includes('data changed /app/config'), 15_000, 'the change in the watch log');
    // the opened logs may hold it too (the server may still be writing the last of them)
    const inLogs = (await nodeHistory(openedLogs, '/app/config')).versions.some((v) => v.zxid === BigInt(stat.mzxid));
    const seen = inLogs ? 'in the log, seen by a watch' : 'seen by a watch';

    await w.contextMenu(config, 'Show History');
    await w.waitQuickTitle('History of /app/config', 30_000);
    const top = w.quickInput.locator('.monaco-list-row').first();
    await waitFor(async () => (await top.locator('.label-name').first().innerText().catch(() => '')).trim() === `${hexLong(BigInt(stat.mzxid))} setData`, 10_000, 'the watched change on top');
    assert.match(await top.locator('.label-description').first().innerText(), new RegExp(`· ${seen}$`));
    assert.ok((await top.innerText()).includes('7 B: level=5'), await top.innerText());
    await w.quickInput.locator('input').press('Escape');
    w.assertNoExtensionErrors();
  });

  it('compares two snapshots: counts of created, deleted and changed nodes, and a changed node in the diff editor', async () => {
    const w = wb();
    await client!.create('/app/added', text('new'));
    await client!.remove('/filler-0', -1);
    await client!.setData('/app/config', text('level=6'), -1);
    // a server writes a snapshot when it starts
    await cluster!.stop(1);
    await cluster!.start(1);
    const newest = (await listDataDir(cluster!.servers[0].dataDir)).filter((f) => f.kind === 'snapshot').pop()!.path;
    assert.notEqual(newest, openedSnapshot);
    const expected = diffSnapshots(await readSnapshot(openedSnapshot), await readSnapshot(newest));
    assert.ok(expected.created.includes('/app/added') && expected.deleted.includes('/filler-0'), JSON.stringify(expected));
    assert.ok(expected.changed.some((c) => c.path === '/app/config' && c.aspects.includes('data')));

    // the new snapshot from the Explorer, then Compare with Snapshot… on the one opened first
    const explorer = await w.openViewContainer('Explorer');
    await expand(await w.waitForTreeItem('version-2', 20_000, explorer));
    await w.contextMenu(await w.waitForTreeItem(basename(newest), 30_000, explorer), 'Open Snapshot…');
    const offline = w.view('Snapshots and Logs');
    await w.waitForTreeItem(`${basename(newest)} of version-2`, 20_000, offline);
    await w.contextMenu(await w.waitForTreeItem(`${basename(openedSnapshot)} of version-2`, 20_000, offline), 'Compare with Snapshot…');
    await w.pickQuickItem(`${basename(newest)} of version-2`);
    const root = await w.waitForTreeItem(`${basename(openedSnapshot)} ↔ ${basename(newest)} of version-2`, 20_000, offline);
    await descriptionMatches(root, new RegExp(`^${expected.created.length} created · ${expected.deleted.length} deleted · ${expected.changed.length} changed · ${expected.unchanged} unchanged$`));
    await w.waitForTreeItem(`Created (${expected.created.length})`, 10_000, offline);
    await w.waitForTreeItem(`Deleted (${expected.deleted.length})`, 10_000, offline);
    await expand(await w.waitForTreeItem(`Changed (${expected.changed.length})`, 10_000, offline));
    const changed = await w.waitForTreeItem('/app/config', 10_000, offline);
    await descriptionMatches(changed, /^data$/);
    await changed.click();
    const tab = w.page.locator('.editor-group-container.active .tab.active');
    await waitFor(async () => (await tab.innerText().catch(() => '')).includes(`${basename(openedSnapshot)} ↔ ${basename(newest)}`), 20_000, 'the diff editor of the two snapshots');
    const diff = w.page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ state: 'visible', timeout: 10_000 });
    const before = (await readSnapshot(openedSnapshot)).nodes.get('/app/config')!.data.toString();
    await waitFor(async () => {
      const t = await diff.innerText().catch(() => '');
      return t.includes(before) && t.includes('level=6');
    }, 10_000, `both snapshots' data in the diff (${before} and level=6)`);
    w.assertNoExtensionErrors();
  });
});
