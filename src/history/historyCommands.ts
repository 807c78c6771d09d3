// Show History of a znode (live or offline): every change to it in the opened logs, newest first,
// with session, time and data; pick two to diff them, one to compare with now, or Restore This
// Version, which writes the old data back to a live connection through the node's own document and
// its save (a version check, and the usual conflict questions when the node changed meanwhile).
import * as vscode from 'vscode';
import { COMMANDS } from '../ui/commandIds';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { editorUri, nodeOfArg } from '../ui/znodeUris';
import { hexLong, nodeHistory, type HistoryVersion } from '../zk/persistence';
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

interface VersionItem extends vscode.QuickPickItem {
  version: HistoryVersion;
}

const RESTORE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('discard'), tooltip: vscode.l10n.t('Restore This Version') };

export class HistoryCommands {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly sources: OfflineSources,
    private readonly store: HistoryVersionStore,
  ) {}

  async showHistory(arg: unknown): Promise<void> {
    const target = targetOfArg(arg);
    if (!target) throw new Error(vscode.l10n.t('Show History: select a znode in the ZooKeeper tree or in an opened snapshot'));
    const logs = this.sources.logFiles();
    if (!logs.length) {
      const open = 'Open Transaction Log…';
      if ((await vscode.window.showInformationMessage(vscode.l10n.t('No transaction logs are open: the history of {0} comes from a server\'s logs (its data directory).', target.path), open)) === open) {
        await vscode.commands.executeCommand(COMMANDS.openTransactionLog);
        if (this.sources.logFiles().length) await this.showHistory(arg);
      }
      return;
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('History of {0}', target.path), cancellable: true },
      (_p, token) => nodeHistory(logs, target.path, { cancelled: () => token.isCancellationRequested }),
    );
    for (const d of result.damages) void vscode.window.showWarningMessage(vscode.l10n.t('{0}: {1}; changes before it are included.', d.file, d.damage.message));
    for (const u of result.unreadable) void vscode.window.showWarningMessage(`${u.file}: ${u.message}`);
    if (!result.versions.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No change to {0} in the {1} opened log(s) ({2} transactions).', target.path, logs.length, result.recordsScanned));
      return;
    }
    await this.pick(target, result.versions, result.truncated);
  }

  private versionUri(target: HistoryTarget, v: HistoryVersion): vscode.Uri {
    return this.store.put(`${v.file}@${v.offset}:${v.change}:${target.path}`, target.path, v.data ?? new Uint8Array(0));
  }

  private async pick(target: HistoryTarget, versions: HistoryVersion[], truncated: boolean): Promise<void> {
    const qp = vscode.window.createQuickPick<VersionItem>();
    qp.title = vscode.l10n.t('History of {0}: {1}{2} change(s), newest first', target.path, versions.length, truncated ? vscode.l10n.t(' newest') : '');
    qp.placeholder = vscode.l10n.t('Select one to compare with now, two to compare them; the restore button writes a version back');
    qp.canSelectMany = true;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.items = versions.map((v) => ({
      label: `${hexLong(v.zxid)} ${v.change}${v.multiSize ? ` (in a multi of ${v.multiSize})` : ''}`,
      description: vscode.l10n.t('{0} · session {1}', new Date(v.time).toISOString(), hexLong(v.session)),
      detail: v.data ? `${v.data.length} B: ${preview(v.data)}` : v.change.startsWith('delete') ? vscode.l10n.t('deleted') : v.acl ? (v.acl.length === 1 ? vscode.l10n.t('ACL set (1 entry); data unchanged') : vscode.l10n.t('ACL set ({0} entries); data unchanged', v.acl.length)) : '',
      buttons: v.data ? [RESTORE_BUTTON] : [],
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
  async restore(target: HistoryTarget, v: HistoryVersion): Promise<void> {
    if (!v.data) throw new Error(vscode.l10n.t('The {0} at {1} set no data: there is nothing to restore', v.change, hexLong(v.zxid)));
    const connection = target.connection ?? (await this.pickConnection(target.path));
    if (!connection) return;
    const config = this.registry.configs().find((c) => c.name === connection);
    if (config?.readOnly) throw new Error(vscode.l10n.t('Connection "{0}" is read-only: Restore This Version writes data', connection));
    const go = 'Restore';
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

function preview(data: Uint8Array): string {
  const text = Buffer.from(data.subarray(0, 200)).toString('utf8');
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '·').slice(0, 120);
}
