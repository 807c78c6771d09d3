// Quotas in the real VS Code (code-server in Chromium) against a real ZooKeeper that enforces
// quotas: Set Quota… from the /app row's context menu (the hard limit below the soft one is refused
// as it is typed), the row gets its "Q" badge, and the Cluster Health panel's Quotas section shows
// /app with its usage bar; one more node makes it an alert ("nearly full").
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { ZkCluster } from '../harness/zookeeper';
import { expandRow, useWorkbench, waitFor } from './workbench';

const CONNECTION = 'quotas';

describe('e2e: quotas', function () {
  this.timeout(240_000);
  let cluster: ZkCluster | undefined;
  let client: ZkClient | undefined;
  const settings: Record<string, unknown> = { 'zookeeper.health.pollIntervalMs': 2000 };

  before(async function () {
    this.timeout(60_000);
    cluster = await ZkCluster.startStandalone({ extraConfig: { enforceQuota: 'true' } });
    client = new ZkClient({ connectString: cluster.connectString });
    await client.connect();
    await client.create('/app', Buffer.from('abc'));
    await client.create('/app/one', Buffer.from('12345'));
    settings['zookeeper.connections'] = [{ name: CONNECTION, connectString: cluster.connectString }];
  });
  const wb = useWorkbench({ scenario: 'quotas', settings });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it('Set Quota from the tree: the badge on the row, the bar in the health panel, an alert when nearly full', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await expandRow(await w.waitForTreeItem(CONNECTION, 20_000, view));
    const app = await w.waitForTreeItem('app', 20_000, view);
    await w.contextMenu(app, 'Set Quota…');
    await w.waitQuickTitle('Set Quota on /app (1/4): soft limit on nodes');
    await w.answerQuickInput('3');
    await w.waitQuickTitle('(2/4): hard limit on nodes');
    // Checked as typed: a hard limit under the soft one is refused before Enter.
    await w.quickInput.locator('input').fill('1');
    await waitFor(async () => /Below the soft limit \(3\)/.test(await w.quickInputMessage()), 10_000, 'the refusal of a hard limit below the soft one');
    await w.answerQuickInput('');
    await w.waitQuickTitle('(3/4): soft limit on bytes');
    await w.answerQuickInput('');
    await w.waitQuickTitle('(4/4): hard limit on bytes');
    await w.answerQuickInput('1 KiB');
    await waitFor(async () => (await w.decorationBadge(w.treeItem('app', view).first())) === 'Q', 20_000, 'the Q badge on /app');
    // What another client reads: the limits as zkCli writes them.
    const limits = Buffer.from((await client!.getData('/zookeeper/quota/app/zookeeper_limits')).data).toString();
    assert.equal(limits, 'count=3,bytes=-1=;byteHardLimit=1024;countHardLimit=-1');

    await w.runCommand('ZooKeeper: Show Cluster Health');
    await w.editorTab(`Cluster Health: ${CONNECTION}`).waitFor({ state: 'visible', timeout: 20_000 });
    const frame = w.webviewFrame();
    const row = frame.locator('.quota-row[data-key="/app"]');
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await row.innerText(), /2 of 3 nodes \(soft, 67%\)/);
    assert.equal(await row.locator('meter.quota-bar').getAttribute('aria-label'), '/app: 2 of 3 nodes (soft, 67%)');
    assert.equal(await row.getAttribute('data-level'), 'ok');

    await client!.create('/app/two');
    await waitFor(async () => (await row.getAttribute('data-level')) === 'near', 30_000, 'the quota to be nearly full');
    const alert = frame.locator('.alert[data-kind="quotaNearLimit"]');
    await alert.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await alert.innerText(), /Quota of \/app nearly full[\s\S]*3 of 3 nodes \(soft limit, 100%\)/);
    console.log(`      screenshot: ${await w.screenshot('quotas-panel')}`);
    w.assertNoExtensionErrors();
  });

  it('Show Sessions lists another client\'s session with its ephemeral node; Remove Quota takes the badge away', async () => {
    const w = wb();
    await client!.create('/app/worker', Buffer.from('w'), { mode: 'ephemeral' });
    const view = await w.openZooKeeperView();
    await w.contextMenu(await w.waitForTreeItem(CONNECTION, 20_000, view), 'Show Sessions');
    await w.waitQuickTitle(`Sessions of ${CONNECTION}`);
    await w.answerQuickInput('');
    const report = await w.previewText(new RegExp(client!.sessionId), 'the test client\'s session in the report');
    assert.match(report, /\/app\/worker/, 'its ephemeral node');
    console.log(`      screenshot: ${await w.screenshot('quotas-sessions')}`);

    const app = w.treeItem('app', view).first();
    assert.equal(await w.decorationBadge(app), 'Q', 'the quota set in the test before');
    await w.contextMenu(app, 'Remove Quota');
    const dialog = w.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await dialog.innerText(), /Remove the quota on \/app/);
    await dialog.getByRole('button', { name: 'Remove Quota' }).click();
    await waitFor(async () => (await w.decorationBadge(w.treeItem('app', view).first())) === '', 20_000, 'the Q badge gone from /app');
    assert.equal(await client!.exists('/zookeeper/quota/app/zookeeper_limits'), undefined, 'the limits node is deleted on the server');
    w.assertNoExtensionErrors();
  });
});
