// Compare Snapshots… and Compare with Snapshot…: two snapshots compared node by node (by
// src/zk/persistence's diffSnapshots) and shown in "Snapshots and Logs" as a tree with counts:
// Created, Deleted and Changed, each node opening VS Code's diff editor between the two snapshots.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { localized } from '../ui/localized';
import { formatAcl } from '../zk/acl';
import { diffSnapshots, nodeMode, olderFirst, snapshotAcl, type DiffGroup, type NodeAspect } from '../zk/persistence';
import type { HistoryVersionStore } from './offlineDocuments';
import { snapshotNodeUri } from './offlineDocuments';
import type { OfflineComparison, OfflineSnapshot, OfflineSources } from './offlineSources';

const PAGE = 500;

export type ComparisonItem =
  | { kind: 'comparisonRoot'; sourceId: string }
  | { kind: 'comparisonGroup'; sourceId: string; group: DiffGroup }
  | { kind: 'comparisonNode'; sourceId: string; group: DiffGroup; path: string; aspects?: NodeAspect[] }
  | { kind: 'moreComparison'; sourceId: string; group: DiffGroup };

export function isComparisonItem(item: { kind: string }): item is ComparisonItem {
  return item.kind === 'comparisonRoot' || item.kind === 'comparisonGroup' || item.kind === 'comparisonNode' || item.kind === 'moreComparison';
}

/** Opens a snapshot file as a source (or finds it already open) and returns it. */
export type SnapshotOpener = (file: string) => Promise<OfflineSnapshot | undefined>;

function groupTitle(group: DiffGroup, count: number): string {
  if (group === 'created') return vscode.l10n.t('Created ({0})', count);
  if (group === 'deleted') return vscode.l10n.t('Deleted ({0})', count);
  return vscode.l10n.t('Changed ({0})', count);
}

function aspectWords(aspects: readonly NodeAspect[]): string {
  const words: Record<NodeAspect, string> = { data: vscode.l10n.t('data'), acl: vscode.l10n.t('ACL'), mode: vscode.l10n.t('mode'), recreated: vscode.l10n.t('deleted and created again') };
  return aspects.map((a) => words[a]).join(', ');
}

function countsText(c: OfflineComparison): string {
  return vscode.l10n.t('{0} created · {1} deleted · {2} changed · {3} unchanged', c.diff.created.length, c.diff.deleted.length, c.diff.changed.length, c.diff.unchanged);
}

/** The tree rows of comparisons, for the "Snapshots and Logs" view. */
export class ComparisonRows {
  /** Rows shown per group (grows by a page with "Show more…"). */
  private readonly shown = new Map<string, number>();

  constructor(
    private readonly sources: OfflineSources,
    private readonly store: HistoryVersionStore,
  ) {}

  showMore(sourceId: string, group: DiffGroup): void {
    const key = `${sourceId}\u0000${group}`;
    this.shown.set(key, (this.shown.get(key) ?? PAGE) + PAGE);
  }

  private comparison(id: string): OfflineComparison | undefined {
    const s = this.sources.get(id);
    return s?.kind === 'comparison' ? s : undefined;
  }

  private snapshots(c: OfflineComparison): [OfflineSnapshot | undefined, OfflineSnapshot | undefined] {
    const get = (id: string) => {
      const s = this.sources.get(id);
      return s?.kind === 'snapshot' ? s : undefined;
    };
    return [get(c.olderId), get(c.newerId)];
  }

