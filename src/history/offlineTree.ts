// The "Snapshots and Logs" view: each opened snapshot as an offline, read-only connection (its nodes
// with stat, ACL and owner in the tooltip, opened as read-only documents), and each opened group of
// logs as a timeline, read a page at a time from disk (filterable by path prefix, session and type).
import * as vscode from 'vscode';
import { COMMANDS } from '../ui/commandIds';
import { localized } from '../ui/localized';
import { formatAcl } from '../zk/acl';
import {
  hexLong,
  multiParts,
  ownerOf,
  readTimelinePage,
  snapshotAcl,
  snapshotStat,
  txnSummary,
  type TimelineCursor,
  type TimelineRow,
} from '../zk/persistence';
import type { OfflineLogs, OfflineSnapshot, OfflineSources } from './offlineSources';
import { snapshotNodeUri, type HistoryVersionStore } from './offlineDocuments';
import { ComparisonRows, isComparisonItem, type ComparisonItem } from './snapshotComparison';

export const OFFLINE_VIEW = 'zookeeper.offline';
const NODE_PAGE = 500;
const TXN_PAGE = 200;

export type OfflineItem =
  | { kind: 'snapshotRoot'; sourceId: string }
  | { kind: 'offlineZnode'; sourceId: string; path: string }
  | { kind: 'moreNodes'; sourceId: string; path: string }
  | { kind: 'logsRoot'; sourceId: string }
  | { kind: 'txn'; sourceId: string; row: TimelineRow }
  | { kind: 'moreTxns'; sourceId: string }
  | { kind: 'note'; sourceId: string; text: string; error: boolean }
  | ComparisonItem;

interface TimelineState {
  rows: TimelineRow[];
  next?: TimelineCursor;
  notes: string[];
  loading?: Promise<void>;
}

