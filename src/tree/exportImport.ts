// Export Subtree… and Import Subtree…: a subtree to a JSON file (the domain's export format, data
// in base64 so that binary data survives byte for byte) and back, into the same or another
// ensemble. The user picks the file in VS Code's own dialogs, sees what an import will do (and
// chooses what happens to nodes that exist) before anything is written, can cancel both from the
// progress notification, and is told what was written, also when an import stops half-way.
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { pickConnection } from '../ui/connectionArgs';
import { showError } from '../ui/registerCommand';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { isZkError } from '../zk/errors';
import { parentPath, pathProblem } from '../zk/paths';
import { exportSubtree, importSubtree, planImport, SubtreeIncompleteError, type ImportResult, type SubtreeExport } from '../zk/subtree';
import {
  exportAclQuestion, importChoice, importFileSizeProblem, defaultExportFileName, defaultImportTarget, exportFileText, exportSummary, importPreview, importReport, incompleteMessage,
  parseExportFile, unreadableQuestion,
} from './subtreeMessages';
import { exportAclCounts, withAclMode } from '../zk/subtreeAcl';
import { sessionIdentitiesOf } from '../connections/sessionIdentities';
import { abortOn, progressReporter } from './treeDragAndDrop';
import type { ContainerNode, TreeNode } from './treeNodes';
import type { ZnodeTreeProvider } from './znodeTreeProvider';
import { localized } from '../ui/localized';

/** A command's target: a tree row, or `{ connectionName, path }` from another caller; none from the palette. */
export type SubtreeTarget = { connectionName: string; path?: string; kind?: string } | undefined;

/** Where the last export was written or import read from (globalState), for the next dialog. */
const LAST_FOLDER_KEY = 'zookeeper.subtreeFiles.lastFolder';

