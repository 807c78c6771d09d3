// Cluster administration (issue 17): quotas on the tree's nodes (Set Quota…, Remove Quota, a "Q"
// badge and the quota in the row's tooltip) and the sessions report. The domain is in src/zk/admin/.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { ZnodeTreeProvider } from '../tree/znodeTreeProvider';
import { QuotaCommands, type NodeTarget } from './quotaCommands';
import { QuotaDecorations, quotaTooltipMarkdown } from './quotaDecorations';
import { QuotaIndex } from './quotaIndex';
import { registerSessions } from './sessionsCommand';

export function registerAdmin(context: vscode.ExtensionContext, registry: ConnectionRegistry, tree?: ZnodeTreeProvider): void {
  const index = new QuotaIndex(registry);
  const decorations = new QuotaDecorations(index);
  const quotas = new QuotaCommands(registry, index);
  tree?.tooltipSections.push((connectionName, path) => {
    const q = index.get(connectionName, path);
    return q ? quotaTooltipMarkdown(q) : undefined;
  });
  const command = (id: string, fn: (t: NodeTarget) => Promise<void>) =>
    vscode.commands.registerCommand(id, async (t?: NodeTarget) => {
      try {
        await fn(t);
      } catch (e) {
        void vscode.window.showErrorMessage((e as Error).message);
      }
    });
  context.subscriptions.push(
    index,
    decorations,
    vscode.window.registerFileDecorationProvider(decorations),
    command('zookeeper.setQuota', (t) => quotas.setQuota(t)),
    command('zookeeper.removeQuota', (t) => quotas.removeQuota(t)),
  );
  registerSessions(context, registry);
}
