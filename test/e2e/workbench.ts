// Drives the packaged extension in a real VS Code (code-server) in a real browser (Debian's chromium
// through playwright-core). Everything it needs is installed by scripts/e2e-setup.mjs into a cache
// outside the clone; see /work/shared/notes/vscode-e2e.md for why this combination. Packaging and
// starting code-server are scripts/codeServer.mjs's, shared with the browser sandbox (`npm start -- --browser`).
//
//   const wb = await Workbench.start({ scenario: 'activation', settings: { 'zookeeper.connections': [] } });
//   try { await wb.openZooKeeperView(); ... } finally { await wb.stop(); }
//
// or, in mocha, `const wb = useWorkbench({ scenario })` which starts it in `before`, saves artifacts
// when a test fails, fails on errors of our extension, and always stops it in `after`.
import * as assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as CodeServerModule from '../../scripts/codeServer.mjs' with { 'resolution-mode': 'import' };
import { makeLanguagePack, registerLanguagePack } from './languagePack';
import { loadPlaywright, type BrowserContext, type FrameLocator, type Locator, type Page } from './playwright';

/** The repository root (this file runs from out/test/e2e). */
export const REPO = resolve(__dirname, '..', '..', '..');
export const ARTIFACTS = join(REPO, 'artifacts', 'e2e');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; publisher: string; version: string };
/** `publisher.name`, as VS Code names the extension in logs, folders and errors. */
export const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

/** Paths to node 24, code-server, playwright-core and chromium, written by scripts/e2e-setup.mjs. */
export type E2eManifest = CodeServerModule.E2eManifest;

// ---------------------------------------------------------------------------------------------
// scripts/codeServer.mjs: an ES module, and this file is CommonJS (it runs from out/test/e2e), so
// it is loaded with import() from the repository's scripts/ folder.

let codeServerModule: Promise<typeof CodeServerModule> | undefined;

function codeServer(): Promise<typeof CodeServerModule> {
  return (codeServerModule ??= import(pathToFileURL(join(REPO, 'scripts', 'codeServer.mjs')).href) as Promise<typeof CodeServerModule>);
}

let manifestCache: E2eManifest | undefined;

/** Reads the e2e manifest ($ZK_E2E_MANIFEST or .cache/e2e/manifest.json); runs the setup when it is missing or stale. */
export async function loadManifest(): Promise<E2eManifest> {
  return (manifestCache ??= (await codeServer()).loadManifest(REPO, { needs: ['node24', 'codeServer', 'playwrightCore', 'chromium'] }));
}

// ---------------------------------------------------------------------------------------------
// Packaging: once per process (= once per `node scripts/test.mjs e2e` run)

let packaged: Promise<string> | undefined;

/** Packages the extension with `npm run package` once per run and returns the .vsix path ($ZK_E2E_VSIX skips it). */
export function packageExtension(): Promise<string> {
  if (process.env.ZK_E2E_VSIX) return Promise.resolve(resolve(process.env.ZK_E2E_VSIX));
  packaged ??= (async () => {
    const m = await loadManifest();
    const started = Date.now();
    const vsix = await (await codeServer()).packageVsix(REPO, m, { quiet: true });
    log(`packaged ${relative(REPO, vsix)} in ${secs(Date.now() - started)}`);
    return vsix;
  })();
  return packaged;
}

// ---------------------------------------------------------------------------------------------
// Errors

export interface CollectedError {
  source: 'console' | 'pageerror' | 'exthost';
  text: string;
  url?: string;
}

/** Offline noise expected in the browser console and logs of a machine without internet. */
export const OFFLINE_NOISE: RegExp[] = [
  /ERR_NAME_NOT_RESOLVED|ENOTFOUND|EAI_AGAIN|getaddrinfo|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED/i,
  /gallery|marketplace|open-vsx|extensionsgallery|vscode-unpkg|update\.code\.visualstudio/i,
  /github.*(auth|session)|authentication provider|Timed out waiting for authentication provider/i,
  /Failed to load resource/i,
  /copilot|chat(Entitlement|Setup)|defaultChatAgent/i,
];

