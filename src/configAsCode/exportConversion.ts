// Convert Export File to Folder… and Convert Folder to Export File… (issue 19). Thin: reading,
// checking and converting are the domain's (src/zk/configAsCode/exportFiles.ts); this file asks
// where, asks before writing into a non-empty folder or over an existing file, and reports.
import * as vscode from 'vscode';
import { convertExportToFolder, convertFolderToExport, exportFileSizeProblem, takenEntries, treeFromExportFile } from '../zk/configAsCode';
import { folderPortFor } from './workspaceFolderPort';
import { localized } from '../ui/localized';

const n = (x: number) => x.toLocaleString('en');

function baseNameOf(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1) || uri.path;
}

function abortOn(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

async function statOf(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    throw e;
  }
}

export class ExportConversionCommands {
  /** From the Explorer's menu on a .json file, or the palette (a dialog asks). */
  async exportToFolder(arg?: unknown): Promise<void> {
    let file = arg instanceof vscode.Uri ? arg : undefined;
    if (!file) {
      const picked = await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Convert Export File to Folder: choose an export file'),
        canSelectFiles: true,
        canSelectFolders: false,
        filters: { [vscode.l10n.t('Subtree export')]: ['json'] },
        openLabel: vscode.l10n.t('Convert'),
      });
      file = picked?.[0];
    }
    if (!file) return;
    const fileName = baseNameOf(file);
    const stat = await vscode.workspace.fs.stat(file);
    const tooBig = exportFileSizeProblem(stat.size, fileName);
    if (tooBig) throw new Error(localized(tooBig));
    const bytes = await vscode.workspace.fs.readFile(file);
    // Checked before asking where: a file that is not an export never gets as far as a folder.
    const tree = treeFromExportFile(bytes, fileName);
    const folder = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Convert {0} ({1} nodes of {2}) into a folder', fileName, n(tree.nodes.length), tree.source?.root ?? '/'),
      defaultUri: vscode.Uri.joinPath(file, '..', fileName.replace(/\.json$/i, '') || 'export'),
      saveLabel: vscode.l10n.t('Convert Here'),
    });
    if (!folder) return;
    const existing = await statOf(folder);
    if (existing && !(existing.type & vscode.FileType.Directory)) {
      throw new Error(vscode.l10n.t('{0} is a file, not a folder: nothing was written. Choose a new or empty folder.', baseNameOf(folder)));
    }
    const port = folderPortFor(folder);
    if (existing) {
      const taken = await takenEntries(port);
      if (taken.length > 0) {
        const write = vscode.l10n.t('Write into the Folder');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('{0} is not empty (entries: {1}, e.g. "{2}"). Write the export into it?', baseNameOf(folder), n(taken.length), taken[0].name),
          {
            modal: true,
            detail: vscode.l10n.t('Files with the names of the export\'s nodes are replaced; every other entry stays, and Compare and Apply would read it as a node.'),
          },
          write,
        );
        if (answer !== write) return;
      }
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Converting {0} to a folder', fileName), cancellable: true },
      async (progress, token) => {
        await vscode.workspace.fs.createDirectory(folder);
        return convertExportToFolder(bytes, fileName, port, {
          signal: abortOn(token),
          onProgress: (done, total) => progress.report({ message: vscode.l10n.t('{0} of {1} files written', n(done), n(total)) }),
        });
      },
    );
    const reveal = vscode.l10n.t('Reveal in Explorer');
    const picked = await vscode.window.showInformationMessage(
      vscode.l10n.t('Converted {0} ({1} nodes of {2}) into {3}: {4} files written.', fileName, n(result.nodes), result.root, baseNameOf(folder), n(result.files)),
      reveal,
    );
    if (picked === reveal) await vscode.commands.executeCommand('revealInExplorer', folder);
  }

  /** From the Explorer's menu on a folder, or the palette (a dialog asks). */
  async folderToExport(arg?: unknown): Promise<void> {
    let folder = arg instanceof vscode.Uri ? arg : undefined;
    if (!folder) {
      const picked = await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Convert Folder to Export File: choose a folder'),
        canSelectFiles: false,
        canSelectFolders: true,
        openLabel: vscode.l10n.t('Choose'),
      });
      folder = picked?.[0];
    }
    if (!folder) return;
    const converted = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0}', baseNameOf(folder)), cancellable: true },
      (_progress, token) => convertFolderToExport(folderPortFor(folder), { signal: abortOn(token) }),
    );
    const file = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save {0} ({1} nodes) as an export file', baseNameOf(folder), n(converted.doc.summary.nodes)),
      defaultUri: vscode.Uri.joinPath(folder, '..', `${baseNameOf(folder)}.json`),
      filters: { [vscode.l10n.t('Subtree export')]: ['json'] },
      saveLabel: vscode.l10n.t('Save Export'),
    });
    if (!file) return;
    const existing = await statOf(file);
    if (existing) {
      if (existing.type & vscode.FileType.Directory) throw new Error(vscode.l10n.t('{0} is a folder: nothing was written. Choose a file name.', baseNameOf(file)));
      const replace = vscode.l10n.t('Replace');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} exists. Replace it with the export of {1}?', baseNameOf(file), baseNameOf(folder)),
        { modal: true, detail: vscode.l10n.t('Its {0} bytes would be lost.', n(existing.size)) },
        replace,
      );
      if (answer !== replace) return;
    }
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(converted.text));
    const ignored = converted.ignored.length > 0 ? ' ' + vscode.l10n.t('{0} entries that are not nodes (tool files, links) were left out.', n(converted.ignored.length)) : '';
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Converted {0} ({1} nodes of {2}) into the export file {3}.', baseNameOf(folder), n(converted.doc.summary.nodes), converted.doc.root, baseNameOf(file)) + ignored,
    );
  }
}
