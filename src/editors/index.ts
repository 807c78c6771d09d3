// Znodes as documents: the zk: file system, its prompts and status, the node details view and the
// editor commands. extension.ts calls registerEditors once; EditorsController holds the pieces.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { lookupOwners } from '../connections/ownerLookup';
import { sessionIdentitiesOf } from '../connections/sessionIdentities';
import { lockOutCheck, type SessionIdentities } from '../zk/aclEdit';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { formatNodeDetails } from '../zk/nodeDetails';
import { isEphemeral } from '../zk/stat';
import { ZNODE_SCHEME } from '../zk/znodeUri';
import { COMMANDS, VSCODE_COMMANDS } from '../ui/commandIds';
import { isZnodeUri } from '../ui/nodeArgs';
import { errorMessage, registerCommand } from '../ui/registerCommand';
import { targetOf } from '../ui/znodeUris';
import { registerEditorCommands, DETAILS_SCHEME } from './commands';
import { ChangeMarks, LanguageTracker, ReadOnlyStatus, ServerChangeStatus } from './editorUi';
import { SNAPSHOT_SCHEME, SnapshotStore, createSavePrompts, showServerDiff } from './prompts';
import { ZnodeFileSystemProvider } from './znodeFileSystemProvider';

export function registerEditors(context: vscode.ExtensionContext, registry: ConnectionRegistry): ZnodeFileSystemProvider {
  return new EditorsController(context, registry).provider;
}

export class EditorsController {
  readonly provider: ZnodeFileSystemProvider;
  private readonly snapshots = new SnapshotStore();
  private readonly marks = new ChangeMarks();
  private readonly status: ReadOnlyStatus;
  private readonly changed = new ServerChangeStatus();
  private readonly languages: LanguageTracker;
  /** Every open zk: document's node is watched, whether or not VS Code asks the provider to. */
  private readonly tracked = new Map<string, vscode.Disposable>();

