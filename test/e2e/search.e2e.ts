// Find in Subtree in the real VS Code against a real standalone server: from a node's context menu,
// the results stream into the "ZooKeeper Search" view grouped by node with the line of each match;
// clicking a match opens the znode with the match selected; an invalid regular expression is refused
// as you type; Clear empties the view; a names-only search shows a matched node's data size too. Find Big Znodes on the connection puts the node with 20,000
// children at the top of "Most children". Find in Export File on an export in the workspace streams
// its matches into the same view, and a match opens the node's data read-only at its line.
import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ZkClient } from '../../src/zk/client';
import { exportSubtree } from '../../src/zk/subtree';
import { ZkCluster } from '../harness/zookeeper';
import { expandRow as expand, useWorkbench, waitFor } from './workbench';

const CONN = 'searchable';

describe('e2e: Find in Subtree', function () {
  this.timeout(240_000);
  let cluster: ZkCluster | undefined;
  const settings: Record<string, unknown> = {};
  const files: Record<string, string> = {};

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startStandalone();
    const zk = new ZkClient({ connectString: cluster.connectString });
    await zk.connect();
    await zk.create('/config');
    await zk.create('/config/app');
    await zk.create('/config/app/db.properties', Buffer.from('db.url=jdbc:postgresql://db:5432/orders\ndb.pool.size=20\n'));
    await zk.create('/config/app/compressed', gzipSync(Buffer.from('gzip says db.pool too')));
    await zk.create('/config/other', Buffer.from('nothing here'));
    await zk.create('/elsewhere', Buffer.from('db.pool outside the scope'));
    // The export (as Export Subtree writes it) is taken before the big node exists.
    files['config-export.json'] = `${JSON.stringify(await exportSubtree(zk, '/config'), null, 2)}\n`;
    await zk.create('/huge');
    const ops = Array.from({ length: 20_000 }, (_, i) => ({ type: 'create' as const, path: `/huge/member-${String(i).padStart(5, '0')}` }));
    for (let i = 0; i < ops.length; i += 1000) await zk.multi(ops.slice(i, i + 1000));
    await zk.create('/blobs');
    await zk.create('/blobs/big-blob', Buffer.alloc(900_000, 0x61));
    await zk.close();
    settings['zookeeper.connections'] = [{ name: CONN, connectString: cluster.connectString }];
  });
  const wb = useWorkbench({ scenario: 'search', settings, files });
  after(async () => {
    await cluster?.close();
  });

  it('searches a subtree from the context menu, streams results by node, and opens a match at its line', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    // Results go to the panel (like VS Code's own search results), so the side bar keeps the tree.
    const search = w.page.locator('#workbench\\.parts\\.panel');

    await expand(await w.waitForTreeItem(CONN, 20_000, view));
    const config = await w.waitForTreeItem('config', 20_000, view);
    await w.contextMenu(config, 'Find in Subtree…');
    await w.waitQuickTitle('Find in Subtree: /config on "searchable"');

    // An invalid regular expression is refused as you type.
    await w.quickInput.getByRole('button', { name: /Use Regular Expression/ }).click();
    await w.quickInput.locator('input').fill('db.pool(');
    await waitFor(async () => /Not a valid regular expression/.test(await w.quickInputMessage()), 10_000, 'the regex problem under the input');
    await w.quickInput.getByRole('button', { name: /Use Regular Expression/ }).click(); // back to plain text
    await w.answerQuickInput('db.pool');

    // The search opens its view.
    const props = await w.waitForTreeItem('/config/app/db.properties', 30_000, search);
    assert.match(await props.innerText(), /1 match/);
    const gz = await w.waitForTreeItem('/config/app/compressed', 10_000, search);
    assert.match(await gz.innerText(), /gzip/);
    const labels = await w.treeLabels(search);
    assert.ok(!labels.some((l) => l.includes('/elsewhere')), `only the scope is searched: ${JSON.stringify(labels)}`);
    await waitFor(async () => /2 matches in 2 nodes · 5 visited/.test(await search.innerText().catch(() => '')), 10_000, 'the counts above the results');

    const match = await w.waitForTreeItem('db.pool.size=20', 10_000, search);
    assert.match(await match.innerText(), /line 2/);
    await match.click();
    const bar = w.page.locator('.statusbar');
    await waitFor(async () => /Ln 2, Col \d+ \(7 selected\)/.test(await bar.innerText()), 15_000, 'the match selected on line 2');
    await w.screenshot('search');

    await search.getByRole('button', { name: 'Clear Search Results' }).click();
    await waitFor(async () => (await w.treeLabels(search)).length === 0, 10_000, 'the view to be empty after Clear');
    w.assertNoExtensionErrors();
  });

  it('finds big znodes on the connection: the node with 20,000 children tops "Most children"', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await w.contextMenu(await w.waitForTreeItem(CONN, 20_000, view), 'Find Big Znodes…');
    const text = await w.previewText(/Ephemeral nodes per owner session/, 'the Find Big Znodes report', 90_000);
    assert.match(text, /Big znodes under \/ on searchable/);
    const children = text.slice(text.indexOf('Most children'), text.indexOf('Largest subtrees by node count'));
    assert.match(children, /^\s*1\s+\/huge\s+20,000\s+[\d,]+\s+\d+ %/m, children);
    const data = text.slice(text.indexOf('Most data'), text.indexOf('Most children'));
    assert.match(data, /^\s*1\s+\/blobs\/big-blob\s+900,000\s+86 % near the limit/m, data);
    const largest = text.slice(text.indexOf('Largest subtrees by node count'), text.indexOf('Largest subtrees by data bytes'));
    assert.match(largest, /^\s*1\s+\/huge\s+20,001\s/m, largest);
    await w.screenshot('find-big-znodes');
    // A node's link opens the node's editor.
    await w.webviewFrame().getByRole('link', { name: '/blobs/big-blob' }).click();
    await w.editorTab('big-blob').waitFor({ timeout: 15_000 });
    const lines = w.page.locator('.editor-instance .view-lines').first();
    await waitFor(async () => /^a{20}/.test((await lines.innerText().catch(() => '')).trim()), 15_000, 'the node\'s data in its editor');
    assert.equal(await w.editorTab('big-blob').count(), 1, 'one tab: the editor replaced the link\'s stand-in');
    w.assertNoExtensionErrors();
  });

  it('searches an export file from the Explorer and opens a match read-only at its line', async () => {
    const w = wb();
    await w.openZooKeeperView();
    await w.waitForActivation();
    const explorer = await w.openViewContainer('Explorer');
    await w.contextMenu(await w.waitForTreeItem('config-export.json', 20_000, explorer), 'Find in Export File…');
    await w.waitQuickTitle('Find in Export File: config-export.json');
    await w.answerQuickInput('db.pool');
    const search = w.page.locator('#workbench\\.parts\\.panel');
    const props = await w.waitForTreeItem('/config/app/db.properties', 30_000, search);
    assert.match(await props.innerText(), /1 match/);
    await w.waitForTreeItem('/config/app/compressed', 10_000, search);
    await waitFor(async () => /2 matches in 2 nodes · 5 visited/.test(await search.innerText().catch(() => '')), 10_000, 'the counts of the export search');
    const match = await w.waitForTreeItem('db.pool.size=20', 10_000, search);
    await match.click();
    const bar = w.page.locator('.statusbar');
    await waitFor(async () => /Ln 2, Col \d+ \(7 selected\)/.test(await bar.innerText()), 15_000, 'the match selected on line 2 of the node read from the file');
    const editor = w.page.locator('.editor-instance .view-lines').first();
    assert.match(await editor.innerText(), /db\.url=jdbc:postgresql/);
    await w.screenshot('search-export-file');
    w.assertNoExtensionErrors();
  });

  // Last: the query's options (here, names only) are remembered for the next search.
  it('searches names only: the walk of paths finds the node, and its row still shows it has data', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    const search = w.page.locator('#workbench\\.parts\\.panel');
    await expand(await w.waitForTreeItem(CONN, 20_000, view));
    await w.contextMenu(await w.waitForTreeItem('config', 20_000, view), 'Find in Subtree…');
    await w.waitQuickTitle('Find in Subtree: /config on "searchable"');
    await w.quickInput.getByRole('button', { name: /Search In: names, paths and data/ }).click(); // to names
    await waitFor(async () => /in names,/.test(await w.quickInputMessage()), 10_000, 'the input to say it searches names');
    await w.answerQuickInput('PROPERTIES');
    const props = await w.waitForTreeItem('/config/app/db.properties', 30_000, search);
    assert.match(await props.innerText(), /1 match/);
    // The size comes from a Stat read for the match alone: a node with data has the file icon.
    assert.equal(await props.locator('.codicon-file').count(), 1, 'the row of a node with data shows the file icon');
    await waitFor(async () => /1 match in 1 node · 5 visited/.test(await search.innerText().catch(() => '')), 10_000, 'the counts of the names search');
    await search.getByRole('button', { name: 'Clear Search Results' }).click();
    await waitFor(async () => (await w.treeLabels(search)).length === 0, 10_000, 'the view to be empty after Clear');
    w.assertNoExtensionErrors();
  });
});
