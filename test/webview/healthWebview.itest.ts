// The built Cluster Health webview (dist/webview/health.js + its stylesheets) in headless Chromium,
// under the panel's own CSP and HTML, with a stand-in for the VS Code webview API: it renders a
// snapshot without any CSP violation or page error, hostile server strings stay text, the charts
// draw, and its buttons post the protocol's messages. At every width from a wide editor down to a
// phone-narrow column nothing scrolls sideways: a table with the columns that fit, or one card per
// server, each with its role; a server's details open and close from the keyboard; the charts
// follow the width. Opening a server's details asks for its clients ('wantClients'), shows the
// clients the host sends (hostile strings as text, the own connection marked, "and N more"), or why
// they could not be read with the line to copy; closing them says 'stopClients'.
// Screenshots go to artifacts/webview/. Uses the Chromium and playwright-core that
// scripts/e2e-setup.mjs installs; skipped (saying so) on a machine without them.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { healthHtml } from '../../src/health/html';
import type { ClientRow, HealthHistory, HealthSnapshot, HostToWebview } from '../../src/protocol/health';
import { DEFAULT_THRESHOLDS, buildHealth, type ServerState } from '../../src/zk/health/healthModel';
import { planLayout } from '../../webview/health/layout';
import { loadPlaywright, type BrowserContext, type Page } from '../e2e/playwright';

const ROOT = join(__dirname, '..', '..', ...(__dirname.includes(join('out', 'test')) ? ['..'] : []));
const NONCE = 'dGVzdG5vbmNlMTIzNDU2Nzg=';
const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const SHOTS = join(ROOT, 'artifacts', 'webview');

interface Manifest {
  playwrightCore: string;
  chromium: string;
}

function findManifest(): Manifest | undefined {
  const candidates = [join(ROOT, '.cache', 'e2e', 'manifest.json')];
  const dir = join(process.env.ZK_E2E_CACHE ?? '/var/cache/zookeeper-explorer-e2e', 'manifests');
  if (existsSync(dir)) {
    candidates.push(
      ...readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(dir, f))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs),
    );
  }
  for (const c of candidates) {
    try {
      const m = JSON.parse(readFileSync(c, 'utf8')) as Partial<Manifest>;
      if (m.playwrightCore && m.chromium && existsSync(m.playwrightCore) && existsSync(m.chromium)) return m as Manifest;
    } catch {
      // next
    }
  }
  return undefined;
}

