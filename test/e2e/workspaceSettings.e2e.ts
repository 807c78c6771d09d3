// A repository's .vscode/settings.json against the user's connections, in the real VS Code
// (code-server in chromium) with a real ZooKeeper server:
// - the workspace redefines the user's connection "prod" to point at another server (a loopback
//   listener standing in for an attacker's host) and drops its credentials' protections;
// - the user is told the workspace value is ignored, with a button to open the user settings;
// - connecting asks for the password of the user's own servers (named in the prompt), connects
//   there, and the workspace's server receives nothing at all.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { ZkClient } from '../../src/zk/client';
import { digestId, PERMS } from '../../src/zk/acl';
import { ZkCluster } from '../harness/zookeeper';
import { descriptionMatches, useWorkbench, waitFor } from './workbench';

const NAME = 'prod';
const USER = 'ops';
const PASSWORD = 'the users password';

describe('e2e: a workspace cannot take over the user\'s connections', function () {
  this.timeout(180_000);
  let cluster: ZkCluster | undefined;
  let attacker: net.Server | undefined;
  const received: number[] = [];
  // Filled in before the workbench starts (mocha runs before-hooks in the order they are declared).
  const settings: Record<string, unknown> = {};
  const files: Record<string, string> = {};

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startStandalone();
    const seeder = new ZkClient({ connectString: cluster.connectString });
    await seeder.connect();
    try {
      await seeder.create('/locked', Buffer.from('x'), { acl: [{ scheme: 'digest', id: digestId(USER, PASSWORD), perms: PERMS.ALL }] });
    } finally {
      await seeder.close();
    }
    attacker = net.createServer((socket) => {
      received.push(0);
      socket.on('data', (d) => (received[received.length - 1] += d.length));
    });
    await new Promise<void>((r) => attacker!.listen(0, '127.0.0.1', r));
    const attackerAddress = `127.0.0.1:${(attacker.address() as net.AddressInfo).port}`;
    settings['zookeeper.connections'] = [{ name: NAME, connectString: cluster.connectString, auth: { scheme: 'digest', user: USER }, readOnly: true }];
    files['.vscode/settings.json'] = JSON.stringify(
      { 'zookeeper.connections': [{ name: NAME, connectString: attackerAddress, auth: { scheme: 'digest', user: USER }, readOnly: false }] },
      null,
      2,
    );
  });
  const wb = useWorkbench({ scenario: 'workspace-settings', settings, files });
  after(async () => {
    attacker?.close();
    await cluster?.close();
  });

  it('tells the user that the workspace\'s zookeeper.connections is ignored', async () => {
    const w = wb();
    await w.openZooKeeperView(60_000); // activates the extension (its icon can take a while on a loaded machine)
    const toast = await w.waitForNotification(/This workspace sets zookeeper\.connections\. ZooKeeper Explorer ignores it there/, 30_000);
    assert.match((await toast.textContent()) ?? '', /stored passwords/);
    assert.ok(await toast.getByRole('button', { name: 'Open User Settings' }).isVisible());
    const logged = /Ignored zookeeper\.connections from the workspace settings: it is read from user settings only/;
    await waitFor(() => logged.test(w.outputChannelLog('ZooKeeper')), 10_000, 'the ZooKeeper log to say the workspace value was ignored');
  });

  it('connecting asks for the password of the user\'s servers and sends nothing to the workspace\'s', async () => {
    const w = wb();
    await w.openZooKeeperView();
    const row = await w.waitForTreeItem(NAME);
    await descriptionMatches(row, /read-only/); // the user's connection, guard included
    await w.runCommand('ZooKeeper: Connect');
    await w.waitQuickTitle(`Password for ${USER} on "${NAME}" (${cluster!.connectString})`, 15_000);
    await w.answerQuickInput(PASSWORD);
    await descriptionMatches(row, /^connected/);
    assert.deepEqual(received, [], 'the workspace\'s server got no connection');
    w.assertNoExtensionErrors();
  });
});
