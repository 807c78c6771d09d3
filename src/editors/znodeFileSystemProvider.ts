// The zk: file system: a znode's data (or ACL) as a document. The rules live in NodeDocument
// (src/zk); this adapter maps them to VS Code:
// - stat reports the znode's mtime and data length, so VS Code's own "changed on disk" reload and
//   its Compare/Overwrite prompt work; read-only connections, servers without quorum and data
//   that is not text report FilePermission.Readonly, and the reason is kept for the status bar.
// - Saving runs the domain's save conversation (saveSession.ts). A save the user starts with
//   Ctrl+S runs it from the zookeeper.saveZnode command (saveFromEditor): a Cancel then leaves the
//   editor dirty with one calm status line, and a refusal is the extension's own message; VS Code's
//   save follows only to mark the editor saved (writeFile sees the bytes already written). Other
//   saves (menu, Save All, auto save) reach writeFile, which runs the same conversation; there a
//   "no" can only be a failed save, which VS Code shows as its error.
// - While an editor has unsaved changes, stat keeps reporting what it last saw (NodeDocument.stat),
//   so VS Code's own "file is newer" check never fires: one conflict flow, whatever changed.
// - watch: every open zk: document's node is watched (one exists() watch per node, re-armed), and
//   changes are reported to VS Code, which reloads unmodified documents and marks deleted ones.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { sameAcl, type ZkAcl } from '../zk/acl';
import type { LockOutReport } from '../zk/aclEdit';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { toFileSystemError } from './fileSystemErrors';
import { NodeDocument, contentText, stateKey, type ViewKind } from '../zk/nodeDocument';
import { saveDocument, type SaveDecisions, type SaveResult } from '../zk/saveSession';
import { NodeWatchSet, type NodeChange } from '../zk/nodeWatch';
import { isZnodeUri } from '../ui/nodeArgs';
import { docKey, editorUri, nodeKey, resolveConnectionName, targetOf } from '../ui/znodeUris';
import { quotaAwareMessage } from '../zk/clusterAdmin/quotaStore';
import { errorMessage } from '../ui/registerCommand';
import { localized, localizedDetail } from '../ui/localized';

/** The questions of a save, asked about the document at `uri` (see prompts.ts). */
export type SavePrompts = (uri: vscode.Uri) => SaveDecisions;

/** Who this session is, for the ACL lock-out check. */
export type LockOutCheck = (connection: EnsembleConnection, connectionName: string, acl: ZkAcl[]) => Promise<LockOutReport | undefined>;

export interface ProviderEvents {
  /** A node changed on the server while its document has unsaved changes. */
  changedWhileDirty(uri: vscode.Uri, change: NodeChange, doc: NodeDocument): void;
  /** The read-only state of a document is known or changed. */
  readOnlyChanged(uri: vscode.Uri, reason: string | undefined): void;
}

/** How long after onWillSaveTextDocument the save is treated as the user's. */
const SAVE_WINDOW_MS = 30_000;