/** True for an error that comes from our extension or one of its webviews. */
export function isFromOurExtension(e: CollectedError): boolean {
  const all = `${e.text}\n${e.url ?? ''}`;
  if (all.toLowerCase().includes(EXTENSION_ID.toLowerCase())) return true;
  if (/\/dist\/webview\//.test(all)) return true; // our webview bundles
  // VS Code logs a tree request for a row the extension has not produced with the row's id only:
  // ours are "connection:…" and "znode:…" (test/tree/znodeTreeProvider.test.ts has the cause).
  if (/No tree item with id '\d+\/(connection|znode):/.test(all)) return true;
  // VS Code 1.85 refuses a row id registered twice (test/tree/treeRefreshDuringFetch.test.ts has the cause).
  if (/Element with id (connection|znode):[\s\S]*? is already registered/.test(all)) return true;
  return e.source !== 'exthost' && !!e.url && /webview\/browser\/pre\//.test(e.url); // a webview frame: only ours are open
}

export function isOfflineNoise(e: CollectedError): boolean {
  return OFFLINE_NOISE.some((re) => re.test(`${e.text} ${e.url ?? ''}`));
}

// ---------------------------------------------------------------------------------------------
// The workbench

export interface WorkbenchOptions {
  /** Names the artifacts: artifacts/e2e/<scenario>.png, <scenario>-exthost.log, … */
  scenario: string;
  /** User settings, merged over DEFAULT_SETTINGS (and codeServer.mjs's QUIET_SETTINGS under those). */
  settings?: Record<string, unknown>;
  /** Folder to open; default: a fresh empty folder in the run directory. */
  folder?: string;
  /** Files to create in the opened folder (relative path -> content). */
  files?: Record<string, string>;
  /** Extra environment for code-server (so for the extension host). */
  env?: Record<string, string>;
  viewport?: { width: number; height: number };
  /** Keep the run directory after stop() (also with ZK_E2E_KEEP=1). */
  keep?: boolean;
  /**
   * VS Code's display language ("zh-cn"): the `locale` of the profile's argv.json, read by code-server at
   * start, with an empty language pack for it made and installed (test/e2e/languagePack.ts): without a
   * pack VS Code falls back to English, for the extension host too.
   */
  locale?: string;
}

/** What the scenarios add to codeServer.mjs's QUIET_SETTINGS (no welcome page, telemetry, updates): a still, predictable workbench. */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'github.gitAuthentication': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
};

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export class Workbench {
  /** Errors seen so far (browser console errors, page errors); the exthost log is read on demand. */
  readonly consoleErrors: CollectedError[] = [];
  /** Milestones of start(), in ms since start() began. */
  readonly timings: Record<string, number> = {};
  private stopped = false;
  private readonly reported = new Set<string>();

  private constructor(
    readonly options: WorkbenchOptions,
    readonly manifest: E2eManifest,
    readonly runDir: string,
    readonly folder: string,
    readonly userDataDir: string,
    readonly extensionsDir: string,
    readonly browserProfile: string,
    readonly serverLogFile: string,
    readonly serverEnv: NodeJS.ProcessEnv,
    private server: ChildProcess | undefined,
    readonly port: number,
    private readonly serverUrl: string,
    private context: BrowserContext | undefined,
    private currentPage: Page | undefined,
  ) {}

  get scenario(): string {
    return this.options.scenario;
  }
  get url(): string {
    return this.serverUrl;
  }
  get page(): Page {
    if (!this.currentPage) throw new Error('the workbench is stopped');
    return this.currentPage;
  }
  get serverPid(): number | undefined {
    return this.server?.pid;
  }

  /**
   * Packages the extension (once per run), makes a fresh profile in a temp run folder, writes the
   * settings, installs the .vsix, starts code-server on a free port, opens the folder in chromium
   * and waits for the workbench. Stops whatever it started if any step fails.
   */
  static async start(options: WorkbenchOptions): Promise<Workbench> {
    const t0 = Date.now();
    const timings: Record<string, number> = {};
    const mark = (what: string): void => void (timings[what] = Date.now() - t0);
    const cs = await codeServer();
    const manifest = await loadManifest();
    const vsix = await packageExtension();
    mark('packaged');

    const runDir = mkdtempSync(join(os.tmpdir(), `zk-e2e-${options.scenario.replace(/[^\w.-]+/g, '_')}-`));
    const profile = cs.makeProfile(runDir, manifest, { settings: { ...DEFAULT_SETTINGS, ...options.settings }, folder: options.folder, env: options.env });
    if (options.locale) writeFileSync(join(profile.userDataDir, 'User', 'argv.json'), JSON.stringify({ locale: options.locale }));
    const browserProfile = join(runDir, 'browser-profile');
    mkdirSync(browserProfile, { recursive: true });
    for (const [rel, content] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(profile.folder, rel)), { recursive: true });
      writeFileSync(join(profile.folder, rel), content);
    }
    try {
      await cs.installExtension(manifest, profile, vsix);
      if (options.locale) {
        const pack = await makeLanguagePack(runDir, options.locale, manifest.vsce);
        await cs.installExtension(manifest, profile, pack.vsix);
        registerLanguagePack(profile.userDataDir, profile.extensionsDir, pack, options.locale);
      }
    } catch (e) {
      rmSync(runDir, { recursive: true, force: true });
      throw e;
    }
    mark('installed');

    const { server, port, logFile, url } = await cs.spawnCodeServer(manifest, profile);
    const wb = new Workbench(
      options, manifest, runDir, profile.folder, profile.userDataDir, profile.extensionsDir, browserProfile, logFile, profile.env, server, port, url, undefined, undefined,
    );
    Object.assign(wb.timings, timings);
    guard(wb);
    try {
      await cs.waitForHealthy(server, port, logFile, 30_000);
      mark('healthy');
      await wb.launchBrowser();
      mark('browser');
      await wb.page.goto(wb.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await wb.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      await wb.page.locator('.activitybar').waitFor({ state: 'visible', timeout: 30_000 });
      mark('workbench');
    } catch (e) {
      await wb.saveArtifacts(`start failed: ${String(e)}`).catch(() => undefined);
      await wb.stop().catch(() => undefined);
      throw e;
    }
    Object.assign(wb.timings, timings);
    log(`[${options.scenario}] ready in ${secs(Date.now() - t0)} (${Object.entries(timings).map(([k, v]) => `${k} ${secs(v)}`).join(', ')}); ${wb.url}`);
    return wb;
  }

  private async launchBrowser(): Promise<void> {
    const pw = loadPlaywright(this.manifest.playwrightCore);
    const home = join(this.runDir, 'browser-home');
    mkdirSync(home, { recursive: true });
    this.context = await pw.chromium.launchPersistentContext(this.browserProfile, {
      executablePath: this.manifest.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...this.serverEnv, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
      viewport: this.options.viewport ?? { width: 1280, height: 800 },
      timeout: 60_000,
    });
    await this.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${this.port}` }).catch(() => undefined);
    const page = this.context.pages()[0] ?? (await this.context.newPage());
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.consoleErrors.push({ source: 'console', text: msg.text(), url: msg.location().url });
    });
    page.on('pageerror', (err) => this.consoleErrors.push({ source: 'pageerror', text: `${err.message}\n${err.stack ?? ''}` }));
    this.currentPage = page;
  }

  /** Grants or takes back the page's clipboard permissions (a browser that asks, or refuses, like a fresh one). */
  async setClipboardAccess(allowed: boolean): Promise<void> {
    if (!this.context) throw new Error('the workbench is stopped');
    if (allowed) await this.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${this.port}` });
    else await this.context.clearPermissions();
  }

  // ---- commands and views ------------------------------------------------------------------------------------

  /** The quick input (command palette, input boxes, quick picks). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Runs a command from the command palette by its full title as shown there, e.g.
   * "ZooKeeper: Add Connection": F1, type the title, pick the row whose label is exactly it.
   */
  /** Runs a palette command, once more after a second if the palette or its list was not ready. */
  async runCommand(title: string, timeoutMs = 15_000): Promise<void> {
    try {
      await this.runCommandOnce(title, timeoutMs);
    } catch {
      await sleep(1000);
      await this.runCommandOnce(title, timeoutMs);
    }
  }

  private async runCommandOnce(title: string, timeoutMs: number): Promise<void> {
    const input = this.quickInput.locator('input');
    // After a window reload the page may not have keyboard focus yet and F1 goes nowhere: try
    // again after a click on an empty corner of the workbench, then with the other shortcut.
    let opened = false;
    for (let attempt = 0; attempt < 3 && !opened; attempt++) {
      if (attempt > 0) {
        await this.page.keyboard.press('Escape').catch(() => undefined);
        await this.page.locator('.monaco-workbench').click({ position: { x: 2, y: 2 } }).catch(() => undefined);
      } else {
        await this.page.locator('.monaco-workbench').focus().catch(() => undefined);
      }
      await this.page.keyboard.press(attempt === 2 ? 'Control+Shift+P' : 'F1');
      opened = await input.waitFor({ state: 'visible', timeout: Math.min(5_000, timeoutMs) }).then(
        () => true,
        () => false,
      );
    }
    if (!opened) await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(`>${title}`);
    const row = this.quickInput
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }) })
      .first();
    try {
      await row.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      const shown = await this.quickInput.locator('.monaco-list-row').allInnerTexts().catch(() => []);
      await this.page.keyboard.press('Escape');
      throw new Error(`command "${title}" not found in the palette; it shows: ${JSON.stringify(shown.slice(0, 10))}`);
    }
    await row.click();
  }

  /** Types into the open quick input (input box or quick pick filter) and presses Enter. */
  async answerQuickInput(text: string, timeoutMs = 10_000): Promise<void> {
    const input = this.quickInput.locator('input');
    await input.waitFor({ state: 'visible', timeout: timeoutMs });
    await input.fill(text);
    await input.press('Enter');
  }

  /** Picks the row of the open quick pick whose label is exactly `label`. */
  async pickQuickItem(label: string, timeoutMs = 10_000): Promise<void> {
    const row = this.quickInput
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
      .first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  /** The activity-bar entry (tab) of a view container, by its title. */
  activityBarItem(title: string): Locator {
    return this.page.locator('.activitybar').getByRole('tab', { name: new RegExp(`^${escapeRegExp(title)}(\\s|$|\\()`) });
  }

  /** Opens a view container of the activity bar by title ("ZooKeeper"); leaves it open when it already is. */
  async openViewContainer(title: string, timeoutMs = 15_000): Promise<Locator> {
    const item = this.activityBarItem(title);
    await item.waitFor({ state: 'visible', timeout: timeoutMs });
    const sidebar = this.page.locator('#workbench\\.parts\\.sidebar');
    const isOpen = async (): Promise<boolean> =>
      (await item.getAttribute('aria-selected')) === 'true' && (await sidebar.isVisible());
    // A click toggles the side bar when the container is already the active one. Right after a
    // window reload the workbench may still be restoring an open side bar when the check runs, and
    // the click then closes it (CI: the side bar stayed closed for 30 s). So click again whenever it
    // is still closed a moment later, until the deadline.
    const deadline = Date.now() + timeoutMs;
    while (!(await isOpen())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for view container "${title}" to open`);
      await item.click();
      await this.page.mouse.move(900, 600); // leave before the tab's hover shows up
      await waitFor(isOpen, Math.min(3_000, Math.max(0, deadline - Date.now())), '', false);
    }
    return sidebar;
  }

  /**
   * A view (pane) of the open side bar by its name ("Connections"). Matched on the pane
   * header's aria-label, which VS Code keeps even when a single-view container hides the header.
   */
  view(name: string): Locator {
    return this.page
      .locator('#workbench\\.parts\\.sidebar .pane')
      .filter({ has: this.page.locator(`.pane-header[aria-label^="${name.replace(/"/g, '\\"')}"]`) });
  }

  /** Opens the "ZooKeeper" container and returns its "Connections" view (id zookeeper.explorer). */
  async openZooKeeperView(timeoutMs = 30_000): Promise<Locator> {
    await this.openViewContainer('ZooKeeper', timeoutMs);
    const view = this.view('Connections');
    await view.waitFor({ state: 'visible', timeout: timeoutMs });
    return view;
  }

  /** Tree rows whose visible label is exactly `label` (not the tooltip, which is the accessible name). */
  treeItem(label: string | RegExp, within: Locator | Page = this.page): Locator {
    const re = typeof label === 'string' ? new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) : label;
    return within.locator('.monaco-list-row[role="treeitem"]').filter({ has: this.page.locator('.label-name', { hasText: re }) });
  }

  /** Waits until a tree row with this visible label is shown and returns it. */
  async waitForTreeItem(label: string | RegExp, timeoutMs = 15_000, within?: Locator): Promise<Locator> {
    const row = this.treeItem(label, within).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    return row;
  }

  /** Visible labels of the rendered rows of a tree (rows are virtualised: only visible ones exist). */
  async treeLabels(within: Locator | Page = this.page): Promise<string[]> {
    const labels = await within.locator('.monaco-list-row[role="treeitem"] .label-name').allTextContents();
    return labels.map((l) => l.trim());
  }

  /** Right-clicks a row and clicks a context-menu entry by its label. */
  async contextMenu(row: Locator, entry: string, timeoutMs = 10_000): Promise<void> {
    await row.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    await menu.waitFor({ state: 'visible', timeout: timeoutMs });
    await sleep(200); // an entry clicked right after the menu opens may not react
    // Matched on the entry's label alone: an entry with a keybinding also shows it (Watch Node Ctrl+Alt+Z W).
    const label = this.page.locator('.action-label', { hasText: new RegExp(`^\\s*${escapeRegExp(entry)}\\s*$`) });
    await menu.locator('a.action-menu-item').filter({ has: label }).first().click();
  }

  /**
   * Right-clicks a row and returns the labels of its context menu's entries, in order; the menu stays
   * open (Escape closes it, see closeContextMenu).
   */
  async contextMenuEntries(row: Locator, timeoutMs = 10_000): Promise<string[]> {
    await row.click({ button: 'right' });
    const menu = this.page.locator('.context-view .monaco-menu');
    await menu.waitFor({ state: 'visible', timeout: timeoutMs });
    await sleep(200); // the menu fills in right after it opens
    const labels = await menu.locator('a.action-menu-item .action-label').allTextContents();
    return labels.map((l) => l.trim()).filter((l) => l !== '');
  }

  /** Closes an open context menu (Escape) and waits until it is gone. */
  async closeContextMenu(timeoutMs = 5_000): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    if (!(await menu.isVisible())) return;
    await this.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /**
   * The file-decoration badge VS Code draws after a tree row's label (the letter of a
   * FileDecoration, e.g. "W"): the `::after` content of the label's decoration class; '' for none.
   */
  async decorationBadge(row: Locator): Promise<string> {
    type El = { className?: unknown; querySelectorAll(selector: string): ArrayLike<El> };
    return await row.evaluate((el: El) => {
      // runs in the page (the DOM lib is not part of this project's types)
      const css = (globalThis as unknown as { getComputedStyle(e: El, pseudo: string): { content?: string } }).getComputedStyle;
      const badged = [el, ...Array.from(el.querySelectorAll('*'))].filter((e) => /monaco-decoration-itemBadge/.test(String(e.className ?? '')));
      for (const e of badged) {
        const content = String(css(e, '::after').content ?? '');
        if (content && content !== 'none' && content !== 'normal') return content.replace(/^"(.*)"$/, '$1');
      }
      return '';
    });
  }

  /** Waits until the open quick input's title contains `text` (the steps of one command share the widget). */
  async waitQuickTitle(text: string, timeoutMs = 10_000): Promise<void> {
    const title = this.quickInput.locator('.quick-input-title');
    await waitFor(async () => ((await title.textContent().catch(() => '')) ?? '').includes(text), timeoutMs, `the quick input "${text}"`).catch(async (e: Error) => {
      throw new Error(`${e.message}; its title is "${await title.textContent().catch(() => '')}"`);
    });
  }

  /** The validation message under the open quick input's box ('' when none is shown). */
  async quickInputMessage(): Promise<string> {
    const message = this.quickInput.locator('.quick-input-message');
    if (!(await message.isVisible())) return '';
    return (await message.innerText()).trim();
  }

  /**
   * The DOM of the visible webview panel: webviews are nested iframes (`iframe.webview`, then the
   * document in its `#active-frame`). Hidden webviews keep their iframes, hence `:visible`.
   */
  webviewFrame(): FrameLocator {
    return this.page.frameLocator('iframe.webview:visible').frameLocator('#active-frame');
  }

  /** The text of the Markdown preview (or other webview) in the active editor, once it matches `re`. */
  async previewText(re: RegExp, what: string, timeoutMs = 30_000): Promise<string> {
    let text = '';
    await waitFor(
      async () => {
        text = ((await this.webviewFrame().locator('body').innerText({ timeout: 2000 }).catch(() => '')) ?? '').replace(/\u00a0/g, ' ');
        return re.test(text);
      },
      timeoutMs,
      what,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; the preview shows:\n${text.slice(0, 2000)}`);
    });
    return text;
  }

  /** The editor tab whose title is exactly `title`. */
  editorTab(title: string): Locator {
    return this.page.locator('.tabs-container .tab').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }) });
  }

  /** Notification toasts currently shown. */
  get notifications(): Locator {
    return this.page.locator('.notification-toast');
  }

  /** Waits for a notification toast containing `text` and returns it. */
  async waitForNotification(text: string | RegExp, timeoutMs = 15_000): Promise<Locator> {
    const toast = this.notifications.filter({ hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    return toast;
  }

  /**
   * Changes user settings the way a user does: "Preferences: Open User Settings (JSON)", its text
   * replaced with the settings merged with `patch` (a key set to undefined is removed), saved, and
   * the editor closed again. Writing User/settings.json from outside would be simpler, but
   * code-server's watcher reports only the first such change of a run: later ones are not applied.
   */
  async updateSettings(patch: Record<string, unknown>, timeoutMs = 15_000): Promise<void> {
    const file = join(this.userDataDir, 'User', 'settings.json');
    const settings = JSON.parse(readText(file) || '{}') as Record<string, unknown>;
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete settings[key];
      else settings[key] = value;
    }
    await this.runCommand('Preferences: Open User Settings (JSON)');
    const editor = this.page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ state: 'visible', timeout: timeoutMs });
    await editor.click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.insertText(JSON.stringify(settings, null, 2));
    // Auto-closing may have added a quote or a brace after the cursor: nothing may follow the text.
    await this.page.keyboard.press('Control+Shift+End');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.press('Control+S');
    const saved = (): boolean => {
      try {
        const now = JSON.parse(readText(file)) as Record<string, unknown>;
        return Object.entries(patch).every(([k, v]) => JSON.stringify(now[k]) === JSON.stringify(v));
      } catch {
        return false;
      }
    };
    await waitFor(saved, timeoutMs, `settings.json to be saved with ${JSON.stringify(patch)}`);
    await this.page.keyboard.press('Control+W');
    await this.editorTab('settings.json').waitFor({ state: 'hidden', timeout: timeoutMs });
  }

  /** Saves a screenshot as artifacts/e2e/<name>.png (default: the scenario) after toasts faded in. */
  async screenshot(name = this.scenario): Promise<string> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, `${name}.png`);
    // best effort: let the status bar's "Activating Extensions..." (built-ins) settle
    await waitFor(async () => !/Activating Extensions/i.test(await this.page.locator('.statusbar').innerText().catch(() => '')), 5_000, '', false);
    await this.page.mouse.move(900, 600).catch(() => undefined); // no hover tooltip from the last click
    await sleep(700);
    await this.page.screenshot({ path: file });
    return file;
  }

  // ---- logs and errors ------------------------------------------------------------------------------------

  /** code-server's own stdout/stderr. */
  serverLog(): string {
    return readText(this.serverLogFile);
  }

  /** Every file under <user-data-dir>/logs (server, extension host, output channels). */
  logFiles(): string[] {
    return walk(join(this.userDataDir, 'logs'));
  }

  /** The extension host's log file(s): remoteexthost.log / exthost.log. */
  exthostLogFiles(): string[] {
    return this.logFiles().filter((f) => /exthost\.log$/i.test(basename(f)));
  }

  exthostLog(): string {
    return this.exthostLogFiles().map(readText).join('\n');
  }

  /** The file a LogOutputChannel of our extension writes ("ZooKeeper" -> …/N-ZooKeeper.log). */
  outputChannelLog(name: string): string {
    return this.logFiles()
      .filter((f) => basename(f).replace(/^\d+-/, '') === `${name}.log`)
      .map(readText)
      .join('\n');
  }

  /** Error entries of the extension host log (multi-line entries joined). */
  exthostErrors(): CollectedError[] {
    const entries: string[] = [];
    for (const line of this.exthostLog().split('\n')) {
      if (/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d/.test(line) || entries.length === 0) entries.push(line);
      else entries[entries.length - 1] += `\n${line}`;
    }
    return entries.filter((e) => /\[error\]/i.test(e)).map((text) => ({ source: 'exthost' as const, text }));
  }

  /** Errors (console, page, extension host) that come from our extension or its webviews. */
  extensionErrors(): CollectedError[] {
    return [...this.consoleErrors, ...this.exthostErrors()].filter(isFromOurExtension);
  }

  /** Errors that are neither ours nor known offline noise: printed, not failed on. */
  otherErrors(): CollectedError[] {
    return [...this.consoleErrors, ...this.exthostErrors()].filter((e) => !isFromOurExtension(e) && !isOfflineNoise(e));
  }

  /** Fails when our extension or its webview logged an error (each error is reported once). */
  assertNoExtensionErrors(): void {
    const ours = this.extensionErrors().filter((e) => !this.reported.has(`${e.source}|${e.text}|${e.url ?? ''}`));
    for (const e of ours) this.reported.add(`${e.source}|${e.text}|${e.url ?? ''}`);
    assert.equal(ours.length, 0, `errors from ${EXTENSION_ID}:\n${ours.map((e) => `[${e.source}] ${e.text} ${e.url ?? ''}`).join('\n---\n')}`);
  }

  /** Waits until the extension host log says our extension activated (or failed to). */
  async waitForActivation(timeoutMs = 20_000): Promise<void> {
    await waitFor(
      () => {
        const log = this.exthostLog();
        if (new RegExp(`Activating extension '?${escapeRegExp(EXTENSION_ID)}'? failed`, 'i').test(log)) {
          throw new Error(`activation failed:\n${this.extensionErrors().map((e) => e.text).join('\n')}`);
        }
        return new RegExp(`ExtensionService#_doActivateExtension ${escapeRegExp(EXTENSION_ID)}`).test(log);
      },
      timeoutMs,
      `${EXTENSION_ID} to activate`,
    );
  }

  /**
   * Saves what explains a failure into artifacts/e2e/: <name>-failure.png, <name>-code-server.log,
   * <name>-exthost.log, <name>-console.log (reason + browser errors) and the whole logs folder as
   * <name>-logs/. `name` defaults to the scenario; useWorkbench passes "<scenario>--<test title>".
   */
  async saveArtifacts(reason = 'failure', name = this.scenario): Promise<string[]> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const base = join(ARTIFACTS, name);
    const saved: string[] = [];
    if (this.currentPage && !this.currentPage.isClosed()) {
      try {
        await this.currentPage.screenshot({ path: `${base}-failure.png`, timeout: 10_000 });
        saved.push(`${base}-failure.png`);
      } catch {
        /* the page is gone */
      }
    }
    if (existsSync(this.serverLogFile)) {
      copyFileSync(this.serverLogFile, `${base}-code-server.log`);
      saved.push(`${base}-code-server.log`);
    }
    writeFileSync(`${base}-exthost.log`, this.exthostLog());
    saved.push(`${base}-exthost.log`);
    writeFileSync(
      `${base}-console.log`,
      `reason: ${reason}\n\n${this.consoleErrors.map((e) => `[${e.source}] ${e.text} ${e.url ?? ''}`).join('\n')}\n`,
    );
    saved.push(`${base}-console.log`);
    const logs = join(this.userDataDir, 'logs');
    if (existsSync(logs)) {
      rmSync(`${base}-logs`, { recursive: true, force: true });
      cpSync(logs, `${base}-logs`, { recursive: true });
      saved.push(`${base}-logs/`);
    }
    log(`[${this.scenario}] saved ${saved.map((s) => relative(REPO, s)).join(', ')}`);
    return saved;
  }

  /** Closes the browser (flushing its storage), then kills chromium processes of this profile that outlived it. */
  private async closeBrowser(): Promise<void> {
    try {
      if (this.context) await withTimeout(this.context.close(), 15_000);
    } finally {
      this.context = undefined;
      this.currentPage = undefined;
      for (const pid of pidsMatching(this.browserProfile)) killPid(pid, 'SIGKILL');
    }
  }

  // ---- restarting -------------------------------------------------------------------------------------------

  /**
   * Closes VS Code completely and opens it again on the same profile: the browser closes (its
   * storage, where the workbench keeps workspaceState, is flushed), code-server and its extension
   * host stop, `whileClosed` runs, then code-server starts again on the same port (the browser's
   * storage is per origin) and the workbench is loaded. Errors collected so far are kept.
   */
  async restart(whileClosed: () => Promise<void> = async () => undefined): Promise<void> {
    const cs = await codeServer();
    await this.closeBrowser();
    const server = this.server;
    if (server?.pid) {
      const ours = new Set([server.pid, ...descendants(server.pid)]);
      await cs.stopCodeServer(server);
      await waitFor(() => [...ours].every((p) => !alive(p)), 10_000, 'code-server and its extension host to stop');
    }
    this.server = undefined;
    await whileClosed();
    const profile = { root: this.runDir, userDataDir: this.userDataDir, extensionsDir: this.extensionsDir, folder: this.folder, env: this.serverEnv };
    const started = await cs.spawnCodeServer(this.manifest, profile, { port: this.port });
    this.server = started.server;
    await cs.waitForHealthy(started.server, this.port, started.logFile, 30_000);
    await this.launchBrowser();
    await this.page.goto(this.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await this.page.locator('.activitybar').waitFor({ state: 'visible', timeout: 30_000 });
  }

  // ---- stopping ---------------------------------------------------------------------------------------------

  /**
   * Closes the browser and stops code-server with all its children (its own process group, plus
   * any descendant found in /proc), then checks that none is left. Idempotent.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const problems: string[] = [];
    await this.closeBrowser().catch((e) => problems.push(`browser close: ${String(e)}`));

    const server = this.server;
    if (server?.pid) {
      const ours = new Set([server.pid, ...descendants(server.pid)]);
      this.killServerSync('SIGTERM');
      const gone = await waitFor(() => [...ours].every((p) => !alive(p)) && groupPids(server.pid!).length === 0, 10_000, '', false);
      if (!gone) {
        this.killServerSync('SIGKILL');
        for (const p of ours) killPid(p, 'SIGKILL');
        await waitFor(() => [...ours].every((p) => !alive(p)), 5_000, '', false);
      }
      const left = [...new Set([...ours].filter(alive).concat(groupPids(server.pid)))];
      const stray = listCodeServers().filter((l) => left.includes(Number(l.split(' ')[0])) || l.includes(this.runDir));
      if (left.length || stray.length) problems.push(`processes left after stop: ${[...left, ...stray].join(', ')}`);
    }
    this.server = undefined;
    live.delete(this);
    const leftBrowsers = pidsMatching(this.browserProfile);
    if (leftBrowsers.length) problems.push(`chromium processes left: ${leftBrowsers.join(', ')}`);
    if (!(this.options.keep || process.env.ZK_E2E_KEEP === '1')) rmSync(this.runDir, { recursive: true, force: true });
    else log(`[${this.scenario}] kept ${this.runDir}`);
    if (problems.length) throw new Error(problems.join('\n'));
  }

  /** @internal kills the code-server process group at once (process exit, signals). */
  killServerSync(signal: NodeJS.Signals): void {
    const pid = this.server?.pid;
    if (!pid) return;
    try {
      process.kill(-pid, signal); // the group we created with detached: true
    } catch {
      killPid(pid, signal);
    }
  }
}