export class OfflineTreeProvider implements vscode.TreeDataProvider<OfflineItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<OfflineItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Children shown per snapshot node (grows by a page with "more"). */
  private readonly shown = new Map<string, number>();
  private readonly timelines = new Map<string, TimelineState>();
  private readonly sub: vscode.Disposable;
  private readonly comparisons: ComparisonRows;

  constructor(
    private readonly sources: OfflineSources,
    store: HistoryVersionStore,
  ) {
    this.comparisons = new ComparisonRows(sources, store);
    this.sub = sources.onDidChange(() => {
      this.timelines.clear(); // a filter or the set of sources changed: read the pages again
      this.changed.fire(undefined);
    });
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }

  showMoreNodes(sourceId: string, path: string): void {
    const key = `${sourceId}\u0000${path}`;
    this.shown.set(key, (this.shown.get(key) ?? NODE_PAGE) + NODE_PAGE);
    this.changed.fire(undefined);
  }

  showMoreCompared(item: OfflineItem): void {
    if (item.kind !== 'moreComparison') return;
    this.comparisons.showMore(item.sourceId, item.group);
    this.changed.fire(undefined);
  }

  async loadMoreTxns(sourceId: string): Promise<void> {
    const logs = this.sources.get(sourceId);
    const state = this.timelines.get(sourceId);
    if (logs?.kind !== 'logs' || !state?.next) return;
    await this.readPage(logs, state, state.next);
    this.changed.fire(undefined);
  }

  getTreeItem(item: OfflineItem): vscode.TreeItem {
    if (isComparisonItem(item)) return this.comparisons.treeItem(item, COMMANDS.offlineShowMore);
    switch (item.kind) {
      case 'snapshotRoot': {
        const s = this.sources.get(item.sourceId) as OfflineSnapshot | undefined;
        const t = new vscode.TreeItem(s?.label ?? vscode.l10n.t('(closed)'), vscode.TreeItemCollapsibleState.Collapsed);
        t.id = `offline:${item.sourceId}`;
        t.iconPath = new vscode.ThemeIcon('debug-disconnect');
        t.contextValue = 'offline.snapshot';
        if (s) {
          const snap = s.snapshot;
          t.description = vscode.l10n.t('offline · {0} nodes{1}', snap.nodes.size, snap.damage ? vscode.l10n.t(' · damaged') : '');
          const sessions = snap.sessions.map((x) => vscode.l10n.t('{0} (timeout {1} ms)', hexLong(x.id), x.timeoutMs));
          const counts =
            snap.compression === 'gzip'
              ? vscode.l10n.t('gzip, {0} nodes, {1} session(s)', snap.nodes.size, snap.sessions.length)
              : vscode.l10n.t('{0} nodes, {1} session(s)', snap.nodes.size, snap.sessions.length);
          t.tooltip = [s.file, counts, ...(snap.damage ? [`⚠ ${localized(snap.damage.localized)}`] : []), ...(sessions.length ? [vscode.l10n.t('Sessions: {0}', sessions.join(', '))] : [])].join('\n');
        }
        return t;
      }
      case 'offlineZnode':
        return this.znodeItem(item);
      case 'moreNodes': {
        const t = new vscode.TreeItem(vscode.l10n.t('Show more…'));
        t.iconPath = new vscode.ThemeIcon('ellipsis');
        t.command = { command: COMMANDS.offlineShowMore, title: vscode.l10n.t('Show more'), arguments: [item] };
        return t;
      }
      case 'logsRoot': {
        const s = this.sources.get(item.sourceId) as OfflineLogs | undefined;
        const t = new vscode.TreeItem(s?.label ?? vscode.l10n.t('(closed)'), vscode.TreeItemCollapsibleState.Collapsed);
        t.id = `offline:${item.sourceId}`;
        t.iconPath = new vscode.ThemeIcon('history');
        t.contextValue = 'offline.logs';
        const f = s?.filter ?? {};
        const parts = [f.pathPrefix && vscode.l10n.t('path {0}', f.pathPrefix), f.session !== undefined && vscode.l10n.t('session {0}', hexLong(f.session)), f.types?.length && f.types.join(', ')].filter(Boolean);
        t.description = parts.length ? vscode.l10n.t('filtered: {0}', parts.join(' · ')) : vscode.l10n.t('timeline');
        t.tooltip = s?.files.join('\n');
        return t;
      }
      case 'txn': {
        const e = item.row.entry;
        const t = new vscode.TreeItem(txnSummary(e, vscode.l10n.t));
        t.description = vscode.l10n.t('{0} · session {1}{2}', new Date(e.header.time).toISOString(), hexLong(e.header.clientId), item.row.dataBytes ? ` · ${item.row.dataBytes} B` : '');
        t.tooltip = [
          txnSummary(e, vscode.l10n.t),
          vscode.l10n.t('time {0}', new Date(e.header.time).toISOString()),
          vscode.l10n.t('session {0}, cxid {1}', hexLong(e.header.clientId), e.header.cxid),
          ...multiParts(e, vscode.l10n.t).map((p) => `  ${p}`),
          `${item.row.file} @ ${e.offset}`, // where in which file: data
        ].join('\n');
        t.iconPath = new vscode.ThemeIcon(e.op.type === 'multi' ? 'layers' : e.op.type.startsWith('create') ? 'add' : e.op.type.startsWith('delete') ? 'trash' : 'edit');
        t.contextValue = 'offline.txn';
        return t;
      }
      case 'moreTxns': {
        const t = new vscode.TreeItem(vscode.l10n.t('Load {0} more…', TXN_PAGE));
        t.iconPath = new vscode.ThemeIcon('ellipsis');
        t.command = { command: COMMANDS.offlineLoadMoreTransactions, title: vscode.l10n.t('Load more'), arguments: [item] };
        return t;
      }
      case 'note': {
        const t = new vscode.TreeItem(item.text);
        t.iconPath = new vscode.ThemeIcon(item.error ? 'warning' : 'info');
        t.tooltip = item.text;
        return t;
      }
    }
  }

  private znodeItem(item: { sourceId: string; path: string }): vscode.TreeItem {
    const s = this.sources.get(item.sourceId) as OfflineSnapshot;
    const snap = s.snapshot;
    const node = snap.nodes.get(item.path)!;
    const stat = snapshotStat(snap, node);
    const name = item.path === '/' ? '/' : item.path.slice(item.path.lastIndexOf('/') + 1);
    const t = new vscode.TreeItem(name, stat.numChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    t.id = `offline:${item.sourceId}:${item.path}`;
    const owner = ownerOf(node.stat.ephemeralOwner);
    t.iconPath = new vscode.ThemeIcon(owner.kind === 'ephemeral' ? 'clock' : owner.kind === 'container' ? 'package' : owner.kind === 'ttl' ? 'watch' : stat.numChildren ? 'folder' : 'file');
    t.description = [stat.numChildren ? (stat.numChildren === 1 ? vscode.l10n.t('1 child') : vscode.l10n.t('{0} children', stat.numChildren)) : '', `${stat.dataLength} B`, owner.kind === 'ephemeral' ? vscode.l10n.t('ephemeral') : owner.kind !== 'persistent' ? owner.kind : ''].filter(Boolean).join(' · ');
    const session = owner.kind === 'ephemeral' ? snap.sessions.find((x) => hexLong(x.id) === owner.session) : undefined;
    // The stat's field names (czxid, mtime, version…) are ZooKeeper's: kept as they are.
    const lines = [
      vscode.l10n.t('{0} (offline, {1})', item.path, s.label),
      `czxid ${stat.czxid} · mzxid ${stat.mzxid} · pzxid ${stat.pzxid}`,
      `ctime ${stat.ctime.toISOString()} · mtime ${stat.mtime.toISOString()}`,
      `version ${stat.version} · cversion ${stat.cversion} · aversion ${stat.aversion}`,
      vscode.l10n.t('owner: {0}', ownerText(owner, session)),
      vscode.l10n.t('ACL: {0}', snapshotAcl(snap, node).map(formatAcl).join(', ') || vscode.l10n.t('(none)')),
    ];
    const tooltip = new vscode.MarkdownString();
    for (const line of lines) tooltip.appendText(line + '\n\n'); // paths and ACL ids are text, never markup
    t.tooltip = tooltip;
    t.contextValue = 'offline.znode';
    t.resourceUri = snapshotNodeUri(item.sourceId, item.path);
    t.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [t.resourceUri] };
    return t;
  }

  getParent(item: OfflineItem): OfflineItem | undefined {
    if (isComparisonItem(item)) return this.comparisons.parent(item);
    if (item.kind === 'snapshotRoot' || item.kind === 'logsRoot') return undefined;
    if (item.kind === 'moreNodes') return { kind: 'offlineZnode', sourceId: item.sourceId, path: item.path };
    if (item.kind === 'offlineZnode') {
      if (item.path === '/') return { kind: 'snapshotRoot', sourceId: item.sourceId };
      return { kind: 'offlineZnode', sourceId: item.sourceId, path: item.path.slice(0, Math.max(1, item.path.lastIndexOf('/'))) };
    }
    return this.sources.get(item.sourceId)?.kind === 'snapshot' ? { kind: 'snapshotRoot', sourceId: item.sourceId } : { kind: 'logsRoot', sourceId: item.sourceId };
  }

  async getChildren(item?: OfflineItem): Promise<OfflineItem[]> {
    if (!item) {
      return this.sources.list().map((s): OfflineItem => ({ kind: s.kind === 'snapshot' ? 'snapshotRoot' : s.kind === 'logs' ? 'logsRoot' : 'comparisonRoot', sourceId: s.id }));
    }
    if (isComparisonItem(item)) return this.comparisons.children(item);
    const source = this.sources.get(item.sourceId);
    if (!source) return [];
    if (source.kind === 'snapshot' && (item.kind === 'snapshotRoot' || item.kind === 'offlineZnode')) {
      const path = item.kind === 'snapshotRoot' ? '/' : item.path;
      if (item.kind === 'snapshotRoot') {
        const notes: OfflineItem[] = source.snapshot.damage ? [{ kind: 'note', sourceId: source.id, text: localized(source.snapshot.damage.localized), error: true }] : [];
        return [...notes, { kind: 'offlineZnode', sourceId: source.id, path: '/' }];
      }
      const names = [...(source.snapshot.children.get(path) ?? [])].sort();
      const limit = this.shown.get(`${source.id}\u0000${path}`) ?? NODE_PAGE;
      const base = path === '/' ? '' : path;
      const items: OfflineItem[] = names.slice(0, limit).map((n) => ({ kind: 'offlineZnode', sourceId: source.id, path: `${base}/${n}` }));
      if (names.length > limit) items.push({ kind: 'moreNodes', sourceId: source.id, path });
      return items;
    }
    if (source.kind === 'logs' && item.kind === 'logsRoot') {
      let state = this.timelines.get(source.id);
      if (!state) {
        state = { rows: [], notes: [] };
        this.timelines.set(source.id, state);
        await this.readPage(source, state, { fileIndex: 0 });
      } else if (state.loading) await state.loading;
      const rows: OfflineItem[] = state.rows.map((row) => ({ kind: 'txn', sourceId: source.id, row }));
      const notes: OfflineItem[] = state.notes.map((text) => ({ kind: 'note', sourceId: source.id, text, error: true }));
      if (!rows.length && !notes.length) notes.push({ kind: 'note', sourceId: source.id, text: vscode.l10n.t('No transactions match the filter.'), error: false });
      return [...notes, ...rows, ...(state.next ? [{ kind: 'moreTxns', sourceId: source.id } as OfflineItem] : [])];
    }
    return [];
  }

  private async readPage(logs: OfflineLogs, state: TimelineState, cursor: TimelineCursor): Promise<void> {
    const load = (async () => {
      const page = await readTimelinePage(logs.files, cursor, logs.filter, TXN_PAGE);
      state.rows.push(...page.rows);
      state.next = page.next;
      for (const d of page.damages) state.notes.push(`${d.file}: ${localized(d.damage.localized)}`);
      for (const u of page.unreadable) state.notes.push(`${u.file}: ${localized(u.reason)}`);
    })();
    state.loading = load;
    try {
      await load;
    } finally {
      state.loading = undefined;
    }
  }
}

/** Who owns a snapshot node, in the user's language (persistent and container are ZooKeeper's words). */
function ownerText(owner: ReturnType<typeof ownerOf>, session: { timeoutMs: number } | undefined): string {
  if (owner.kind === 'ephemeral') {
    return session ? vscode.l10n.t('session {0} (timeout {1} ms)', owner.session, session.timeoutMs) : vscode.l10n.t("session {0} (not among the snapshot's sessions)", owner.session);
  }
  return owner.kind === 'ttl' ? vscode.l10n.t('TTL {0} ms', owner.ttlMs) : owner.kind;
}
