// Registers the cluster-health feature: the "Show Cluster Health" command (palette and tree), the
// panel serializer that restores panels after a reload, and the per-ensemble status bar items.
import * as vscode from 'vscode';
import { COMMANDS } from '../ui/commandIds';
import { connectionNameOf, pickConnection } from '../ui/connectionArgs';
import { registerCommand } from '../ui/registerCommand';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { HEALTH_VIEW_TYPE, isHealthWebviewState } from '../protocol/health';
import { HealthPanel } from './healthPanel';
import { HealthService } from './healthService';
import { HealthStatusBar } from './healthStatusBar';

export const SHOW_CLUSTER_HEALTH = COMMANDS.showClusterHealth;

/** What the command accepts: a tree node (`connectionName`), a name, or nothing (then it asks). */
export type ClusterHealthArg = { connectionName?: string } | string | undefined;

export function registerClusterHealth(context: vscode.ExtensionContext, registry: ConnectionRegistry, log?: vscode.LogOutputChannel): HealthService {
  const service = new HealthService(registry, log);
  context.subscriptions.push(service, new HealthStatusBar(registry, service), { dispose: () => HealthPanel.disposeAll() });

  registerCommand(
    context,
    SHOW_CLUSTER_HEALTH,
    async (arg?: ClusterHealthArg) => {
      const name = connectionNameOf(arg) ?? (await pickConnection(registry, undefined, vscode.l10n.t('Show Cluster Health')));
      if (!name) return;
      if (!registry.config(name)) {
        void vscode.window.showErrorMessage(vscode.l10n.t('There is no ZooKeeper connection named "{0}".', name));
        return;
      }
      HealthPanel.createOrShow(context.extensionUri, service, name);
    },
    { errorPrefix: vscode.l10n.t('Cluster health') },
  );
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(HEALTH_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        if (!isHealthWebviewState(state)) {
          panel.dispose();
          return;
        }
        // The registry may still be reading the settings when VS Code restores panels.
        if (!registry.config(state.connectionName)) await connectionsLoaded(registry, 3000);
        if (!registry.config(state.connectionName)) {
          panel.dispose();
          return;
        }
        HealthPanel.revive(panel, context.extensionUri, service, state.connectionName);
      },
    }),
  );
  return service;
}

function connectionsLoaded(registry: ConnectionRegistry, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const sub = registry.onDidChangeConnections(() => done());
    const timer = setTimeout(() => done(), timeoutMs);
    function done() {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}
