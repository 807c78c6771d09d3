import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('ZooKeeper', { log: true });
  context.subscriptions.push(log);
  const connections = vscode.workspace.getConfiguration('zookeeper').get<unknown[]>('connections') ?? [];
  void vscode.commands.executeCommand('setContext', 'zookeeper.connectionCount', connections.length);
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('zookeeper.explorer', {
      getTreeItem: (e: vscode.TreeItem) => e,
      getChildren: () => [],
    }),
    vscode.commands.registerCommand('zookeeper.addConnection', () => {
      void vscode.window.showInformationMessage('Add Connection is not implemented yet.');
    }),
  );
  log.info('ZooKeeper Explorer activated');
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
