// The domain's FolderPort for a folder the user chose: a file: folder is on the extension host's
// own disk (locally and in a remote window alike) and goes through the domain's node:fs port, whose
// worker thread reads and writes files in batches; any other folder (virtual, another scheme) goes
// through vscode.workspace.fs, one call per file.
import * as vscode from 'vscode';
import { FileTooLargeError, nodeFolderPort, type FolderEntry, type FolderPort } from '../zk/configAsCode';

/**
 * The port for `root`. A pull of 50,001 nodes writes 50,052 files: through workspace.fs each is a
 * stat, a write and their promises in the extension host; through the node port they go to one
 * worker in batches of up to 256.
 */
export function folderPortFor(root: vscode.Uri): FolderPort {
  return root.scheme === 'file' ? nodeFolderPort(root.fsPath) : workspaceFolderPort(root);
}

export function workspaceFolderPort(root: vscode.Uri): FolderPort {
  const at = (rel: string) => (rel === '' ? root : vscode.Uri.joinPath(root, ...rel.split('/')));
  return {
    description: root.scheme === 'file' ? root.fsPath : root.toString(),
    async list(dir) {
      try {
        const entries = await vscode.workspace.fs.readDirectory(at(dir));
        return entries.map(([name, type]): FolderEntry => {
          // A symbolic link is never followed: what it points to is not part of the pulled tree.
          if (type & vscode.FileType.SymbolicLink) return { name, kind: 'other' };
          return { name, kind: type === vscode.FileType.File ? 'file' : type === vscode.FileType.Directory ? 'dir' : 'other' };
        });
      } catch (e) {
        if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
        throw e;
      }
    },
    async read(file, maxBytes) {
      const uri = at(file);
      const { size } = await vscode.workspace.fs.stat(uri);
      if (size > maxBytes) throw new FileTooLargeError(file, size, maxBytes);
      return vscode.workspace.fs.readFile(uri);
    },
    async write(file, data) {
      await vscode.workspace.fs.writeFile(at(file), data);
    },
    async mkdir(dir) {
      await vscode.workspace.fs.createDirectory(at(dir));
    },
  };
}

/** The URI of a file or folder of the layout ('/'-separated, relative to the top folder). */
export function uriIn(root: vscode.Uri, rel: string): vscode.Uri {
  return rel === '' ? root : vscode.Uri.joinPath(root, ...rel.split('/'));
}