  treeItem(item: ComparisonItem, showMoreCommand: string): vscode.TreeItem {
    const c = this.comparison(item.sourceId);
    if (!c) return new vscode.TreeItem(vscode.l10n.t('(closed)'));
    switch (item.kind) {
      case 'comparisonRoot': {
        const t = new vscode.TreeItem(c.label, vscode.TreeItemCollapsibleState.Expanded);
        t.id = `offline:${c.id}`;
        t.iconPath = new vscode.ThemeIcon('diff');
        t.description = countsText(c);
        const [older, newer] = this.snapshots(c);
        t.tooltip = [vscode.l10n.t('Older: {0}', older?.file ?? '?'), vscode.l10n.t('Newer: {0}', newer?.file ?? '?'), countsText(c)].join('\n');
        t.contextValue = 'offline.comparison';
        return t;
      }
      case 'comparisonGroup': {
        const n = c.diff[item.group].length;
        const t = new vscode.TreeItem(groupTitle(item.group, n), n ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        t.id = `offline:${c.id}:${item.group}`;
        t.iconPath = new vscode.ThemeIcon(item.group === 'created' ? 'diff-added' : item.group === 'deleted' ? 'diff-removed' : 'diff-modified');
        return t;
      }
      case 'comparisonNode':
        return this.nodeItem(c, item);
      case 'moreComparison': {
        const t = new vscode.TreeItem(vscode.l10n.t('Show more…'));
        t.iconPath = new vscode.ThemeIcon('ellipsis');
        t.command = { command: showMoreCommand, title: vscode.l10n.t('Show more…'), arguments: [item] };
        return t;
      }
    }
  }

  private nodeItem(c: OfflineComparison, item: Extract<ComparisonItem, { kind: 'comparisonNode' }>): vscode.TreeItem {
    const [older, newer] = this.snapshots(c);
    const t = new vscode.TreeItem(item.path);
    t.id = `offline:${c.id}:${item.group}:${item.path}`;
    t.iconPath = new vscode.ThemeIcon(item.group === 'created' ? 'diff-added' : item.group === 'deleted' ? 'diff-removed' : 'diff-modified');
    const before = older?.snapshot.nodes.get(item.path);
    const after = newer?.snapshot.nodes.get(item.path);
    const lines = [item.path];
    if (item.aspects) {
      t.description = aspectWords(item.aspects);
      if (before && after && older && newer) {
        if (item.aspects.includes('data')) lines.push(vscode.l10n.t('data: {0} B → {1} B', before.dataLength, after.dataLength));
        if (item.aspects.includes('acl')) lines.push(vscode.l10n.t('ACL: {0} → {1}', snapshotAcl(older.snapshot, before).map(formatAcl).join(', '), snapshotAcl(newer.snapshot, after).map(formatAcl).join(', ')));
        if (item.aspects.includes('mode')) lines.push(vscode.l10n.t('mode: {0} → {1}', nodeMode(before), nodeMode(after)));
        if (item.aspects.includes('recreated')) lines.push(vscode.l10n.t('created again (czxid 0x{0} → 0x{1})', before.stat.czxid.toString(16), after.stat.czxid.toString(16)));
      }
    } else {
      const node = before ?? after;
      if (node) t.description = `${node.dataLength} B`;
    }
    const tooltip = new vscode.MarkdownString();
    for (const line of lines) tooltip.appendText(line + '\n\n'); // paths and ACL ids are text, never markup
    t.tooltip = tooltip;
    if (older && newer) {
      // a side the node is missing from is an empty document
      const absent = (which: OfflineSnapshot) => this.store.put(`absent:${which.id}:${item.path}`, item.path, new Uint8Array(0));
      const left = before ? snapshotNodeUri(older.id, item.path) : absent(older);
      const right = after ? snapshotNodeUri(newer.id, item.path) : absent(newer);
      const title = `${item.path}: ${basename(older.file)} ↔ ${basename(newer.file)}`;
      t.command = { command: 'vscode.diff', title: vscode.l10n.t('Compare'), arguments: [left, right, title, { preview: true }] };
    }
    return t;
  }

  children(item: ComparisonItem): ComparisonItem[] {
    const c = this.comparison(item.sourceId);
    if (!c) return [];
    if (item.kind === 'comparisonRoot') return (['created', 'deleted', 'changed'] as const).map((group) => ({ kind: 'comparisonGroup', sourceId: c.id, group }));
    if (item.kind !== 'comparisonGroup') return [];
    const limit = this.shown.get(`${c.id}\u0000${item.group}`) ?? PAGE;
    const rows: ComparisonItem[] =
      item.group === 'changed'
        ? c.diff.changed.slice(0, limit).map((n) => ({ kind: 'comparisonNode', sourceId: c.id, group: 'changed', path: n.path, aspects: n.aspects }))
        : c.diff[item.group].slice(0, limit).map((path) => ({ kind: 'comparisonNode', sourceId: c.id, group: item.group, path }));
    if (c.diff[item.group].length > limit) rows.push({ kind: 'moreComparison', sourceId: c.id, group: item.group });
    return rows;
  }

  parent(item: ComparisonItem): ComparisonItem | undefined {
    if (item.kind === 'comparisonRoot') return undefined;
    if (item.kind === 'comparisonGroup') return { kind: 'comparisonRoot', sourceId: item.sourceId };
    return { kind: 'comparisonGroup', sourceId: item.sourceId, group: item.group };
  }
}

/** The commands: pick two snapshots (files, or an opened one and another), compare, show. */
export class SnapshotComparisonCommands {
  constructor(
    private readonly sources: OfflineSources,
    private readonly open: SnapshotOpener,
    private readonly reveal: (sourceId: string) => Promise<void>,
  ) {}

