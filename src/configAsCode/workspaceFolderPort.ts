// The domain's FolderPort over vscode.workspace.fs: pulls and plans work on any folder VS Code can
// open (local, remote, virtual), not only on the extension host's disk.
import * as vscode from 'vscode';
import { FileTooLargeError, type FolderEntry, type FolderPort } from '../zk/configAsCode';

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
