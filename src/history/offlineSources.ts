// What the user opened from disk: snapshots (each an offline, read-only tree) and transaction logs
// (grouped by the folder or file they were opened from), with the timeline filter of each group.
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { snapshotZxidText, type Snapshot, type SnapshotDiff, type TimelineFilter } from '../zk/persistence';

export interface OfflineSnapshot {
  kind: 'snapshot';
  id: string;
  label: string;
  file: string;
  snapshot: Snapshot;
}

export interface OfflineLogs {
  kind: 'logs';
  id: string;
  label: string;
  /** The log file or folder the user opened (opening it again replaces this group). */
  from: string;
  /** Log files, oldest first. */
  files: string[];
  filter: TimelineFilter;
}

/** Two opened snapshots compared; closing either closes the comparison (its node diffs read them). */
export interface OfflineComparison {
  kind: 'comparison';
  id: string;
  label: string;
  olderId: string;
  newerId: string;
  diff: SnapshotDiff;
}

export type OfflineSource = OfflineSnapshot | OfflineLogs | OfflineComparison;

/** "log.1a of version-2" (as a snapshot's label), for one log file opened by itself. */
function logFileLabel(file: string): string {
  const zxid = /^log\.(.+)$/.exec(basename(file))?.[1];
  const folder = basename(dirname(file));
  return zxid !== undefined ? vscode.l10n.t('log.{0} of {1}', zxid, folder) : vscode.l10n.t('{0} in {1}', basename(file), folder);
}

export class OfflineSources implements vscode.Disposable {
  private readonly sources = new Map<string, OfflineSource>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private next = 1;

  list(): OfflineSource[] {
    return [...this.sources.values()];
  }

  get(id: string): OfflineSource | undefined {
    return this.sources.get(id);
  }

  /** Every opened log file, once, oldest name first (Show History reads them all). */
  logFiles(): string[] {
    const files = new Set<string>();
    for (const s of this.sources.values()) if (s.kind === 'logs') s.files.forEach((f) => files.add(f));
    return [...files];
  }

  addSnapshot(file: string, snapshot: Snapshot): OfflineSnapshot {
    const existing = this.list().find((s): s is OfflineSnapshot => s.kind === 'snapshot' && s.file === file);
    if (existing) this.drop(existing.id);
    const source: OfflineSnapshot = { kind: 'snapshot', id: `s${this.next++}`, file, snapshot, label: vscode.l10n.t('snapshot.{0} of {1}', snapshotZxidText(snapshot, basename(file)), basename(dirname(file))) };
    this.sources.set(source.id, source);
    this.changed.fire();
    return source;
  }

  addLogs(from: string, files: string[]): OfflineLogs {
    const existing = this.list().find((s): s is OfflineLogs => s.kind === 'logs' && s.from === from);
    if (existing) this.sources.delete(existing.id);
    const label = files.length === 1 && files[0] === from ? logFileLabel(from) : vscode.l10n.t('{0} transaction log(s) in {1}', files.length, from);
    const source: OfflineLogs = { kind: 'logs', id: `l${this.next++}`, label, from, files, filter: {} };
    this.sources.set(source.id, source);
    this.changed.fire();
    return source;
  }

  addComparison(older: OfflineSnapshot, newer: OfflineSnapshot, diff: SnapshotDiff): OfflineComparison {
    for (const c of this.list()) if (c.kind === 'comparison' && c.olderId === older.id && c.newerId === newer.id) this.sources.delete(c.id);
    const source: OfflineComparison = { kind: 'comparison', id: `c${this.next++}`, label: vscode.l10n.t('snapshot.{0} ↔ snapshot.{1} of {2}', snapshotZxidText(older.snapshot, basename(older.file)), snapshotZxidText(newer.snapshot, basename(newer.file)), basename(dirname(newer.file))), olderId: older.id, newerId: newer.id, diff };
    this.sources.set(source.id, source);
    this.changed.fire();
    return source;
  }

  setFilter(id: string, filter: TimelineFilter): void {
    const s = this.sources.get(id);
    if (s?.kind !== 'logs') return;
    s.filter = filter;
    this.changed.fire();
  }

  remove(id: string): void {
    if (this.drop(id)) this.changed.fire();
  }

  /** Deletes a source and the comparisons that read it. */
  private drop(id: string): boolean {
    if (!this.sources.delete(id)) return false;
    for (const c of this.list()) if (c.kind === 'comparison' && (c.olderId === id || c.newerId === id)) this.sources.delete(c.id);
    return true;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
