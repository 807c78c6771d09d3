import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('ZooKeeper', { log: true });
  context.subscriptions.push(log);
  log.info('ZooKeeper Explorer activated');
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
