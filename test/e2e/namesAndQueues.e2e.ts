// What the tree shows of names and recipe queues, in the real VS Code against a real server:
// - a node named "\u202Ertl" (a right-to-left override) with 6 bytes of data: its row reads
//   `\u202Ertl` with "6 B" after it, not reversed; a name with a zero-width space is told apart from
//   the plain one; Copy Path gives the exact name; opened, its tab is titled `\u202Ertl` too;
// - a kazoo-style lock queue (`<uuid>__lock__<seq>`, names sorting in reverse of the line) is listed
//   by sequence number, holder first, and, as nothing says whether it is a lock or an election, its
//   first row reads "holder / leader"; the same queue under a parent named "…election" reads "leader".
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { holdQueue, type HeldQueue } from '../fixtures/sampleData';
import { ZkCluster } from '../harness/zookeeper';
import { descriptionMatches, expandRow as expand, useWorkbench, waitFor } from './workbench';

const CONNECTION = 'names';
const RLO = '\u202E';
const ZWSP = '\u200B';

describe('e2e: hostile names and recipe queues in the tree', function () {
  this.timeout(240_000);
  let cluster: ZkCluster | undefined;
  let seeder: ZkClient | undefined;
  const queues: HeldQueue[] = [];
  const settings: Record<string, unknown> = {};
  /** kazoo's node names: `<uuid hex>__lock__`, here sorting in reverse of the line (and not the same under two parents). */
  const kazooName = (first: number) => (i: number) => `${(first - i).toString(16).repeat(32)}__lock__`;

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startStandalone();
    seeder = new ZkClient({ connectString: cluster.connectString });
    await seeder.connect();
    await seeder.create('/odd-names');
    await seeder.create(`/odd-names/${RLO}rtl`, Buffer.from('abcdef'));
    await seeder.create(`/odd-names/ad${ZWSP}min`, Buffer.from('look-alike'));
    await seeder.create('/odd-names/admin', Buffer.from('real'));
    queues.push(await holdQueue([cluster.connectString], { parent: '/jobs/queue', name: kazooName(15) }));
    queues.push(await holdQueue([cluster.connectString], { parent: '/jobs/scheduler-election', name: kazooName(7) }));
    settings['zookeeper.connections'] = [{ name: CONNECTION, connectString: cluster.connectString }];
  });
  const wb = useWorkbench({ scenario: 'names-and-queues', settings });
  after(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await seeder?.close();
    await cluster?.close();
  });

  it('shows a right-to-left override and a zero-width space as escapes, the size after the name, and Copy Path gives the exact name', async () => {
    const w = wb();
    const view = await w.openZooKeeperView(60_000);
    await expand(await w.waitForTreeItem(CONNECTION, 20_000, view));
    await expand(await w.waitForTreeItem('odd-names', 10_000, view));
    const row = await w.waitForTreeItem('\\u202Ertl', 10_000, view);
    await descriptionMatches(row, /^6 B$/);
    const rowText = (await row.innerText()).replace(/\s+/g, ' ');
    assert.ok(!rowText.includes(RLO), `the row carries no raw override: ${JSON.stringify(rowText)}`);
    // Drawn left to right: the name, then its size (the override used to draw " B 6ltr").
    // Where the "6" of the size is drawn, against the right end of the name's text.
    const geometry = await row.evaluate((el) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs in the browser; DOM types are not available here
      const rect = (node: any, from: number, to: number) => {
        const range = el.ownerDocument.createRange();
        range.setStart(node, from);
        range.setEnd(node, to);
        return range.getBoundingClientRect();
      };
      const textOf = (sel: string) => {
        const walker = el.ownerDocument.createTreeWalker(el.querySelector(sel), 4 /* NodeFilter.SHOW_TEXT */);
        return walker.nextNode();
      };
      const name = textOf('.label-name');
      const size = textOf('.label-description');
      const n = rect(name, 0, name.textContent.length);
      const six = rect(size, 0, 1);
      return { nameLeft: n.left, nameRight: n.right, sixLeft: six.left };
    });
    assert.ok(geometry.sixLeft >= geometry.nameRight - 1, `the size is drawn after the name, not before it: ${JSON.stringify(geometry)}`);
    await w.waitForTreeItem('ad\\u200Bmin', 5_000, view);
    await w.waitForTreeItem('admin', 5_000, view);
    await w.screenshot('tree-invisible-names');

    await w.page.evaluate('navigator.clipboard.writeText("(nothing copied yet)")');
    await w.contextMenu(row, 'Copy Path');
    let copied = '';
    await waitFor(async () => (copied = await w.page.evaluate<string>('navigator.clipboard.readText()')) !== '(nothing copied yet)', 10_000, 'Copy Path to write the clipboard');
    assert.equal(copied, `/odd-names/${RLO}rtl`);

    // Opened in an editor: its tab is titled with the same escape (VS Code titles a tab with the
    // URI's last path segment, as it is), and it edits the exact node (its 6 bytes).
    await row.click();
    const tab = w.page.locator('.editor-group-container.active .tab.active');
    let title = '';
    await waitFor(async () => (title = ((await tab.locator('.label-name').innerText().catch(() => '')) ?? '').trim()) === '\\u202Ertl', 20_000, 'the tab titled \\u202Ertl').catch((e: Error) => {
      throw new Error(`${e.message}; the tab reads ${JSON.stringify(title)}`);
    });
    assert.ok(!(await tab.innerText()).includes(RLO), `the tab carries no raw override: ${JSON.stringify(await tab.innerText())}`);
    await waitFor(async () => (await w.page.locator('.editor-group-container.active .view-lines').innerText()).includes('abcdef'), 10_000, "the node's data in the editor");
    await w.screenshot('tab-hostile-name');
    w.assertNoExtensionErrors();
  });

  it("lists a kazoo lock queue by sequence number, holder first, as 'holder / leader'; under an election's name as 'leader'", async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await expand(await w.waitForTreeItem(CONNECTION, 20_000, view));
    await expand(await w.waitForTreeItem('jobs', 10_000, view));
    const names = (q: HeldQueue) => q.nodes.map((p) => p.slice(p.lastIndexOf('/') + 1));
    const [queue, election] = queues.map(names);
    assert.deepEqual([...queue].sort().reverse(), queue, 'by name the holder would be last');

    await expand(await w.waitForTreeItem('queue', 10_000, view));
    await w.waitForTreeItem(queue[2], 10_000, view);
    const labels = await w.treeLabels(view);
    const shown = labels.filter((l) => queue.includes(l));
    assert.deepEqual(shown, queue, `in line order: ${labels.join(', ')}`);
    await descriptionMatches(w.treeItem(queue[0], view), /ephemeral · holder \/ leader$/);
    await descriptionMatches(w.treeItem(queue[1], view), /ephemeral$/);

    await expand(await w.waitForTreeItem('scheduler-election', 10_000, view));
    await descriptionMatches(w.treeItem(election[0], view), /ephemeral · leader$/);
    await w.screenshot('tree-kazoo-queues');
    w.assertNoExtensionErrors();
  });
});
