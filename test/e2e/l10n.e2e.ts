// The extension in Chinese (issue 21) in the real VS Code (code-server in Chromium): the workbench
// starts with "locale": "zh-cn" in the profile's argv.json and an empty zh-cn language pack that the
// workbench makes and installs itself (test/e2e/languagePack.ts; without a pack VS Code falls back
// to English, extension host included, and no marketplace is reachable here). VS Code's own UI stays
// English (the pack translates none of it); what is checked is the extension's own text: the view
// name from package.nls.zh-cn.json, tree rows' descriptions from l10n/bundle.l10n.zh-cn.json (the
// connection's state, a node's child count), a notification, and the Cluster Health panel (its
// title, its headings and its summary badge, translated in the webview from the bundle the host
// passes it). What the domain words (src/zk) is translated too: a ZkError's toast (creating a node
// that exists) and the health summary sentence, both from templates in the same bundle, a
// Markdown report (Show Node Details), and the watch log: the notices the domain words (the watch
// announced when it is set, the unwatch) and a change's line reach the "ZooKeeper Watches" channel
// translated, with paths, versions and sizes as they are. A node that is not text opens as a hex
// dump whose banner (why, and how to change it) is Chinese, and so is the read-only notice; a
// connection that cannot connect says why (its status detail, worded by the domain) in Chinese. One
// workbench for all tests: starting a zh-cn code-server costs more than any one check.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { closedPort } from '../harness/net';
import { join } from 'node:path';
import { ZkClient } from '../../src/zk/client';
import { ZkCluster } from '../harness/zookeeper';
import { descriptionMatches, expandRow, useWorkbench, waitFor } from './workbench';

const CONNECTION = 'zh';
const CHANNEL = 'ZooKeeper Watches';
const root = join(__dirname, '..', '..', '..');
const nls = JSON.parse(readFileSync(join(root, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
const bundle = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const zh = (english: string, ...args: string[]) => {
  assert.ok(bundle[english] !== undefined, `no zh-cn for ${JSON.stringify(english)}`);
  return bundle[english].replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)]);
};


