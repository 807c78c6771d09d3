// Read-only documents of what was read from disk: a snapshot's node (`zk-snapshot://<source>/<path>`,
// a read-only file system, so VS Code shows it as such and Compare With… works against a live `zk:`
// node) and a version from a node's history (`zk-history:/<path>?v=<key>`), for diffs.
import * as vscode from 'vscode';
import type { OfflineSources } from './offlineSources';

export const SNAPSHOT_NODE_SCHEME = 'zk-snapshot';
export const HISTORY_SCHEME = 'zk-history';
const HISTORY_KEPT = 2000;

export function snapshotNodeUri(sourceId: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SNAPSHOT_NODE_SCHEME, authority: sourceId, path });
}

export class SnapshotNodeFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly sources: OfflineSources) {}

  private node(uri: vscode.Uri) {
    const source = this.sources.get(uri.authority);
    if (source?.kind !== 'snapshot') throw vscode.FileSystemError.FileNotFound(vscode.l10n.t('The snapshot of {0} is closed: open it again with "Open Snapshot…"', uri.path));
    const node = source.snapshot.nodes.get(uri.path || '/');
    if (!node) throw vscode.FileSystemError.FileNotFound(uri);
    return { node, snapshot: source.snapshot };
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const { node } = this.node(uri);
    return { type: vscode.FileType.File, ctime: node.stat.ctime, mtime: node.stat.mtime, size: node.dataLength, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.node(uri).node.data;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A snapshot is read-only'));
  }
  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A snapshot is read-only: use Show History → Restore This Version to write old data to a live server'));
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A snapshot is read-only'));
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A snapshot is read-only'));
  }
}

/** History versions shown in diffs: kept in memory (the newest HISTORY_KEPT), served read-only. */
export class HistoryVersionStore implements vscode.TextDocumentContentProvider {
  private readonly versions = new Map<string, Uint8Array>();

  put(key: string, path: string, data: Uint8Array): vscode.Uri {
    this.versions.delete(key);
    this.versions.set(key, data);
    while (this.versions.size > HISTORY_KEPT) this.versions.delete(this.versions.keys().next().value as string);
    return vscode.Uri.from({ scheme: HISTORY_SCHEME, path, query: `v=${encodeURIComponent(key)}` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const key = new URLSearchParams(uri.query).get('v') ?? '';
    const data = this.versions.get(key);
    if (!data) throw new Error(vscode.l10n.t('This history version is no longer in memory: run Show History on {0} again', uri.path));
    return Buffer.from(data).toString('utf8');
  }
}
