// The packaged extension, installed in a fresh code-server profile without connections: opening
// the "ZooKeeper" activity-bar container activates it, and its "Connections" view shows the
// welcome content with an "Add Connection" button. The welcome content is bound to the context key
// `zookeeper.connectionCount == 0`, which only the running extension sets: seeing it proves activation.
import * as assert from 'node:assert/strict';
import { EXTENSION_ID, useWorkbench, waitFor } from './workbench';

describe('e2e: activation', function () {
  this.timeout(120_000);
  const wb = useWorkbench({ scenario: 'activation', settings: { 'zookeeper.connections': [] } });

  it('shows the welcome view with "Add Connection" when no connection is configured', async function () {
    const w = wb();
    const view = await w.openZooKeeperView();
    // A single-view container titles the side bar "<container>: <view>": it must not say ZooKeeper twice.
    const title = (await w.page.locator('#workbench\\.parts\\.sidebar .composite.title .title-label').innerText()).trim();
    assert.match(title, /^ZOOKEEPER: CONNECTIONS$/i, `side bar title ${JSON.stringify(title)}`);

    const addConnection = view.getByRole('button', { name: 'Add Connection' });
    await addConnection.waitFor({ state: 'visible', timeout: 20_000 });
    const welcome = (await view.locator('.welcome-view-content').innerText()).replace(/\s+/g, ' ');
    assert.match(welcome, /No ZooKeeper connections yet\./);
    assert.match(welcome, /Add Connection/);
    assert.match(welcome, /zookeeper\.connections/);
    assert.equal(await w.treeLabels(view).then((l) => l.length), 0, 'no tree rows without connections');

    await w.waitForActivation();
    // The log channel's file is written asynchronously: wait for the line rather than read once.
    await waitFor(() => /activated with 0 connection\(s\)/.test(w.outputChannelLog('ZooKeeper')), 15_000, 'the activation line in the ZooKeeper log');

    const shot = await w.screenshot();
    console.log(`      screenshot: ${shot}`);
    w.assertNoExtensionErrors();
    assert.ok(w.exthostLog().includes(EXTENSION_ID), 'the extension host log names our extension');
  });
});