const THEMES = {
  dark: { cls: 'vscode-dark', vars: { '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1e1e1e', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-errorForeground': '#f48771', '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#ffffff' } },
  light: { cls: 'vscode-light', vars: { '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-charts-blue': '#1a85ff', '--vscode-charts-orange': '#d18616', '--vscode-errorForeground': '#a1260d', '--vscode-badge-background': '#c4c4c4', '--vscode-badge-foreground': '#333333' } },
  highContrast: { cls: 'vscode-high-contrast', vars: { '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-contrastBorder': '#6fc3df', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-errorForeground': '#f48771', '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff' } },
};
type ThemeName = keyof typeof THEMES;

/** A snapshot with a leader, a follower whose strings are hostile, and a server that is down. */
function message(): HostToWebview {
  const mk = (port: number, id: number, last: ServerState['last']): ServerState => ({
    target: { key: `127.0.0.1:${port}`, host: '127.0.0.1', clientPort: port, origin: 'connectString' },
    serverId: id,
    last,
    lastOkAt: last?.reach === 'up' ? last.at : undefined,
    refusedWords: new Set(id === 2 ? ['mntr'] : []),
    answeredWords: new Set(['srvr']),
  });
  const at = Date.now();
  const obs = (figures: NonNullable<ServerState['last']>['figures']) => ({ reach: 'up' as const, notServing: false, at, durationMs: 4, figures, refusedWords: [], answeredWords: ['srvr', 'mntr'], adminUsed: [] });
  const servers = [
    mk(2181, 1, obs({ role: 'leader', version: '3.8.0', versionFull: '3.8.0-x', zxid: 0x100000010n, latencyAvg: 0.4, znodes: 42, syncedFollowers: 1, learners: 1, pendingSyncs: 0 })),
    mk(2182, 2, { ...obs({ role: 'unknown', rawRole: HOSTILE, versionFull: HOSTILE, zxid: 0x10000000an, znodes: 42 }), adminProblem: `AdminServer said ${HOSTILE}` }),
    mk(2183, 3, { reach: 'down', notServing: false, at, durationMs: 1, error: 'connection refused', figures: {}, refusedWords: [], answeredWords: [], adminUsed: [] }),
  ];
  const r = buildHealth({ servers, members: [], thresholds: DEFAULT_THRESHOLDS });
  const snapshot: HealthSnapshot = { connectionName: `prod ${HOSTILE}`, ...r, pollIntervalMs: 5000, thresholds: DEFAULT_THRESHOLDS };
  const t = Array.from({ length: 30 }, (_, i) => Math.floor(at / 1000) - (29 - i) * 5);
  const wave = (k: number) => t.map((_, i) => (i % 7 === 0 ? null : Math.round((Math.sin(i / 3 + k) + 1.5) * 10) / 10));
  const history: HealthHistory = {
    t,
    series: servers.map((s, k) => ({ key: s.target.key, label: k === 1 ? HOSTILE : `server.${k + 1}`, latencyAvg: wave(k), latencyMax: wave(k + 1), outstanding: wave(k + 2), packetsPerSec: wave(k + 3), connections: wave(k + 4) })),
  };
  return { type: 'snapshot', snapshot, history };
}

describe('Cluster Health webview in Chromium', function () {
  this.timeout(90_000);
  const manifest = findManifest();
  let server: http.Server;
  let origin = '';
  let context: BrowserContext | undefined;
  let profile = '';
  let theme: ThemeName = 'dark';

  before(function () {
    if (!manifest) {
      console.log('    (skipped: no Chromium/playwright-core; `node scripts/e2e-setup.mjs` installs them)');
      this.skip();
    }
    if (!existsSync(join(ROOT, 'dist', 'webview', 'health.js'))) throw new Error('dist/webview/health.js is missing: run `npm run build` first');
  });

  before(async function () {
    if (!manifest) return;
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (type: string, body: string | Buffer) => {
        res.setHeader('content-type', type);
        res.end(body);
      };
      if (url.pathname === '/') {
        const html = healthHtml({ cspSource: origin, nonce: NONCE, scriptUri: `${origin}/dist/webview/health.js`, styleUris: [`${origin}/dist/webview/health.css`, `${origin}/media/health.css`, `${origin}/theme.css`] });
        // The stand-in for VS Code's preload: the webview API, and a recorder of CSP violations.
        return send('text/html', html.replace('<script nonce', `<script nonce="${NONCE}" src="${origin}/vscode-stub.js"></script>\n  <script nonce`));
      }
      if (url.pathname === '/vscode-stub.js') {
        return send(
          'text/javascript',
          `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.sourceFile + ':' + e.lineNumber));
           window.__sent = []; window.__state = undefined;
           window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__sent.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });
           document.body.className = ${JSON.stringify(THEMES[theme].cls)};`,
        );
      }
      if (url.pathname === '/theme.css') {
        return send('text/css', `html { ${Object.entries(THEMES[theme].vars).map(([k, v]) => `${k}: ${v};`).join(' ')} }`);
      }
      if (url.pathname === '/favicon.ico') {
        res.statusCode = 204;
        return res.end();
      }
      const file = normalize(join(ROOT, url.pathname));
      if (!(file.startsWith(join(ROOT, 'dist', 'webview')) || file.startsWith(join(ROOT, 'media'))) || !existsSync(file)) {
        res.statusCode = 404;
        return res.end();
      }
      send(file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream', readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'zk-health-webview-'));
    context = await loadPlaywright(manifest!.playwrightCore).chromium.launchPersistentContext(profile, {
      executablePath: manifest!.chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
      viewport: { width: 1300, height: 1000 },
    });
  });

  after(async () => {
    await context?.close();
    server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(name: ThemeName): Promise<{ page: Page; problems: string[] }> {
    theme = name;
    const page = await context!.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`${origin}/`);
    await page.waitForFunction('window.__sent.some((m) => m.type === "ready")', undefined, { timeout: 10_000 });
    await page.evaluate((m: unknown) => (globalThis as unknown as { postMessage(msg: unknown, target: string): void }).postMessage(m, '*'), message());
    await page.waitForFunction('document.querySelectorAll("canvas").length >= 4 && !!document.querySelector(".summary-text")?.textContent', undefined, { timeout: 10_000 });
    return { page, problems };
  }

  for (const name of Object.keys(THEMES) as ThemeName[]) {
    it(`renders a snapshot in the ${name} theme with no CSP violation, hostile strings as text`, async () => {
      const { page, problems } = await open(name);
      try {
        const r = await page.evaluate<{
          csp: string[];
          pwned: unknown;
          markup: number;
          hostileShown: boolean;
          rows: number;
          columns: string[];
          width: number;
          em: number;
          roles: string[];
          canvases: number;
          summary: string;
          state: unknown;
        }>(`(() => {
          const app = document.getElementById('app');
          const servers = document.querySelector('.servers');
          const rows = document.querySelectorAll('.servers [data-key]');
          return {
            csp: window.__csp,
            pwned: window.__pwned,
            markup: app.querySelectorAll('img, script, iframe, object, embed').length,
            hostileShown: document.body.innerText.includes('<img src=x onerror'),
            rows: rows.length,
            columns: [...document.querySelectorAll('.server-table > thead th')].map((th) => th.className.replace(/^col-(\\S+).*$/, '$1')),
            width: servers.clientWidth,
            em: parseFloat(getComputedStyle(servers).fontSize),
            roles: [...rows].map((r) => r.querySelector('[data-col="role"]').textContent),
            canvases: document.querySelectorAll('canvas').length,
            summary: document.querySelector('.summary-text').textContent,
            state: window.__state,
          };
        })()`);
        assert.deepEqual(r.csp, [], 'no CSP violation');
        assert.deepEqual(problems, [], 'no console error or page error');
        assert.equal(r.pwned, undefined);
        assert.equal(r.markup, 0, 'no element made from a server string');
        assert.ok(r.hostileShown, 'the hostile string is shown, as text');
        assert.equal(r.rows, 3, 'one row per server');
        assert.deepEqual(r.columns, planLayout(r.width, r.em).table, `the columns planned for ${r.width} px`);
        assert.deepEqual(r.roles, ['leader', HOSTILE, '—']);
        assert.equal(r.canvases, 4);
        assert.match(r.summary, /^Down: leader server\.1|^Degraded: leader server\.1/);
        assert.deepEqual(r.state, { connectionName: `prod ${HOSTILE}` }, 'kept for the restore after a reload');
      } finally {
        await page.close();
      }
    });
  }

  it('Refresh and Copy post the protocol messages; a theme change redraws the charts', async () => {
    const { page, problems } = await open('dark');
    try {
      await page.locator('vscode-button', { hasText: 'Refresh' }).click();
      await page.locator('vscode-button', { hasText: 'Copy' }).first().click();
      const sent = await page.evaluate<{ type: string; text?: string }[]>('window.__sent');
      assert.deepEqual(
        sent.map((m) => m.type),
        ['ready', 'refresh', 'copy'],
      );
      assert.equal(sent[2].text, '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok');
      await page.evaluate(`document.body.className = 'vscode-light'`);
      await page.waitForTimeout(300);
      assert.equal(await page.evaluate<number>('document.querySelectorAll("canvas").length'), 4);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
  /** What the page shows at its current width (runs in the page). */
  interface Fit {
    docOverflow: number;
    bodyOverflow: number;
    serversOverflow: number;
    mode: string;
    columns: string[];
    width: number;
    em: number;
    servers: { key: string; server: string; role: string; visible: boolean }[];
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
        server: r.querySelector('[data-col="server"]').textContent,
        role: r.querySelector('[data-col="role"]').textContent,
        visible: visible(r.querySelector('[data-col="role"]')) && visible(r.querySelector('[data-col="server"]')),
      })),
      charts: [...document.querySelectorAll('.chart-body')].map((b) => {
        const plot = b.querySelector('.uplot');
        return { body: b.clientWidth, plot: plot.getBoundingClientRect().width, right: plot.getBoundingClientRect().right, bodyRight: b.getBoundingClientRect().right };
      }),
    };
  })()`;

  for (const name of Object.keys(THEMES) as ThemeName[]) {
    it(`fits every width in the ${name} theme: no sideways scrolling, every server with its role, charts inside`, async () => {
      const { page, problems } = await open(name);
      mkdirSync(SHOTS, { recursive: true });
      try {
        const modes = new Set<string>();
        for (const width of [1300, 1000, 760, 640, 520, 400, 320]) {
          await page.setViewportSize({ width, height: 1000 });
          // The layout follows on the next frame, the plots once the size has been still for 100 ms.
          let fit: Fit | undefined;
          const ok = (f: Fit) => f.charts.every((c) => c.plot <= c.body + 0.5 && Math.abs(c.plot - c.body) <= 1) && f.mode === planLayout(f.width, f.em).mode;
          const deadline = Date.now() + 5_000;
          while (Date.now() < deadline) {
            await page.waitForTimeout(150);
            fit = await page.evaluate<Fit>(FIT);
            if (ok(fit)) break;
          }
          const at = `at ${width} px: ${JSON.stringify(fit)}`;
          assert.ok(fit && ok(fit), `the charts take the width of their bodies and the layout is the planned one ${at}`);
          assert.ok(fit.docOverflow <= 0 && fit.bodyOverflow <= 0, `no horizontal overflow of the page ${at}`);
          assert.ok(fit.serversOverflow <= 0, `the server list does not scroll sideways ${at}`);
          const plan = planLayout(fit.width, fit.em);
          assert.deepEqual(fit.columns, plan.table, `the planned columns ${at}`);
          assert.equal(fit.servers.length, 3, `three servers ${at}`);
          assert.ok(fit.servers.every((s) => s.visible && s.role !== ''), `every server shown with its role ${at}`);
          assert.deepEqual(fit.servers.map((s) => s.role), ['leader', HOSTILE, '—']);
          assert.ok(fit.charts.every((c) => c.right <= c.bodyRight + 0.5), `the charts end inside their bodies ${at}`);
          modes.add(fit.mode);
          await page.screenshot({ path: join(SHOTS, `health-${name}-${width}.png`), fullPage: true });
        }
        assert.deepEqual([...modes].sort(), ['cards', 'table'], 'a table when wide, cards when narrow');
        assert.deepEqual(problems, [], 'no console error or page error');
        assert.deepEqual(await page.evaluate<string[]>('window.__csp'), [], 'no CSP violation');
      } finally {
        await page.close();
      }
    });
  }

  it("opens and closes a server's details from the keyboard, in the table and on a card; server strings stay text", async () => {
    const { page, problems } = await open('dark');
    try {
      const details = async () =>
        page.evaluate<{ expanded: string | null; hidden: boolean; text: string; focused: boolean; mode: string }>(`(() => {
          const b = document.querySelector('.servers [data-key="127.0.0.1:2182"] .details-toggle');
          const d = document.getElementById(b.getAttribute('aria-controls'));
          return {
            expanded: b.getAttribute('aria-expanded'),
            hidden: d.hidden || d.getClientRects().length === 0,
            text: d.innerText,
            focused: document.activeElement === b,
            mode: document.querySelector('.server-cards') ? 'cards' : 'table',
          };
        })()`);
      await page.setViewportSize({ width: 1000, height: 1000 });
      await page.waitForTimeout(200);
      let d = await details();
      assert.deepEqual([d.mode, d.expanded, d.hidden], ['table', 'false', true], 'a table row, collapsed at first');
      await page.locator('.servers [data-key="127.0.0.1:2182"] .details-toggle').focus();
      await page.keyboard.press('Enter');
      d = await details();
      assert.deepEqual([d.expanded, d.hidden], ['true', false], 'Enter shows the details');
      assert.match(d.text, /Watches/, 'the details list the figures that are not in the table');
      assert.ok(d.text.includes(HOSTILE), 'the hostile full version and problem are shown, as text');
      await page.keyboard.press('Space');
      d = await details();
      assert.deepEqual([d.expanded, d.hidden], ['false', true], 'Space hides them');
      await page.keyboard.press('Enter');

      // Narrower: the row becomes a card, still expanded, and the focus stays on its button.
      await page.setViewportSize({ width: 400, height: 1000 });
      await page.waitForTimeout(200);
      d = await details();
      assert.deepEqual([d.mode, d.expanded, d.hidden, d.focused], ['cards', 'true', false, true], 'a card, expanded, focused');
      assert.match(d.text, /Zxid/, 'the card details list the figures that are not on the card');
      assert.ok(d.text.includes(HOSTILE));
      await page.keyboard.press('Enter');
      d = await details();
      assert.deepEqual([d.expanded, d.hidden], ['false', true], 'Enter hides them');
      assert.equal(await page.evaluate<unknown>('window.__pwned'), undefined);
      assert.equal(await page.evaluate<number>("document.getElementById('app').querySelectorAll('img, script, iframe, object, embed').length"), 0);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  it("a server's details ask for its clients, show them (hostile strings as text, own connection marked), and say stop when closed", async () => {
    const { page, problems } = await open('dark');
    const post = (m: unknown) => page.evaluate((msg: unknown) => (globalThis as unknown as { postMessage(x: unknown, t: string): void }).postMessage(msg, '*'), m);
    const sent = () => page.evaluate<{ type: string; server?: string; text?: string }[]>('window.__sent');
    const section = (key: string) => `.servers [data-key="${key}"] ~ .details-row .clients, .servers [data-key="${key}"] .clients`;
    try {
      await page.setViewportSize({ width: 1300, height: 1000 });
      await page.waitForTimeout(200);
      const now = Date.now();
      const rows: ClientRow[] = [
        { client: '127.0.0.1:50001', own: false, sessionId: '0x100000abc', established: now - 65_000, lastOperation: 'GETD', queued: 0, received: 900, sent: 899, latencyMin: 0, latencyAvg: 1.5, latencyMax: 12 },
        { client: HOSTILE, clientName: HOSTILE, own: false, sessionId: HOSTILE, lastOperation: HOSTILE, received: 40, sent: 40 },
        { client: '127.0.0.1:50003', own: true, sessionId: '0x100000def', established: now - 5_000, lastOperation: 'PING', queued: 0, received: 12, sent: 12, latencyMin: 0, latencyAvg: 0, latencyMax: 1 },
      ];
      // Not open yet: a clients message is ignored, nothing was asked.
      await post({ type: 'clients', server: '127.0.0.1:2182', clients: { at: now, via: 'cons', rows, total: 3, more: 0 } });
      assert.ok(!(await sent()).some((m) => m.type === 'wantClients'), 'no clients asked for closed details');
      await page.locator('.servers [data-key="127.0.0.1:2182"] .details-toggle').click();
      assert.deepEqual((await sent()).filter((m) => m.type === 'wantClients'), [{ type: 'wantClients', server: '127.0.0.1:2182' }]);
      assert.match(await page.locator(section('127.0.0.1:2182')).innerText(), /Reading the client connections/);

      await post({ type: 'clients', server: '127.0.0.1:2182', clients: { at: now, via: 'cons', rows, total: 123, more: 120 } });
      const table = page.locator(`${section('127.0.0.1:2182')} .clients-table`);
      await table.waitFor({ state: 'visible', timeout: 5_000 });
      const r = await page.evaluate<{ rows: string[][]; own: string[]; caption: string; more: string; heading: string; markup: number; pwned: unknown; overflow: number }>(`(() => {
        const s = document.querySelector('.servers [data-key="127.0.0.1:2182"]').closest('tbody').querySelector('.clients');
        return {
          rows: [...s.querySelectorAll('tr.client')].map((tr) => [...tr.children].map((c) => c.textContent)),
          own: [...s.querySelectorAll('tr.own')].map((tr) => tr.textContent),
          caption: s.querySelector('.clients-caption').textContent,
          more: s.querySelector('.clients-more').textContent,
          heading: s.querySelector('h3').textContent,
          markup: document.getElementById('app').querySelectorAll('img, script, iframe, object, embed').length,
          pwned: window.__pwned,
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      })()`);
      assert.equal(r.heading, 'Clients');
      assert.equal(r.rows.length, 3);
      assert.deepEqual(r.rows[0], ['127.0.0.1:50001', '0x100000abc', '1m 5s ago', 'GETD', '0', '900 / 899', '0 / 1.5 / 12']);
      assert.deepEqual(r.rows[1], [HOSTILE, HOSTILE, '—', HOSTILE, '—', '40 / 40', '—'], 'hostile strings shown as text');
      assert.equal(r.own.length, 1);
      assert.match(r.own[0], /^127\.0\.0\.1:50003this connection0x100000def/);
      assert.equal(r.caption, '123 connections');
      assert.equal(r.more, 'and 120 more (the 3 with the most requests are shown)');
      assert.equal(r.markup, 0, 'no element made from a client string');
      assert.equal(r.pwned, undefined);
      assert.ok(r.overflow <= 0, 'nothing scrolls sideways');
      await page.screenshot({ path: join(SHOTS, 'health-clients-1300.png'), fullPage: true });

      // A narrow panel: the server is a card and each client a block of labelled figures; nothing sideways.
      await page.setViewportSize({ width: 360, height: 1000 });
      await page.waitForTimeout(300);
      const narrow = await page.evaluate<{ overflow: number; servers: number; rows: number; own: number }>(`(() => {
        const s = document.querySelector('.servers [data-key="127.0.0.1:2182"] .clients');
        return {
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          servers: document.querySelector('.servers').scrollWidth - document.querySelector('.servers').clientWidth,
          rows: s ? s.querySelectorAll('tr.client').length : -1,
          own: s ? s.querySelectorAll('tr.own').length : -1,
        };
      })()`);
      assert.deepEqual([narrow.rows, narrow.own], [3, 1], `the clients, on the card: ${JSON.stringify(narrow)}`);
      assert.ok(narrow.overflow <= 0 && narrow.servers <= 0, `nothing scrolls sideways at 360 px: ${JSON.stringify(narrow)}`);
      await page.screenshot({ path: join(SHOTS, 'health-clients-360.png'), fullPage: true });
      await page.setViewportSize({ width: 1300, height: 1000 });
      await page.waitForTimeout(300);

      // Another server refuses cons and has no AdminServer: the reason and the line, with Copy.
      await page.locator('.servers [data-key="127.0.0.1:2181"] .details-toggle').click();
      const line = '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok,cons';
      await post({ type: 'clients', server: '127.0.0.1:2181', clients: { at: now, rows: [], total: 0, more: 0, problem: { text: `It refuses the four-letter word cons ${HOSTILE}`, configLine: line } } });
      const s1 = page.locator(section('127.0.0.1:2181'));
      await s1.locator('.clients-problem').waitFor({ state: 'visible', timeout: 5_000 });
      const text = await s1.innerText();
      assert.ok(text.includes(`It refuses the four-letter word cons ${HOSTILE}`), text);
      assert.equal(await s1.locator('.config-line code').textContent(), line);
      assert.equal(await s1.locator('.clients-table').isVisible(), false);
      await s1.locator('vscode-button', { hasText: 'Copy' }).click();
      assert.deepEqual((await sent()).filter((m) => m.type === 'copy').pop(), { type: 'copy', text: line });

      // Closing the details stops the reading.
      await page.locator('.servers [data-key="127.0.0.1:2182"] .details-toggle').click();
      await page.locator('.servers [data-key="127.0.0.1:2181"] .details-toggle').click();
      assert.deepEqual(
        (await sent()).filter((m) => m.type === 'wantClients' || m.type === 'stopClients').map((m) => `${m.type} ${m.server}`),
        ['wantClients 127.0.0.1:2182', 'wantClients 127.0.0.1:2181', 'stopClients 127.0.0.1:2182', 'stopClients 127.0.0.1:2181'],
      );
      assert.equal(await page.evaluate<unknown>('window.__pwned'), undefined);
      assert.deepEqual(await page.evaluate<string[]>('window.__csp'), [], 'no CSP violation');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});
