// Show History of a znode (live or offline): every change to it in the opened logs, newest first,
// with session, time and data; pick two to diff them, one to compare with now, or Restore This
// Version, which writes the old data back to a live connection through the node's own document and
// its save (a version check, and the usual conflict questions when the node changed meanwhile).
import * as vscode from 'vscode';
import { localized } from '../ui/localized';
import { COMMANDS } from '../ui/commandIds';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { editorUri, nodeOfArg } from '../ui/znodeUris';
import { hexLong, nodeHistory, type HistoryResult } from '../zk/persistence';
import { mergeHistory, type MergedHistoryEntry, type WatchedChanges } from '../zk/watchedHistory';
import type { OfflineSources } from './offlineSources';
import { snapshotNodeUri, type HistoryVersionStore } from './offlineDocuments';

/** The node Show History is about, and where "now" is: a live connection or an offline snapshot. */
export interface HistoryTarget {
  path: string;
  connection?: string;
  snapshotId?: string;
}

export function targetOfArg(arg: unknown): HistoryTarget | undefined {
  if (arg && typeof arg === 'object' && (arg as { kind?: unknown }).kind === 'offlineZnode') {
    const a = arg as { sourceId: string; path: string };
    return { path: a.path, snapshotId: a.sourceId };
  }
  if (arg instanceof vscode.Uri && arg.scheme === 'zk-snapshot') return { path: arg.path || '/', snapshotId: arg.authority };
  const live = nodeOfArg(arg ?? vscode.window.activeTextEditor?.document.uri);
  return live ? { path: live.path, connection: live.connection } : undefined;
}

/** A version as the list shows it: from a log record, from the watch log, or both (the same zxid). */
export interface ShownVersion {
  zxid: bigint;
  change: string;
  /** The leader's clock (logs), or when the watch saw it. */
  time: number;
  session?: bigint;
  multiSize?: number;
  data?: Uint8Array;
  /** False when only the start of the data is known (the watch log's preview of a large node). */
  complete: boolean;
  /** Data size (may exceed data.length when not complete). */
  size: number;
  aclEntries?: number;
  source: 'log' | 'watch' | 'both';
  /** Identifies the version's document. */
  key: string;
}

export function shownVersion(e: MergedHistoryEntry): ShownVersion {
  const { log, watched } = e;
  if (log) {
    const data = log.data ?? (watched && watched.complete ? watched.data : undefined);
    return {
      zxid: e.zxid,
      change: log.change,
      time: log.time,
      session: log.session,
      multiSize: log.multiSize,
      data,
      complete: true,
      size: data?.length ?? 0,
      aclEntries: log.acl?.length,
      source: watched ? 'both' : 'log',
      key: `${log.file}@${log.offset}:${log.change}`,
    };
  }
  const w = watched!;
  return { zxid: e.zxid, change: w.change, time: w.seenAt, data: w.data, complete: w.complete, size: w.size, source: 'watch', key: `watch:${w.connection}:${hexLong(w.zxid)}` };
}

interface VersionItem extends vscode.QuickPickItem {
  version: ShownVersion;
}

const RESTORE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('discard'), tooltip: vscode.l10n.t('Restore This Version') };

