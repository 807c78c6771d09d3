// The Cluster Health panel in the real VS Code (code-server in chromium) against a real 3-node
// ensemble: "ZooKeeper: Show Cluster Health" from the command palette opens the panel titled
// "Cluster Health: <connection>"; inside the webview (nested iframes) the table shows one row per
// server with the role ZooKeeper itself reports (one leader, two followers) and the summary says
// healthy. Then a follower is killed (SIGKILL): within a few polls (1 s interval) its row says down,
// the summary says degraded with 2 of 3 voting members up, and a "… is down" alert is listed.
import * as assert from 'node:assert/strict';
import type { FrameLocator } from './playwright';
import { ZkCluster } from '../harness/zookeeper';
import { useWorkbench, waitFor, type Workbench } from './workbench';

const CONNECTION = 'trio';
const PANEL_TITLE = `Cluster Health: ${CONNECTION}`;

interface TableRow {
  key: string;
  server: string;
  state: string;
  role: string;
}

/** The server table as shown: one entry per data row (header excluded), in the order shown. */
async function readTable(frame: FrameLocator): Promise<TableRow[]> {
  const rows = await frame.locator('vscode-data-grid-row[data-key]').all();
  const out: TableRow[] = [];
  for (const row of rows) {
    const cell = async (column: number) => ((await row.locator(`vscode-data-grid-cell[grid-column="${column}"]`).first().textContent()) ?? '').trim();
    out.push({ key: (await row.getAttribute('data-key')) ?? '', server: await cell(1), state: await cell(2), role: await cell(3) });
  }
  return out;
}

async function readSummary(frame: FrameLocator): Promise<{ level: string; badge: string; text: string }> {
  const summary = frame.locator('section.summary');
  return {
    level: (await summary.getAttribute('data-level')) ?? '',
    badge: ((await summary.locator('.level').textContent()) ?? '').trim(),
    text: ((await summary.locator('.summary-text').textContent()) ?? '').trim(),
  };
}

