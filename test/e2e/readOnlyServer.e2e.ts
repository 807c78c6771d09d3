// An ensemble that loses its quorum, in the real VS Code: a 3-node ensemble in read-only mode
// (readonlymode.enabled, local sessions), two members killed. The connection's row says "read-only
// server", the health item turns to down/degraded at once, the tree can still be browsed and a
// znode opened (read-only, with the reason), without write actions in the menus; when the members
// come back the row says "connected" again by itself, the document is writable and Delete is back.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { ZkCluster } from '../harness/zookeeper';
import { descriptionMatches, expandRow, useWorkbench, waitFor } from './workbench';

const CONNECTION = 'trio';

describe('e2e: an ensemble that loses its quorum (read-only mode)', function () {
  this.timeout(240_000);
  let cluster: ZkCluster | undefined;
  const settings: Record<string, unknown> = {};

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startEnsemble(3, {
      jvmFlags: ['-Dreadonlymode.enabled=true'],
      extraConfig: { localSessionsEnabled: 'true', localSessionsUpgradingEnabled: 'true' },
    });
    const seeder = new ZkClient({ connectString: cluster.connectString });
    await seeder.connect();
    await seeder.create('/config');
    await seeder.create('/config/app.properties', Buffer.from('port=8080\n'));
    await seeder.close();
    settings['zookeeper.connections'] = [
      { name: CONNECTION, connectString: cluster.connectString, sessionTimeoutMs: 6000, connectTimeoutMs: 2000, requestTimeoutMs: 4000 },
    ];
  });
  const wb = useWorkbench({ scenario: 'readOnlyServer', settings });
  after(async () => {
    await cluster?.close();
  });

  it('says "read-only server" when the quorum is lost, still browses and opens data, and is connected again by itself', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await (await w.waitForTreeItem(CONNECTION, 20_000, view)).click();
    await w.waitForTreeItem('config', 20_000, view);
    await descriptionMatches(w.treeItem(CONNECTION, view), /^connected · 127\.0\.0\.1:\d+/);

    const [survivor, ...others] = cluster!.servers.map((s) => s.id);
    for (const id of others) await cluster!.kill(id);
    const description = w.treeItem(CONNECTION, view).locator('.label-description');
    await waitFor(async () => /^read-only server · /.test((await description.textContent().catch(() => '')) ?? ''), 60_000, 'the row to say "read-only server"').catch(
      async (e: Error) => {
        throw new Error(`${e.message}; it shows "${await description.textContent().catch(() => '?')}"`);
      },
    );
    assert.match((await description.textContent()) ?? '', new RegExp(cluster!.server(survivor).address.replace(/\./g, '\\.')));
    const status = w.page.locator('.statusbar-item', { hasText: `${CONNECTION}:` }).first();
    await waitFor(async () => /read-only server/.test((await status.textContent().catch(() => '')) ?? ''), 10_000, 'the status bar to say "read-only server"');
    // The health item looks again when the connection's state changes: it must not keep saying "healthy".
    const health = w.page.locator('.statusbar-item', { hasText: `${CONNECTION}: ` }).filter({ hasText: /healthy|degraded|down|checking/ }).first();
    await waitFor(async () => /(down|degraded)/.test((await health.textContent().catch(() => '')) ?? ''), 15_000, 'the health item to say down or degraded').catch(async (e: Error) => {
      throw new Error(`${e.message}; it says "${await health.textContent().catch(() => '?')}"`);
    });
    console.log(`      health status bar item: ${(await health.textContent())?.trim()}`);

    // Reads still work: browse and open a znode.
    await expandRow(await w.waitForTreeItem('config', 10_000, view));
    const row = await w.waitForTreeItem('app.properties', 20_000, view);
    // A row opens on click once its stat is there (a parent without data expands instead).
    await descriptionMatches(row, /10 B/);
    await row.click();
    const editor = w.page.locator('.editor-instance .view-lines').first();
    await waitFor(async () => /port=8080/.test((await editor.innerText().catch(() => '')).replace(/\u00a0/g, ' ')), 20_000, 'the znode open in an editor');
    const shot = await w.screenshot('readOnlyServer');
    console.log(`      screenshot: ${shot}`);
    // No write actions while only reads are served.
    const roEntries = await w.contextMenuEntries(w.treeItem('app.properties', view).first());
    await w.closeContextMenu();
    assert.ok(roEntries.includes('Copy Path'), roEntries.join(', '));
    assert.ok(!roEntries.includes('Delete'), `no Delete on a read-only server: ${roEntries.join(', ')}`);

    for (const id of others) void cluster!.start(id);
    await waitFor(async () => /^connected · /.test((await description.textContent().catch(() => '')) ?? ''), 90_000, 'the row to say "connected" again');
    // The open document can be saved again: VS Code drops the lock, and so does our status item.
    const locked = w.page.locator('.statusbar-item', { hasText: /Read-only/ });
    await waitFor(async () => (await locked.count()) === 0, 20_000, 'the "Read-only" status item to go once the quorum is back');
    const config = await w.waitForTreeItem('config', 20_000, view);
    if ((await config.getAttribute('aria-expanded')) !== 'true') await expandRow(config);
    await waitFor(
      async () => {
        const entries = await w.contextMenuEntries(await w.waitForTreeItem('app.properties', 10_000, view));
        await w.closeContextMenu();
        return entries.includes('Delete');
      },
      20_000,
      'Delete offered again once the quorum is back',
    );
    w.assertNoExtensionErrors();
  });
});
