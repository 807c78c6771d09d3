// The watch log in Chinese (issue 21) in the real VS Code (code-server in Chromium, "locale": "zh-cn",
// see l10n.e2e.ts for how the language is set): the notices the domain words (the watch announced
// when it is set, the unwatch) and a change's line reach the "ZooKeeper Watches" channel translated
// from l10n/bundle.l10n.zh-cn.json, with paths, versions and sizes as they are.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZkClient } from '../../src/zk/client';
import { ZkCluster } from '../harness/zookeeper';
import { expandRow, useWorkbench, waitFor } from './workbench';

const CONNECTION = 'zhwatch';
const CHANNEL = 'ZooKeeper Watches';
const root = join(__dirname, '..', '..', '..');
const nls = JSON.parse(readFileSync(join(root, 'package.nls.zh-cn.json'), 'utf8')) as Record<string, string>;
const bundle = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const zh = (english: string, ...args: string[]) => {
  assert.ok(bundle[english] !== undefined, `no zh-cn for ${JSON.stringify(english)}`);
  return bundle[english].replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)]);
};

describe('e2e: the watch log in zh-cn', function () {
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
    settings['zookeeper.connections'] = [{ name: CONNECTION, connectString: cluster.connectString }];
  });
  const wb = useWorkbench({ scenario: 'l10n-watch-zh-cn', settings, locale: 'zh-cn' });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it('notices and change lines in Chinese', async () => {
    const w = wb();
    await w.openViewContainer('ZooKeeper', 120_000);
    const view = w.view(nls['views.zookeeper.explorer.name']);
    await view.waitFor({ state: 'visible', timeout: 30_000 });
    await expandRow(await w.waitForTreeItem(CONNECTION, 20_000, view));
    const app = await w.waitForTreeItem('app', 20_000, view);

    const channelHas = (text: string, what: string) =>
      waitFor(() => w.outputChannelLog(CHANNEL).includes(text), 20_000, what).catch((e: Error) => {
        throw new Error(`${e.message}; the channel has:\n${w.outputChannelLog(CHANNEL)}`);
      });

    // Set: the announcement is the domain's notice, translated with its nested parts.
    await w.contextMenu(app, nls['zookeeper.watchNode.title']);
    const announced = `/app: ${zh('watching node (data and children), {0}', zh('persistent watch'))} · v0 · 3 B · ${zh('{0} children', '0')}`;
    await channelHas(announced, 'the watch announced in Chinese');

    // A change: the line's fixed words from the bundle, the data as it is.
    await client!.setData('/app', Buffer.from('abcd'), 0);
    await channelHas(`${zh('data changed')} /app · v0→v1 · 3 B→4 B · "abc" → "abcd"`, 'the change in Chinese');

    // Unwatch from the row: the domain's notice, in Chinese.
    await w.contextMenu(await w.waitForTreeItem('app', 20_000, view), nls['zookeeper.unwatch.title']);
    await channelHas(`/app: ${zh('stopped watching node')}`, 'the unwatch in Chinese');

    assert.doesNotMatch(w.outputChannelLog(CHANNEL), /watching node|stopped watching/, 'no English notice left');
    await w.screenshot('l10n-watch-zh-cn');
    w.assertNoExtensionErrors();
  });
});
