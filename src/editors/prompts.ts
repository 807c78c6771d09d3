// What the user sees when a save cannot simply go through:
// - a version conflict: VS Code's diff editor with the server's version (left, read-only) and the
//   user's document (right, still editable), and a notification with Overwrite and Cancel;
// - a node deleted meanwhile: a modal question whether to recreate it;
// - an ACL that would lock this session out: a modal question whether to save it anyway.
import * as vscode from 'vscode';
import { formatAcl } from '../zk/acl';
import { localized } from '../ui/localized';
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
    return this.items.get(id) ?? `${vscode.l10n.t("This copy of {0} is no longer kept: compare again to see the server's current version.", uri.path)}\n`;
  }
}

/** Opens VS Code's diff of a server state (left) against the document (right). Returns the left URI. */
export async function showServerDiff(snapshots: SnapshotStore, doc: NodeDocument, uri: vscode.Uri, theirs: Snapshot, yoursLabel = vscode.l10n.t('yours')): Promise<vscode.Uri> {
  const what = doc.view === 'acl' ? vscode.l10n.t('ACL version {0}', theirs.version) : vscode.l10n.t('version {0}', theirs.version);
  const left = snapshots.put(doc.connection, doc.path, vscode.l10n.t('server {0}', what), contentText(theirs.content));
  const language = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.languageId;
  try {
    const leftDoc = await vscode.workspace.openTextDocument(left);
    if (language && leftDoc.languageId !== language) await vscode.languages.setTextDocumentLanguage(leftDoc, language);
  } catch {
    // Highlighting only.
  }
  const name = doc.view === 'acl' ? vscode.l10n.t('{0} (ACL)', doc.name) : doc.name;
  const title = vscode.l10n.t('{0}: server, {1} ↔ {2}', name, what, yoursLabel);
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
      const based =
        expectedVersion < 0
          ? vscode.l10n.t('you expected it not to exist')
          : acl
            ? vscode.l10n.t('your edit is based on ACL version {0}', expectedVersion)
            : vscode.l10n.t('your edit is based on version {0}', expectedVersion);
      const server = acl ? vscode.l10n.t('the server has ACL version {0}', theirs.version) : vscode.l10n.t('the server has version {0}, changed {1}', theirs.version, theirs.stat.mtime.toLocaleString());
      const message = vscode.l10n.t(
        "{0} on \"{1}\" was changed by someone else while you were editing it: {2}, {3}. Nothing has been saved. The comparison shows the server's version (left) and yours (right). Overwrite replaces the server's version with yours.",
        acl ? vscode.l10n.t('{0} (ACL)', doc.path) : doc.path,
        doc.connection,
        based,
        server,
      );
      // The button's text is the user's language: the answer is compared with that, not with English.
      const overwrite = vscode.l10n.t('Overwrite');
      const choice = await vscode.window.showWarningMessage(message, overwrite, vscode.l10n.t('Cancel'));
      if (choice === overwrite) {
        await closeDiff(left).catch(() => undefined);
        return 'overwrite';
      }
      return 'cancel';
    },

    async deleted({ doc, acl, wasEphemeral }) {
      const notes = [
        wasEphemeral ? vscode.l10n.t('It was an ephemeral node of another session; it will be recreated as a persistent node.') : undefined,
        vscode.l10n.t('Its ACL will be: {0}.', acl.map(formatAcl).join(', ')),
      ].filter(Boolean);
      const recreate = vscode.l10n.t('Recreate');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} was deleted on "{1}" while you were editing it. Recreate it with your text?', doc.path, doc.connection),
        { modal: true, detail: notes.join('\n') },
        recreate,
      );
      return choice === recreate ? 'recreate' : 'cancel';
    },

    async lockOut({ doc, report }) {
      const save = vscode.l10n.t('Save Anyway');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('This ACL could lock you out of {0} on "{1}".', doc.path, doc.connection),
        {
          modal: true,
          detail: vscode.l10n.t('{0}\nOnly a session with other credentials (or ZooKeeper\'s super user) could undo it.', localized(report.localized)),
        },
        save,
      );
      return choice === save;
    },
  });
}
