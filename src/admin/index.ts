// Cluster administration (issue 17): quotas on the tree's nodes (Set Quota…, Remove Quota, a "Q"
// badge and the quota in the row's tooltip) and the sessions report. The domain is in src/zk/clusterAdmin/.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { COMMANDS } from '../ui/commandIds';
import { registerCommand } from '../ui/registerCommand';
import { QuotaCommands, type NodeTarget } from './quotaCommands';
import { QuotaDecorations, quotaTooltipMarkdown } from './quotaDecorations';
import { QuotaIndex } from './quotaIndex';
import { registerSessions } from './sessionsCommand';

/** Where the tree takes extra sections for a row's tooltip (the tree provider offers it; no import of the tree). */
export interface TooltipSections {
  readonly tooltipSections: ((connectionName: string, path: string) => string | undefined)[];
}

export function registerAdmin(context: vscode.ExtensionContext, registry: ConnectionRegistry, tree?: TooltipSections): void {
  const index = new QuotaIndex(registry);
  const decorations = new QuotaDecorations(index);
  const quotas = new QuotaCommands(registry, index);
  tree?.tooltipSections.push((connectionName, path) => {
    const q = index.get(connectionName, path);
    return q ? quotaTooltipMarkdown(q) : undefined;
  });
  context.subscriptions.push(index, decorations, vscode.window.registerFileDecorationProvider(decorations));
  registerCommand(context, COMMANDS.setQuota, (t?: NodeTarget) => quotas.setQuota(t));
  registerCommand(context, COMMANDS.removeQuota, (t?: NodeTarget) => quotas.removeQuota(t));
  registerSessions(context, registry);
}
