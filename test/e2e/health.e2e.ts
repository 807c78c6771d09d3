// The Cluster Health panel in the real VS Code (code-server in chromium) against a real 3-node
// ensemble: "ZooKeeper: Show Cluster Health" from the command palette opens the panel titled
// "Cluster Health: <connection>"; inside the webview (nested iframes) the table shows one row per
// server with the role ZooKeeper itself reports (one leader, two followers) and the summary says
// healthy. With the connection opened in the tree, each server's details show a "Clients" section
// (read on demand) in which the extension's own session is marked "this connection". Then a
// follower is killed (SIGKILL): within a few polls (1 s interval) its row says down,
// the summary says degraded with 2 of 3 voting members up, and a "… is down" alert is listed.
//
// Before that, in a narrow window (600 px, as an editor column beside another) and a dark theme:
// nothing scrolls sideways (the page's scrollWidth stays within its width), each server is a card
// with its role, a card's details open from the keyboard, the charts are as wide as the panel; at
// 760 px the servers are a table with the core columns. Then the light and high-contrast themes,
// switched in the user settings: the webview follows, and its text stays readable (contrast ratios
// of the summary, the servers and the labels against what is behind them).
import * as assert from 'node:assert/strict';
import type { FrameLocator } from './playwright';
import { ZkCluster } from '../harness/zookeeper';
import { planLayout } from '../../webview/health/layout';
import { readmeScreenshot } from './readmeScreenshots';
import { expandRow, useWorkbench, waitFor, type Workbench } from './workbench';

const CONNECTION = 'trio';
const PANEL_TITLE = `Cluster Health: ${CONNECTION}`;

interface TableRow {
  key: string;
  server: string;
  state: string;
  role: string;
}

