// Lock and election holders in the real VS Code (code-server in chromium) against a real 3-node
// ensemble. The sample lock queue /locks/orders is held by three separate ZkClients, one on each
// member, whose Curator-style names sort in reverse of the line (the holder is last by name):
// - the tree marks the holder's row "· holder" (from the listing it has, no extra request);
// - Show Lock and Election Holders from the /locks/orders row's context menu: the preview names the
//   holder, its client address (that ZkClient's own local port) and its server, the others waiting;
// - Show Node Details of a waiting node names its owner's client and server;
// - the holder lets go: the next one is marked in the tree and shown as holder.
import * as assert from 'node:assert/strict';
import { holdQueue, type HeldQueue } from '../fixtures/sampleData';
import { ZkCluster } from '../harness/zookeeper';
import type { Locator } from './playwright';
import { descriptionMatches, expandRow as expand, useWorkbench, waitFor, type Workbench } from './workbench';

const CONNECTION = 'ensemble';

describe('e2e: lock and election holders', function () {
  this.timeout(240_000);
  let cluster: ZkCluster | undefined;
  let held: HeldQueue | undefined;
  const settings: Record<string, unknown> = {};

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startEnsemble(3);
    held = await holdQueue(cluster.servers.map((s) => s.address));
    settings['zookeeper.connections'] = [{ name: CONNECTION, connectString: cluster.connectString }];
  });
  const wb = useWorkbench({ scenario: 'holders', settings });
  after(async () => {
    await held?.close();
    await cluster?.close();
  });

  const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const activeTab = (w: Workbench): Locator => w.page.locator('.editor-group-container.active .tab.active');
  const clientOf = (i: number) => `127.0.0.1:${held!.clients[i].localEndpoint!.port}`;
  const serverOf = (i: number) => `server.${i + 1} (${cluster!.server(i + 1).address})`;

  it('marks the holder in the tree, and shows the queue with the holder\'s client and server from the context menu', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await expand(await w.waitForTreeItem(CONNECTION, 20_000, view));
    await expand(await w.waitForTreeItem('locks', 20_000, view));
    const orders = await w.waitForTreeItem('orders', 10_000, view);
    await expand(orders);
    const names = held!.nodes.map(nameOf);
    await descriptionMatches(w.treeItem(names[0], view), /ephemeral · holder$/);
    await descriptionMatches(w.treeItem(names[1], view), /ephemeral$/);

    await w.contextMenu(orders, 'Show Lock and Election Holders');
    await waitFor(async () => /Preview orders/.test(await activeTab(w).innerText().catch(() => '')), 20_000, 'the holders preview');
    const text = await w.previewText(/Holder:/, 'the holder');
    assert.match(text, /Holders of \/locks\/orders/);
    assert.match(text, /This is a lock: one holder, 2 waiting\./);
    const holderLine = text.split('\n').find((l) => l.startsWith('Holder:')) ?? '';
    assert.ok(holderLine.includes(names[0]), holderLine);
    assert.ok(holderLine.includes(`session ${held!.clients[0].sessionId}: client ${clientOf(0)} connected to ${serverOf(0)} since `), holderLine);
    for (const [i, role] of [
      [0, 'holder'],
      [1, 'waiting'],
      [2, 'waiting'],
    ] as const) {
      const row = text.split('\n').find((l) => l.includes(names[i]) && !l.startsWith('Holder:')) ?? '';
      assert.match(row, new RegExp(`^${i + 1}\\s+${role}\\s+${names[i]}\\s+${held!.clients[i].sessionId}\\s+${clientOf(i).replace(/\./g, '\\.')}\\s+`), `row ${i + 1}: ${row}`);
      assert.ok(row.includes(serverOf(i)), `row ${i + 1} names its server: ${row}`);
    }
    console.log(`      screenshot: ${await w.screenshot('holders')}`);
    w.assertNoExtensionErrors();
  });

  it("Show Node Details of a waiting node names its owner's client and server", async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    const waiting = await w.waitForTreeItem(nameOf(held!.nodes[2]), 10_000, view);
    await w.contextMenu(waiting, 'Show Node Details');
    const text = await w.previewText(/Owner/, 'the owner row');
    assert.ok(text.includes(`client ${clientOf(2)} connected to ${serverOf(2)} since`), text);
    w.assertNoExtensionErrors();
  });

  it('when the holder lets go, the next one holds: in the tree and in the report', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await held!.clients[0].close(); // its ephemeral node goes with its session
    const names = held!.nodes.map(nameOf);
    await waitFor(async () => (await w.treeItem(names[0], view).count()) === 0, 20_000, 'the old holder\'s row to go');
    await descriptionMatches(w.treeItem(names[1], view), /ephemeral · holder$/);
    await w.contextMenu(await w.waitForTreeItem('orders', 10_000, view), 'Show Lock and Election Holders');
    const text = await w.previewText(new RegExp(`Holder: ${names[1]}`), 'the next holder');
    assert.ok(text.includes(`client ${clientOf(1)} connected to ${serverOf(1)}`), text);
    assert.match(text, /one holder, 1 waiting/);
    w.assertNoExtensionErrors();
  });
});