  /** Compare Snapshots…: two files (from the Explorer's selection, the arguments, or two open dialogs). */
  async compareSnapshots(first?: vscode.Uri | string, selection?: (vscode.Uri | string)[]): Promise<string | undefined> {
    const fsPath = (x: vscode.Uri | string) => (typeof x === 'string' ? x : x.fsPath);
    let files = Array.isArray(selection) && selection.length >= 2 ? selection.map(fsPath) : typeof selection === 'string' ? [fsPath(first!), selection] : first ? [fsPath(first)] : [];
    if (!files.length) files = ((await vscode.window.showOpenDialog({ title: vscode.l10n.t('Compare Snapshots: pick two snapshot files'), openLabel: vscode.l10n.t('Compare'), canSelectMany: true })) ?? []).map((u) => u.fsPath);
    if (files.length === 1) {
      const second = (await vscode.window.showOpenDialog({ title: vscode.l10n.t('Compare {0} with which snapshot?', basename(files[0])), openLabel: vscode.l10n.t('Compare'), canSelectMany: false }))?.[0];
      if (!second) return undefined;
      files.push(second.fsPath);
    }
    if (!files.length) return undefined;
    if (files.length !== 2) throw new Error(vscode.l10n.t('Compare Snapshots compares two snapshots; {0} files were selected', files.length));
    if (files[0] === files[1]) throw new Error(vscode.l10n.t('Pick two different snapshots: {0} was picked twice', basename(files[0])));
    const a = await this.open(files[0]);
    const b = a && (await this.open(files[1]));
    if (!a || !b) return undefined;
    return this.compare(a, b);
  }

  /** Compare with Snapshot… on an opened snapshot: another opened one, or a file. */
  async compareWith(item?: { sourceId: string }): Promise<string | undefined> {
    const base = item && this.sources.get(item.sourceId);
    if (base?.kind !== 'snapshot') return this.compareSnapshots();
    const browse = vscode.l10n.t('Browse for a snapshot file…');
    const others = this.sources.list().filter((s): s is OfflineSnapshot => s.kind === 'snapshot' && s.id !== base.id);
    const picked = others.length
      ? await vscode.window.showQuickPick([...others.map((s) => ({ label: s.label, description: s.file, source: s as OfflineSnapshot | undefined })), { label: browse, description: '', source: undefined }], { title: vscode.l10n.t('Compare {0} with…', base.label) })
      : { label: browse, source: undefined };
    if (!picked) return undefined;
    let other = picked.source;
    if (!other) {
      const file = (await vscode.window.showOpenDialog({ title: vscode.l10n.t('Compare {0} with which snapshot?', base.label), openLabel: vscode.l10n.t('Compare'), canSelectMany: false }))?.[0];
      if (!file) return undefined;
      if (file.fsPath === base.file) throw new Error(vscode.l10n.t('Pick two different snapshots: {0} was picked twice', basename(base.file)));
      other = await this.open(file.fsPath);
      if (!other) return undefined;
    }
    return this.compare(base, other);
  }

  private async compare(a: OfflineSnapshot, b: OfflineSnapshot): Promise<string> {
    const [olderSnap] = olderFirst(a.snapshot, b.snapshot);
    const [older, newer] = olderSnap === a.snapshot ? [a, b] : [b, a];
    for (const s of [older, newer]) {
      if (s.snapshot.damage) void vscode.window.showWarningMessage(vscode.l10n.t('{0} is damaged ({1}): only the nodes before the damage are compared.', basename(s.file), localized(s.snapshot.damage.localized)));
    }
    const diff = diffSnapshots(older.snapshot, newer.snapshot);
    const comparison = this.sources.addComparison(older, newer, diff);
    await this.reveal(comparison.id);
    return comparison.id;
  }
}