export class HistoryCommands {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly sources: OfflineSources,
    private readonly store: HistoryVersionStore,
    private readonly watched?: WatchedChanges,
  ) {}

  async showHistory(arg: unknown): Promise<void> {
    const target = targetOfArg(arg);
    if (!target) throw new Error(vscode.l10n.t('Show History: select a znode in the ZooKeeper tree or in an opened snapshot'));
    const logs = this.sources.logFiles();
    // what this VS Code's watches saw of a live node counts as history too, with or without logs
    const watched = target.connection && this.watched ? this.watched.versions(target.connection, target.path) : [];
    if (!logs.length && !watched.length) {
      const open = vscode.l10n.t('Open Transaction Log…');
      if ((await vscode.window.showInformationMessage(vscode.l10n.t('No transaction logs are open: the history of {0} comes from a server\'s logs (its data directory).', target.path), open)) === open) {
        await vscode.commands.executeCommand(COMMANDS.openTransactionLog);
        if (this.sources.logFiles().length) await this.showHistory(arg);
      }
      return;
    }
    const empty: HistoryResult = { versions: [], damages: [], unreadable: [], truncated: false, recordsScanned: 0 };
    const result = logs.length
      ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('History of {0}', target.path), cancellable: true }, (_p, token) =>
          nodeHistory(logs, target.path, { cancelled: () => token.isCancellationRequested }),
        )
      : empty;
    for (const d of result.damages) void vscode.window.showWarningMessage(vscode.l10n.t('{0}: {1}; changes before it are included.', d.file, localized(d.damage.localized)));
    for (const u of result.unreadable) void vscode.window.showWarningMessage(`${u.file}: ${localized(u.reason)}`);
    if (!result.versions.length && !watched.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No change to {0} in the {1} opened log(s) ({2} transactions).', target.path, logs.length, result.recordsScanned));
      return;
    }
    await this.pick(target, mergeHistory(result.versions, watched).map(shownVersion), result.truncated);
  }

  private versionUri(target: HistoryTarget, v: ShownVersion): vscode.Uri {
    return this.store.put(`${v.key}:${target.path}`, target.path, v.data ?? new Uint8Array(0));
  }

  private async pick(target: HistoryTarget, versions: ShownVersion[], truncated: boolean): Promise<void> {
    const qp = vscode.window.createQuickPick<VersionItem>();
    qp.title = vscode.l10n.t('History of {0}: {1}{2} change(s), newest first', target.path, versions.length, truncated ? vscode.l10n.t(' newest') : '');
    qp.placeholder = vscode.l10n.t('Select one to compare with now, two to compare them; the restore button writes a version back');
    qp.canSelectMany = true;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.items = versions.map((v) => ({
      label: versionLabel(v),
      description: [new Date(v.time).toISOString(), v.session !== undefined ? vscode.l10n.t('session {0}', hexLong(v.session)) : '', sourceLabel(v)].filter(Boolean).join(' · '),
      detail: v.data
        ? `${v.complete ? `${v.size} B` : vscode.l10n.t('first {0} of {1} B', v.data.length, v.size)}: ${preview(v.data)}`
        : v.change.startsWith('delete')
          ? vscode.l10n.t('deleted')
          : v.aclEntries !== undefined
            ? v.aclEntries === 1
              ? vscode.l10n.t('ACL set (1 entry); data unchanged')
              : vscode.l10n.t('ACL set ({0} entries); data unchanged', v.aclEntries)
            : '',
      buttons: v.data && v.complete ? [RESTORE_BUTTON] : [],
      version: v,
    }));
    qp.onDidTriggerItemButton(async (e) => {
      qp.hide();
      await this.restore(target, e.item.version);
    });
    const chosen = await new Promise<readonly VersionItem[] | undefined>((resolve) => {
      qp.onDidAccept(() => resolve(qp.selectedItems.length ? qp.selectedItems : qp.activeItems.slice(0, 1)));
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
    qp.dispose();
    if (!chosen?.length) return;
    if (chosen.length >= 2) {
      const [newer, older] = [...chosen].sort((a, b) => (a.version.zxid < b.version.zxid ? 1 : -1));
      await vscode.commands.executeCommand('vscode.diff', this.versionUri(target, older.version), this.versionUri(target, newer.version), `${target.path}: ${hexLong(older.version.zxid)} ↔ ${hexLong(newer.version.zxid)}`, { preview: false });
      return;
    }
    const v = chosen[0].version;
    const now = target.connection ? editorUri(target.connection, target.path) : target.snapshotId ? snapshotNodeUri(target.snapshotId, target.path) : undefined;
    if (now) await vscode.commands.executeCommand('vscode.diff', this.versionUri(target, v), now, `${target.path}: ${hexLong(v.zxid)} ↔ ${target.connection ? `now on ${target.connection}` : 'snapshot'}`);
    else await vscode.window.showTextDocument(this.versionUri(target, v));
  }

  /** Writes a version's data to a live node through its document: the save checks the version and asks on conflict. */
  async restore(target: HistoryTarget, v: ShownVersion): Promise<void> {
    if (!v.data) throw new Error(vscode.l10n.t('The {0} at {1} set no data: there is nothing to restore', v.change, hexLong(v.zxid)));
    if (!v.complete) throw new Error(vscode.l10n.t('Only the first {0} of {1} bytes of the version at {2} are known (the watch log keeps a preview): open the server\'s transaction logs to restore it', v.data.length, v.size, hexLong(v.zxid)));
    const connection = target.connection ?? (await this.pickConnection(target.path));
    if (!connection) return;
    const config = this.registry.configs().find((c) => c.name === connection);
    if (config?.readOnly) throw new Error(vscode.l10n.t('Connection "{0}" is read-only: Restore This Version writes data', connection));
    const go = vscode.l10n.t('Restore');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Restore {0} on "{1}" to its data after {2} ({3}, {4} B)?', target.path, connection, hexLong(v.zxid), new Date(v.time).toISOString(), v.data.length),
      { modal: true, detail: vscode.l10n.t('The node\'s current data is replaced; if it changes before the save, you are asked again.') },
      go,
    );
    if (answer !== go) return;
    const text = Buffer.from(v.data).toString('utf8');
    const binary = !Buffer.from(text, 'utf8').equals(Buffer.from(v.data));
    const uri = editorUri(connection, target.path, binary ? 'base64' : 'text');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), binary ? Buffer.from(v.data).toString('base64') : text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(vscode.l10n.t('Could not put the old data into {0}\'s editor', target.path));
    if (await doc.save()) void vscode.window.showInformationMessage(vscode.l10n.t('Restored {0} on "{1}" to its data after {2}.', target.path, connection, hexLong(v.zxid)));
    else void vscode.window.showWarningMessage(vscode.l10n.t('{0} was not restored: its editor keeps the old data unsaved (save it, or revert the editor).', target.path));
  }

  private async pickConnection(path: string): Promise<string | undefined> {
    const names = this.registry.configs().filter((c) => !c.readOnly).map((c) => c.name);
    if (!names.length) throw new Error(vscode.l10n.t('Restore This Version writes to a live server: add a connection first'));
    if (names.length === 1) return names[0];
    return vscode.window.showQuickPick(names, { title: vscode.l10n.t('Restore {0} to which connection?', path) });
  }
}

/** Where a version was seen: the log files, the watch log of this VS Code, or both. */
/** A version's row in the history pick: its zxid and change (ZooKeeper's words), and the multi it was part of. */
export function versionLabel(v: Pick<ShownVersion, 'zxid' | 'change' | 'multiSize'>): string {
  return v.multiSize ? vscode.l10n.t('{0} {1} (in a multi of {2})', hexLong(v.zxid), v.change, v.multiSize) : `${hexLong(v.zxid)} ${v.change}`;
}

function sourceLabel(v: ShownVersion): string {
  if (v.source === 'log') return '';
  return v.source === 'watch' ? vscode.l10n.t('seen by a watch') : vscode.l10n.t('in the log, seen by a watch');
}

function preview(data: Uint8Array): string {
  const text = Buffer.from(data.subarray(0, 200)).toString('utf8');
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '·').slice(0, 120);
}
