// "Find Big Znodes…" on a connection or a node: walks the subtree (src/zk/bigZnodes.ts) under a
// cancellable progress with the nodes visited, then shows the report (src/zk/bigZnodesReport.ts)
// in the Markdown preview, each node a link that opens its editor. The walk runs in the command, not in
// the content provider, so that it can be cancelled; the provider serves the finished text.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { findBigZnodes } from '../zk/bigZnodes';
import { formatBigZnodesReport } from '../zk/bigZnodesReport';
import { displayName } from '../zk/displayText';
import { pathProblem } from '../zk/paths';
import { COMMANDS } from '../ui/commandIds';
import { pickConnection } from '../ui/connectionArgs';
import { showMarkdownReport } from '../ui/markdownReport';
import { registerCommand } from '../ui/registerCommand';
import { resolveConnectionName } from '../ui/znodeUris';
import { localized } from '../ui/localized';

export const BIG_ZNODES_SCHEME = 'zk-big-znodes';
/**
 * Where a report is: one level down, so that a node's link is '../' and its path, and under
 * /zookeeper, which the walk leaves out, so that no node's link is the report's own path.
 */
const REPORT_PATH = '/zookeeper/big-znodes';
/** Finished reports kept for VS Code to read again (a language change reopens the document). */
const KEPT_REPORTS = 10;

type Target = { connectionName?: string; path?: string } | string | undefined;

export class BigZnodesCommand implements vscode.TextDocumentContentProvider {
  private readonly reports = new Map<string, string>();

  constructor(
    context: vscode.ExtensionContext,
    private readonly registry: ConnectionRegistry,
  ) {
    context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(BIG_ZNODES_SCHEME, this));
    registerCommand(context, COMMANDS.findBigZnodes, (t?: Target) => this.run(t));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    if (uri.path !== REPORT_PATH) return this.followLink(uri);
    const report = this.reports.get(uri.toString());
    if (report !== undefined) return report;
    return `# Big znodes\n\n${vscode.l10n.t('This report is no longer kept: run Find Big Znodes again.')}\n`;
  }

  /**
   * A node's link in the report. The preview follows only links without a scheme (zk: and command:
   * links it ignores), resolved against the report's URI and opened as a document of this scheme:
   * that document stands in for a moment, then the node's own editor opens over it (as a preview
   * editor, in the same place).
   */
  private followLink(uri: vscode.Uri): string {
    const connectionName = resolveConnectionName(this.registry.names(), uri.authority) ?? uri.authority;
    const path = uri.path || '/';
    const key = uri.toString();
    let opened = false;
    const open = () => {
      if (opened) return;
      opened = true;
      shown.dispose();
      clearTimeout(fallback);
      void vscode.commands.executeCommand(COMMANDS.openZnode, { connectionName, path });
    };
    const shown = vscode.window.onDidChangeActiveTextEditor((e) => {
      if (e?.document.uri.toString() === key) open();
    });
    const fallback = setTimeout(open, 3000);
    return vscode.l10n.t('Opening {0} on "{1}"…', displayName(path), displayName(connectionName));
  }

  private async run(t: Target): Promise<void> {
    const title = vscode.l10n.t('Find Big Znodes');
    const name = await pickConnection(this.registry, t, title);
    if (!name) return;
    const root = typeof t === 'object' && t.path ? t.path : typeof t === 'object' && t.connectionName ? '/' : await this.askScope(name);
    if (!root) return;
    const connection = this.registry.get(name);
    if (!connection) throw new Error(vscode.l10n.t('No ZooKeeper connection named "{0}"', name));
    const open = connection.state === 'connected' || connection.state === 'readOnlyServer' ? connection : await this.registry.open(name);
    if (!open) return;
    const abort = new AbortController();
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Finding big znodes under {0} on "{1}"', displayName(root), displayName(name)), cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        return findBigZnodes(open.client, root, {
          signal: abort.signal,
          onProgress: (visited) => progress.report({ message: vscode.l10n.t('{0} nodes visited', visited.toLocaleString('en')) }),
        });
      },
    );
    // Links are relative to the report (REPORT_PATH): '../' and the node's path.
    const linkOf = (path: string) => (path === '/' ? undefined : `..${path.split('/').map(encodeURIComponent).join('/')}`);
    const text = formatBigZnodesReport({ connection: name, report, linkOf, t: vscode.l10n.t });
    const uri = vscode.Uri.from({ scheme: BIG_ZNODES_SCHEME, authority: name, path: REPORT_PATH, query: new URLSearchParams({ root, at: String(Date.now()) }).toString() });
    this.keep(uri.toString(), text);
    await showMarkdownReport(uri);
  }

  /** From the palette: the node to start from ('/' offered). */
  private async askScope(connection: string): Promise<string | undefined> {
    const path = await vscode.window.showInputBox({
      title: vscode.l10n.t('Find Big Znodes on "{0}"', displayName(connection)),
      prompt: vscode.l10n.t('The node whose subtree is walked ("/" for the whole tree)'),
      value: '/',
      validateInput: (v) => localized(pathProblem(v.trim())),
      ignoreFocusOut: true,
    });
    return path?.trim() || undefined;
  }

  private keep(key: string, text: string): void {
    this.reports.set(key, text);
    while (this.reports.size > KEPT_REPORTS) this.reports.delete(this.reports.keys().next().value as string);
  }
}
