// The part of playwright-core's API the e2e driver uses, declared here because playwright-core is not
// a dependency of the repo: scripts/e2e-setup.mjs installs it into the e2e cache (its version must
// match Debian's chromium), and tsc compiles the tests before that setup runs. The shapes below are
// copied from playwright-core's own types.d.ts (1.64); extend them from there when a test needs more.
// loadPlaywright() requires the real module from the path in the e2e manifest.
/* eslint-disable @typescript-eslint/no-explicit-any -- page functions run in the browser; DOM types are not available here */

export type Role = 'button' | 'tab' | 'treeitem' | 'tree' | 'textbox' | 'menuitem' | 'link' | 'dialog' | 'checkbox' | 'listbox' | 'option' | 'heading' | 'toolbar';

export interface RoleOptions {
  name?: string | RegExp;
  exact?: boolean;
  checked?: boolean;
  expanded?: boolean;
  selected?: boolean;
  includeHidden?: boolean;
}

export interface WaitOptions {
  state?: 'attached' | 'detached' | 'visible' | 'hidden';
  timeout?: number;
}

export interface FilterOptions {
  has?: Locator;
  hasNot?: Locator;
  hasText?: string | RegExp;
  hasNotText?: string | RegExp;
  visible?: boolean;
}

export interface ClickOptions {
  button?: 'left' | 'right' | 'middle';
  clickCount?: number;
  delay?: number;
  force?: boolean;
  modifiers?: Array<'Alt' | 'Control' | 'ControlOrMeta' | 'Meta' | 'Shift'>;
  position?: { x: number; y: number };
  timeout?: number;
  trial?: boolean;
}

export interface ScreenshotOptions {
  path?: string;
  fullPage?: boolean;
  timeout?: number;
  animations?: 'disabled' | 'allow';
}

export interface Locatable {
  locator(selector: string, options?: FilterOptions): Locator;
  getByRole(role: Role, options?: RoleOptions): Locator;
  getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
  getByLabel(text: string | RegExp, options?: { exact?: boolean }): Locator;
  getByTitle(text: string | RegExp, options?: { exact?: boolean }): Locator;
  frameLocator(selector: string): FrameLocator;
}

export interface Locator extends Locatable {
  click(options?: ClickOptions): Promise<void>;
  dblclick(options?: ClickOptions): Promise<void>;
  hover(options?: { timeout?: number; force?: boolean }): Promise<void>;
  dragTo(target: Locator, options?: { force?: boolean; sourcePosition?: { x: number; y: number }; targetPosition?: { x: number; y: number }; steps?: number; timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number; force?: boolean }): Promise<void>;
  press(key: string, options?: { delay?: number; timeout?: number }): Promise<void>;
  pressSequentially(text: string, options?: { delay?: number; timeout?: number }): Promise<void>;
  focus(options?: { timeout?: number }): Promise<void>;
  waitFor(options?: WaitOptions): Promise<void>;
  filter(options: FilterOptions): Locator;
  first(): Locator;
  last(): Locator;
  nth(index: number): Locator;
  count(): Promise<number>;
  all(): Promise<Locator[]>;
  textContent(options?: { timeout?: number }): Promise<string | null>;
  innerText(options?: { timeout?: number }): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  allTextContents(): Promise<string[]>;
  inputValue(options?: { timeout?: number }): Promise<string>;
  getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
  isVisible(): Promise<boolean>;
  isChecked(options?: { timeout?: number }): Promise<boolean>;
  scrollIntoViewIfNeeded(options?: { timeout?: number }): Promise<void>;
  screenshot(options?: ScreenshotOptions): Promise<Buffer>;
  evaluate<R>(pageFunction: string | ((element: any, arg: any) => R | Promise<R>), arg?: unknown): Promise<R>;
}

export type FrameLocator = Locatable;

export interface Keyboard {
  press(key: string, options?: { delay?: number }): Promise<void>;
  type(text: string, options?: { delay?: number }): Promise<void>;
  insertText(text: string): Promise<void>;
  down(key: string): Promise<void>;
  up(key: string): Promise<void>;
}

export interface Mouse {
  click(x: number, y: number, options?: { button?: 'left' | 'right' | 'middle'; clickCount?: number; delay?: number }): Promise<void>;
  move(x: number, y: number, options?: { steps?: number }): Promise<void>;
  wheel(deltaX: number, deltaY: number): Promise<void>;
}

export interface ConsoleMessage {
  type(): string; // 'log' | 'debug' | 'info' | 'error' | 'warning' | ...
  text(): string;
  location(): { url: string; lineNumber: number; columnNumber: number };
}

export interface Frame {
  url(): string;
  name(): string;
}

export interface Page extends Locatable {
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' | 'commit' }): Promise<unknown>;
  url(): string;
  title(): Promise<string>;
  keyboard: Keyboard;
  mouse: Mouse;
  screenshot(options?: ScreenshotOptions): Promise<Buffer>;
  waitForTimeout(ms: number): Promise<void>;
  waitForFunction<R>(pageFunction: string | ((arg: any) => R | Promise<R>), arg?: unknown, options?: { timeout?: number; polling?: number | 'raf' }): Promise<unknown>;
  evaluate<R>(pageFunction: string | ((arg: any) => R | Promise<R>), arg?: unknown): Promise<R>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  bringToFront(): Promise<void>;
  frames(): Frame[];
  isClosed(): boolean;
  close(): Promise<void>;
  on(event: 'console', listener: (msg: ConsoleMessage) => void): this;
  on(event: 'pageerror', listener: (error: Error) => void): this;
  on(event: 'crash' | 'close', listener: (page: Page) => void): this;
  on(event: 'frameattached' | 'framenavigated', listener: (frame: Frame) => void): this;
}

export interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
  grantPermissions(permissions: string[], options?: { origin?: string }): Promise<void>;
  clearPermissions(): Promise<void>;
  on(event: 'page', listener: (page: Page) => void): this;
  on(event: 'close', listener: () => void): this;
}

export interface LaunchPersistentContextOptions {
  executablePath?: string;
  headless?: boolean;
  args?: string[];
  env?: Record<string, string | undefined>;
  viewport?: { width: number; height: number } | null;
  deviceScaleFactor?: number;
  timeout?: number;
  ignoreDefaultArgs?: boolean | string[];
  permissions?: string[];
  locale?: string;
  acceptDownloads?: boolean;
  handleSIGINT?: boolean;
  handleSIGTERM?: boolean;
  handleSIGHUP?: boolean;
}

export interface BrowserType {
  launchPersistentContext(userDataDir: string, options?: LaunchPersistentContextOptions): Promise<BrowserContext>;
  executablePath(): string;
}

export interface Playwright {
  chromium: BrowserType;
}

/** Loads playwright-core from the folder the e2e setup installed it in. */
export function loadPlaywright(playwrightCoreDir: string): Playwright {
  return require(playwrightCoreDir) as Playwright;
}