/** The servers as shown (table rows or cards): one entry per server, in the order shown. */
async function readTable(frame: FrameLocator): Promise<TableRow[]> {
  const rows = await frame.locator('.servers [data-key]').all();
  const out: TableRow[] = [];
  for (const row of rows) {
    const cell = async (column: string) => ((await row.locator(`[data-col="${column}"]`).first().textContent()) ?? '').trim();
    out.push({ key: (await row.getAttribute('data-key')) ?? '', server: await cell('server'), state: await cell('state'), role: await cell('role') });
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

/** How the panel fits its width, read inside the webview (a page function, as source). */
interface Fit {
  /** scrollWidth - clientWidth of the document, the body and the server list: > 0 is sideways scrolling. */
  docOverflow: number;
  bodyOverflow: number;
  serversOverflow: number;
  mode: 'table' | 'cards' | 'none';
  columns: string[];
  /** Width of the server list (px) and its font size: what layout.ts planned with. */
  width: number;
  em: number;
  servers: { key: string; role: string; visible: boolean }[];
  charts: { body: number; plot: number; right: number; bodyRight: number }[];
}

const FIT = `(() => {
  const servers = document.querySelector('.servers');
  const visible = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const de = document.documentElement;
  return {
    docOverflow: de.scrollWidth - de.clientWidth,
    bodyOverflow: document.body.scrollWidth - document.body.clientWidth,
    serversOverflow: servers.scrollWidth - servers.clientWidth,
    mode: servers.querySelector('.server-table') ? 'table' : servers.querySelector('.server-cards') ? 'cards' : 'none',
    columns: [...servers.querySelectorAll('.server-table > thead th')].map((th) => th.className.replace(/^col-(\\S+).*$/, '$1')),
    width: servers.clientWidth,
    em: parseFloat(getComputedStyle(servers).fontSize),
    servers: [...servers.querySelectorAll('[data-key]')].map((r) => ({
      key: r.getAttribute('data-key'),
      role: r.querySelector('[data-col="role"]').textContent.trim(),
      visible: visible(r.querySelector('[data-col="role"]')) && visible(r.querySelector('[data-col="server"]')),
    })),
    charts: [...document.querySelectorAll('.chart-body')].map((b) => {
      const plot = b.querySelector('.uplot');
      const r = plot ? plot.getBoundingClientRect() : { width: -1, right: -1 };
      return { body: b.clientWidth, plot: r.width, right: r.right, bodyRight: b.getBoundingClientRect().right };
    }),
  };
})()`;

interface Contrast {
  color: string;
  background: string;
  ratio: number;
}

/**
 * The theme the webview has (its body class) and the WCAG contrast ratio of a few texts against
 * what is behind them (the nearest ancestor with a background; colours with alpha are blended).
 */
const COLOURS = `(() => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]*)\\)/.exec(c);
    if (!m) return undefined;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, below) => ({ r: top.r * top.a + below.r * (1 - top.a), g: top.g * top.a + below.g * (1 - top.a), b: top.b * top.a + below.b * (1 - top.a), a: 1 });
  const behind = (e) => {
    const layers = [];
    for (let x = e; x; x = x.parentElement) {
      const c = parse(getComputedStyle(x).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const lum = (c) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const probe = (selector) => {
    const e = document.querySelector(selector);
    if (!e) return null;
    const bg = behind(e);
    const fg = over(parse(getComputedStyle(e).color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const css = (c) => 'rgb(' + [c.r, c.g, c.b].map(Math.round).join(', ') + ')';
    return { color: css(fg), background: css(bg), ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100 };
  };
  return {
    theme: document.body.className,
    texts: {
      summary: probe('.summary-text'),
      level: probe('.summary .level'),
      factLabel: probe('.fact-label'),
      server: probe('.servers [data-key] [data-col="server"]'),
      state: probe('.servers [data-key] [data-col="state"]'),
      role: probe('.servers [data-key] [data-col="role"]'),
      figureLabel: probe('.servers .figure dt'),
      heading: probe('h2'),
    },
  };
})()`;

/** Waits until the panel fits its width (the plots follow 100 ms after the last resize) and returns what it shows. */
async function waitForFit(frame: FrameLocator, what: string): Promise<Fit> {
  let fit: Fit | undefined;
  const settled = (f: Fit) => f.mode !== 'none' && f.charts.length === 4 && f.charts.every((c) => Math.abs(c.plot - c.body) <= 1) && f.mode === planLayout(f.width, f.em).mode;
  await waitFor(async () => settled((fit = await frame.locator('body').evaluate<Fit>(FIT))), 10_000, `the panel to settle ${what}`).catch((e: Error) => {
    throw new Error(`${e.message}; it shows ${JSON.stringify(fit)}`);
  });
  return fit!;
}

/** The checks of a panel at any width: no sideways scrolling, every server with its role, charts inside. */
function assertFits(fit: Fit, roles: Map<string, string>, what: string): void {
  const at = `${what}: ${JSON.stringify(fit)}`;
  assert.ok(fit.docOverflow <= 0, `the page does not scroll sideways ${at}`);
  assert.ok(fit.bodyOverflow <= 0, `the body's scrollWidth stays within its clientWidth ${at}`);
  assert.ok(fit.serversOverflow <= 0, `the server list does not scroll sideways ${at}`);
  assert.deepEqual(fit.columns, planLayout(fit.width, fit.em).table, `the columns planned for this width ${at}`);
  assert.deepEqual(new Set(fit.servers.map((s) => s.key)), new Set(roles.keys()), `every server ${at}`);
  for (const s of fit.servers) {
    assert.ok(s.visible, `${s.key} is shown with its role ${at}`);
    assert.equal(s.role, roles.get(s.key), `the role of ${s.key} ${at}`);
  }
  for (const c of fit.charts) {
    assert.ok(c.plot > 0 && c.plot <= c.body + 0.5 && c.right <= c.bodyRight + 0.5, `each chart fits its place ${at}`);
  }
}

describe('e2e: cluster health panel', function () {
  this.timeout(180_000);
  let cluster: ZkCluster | undefined;
  /** What ZooKeeper itself says each member is, by "host:port" (the table's row key). */
  const modes = new Map<string, string>();
  // Filled in before the workbench starts (mocha runs before-hooks in the order they are declared).
  const settings: Record<string, unknown> = {};
  /** The same, in a dark theme to start from (VS Code's default theme is light here). */
  const darkSettings: Record<string, unknown> = {};

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startEnsemble(3);
    settings['zookeeper.connections'] = [{ name: CONNECTION, connectString: cluster.connectString }];
    settings['zookeeper.health.pollIntervalMs'] = 1000; // the minimum: "down" shows within a few polls
    Object.assign(darkSettings, settings, { 'workbench.colorTheme': 'Dark Modern' });
  });
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

  describe('in a narrow window, then in the light and high-contrast themes', () => {
    const wb = useWorkbench({ scenario: 'health-narrow', settings: darkSettings, viewport: { width: 600, height: 900 } });

    it('fits a 600 px window: one card per server with its role, no sideways scrolling, charts as wide as the panel', async () => {
      const w = wb();
      await readModes();
      const frame = await openPanel(w);
      await w.runCommand('View: Close Primary Side Bar');
      await waitFor(async () => (await readTable(frame)).filter((r) => r.role !== '—').length === 3, 20_000, 'three servers with a role');
      assert.ok(((await frame.locator('body').getAttribute('class')) ?? '').split(/\s+/).includes('vscode-dark'), 'a dark theme to start from');

      const fit = await waitForFit(frame, 'at 600 px');
      assert.equal(fit.mode, 'cards', `cards in a ${fit.width} px wide panel`);
      assertFits(fit, modes, 'at 600 px');

      // A card's details open and close from the keyboard; the button says which.
      const leader = [...modes].find(([, mode]) => mode === 'leader')![0];
      const toggle = frame.locator(`.servers [data-key="${leader}"] .details-toggle`);
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      await toggle.focus();
      await w.page.keyboard.press('Enter');
      await waitFor(async () => (await toggle.getAttribute('aria-expanded')) === 'true', 5_000, 'Enter to expand the details');
      const details = frame.locator(`#${(await toggle.getAttribute('aria-controls'))!}`);
      await details.waitFor({ state: 'visible', timeout: 5_000 });
      assert.match(await details.innerText(), /Zxid\s+0x[0-9a-f]+/, 'the details show the zxid');
      assertFits(await frame.locator('body').evaluate<Fit>(FIT), modes, 'at 600 px, with details open');
      const shot = await w.screenshot('health-narrow');
      console.log(`      screenshot: ${shot}`);

      // A little wider: the table with the core columns, the details still open, nothing sideways.
      await w.page.setViewportSize({ width: 760, height: 900 });
      const medium = await waitForFit(frame, 'at 760 px');
      assert.equal(medium.mode, 'table', `a table in a ${medium.width} px wide panel`);
      assert.deepEqual(medium.columns.slice(0, 7), ['server', 'state', 'role', 'latencyAvg', 'outstanding', 'connections', 'behind']);
      assertFits(medium, modes, 'at 760 px');
      assert.equal(await frame.locator(`.servers [data-key="${leader}"] .details-toggle`).getAttribute('aria-expanded'), 'true', 'still expanded');
      console.log(`      cards at ${fit.width} px, a table of ${medium.columns.length} columns at ${medium.width} px`);
      w.assertNoExtensionErrors();
    });

    for (const [theme, kind, shot, width] of [
      ['Default Light Modern', 'vscode-light', 'health-light', 600],
      ['Default High Contrast', 'vscode-high-contrast', 'health-hc', 760],
    ] as const) {
      it(`stays readable in "${theme}" (workbench.colorTheme)`, async () => {
        const w = wb();
        const frame = w.webviewFrame();
        await w.page.setViewportSize({ width, height: 900 });
        await w.updateSettings({ 'workbench.colorTheme': theme });
        await waitFor(async () => ((await frame.locator('body').getAttribute('class')) ?? '').split(/\s+/).includes(kind), 20_000, `the webview to take the ${kind} theme`);
        await w.page.waitForTimeout(300); // the charts redraw in the theme's colours
        assertFits(await waitForFit(frame, `in ${theme}`), modes, `in ${theme}`);

        const c = await frame.locator('body').evaluate<{ theme: string; texts: Record<string, Contrast | null> }>(COLOURS);
        console.log(`      ${theme}: ${Object.entries(c.texts).map(([k, v]) => `${k} ${v ? v.ratio : '-'}`).join(', ')}`);
        for (const [name, min] of [['summary', 4.5], ['server', 4.5], ['state', 4.5], ['role', 4.5], ['factLabel', 4.5], ['heading', 4.5], ['level', 3]] as const) {
          const t = c.texts[name];
          assert.ok(t, `${name} is shown`);
          assert.notEqual(t.color, t.background, `${name}: the text colour differs from its background`);
          assert.ok(t.ratio >= min, `${name}: contrast ${t.ratio} (${t.color} on ${t.background}) is at least ${min} in ${theme}`);
        }
        const file = await w.screenshot(shot);
        console.log(`      screenshot: ${file}`);
        w.assertNoExtensionErrors();
      });
    }
  });

  describe('at full width', () => {
    const wb = useWorkbench({ scenario: 'health', settings });

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
      assert.equal(await frame.locator('.servers [data-key].is-leader').count(), 1, 'one row marked as the leader');

      let summary = await readSummary(frame);
      await waitFor(async () => (summary = await readSummary(frame)).level === 'healthy', 10_000, 'the summary to say healthy').catch((e: Error) => {
        throw new Error(`${e.message}; it shows ${JSON.stringify(summary)}`);
      });
      assert.equal(summary.badge, 'Healthy');
      assert.match(summary.text, /^Healthy: /);
      assert.match(summary.text, /3 of 3 voting members up \(quorum 2\)/);
      if (leaderId !== undefined) assert.match(summary.text, new RegExp(`leader server\\.${leaderId}\\b`));
      assert.equal(await frame.locator('li.alert').count(), 0, 'no alerts on a healthy ensemble');

      await readmeScreenshot(w, 'health');
      w.assertNoExtensionErrors();
    });

    it('lists the clients of a server in its details, the extension\'s own connection marked "this connection"', async () => {
      const w = wb();
      // Open the connection (expanding its root in the tree connects it), then come back to the panel.
      const view = await w.openZooKeeperView();
      await expandRow(await w.waitForTreeItem(CONNECTION, 20_000, view));
      await w.runCommand('View: Close Primary Side Bar');
      const frame = w.webviewFrame();
      // The session is on one of the servers: open the details of each.
      const keys = [...modes.keys()];
      for (const key of keys) {
        const toggle = frame.locator(`.servers [data-key="${key}"] .details-toggle`);
        if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
        await waitFor(async () => (await toggle.getAttribute('aria-expanded')) === 'true', 5_000, `the details of ${key} to open`);
      }
      const own = frame.locator('.clients tr.own');
      let captions: string[] = [];
      await waitFor(
        async () => {
          captions = (await frame.locator('.clients .clients-caption').allTextContents()).map((t) => t.trim());
          // Each server answers on its own: wait until none is still being read.
          return (await own.count()) === 1 && captions.length === keys.length && captions.every((c) => !/^Reading/.test(c));
        },
        20_000,
        'a client row marked as this connection, and every server read',
      ).catch((e: Error) => {
        throw new Error(`${e.message}; the Clients sections say ${JSON.stringify(captions)}`);
      });
      assert.equal(captions.length, keys.length, 'a Clients section in each open details');
      for (const c of captions) assert.match(c, /^\d+ connections?$/, 'every server lists its clients (cons is whitelisted)');
      const section = frame.locator('section.clients', { has: frame.locator('tr.own') });
      assert.equal(((await section.locator('h3').textContent()) ?? '').trim(), 'Clients');
      assert.equal(((await own.locator('.own-tag').textContent()) ?? '').trim(), 'this connection');
      const session = ((await own.locator('[data-col="client-session"]').textContent()) ?? '').trim();
      const client = ((await own.locator('.client-address').textContent()) ?? '').trim();
      assert.match(session, /^0x[0-9a-f]+$/, 'its session id');
      assert.match(client, /^127\.0\.0\.1:\d+$/, 'its address as the server sees it');
      // The server whose details list it really has that session (its own `cons`, asked directly).
      const serverKey = await own.evaluate((e) => {
        const box = e.closest('tbody.server, li.server-card');
        return box?.getAttribute('data-key') ?? box?.querySelector('[data-key]')?.getAttribute('data-key') ?? '';
      });
      const member = cluster!.servers.find((x) => x.address === serverKey);
      assert.ok(member, `the server of that row (${serverKey})`);
      assert.match(await cluster!.fourLetter(member.id, 'cons'), new RegExp(`sid=${session}\\b`), `server.${member.id} lists session ${session}`);
      console.log(`      this connection: ${client}, session ${session} on server.${member.id}`);
      await own.scrollIntoViewIfNeeded();
      const shot = await w.screenshot('health-clients');
      console.log(`      screenshot: ${shot}`);
      // Closing the details stops the reading (and keeps the table as it was for the next test).
      for (const key of keys) await frame.locator(`.servers [data-key="${key}"] .details-toggle`).click();
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
});
