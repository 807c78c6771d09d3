// The Cluster Health webview panel: one per ensemble, restored after a reload. The host only sends
// data (HostToWebview); the webview renders it. Strict CSP with a fresh nonce per load; the webview
// may load only our bundle (dist/webview) and stylesheets (media).
import { nodeCrypto } from '../zk/lazyBuiltins';
import * as vscode from 'vscode';
import { HEALTH_VIEW_TYPE, type HostToWebview } from '../protocol/health';
import type { ClientsMonitor } from '../zk/health/serverClients';
import type { HealthService } from './healthService';
import { healthHtml } from './html';
import { PanelOffers, panelAction } from './panelMessages';
import { QuotaFeed } from './quotaFeed';
import { DynamicConfigFeed } from './dynamicConfigFeed';
import { COMMANDS } from '../ui/commandIds';

export class HealthPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, HealthPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private polling: vscode.Disposable | undefined;
  /** Reads the clients of the servers whose details are open in the webview (on demand only). */
  private readonly clients: ClientsMonitor;
  /** What was posted to the webview: the only keys, lines and settings its messages may name. */
  private readonly offers = new PanelOffers();
  /** Reads the ensemble's quotas for the Quotas section after each snapshot. */
  private readonly quotas: QuotaFeed;
  /** Reads /zookeeper/config for the Dynamic configuration section after each snapshot. */
  private readonly dynamicConfig: DynamicConfigFeed;
  private configVersion: string | undefined;
  private disposed = false;

  /** Shows the ensemble's panel, creating it when there is none. */
  static createOrShow(extensionUri: vscode.Uri, service: HealthService, connectionName: string): HealthPanel {
    const existing = HealthPanel.panels.get(connectionName);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(HEALTH_VIEW_TYPE, HealthPanel.title(connectionName), vscode.ViewColumn.Active, HealthPanel.options(extensionUri));
    return new HealthPanel(panel, extensionUri, service, connectionName);
  }

  /** Takes over a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, service: HealthService, connectionName: string): HealthPanel {
    const existing = HealthPanel.panels.get(connectionName);
    if (existing) {
      // Two restored panels for one ensemble (should not happen): keep the first.
      panel.dispose();
      return existing;
    }
    panel.webview.options = HealthPanel.options(extensionUri);
    return new HealthPanel(panel, extensionUri, service, connectionName);
  }

  static get(connectionName: string): HealthPanel | undefined {
    return HealthPanel.panels.get(connectionName);
  }

  static disposeAll(): void {
    for (const p of [...HealthPanel.panels.values()]) p.dispose();
  }

  static title(connectionName: string): string {
    return vscode.l10n.t('Cluster Health: {0}', connectionName);
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableForms: false,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
      // The webview keeps its connection name with setState and asks for data again when shown.
      retainContextWhenHidden: false,
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly service: HealthService,
    readonly connectionName: string,
  ) {
    HealthPanel.panels.set(connectionName, this);
    this.clients = service.clientsMonitor(connectionName, (server, clients) => {
      if (this.disposed || !this.panel.visible) return;
      this.offers.clientsPosted(server, clients);
      void this.panel.webview.postMessage({ type: 'clients', server, clients } satisfies HostToWebview);
    });
    this.quotas = new QuotaFeed(
      () => service.connection(connectionName),
      () => service.current,
      (quotas) => {
        if (this.disposed || !this.panel.visible) return;
        this.offers.quotasPosted(quotas);
        void this.panel.webview.postMessage({ type: 'quotas', quotas } satisfies HostToWebview);
      },
    );
    this.dynamicConfig = new DynamicConfigFeed(
      () => service.connection(connectionName),
      () => service.poller(connectionName)?.snapshot().servers ?? [],
      () => service.current.pollIntervalMs,
      (config) => {
        if (this.disposed || !this.panel.visible) return;
        this.offers.dynamicConfigPosted(config);
        // a new config version (a reconfiguration, from here or elsewhere): the Servers table follows now
        if (config.version !== undefined && this.configVersion !== undefined && config.version !== this.configVersion) service.poller(connectionName)?.refreshMembership();
        if (config.version !== undefined) this.configVersion = config.version;
        void this.panel.webview.postMessage({ type: 'dynamicConfig', config } satisfies HostToWebview);
      },
    );
    panel.title = HealthPanel.title(connectionName);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => this.updatePolling()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      service.onDidUpdate((name) => {
        if (name !== connectionName) return;
        this.clients.setIntervalMs(service.current.pollIntervalMs);
        this.post();
      }),
    );
    this.updatePolling();
  }

  private html(): string {
    const webview = this.panel.webview;
    const asUri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...p)).toString();
    return healthHtml({
      cspSource: webview.cspSource,
      nonce: nodeCrypto().randomBytes(16).toString('base64'),
      scriptUri: asUri('dist', 'webview', 'health.js'),
      // health.css next to the bundle holds uPlot's stylesheet (imported by the entry); media/health.css is ours.
      styleUris: [asUri('dist', 'webview', 'health.css'), asUri('media', 'health.css')],
      language: vscode.env.language,
      l10n: vscode.l10n.bundle ?? {},
    });
  }

  /** Polls at the panel's interval while it is visible; the status bar may keep a slower poll going. */
  private updatePolling(): void {
    if (this.disposed) return;
    if (this.panel.visible && !this.polling) {
      this.polling = this.service.need(this.connectionName, 'panel');
      this.post();
    } else if (!this.panel.visible && this.polling) {
      this.polling.dispose();
      this.polling = undefined;
      // The webview is discarded while hidden (no retainContextWhenHidden): its open details with it.
      this.clients.stopAll();
    }
  }

  private post(): void {
    if (this.disposed || !this.panel.visible) return;
    const poller = this.service.poller(this.connectionName);
    let msg: HostToWebview;
    if (!poller) {
      this.offers.clear();
      msg = { type: 'status', polling: false, message: vscode.l10n.t('The connection "{0}" no longer exists.', this.connectionName) };
    } else {
      const snapshot = poller.snapshot();
      this.offers.snapshotPosted(snapshot);
      msg = { type: 'snapshot', snapshot, history: poller.history() };
    }
    void this.panel.webview.postMessage(msg);
    if (poller) void this.quotas.update();
    if (poller) void this.dynamicConfig.update();
  }

  /** Reads the dynamic config again now (after a reconfiguration). */
  refreshDynamicConfig(): void {
    void this.dynamicConfig.update(true);
  }

  private async onMessage(message: unknown): Promise<void> {
    const m = panelAction(message, this.offers, this.clients.watching);
    switch (m.type) {
      case 'ignored':
        // A message that names nothing the host offered: the page is not trusted to invent work.
        break;
      case 'ready':
        // A new page: nothing is open in it yet.
        this.clients.stopAll();
        this.post();
        void this.quotas.update(true);
        void this.dynamicConfig.update(true);
        break;
      case 'wantClients':
        if (this.panel.visible) this.clients.want(m.server);
        break;
      case 'stopClients':
        this.clients.stop(m.server);
        break;
      case 'refresh':
        await this.service.refresh(this.connectionName);
        this.post();
        void this.quotas.update(true);
        void this.dynamicConfig.update(true);
        break;
      case 'reconfig':
        // The command asks, checks, confirms and reports; the page only says which button.
        await vscode.commands.executeCommand(COMMANDS[m.action], { connectionName: this.connectionName, memberId: m.id });
        await this.service.refresh(this.connectionName);
        this.post();
        void this.dynamicConfig.update(true);
        break;
      case 'openSetting':
        await vscode.commands.executeCommand('workbench.action.openSettings', m.setting);
        break;
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to the clipboard'), 2000);
        break;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    HealthPanel.panels.delete(this.connectionName);
    this.polling?.dispose();
    this.polling = undefined;
    this.clients.dispose();
    this.quotas.dispose();
    this.dynamicConfig.dispose();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
