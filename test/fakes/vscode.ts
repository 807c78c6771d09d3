// A stand-in for the `vscode` module, shared by the adapter unit tests (test/editors) and the
// benchmarks (bench/tree.ts, bench/activationChild.ts): it lets adapter code (the editor adapter,
// the tree provider, and the whole bundle's activate()) run in plain Node. Only what those code
// paths touch is implemented; settings come from package.json's defaults plus `setConfiguration`
// overrides. Anything else is a recorded no-op, listed by `unknownAccesses()` so a run can say what
// was faked. installFakeVscode() makes `require('vscode')` return this module. The real VS Code is
// exercised by test/e2e, not here.
import Module = require('node:module');
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  readonly event = (l: (e: T) => void): Disposable => {
    this.listeners.push(l);
    return new Disposable(() => (this.listeners = this.listeners.filter((x) => x !== l)));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  static parse(s: string): Uri {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(s);
    if (!m) throw new Error(`fake vscode: cannot parse URI ${s}`);
    return new Uri(m[1], m[2] ?? '', decodeURIComponent(m[3] ?? ''), m[4] ?? '', m[5] ?? '');
  }
  static file(p: string): Uri {
    return new Uri('file', '', p, '', '');
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return base.with({ path: [base.path.replace(/\/$/, ''), ...parts].join('/') });
  }
  get fsPath(): string {
    return this.path;
  }
  with(c: Partial<{ scheme: string; authority: string; path: string; query: string; fragment: string }>): Uri {
    return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
  }
  toString(): string {
    return `${this.scheme}://${this.authority.toLowerCase()}${this.path}${this.query ? '?' + this.query : ''}${this.fragment ? '#' + this.fragment : ''}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  isTrusted?: boolean;
  supportThemeIcons?: boolean;
  constructor(
    public value = '',
    supportThemeIcons = false,
  ) {
    this.supportThemeIcons = supportThemeIcons;
  }
  appendMarkdown(s: string): this {
    this.value += s;
    return this;
  }
  appendText(s: string): this {
    this.value += s.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
  appendCodeblock(s: string, lang = ''): this {
    this.value += '\n```' + lang + '\n' + s + '\n```\n';
    return this;
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: unknown;
  command?: unknown;
  contextValue?: string;
  resourceUri?: Uri;
  constructor(
    public label: string | { label: string },
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export class FileDecoration {
  constructor(
    public badge?: string,
    public tooltip?: string,
    public color?: ThemeColor,
  ) {}
}

export class FileSystemError extends Error {
  code: string;
  constructor(messageOrUri?: string | Uri, code = 'Unknown') {
    super(messageOrUri instanceof Uri ? messageOrUri.toString() : messageOrUri);
    this.code = code;
  }
  static FileNotFound(m?: string | Uri) {
    return new FileSystemError(m, 'FileNotFound');
  }
  static FileExists(m?: string | Uri) {
    return new FileSystemError(m, 'FileExists');
  }
  static FileNotADirectory(m?: string | Uri) {
    return new FileSystemError(m, 'FileNotADirectory');
  }
  static FileIsADirectory(m?: string | Uri) {
    return new FileSystemError(m, 'FileIsADirectory');
  }
  static NoPermissions(m?: string | Uri) {
    return new FileSystemError(m, 'NoPermissions');
  }
  static Unavailable(m?: string | Uri) {
    return new FileSystemError(m, 'Unavailable');
  }
}

export class DataTransferItem {
  constructor(readonly value: unknown) {}
  asString(): Promise<string> {
    return Promise.resolve(typeof this.value === 'string' ? this.value : JSON.stringify(this.value));
  }
}

export enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
  SymbolicLink = 64,
}
export enum FilePermission {
  Readonly = 1,
}
export enum FileChangeType {
  Changed = 1,
  Created = 2,
  Deleted = 3,
}
export enum TextDocumentSaveReason {
  Manual = 1,
  AfterDelay = 2,
  FocusOut = 3,
}
export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}
export enum ExtensionMode {
  Production = 1,
  Development = 2,
  Test = 3,
}
export class TabInputTextDiff {
  constructor(
    readonly original: Uri,
    readonly modified: Uri,
  ) {}
}

// --- settings --------------------------------------------------------------------------------

/**
 * The extension's package.json: the nearest one above this file, which runs from out/test/fakes,
 * or from a copy of out/ that keeps its layout (bench/activation.ts runs one).
 */
function manifestPath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) throw new Error(`fake vscode: no package.json above ${__dirname}`);
  }
}

const overrides = new Map<string, unknown>();
let defaults: Map<string, unknown> | undefined;

function defaultSettings(): Map<string, unknown> {
  if (!defaults) {
    const pkg = JSON.parse(readFileSync(manifestPath(), 'utf8')) as {
      contributes?: { configuration?: { properties?: Record<string, { default?: unknown }> } | { properties?: Record<string, { default?: unknown }> }[] };
    };
    const conf = pkg.contributes?.configuration;
    const blocks = Array.isArray(conf) ? conf : conf ? [conf] : [];
    defaults = new Map(blocks.flatMap((b) => Object.entries(b.properties ?? {}).map(([k, v]): [string, unknown] => [k, v.default])));
  }
  return defaults;
}

/** Sets a setting as the user would in settings.json (full key: 'zookeeper.connections'). */
export function setConfiguration(key: string, value: unknown): void {
  overrides.set(key, value);
}

const workspaceOverrides = new Map<string, unknown>();

/**
 * Sets a setting as a workspace's .vscode/settings.json would (undefined removes it). Like VS Code for
 * a window-scoped setting, `get` then returns the workspace's value and `inspect` shows both.
 */
export function setWorkspaceConfiguration(key: string, value: unknown): void {
  if (value === undefined) workspaceOverrides.delete(key);
  else workspaceOverrides.set(key, value);
}

const configurationChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

function getConfiguration(section?: string) {
  const full = (key: string) => (section ? `${section}.${key}` : key);
  const lookup = (key: string): unknown =>
    workspaceOverrides.has(full(key)) ? workspaceOverrides.get(full(key)) : overrides.has(full(key)) ? overrides.get(full(key)) : defaultSettings().get(full(key));
  return {
    get<T>(key: string, fallback?: T): T | undefined {
      const v = lookup(key);
      return (v === undefined ? fallback : structuredClone(v)) as T | undefined;
    },
    has: (key: string) => lookup(key) !== undefined,
    inspect: (key: string) => ({
      key: full(key),
      defaultValue: defaultSettings().get(full(key)),
      globalValue: overrides.get(full(key)),
      workspaceValue: workspaceOverrides.get(full(key)),
    }),
    update: async (key: string, value: unknown) => {
      overrides.set(full(key), value);
      configurationChanged.fire({ affectsConfiguration: (s: string) => full(key).startsWith(s) });
    },
  };
}

// --- namespaces --------------------------------------------------------------------------------

const unknown = new Set<string>();

/** A recorded no-op for anything not implemented: callable, constructible, and thenable-safe. */
function noop(name: string): unknown {
  const fn = function () {
    return undefined;
  };
  return new Proxy(fn, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === 'dispose') return () => undefined;
      if (typeof prop === 'symbol') return undefined;
      return noop(`${name}.${prop}`);
    },
    apply() {
      unknown.add(name);
      if (/\.on[A-Z]/.test(name)) return new Disposable();
      return noop(`${name}()`);
    },
    construct() {
      unknown.add(`new ${name}`);
      return noop(`${name}()`) as object;
    },
  });
}

function namespace<T extends object>(name: string, impl: T): T {
  return new Proxy(impl, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || prop in target) return Reflect.get(target, prop, receiver);
      if (prop === 'then') return undefined;
      unknown.add(`${name}.${prop}`);
      return noop(`${name}.${prop}`);
    },
  });
}

const event = () => new Disposable();

/** Tree views created by the code under test, by view id (their providers are real). */
export const treeViews = new Map<string, { treeDataProvider: unknown }>();
export const registeredCommands = new Map<string, (...args: unknown[]) => unknown>();
export const outputLines: string[] = [];

function outputChannel(name: string) {
  const line = (level: string) => (msg: unknown) => {
    outputLines.push(`[${name}] ${level} ${String(msg)}`);
  };
  return {
    name,
    logLevel: 2,
    onDidChangeLogLevel: event,
    trace: line('trace'),
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    append: line(''),
    appendLine: line(''),
    replace: () => undefined,
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
  };
}

function statusBarItem() {
  return { text: '', tooltip: undefined, command: undefined, name: '', backgroundColor: undefined, show: () => undefined, hide: () => undefined, dispose: () => undefined };
}

export const window = namespace('window', {
  activeTextEditor: undefined,
  visibleTextEditors: [] as unknown[],
  tabGroups: { all: [] as unknown[], onDidChangeTabs: event, onDidChangeTabGroups: event },
  state: { focused: true },
  createOutputChannel: (name: string) => outputChannel(name),
  createStatusBarItem: () => statusBarItem(),
  createTreeView: (id: string, options: { treeDataProvider: unknown }) => {
    treeViews.set(id, options);
    return {
      visible: true,
      selection: [],
      onDidCollapseElement: event,
      onDidExpandElement: event,
      onDidChangeSelection: event,
      onDidChangeVisibility: event,
      reveal: async () => undefined,
      dispose: () => treeViews.delete(id),
    };
  },
  registerFileDecorationProvider: () => new Disposable(),
  registerWebviewPanelSerializer: () => new Disposable(),
  registerTreeDataProvider: () => new Disposable(),
  onDidChangeActiveTextEditor: event,
  onDidChangeWindowState: event,
  onDidChangeVisibleTextEditors: event,
  setStatusBarMessage: () => new Disposable(),
  showErrorMessage: async () => undefined,
  showWarningMessage: async () => undefined,
  showInformationMessage: async () => undefined,
  showInputBox: async () => undefined,
  showQuickPick: async () => undefined,
  withProgress: async (_o: unknown, task: (p: { report(): void }, t: { isCancellationRequested: boolean; onCancellationRequested: typeof event }) => unknown) =>
    task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: event }),
});

/** A stand-in for an open TextDocument (what the editor adapter reads of one). */
export interface FakeTextDocument {
  uri: Uri;
  isDirty: boolean;
  getText(): string;
}

export const workspace = namespace('workspace', {
  textDocuments: [] as FakeTextDocument[],
  workspaceFolders: undefined,
  getConfiguration,
  onDidChangeConfiguration: configurationChanged.event,
  onDidChangeTextDocument: event,
  onDidCloseTextDocument: event,
  onDidOpenTextDocument: event,
  onDidSaveTextDocument: event,
  onWillSaveTextDocument: event,
  registerFileSystemProvider: () => new Disposable(),
  registerTextDocumentContentProvider: () => new Disposable(),
});

export const commands = namespace('commands', {
  registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
    registeredCommands.set(id, fn);
    return new Disposable(() => registeredCommands.delete(id));
  },
  executeCommand: async (id: string, ...args: unknown[]) => registeredCommands.get(id)?.(...args),
});

export const env = namespace('env', {
  clipboard: { readText: async () => '', writeText: async () => undefined },
  language: 'en',
  appName: 'vscode-stub',
});

/** Fills `{0}`/`{name}` as vscode.l10n.t does; the bundle is the English one (no translation loaded). */
export function formatL10n(message: string, args: Record<string, unknown> | unknown[]): string {
  return message.replace(/\{([^}]+)\}/g, (whole, key: string) => {
    const value = (args as Record<string, unknown>)[key];
    return value === undefined ? whole : String(value);
  });
}

export const l10n = namespace('l10n', {
  bundle: undefined as Record<string, string> | undefined,
  uri: undefined,
  t: (first: string | { message: string; args?: Record<string, unknown> | unknown[] }, ...rest: unknown[]): string => {
    if (typeof first !== 'string') return formatL10n(first.message, first.args ?? []);
    const named = rest.length === 1 && typeof rest[0] === 'object' && rest[0] !== null && !Array.isArray(rest[0]);
    return formatL10n(first, named ? (rest[0] as Record<string, unknown>) : rest);
  },
});

export const languages = namespace('languages', {
  setTextDocumentLanguage: async (d: unknown) => d,
});

export const version = '1.85.0';

/** What the code under test used that this fake only pretends to have. */
export function unknownAccesses(): string[] {
  return [...unknown].sort();
}

// --- the module --------------------------------------------------------------------------------

let installed = false;

/** From here on, `require('vscode')` in this process returns this module. */
export function installFakeVscode(): void {
  if (installed) return;
  installed = true;
  const m = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = m._resolveFilename;
  m._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return __filename;
    return original.call(this, request, ...rest);
  };
}

/** A fresh ExtensionContext for activate(). */
export function fakeExtensionContext(extensionPath: string) {
  const memento = () => {
    const m = new Map<string, unknown>();
    return {
      get: <T>(k: string, d?: T) => (m.has(k) ? (m.get(k) as T) : d),
      update: async (k: string, v: unknown) => void (v === undefined ? m.delete(k) : m.set(k, v)),
      keys: () => [...m.keys()],
      setKeysForSync: () => undefined,
    };
  };
  const secrets = new Map<string, string>();
  return {
    subscriptions: [] as { dispose(): unknown }[],
    extensionPath,
    extensionUri: Uri.file(extensionPath),
    globalStorageUri: Uri.file(join(extensionPath, '.bench-storage')),
    storageUri: undefined,
    logUri: Uri.file(join(extensionPath, '.bench-log')),
    extensionMode: ExtensionMode.Production,
    workspaceState: memento(),
    globalState: memento(),
    secrets: {
      get: async (k: string) => secrets.get(k),
      store: async (k: string, v: string) => void secrets.set(k, v),
      delete: async (k: string) => void secrets.delete(k),
      onDidChange: event,
    },
    asAbsolutePath: (p: string) => join(extensionPath, p),
  };
}
