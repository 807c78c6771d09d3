// SASL in the real VS Code (issue 20) against a real ZooKeeper server with a JAAS Server section:
// "ZooKeeper: Add Connection" with "SASL DIGEST-MD5 user and password" through the quick input,
// the password asked once (by the form; connecting and opening the node ask nothing more), the
// connection saved to the user settings without the password, and a node whose ACL is
// sasl:alice only opened in the editor.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMS } from '../../src/zk/acl';
import { ZkClient } from '../../src/zk/client';
import { digestMd5Bytes } from '../../src/zk/sasl/digestMd5';
import { saslStep } from '../../src/zk/sasl/saslExchange';
import { ZkCluster } from '../harness/zookeeper';
import { useWorkbench, waitFor, type Workbench } from './workbench';

const PASSWORD = `alice-e2e-${process.pid}`;
const NAME = 'secured';
const FORM_TITLE = 'Add ZooKeeper Connection';

describe('e2e: a SASL DIGEST-MD5 connection added through the UI', function () {
  this.timeout(360_000);
  let cluster: ZkCluster | undefined;

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startStandalone({ sasl: { users: { alice: PASSWORD } } });
    const seeder = new ZkClient({ connectString: cluster.connectString, afterHandshake: saslStep('DIGEST-MD5', { user: 'alice', password: digestMd5Bytes(PASSWORD) }) });
    await seeder.connect();
    try {
      await seeder.create('/vault', undefined, { acl: [{ scheme: 'sasl', id: 'alice', perms: PERMS.ALL }] });
      await seeder.create('/vault/secret', Buffer.from('only alice reads this'), { acl: [{ scheme: 'sasl', id: 'alice', perms: PERMS.ALL }] });
    } finally {
      await seeder.close();
    }
  });
  const wb = useWorkbench({ scenario: 'sasl', settings: { 'zookeeper.connections': [] } });
  after(async () => {
    await cluster?.close();
  });

  const input = (w: Workbench) => w.quickInput.locator('input');
  const editorText = async (w: Workbench): Promise<string> =>
    (await w.page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').last().innerText()).replace(/\u00a0/g, ' ');

  it('adds the connection with SASL, asks the password once, and opens the sasl-protected node', async () => {
    const w = wb();
    // Generous: on a loaded 2-core machine the extension host can start a minute after the page.
    const view = await w.openZooKeeperView(120_000);
    await w.waitForActivation(60_000);
    await w.runCommand('ZooKeeper: Add Connection');
    await w.waitQuickTitle(`${FORM_TITLE} (1/4)`);
    await input(w).fill(NAME);
    await input(w).press('Enter');
    await w.waitQuickTitle(`${FORM_TITLE} (2/4)`);
    await input(w).fill(cluster!.connectString);
    await input(w).press('Enter');
    await w.waitQuickTitle(`${FORM_TITLE} (3/4)`);
    await w.pickQuickItem('SASL DIGEST-MD5 user and password');
    await waitFor(async () => (await w.quickInputMessage()).startsWith('SASL user name'), 10_000, 'the SASL user prompt');
    await input(w).fill('alice');
    await input(w).press('Enter');
    await waitFor(async () => (await w.quickInputMessage()).startsWith('Password for alice'), 10_000, 'the password prompt');
    assert.equal(await input(w).getAttribute('type'), 'password', 'the password is typed into a password box');
    await input(w).fill(PASSWORD);
    await input(w).press('Enter');
    await w.waitQuickTitle(`${FORM_TITLE} (4/4)`);
    await w.pickQuickItem('Read and write');

    // It connects (authenticated) without asking anything more.
    const row = await w.waitForTreeItem(NAME, 20_000, view);
    const description = row.locator('.label-description');
    await waitFor(async () => /^connected · 127\.0\.0\.1:\d+$/.test((await description.textContent()) ?? ''), 30_000, `"${NAME}" to show "connected"`).catch(async (e: Error) => {
      throw new Error(`${e.message}; it shows "${await description.textContent()}"`);
    });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    const vault = await w.waitForTreeItem('vault', 20_000, view);
    if ((await vault.getAttribute('aria-expanded')) !== 'true') await vault.click();
    await (await w.waitForTreeItem('secret', 20_000, view)).click();
    await waitFor(async () => /only alice reads this/.test(await editorText(w).catch(() => '')), 30_000, 'the protected node in the editor');
    assert.equal(await w.quickInput.isVisible(), false, 'no second password prompt');

    // Saved in the user settings with the SASL user, never the password.
    const settingsText = readFileSync(join(w.userDataDir, 'User', 'settings.json'), 'utf8');
    const saved = (JSON.parse(settingsText) as Record<string, unknown>)['zookeeper.connections'];
    assert.deepEqual(saved, [{ name: NAME, connectString: cluster!.connectString, auth: { scheme: 'sasl', mechanism: 'DIGEST-MD5', user: 'alice' } }]);
    assert.ok(!settingsText.includes(PASSWORD), 'no password in settings.json');
    assert.ok(!w.exthostLog().includes(PASSWORD), 'no password in the extension host log');
    const shot = await w.screenshot('sasl-connected');
    console.log(`      screenshot: ${shot}`);
    w.assertNoExtensionErrors();
  });
});