  constructor(
    context: vscode.ExtensionContext,
    private readonly registry: ConnectionRegistry,
  ) {
    this.provider = new ZnodeFileSystemProvider(
      registry,
      // The conflict prompt says everything about the change: the server-change line steps aside.
      createSavePrompts(this.snapshots, (uri) => this.changed.dismiss(uri)),
      async (connection, name, acl) => lockOutCheck(acl, await this.identities(connection, name)),
      {
        // No notification here: one message at a time per document, and the one that matters comes
        // at the save (the conflict prompt). A badge on the tab and a status bar entry say it meanwhile.
        changedWhileDirty: (uri, change, doc) => {
          const version = change.stat?.version;
          const text = vscode.l10n.t('{0} on "{1}" was changed on the server (now version {2}) while you have unsaved changes. Saving will show both versions so you can choose.', doc.path, doc.connection, version ?? '?');
          this.marks.mark(uri, vscode.l10n.t('Changed on the server (now version {0}) since you started editing: saving shows both versions so you can choose', version ?? '?'));
          this.changed.show(uri, text);
        },
        readOnlyChanged: () => this.status?.update(),
      },
    );
    this.status = new ReadOnlyStatus(this.provider);
    this.languages = new LanguageTracker(context.globalState, this.provider);
    const provider = this.provider;

    context.subscriptions.push(
      provider,
      this.marks,
      this.status,
      this.changed,
      vscode.workspace.registerFileSystemProvider(ZNODE_SCHEME, provider, { isCaseSensitive: true }),
      vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, this.snapshots),
      vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, { provideTextDocumentContent: (uri) => this.nodeDetails(uri) }),
      vscode.window.registerFileDecorationProvider(this.marks),
      vscode.workspace.onDidOpenTextDocument((d) => this.opened(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)),
      vscode.workspace.onWillSaveTextDocument((e) => {
        if (isZnodeUri(e.document.uri)) provider.willSave(e.document.uri, e.reason);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (!isZnodeUri(d.uri)) return;
        provider.didSave(d.uri);
        this.marks.clear(d.uri);
        this.changed.dismiss(d.uri);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!isZnodeUri(e.document.uri)) return;
        provider.documentChanged(e.document);
        if (!e.document.isDirty) {
          this.marks.clear(e.document.uri);
          this.changed.dismiss(e.document.uri);
        }
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        this.status.update();
        this.changed.update();
        // Another component may have removed this session's watches on the path (removeWatches
        // is per path, not per watcher): looking at a document checks and re-sets its watch.
        if (e && isZnodeUri(e.document.uri)) provider.recheck(e.document.uri);
      }),
      vscode.window.onDidChangeWindowState((w) => {
        if (!w.focused) return;
        for (const e of vscode.window.visibleTextEditors) if (isZnodeUri(e.document.uri)) provider.recheck(e.document.uri);
      }),
      registry.onDidChangeConnections(() => provider.connectionsChanged()),
      { dispose: () => this.tracked.forEach((d) => d.dispose()) },
    );
    // Ctrl+S on a zk: editor (see keybindings): the save conversation runs before VS Code's save.
    registerCommand(context, COMMANDS.saveZnode, () => this.saveZnode());
    registerCommand(context, COMMANDS.serverChangeActions, (arg?: unknown) => this.serverChangeActions(arg));
    for (const d of vscode.workspace.textDocuments) {
      if (!isZnodeUri(d.uri)) continue;
      try {
        targetOf(d.uri);
        this.track(d);
        void this.languages.opened(d);
      } catch {
        // not a valid zk: URI
      }
    }
    registerEditorCommands(context, { registry, provider });
    this.status.update();
  }

  /** This session's identities: whoAmI (3.7+) and the digest credentials it logged in with. */
  private identities(connection: EnsembleConnection, name: string): Promise<SessionIdentities> {
    return sessionIdentitiesOf(this.registry, connection, name);
  }

  private track(doc: vscode.TextDocument): void {
    if (!isZnodeUri(doc.uri) || this.tracked.has(doc.uri.toString())) return;
    this.tracked.set(doc.uri.toString(), this.provider.track(doc.uri));
  }

  private untrack(doc: vscode.TextDocument): void {
    this.tracked.get(doc.uri.toString())?.dispose();
    this.tracked.delete(doc.uri.toString());
  }

  private opened(d: vscode.TextDocument): void {
    if (!isZnodeUri(d.uri)) return;
    this.track(d);
    void this.languages.opened(d);
    this.status.update();
    const problem = this.provider.decodingProblem(d);
    if (problem) void vscode.window.showWarningMessage(problem);
  }

  private closed(d: vscode.TextDocument): void {
    if (!isZnodeUri(d.uri)) return;
    this.languages.closed(d);
    // A language change closes and reopens the document at once: keep its session (the
    // version its content is based on) unless it stays closed.
    const uri = d.uri.toString();
    setTimeout(() => {
      if (vscode.workspace.textDocuments.some((x) => x.uri.toString() === uri)) return;
      this.untrack(d);
      this.marks.clear(d.uri);
      this.provider.forget(d.uri);
    }, 2000);
  }

  /** The Node Details document (Markdown): stat, ACL, this session and an ephemeral node's owner. */
  private async nodeDetails(uri: vscode.Uri): Promise<string> {
    const connection = await this.provider.connectionFor(uri.authority);
    const client = connection.client;
    const stat = await client.exists(uri.path);
    if (!stat) return `# ${uri.path}\n\n${vscode.l10n.t('This node does not exist on "{0}".', uri.authority)}\n`;
    let acl;
    let aclError: string | undefined;
    try {
      acl = (await client.getACL(uri.path)).acl;
    } catch (e) {
      aclError = errorMessage(e);
    }
    const who = await this.identities(connection, uri.authority);
    let sessionId: string | undefined;
    try {
      sessionId = client.sessionId;
    } catch {
      sessionId = undefined;
    }
    // An ephemeral node's owner: which client, on which server (every server's `cons`, on demand).
    const owner = isEphemeral(stat) ? await lookupOwners(connection, [stat.ephemeralOwner]) : undefined;
    const ownerLookup = owner?.lookups ? [...owner.lookups.values()][0] : undefined;
    return formatNodeDetails({ connection: uri.authority, path: uri.path, stat, acl, aclError, who, sessionId, owner: ownerLookup, ownerError: owner?.error, t: vscode.l10n.t });
  }

  private async saveZnode(): Promise<void> {
    const document = vscode.window.activeTextEditor?.document;
    const encoding = (document as { encoding?: string } | undefined)?.encoding;
    const utf8 = encoding === undefined || encoding === 'utf8' || encoding === 'utf8bom';
    if (!document || !isZnodeUri(document.uri) || !document.isDirty || !utf8 || this.provider.readOnlyReason(document.uri)) {
      await vscode.commands.executeCommand(VSCODE_COMMANDS.save);
      return;
    }
    await this.provider.saveFromEditor(document);
  }

  private async serverChangeActions(arg: unknown): Promise<void> {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) return;
    const compare = vscode.l10n.t('Compare with Server Version');
    const revert = vscode.l10n.t('Revert to Server Version');
    const choice = await vscode.window.showQuickPick([compare, revert], { title: this.changed.textOf(uri) ?? vscode.l10n.t('Changed on the server') });
    if (choice === compare) {
      const doc = this.provider.document(uri);
      const connection = await this.provider.connectionFor(doc.connection);
      const theirs = await doc.read(connection.client);
      await showServerDiff(this.snapshots, doc, uri, theirs, vscode.l10n.t('yours (unsaved)'));
    } else if (choice === revert) {
      const td = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (!td) return;
      await vscode.window.showTextDocument(td);
      await vscode.commands.executeCommand(VSCODE_COMMANDS.revert);
    }
  }
}
