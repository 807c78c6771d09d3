// The "ZooKeeper Search" view: the results of the last Find in Subtree, grouped by node, each data
// match on its own row with its line and the match highlighted. Results arrive while the walk runs;
// the view is refreshed at once for the first one, then at most every 150 ms so that a stream of
// thousands of matches stays cheap.
import * as vscode from 'vscode';
import type { NodeResult, SearchSummary } from '../zk/search/searchSubtree';
import type { TextMatch } from '../zk/search/query';

export interface SearchRun {
  connectionName: string;
  root: string;
  queryText: string;
  /** A search of an export file (no connection): the file's path. */
  exportFile?: string;
}

type DataMatch = NodeResult['dataMatches'][number];
export type SearchRow =
  | { kind: 'node'; run: SearchRun; result: NodeResult }
  | { kind: 'match'; run: SearchRun; result: NodeResult; match: DataMatch }
  | { kind: 'unreadable'; run: SearchRun; paths: string[] }
  | { kind: 'unreadablePath'; run: SearchRun; path: string };

/** The view is redrawn at most this often while results stream in. */
const REFRESH_MS = 150;

export class SearchResultsView implements vscode.TreeDataProvider<SearchRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private run: SearchRun | undefined;
  private results: NodeResult[] = [];
  private summary: SearchSummary | undefined;
  private timer: NodeJS.Timeout | undefined;
  private view: vscode.TreeView<SearchRow> | undefined;

  attach(view: vscode.TreeView<SearchRow>): void {
    this.view = view;
  }

  get current(): SearchRun | undefined {
    return this.run;
  }

  start(run: SearchRun): void {
    this.run = run;
    this.results = [];
    this.summary = undefined;
    this.describe('Searching…');
    this.flush();
  }

  add(result: NodeResult): void {
    this.results.push(result);
    // The first result is drawn at once (a search shows something within 200 ms); the rest in batches.
    this.timer ??= setTimeout(() => this.flush(), this.results.length === 1 ? 0 : REFRESH_MS);
  }

  finish(summary: SearchSummary | undefined, note?: string): void {
    this.summary = summary;
    this.flush();
    const parts: string[] = [];
    if (summary) {
      parts.push(vscode.l10n.t('{0}.', this.counts(summary.visited, summary.matches)));
      if (this.view) this.view.description = this.counts(summary.visited, summary.matches);
    }
    if (note) parts.push(note);
    if (summary?.truncated) parts.push(vscode.l10n.t('Stopped at {0} matches: refine the query to see the rest.', summary.matches.toLocaleString('en')));
    if (summary && summary.binarySkipped > 0) parts.push(vscode.l10n.t('{0} binary nodes not searched (search binary data as hex or base64 to include them).', summary.binarySkipped.toLocaleString('en')));
    this.setMessage(parts.join(' '));
  }

  clear(): void {
    this.run = undefined;
    this.results = [];
    this.summary = undefined;
    this.setMessage('');
    if (this.view) this.view.description = undefined;
    this.flush();
  }

  /**
   * Counts while the walk runs: "12 matches in 5 nodes · 50,001 visited", in the view's description
   * (shown when the view has a header) and its message (shown wherever the view is, the panel included).
   */
  progress(visited: number, matches: number): void {
    const counts = this.counts(visited, matches);
    if (this.view) this.view.description = counts;
    this.setMessage(vscode.l10n.t('Searching… {0}', counts));
  }

  private counts(visited: number, matches: number): string {
    const n = (x: number) => x.toLocaleString('en');
    const found = matches === 1 ? vscode.l10n.t('1 match') : vscode.l10n.t('{0} matches', n(matches));
    const where = this.results.length === 1 ? vscode.l10n.t('1 node') : vscode.l10n.t('{0} nodes', n(this.results.length));
    return vscode.l10n.t('{0} in {1} · {2} visited', found, where, n(visited));
  }

  private describe(message: string): void {
    this.setMessage(message);
    if (this.view) this.view.description = undefined;
  }

  private setMessage(message: string): void {
    if (this.view) this.view.message = message || undefined;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.fire();
  }

  getChildren(row?: SearchRow): SearchRow[] {
    const run = this.run;
    if (!run) return [];
    if (!row) {
      const rows: SearchRow[] = this.results.map((result) => ({ kind: 'node', run, result }));
      if (this.summary && this.summary.unreadable.length > 0) rows.push({ kind: 'unreadable', run, paths: this.summary.unreadable });
      return rows;
    }
    if (row.kind === 'node') return row.result.dataMatches.map((match) => ({ kind: 'match', run, result: row.result, match }));
    if (row.kind === 'unreadable') return row.paths.slice(0, 500).map((path) => ({ kind: 'unreadablePath', run, path }));
    return [];
  }

  getTreeItem(row: SearchRow): vscode.TreeItem {
    switch (row.kind) {
      case 'node': {
        const r = row.result;
        const label: vscode.TreeItemLabel = { label: r.path, highlights: nodeHighlights(r) };
        const item = new vscode.TreeItem(label, r.dataMatches.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        const count = r.nameMatches.length + r.pathMatches.length + r.dataMatches.length;
        const found = count === 1 ? vscode.l10n.t('1 match') : vscode.l10n.t('{0} matches', count);
        item.description = r.dataAs && r.dataAs !== 'utf-8' ? `${found} · ${r.dataAs}` : found;
        item.iconPath = new vscode.ThemeIcon(r.dataBytes > 0 ? 'file' : 'circle-outline');
        item.tooltip = row.run.exportFile
          ? vscode.l10n.t('{0}\nin the export {1}, {2} bytes of data (read-only)', r.path, row.run.exportFile, r.dataBytes.toLocaleString('en'))
          : vscode.l10n.t('{0}\non "{1}", {2} bytes of data', r.path, row.run.connectionName, r.dataBytes.toLocaleString('en'));
        item.contextValue = 'searchNode';
        item.command = { command: 'zookeeper.search.openResult', title: vscode.l10n.t('Open'), arguments: [row] };
        return item;
      }
      case 'match': {
        const m = row.match;
        const item = new vscode.TreeItem({ label: m.preview, highlights: [[m.previewColumn, m.previewColumn + Math.min(m.length, m.preview.length - m.previewColumn)]] });
        item.description = vscode.l10n.t('line {0}', m.line + 1);
        item.tooltip = vscode.l10n.t('{0}, line {1}, column {2}', row.result.path, m.line + 1, m.column + 1);
        item.contextValue = 'searchMatch';
        item.command = { command: 'zookeeper.search.openResult', title: vscode.l10n.t('Open'), arguments: [row] };
        return item;
      }
      case 'unreadable': {
        const item = new vscode.TreeItem(vscode.l10n.t('{0} not readable', row.paths.length.toLocaleString('en')), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = row.run.exportFile ? vscode.l10n.t('not in the export (no permission when it was written)') : vscode.l10n.t('no permission (NoAuth): not searched, nor what is below them');
        item.iconPath = new vscode.ThemeIcon('lock');
        return item;
      }
      case 'unreadablePath': {
        const item = new vscode.TreeItem(row.path);
        item.iconPath = new vscode.ThemeIcon('lock');
        return item;
      }
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}

/** Highlights on the full path: path matches as they are, name matches moved to where the name starts. */
function nodeHighlights(r: NodeResult): [number, number][] {
  const nameStart = r.path === '/' ? 0 : r.path.lastIndexOf('/') + 1;
  const spans = (ms: TextMatch[], offset: number) => ms.map((m): [number, number] => [offset + m.column, offset + m.column + m.length]);
  return mergeSpans([...spans(r.pathMatches, 0), ...spans(r.nameMatches, nameStart)]);
}

function mergeSpans(spans: [number, number][]): [number, number][] {
  const sorted = spans.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}
