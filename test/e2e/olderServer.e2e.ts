// A connection to a server older than 3.6 in the real VS Code (code-server in chromium): a real
// 3.8 server behind the harness's OlderServerProxy answering like ZooKeeper 3.5 (UNIMPLEMENTED for
// getAllChildrenNumber, addWatch, whoAmI, ...). The tree browses, a node opens in an editor, and
// "Watch Subtree" says in the watch log that the server has no persistent watches and that
// one-shot watches are used instead; a change made by zkCli.sh is still logged, and addWatch was
// sent to the server once.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { OP } from '../../src/zk/transport';
import { seedSampleData } from '../fixtures/sampleData';
import { OlderServerProxy } from '../harness/olderServerProxy';
import { ZkCluster, zkCli } from '../harness/zookeeper';
import { useWorkbench, waitFor } from './workbench';

const CONNECTION = 'legacy';
const NODE = '/cluster/id';
const CHANNEL = 'ZooKeeper Watches';

describe('e2e: a ZooKeeper 3.5 server (proxy answering UNIMPLEMENTED for 3.6+ requests)', function () {
  this.timeout(180_000);
  let cluster: ZkCluster | undefined;
  let proxy: OlderServerProxy | undefined;
  let seeder: ZkClient | undefined;
  const settings: Record<string, unknown> = {};

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startStandalone();
    seeder = new ZkClient({ connectString: cluster.connectString });
    await seeder.connect();
    await seedSampleData(seeder, { bigChildren: 10 });
    proxy = await OlderServerProxy.start(cluster.servers[0].clientPort, { version: '3.5', mode: 'unimplemented' });
    settings['zookeeper.connections'] = [{ name: CONNECTION, connectString: proxy.address }];
  });
  const wb = useWorkbench({ scenario: 'olderServer', settings });
  after(async () => {
    await seeder?.close();
    await proxy?.close();
    await cluster?.close();
  });

  it('browses, opens a node, and the watch log says it falls back to one-shot watches', async () => {
    const w = wb();
    const view = await w.openZooKeeperView(60_000); // a slow start on a busy machine
    await (await w.waitForTreeItem(CONNECTION, 30_000, view)).click();
    await (await w.waitForTreeItem('cluster', 20_000, view)).click();
    const row = await w.waitForTreeItem('id', 10_000, view);

    // Open the node: its data in an editor.
    const value = Buffer.from((await seeder!.getData(NODE)).data).toString('utf8');
    await row.click();
    const editor = w.page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').last();
    const firstLine = value.split('\n')[0].trim();
    await waitFor(async () => (await editor.innerText().catch(() => '')).replace(/\u00a0/g, ' ').includes(firstLine), 20_000, `the editor to show ${NODE}`);

    // Watch the subtree: no addWatch on 3.5, so one-shot watches, and the log says so.
    await w.contextMenu(w.treeItem('cluster', view).first(), 'Watch Subtree');
    const fallback = /the server does not support persistent watches \(ZooKeeper 3\.6\+\): using one-shot watches, re-armed after each event/;
    await waitFor(() => fallback.test(w.outputChannelLog(CHANNEL)) && /\/cluster: watching subtree, one-shot watches/.test(w.outputChannelLog(CHANNEL)), 20_000, 'the fallback notice').catch(
      (e: Error) => {
        throw new Error(`${e.message}; the channel has:\n${w.outputChannelLog(CHANNEL)}`);
      },
    );

    const before = (await seeder!.getData(NODE)).stat.version;
    const set = await zkCli(cluster!.servers[0].address, ['set', NODE, 'set by zkCli']);
    assert.equal(set.code, 0, `zkCli.sh set: ${set.stdout}\n${set.stderr}`);
    const expected = new RegExp(`\\[${CONNECTION}\\] data changed ${NODE.replace(/\//g, '\\/')} · v${before}→v${before + 1} · .*set by zkCli`);
    await waitFor(() => expected.test(w.outputChannelLog(CHANNEL)), 20_000, 'the change in the watch log').catch((e: Error) => {
      throw new Error(`${e.message}; the channel has:\n${w.outputChannelLog(CHANNEL)}`);
    });
    const log = w.outputChannelLog(CHANNEL);
    console.log(`      ${log.split('\n').find((l) => fallback.test(l))}`);
    console.log(`      ${log.split('\n').find((l) => expected.test(l))}`);
    assert.equal(proxy!.refusedOps(OP.ADD_WATCH), 1, 'addWatch is asked once');
    console.log(`      refused by the "3.5 server": ${proxy!.refused.map((r) => r.opcode).join(', ')}; ZooKeeper connections: ${proxy!.connections}, four-letter words: ${proxy!.fourLetterWords}`);
    const shot = await w.screenshot('olderServer');
    console.log(`      screenshot: ${shot}`);
    w.assertNoExtensionErrors();
  });
});