describe('e2e: the extension in zh-cn', function () {
  this.timeout(240_000);
  let cluster: ZkCluster | undefined;
  let client: ZkClient | undefined;
  const settings: Record<string, unknown> = {};

  before(async function () {
    this.timeout(60_000);
    cluster = await ZkCluster.startStandalone();
    client = new ZkClient({ connectString: cluster.connectString });
    await client.connect();
    await client.create('/app', Buffer.from('abc'));
    await client.create('/app/one', Buffer.from('12345'));
    await client.create('/watched', Buffer.from('abc')); // the watch log test's node: no child, 3 bytes
    await client.create('/bin', Buffer.from([0x00, 0xff, 0x41])); // not text: opens as a hex dump
    settings['zookeeper.connections'] = [{ name: CONNECTION, connectString: cluster.connectString }];
  });
  const wb = useWorkbench({ scenario: 'l10n-zh-cn', settings, locale: 'zh-cn' });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it('tree, notification and health panel in Chinese', async () => {
    const w = wb();
    // A loaded machine scans the remote extensions late: their activity bar items come last.
    await w.openViewContainer('ZooKeeper', 120_000);
    const view = w.view(nls['views.zookeeper.explorer.name']);
    await view.waitFor({ state: 'visible', timeout: 30_000 });

    // Tree rows: the connection's state and the node's child count.
    const connection = await w.waitForTreeItem(CONNECTION, 20_000, view);
    await expandRow(connection);
    await descriptionMatches(connection, new RegExp(zh('connected')));
    const app = await w.waitForTreeItem('app', 20_000, view);
    await descriptionMatches(app, new RegExp(zh('1 child')));

    // A domain error in a toast: the server's NODEEXISTS, worded by ZkError, translated by the adapter.
    await w.contextMenu(app, nls['zookeeper.createChild.title']);
    await w.waitQuickTitle(zh('Create a child of {0}', '/app'));
    await w.answerQuickInput('one');
    await w.waitQuickTitle(zh('Mode of {0}', 'one'));
    await w.pickQuickItem(zh('Persistent'));
    await w.waitQuickTitle(zh('Initial data of {0}', 'one'));
    await w.answerQuickInput('x');
    const exists = await w.waitForNotification(zh('Node {0} already exists', '/app/one'), 15_000);
    assert.match((await exists.textContent()) ?? '', /节点 \/app\/one 已存在/);
    assert.equal(Buffer.from((await client!.getData('/app/one')).data).toString('utf8'), '12345', 'the existing node is untouched');

    // A notification: Unwatch from the palette while nothing is watched (Set Quota…, used before,
    // is no longer in the palette).
    await w.runCommand(`ZooKeeper: ${nls['zookeeper.unwatch.title']}`);
    const toast = await w.waitForNotification(zh('No ZooKeeper watches.'), 15_000);
    assert.match((await toast.textContent()) ?? '', /没有 ZooKeeper watch/);

    // The Cluster Health panel: its tab, its headings and its summary, in Chinese.
    await w.runCommand(`ZooKeeper: ${nls['zookeeper.showClusterHealth.title']}`);
    const tab = w.editorTab(zh('Cluster Health: {0}', CONNECTION));
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    const frame = w.webviewFrame();
    await frame.locator('h2', { hasText: zh('Servers') }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const headings = (await frame.locator('h2').allTextContents()).map((s) => s.trim());
    for (const english of ['Servers', 'Alerts', 'Quotas', 'Last minutes']) assert.ok(headings.includes(zh(english)), `${english} as ${zh(english)} in ${JSON.stringify(headings)}`);
    await waitFor(async () => ((await frame.locator('section.summary .level').textContent()) ?? '').trim() === zh('Healthy'), 30_000, 'the summary badge to say 健康');
    // The summary sentence is the domain's (healthModel), worded through vscode.l10n.t by the host.
    const sentence = zh('{0}: {1}', zh('Healthy'), zh('standalone server'));
    await waitFor(async () => ((await frame.locator('section.summary .summary-text').textContent()) ?? '').trim() === sentence, 30_000, `the summary sentence to say ${sentence}`);
    assert.equal(await frame.locator('html').getAttribute('lang'), 'zh-cn');
    await w.screenshot('l10n-zh-cn');

    // A Markdown report worded by the domain through the host's vscode.l10n.t: Show Node Details,
    // its permission names (describePerms) included. The panel is closed first: one webview in sight.
    await w.runCommand('View: Close All Editors');
    await w.contextMenu(app, nls['zookeeper.showNodeDetails.title']);
    const perms = ['create', 'delete', 'read', 'write', 'admin'].map((p) => zh(p)).reduce((all, p) => zh('{0}, {1}', all, p));
    const details = await w.previewText(new RegExp(zh('Permissions')), 'the node details in Chinese');
    assert.ok(details.includes(zh('Applies to this session')), details);
    assert.ok(details.includes(perms), `${perms} in ${details}`);
    w.assertNoExtensionErrors();
  });

  it('the watch log: notices and change lines in Chinese', async () => {
    const w = wb();
    await w.openViewContainer('ZooKeeper', 120_000);
    const view = w.view(nls['views.zookeeper.explorer.name']);
    await view.waitFor({ state: 'visible', timeout: 30_000 });
    await expandRow(await w.waitForTreeItem(CONNECTION, 20_000, view));
    const watched = await w.waitForTreeItem('watched', 20_000, view);

    const channelHas = (text: string, what: string) =>
      waitFor(() => w.outputChannelLog(CHANNEL).includes(text), 20_000, what).catch((e: Error) => {
        throw new Error(`${e.message}; the channel has:\n${w.outputChannelLog(CHANNEL)}`);
      });

    // Set: the announcement is the domain's notice, translated with its nested parts.
    await w.contextMenu(watched, nls['zookeeper.watchNode.title']);
    const announced = `/watched: ${zh('watching node (data and children), {0}', zh('persistent watch'))} · v0 · 3 B · ${zh('{0} children', '0')}`;
    await channelHas(announced, 'the watch announced in Chinese');

    // A change: the line's fixed words from the bundle, the data as it is.
    await client!.setData('/watched', Buffer.from('abcd'), 0);
    await channelHas(`${zh('data changed')} /watched · v0→v1 · 3 B→4 B · "abc" → "abcd"`, 'the change in Chinese');

    // Unwatch from the row: the domain's notice, in Chinese.
    await w.contextMenu(await w.waitForTreeItem('watched', 20_000, view), nls['zookeeper.unwatch.title']);
    await channelHas(`/watched: ${zh('stopped watching node')}`, 'the unwatch in Chinese');

    assert.doesNotMatch(w.outputChannelLog(CHANNEL), /watching node|stopped watching/, 'no English notice left');
    await w.screenshot('l10n-watch-zh-cn');
    w.assertNoExtensionErrors();
  });

  it('a binary node: the hex dump banner and the read-only notice in Chinese', async () => {
    const w = wb();
    await w.openViewContainer('ZooKeeper', 120_000);
    const view = w.view(nls['views.zookeeper.explorer.name']);
    await view.waitFor({ state: 'visible', timeout: 30_000 });
    await expandRow(await w.waitForTreeItem(CONNECTION, 20_000, view));
    await (await w.waitForTreeItem('bin', 20_000, view)).click();

    const reason = zh('the data is {0}', zh('not valid UTF-8 (first invalid byte 0x{0} at offset {1})', 'ff', '1'));
    const banner = [
      `# ${zh('{0}: {1} bytes, shown as a read-only hex dump: {2}.', '/bin', '3', reason)}`,
      `# ${zh('If it is text in another encoding (e.g. windows-1252), run "ZooKeeper: {0}".', zh('Reopen with Encoding…'))}`,
      `# ${zh('To change it, run "ZooKeeper: {0}" or "ZooKeeper: {1}": they save exactly the bytes you enter.', zh('Edit as Base64'), zh('Edit as Hex'))}`,
    ];
    const editorText = async () => (await w.page.locator('.editor-group-container.active .editor-instance .view-lines').last().innerText()).replace(/\u00a0/g, ' ');
    await waitFor(async () => (await editorText().catch(() => '')).includes(banner[0]), 30_000, 'the dump banner in Chinese').catch(async (e: Error) => {
      throw new Error(`${e.message}; the editor shows:\n${await editorText().catch(() => '?')}`);
    });
    const text = await editorText();
    for (const line of banner) assert.ok(text.includes(line), `${line} in:\n${text}`);
    assert.match(text, /00000000 {2}00 ff 41/, 'the dump itself is as it is');
    const notice = await w.waitForNotification(zh('{0} on "{1}" is open read-only: {2}.', '/bin', CONNECTION, zh('it is not text: {0}', reason)), 15_000);
    assert.doesNotMatch((await notice.textContent()) ?? '', /not valid UTF-8|read-only hex dump/);
    await w.screenshot('l10n-dump-zh-cn');
    w.assertNoExtensionErrors();
  });

  it("a connection that cannot connect: why, in its row, in Chinese", async () => {
    const w = wb();
    const port = await closedPort();
    const server = `127.0.0.1:${port}`;
    // The settings editor must be the first editor: the dump of the test before is closed.
    await w.runCommand('View: Close All Editors');
    await w.updateSettings({ 'zookeeper.connections': [{ name: CONNECTION, connectString: cluster!.connectString }, { name: 'down', connectString: server }] });
    await w.openViewContainer('ZooKeeper', 120_000);
    const view = w.view(nls['views.zookeeper.explorer.name']);
    await view.waitFor({ state: 'visible', timeout: 30_000 });
    await expandRow(await w.waitForTreeItem('down', 20_000, view));
    // The row under it says why (the connection's status detail, worded by the domain): still
    // connecting, or the refusal, depending on when the row is drawn; either way in Chinese.
    const reasons = [zh('Connecting to {0}', server), zh('connection refused ({0}): is ZooKeeper running on that port?', server)];
    const row = await w.waitForTreeItem(zh('not connected'), 30_000, view);
    const description = async () => ((await row.locator('.label-description').textContent().catch(() => '')) ?? '').trim();
    await waitFor(async () => {
      const now = await description();
      return reasons.some((r) => zh('Not connected: {0}', r) === now);
    }, 30_000, `the reason in Chinese (one of ${reasons.join(' | ')})`).catch(async (e: Error) => {
      throw new Error(`${e.message}; the row says: ${await description()}`);
    });
    assert.doesNotMatch(await description(), /Connecting to|refused|Not connected/);
    await w.screenshot('l10n-down-zh-cn');
  });
});
