// The extension's view of the configured ensembles: reads `zookeeper.connections` from the user's
// settings only (see userOnlySettings.ts), keeps passwords in SecretStorage (keyed by name, connect
// string and user: see src/zk/passwordKey.ts; never in settings or logs), and feeds the domain
// ConnectionPool. Everything else asks this registry for connections.
import * as vscode from 'vscode';
import { ConnectionPool } from '../zk/connectionPool';
import { readConnections, type ConnectionConfig } from '../zk/config';
import type { ConnectionStatus, EnsembleConnection } from '../zk/ensembleConnection';
import { LEGACY_PASSWORD_PREFIX, passwordKey } from '../zk/passwordKey';
import { noticeIgnoredWorkspaceSettings, userSetting } from './userOnlySettings';
import { errorMessage } from '../ui/registerCommand';

export class ConnectionRegistry implements vscode.Disposable {
  /** The domain's pool: adapters ask the registry, which asks the pool. */
  private readonly pool: ConnectionPool;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly statusChanged = new vscode.EventEmitter<{ name: string; status: ConnectionStatus }>();
  /** Fires when connections are added, removed or replaced. */
  readonly onDidChangeConnections = this.changed.event;
  /** Fires on every state change of any connection. */
  readonly onDidChangeStatus = this.statusChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  private problemsShown = '';
  /** The connection the user worked with last (status bar, palette defaults). */
  active: string | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
    /** Remembers which ignored workspace settings the user was told about. */
    private readonly workspaceState: vscode.Memento,
  ) {
    this.pool = new ConnectionPool((config) => this.askPassword(config));
    this.pool.on('changed', () => this.changed.fire());
    this.pool.on('status', (name: string, status: ConnectionStatus) => {
      // The detail can name servers and reasons; it never contains a password.
      this.log.info(`[${name}] ${status.state}${status.detail ? ': ' + status.detail : ''}`);
      this.statusChanged.fire({ name, status });
    });
    this.disposables.push(
      this.changed,
      this.statusChanged,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('zookeeper.connections') || e.affectsConfiguration('zookeeper.health.adminServerPorts')) void this.reload();
      }),
    );
  }

  /** Reads the settings and brings the pool in line with them. */
  async reload(): Promise<void> {
    // User settings only: a workspace value would decide where the user's stored passwords go.
    const raw = userSetting<unknown[]>('zookeeper.connections') ?? [];
    await noticeIgnoredWorkspaceSettings(this.workspaceState, this.log);
    const { connections, problems } = readConnections(raw, vscode.l10n.t);
    await vscode.commands.executeCommand('setContext', 'zookeeper.connectionCount', connections.length);
    const problemText = problems.join('\n');
    if (problems.length > 0 && problemText !== this.problemsShown) {
      for (const p of problems) this.log.warn(`Ignored ${p}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Some ZooKeeper connections in settings were ignored: {0}', problems.join('; ')), vscode.l10n.t('Open Settings')).then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: 'zookeeper.connections' } });
      });
    }
    this.problemsShown = problemText;
    await this.pool.update(connections);
  }

  configs(): ConnectionConfig[] {
    return this.pool.names.map((n) => this.pool.config(n)!);
  }

  /** The configured names, in settings order. */
  names(): readonly string[] {
    return this.pool.names;
  }

  /** The settings of one connection, or undefined when no connection has this name. */
  config(name: string): ConnectionConfig | undefined {
    return this.pool.config(name);
  }

  /** Every configured connection (open or not). */
  connections(): EnsembleConnection[] {
    return this.pool.all();
  }

  /** Forgets the credentials a connection logged in with: the next connect asks again. */
  resetCredentials(name: string): Promise<void> {
    return this.pool.resetCredentials(name);
  }

  get(name: string): EnsembleConnection | undefined {
    return this.pool.get(name);
  }

  /** Opens a connection (asking for its password when needed) and reports a failure once. */
  async open(name: string): Promise<EnsembleConnection | undefined> {
    this.active = name;
    try {
      const c = await this.pool.open(name);
      if (!(await c.chrootExists())) {
        const chroot = c.chroot!;
        const create = c.readOnly ? undefined : vscode.l10n.t('Create {0}', chroot);
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('The chroot {0} of "{1}" does not exist: every path will look empty.', chroot, name),
          ...(create ? [create] : []),
        );
        if (choice === create && create) await c.createChroot();
      }
      return c;
    } catch (e) {
      const c = this.pool.get(name);
      const state = c?.state;
      const detail = c?.getStatus().detail;
      // One message per attempt; the tree keeps showing the state and reason afterwards.
      void vscode.window.showErrorMessage(vscode.l10n.t('ZooKeeper "{0}": {1}{2}', name, errorMessage(e), state === 'connecting' && detail ? vscode.l10n.t(' (still retrying)') : ''));
      return undefined;
    }
  }

  /** Stores the password of `config` (its name, connect string and user), never logged. */
  async storePassword(config: ConnectionConfig, password: string): Promise<void> {
    const key = passwordKey(config);
    if (key === undefined) return;
    await this.secrets.store(key, password);
    // Keys by name only, from older versions, would hand this password to whatever the name points at.
    await this.secrets.delete(LEGACY_PASSWORD_PREFIX + config.name);
  }

  /** The stored password of a configured connection (for the ACL lock-out check), never logged. */
  async passwordOf(name: string): Promise<string | undefined> {
    const config = this.pool.config(name);
    const key = config && passwordKey(config);
    return key === undefined ? undefined : this.secrets.get(key);
  }

  async deletePassword(config: ConnectionConfig): Promise<void> {
    const key = passwordKey(config);
    if (key !== undefined) await this.secrets.delete(key);
    await this.secrets.delete(LEGACY_PASSWORD_PREFIX + config.name);
  }

  private async askPassword(config: ConnectionConfig): Promise<string | undefined> {
    const key = passwordKey(config);
    if (key === undefined) return undefined;
    const stored = await this.secrets.get(key);
    if (stored !== undefined) return stored;
    const password = await vscode.window.showInputBox({
      title: vscode.l10n.t('Password for {0} on "{1}" ({2})', config.auth?.user ?? '', config.name, config.connectString.trim()),
      prompt: vscode.l10n.t('Kept in VS Code secret storage, never in settings.'),
      password: true,
      ignoreFocusOut: true,
    });
    if (password !== undefined) await this.storePassword(config, password);
    return password;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    void this.pool.dispose();
  }
}
