// Watching a znode in the real VS Code (code-server in chromium) against a real, seeded ZooKeeper
// server, with zkCli.sh as the other client: "Watch Node" from a znode row's context menu marks the
// row with the "W" decoration and opens the "ZooKeeper Watches" output channel; a `set` by zkCli.sh
// appears there as a "data changed" line with the old and new versions and a preview of the new
// value, both in the channel's log file and in the Output panel. Then VS Code is closed (browser
// and code-server stopped), zkCli.sh changes the node, VS Code is opened again on the same profile,
// and the change made meanwhile is logged, marked, when the connection opens.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { seedSampleData } from '../fixtures/sampleData';
import { ZkCluster, zkCli } from '../harness/zookeeper';
import { readmeScreenshot } from './readmeScreenshots';
import { expandRow, sleep, useWorkbench, waitFor } from './workbench';

const CONNECTION = 'sandbox';
const NODE = '/cluster/id';
const CHANNEL = 'ZooKeeper Watches';

describe('e2e: watch a znode', function () {
  this.timeout(180_000);
  let cluster: ZkCluster | undefined;
  let seeder: ZkClient | undefined;
  // Filled in before the workbench starts (mocha runs before-hooks in the order they are declared).
  const settings: Record<string, unknown> = {};

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startStandalone();
    seeder = new ZkClient({ connectString: cluster.connectString });
    await seeder.connect();
    await seedSampleData(seeder, { bigChildren: 10 }); // the 20,000-child node is not needed here
    settings['zookeeper.connections'] = [{ name: CONNECTION, connectString: cluster.connectString }];
  });
  const wb = useWorkbench({ scenario: 'watch', settings });
  after(async () => {
    await seeder?.close();
    await cluster?.close();
  });

  it('marks a node watched from its context menu and logs a change made by zkCli.sh', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await (await w.waitForTreeItem(CONNECTION, 20_000, view)).click();
    await (await w.waitForTreeItem('cluster', 20_000, view)).click();
    const row = await w.waitForTreeItem('id', 10_000, view);
    assert.equal(await w.decorationBadge(row), '', 'no mark before the watch');

    await w.contextMenu(row, 'Watch Node');

    // The watch is set and announced before anything changes.
    await waitFor(() => w.outputChannelLog(CHANNEL).includes(`${NODE}: watching node`), 15_000, `"${CHANNEL}" to announce the watch on ${NODE}`).catch((e: Error) => {
      throw new Error(`${e.message}; the channel has:\n${w.outputChannelLog(CHANNEL)}`);
    });
    await waitFor(async () => (await w.decorationBadge(w.treeItem('id', view).first())) === 'W', 10_000, `the "W" decoration on ${NODE}`);

    const before = (await seeder!.getData(NODE)).stat.version;
    const set = await zkCli(cluster!.servers[0].address, ['set', NODE, 'new value']);
    assert.equal(set.code, 0, `zkCli.sh set: ${set.stdout}\n${set.stderr}`);
    assert.equal((await seeder!.getData(NODE)).stat.version, before + 1, 'zkCli.sh changed the node');

    const expected = new RegExp(`\\[${CONNECTION}\\] data changed ${NODE.replace(/\//g, '\\/')} · v${before}→v${before + 1} · .*new value`);
    let line = '';
    await waitFor(
      () => (line = w.outputChannelLog(CHANNEL).split('\n').find((l) => expected.test(l)) ?? '') !== '',
      15_000,
      `a "data changed ${NODE}" line in "${CHANNEL}"`,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; the channel has:\n${w.outputChannelLog(CHANNEL)}`);
    });
    console.log(`      logged: ${line}`);

    // The command showed the channel in the Output panel: the line is there too.
    const output = w.page.locator('.part.panel .view-lines');
    await waitFor(
      async () => (await output.first().innerText().catch(() => '')).replace(/\u00a0/g, ' ').includes(`data changed ${NODE}`),
      10_000,
      `the Output panel to show the "data changed ${NODE}" line`,
    );
    // Still marked after the change.
    assert.equal(await w.decorationBadge(w.treeItem('id', view).first()), 'W');

    const health = w.page.locator('.statusbar-item', { hasText: `${CONNECTION}:` });
    for (const item of await health.all()) console.log(`      status bar: ${(await item.getAttribute('aria-label')) ?? ''}`);
    await readmeScreenshot(w, 'watch-log');
    w.assertNoExtensionErrors();
  });

  it('after VS Code was closed and opened again, reports the change made meanwhile, marked, when the connection opens', async function () {
    this.timeout(150_000);
    const w = wb();
    // What the watch saw is saved every 15 s (when it changed): let the change above be saved.
    await sleep(17_000);
    const before = (await seeder!.getData(NODE)).stat.version;
    await w.restart(async () => {
      const set = await zkCli(cluster!.servers[0].address, ['set', NODE, 'set while closed']);
      assert.equal(set.code, 0, `zkCli.sh set: ${set.stdout}\n${set.stderr}`);
    });
    const view = await w.openZooKeeperView();
    const root = await w.waitForTreeItem(CONNECTION, 20_000, view);
    // The tree may open the connection itself (its expanded rows are restored); if not, expand it.
    if ((await root.getAttribute('aria-expanded')) !== 'true') await expandRow(root);
    const expected = new RegExp(
      // The saved state keeps sizes and digests, never data: sizes, then the new value only.
      `\\[${CONNECTION}\\] data changed ${NODE.replace(/\//g, '\\/')} · v${before}→v${before + 1} · [0-9,]+ → 16 bytes · now "set while closed" \\[while VS Code was not watching\\]`,
    );
    let line = '';
    await waitFor(() => (line = w.outputChannelLog(CHANNEL).split('\n').find((l) => expected.test(l)) ?? '') !== '', 30_000, 'the change made while closed in the log').catch(
      (e: Error) => {
        throw new Error(`${e.message}; the channel has:\n${w.outputChannelLog(CHANNEL)}`);
      },
    );
    console.log(`      logged after the restart: ${line}`);
    assert.match(w.outputChannelLog(CHANNEL), /node watch restored: comparing with its state saved at/);
    const shot = await w.screenshot('watch-restored');
    console.log(`      screenshot: ${shot}`);
    w.assertNoExtensionErrors();
  });
});