// Code-servers still running when the test process ends (a crash, a signal, mocha's forced exit) are
// killed with it: 'exit' fires on process.exit(); SIGTERM/SIGHUP would otherwise end Node without it.
const live = new Set<Workbench>();
let guarded = false;
function guard(wb: Workbench): void {
  live.add(wb);
  if (guarded) return;
  guarded = true;
  process.on('exit', () => {
    for (const w of live) w.killServerSync('SIGKILL');
  });
  for (const [sig, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(sig, () => {
      for (const w of live) w.killServerSync('SIGKILL');
      process.exit(code);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Mocha glue

/**
 * Starts a workbench in `before`, saves artifacts for each failed test, fails a test whose
 * extension errors appeared, and stops everything in `after` (also when tests failed).
 * Returns a getter: `const wb = useWorkbench({...}); it('…', async () => { await wb().openZooKeeperView(); })`.
 */
export function useWorkbench(options: WorkbenchOptions): () => Workbench {
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(300_000); // first packaging + cold caches
    wb = await Workbench.start(options);
  });
  afterEach(async function () {
    if (!wb) return;
    const test = this.currentTest;
    const name = `${options.scenario}--${(test?.title ?? 'test').replace(/[^\w.-]+/g, '_').slice(0, 60)}`;
    if (test?.state === 'failed') {
      await wb.saveArtifacts(`test failed: ${test.fullTitle()}\n${String(test.err?.stack ?? test.err)}`, name);
    } else if (test?.state === 'passed') {
      // Safety net for tests that do not call assertNoExtensionErrors() themselves. A failing hook
      // skips the rest of this describe block in mocha: better to assert in the test.
      try {
        wb.assertNoExtensionErrors();
      } catch (e) {
        await wb.saveArtifacts(`extension errors after: ${test.fullTitle()}`, name);
        throw e;
      }
    }
  });
  after(async function () {
    this.timeout(60_000);
    if (!wb) return;
    const other = wb.otherErrors();
    if (other.length) log(`[${options.scenario}] ${other.length} other console/exthost error(s), not ours:\n  ${other.map((e) => e.text.split('\n')[0].slice(0, 200)).join('\n  ')}`);
    const w = wb;
    wb = undefined;
    await w.stop();
  });
  return () => {
    if (!wb) throw new Error('the workbench did not start (see the before hook)');
    return wb;
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function log(msg: string): void {
  console.log(`      [e2e] ${msg}`);
}
function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}

/** Polls cond until true; throws (or returns false when `raise` is false) after timeoutMs. */
export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string, raise = true): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() > end) {
      if (raise) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      return false;
    }
    await sleep(100);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie is not alive for our purposes
  const stat = readText(`/proc/${pid}/stat`);
  return !/^\d+ \(.*\) Z /.test(stat);
}
function killPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}
function procStat(pid: string): { ppid: number; pgrp: number } | undefined {
  const s = readText(`/proc/${pid}/stat`);
  const m = /\) \S (\d+) (\d+)/.exec(s);
  return m ? { ppid: Number(m[1]), pgrp: Number(m[2]) } : undefined;
}
function allPids(): string[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d));
}
/** Every live descendant of pid, from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const p of allPids()) {
    const st = procStat(p);
    if (st) children.set(st.ppid, [...(children.get(st.ppid) ?? []), Number(p)]);
  }
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}
/** Live (non-zombie) members of a process group. */
function groupPids(pgid: number): number[] {
  return allPids()
    .filter((p) => procStat(p)?.pgrp === pgid)
    .map(Number)
    .filter(alive);
}
/** Processes whose command line contains `needle`. */
function pidsMatching(needle: string): number[] {
  return allPids()
    .filter((p) => Number(p) !== process.pid && readText(`/proc/${p}/cmdline`).split('\0').join(' ').includes(needle))
    .map(Number)
    .filter(alive);
}
/** `pgrep -af code-server` lines ("PID command"). */
function listCodeServers(): string[] {
  const r = spawnSync('pgrep', ['-af', 'code-server'], { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n').filter((l) => l.trim() && !l.includes('pgrep'));
}

/** Expands a tree row unless it is expanded already (scenarios share one workbench). */
export async function expandRow(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await waitFor(async () => (await row.getAttribute('aria-expanded')) === 'true', 10_000, 'the row expanded');
}

/** Collapses a tree row when it is expanded. */
export async function collapseRow(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.click();
}

/** Waits until a tree row's description matches (rows' stats arrive after the rows). */
export async function descriptionMatches(row: Locator, re: RegExp): Promise<void> {
  const description = row.locator('.label-description');
  await waitFor(async () => re.test((await description.textContent().catch(() => '')) ?? ''), 10_000, `the description to match ${re}`).catch(async (e: Error) => {
    throw new Error(`${e.message}; it shows "${await description.textContent().catch(() => '?')}"`);
  });
}