describe('e2e: cluster health panel', function () {
  this.timeout(180_000);
  let cluster: ZkCluster | undefined;
  /** What ZooKeeper itself says each member is, by "host:port" (the table's row key). */
  const modes = new Map<string, string>();
  // Filled in before the workbench starts (mocha runs before-hooks in the order they are declared).
  const settings: Record<string, unknown> = {};

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startEnsemble(3);
    settings['zookeeper.connections'] = [{ name: CONNECTION, connectString: cluster.connectString }];
    settings['zookeeper.health.pollIntervalMs'] = 1000; // the minimum: "down" shows within a few polls
  });
  const wb = useWorkbench({ scenario: 'health', settings });
  after(async () => {
    await cluster?.close();
  });

  /** Every member's mode from `srvr`, once the election has settled (one leader). */
  const readModes = async (): Promise<void> => {
    await waitFor(async () => (await cluster!.leaderId()) !== undefined, 30_000, 'the ensemble to have one leader');
    modes.clear();
    for (const s of cluster!.servers) {
      if (s.running()) modes.set(s.address, (await cluster!.mode(s.id)) ?? 'not serving');
    }
  };

  const openPanel = async (w: Workbench): Promise<FrameLocator> => {
    // The connection's root in the tree: the extension is loaded and its commands are in the palette.
    const view = await w.openZooKeeperView();
    await w.waitForTreeItem(CONNECTION, 20_000, view);
    await w.waitForActivation();
    await w.runCommand('ZooKeeper: Show Cluster Health');
    // With a single connection the command does not ask; with more it shows a quick pick.
    const tab = w.editorTab(PANEL_TITLE);
    const pick = w.quickInput.locator('.monaco-list-row', { hasText: CONNECTION });
    await waitFor(async () => (await tab.isVisible()) || (await pick.isVisible()), 20_000, `the "${PANEL_TITLE}" tab or a connection pick`);
    if (!(await tab.isVisible())) await w.pickQuickItem(CONNECTION);
    await tab.waitFor({ state: 'visible', timeout: 20_000 });
    return w.webviewFrame();
  };

  it('shows the three servers with the roles they report (one leader, two followers) and says healthy', async () => {
    const w = wb();
    await readModes();
    assert.deepEqual([...modes.values()].sort(), ['follower', 'follower', 'leader'], 'the ensemble itself (srvr)');
    const leaderId = await cluster!.leaderId();

    const frame = await openPanel(w);
    // Give the panel the whole window for the screenshot (the command needs no side bar).
    await w.runCommand('View: Close Primary Side Bar');

    let rows: TableRow[] = [];
    await waitFor(
      async () => {
        rows = await readTable(frame);
        return rows.length === 3 && rows.every((r) => r.state === 'up' && r.role !== '—');
      },
      20_000,
      'three rows, all up with a role',
    ).catch((e: Error) => {
      throw new Error(`${e.message}; the table shows ${JSON.stringify(rows)}`);
    });
    assert.deepEqual(new Set(rows.map((r) => r.key)), new Set(modes.keys()), 'one row per server of the connect string');
    for (const r of rows) {
      assert.equal(r.role, modes.get(r.key), `the role shown for ${r.key} (${r.server})`);
      assert.ok(r.server.includes(r.key), `the Server cell "${r.server}" names ${r.key}`);
    }
    assert.deepEqual(rows.map((r) => r.role).sort(), ['follower', 'follower', 'leader']);
    assert.equal(await frame.locator('vscode-data-grid-row.is-leader').count(), 1, 'one row marked as the leader');

    let summary = await readSummary(frame);
    await waitFor(async () => (summary = await readSummary(frame)).level === 'healthy', 10_000, 'the summary to say healthy').catch((e: Error) => {
      throw new Error(`${e.message}; it shows ${JSON.stringify(summary)}`);
    });
    assert.equal(summary.badge, 'Healthy');
    assert.match(summary.text, /^Healthy: /);
    assert.match(summary.text, /3 of 3 voting members up \(quorum 2\)/);
    if (leaderId !== undefined) assert.match(summary.text, new RegExp(`leader server\\.${leaderId}\\b`));
    assert.equal(await frame.locator('li.alert').count(), 0, 'no alerts on a healthy ensemble');

    const shot = await w.screenshot('health-healthy');
    console.log(`      screenshot: ${shot}`);
    w.assertNoExtensionErrors();
  });

  it('shows a killed follower down and the ensemble degraded within a few polls', async () => {
    const w = wb();
    const frame = w.webviewFrame();
    const follower = cluster!.servers.find((s) => modes.get(s.address) === 'follower');
    assert.ok(follower, 'a follower to kill');
    const t0 = Date.now();
    await cluster!.kill(follower.id);

    let rows: TableRow[] = [];
    let summary = await readSummary(frame);
    await waitFor(
      async () => {
        rows = await readTable(frame);
        summary = await readSummary(frame);
        return rows.find((r) => r.key === follower.address)?.state === 'down' && summary.level === 'degraded';
      },
      10_000, // 1 s polls with a 2 s deadline each: a few polls
      `server.${follower.id} (${follower.address}) down and the summary degraded`,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; the table shows ${JSON.stringify(rows)}, the summary ${JSON.stringify(summary)}`);
    });
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(`      follower server.${follower.id} shown down ${seconds} s after the kill`);

    assert.equal(summary.badge, 'Degraded');
    assert.match(summary.text, /^Degraded: /);
    assert.match(summary.text, /2 of 3 voting members up \(quorum 2\)/);
    // The two others stay up with their roles (a follower's death does not move the leader).
    for (const r of rows.filter((x) => x.key !== follower.address)) {
      assert.equal(r.state, 'up', `${r.key} stays up`);
      assert.equal(r.role, modes.get(r.key), `${r.key} keeps its role`);
    }
    const down = frame.locator('li.alert[data-kind="serverDown"]');
    await down.first().waitFor({ state: 'visible', timeout: 5_000 });
    const alertTitle = ((await down.first().locator('.alert-head strong').textContent()) ?? '').trim();
    assert.match(alertTitle, new RegExp(`${follower.address.replace(/\./g, '\\.')}.* is down$`));

    await down.first().scrollIntoViewIfNeeded(); // the alerts are below the table
    const shot = await w.screenshot('health-degraded');
    console.log(`      screenshot: ${shot}`);
    w.assertNoExtensionErrors();
  });
});
