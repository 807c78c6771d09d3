// A status bar item per connected ensemble with its health at a glance: plain when healthy, yellow
// when degraded, red when down. Its poll runs only while the ensemble is connected and the
// `zookeeper.health.statusBar` setting is on. The tooltip is plain text (server strings never
// reach a Markdown renderer).
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { HealthLevel } from '../protocol/health';
import type { HealthService } from './healthService';
import { localizable } from '../zk/localize';

const ICON: Record<HealthLevel, string> = {
  healthy: '$(pulse)',
  degraded: '$(warning)',
  down: '$(error)',
  unknown: '$(loading~spin)',
};

/** The level in words on the item (translated where it is shown). */
const LEVEL_WORD: Record<HealthLevel, string> = {
  healthy: localizable('healthy'),
  degraded: localizable('degraded'),
  down: localizable('down'),
  unknown: localizable('checking'),
};

interface Item {
  item: vscode.StatusBarItem;
  need: vscode.Disposable;
}

export class HealthStatusBar implements vscode.Disposable {
  private readonly items = new Map<string, Item>();
  private readonly lastState = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly service: HealthService,
  ) {
    this.disposables.push(
      registry.onDidChangeStatus(({ name, status }) => {
        this.sync();
        // The session moved or dropped (a server died, the quorum went read-only): the health
        // shown may be up to a poll interval old, so look again now rather than keep saying "healthy".
        const state = status.state;
        const last = this.lastState.get(name);
        this.lastState.set(name, state);
        if (this.items.has(name) && last !== undefined && last !== state && state !== 'connecting') void this.service.refresh(name).catch(() => undefined);
      }),
      registry.onDidChangeConnections(() => this.sync()),
      service.onDidUpdate((name) => this.render(name)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('zookeeper.health.statusBar')) this.sync();
      }),
    );
    this.sync();
  }

  /** One item for each connected ensemble, none for the others. */
  private sync(): void {
    const wanted = new Set<string>();
    if (this.service.current.statusBar) {
      for (const c of this.registry.configs()) {
        const state = this.registry.get(c.name)?.state;
        if (state === 'connected' || state === 'readOnlyServer' || state === 'reconnecting') wanted.add(c.name);
      }
    }
    for (const [name, it] of this.items) {
      if (!wanted.has(name)) {
        it.need.dispose();
        it.item.dispose();
        this.items.delete(name);
      }
    }
    for (const name of wanted) {
      if (this.items.has(name)) continue;
      const item = vscode.window.createStatusBarItem(`zookeeper.health.${name}`, vscode.StatusBarAlignment.Left, 49);
      item.name = `ZooKeeper Health: ${name}`;
      item.command = { command: 'zookeeper.showClusterHealth', title: vscode.l10n.t('Show Cluster Health'), arguments: [name] };
      this.items.set(name, { item, need: this.service.need(name, 'status') });
      this.render(name);
      item.show();
    }
  }

  private render(name: string): void {
    const it = this.items.get(name);
    const poller = this.service.poller(name);
    if (!it || !poller) return;
    const { summary, alerts } = poller.result();
    it.item.text = `${ICON[summary.level]} ${name}: ${vscode.l10n.t(LEVEL_WORD[summary.level])}`;
    const top = alerts.filter((a) => a.severity !== 'info').slice(0, 5).map((a) => `• ${a.title}`);
    it.item.tooltip = [`ZooKeeper ${name}`, summary.text, ...top, '', vscode.l10n.t('Click to show the cluster health panel.')].join('\n');
    it.item.backgroundColor =
      summary.level === 'down'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : summary.level === 'degraded'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    it.item.accessibilityInformation = { label: vscode.l10n.t('ZooKeeper {0} health: {1}', name, summary.text) };
  }

  dispose(): void {
    for (const it of this.items.values()) {
      it.need.dispose();
      it.item.dispose();
    }
    this.items.clear();
    for (const d of this.disposables) d.dispose();
  }
}
