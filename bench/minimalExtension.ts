// The reference for the activation benchmark: the smallest extension that does what ours does at
// activation in kind (a log channel, a command, a tree view over the configured connections), but
// none of its work. Bundled and measured exactly like dist/extension.js (bench/activation.ts).
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): { names: string[] } {
  const log = vscode.window.createOutputChannel('Minimal', { log: true });
  const changed = new vscode.EventEmitter<void>();
  const names = () => (vscode.workspace.getConfiguration('zookeeper').get<{ name: string }[]>('connections') ?? []).map((c) => c.name);
  const view = vscode.window.createTreeView('minimal.view', {
    treeDataProvider: {
      onDidChangeTreeData: changed.event,
      getTreeItem: (name: string) => new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed),
      getChildren: () => names(),
    },
  });
  context.subscriptions.push(log, changed, view, vscode.commands.registerCommand('minimal.refresh', () => changed.fire()));
  log.info(`activated with ${names().length} connection(s)`);
  return { names: names() };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
