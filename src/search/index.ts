// Find in Subtree: asks for a query, runs src/zk/search on the chosen node of a connection with a
// cancellable progress, and streams the results into the "ZooKeeper Search" view. Clicking a result
// opens the znode (at the matching line) and reveals it in the tree.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { isZkError } from '../zk/errors';
import type { ExportNodeResult } from '../zk/search/searchExport';
import { searchSubtree, SEARCH_DEFAULTS, type SearchSummary } from '../zk/search/searchSubtree';
import type { BinaryHandling } from '../zk/search/searchableText';
import { COMMANDS, VSCODE_COMMANDS } from '../ui/commandIds';
import { pickConnection } from '../ui/connectionArgs';
import { editorUri } from '../ui/znodeUris';
import { errorMessage, registerCommand } from '../ui/registerCommand';
import { BigZnodesCommand } from './bigZnodesCommand';
import { EXPORT_NODE_SCHEME, ExportNodeDocuments, exportFileLabel, exportFilePath, exportNodeUri, pickExportFile, runExportSearch } from './exportFileSearch';
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
      if (this.last?.exportFile) await this.runExport(this.last.exportFile, this.last.choice);
      else if (this.last) await this.run(this.last.connectionName, this.last.root, this.last.choice);
    });
    registerCommand(context, COMMANDS.searchClear, () => {
      this.running?.abort();
      this.results.clear();
      this.setHasResults(false);
    });
    registerCommand(context, COMMANDS.searchAnotherConnection, () => this.anotherConnection());
    registerCommand(context, COMMANDS.searchOpenResult, (row: SearchRow) => this.openResult(row));
    registerCommand(context, COMMANDS.findInExportFile, (uri?: vscode.Uri) => this.findInExportFile(uri));
    context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(EXPORT_NODE_SCHEME, new ExportNodeDocuments()));
    this.setHasResults(false);
    new BigZnodesCommand(context, registry);
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
          this.results.finish(undefined, this.running === abort ? vscode.l10n.t('Cancelled after {0} nodes: the results so far are listed.', visited.toLocaleString('en')) : undefined);
        } else {
          this.results.finish(undefined, errorMessage(e));
          throw e;
        }
      } finally {
        if (this.running === abort) this.running = undefined;
      }
    });
  }

  private async findInSubtree(t: Target): Promise<void> {
    const name = await pickConnection(this.registry, t?.connectionName, vscode.l10n.t('Find in Subtree'));
    if (!name) return;
    const root = t?.path ?? '/';
    const remembered = this.context.workspaceState.get<SearchChoice>(LAST_CHOICE) ?? DEFAULT_CHOICE;
    const choice = await askQuery(vscode.l10n.t('Find in Subtree: {0} on "{1}"', root, name), remembered);
    if (!choice) return;
    await this.context.workspaceState.update(LAST_CHOICE, choice);
    await this.run(name, root, choice);
  }

  private async findInExportFile(arg?: vscode.Uri): Promise<void> {
    const uri = arg instanceof vscode.Uri ? arg : await pickExportFile();
    if (!uri) return;
    const file = exportFilePath(uri);
    const remembered = this.context.workspaceState.get<SearchChoice>(LAST_CHOICE) ?? DEFAULT_CHOICE;
    const choice = await askQuery(vscode.l10n.t('Find in Export File: {0}', exportFileLabel(file)), remembered);
    if (!choice) return;
    await this.context.workspaceState.update(LAST_CHOICE, choice);
    await this.runExport(file, choice);
  }

  /** Like run, on an export file: no connection, results open the node's data read-only from the file. */
  private async runExport(file: string, choice: SearchChoice): Promise<void> {
    this.running?.abort();
    const abort = new AbortController();
    this.running = abort;
    // The export's root is known from its header, at the end (for "search again in another connection").
    const searchRun: SearchRun = { connectionName: '', root: '/', queryText: choice.query.text, exportFile: file };
    this.last = { ...searchRun, choice };
    this.results.start(searchRun);
    this.setHasResults(true);
    void vscode.commands.executeCommand(VSCODE_COMMANDS.focusSearchResults);
    const title = vscode.l10n.t('Searching the export {0} for {1}', exportFileLabel(file), JSON.stringify(choice.query.text));
    let visited = 0;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      token.onCancellationRequested(() => abort.abort());
      try {
        const summary = await runExportSearch(
          {
            file,
            signal: abort.signal,
            maxDepth: choice.maxDepth,
            onResult: (r) => this.results.add(r),
            onProgress: (p) => {
              visited = p.visited;
              this.results.progress(p.visited, p.matches);
              progress.report({ message: vscode.l10n.t('{0} nodes read ({1} MB), {2} matches', p.visited.toLocaleString('en'), (p.bytes / 1048576).toFixed(1), p.matches.toLocaleString('en')) });
            },
          },
          choice.query,
        );
        searchRun.root = summary.root;
        if (this.last?.exportFile === file) this.last.root = summary.root;
        this.results.finish(summary);
      } catch (e) {
        if (isZkError(e, 'CANCELLED')) {
          this.results.finish(undefined, this.running === abort ? vscode.l10n.t('Cancelled after {0} nodes: the results so far are listed.', visited.toLocaleString('en')) : undefined);
        } else {
          this.results.finish(undefined, errorMessage(e));
          throw e;
        }
      } finally {
        if (this.running === abort) this.running = undefined;
      }
    });
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
    if (row.run.exportFile) {
      const result = row.result as ExportNodeResult;
      const uri = exportNodeUri(row.run.exportFile, result);
      const m = row.kind === 'match' ? row.match : undefined;
      const selection = m ? new vscode.Range(m.line, m.column, m.line, m.column + m.length) : undefined;
      await vscode.window.showTextDocument(uri, { selection, preview: true });
      return;
    }
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
