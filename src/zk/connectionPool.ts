// ConnectionPool: the configured ensembles as EnsembleConnections, kept in step with the settings.
// An entry whose settings did not change keeps its session; a changed one is replaced.
import { EventEmitter } from 'node:events';
import type { ConnectionConfig } from './config';
import { EnsembleConnection, type ConnectionStatus } from './ensembleConnection';
import { ZkError } from './errors';
import { msg } from './message';

export interface PoolEvents {
  /** The set of connections or their order changed. */
  changed: () => void;
  status: (name: string, status: ConnectionStatus) => void;
}

export class ConnectionPool extends EventEmitter {
  private readonly byName = new Map<string, { config: ConnectionConfig; connection: EnsembleConnection }>();
  private order: string[] = [];

  constructor(private readonly passwordFor: (config: ConnectionConfig) => Promise<string | undefined>) {
    super();
  }

  get names(): string[] {
    return this.order.slice();
  }

  all(): EnsembleConnection[] {
    return this.order.map((n) => this.byName.get(n)!.connection);
  }

  get(name: string): EnsembleConnection | undefined {
    return this.byName.get(name)?.connection;
  }

  config(name: string): ConnectionConfig | undefined {
    return this.byName.get(name)?.config;
  }

  /** Applies a new list of configs: adds, replaces (closing the old session) and removes. */
  async update(configs: readonly ConnectionConfig[]): Promise<void> {
    const next = new Map(configs.map((c) => [c.name, c]));
    const retired: EnsembleConnection[] = [];
    for (const [name, entry] of this.byName) {
      const cfg = next.get(name);
      if (!cfg || !sameConfig(cfg, entry.config)) {
        this.byName.delete(name);
        retired.push(entry.connection);
      }
    }
    let added = 0;
    for (const cfg of configs) {
      if (!this.byName.has(cfg.name)) {
        this.byName.set(cfg.name, { config: cfg, connection: this.create(cfg) });
        added++;
      }
    }
    const order = configs.map((c) => c.name);
    const reordered = order.join('\u0000') !== this.order.join('\u0000');
    this.order = order;
    // Closing a connection reports its last states at once: listeners then look at the pool, which
    // must already be the new one (every name has its config), not half of each.
    await Promise.all(retired.map((c) => c.dispose()));
    // Settings that did not change the pool (the same list read twice: the Add command's own reload
    // and the one the settings change starts) fire nothing: the tree would redraw every row for it.
    if (retired.length > 0 || added > 0 || reordered) this.emit('changed');
  }

  /**
   * Opens a connection, asking for its password first when it has credentials. Resolves when
   * connected; rejects with the reason (the connection keeps retrying in the background).
   */
  async open(name: string): Promise<EnsembleConnection> {
    const entry = this.byName.get(name);
    if (!entry) throw new ZkError('INVALID_ARGUMENT', msg('No connection named "{0}"', name));
    if (entry.config.auth && !entry.connection.hasPassword) {
      const passwordless = entry.connection;
      const password = await this.passwordFor(entry.config);
      if (password === undefined) throw new ZkError('CLOSED', msg('Connection "{0}" needs the password of "{1}"', name, entry.config.auth.user));
      // The prompt took its time: the settings may have replaced or removed the entry (its password
      // then belongs to a config that is gone), or another open may have set a password already.
      if (this.byName.get(name) !== entry) throw changedWhileAsking(name);
      if (entry.connection === passwordless) {
        const replacement = this.create(entry.config, password);
        // In the entry before anything else is awaited, so that an update() meanwhile closes it too.
        entry.connection = replacement;
        this.emit('changed');
        await passwordless.dispose();
        if (this.byName.get(name) !== entry || entry.connection !== replacement) {
          await replacement.dispose();
          throw changedWhileAsking(name);
        }
      }
    }
    await entry.connection.open();
    return entry.connection;
  }

  /** Forgets the password of a connection (after an auth failure or an edit) and resets it. */
  async resetCredentials(name: string): Promise<void> {
    const entry = this.byName.get(name);
    if (!entry) return;
    await entry.connection.dispose();
    entry.connection = this.create(entry.config);
    this.emit('changed');
  }

  async dispose(): Promise<void> {
    const all = [...this.byName.values()];
    this.byName.clear();
    this.order = [];
    await Promise.all(all.map((e) => e.connection.dispose()));
    this.removeAllListeners();
  }

  private create(config: ConnectionConfig, password?: string): EnsembleConnection {
    const c = new EnsembleConnection(config, { password });
    c.on('status', (s: ConnectionStatus) => this.emit('status', config.name, s));
    return c;
  }
}

function changedWhileAsking(name: string): Error {
  return new ZkError('CONFLICT', msg('The settings of "{0}" changed while its password was asked for: nothing was sent. Connect again to use the new settings.', name));
}

function sameConfig(a: ConnectionConfig, b: ConnectionConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
