// What the user sees when a save cannot simply go through:
// - a version conflict: VS Code's diff editor with the server's version (left, read-only) and the
//   user's document (right, still editable), and a notification with Overwrite and Cancel;
// - a node deleted meanwhile: a modal question whether to recreate it;
// - an ACL that would lock this session out: a modal question whether to save it anyway.
import * as vscode from 'vscode';
import { formatAcl } from '../zk/acl';
import { contentText, type NodeDocument, type Snapshot } from '../zk/nodeDocument';
import type { SavePrompts } from './znodeFileSystemProvider';

export const SNAPSHOT_SCHEME = 'zk-server';

/** Read-only documents holding a server state at one moment (the left side of a comparison). */
export class SnapshotStore implements vscode.TextDocumentContentProvider {
  private readonly items = new Map<string, string>();
  private next = 1;

  /** Stores the text and returns the URI of a document that shows it. */
  put(connection: string, path: string, label: string, text: string): vscode.Uri {
    const id = String(this.next++);
    this.items.set(id, text);
    while (this.items.size > 50) this.items.delete(this.items.keys().next().value as string);
    return vscode.Uri.from({ scheme: SNAPSHOT_SCHEME, authority: connection, path, query: new URLSearchParams({ id, label }).toString() });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = new URLSearchParams(uri.query).get('id') ?? '';
    return this.items.get(id) ?? `This copy of ${uri.path} is no longer kept: compare again to see the server's current version.\n`;
  }
}

/** Opens VS Code's diff of a server state (left) against the document (right). Returns the left URI. */
export async function showServerDiff(snapshots: SnapshotStore, doc: NodeDocument, uri: vscode.Uri, theirs: Snapshot, yoursLabel = 'yours'): Promise<vscode.Uri> {
  const what = doc.view === 'acl' ? `ACL version ${theirs.version}` : `version ${theirs.version}`;
  const left = snapshots.put(doc.connection, doc.path, `server ${what}`, contentText(theirs.content));
  const language = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.languageId;
  try {
    const leftDoc = await vscode.workspace.openTextDocument(left);
    if (language && leftDoc.languageId !== language) await vscode.languages.setTextDocumentLanguage(leftDoc, language);
  } catch {
    // Highlighting only.
  }
  const title = `${doc.name}${doc.view === 'acl' ? ' (ACL)' : ''}: server, ${what} ↔ ${yoursLabel}`;
  await vscode.commands.executeCommand('vscode.diff', left, uri, title, { preview: false });
  return left;
}

/** Closes the diff editors whose left side is `left`. */
export async function closeDiff(left: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.original.toString() === left.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

export function createSavePrompts(snapshots: SnapshotStore, onConflictShown: (uri: vscode.Uri) => void = () => undefined): SavePrompts {
  return (uri) => ({
    async conflict({ doc, expectedVersion, theirs }) {
      onConflictShown(uri);
      const left = await showServerDiff(snapshots, doc, uri, theirs);
      const acl = doc.view === 'acl';
      const based = expectedVersion < 0 ? 'you expected it not to exist' : `your edit is based on ${acl ? 'ACL ' : ''}version ${expectedVersion}`;
      const when = acl ? '' : `, changed ${theirs.stat.mtime.toLocaleString()}`;
      const message =
        `${doc.path}${acl ? ' (ACL)' : ''} on "${doc.connection}" was changed by someone else while you were editing it: ` +
        `${based}, the server has ${acl ? 'ACL ' : ''}version ${theirs.version}${when}. Nothing has been saved. ` +
        `The comparison shows the server's version (left) and yours (right). Overwrite replaces the server's version with yours.`;
      const choice = await vscode.window.showWarningMessage(message, vscode.l10n.t('Overwrite'), vscode.l10n.t('Cancel'));
      if (choice === 'Overwrite') {
        await closeDiff(left).catch(() => undefined);
        return 'overwrite';
      }
      return 'cancel';
    },

    async deleted({ doc, acl, wasEphemeral }) {
      const notes = [
        wasEphemeral ? 'It was an ephemeral node of another session; it will be recreated as a persistent node.' : undefined,
        `Its ACL will be: ${acl.map(formatAcl).join(', ')}.`,
      ].filter(Boolean);
      const recreate = 'Recreate';
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} was deleted on "{1}" while you were editing it. Recreate it with your text?', doc.path, doc.connection),
        { modal: true, detail: notes.join('\n') },
        recreate,
      );
      return choice === recreate ? 'recreate' : 'cancel';
    },

    async lockOut({ doc, report }) {
      const save = 'Save Anyway';
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('This ACL could lock you out of {0} on "{1}".', doc.path, doc.connection),
        {
          modal: true,
          detail: vscode.l10n.t('{0}\nOnly a session with other credentials (or ZooKeeper\'s super user) could undo it.', report.message),
        },
        save,
      );
      return choice === save;
    },
  });
}