export class SubtreeExportImport {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly registry: ConnectionRegistry,
    private readonly provider: ZnodeTreeProvider,
    private readonly view: vscode.TreeView<TreeNode>,
    /** Asks for a path on a connection (the palette has no row). */
    private readonly pickPath: (connection: EnsembleConnection, name: string, title: string) => Promise<string | undefined>,
  ) {}

  // --- export ----------------------------------------------------------------------------------

  async exportSubtree(t: SubtreeTarget): Promise<void> {
    const name = t?.connectionName ?? (await pickConnection(this.registry, undefined, vscode.l10n.t('Export Subtree: choose a connection')));
    if (!name) return;
    const connection = await this.connected(name);
    if (!connection) return;
    const root = t ? (t.path ?? '/') : await this.pickPath(connection, name, vscode.l10n.t('Export which subtree of "{0}"?', name));
    if (!root) return;

    const fileName = defaultExportFileName(name, root);
    const uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export {0} on "{1}" to a file', root, name),
      defaultUri: vscode.Uri.joinPath(this.startFolder(), fileName),
      filters: { JSON: ['json'] },
      saveLabel: vscode.l10n.t('Export'),
    });
    if (!uri) return;

    const client = connection.client;
    let doc: SubtreeExport | undefined = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exporting {0} on "{1}"', root, name), cancellable: true },
      async (progress, token) => {
        const signal = abortOn(token);
        const total = await this.countForExport(connection, root);
        let reported = 0;
        const doc = await exportSubtree(client, root, {
          signal,
          skipUnreadable: true,
          onProgress: (p) => {
            const shown = total ? Math.min(p.done, total) : p.done;
            const pct = total ? (100 * shown) / total : 0;
            progress.report({
              message: total ? vscode.l10n.t('{0} of {1} nodes read', shown.toLocaleString('en'), total.toLocaleString('en')) : vscode.l10n.t('{0} nodes read', shown.toLocaleString('en')),
              increment: Math.max(0, pct - reported),
            });
            reported = Math.max(reported, pct);
          },
        });
        return doc;
      },
    ).then(undefined, (e: unknown) => {
      if (!isZkError(e, 'CANCELLED')) throw e;
      vscode.window.setStatusBarMessage(vscode.l10n.t('Export of {0} cancelled: no file was written', root), 5000);
      return undefined;
    });
    if (!doc) return;
    if (doc.nodes.length === 0) throw new Error(vscode.l10n.t('Cannot export {0}: it cannot be read with the credentials of "{1}"; no file was written', root, name));

    if (doc.unreadable && doc.unreadable.length > 0) {
      const q = unreadableQuestion(doc, name);
      const go = vscode.l10n.t('Export Without Them');
      if ((await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, go)) !== go) return;
    }

    // Digest ids are password hashes: say so, and offer to leave ACLs out or redact them.
    const aclCounts = exportAclCounts(doc.nodes);
    if (aclCounts.restricted > 0) {
      const q = exportAclQuestion(aclCounts, root);
      const picked = await vscode.window.showQuickPick(q.items, { title: q.title, placeHolder: q.placeholder, ignoreFocusOut: true });
      if (!picked) return;
      doc = withAclMode(doc, picked.mode);
    }

    await vscode.workspace.fs.writeFile(uri, Buffer.from(exportFileText(doc), 'utf8'));
    await this.rememberFolder(uri);
    const open = vscode.l10n.t('Open');
    const reveal = vscode.l10n.t('Reveal');
    // Not awaited: the toast stays until the user answers or dismisses it.
    void vscode.window.showInformationMessage(exportSummary(doc, name, baseNameOf(uri)), open, reveal).then(async (choice) => {
      try {
        if (choice === open) await vscode.window.showTextDocument(uri, { preview: false });
        if (choice === reveal) await revealFile(uri);
      } catch (e) {
        showError(e);
      }
    });
  }

  /** The number of nodes an export will read, when the server can say so at once (3.6+); ZooKeeper's own nodes left out. */
  private async countForExport(connection: EnsembleConnection, root: string): Promise<number | undefined> {
    const client = connection.client;
    const quick = (path: string) =>
      Promise.race([
        client.getAllChildrenNumber(path).then((n) => n + 1),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 2000).unref()),
      ]).catch(() => undefined);
    const [all, system] = await Promise.all([quick(root), root === '/' && !client.chroot ? quick('/zookeeper') : 0]);
    if (all === undefined || system === undefined) return undefined;
    return all - system;
  }

  // --- import ----------------------------------------------------------------------------------

  async importSubtree(t: SubtreeTarget): Promise<void> {
    const name = t?.connectionName ?? (await pickConnection(this.registry, undefined, vscode.l10n.t('Import Subtree: choose the connection to import into')));
    if (!name) return;
    const known = this.registry.get(name);
    if (!known) return;
    if (known.readOnly) throw new Error(vscode.l10n.t('Connection "{0}" is read-only: nothing can be imported into it. Clear "readOnly" in its settings to allow writes.', name));
    const connection = await this.connected(name);
    if (!connection) return;

    const files = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Import a subtree into "{0}"', name),
      defaultUri: this.startFolder(),
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      filters: { JSON: ['json'], 'All files': ['*'] },
      openLabel: vscode.l10n.t('Import'),
    });
    const file = files?.[0];
    if (!file) return;
    await this.rememberFolder(file);
    const fileName = baseNameOf(file);
    // Stat first: a file too big for memory is refused with both sizes before it is read.
    const tooBig = importFileSizeProblem((await vscode.workspace.fs.stat(file)).size, fileName);
    if (tooBig) throw new Error(tooBig);
    const doc = parseExportFile(await vscode.workspace.fs.readFile(file), fileName);

    const target = await vscode.window.showInputBox({
      title: vscode.l10n.t('Import {0}{1} into "{2}"', doc.root, doc.source ? vscode.l10n.t(' of "{0}"', doc.source) : '', name),
      prompt: vscode.l10n.t('The path {0} becomes on "{1}" (missing parents are created)', doc.root, name),
      value: defaultImportTarget(doc.root, t && { path: t.path ?? '/', kind: t.kind }),
      validateInput: (v) => localized(pathProblem(v.trim())),
    });
    if (target === undefined) return;
    const targetPath = target.trim();

    const client = connection.client;
    const who = await sessionIdentitiesOf(this.registry, connection, name);
    const plan = await vscode.window
      .withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking {0} on "{1}"…', targetPath, name), cancellable: true }, (_p, token) =>
        planImport(client, targetPath, doc, { signal: abortOn(token), identities: who }),
      )
      .then(undefined, (e: unknown) => {
        if (!isZkError(e, 'CANCELLED')) throw e;
        return undefined;
      });
    if (!plan) return;
    const preview = importPreview(plan, name, fileName);
    // A warning only when existing nodes or this session's access are at stake.
    const ask = plan.existing.length > 0 || preview.warn ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = importChoice(await ask(preview.message, { modal: true, detail: preview.detail }, ...preview.choices));
    if (!choice) return;

    let result: ImportResult | undefined;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Importing {0} into {1} on "{2}"', fileName, targetPath, name), cancellable: true },
      async (progress, token) => {
        try {
          result = await importSubtree(client, targetPath, plan.doc, {
            conflict: choice.conflict,
            copyAcl: choice.copyAcl,
            identities: who,
            // The preview showed the lock-out check's verdict on every ACL before this choice.
            acceptLockOut: true,
            createParents: plan.missingParents.length > 0,
            signal: abortOn(token),
            onProgress: progressReporter(progress, plan.nodes + plan.missingParents.length),
          });
        } catch (e) {
          if (e instanceof SubtreeIncompleteError) throw new Error(incompleteMessage(e));
          throw e;
        } finally {
          // What was written shows in the tree, also after a stop half-way.
          const top = plan.missingParents[0] ?? targetPath;
          void this.provider.refresh(this.container(name, top === '/' ? '/' : parentPath(top)));
        }
      },
    );
    if (!result) return;
    void vscode.window.showInformationMessage(importReport(result, name));
    if (targetPath !== '/') {
      const row = this.provider.pinPath(name, targetPath);
      await this.provider.refresh(row.parent);
      await this.provider.whileRevealing(() => this.view.reveal(row, { select: true, focus: false, expand: false })).catch(() => undefined);
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** The connection, opened when it is not yet (asking for its password when needed). */
  private async connected(name: string): Promise<EnsembleConnection | undefined> {
    const connection = this.registry.get(name);
    if (!connection) return undefined;
    if (connection.state === 'idle' && !(await this.registry.open(name))) return undefined;
    return connection;
  }

  private container(name: string, path: string): ContainerNode {
    return path === '/' ? this.provider.connectionNode(name) : this.provider.znode(name, path);
  }

  /** The folder a dialog opens in: the last one used, else the first workspace folder, else the home folder. */
  private startFolder(): vscode.Uri {
    const last = this.context.globalState.get<string>(LAST_FOLDER_KEY);
    if (last) return vscode.Uri.parse(last);
    return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  }

  private async rememberFolder(file: vscode.Uri): Promise<void> {
    await this.context.globalState.update(LAST_FOLDER_KEY, vscode.Uri.joinPath(file, '..').toString());
  }
}

function baseNameOf(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** Shows a file: in the Explorer when it is in the workspace, otherwise in the operating system's file manager. */
async function revealFile(uri: vscode.Uri): Promise<void> {
  if (vscode.workspace.getWorkspaceFolder(uri)) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return;
  }
  try {
    await vscode.commands.executeCommand('revealFileInOS', uri);
  } catch {
    // No file manager here (a browser, a remote): say where it is.
    void vscode.window.showInformationMessage(vscode.l10n.t('The export is at {0}', uri.fsPath));
  }
}
