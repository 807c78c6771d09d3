// The built Cluster Health webview (dist/webview/health.js + its stylesheets) in headless Chromium,
// under the panel's own CSP and HTML, with a stand-in for the VS Code webview API: it renders a
// snapshot without any CSP violation or page error, hostile server strings stay text, the charts
// draw, and its buttons post the protocol's messages. Uses the Chromium and playwright-core that
// scripts/e2e-setup.mjs installs; skipped (saying so) on a machine without them.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { healthHtml } from '../../src/health/html';
import type { HealthHistory, HealthSnapshot, HostToWebview } from '../../src/protocol/health';
import { DEFAULT_THRESHOLDS, buildHealth, type ServerState } from '../../src/zk/health/healthModel';
import { loadPlaywright, type BrowserContext, type Page } from '../e2e/playwright';

const ROOT = join(__dirname, '..', '..', ...(__dirname.includes(join('out', 'test')) ? ['..'] : []));
const NONCE = 'dGVzdG5vbmNlMTIzNDU2Nzg=';
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

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
  dark: { cls: 'vscode-dark', vars: { '--vscode-foreground': '#cccccc', '--vscode-editor-background': '#1e1e1e', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-errorForeground': '#f48771', '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#ffffff' } },
  light: { cls: 'vscode-light', vars: { '--vscode-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-charts-blue': '#1a85ff', '--vscode-charts-orange': '#d18616', '--vscode-errorForeground': '#a1260d', '--vscode-badge-background': '#c4c4c4', '--vscode-badge-foreground': '#333333' } },
  highContrast: { cls: 'vscode-high-contrast', vars: { '--vscode-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-contrastBorder': '#6fc3df', '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-errorForeground': '#f48771', '--vscode-badge-background': '#000000', '--vscode-badge-foreground': '#ffffff' } },
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
          cells: number;
          canvases: number;
          summary: string;
          state: unknown;
        }>(`(() => {
          const app = document.getElementById('app');
          const rows = document.querySelectorAll('vscode-data-grid-row');
          return {
            csp: window.__csp,
            pwned: window.__pwned,
            markup: app.querySelectorAll('img, script, iframe, object, embed').length,
            hostileShown: document.body.innerText.includes('<img src=x onerror'),
            rows: rows.length,
            cells: rows[1].children.length,
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
        assert.equal(r.rows, 4, 'header + 3 servers');
        assert.equal(r.cells, 18);
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
});
