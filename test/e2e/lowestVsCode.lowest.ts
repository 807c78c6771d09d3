// The packaged .vsix in the lowest VS Code that engines.vscode claims: code-server 4.20.0, which is
// VS Code 1.85.1 with its extension host on Node 18 (scripts/e2e-setup-lowest.mjs installs it into
// the e2e cache; the first time it compiles for several minutes). The extension activates, the tree
// connects and expands two levels down, follows a child created by another client, and opens a
// node in an editor, with no error of ours in the logs (1.85 threw "Element with id znode:… is
// already registered" here before src/zk/refreshGate.ts).
//
// Not an *.e2e.ts file, so the e2e suite (which runs the newest code-server) leaves it out:
//   npm run e2e:lowest
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZkClient } from '../../src/zk/client';
import { ZkCluster } from '../harness/zookeeper';
import { REPO, expandRow, useWorkbench, waitFor } from './workbench';

const text = (s: string) => Buffer.from(s, 'utf8');

describe('e2e: the lowest VS Code engines.vscode claims (code-server 4.20.0)', function () {
  this.timeout(240_000);
  let cluster: ZkCluster | undefined;
  let seeder: ZkClient | undefined;
  let vscodeVersion = '';
  const settings: Record<string, unknown> = {};

  // Before useWorkbench's hook: the manifest it reads is the lowest code-server's.
  before(async function () {
    this.timeout(30 * 60_000); // the first set-up on a machine compiles code-server's native modules
    const setup = spawnSync(process.execPath, [join(REPO, 'scripts', 'e2e-setup-lowest.mjs'), '--print-manifest'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    assert.equal(setup.status, 0, 'node scripts/e2e-setup-lowest.mjs failed (see above)');
    const manifestPath = setup.stdout.trim().split('\n').pop()!;
    process.env.ZK_E2E_MANIFEST = manifestPath;
    vscodeVersion = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { vscodeVersion: string }).vscodeVersion;

    cluster = await ZkCluster.startStandalone();
    seeder = new ZkClient({ connectString: cluster.connectString });
    await seeder.connect();
    await seeder.create('/app');
    await seeder.create('/app/config.json', text('{"port": 8080}'));
    await seeder.create('/app/flags');
    await seeder.create('/app/flags/dark-mode', text('on'));
    settings['zookeeper.connections'] = [{ name: 'sandbox', connectString: cluster.connectString }];
  });
  const wb = useWorkbench({ scenario: 'lowest', settings });
  after(async () => {
    await seeder?.close();
    await cluster?.close();
  });

  it('runs on the VS Code version engines.vscode names as its lowest', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { vscode: string } };
    const lowest = /^\^(\d+\.\d+)\.\d+$/.exec(pkg.engines.vscode)?.[1];
    assert.ok(lowest, `engines.vscode ${pkg.engines.vscode} is a ^x.y.z range`);
    assert.ok(vscodeVersion.startsWith(`${lowest}.`), `code-server's VS Code is ${vscodeVersion}, engines.vscode ${pkg.engines.vscode}`);
  });

  it('activates, connects on expand, expands two levels, follows a new child and opens a node', async () => {
    const w = wb();
    const view = await w.openZooKeeperView();
    await (await w.waitForTreeItem('sandbox', 20_000, view)).click();
    await w.waitForActivation();
    await expandRow(await w.waitForTreeItem('app', 30_000, view));
    await expandRow(await w.waitForTreeItem('flags', 15_000, view));
    await w.waitForTreeItem('dark-mode', 15_000, view);
    await w.waitForTreeItem('config.json', 5_000, view);
    await waitFor(async () => /connected · 127\.0\.0\.1:\d+/.test(await w.treeItem('sandbox', view).locator('.label-description').innerText()), 10_000, 'the connection row to say "connected"');

    // Another client adds a child: the row appears through the child watch (a refresh of /app).
    await seeder!.create('/app/added-later');
    await w.waitForTreeItem('added-later', 15_000, view);
    await w.waitForTreeItem('dark-mode', 5_000, view);

    await (await w.waitForTreeItem('config.json', 5_000, view)).click();
    const lines = w.page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').last();
    await waitFor(async () => /"port": 8080/.test((await lines.innerText().catch(() => '')).replace(/\u00a0/g, ' ')), 30_000, 'config.json in an editor');
    assert.match(await w.page.locator('.editor-group-container.active .tab.active').innerText(), /config\.json/);
    await w.screenshot('lowest-vscode');
    w.assertNoExtensionErrors();
  });
});
