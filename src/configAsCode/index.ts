// Config as code (issue 19): Pull Subtree to Folder…, Compare Folder with Subtree, Apply Folder to
// Subtree…. Thin: the layout, the plan and the apply are the domain's (src/zk/configAsCode); this
// file asks the questions, shows progress, the diff and the reports, and maps errors to messages.
// A folder pulled from one connection can be compared with and applied to any other.
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { COMMANDS, VSCODE_COMMANDS } from '../ui/commandIds';
import { pickConnection } from '../ui/connectionArgs';
import { errorMessage, registerCommand } from '../ui/registerCommand';
import { sessionIdentitiesOf } from '../connections/sessionIdentities';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { displayName } from '../zk/displayText';
import { pathProblem } from '../zk/paths';
import {
  ApplyIncompleteError, applyPlan, applyReportMarkdown, countsLine, escapeName, hasWork, planFolder, planMarkdown, pullToFolder, readFolderSource,
  type ApplyMode, type ApplyPlan, type PlannedChange, type ReadFolderResult,
} from '../zk/configAsCode';
import { ExportConversionCommands } from './exportConversion';
import { PlanSnapshots } from './planSnapshots';
import { folderPortFor, uriIn } from './workspaceFolderPort';
import { localized } from '../ui/localized';

/** A tree row (`{ connectionName, path }`), a folder from the Explorer (a Uri), or nothing (the palette). */
type Target = { connectionName: string; path?: string } | vscode.Uri | undefined;

const LAST_FOLDER_KEY = 'zookeeper.configAsCode.lastFolder';

export function registerConfigAsCode(context: vscode.ExtensionContext, registry: ConnectionRegistry): void {
  const snapshots = new PlanSnapshots();
  context.subscriptions.push(snapshots);
  const ui = new ConfigAsCodeCommands(context, registry, snapshots);
  registerCommand(context, COMMANDS.pullSubtreeToFolder, (t: Target) => ui.pull(t));
  registerCommand(context, COMMANDS.compareFolderWithSubtree, (t: Target) => ui.compare(t));
  registerCommand(context, COMMANDS.applyFolderToSubtree, (t: Target) => ui.apply(t));
  const conversion = new ExportConversionCommands();
  registerCommand(context, COMMANDS.convertExportToFolder, (file?: unknown) => conversion.exportToFolder(file));
  registerCommand(context, COMMANDS.convertFolderToExport, (folder?: unknown) => conversion.folderToExport(folder));
}

