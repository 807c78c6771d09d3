// Find in Subtree: asks for a query, runs src/zk/search on the chosen node of a connection with a
// cancellable progress, and streams the results into the "ZooKeeper Search" view. Clicking a result
// opens the znode (at the matching line) and reveals it in the tree.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { isZkError } from '../zk/errors';
import { searchSubtree, SEARCH_DEFAULTS, type SearchSummary } from '../zk/search/searchSubtree';
import type { BinaryHandling } from '../zk/search/searchableText';
import { COMMANDS, VSCODE_COMMANDS } from '../ui/commandIds';
import { pickConnection } from '../ui/connectionArgs';
import { editorUri } from '../ui/znodeUris';
import { registerCommand } from '../ui/registerCommand';
import { askQuery, describeChoice, type SearchChoice } from './queryInput';
import { SearchResultsView, type SearchRow, type SearchRun } from './searchResultsView';

const LAST_CHOICE = 'zookeeper.search.lastChoice';
const DEFAULT_CHOICE: SearchChoice = { query: { text: '', mode: 'substring', caseSensitive: false, target: 'all' }, maxDepth: undefined };

type Target = { connectionName?: string; path?: string } | undefined;

export function registerSearch(context: vscode.ExtensionContext, registry: ConnectionRegistry): void {
  new SearchController(context, registry);
}

/** The results view, the search running now (at most one) and the last one (to run again). */
export class SearchController {
  private readonly results = new SearchResultsView();
  private running: AbortController | undefined;
  private last: (SearchRun & { choice: SearchChoice }) | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly registry: ConnectionRegistry,
  ) {
    const view = vscode.window.createTreeView('zookeeper.search', { treeDataProvider: this.results });
    this.results.attach(view);
    context.subscriptions.push(this.results, view);
    registerCommand(context, COMMANDS.findInSubtree, (t: Target) => this.findInSubtree(t));
    registerCommand(context, COMMANDS.searchRerun, async () => {
      if (this.last) await this.run(this.last.connectionName, this.last.root, this.last.choice);
    });
    registerCommand(context, COMMANDS.searchClear, () => {
      this.running?.abort();
      this.results.clear();
      this.setHasResults(false);
    });
    registerCommand(context, COMMANDS.searchAnotherConnection, () => this.anotherConnection());
    registerCommand(context, COMMANDS.searchOpenResult, (row: SearchRow) => this.openResult(row));
    this.setHasResults(false);
  }

  private setHasResults(v: boolean): void {
    void vscode.commands.executeCommand(VSCODE_COMMANDS.setContext, 'zookeeper.searchHasResults', v);
  }

  private async run(connectionName: string, root: string, choice: SearchChoice): Promise<void> {
    const connection = this.registry.get(connectionName);
    if (!connection) throw new Error(vscode.l10n.t('No ZooKeeper connection named "{0}"', connectionName));
    const open = connection.state === 'connected' || connection.state === 'readOnlyServer' ? connection : await this.registry.open(connectionName);
    if (!open) return;
    this.running?.abort();
    const abort = new AbortController();
    this.running = abort;
    const searchRun: SearchRun = { connectionName, root, queryText: choice.query.text };
    this.last = { ...searchRun, choice };
    this.results.start(searchRun);
    this.setHasResults(true);
    void vscode.commands.executeCommand(VSCODE_COMMANDS.focusSearchResults);
    const settings = vscode.workspace.getConfiguration('zookeeper.search');
    const title = `Searching ${root} on "${connectionName}" for ${JSON.stringify(choice.query.text)}`;
    let visited = 0;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      let summary: SearchSummary | undefined;
      try {
        summary = await searchSubtree(open.client, root, choice.query, {
          maxDepth: choice.maxDepth,
          maxResults: positive(settings.get<number>('maxResults'), SEARCH_DEFAULTS.maxResults),
          fallbackEncoding: settings.get<string>('fallbackEncoding') || undefined,
          binary: settings.get<BinaryHandling>('binaryData') ?? 'skip',
          signal: abort.signal,
          onResult: (r) => this.results.add(r),
          onProgress: (p) => {
            visited = p.visited;
            this.results.progress(p.visited, p.matches);
            progress.report({ message: vscode.l10n.t('{0} nodes visited, {1} matches', p.visited.toLocaleString('en'), p.matches.toLocaleString('en')) });
          },
        });
        this.results.finish(summary);
      } catch (e) {
        if (isZkError(e, 'CANCELLED')) {
          this.results.finish(undefined, this.running === abort ? `Cancelled after ${visited.toLocaleString('en')} nodes: the results so far are listed.` : undefined);
        } else {
          this.results.finish(undefined, (e as Error).message);
          throw e;
        }
      } finally {
        if (this.running === abort) this.running = undefined;
      }
    });
  }

  private async findInSubtree(t: Target): Promise<void> {
    const name = await pickConnection(this.registry, t?.connectionName, 'Find in Subtree');
    if (!name) return;
    const root = t?.path ?? '/';
    const remembered = this.context.workspaceState.get<SearchChoice>(LAST_CHOICE) ?? DEFAULT_CHOICE;
    const choice = await askQuery(`Find in Subtree: ${root} on "${name}"`, remembered);
    if (!choice) return;
    await this.context.workspaceState.update(LAST_CHOICE, choice);
    await this.run(name, root, choice);
  }

  private async anotherConnection(): Promise<void> {
    if (!this.last) return;
    const others = this.registry.configs().filter((c) => c.name !== this.last!.connectionName);
    if (others.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no other ZooKeeper connection to search.'));
      return;
    }
    const picked = await vscode.window.showQuickPick(
      others.map((c) => ({ label: c.name, description: c.connectString })),
      { title: vscode.l10n.t('Search {0} again in another connection', this.last.root), placeHolder: describeChoice(this.last.choice) },
    );
    if (picked) await this.run(picked.label, this.last.root, this.last.choice);
  }

  private async openResult(row: SearchRow): Promise<void> {
    if (!row || (row.kind !== 'node' && row.kind !== 'match')) return;
    const { connectionName } = row.run;
    const { path, dataAs } = row.result;
    void vscode.commands.executeCommand(COMMANDS.revealZnode, { connectionName, path });
    if (row.kind === 'match' && dataAs === 'utf-8') {
      const m = row.match;
      const selection = new vscode.Range(m.line, m.column, m.line, m.column + m.length);
      await vscode.window.showTextDocument(editorUri(connectionName, path), { selection, preview: true });
    } else {
      await vscode.commands.executeCommand(COMMANDS.openZnode, { connectionName, path });
    }
  }
}

function positive(v: number | undefined, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : fallback;
}
