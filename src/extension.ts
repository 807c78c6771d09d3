// Entry point: wires the domain layer (src/zk) to VS Code. Each feature registers itself from its
// own folder; this file only creates the shared pieces and calls them.
import * as vscode from 'vscode';
import { ConnectionRegistry } from './connections/connectionRegistry';
import { registerConnectionCommands } from './connections/connectionCommands';
import { registerConnectionStatusBar } from './connections/connectionStatusBar';
import { registerTree } from './tree';
import { registerClusterHealth } from './health';
import { registerEditors } from './editors';
import { registerWatches } from './watches';
import { registerHolders } from './holders';
import { registerSearch } from './search';
import { registerAdmin } from './admin';
import { registerHistory } from './history';
import { registerConfigAsCode } from './configAsCode';
import { WatchedChanges } from './zk/watchedHistory';
import { ReconfigController } from './reconfig';

// activate() returns nothing on purpose: whatever it returned would be every other extension's
// (`getExtension(...).exports`), and the registry reaches stored passwords and live sessions.
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('ZooKeeper', { log: true });
  context.subscriptions.push(log);
  const registry = new ConnectionRegistry(context.secrets, log, context.workspaceState);
  context.subscriptions.push(registry);
  registerConnectionCommands(context, registry);
  registerConnectionStatusBar(context, registry);
  const tree = registerTree(context, registry);
  registerClusterHealth(context, registry, log);
  registerEditors(context, registry);
  // what the watches see becomes history (Show History)
  const watched = new WatchedChanges();
  registerWatches(context, registry, watched);
  registerHolders(context, registry);
  registerSearch(context, registry);
  registerAdmin(context, registry, tree);
  registerHistory(context, registry, watched);
  registerConfigAsCode(context, registry);
  new ReconfigController(context, registry);
  await registry.reload();
  log.info(`ZooKeeper Explorer activated with ${registry.configs().length} connection(s)`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