const n = (x: number) => x.toLocaleString('en');
const nodes = (x: number) => (x === 1 ? vscode.l10n.t('1 node') : vscode.l10n.t('{0} nodes', n(x)));
const files = (x: number) => (x === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', n(x)));
const folders = (x: number) => (x === 1 ? vscode.l10n.t('1 folder') : vscode.l10n.t('{0} folders', n(x)));
const changes = (x: number) => (x === 1 ? vscode.l10n.t('1 change') : vscode.l10n.t('{0} changes', n(x)));
const transactions = (x: number) => (x === 1 ? vscode.l10n.t('1 transaction') : vscode.l10n.t('{0} transactions', n(x)));

class ConfigAsCodeCommands {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly registry: ConnectionRegistry,
    private readonly snapshots: PlanSnapshots,
  ) {}

  // --- pull ------------------------------------------------------------------------------------

  async pull(t: Target): Promise<void> {
    const row = t instanceof vscode.Uri ? undefined : t;
    const name = row?.connectionName ?? (await pickConnection(this.registry, undefined, vscode.l10n.t('Pull Subtree to Folder: choose a connection')));
    if (!name) return;
    const connection = await this.connected(name);
    if (!connection) return;
    const root = row?.path ?? (await askPath(vscode.l10n.t('Pull which subtree of "{0}"?', name), '/'));
    if (!root) return;
    const suggested = `${escapeName(name)}${root === '/' ? '' : '-' + escapeName(root.slice(1).replace(/\//g, '-'))}`;
    const folder = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Pull {0} on "{1}" into a new folder', displayName(root), name),
      defaultUri: vscode.Uri.joinPath(this.startFolder(), suggested),
      saveLabel: vscode.l10n.t('Pull Here'),
    });
    if (!folder) return;
    const port = folderPortFor(folder);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Pulling {0} on "{1}"', displayName(root), name), cancellable: true },
      async (progress, token) => {
        await vscode.workspace.fs.createDirectory(folder);
        return pullToFolder(connection.client, root, port, {
          connectionName: name,
          signal: abortOn(token),
          onProgress: (p) => progress.report({ message: p.phase === 'walk' ? vscode.l10n.t('{0} nodes read', n(p.done)) : vscode.l10n.t('{0} of {1} files written', n(p.done), n(p.total ?? 0)) }),
        });
      },
    );
    await this.context.globalState.update(LAST_FOLDER_KEY, vscode.Uri.joinPath(folder, '..').toString());
    const notes: string[] = [];
    if (result.ephemeral.length > 0) notes.push(vscode.l10n.t('{0} ephemeral nodes are listed in the metadata and never written back as persistent unless asked.', n(result.ephemeral.length)));
    if (result.unreadable.length > 0) notes.push(vscode.l10n.t('{0} nodes could not be read (no permission) and were left out.', n(result.unreadable.length)));
    const reveal = vscode.l10n.t('Reveal in Explorer');
    const picked = await vscode.window.showInformationMessage(
      vscode.l10n.t('Pulled {0} ({1}, {2}) from {3} on "{4}" into {5}. {6}', nodes(result.nodes), files(result.files), folders(result.folders), displayName(root), name, baseNameOf(folder), notes.join(' ')).trim(),
      reveal,
    );
    if (picked === reveal) await vscode.commands.executeCommand('revealInExplorer', folder);
  }

  // --- compare ---------------------------------------------------------------------------------

  async compare(t: Target): Promise<void> {
    const target = await this.chooseTarget(t, vscode.l10n.t('Compare Folder with Subtree'));
    if (!target) return;
    const { folder, name, connection, root } = target;
    const plan = await this.plan(folder, name, connection, root, 'mirror', false);
    const comparison = this.snapshots.begin();
    const changed = plan.changes.filter((c) => c.kind !== 'unchanged' && c.kind !== 'kept' && !(c.kind === 'skip' && !c.dataChanged && !c.aclChanged && c.local && c.remote));
    const title = vscode.l10n.t('{0} ↔ {1} on "{2}": {3}', baseNameOf(folder), displayName(root), name, countsLine(plan.counts, vscode.l10n.t));
    if (changed.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0}. The folder and the subtree hold the same nodes.', title));
      return;
    }
    const entries = changed.flatMap((c) => this.diffEntries(comparison, folder, plan.folder, c));
    const commands = await vscode.commands.getCommands(true);
    if (commands.includes('vscode.changes')) {
      // VS Code's multi-file diff: the server on the left, the folder on the right.
      await vscode.commands.executeCommand('vscode.changes', title, entries.map((e) => [e.label, e.server, e.folder]));
      void vscode.window.showInformationMessage(vscode.l10n.t('{0}.', title));
      return;
    }
    await this.pickDiffs(title, entries);
  }

  private diffEntries(comparison: number, folder: vscode.Uri, read: ReadFolderResult, c: PlannedChange): DiffEntry[] {
    const out: DiffEntry[] = [];
    const file = read.where.get(c.rel);
    const isFile = c.local !== undefined && file !== undefined && !read.folders.has(c.rel);
    const label = isFile ? uriIn(folder, file as string) : this.snapshots.text(comparison, 'folder', c.path, '');
    const what = (c.kind === 'skip' || c.kind === 'conflict') && c.reason ? `${c.kind}: ${localized(c.reason)}` : c.kind;
    if (c.kind !== 'acl') {
      out.push({
        label,
        description: `${displayName(c.path)} — ${what}`,
        server: this.snapshots.bytes(comparison, 'server', c.path, c.remote?.data),
        folder: isFile ? (label as vscode.Uri) : this.snapshots.bytes(comparison, 'folder', c.path, c.local?.data),
      });
    }
    if (c.aclChanged) {
      const acl = (x: unknown) => (x === undefined ? '' : JSON.stringify(x, null, 2) + '\n');
      out.push({
        label: this.snapshots.text(comparison, 'folder', `${c.path} (ACL)`, ''),
        description: vscode.l10n.t('{0} — ACL', displayName(c.path)),
        server: this.snapshots.text(comparison, 'server', `${c.path}.acl.json`, acl(c.remote?.acl)),
        folder: this.snapshots.text(comparison, 'folder', `${c.path}.acl.json`, acl(c.local?.meta?.acl)),
      });
    }
    return out;
  }

  /** Without the multi-file diff: a list of the changed nodes, each opening its own diff. */
  private async pickDiffs(title: string, entries: DiffEntry[]): Promise<void> {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { entry: DiffEntry }>();
    qp.title = title;
    qp.placeholder = vscode.l10n.t('Pick a node to see its diff (server ↔ folder)');
    qp.items = entries.map((e) => ({ label: e.description.split(' — ')[0], description: e.description.split(' — ').slice(1).join(' — '), entry: e }));
    qp.ignoreFocusOut = true;
    qp.onDidAccept(() => {
      const e = qp.selectedItems[0]?.entry;
      if (e) void vscode.commands.executeCommand(VSCODE_COMMANDS.diff, e.server, e.folder, vscode.l10n.t('{0} (server ↔ folder)', e.description), { preview: true, preserveFocus: true });
    });
    qp.onDidHide(() => qp.dispose());
    qp.show();
  }

  // --- apply -----------------------------------------------------------------------------------

  async apply(t: Target): Promise<void> {
    const target = await this.chooseTarget(t, vscode.l10n.t('Apply Folder to Subtree'));
    if (!target) return;
    const { folder, name, connection, root } = target;
    if (connection.client.options.readOnly) {
      throw new Error(vscode.l10n.t('Connection "{0}" is read-only: refused to apply {1} to {2}; nothing was written. Clear "readOnly" in its settings to allow writes.', name, baseNameOf(folder), displayName(root)));
    }
    const mode = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('Add and Update Only'), description: vscode.l10n.t('nodes only on the server are kept'), mode: 'addUpdate' as ApplyMode },
        { label: vscode.l10n.t('Mirror'), description: vscode.l10n.t('nodes only on the server are deleted (ephemeral ones never)'), mode: 'mirror' as ApplyMode },
      ],
      { title: vscode.l10n.t('Apply {0} to {1} on "{2}": what about nodes that are not in the folder?', baseNameOf(folder), displayName(root), name), ignoreFocusOut: true },
    );
    if (!mode) return;
    let plan = await this.plan(folder, name, connection, root, mode.mode, false);
    const ephemeralSkipped = plan.changes.filter((c) => c.kind === 'skip' && c.local?.meta?.mode === 'ephemeral' && !c.remote).length;
    if (ephemeralSkipped > 0) {
      const asPersistent = vscode.l10n.t('Write Them as Persistent Nodes');
      const skip = vscode.l10n.t('Skip Them');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} nodes were ephemeral when pulled and are not on the server. Ephemeral nodes belong to the session that made them.', n(ephemeralSkipped)),
        { modal: true },
        skip,
        asPersistent,
      );
      if (!answer) return;
      if (answer === asPersistent) plan = await this.plan(folder, name, connection, root, mode.mode, true);
    }
    const report = await vscode.workspace.openTextDocument({ language: 'markdown', content: planMarkdown(plan, baseNameOf(folder), { t: vscode.l10n.t }) });
    await vscode.window.showTextDocument(report, { preview: true });
    if (!hasWork(plan)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to apply: {0}.', countsLine(plan.counts, vscode.l10n.t)));
      return;
    }
    const lockOut = plan.acls.find((a) => a.lockOut);
    const applyAll = vscode.l10n.t('Apply');
    const applyRest = vscode.l10n.t('Apply the Rest');
    const question =
      plan.counts.conflict > 0
        ? vscode.l10n.t('{0} nodes changed on the server since the pull: they are conflicts and stay as they are. Apply the rest to {1} on "{2}"?', n(plan.counts.conflict), displayName(root), name)
        : vscode.l10n.t('Apply {0} to {1} on "{2}"?', baseNameOf(folder), displayName(root), name);
    const answer = await vscode.window.showWarningMessage(
      question,
      { modal: true, detail: vscode.l10n.t('{0}.{1} Each change is listed in the plan.', countsLine(plan.counts, vscode.l10n.t), lockOut ? vscode.l10n.t(' Warning: {0}', localized(lockOut.lockOut ?? '')) : '') },
      plan.counts.conflict > 0 ? applyRest : applyAll,
    );
    if (!answer) return;
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Applying {0} to {1} on "{2}"', baseNameOf(folder), displayName(root), name), cancellable: true },
        (progress, token) => {
          let reported = 0;
          return applyPlan(connection.client, plan, {
            skipConflicts: answer === applyRest,
            acceptLockOut: lockOut !== undefined,
            signal: abortOn(token),
            onProgress: (p) => {
              const pct = (100 * p.done) / Math.max(1, p.total);
              progress.report({ message: vscode.l10n.t('{0} of {1} changes', n(p.done), n(p.total)), increment: pct - reported });
              reported = pct;
            },
          });
        },
      );
      const show = vscode.l10n.t('Show Report');
      const picked = await vscode.window.showInformationMessage(
        vscode.l10n.t('Applied {0} to {1} on "{2}": {3} in {4} ({5}).', baseNameOf(folder), displayName(root), name, changes(result.applied.length), transactions(result.batches), countsLine(plan.counts, vscode.l10n.t)),
        show,
      );
      if (picked === show) await this.showReport(applyReportMarkdown(result, { connection: name, t: vscode.l10n.t }));
    } catch (e) {
      if (!(e instanceof ApplyIncompleteError)) throw e;
      await this.showReport(applyReportMarkdown(e.report, { connection: name, error: errorMessage(e), t: vscode.l10n.t }));
      throw e;
    }
  }

  // --- shared ----------------------------------------------------------------------------------

  private async plan(folder: vscode.Uri, name: string, connection: EnsembleConnection, root: string, mode: ApplyMode, ephemeralAsPersistent: boolean): Promise<ApplyPlan & { folder: ReadFolderResult }> {
    const identities = await sessionIdentitiesOf(this.registry, connection, name);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Comparing {0} with {1} on "{2}"', baseNameOf(folder), displayName(root), name), cancellable: true },
      (_progress, token) => planFolder(connection.client, root, folderPortFor(folder), { mode, ephemeralAsPersistent, identities, signal: abortOn(token) }),
    );
  }

  /** The folder (from the Explorer, or a dialog), then the connection and path (the folder's source first). */
  private async chooseTarget(t: Target, verb: string): Promise<{ folder: vscode.Uri; name: string; connection: EnsembleConnection; root: string } | undefined> {
    let folder = t instanceof vscode.Uri ? t : undefined;
    if (!folder) {
      const picked = await vscode.window.showOpenDialog({ title: vscode.l10n.t('{0}: choose a pulled folder', verb), canSelectFolders: true, canSelectFiles: false, defaultUri: this.startFolder(), openLabel: vscode.l10n.t('Choose') });
      folder = picked?.[0];
    }
    if (!folder) return undefined;
    // Only the top metadata is needed here; the full read happens with the plan.
    const source = await readSource(folder);
    const row = t instanceof vscode.Uri ? undefined : t;
    let name = row?.connectionName;
    if (!name) {
      const configs = this.registry.configs();
      const items = configs
        .map((c) => ({ label: c.name, description: c.name === source?.connection ? vscode.l10n.t('pulled from here ({0})', source.root) : undefined }))
        .sort((a, b) => (a.description ? -1 : b.description ? 1 : 0));
      if (items.length === 0) return void (await pickConnection(this.registry, undefined, verb));
      name = (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('{0}: {1} with which connection?', verb, baseNameOf(folder)), ignoreFocusOut: true }))?.label;
    }
    if (!name) return undefined;
    const connection = await this.connected(name);
    if (!connection) return undefined;
    const root = row?.path ?? (await askPath(vscode.l10n.t('{0}: {1} with which path on "{2}"?', verb, baseNameOf(folder), name), source?.root ?? '/'));
    if (!root) return undefined;
    return { folder, name, connection, root };
  }

  private async connected(name: string): Promise<EnsembleConnection | undefined> {
    const connection = this.registry.get(name);
    if (!connection) return undefined;
    if (connection.state === 'idle' && !(await this.registry.open(name))) return undefined;
    return connection;
  }

  private startFolder(): vscode.Uri {
    const last = this.context.globalState.get<string>(LAST_FOLDER_KEY);
    if (last) return vscode.Uri.parse(last);
    return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  }

  private async showReport(markdown: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(doc, { preview: false });
  }
}

interface DiffEntry {
  label: vscode.Uri;
  description: string;
  server: vscode.Uri;
  folder: vscode.Uri;
}

/** Where the folder was pulled from; a folder that does not say (or says it badly) suggests nothing. */
async function readSource(folder: vscode.Uri): Promise<{ connection?: string; root: string } | undefined> {
  return readFolderSource(folderPortFor(folder)).catch(() => undefined);
}

function askPath(title: string, value: string): Promise<string | undefined> {
  return Promise.resolve(
    vscode.window.showInputBox({ title, value, prompt: vscode.l10n.t('A znode path, e.g. /config/app'), ignoreFocusOut: true, validateInput: (v) => localized(pathProblem(v.trim())) }),
  ).then((v) => v?.trim() || undefined);
}

function abortOn(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

function baseNameOf(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1) || uri.path;
}
