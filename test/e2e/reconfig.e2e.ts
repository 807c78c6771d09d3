// Dynamic reconfiguration in the real VS Code (code-server in Chromium) against a real 3-node
// ensemble with reconfigEnabled=true (skipACL=yes, so the session needs no super credentials): the
// Cluster Health panel's Dynamic configuration section lists the three participants with what each
// server reports; a fourth server, started by the test with the config plus itself as an observer,
// is added with the section's Add Member… button: its line is typed (checked as typed), the modal
// confirm shows the new quorum, and once every member reports the new config a notification says
// so and the section shows server.4 as an observer, as ZooKeeper's own `conf` does.
import * as assert from 'node:assert/strict';
import { ZkCluster } from '../harness/zookeeper';
import { expandRow, useWorkbench, waitFor } from './workbench';

const CONNECTION = 'dynamic';

describe('e2e: dynamic reconfiguration', function () {
  this.timeout(240_000);
  let cluster: ZkCluster | undefined;
  let newMemberLine = '';
  const settings: Record<string, unknown> = { 'zookeeper.health.pollIntervalMs': 1000 };

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startEnsemble(3, { reconfig: {}, extraConfig: { skipACL: 'yes' }, startTimeoutMs: 60_000 });
    newMemberLine = (await cluster.startNewMember('observer')).memberLine;
    settings['zookeeper.connections'] = [{ name: CONNECTION, connectString: cluster.connectString }];
  });
  const wb = useWorkbench({ scenario: 'reconfig', settings });
  after(async () => {
    await cluster?.close();
  });

  it('adds a member from the health panel: the quorum confirmed, every member reporting it, the row shown', async () => {
    const w = wb();
    const view = await w.openZooKeeperView(90_000); // a loaded machine shows the activity bar entry late
    await expandRow(await w.waitForTreeItem(CONNECTION, 20_000, view));
    await w.runCommand('ZooKeeper: Show Cluster Health');
    await w.editorTab(`Cluster Health: ${CONNECTION}`).waitFor({ state: 'visible', timeout: 20_000 });
    const frame = w.webviewFrame();
    const section = frame.locator('section.reconfig-section');
    await section.locator('.reconfig-row[data-key="3"]').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await section.locator('.reconfig-caption').innerText(), /^Version [0-9a-f]+: 3 voters, majority 2, survives 1 failure\.$/);
    assert.equal(await section.locator('.reconfig-row').count(), 3);
    await waitFor(async () => /leader/.test(await section.locator('.reconfig-reports').allInnerTexts().then((t) => t.join(' '))), 20_000, 'each server\'s own report (one leader)');

    await section.locator('.reconfig-actions vscode-button').click();
    await w.waitQuickTitle(`Add Member to ${CONNECTION}`);
    // Checked as typed: server.1 is taken.
    await w.quickInput.locator('input').fill(newMemberLine.replace(/^server\.\d+=/, 'server.1='));
    await waitFor(async () => /server\.1 is already a member/.test(await w.quickInputMessage()), 10_000, 'the refusal of a taken id');
    await w.answerQuickInput(newMemberLine);
    const dialog = w.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    const confirm = await dialog.innerText();
    assert.match(confirm, /Now: 3 voters, majority 2, survives 1 failure/);
    assert.match(confirm, /After: 3 voters, majority 2, survives 1 failure, 1 observer/);
    assert.match(confirm, /reconfig -add server\.4=127\.0\.0\.1:\d+:\d+:observer;127\.0\.0\.1:\d+ -v \d+/);
    await dialog.getByRole('button', { name: 'Reconfigure' }).click();
    await w.waitForNotification(/Add server\.4=.*done, config version [0-9a-f]+ .*Every member reports it\./, 90_000);

    const added = section.locator('.reconfig-row[data-key="4"]');
    await added.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal((await added.locator('.reconfig-role').innerText()).trim(), 'observer');
    assert.match(await section.locator('.reconfig-caption').innerText(), /3 voters, majority 2, survives 1 failure, 1 observer/);
    assert.match(await cluster!.fourLetter(1, 'conf'), /^server\.4=127\.0\.0\.1:\d+:\d+:observer;/m, 'ZooKeeper itself has the new member');
    console.log(`      screenshot: ${await w.screenshot('reconfig-panel')}`);
    w.assertNoExtensionErrors();
  });
});
