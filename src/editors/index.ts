// Znodes as documents: the zk: file system, its prompts and status, the node details view and the
// editor commands. extension.ts calls registerEditors once.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { sessionIdentitiesOf } from '../connections/sessionIdentities';
import { lockOutCheck, type SessionIdentities } from '../zk/aclEdit';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { formatNodeDetails } from '../zk/nodeDetails';
import { isEphemeral } from '../zk/stat';
import { lookupOwners } from '../connections/ownerLookup';
import { registerEditorCommands, DETAILS_SCHEME } from './commands';
import { ChangeMarks, LanguageTracker, ReadOnlyStatus, ServerChangeStatus } from './editorUi';
import { SNAPSHOT_SCHEME, SnapshotStore, createSavePrompts, showServerDiff } from './prompts';
import { targetOf } from '../ui/znodeUris';
import { ZnodeFileSystemProvider } from './znodeFileSystemProvider';

/** Where ConnectionRegistry keeps a connection's password (see connectionRegistry.ts). */

export function registerEditors(context: vscode.ExtensionContext, registry: ConnectionRegistry): ZnodeFileSystemProvider {
  const snapshots = new SnapshotStore();
  const marks = new ChangeMarks();
  const late: { status?: ReadOnlyStatus; changed?: ServerChangeStatus } = {};

  /** This session's identities: whoAmI (3.7+) and the digest credentials it logged in with. */
  const identities = (connection: EnsembleConnection, name: string): Promise<SessionIdentities> => sessionIdentitiesOf(registry, connection, name);

  const provider: ZnodeFileSystemProvider = new ZnodeFileSystemProvider(
    registry,
    // The conflict prompt says everything about the change: the server-change line steps aside.
    createSavePrompts(snapshots, (uri) => late.changed?.dismiss(uri)),
    async (connection, name, acl) => lockOutCheck(acl, await identities(connection, name)),
    {
      // No notification here: one message at a time per document, and the one that matters comes
      // at the save (the conflict prompt). A badge on the tab and a status bar entry say it meanwhile.
      changedWhileDirty: (uri, change, doc) => {
        const version = change.stat?.version;
        const text = `${doc.path} on "${doc.connection}" was changed on the server (now version ${version}) while you have unsaved changes. Saving will show both versions so you can choose.`;
        marks.mark(uri, `Changed on the server (now version ${version}) since you started editing: saving shows both versions so you can choose`);
        late.changed?.show(uri, text);
      },
      readOnlyChanged: () => late.status?.update(),
    },
  );
  const status = new ReadOnlyStatus(provider);
  late.status = status;
  const changed = new ServerChangeStatus();
  late.changed = changed;
  const languages = new LanguageTracker(context.globalState, provider);

  // Every open zk: document's node is watched, whether or not VS Code asks the provider to.
  const tracked = new Map<string, vscode.Disposable>();
  const track = (doc: vscode.TextDocument) => {
    if (doc.uri.scheme !== 'zk' || tracked.has(doc.uri.toString())) return;
    tracked.set(doc.uri.toString(), provider.track(doc.uri));
  };
  const untrack = (doc: vscode.TextDocument) => {
    tracked.get(doc.uri.toString())?.dispose();
    tracked.delete(doc.uri.toString());
  };

  const details: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const connection = await provider.connectionFor(uri.authority);
      const client = connection.client;
      const stat = await client.exists(uri.path);
      if (!stat) return `# ${uri.path}\n\nThis node does not exist on "${uri.authority}".\n`;
      let acl;
      let aclError: string | undefined;
      try {
        acl = (await client.getACL(uri.path)).acl;
      } catch (e) {
        aclError = (e as Error).message;
      }
      const who = await identities(connection, uri.authority);
      let sessionId: string | undefined;
      try {
        sessionId = client.sessionId;
      } catch {
        sessionId = undefined;
      }
      // An ephemeral node's owner: which client, on which server (every server's `cons`, on demand).
      const owner = isEphemeral(stat) ? await lookupOwners(connection, [stat.ephemeralOwner]) : undefined;
      const ownerLookup = owner?.lookups ? [...owner.lookups.values()][0] : undefined;
      return formatNodeDetails({ connection: uri.authority, path: uri.path, stat, acl, aclError, who, sessionId, owner: ownerLookup, ownerError: owner?.error });
    },
  };

  context.subscriptions.push(
    provider,
    marks,
    status,
    changed,
    vscode.workspace.registerFileSystemProvider('zk', provider, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, snapshots),
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details),
    vscode.window.registerFileDecorationProvider(marks),
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (d.uri.scheme !== 'zk') return;
      track(d);
      void languages.opened(d);
      status.update();
      const problem = provider.decodingProblem(d);
      if (problem) void vscode.window.showWarningMessage(problem);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme !== 'zk') return;
      languages.closed(d);
      // A language change closes and reopens the document at once: keep its session (the
      // version its content is based on) unless it stays closed.
      const uri = d.uri.toString();
      setTimeout(() => {
        if (vscode.workspace.textDocuments.some((x) => x.uri.toString() === uri)) return;
        untrack(d);
        marks.clear(d.uri);
        provider.forget(d.uri);
      }, 2000);
    }),
    vscode.workspace.onWillSaveTextDocument((e) => {
      if (e.document.uri.scheme === 'zk') provider.willSave(e.document.uri, e.reason);
    }),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (d.uri.scheme !== 'zk') return;
      provider.didSave(d.uri);
      marks.clear(d.uri);
      changed.dismiss(d.uri);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.scheme !== 'zk') return;
      provider.documentChanged(e.document);
      if (!e.document.isDirty) {
        marks.clear(e.document.uri);
        changed.dismiss(e.document.uri);
      }
    }),
    vscode.window.onDidChangeActiveTextEditor((e) => {
      status.update();
      changed.update();
      // Another component may have removed this session's watches on the path (removeWatches
      // is per path, not per watcher): looking at a document checks and re-sets its watch.
      if (e?.document.uri.scheme === 'zk') provider.recheck(e.document.uri);
    }),
    vscode.window.onDidChangeWindowState((w) => {
      if (!w.focused) return;
      for (const e of vscode.window.visibleTextEditors) if (e.document.uri.scheme === 'zk') provider.recheck(e.document.uri);
    }),
    registry.onDidChangeConnections(() => provider.connectionsChanged()),
    { dispose: () => tracked.forEach((d) => d.dispose()) },
    // Ctrl+S on a zk: editor (see keybindings): the save conversation runs before VS Code's save.
    vscode.commands.registerCommand('zookeeper.saveZnode', async () => {
      const document = vscode.window.activeTextEditor?.document;
      const encoding = (document as { encoding?: string } | undefined)?.encoding;
      const utf8 = encoding === undefined || encoding === 'utf8' || encoding === 'utf8bom';
      if (!document || document.uri.scheme !== 'zk' || !document.isDirty || !utf8 || provider.readOnlyReason(document.uri)) {
        await vscode.commands.executeCommand('workbench.action.files.save');
        return;
      }
      await provider.saveFromEditor(document);
    }),
    vscode.commands.registerCommand('zookeeper.serverChangeActions', async (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) return;
      const compare = 'Compare with Server Version';
      const revert = 'Revert to Server Version';
      const choice = await vscode.window.showQuickPick([compare, revert], { title: changed.textOf(uri) ?? 'Changed on the server' });
      try {
        if (choice === compare) {
          const doc = provider.document(uri);
          const connection = await provider.connectionFor(doc.connection);
          const theirs = await doc.read(connection.client);
          await showServerDiff(snapshots, doc, uri, theirs, 'yours (unsaved)');
        } else if (choice === revert) {
          const td = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
          if (!td) return;
          await vscode.window.showTextDocument(td);
          await vscode.commands.executeCommand('workbench.action.files.revert');
        }
      } catch (e) {
        void vscode.window.showErrorMessage((e as Error).message);
      }
    }),
  );
  for (const d of vscode.workspace.textDocuments) {
    if (d.uri.scheme !== 'zk') continue;
    try {
      targetOf(d.uri);
      track(d);
      void languages.opened(d);
    } catch {
      // not a valid zk: URI
    }
  }
  registerEditorCommands(context, { registry, provider });
  status.update();
  return provider;
}