export class ZnodeFileSystemProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  private readonly docs = new Map<string, NodeDocument>();
  private readonly reasons = new Map<string, string | undefined>();
  private readonly saving = new Map<string, { at: number; manual: boolean }>();
  /** Watched editor URIs per node, with the watch subscription. */
  private readonly watched = new Map<string, { uris: Map<string, { uri: vscode.Uri; refs: number }>; sub: { dispose(): void } }>();
  private readonly opening = new Map<string, Promise<EnsembleConnection | undefined>>();
  /** Bytes saveFromEditor wrote, per document, until VS Code's save of them arrives. */
  private readonly written = new Map<string, Uint8Array>();
  private readonly inFlight = new Set<string>();
  readonly watches: NodeWatchSet;

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly prompts: SavePrompts,
    private readonly checkLockOut: LockOutCheck,
    private readonly events: ProviderEvents,
    private readonly log?: { warn(m: string): void; info(m: string): void },
    private readonly now: () => number = Date.now,
  ) {
    this.watches = new NodeWatchSet(
      (name) => this.registry.get(name),
      (e, name, path) => this.log?.warn(`Could not watch ${path} on "${name}": ${(e as Error).message}`),
    );
    // A connection moving to or from a read-only server changes whether its open documents can be
    // saved: tell VS Code they changed, so it asks stat() again and shows or drops the lock.
    this.statusSub = registry.onDidChangeStatus?.(({ name, status }) => {
      const ro = status.state === 'readOnlyServer';
      const was = this.serverReadOnly.get(name) ?? false;
      if (status.state !== 'connected' && !ro) return;
      this.serverReadOnly.set(name, ro);
      if (ro === was) return;
      const events: vscode.FileChangeEvent[] = [];
      for (const w of this.watched.values()) {
        for (const { uri } of w.uris.values()) {
          try {
            if (this.resolve(uri).connection === name) events.push({ type: vscode.FileChangeType.Changed, uri });
          } catch {
            // not ours
          }
        }
      }
      if (events.length) this.changes.fire(events);
    });
  }

  private readonly serverReadOnly = new Map<string, boolean>();
  private readonly statusSub: { dispose(): void } | undefined;

  dispose(): void {
    this.statusSub?.dispose();
    this.watches.dispose();
    this.changes.dispose();
    for (const w of this.watched.values()) w.sub.dispose();
    this.watched.clear();
  }

  // --- what the rest of the extension asks -------------------------------------------------------

  /** The document session of a URI (created on first use). */
  document(uri: vscode.Uri): NodeDocument {
    const t = this.resolve(uri);
    let doc = this.docs.get(t.key);
    if (!doc) {
      doc = new NodeDocument(t.connection, t.path, t.view, this.now, t.encoding, vscode.l10n.t);
      this.docs.set(t.key, doc);
    }
    return doc;
  }

  /** Why the document is read-only, when it is (as last seen by stat/readFile). */
  readOnlyReason(uri: vscode.Uri): string | undefined {
    try {
      return this.reasons.get(this.resolve(uri).key);
    } catch {
      return undefined;
    }
  }

  /** Whether the text view shows a read-only dump because the data is not text. */
  isDump(uri: vscode.Uri): boolean {
    const doc = this.existing(uri);
    return doc?.view === 'text' && doc.lastRead?.readOnlyReason !== undefined;
  }

  /** How the text view shows the data when it is not plain UTF-8: decompressed gzip, or decoded from an encoding. */
  shownAs(uri: vscode.Uri): { gzip?: boolean; encoding?: string } | undefined {
    const doc = this.existing(uri);
    if (doc?.view !== 'text') return undefined;
    if (doc.encoding) return { encoding: doc.encoding };
    return doc.lastRead?.gzip ? { gzip: true } : undefined;
  }

  /**
   * When a text view has just been loaded, whether VS Code decoded it as UTF-8: a files.encoding
   * or files.autoGuessEncoding setting can make it show something else than the node's text.
   */
  decodingProblem(document: vscode.TextDocument): string | undefined {
    const doc = this.existing(document.uri);
    const r = doc?.lastRead;
    if (!doc || doc.view !== 'text' || !r || r.readOnlyReason || document.isDirty) return undefined;
    if (document.getText() === contentText(r.content)) return undefined;
    return vscode.l10n.t(
      'VS Code decoded {0} on "{1}" with another encoding than UTF-8 (see the files.encoding and files.autoGuessEncoding settings), so the text shown is not the node\'s text. Use "Reopen with Encoding" → UTF-8 before editing, or Edit as Base64/Hex.',
      doc.path,
      doc.connection,
    );
  }

  /** Call from onWillSaveTextDocument: the next write of this URI is a save the user started. */
  willSave(uri: vscode.Uri, reason: vscode.TextDocumentSaveReason): void {
    try {
      this.saving.set(this.resolve(uri).key, { at: this.now(), manual: reason === vscode.TextDocumentSaveReason.Manual });
    } catch {
      // not one of ours
    }
  }

  didSave(uri: vscode.Uri): void {
    try {
      this.saving.delete(this.resolve(uri).key);
    } catch {
      // not one of ours
    }
  }

  /** A zk: document's text changed or became clean: a clean editor showing a newer read moves the base. */
  documentChanged(document: vscode.TextDocument): void {
    if (document.isDirty) return;
    const doc = this.existing(document.uri);
    doc?.adoptIfShowing(document.getText());
  }

  /** Starts watching the node of an open document (VS Code may also call watch() itself). */
  track(uri: vscode.Uri): vscode.Disposable {
    return this.watch(uri);
  }

  /** Re-reads the node of a document being looked at, and sets its watch again. */
  recheck(uri: vscode.Uri): void {
    try {
      const t = this.resolve(uri);
      this.watches.recheck(t.connection, t.path);
    } catch {
      // not one of ours
    }
  }

  /** Forget document sessions that no editor uses any more. */
  forget(uri: vscode.Uri): void {
    try {
      const t = this.resolve(uri);
      if (!this.isWatchedUri(t.connection, t.path, t.key)) {
        this.docs.delete(t.key);
        this.reasons.delete(t.key);
      }
    } catch {
      // not one of ours
    }
  }

  /** Connection objects were replaced (settings, credentials): watch through the new ones. */
  connectionsChanged(): void {
    this.watches.refresh();
  }

  // --- FileSystemProvider --------------------------------------------------------------------

  watch(uri: vscode.Uri): vscode.Disposable {
    let t: { connection: string; path: string; key: string };
    try {
      t = this.resolve(uri);
    } catch {
      return new vscode.Disposable(() => undefined);
    }
    const nk = nodeKey(t.connection, t.path);
    let w = this.watched.get(nk);
    if (!w) {
      const entry: { uris: Map<string, { uri: vscode.Uri; refs: number }>; sub: { dispose(): void } } = { uris: new Map(), sub: { dispose: () => undefined } };
      // What the document was read from is the baseline: a change before the watch is set counts.
      const baseline = this.docs.get(t.key)?.lastRead?.stat;
      entry.sub = this.watches.watch(t.connection, t.path, (change) => this.onNodeChange(change), baseline);
      this.watched.set(nk, entry);
      w = entry;
    }
    const u = w.uris.get(t.key) ?? { uri, refs: 0 };
    u.refs++;
    w.uris.set(t.key, u);
    let disposed = false;
    const entry = w;
    return new vscode.Disposable(() => {
      if (disposed) return;
      disposed = true;
      u.refs--;
      if (u.refs <= 0) entry.uris.delete(t.key);
      if (entry.uris.size === 0 && this.watched.get(nk) === entry) {
        entry.sub.dispose();
        this.watched.delete(nk);
      }
    });
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const t = this.resolve(uri);
    const connection = await this.connectionFor(t.connection, uri);
    const doc = this.document(uri);
    const dirty = this.openDocument(t.key)?.isDirty ?? false;
    const info = await this.guard(uri, () => doc.stat(connection.client, dirty));
    if (!info) {
      // A save of a document whose node was deleted: let VS Code go on to writeFile, where the
      // user is asked whether to recreate it (VS Code would otherwise try to create "folders").
      const base = doc.baseReport;
      if (base && this.saveInProgress(t.key)) return { type: vscode.FileType.File, ctime: 0, mtime: base.mtime, size: base.size };
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    const reason = this.connectionReason(connection, t.connection) ?? info.readOnlyReason;
    this.setReason(uri, t.key, reason);
    return {
      type: vscode.FileType.File,
      ctime: info.ctime,
      mtime: info.mtime,
      size: info.size,
      permissions: reason ? vscode.FilePermission.Readonly : undefined,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const t = this.resolve(uri);
    const connection = await this.connectionFor(t.connection, uri);
    const doc = this.document(uri);
    const snap = await this.guard(uri, () => doc.read(connection.client));
    const open = this.openDocument(t.key);
    // The base moves only to what the editor will show: a first load, or a clean editor that
    // already shows this content. A reload lands through documentChanged().
    if (!open || (!open.isDirty && open.getText() === contentText(snap.content))) doc.adopt(snap);
    this.setReason(uri, t.key, this.connectionReason(connection, t.connection) ?? snap.readOnlyReason);
    return snap.content;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const t = this.resolve(uri);
    const save = this.saving.get(t.key);
    const interactive = save !== undefined && save.manual && this.now() - save.at <= SAVE_WINDOW_MS;
    try {
      // saveFromEditor has just written exactly these bytes: VS Code is marking the editor saved.
      const written = this.written.get(t.key);
      this.written.delete(t.key);
      if (written && Buffer.from(written).equals(Buffer.from(content))) return;
      const result = await this.runSave(uri, content, { interactive, create: options.create, overwrite: options.overwrite });
      if (result.kind === 'notSaved') throw new vscode.FileSystemError(result.message);
    } finally {
      this.saving.delete(t.key);
    }
  }

  /**
   * A save the user started (Ctrl+S on a zk: editor): the conversation runs before VS Code's save,
   * so a Cancel keeps the editor dirty without an error, and a refusal is said in our own words.
   * Returns whether the editor's text is now on the server.
   */
  async saveFromEditor(document: vscode.TextDocument): Promise<boolean> {
    const t = this.resolve(document.uri);
    if (this.inFlight.has(t.key)) return false; // a second Ctrl+S while the first one asks
    this.inFlight.add(t.key);
    try {
      const content = editorBytes(document, this.existing(document.uri));
      let result: SaveResult;
      try {
        result = await this.runSave(document.uri, content, { interactive: true }, false);
      } catch (e) {
        void vscode.window.showErrorMessage(localized(await quotaAwareMessage(e, this.registry.get(t.connection)?.client)));
        return false;
      }
      if (result.kind === 'notSaved') {
        vscode.window.setStatusBarMessage(`$(circle-slash) ${result.message}`, 8000);
        return false;
      }
      this.written.set(t.key, content);
      const saved = await document.save();
      if (!saved) this.written.delete(t.key);
      return true;
    } finally {
      this.inFlight.delete(t.key);
    }
  }

  /** The save conversation of the domain, with this adapter's questions; errors as FileSystemErrors when `asFsErrors`. */
  private async runSave(uri: vscode.Uri, content: Uint8Array, options: { interactive: boolean; create?: boolean; overwrite?: boolean }, asFsErrors = true): Promise<SaveResult> {
    const t = this.resolve(uri);
    const run = async (): Promise<SaveResult> => {
      const connection = await this.connectionFor(t.connection, uri);
      const refused = this.connectionReason(connection, t.connection);
      if (refused) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Not saved: {0}', refused));
      const doc = this.document(uri);
      const result = await saveDocument(doc, connection.client, content, this.prompts(uri), {
        ...options,
        checkLockOut: (acl) => this.checkLockOut(connection, t.connection, acl),
        t: vscode.l10n.t,
      });
      if (result.kind === 'saved') this.afterSave(uri, doc, result);
      return result;
    };
    if (!asFsErrors) return run();
    return this.guard(uri, run);
  }

  readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const t = this.resolve(uri);
    return this.connectionFor(t.connection, uri).then((c) =>
      this.guard(uri, async () => (await c.client.getChildren(t.path)).children.sort().map((n): [string, vscode.FileType] => [n, vscode.FileType.File])),
    );
  }

  async createDirectory(uri: vscode.Uri): Promise<void> {
    // VS Code creates missing parents when saving to a new path: an empty persistent znode each.
    const t = this.resolve(uri);
    const c = await this.connectionFor(t.connection, uri);
    const refused = this.connectionReason(c, t.connection);
    if (refused) throw vscode.FileSystemError.NoPermissions(refused);
    await this.guard(uri, () => c.client.create(t.path).then(() => undefined));
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('Delete {0} from the ZooKeeper Explorer (it asks before deleting children).', uri.path));
  }

  rename(oldUri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('ZooKeeper has no rename: use Move in the ZooKeeper Explorer for {0}.', oldUri.path));
  }

  // --- internals -------------------------------------------------------------------------------

  private resolve(uri: vscode.Uri): { connection: string; path: string; view: ViewKind; encoding?: string; key: string } {
    let target;
    try {
      target = targetOf(uri);
    } catch (e) {
      throw vscode.FileSystemError.FileNotFound(errorMessage(e));
    }
    const connection = resolveConnectionName(this.registry.configs().map((c) => c.name), target.node.connection) ?? target.node.connection;
    return { connection, path: target.node.path, view: target.view, encoding: target.encoding, key: docKey(connection, target.node.path, target.view, target.encoding) };
  }

  private existing(uri: vscode.Uri): NodeDocument | undefined {
    try {
      return this.docs.get(this.resolve(uri).key);
    } catch {
      return undefined;
    }
  }

  private openDocument(key: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => {
      if (!isZnodeUri(d.uri)) return false;
      try {
        return this.resolve(d.uri).key === key;
      } catch {
        return false;
      }
    });
  }

  private saveInProgress(key: string): boolean {
    const s = this.saving.get(key);
    return s !== undefined && this.now() - s.at <= SAVE_WINDOW_MS;
  }

  private isWatchedUri(connection: string, path: string, key: string): boolean {
    return this.watched.get(nodeKey(connection, path))?.uris.has(key) ?? false;
  }

  /** The connection, opened when needed (once at a time, asking for a password if it has one). */
  async connectionFor(name: string, uri: vscode.Uri = editorUri(name, '/')): Promise<EnsembleConnection> {
    const c = this.registry.get(name);
    if (!c) {
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('No ZooKeeper connection named "{0}" ({1}): add it to zookeeper.connections, or check the name', name, uri.toString(true)));
    }
    if (c.state !== 'idle' && c.state !== 'closed' && c.state !== 'authFailed') return c;
    let p = this.opening.get(name);
    if (!p) {
      p = this.registry.open(name).finally(() => this.opening.delete(name));
      this.opening.set(name, p);
    }
    const opened = await p;
    if (!opened) {
      const status = this.registry.get(name)?.getStatus();
      const detail = status && localizedDetail(status);
      throw vscode.FileSystemError.Unavailable(detail ? vscode.l10n.t('Connection "{0}" is not connected: {1}', name, detail) : vscode.l10n.t('Connection "{0}" is not connected', name));
    }
    return opened;
  }

  private connectionReason(c: EnsembleConnection, name: string): string | undefined {
    if (c.readOnly) return vscode.l10n.t('connection "{0}" is read-only (its "readOnly" setting in zookeeper.connections); clear it to allow changes', name);
    if (c.state === 'readOnlyServer') return vscode.l10n.t('connection "{0}" is on a server without quorum, which only serves reads', name);
    return undefined;
  }

  private setReason(uri: vscode.Uri, key: string, reason: string | undefined): void {
    const had = this.reasons.has(key);
    const before = this.reasons.get(key);
    this.reasons.set(key, reason);
    if (!had || before !== reason) this.events.readOnlyChanged(uri, reason);
  }

  private afterSave(uri: vscode.Uri, doc: NodeDocument, saved: Extract<SaveResult, { kind: 'saved' }>): void {
    const prepared = saved.prepared;
    if (prepared.kind === 'acl' && saved.storedAcl && !sameAcl(saved.storedAcl, prepared.acl)) {
      // The server stored it differently (auth: became the session's identities): show that.
      doc.invalidate();
      setTimeout(() => this.changes.fire([{ type: vscode.FileChangeType.Changed, uri }]), 50);
    }
  }

  private onNodeChange(change: NodeChange): void {
    const w = this.watched.get(nodeKey(change.connection, change.path));
    if (!w) return;
    const type =
      change.kind === 'deleted' ? vscode.FileChangeType.Deleted : change.kind === 'created' ? vscode.FileChangeType.Created : vscode.FileChangeType.Changed;
    const events: vscode.FileChangeEvent[] = [];
    for (const [key, { uri }] of w.uris) {
      events.push({ type, uri });
      if (type === vscode.FileChangeType.Created) events.push({ type: vscode.FileChangeType.Changed, uri });
      const doc = this.docs.get(key);
      const open = this.openDocument(key);
      if (doc && open?.isDirty && change.stat && doc.isNewerThanBase(stateKey(change.stat, doc.view))) {
        this.events.changedWhileDirty(uri, change, doc);
      }
    }
    if (events.length) this.changes.fire(events);
  }

  /** Runs a domain call and turns its errors into FileSystemErrors with the same message. */
  private async guard<T>(uri: vscode.Uri, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toFileSystemError(e, uri);
    }
  }

  private fsGuard<T>(uri: vscode.Uri, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw toFileSystemError(e, uri);
    }
  }
}

/** The bytes VS Code's save would write for a zk: document (UTF-8, with the BOM it was read with). */
function editorBytes(document: vscode.TextDocument, doc: NodeDocument | undefined): Uint8Array {
  const encoding = (document as { encoding?: string }).encoding;
  const bom = encoding !== undefined ? encoding === 'utf8bom' : startsWithBom(doc?.lastRead?.content);
  const text = Buffer.from(document.getText(), 'utf8');
  return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]) : text;
}

function startsWithBom(b: Uint8Array | undefined): boolean {
  return b !== undefined && b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}
