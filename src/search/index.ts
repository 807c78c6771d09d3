// Find in Subtree: asks for a query, runs src/zk/search on the chosen node of a connection with a
// cancellable progress, and streams the results into the "ZooKeeper Search" view. Clicking a result
// opens the znode (at the matching line) and reveals it in the tree.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { pickConnection } from '../connections/connectionCommands';
import { editorUri } from '../editors/uris';
import { isZkError } from '../zk/errors';
import { searchSubtree, SEARCH_DEFAULTS, type SearchSummary } from '../zk/search/searchSubtree';
import type { BinaryHandling } from '../zk/search/searchableText';
import { askQuery, describeChoice, type SearchChoice } from './queryInput';
import { SearchResultsView, type SearchRow, type SearchRun } from './searchResultsView';

const LAST_CHOICE = 'zookeeper.search.lastChoice';
const DEFAULT_CHOICE: SearchChoice = { query: { text: '', mode: 'substring', caseSensitive: false, target: 'all' }, maxDepth: undefined };

type Target = { connectionName?: string; path?: string } | undefined;

export function registerSearch(context: vscode.ExtensionContext, registry: ConnectionRegistry): void {
  const results = new SearchResultsView();
  const view = vscode.window.createTreeView('zookeeper.search', { treeDataProvider: results });
  results.attach(view);
  context.subscriptions.push(results, view);
  let running: AbortController | undefined;
  let last: (SearchRun & { choice: SearchChoice }) | undefined;

  const setHasResults = (v: boolean) => void vscode.commands.executeCommand('setContext', 'zookeeper.searchHasResults', v);

  const run = async (connectionName: string, root: string, choice: SearchChoice): Promise<void> => {
    const connection = registry.get(connectionName);
    if (!connection) throw new Error(`No ZooKeeper connection named "${connectionName}"`);
    const open = connection.state === 'connected' || connection.state === 'readOnlyServer' ? connection : await registry.open(connectionName);
    if (!open) return;
    running?.abort();
    const abort = new AbortController();
    running = abort;
    const searchRun: SearchRun = { connectionName, root, queryText: choice.query.text };
    last = { ...searchRun, choice };
    results.start(searchRun);
    setHasResults(true);
    void vscode.commands.executeCommand('zookeeper.search.focus');
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
          onResult: (r) => results.add(r),
          onProgress: (p) => {
            visited = p.visited;
            results.progress(p.visited, p.matches);
            progress.report({ message: `${p.visited.toLocaleString('en')} nodes visited, ${p.matches.toLocaleString('en')} matches` });
          },
        });
        results.finish(summary);
      } catch (e) {
        if (isZkError(e, 'CANCELLED')) {
          results.finish(undefined, running === abort ? `Cancelled after ${visited.toLocaleString('en')} nodes: the results so far are listed.` : undefined);
        } else {
          results.finish(undefined, (e as Error).message);
          throw e;
        }
      } finally {
        if (running === abort) running = undefined;
      }
    });
  };

  const command = (id: string, fn: (...args: never[]) => unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await (fn as (...a: unknown[]) => unknown)(...args);
        } catch (e) {
          void vscode.window.showErrorMessage((e as Error).message);
        }
      }),
    );

  command('zookeeper.findInSubtree', async (t: Target) => {
    const name = await pickConnection(registry, t?.connectionName, 'Find in Subtree');
    if (!name) return;
    const root = t?.path ?? '/';
    const remembered = context.workspaceState.get<SearchChoice>(LAST_CHOICE) ?? DEFAULT_CHOICE;
    const choice = await askQuery(`Find in Subtree: ${root} on "${name}"`, remembered);
    if (!choice) return;
    await context.workspaceState.update(LAST_CHOICE, choice);
    await run(name, root, choice);
  });

  command('zookeeper.search.rerun', async () => {
    if (last) await run(last.connectionName, last.root, last.choice);
  });

  command('zookeeper.search.clear', () => {
    running?.abort();
    results.clear();
    setHasResults(false);
  });

  command('zookeeper.search.anotherConnection', async () => {
    if (!last) return;
    const others = registry.configs().filter((c) => c.name !== last!.connectionName);
    if (others.length === 0) {
      void vscode.window.showInformationMessage('There is no other ZooKeeper connection to search.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      others.map((c) => ({ label: c.name, description: c.connectString })),
      { title: `Search ${last.root} again in another connection`, placeHolder: describeChoice(last.choice) },
    );
    if (picked) await run(picked.label, last.root, last.choice);
  });

  command('zookeeper.search.openResult', async (row: SearchRow) => {
    if (!row || (row.kind !== 'node' && row.kind !== 'match')) return;
    const { connectionName } = row.run;
    const { path, dataAs } = row.result;
    void vscode.commands.executeCommand('zookeeper.revealZnode', { connectionName, path });
    if (row.kind === 'match' && dataAs === 'utf-8') {
      const m = row.match;
      const selection = new vscode.Range(m.line, m.column, m.line, m.column + m.length);
      await vscode.window.showTextDocument(editorUri(connectionName, path), { selection, preview: true });
    } else {
      await vscode.commands.executeCommand('zookeeper.openZnode', { connectionName, path });
    }
  });

  setHasResults(false);
}

function positive(v: number | undefined, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : fallback;
}
