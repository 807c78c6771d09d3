// One HealthPoller per ensemble, running only while something needs it: a visible panel (polls at
// `pollIntervalMs`) or a status bar item (at `statusBarPollIntervalMs`). Pollers are rebuilt when the
// connection, its deadline, history length or AdminServer ports change; history survives a change
// of interval or thresholds.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { parseConnectString } from '../zk/connectString';
import { HealthPoller } from '../zk/health/healthPoller';
import { ClientsMonitor } from '../zk/health/serverClients';
import type { ServerClients } from '../protocol/health';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { adminPortFor, readHealthSettings, type HealthSettings } from '../zk/health/healthSettings';
import { healthSettingsGetter } from '../connections/userOnlySettings';

type Need = 'panel' | 'status';

interface Entry {
  poller: HealthPoller;
  connectString: string;
  needs: Map<Need, number>;
}

export class HealthService implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly updated = new vscode.EventEmitter<string>();
  /** Fires (throttled) with the connection name when its health changed. */
  readonly onDidUpdate = this.updated.event;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private settings: HealthSettings;

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    this.settings = this.read();
    this.disposables.push(
      this.updated,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('zookeeper.health')) {
          const before = this.settings;
          this.settings = this.read();
          // Ports, deadline and history length are fixed per poller: only they need a new one.
          const rebuild =
            before.timeoutMs !== this.settings.timeoutMs ||
            before.historyMinutes !== this.settings.historyMinutes ||
            JSON.stringify(before.adminServerPorts) !== JSON.stringify(this.settings.adminServerPorts);
          for (const [name, entry] of this.entries) {
            if (rebuild) this.rebuild(name);
            else {
              entry.poller.setThresholds(this.settings.thresholds);
              this.schedule(name);
            }
          }
        }
      }),
      registry.onDidChangeConnections(() => {
        for (const name of [...this.entries.keys()]) {
          const config = this.registry.config(name);
          if (!config) this.drop(name);
          else if (config.connectString !== this.entries.get(name)!.connectString) this.rebuild(name);
        }
      }),
    );
  }

  get current(): HealthSettings {
    return this.settings;
  }

  private read(): HealthSettings {
    // adminServerPorts from user settings only: a workspace must not pick where HTTP goes.
    return readHealthSettings(healthSettingsGetter());
  }

  /** The poller of a connection (created, not started, on first use); undefined for an unknown name. */
  poller(name: string): HealthPoller | undefined {
    return this.entry(name)?.poller;
  }

  /** Declares a need for polling; returns a disposable that takes it back. */
  need(name: string, need: Need): vscode.Disposable {
    const entry = this.entry(name);
    if (!entry) return new vscode.Disposable(() => undefined);
    entry.needs.set(need, (entry.needs.get(need) ?? 0) + 1);
    this.schedule(name);
    let released = false;
    return new vscode.Disposable(() => {
      if (released) return;
      released = true;
      const e = this.entries.get(name);
      if (!e) return;
      e.needs.set(need, Math.max(0, (e.needs.get(need) ?? 1) - 1));
      this.schedule(name);
    });
  }

  /** Poll now (the panel's Refresh). */
  async refresh(name: string): Promise<void> {
    await this.entries.get(name)?.poller.pollNow();
  }

  /**
   * Reads the clients of the servers whose details a panel has open, at the panel's poll interval,
   * with the probes' deadline; the rows of the user's own session are marked.
   */
  clientsMonitor(name: string, onClients: (key: string, clients: ServerClients) => void): ClientsMonitor {
    return new ClientsMonitor({
      serverFor: (key) => {
        const t = this.entries.get(name)?.poller.targets().find((x) => x.key === key);
        if (!t) return undefined;
        return t.adminPort !== undefined ? { host: t.host, port: t.clientPort, adminPort: t.adminPort } : { host: t.host, port: t.clientPort };
      },
      intervalMs: this.settings.pollIntervalMs,
      timeoutMs: this.settings.timeoutMs,
      ownSessionId: () => this.ownSessionId(name),
      onClients,
      t: vscode.l10n.t,
    });
  }

  /** The user's own session to the ensemble (quotas are read through it). */
  connection(name: string): EnsembleConnection | undefined {
    return this.registry.get(name);
  }

  /** The session id of the extension's own connection, while it is connected. */
  ownSessionId(name: string): string | undefined {
    const c = this.registry.get(name);
    if (!c || (c.state !== 'connected' && c.state !== 'readOnlyServer')) return undefined;
    try {
      return c.client.sessionId;
    } catch {
      return undefined;
    }
  }

  private entry(name: string): Entry | undefined {
    const existing = this.entries.get(name);
    if (existing) return existing;
    const config = this.registry.config(name);
    if (!config) return undefined;
    const entry: Entry = { poller: this.makePoller(name, config.connectString), connectString: config.connectString, needs: new Map() };
    this.entries.set(name, entry);
    return entry;
  }

  private makePoller(name: string, connectString: string): HealthPoller {
    const s = this.settings;
    const { servers } = parseConnectString(connectString);
    const poller = new HealthPoller({
      connectionName: name,
      servers: servers.map((sv) => ({ host: sv.host, port: sv.port, adminPort: adminPortFor(s, name, sv.host, sv.port) })),
      intervalMs: s.pollIntervalMs,
      timeoutMs: s.timeoutMs,
      historyMs: s.historyMinutes * 60_000,
      thresholds: s.thresholds,
      adminPortFor: (host, port) => adminPortFor(this.settings, name, host, port, 'membership'),
      membershipSource: () => this.readConfigZnode(name),
      t: vscode.l10n.t,
    });
    poller.on('update', () => this.fire(name));
    poller.on('probeFailed', (target: { key: string }, e: unknown) => this.log?.warn(`[${name}] health probe of ${target.key} failed: ${String(e)}`));
    return poller;
  }

  /** `/zookeeper/config` through the user's session, when it is connected without a chroot. */
  private async readConfigZnode(name: string): Promise<string | undefined> {
    const c = this.registry.get(name);
    if (!c || c.chroot !== undefined || (c.state !== 'connected' && c.state !== 'readOnlyServer')) return undefined;
    const { data } = await c.client.getData('/zookeeper/config');
    return Buffer.from(data).toString('utf8');
  }

  private rebuild(name: string): void {
    const old = this.entries.get(name);
    const config = this.registry.config(name);
    if (!old || !config) return;
    old.poller.dispose();
    old.poller = this.makePoller(name, config.connectString);
    old.connectString = config.connectString;
    this.schedule(name);
    this.fire(name);
  }

  private drop(name: string): void {
    this.entries.get(name)?.poller.dispose();
    this.entries.delete(name);
    this.fire(name);
  }

  /** Starts, stops or re-times the poller after a change of needs. */
  private schedule(name: string): void {
    const e = this.entries.get(name);
    if (!e) return;
    const panel = (e.needs.get('panel') ?? 0) > 0;
    const status = (e.needs.get('status') ?? 0) > 0;
    if (!panel && !status) {
      e.poller.stop();
      return;
    }
    e.poller.setIntervalMs(panel ? this.settings.pollIntervalMs : Math.max(this.settings.pollIntervalMs, this.settings.statusBarPollIntervalMs));
    if (!e.poller.running) e.poller.start();
  }

  private fire(name: string): void {
    if (this.pending.has(name)) return;
    this.pending.set(
      name,
      setTimeout(() => {
        this.pending.delete(name);
        this.updated.fire(name);
      }, 150),
    );
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    for (const e of this.entries.values()) e.poller.dispose();
    this.entries.clear();
    for (const d of this.disposables) d.dispose();
  }
}
