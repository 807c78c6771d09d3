// The small pieces of UI around zk: documents:
// - ChangeMarks: a badge on a modified document whose node changed on the server meanwhile;
// - ReadOnlyStatus: a status bar entry that says why the active document is read-only (or that it
//   is a base64/hex view of the bytes), and the `zookeeper.editorView` context key for menus;
// - LanguageTracker: the language from the node name and content on first open, and the user's
//   own choice, remembered per node.
import * as vscode from 'vscode';
import { detectLanguage } from '../zk/codecs';
import { baseName } from '../zk/paths';
import { isZnodeUri } from '../ui/nodeArgs';
import { nodeKey, targetOf } from '../ui/znodeUris';
import type { ZnodeFileSystemProvider } from './znodeFileSystemProvider';

export class ChangeMarks implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly marks = new Map<string, vscode.FileDecoration>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.emitter.event;

  mark(uri: vscode.Uri, tooltip: string): void {
    const d = new vscode.FileDecoration('!', tooltip, new vscode.ThemeColor('list.warningForeground'));
    this.marks.set(uri.toString(), d);
    this.emitter.fire([uri]);
  }

  clear(uri: vscode.Uri): void {
    if (this.marks.delete(uri.toString())) this.emitter.fire([uri]);
  }

  has(uri: vscode.Uri): boolean {
    return this.marks.has(uri.toString());
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    return this.marks.get(uri.toString());
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/**
 * A status bar entry for the active document whose node changed on the server while it has unsaved
 * changes: the quiet form of that news (a notification would pile up next to the conflict prompt).
 */
export class ServerChangeStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('zookeeper.serverChange', vscode.StatusBarAlignment.Right, 101);
  private readonly texts = new Map<string, string>();

  constructor() {
    this.item.name = 'ZooKeeper: changed on the server';
  }

  show(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.update();
  }

  dismiss(uri: vscode.Uri): void {
    if (this.texts.delete(uri.toString())) this.update();
  }

  textOf(uri: vscode.Uri): string | undefined {
    return this.texts.get(uri.toString());
  }

  update(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const text = uri && this.texts.get(uri.toString());
    if (!uri || !text) {
      this.item.hide();
      return;
    }
    this.item.text = vscode.l10n.t('$(warning) Changed on server');
    this.item.tooltip = new vscode.MarkdownString().appendText(vscode.l10n.t('{0} Click to compare or revert.', text));
    this.item.command = { command: 'zookeeper.serverChangeActions', title: vscode.l10n.t('Compare or revert'), arguments: [uri] };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

export class ReadOnlyStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('zookeeper.editorStatus', vscode.StatusBarAlignment.Right, 100);

  constructor(private readonly provider: ZnodeFileSystemProvider) {
    this.item.name = 'ZooKeeper document';
  }

  update(): void {
    const editor = vscode.window.activeTextEditor;
    const uri = editor?.document.uri;
    let view: string | undefined;
    if (isZnodeUri(uri)) {
      try {
        const t = targetOf(uri);
        const reason = this.provider.readOnlyReason(uri);
        view = t.view === 'text' && this.provider.isDump(uri) ? 'binary' : t.view;
        if (reason) {
          this.item.text = vscode.l10n.t('$(lock) Read-only');
          this.item.tooltip = new vscode.MarkdownString().appendText(vscode.l10n.t('{0} is read-only: {1}.', t.node.path, reason));
          this.item.command = { command: 'zookeeper.explainReadOnly', title: vscode.l10n.t('Why read-only?'), arguments: [uri] };
          this.item.show();
        } else if (this.provider.shownAs(uri)) {
          const how = this.provider.shownAs(uri)!;
          this.item.text = how.encoding ? `$(symbol-text) ${how.encoding}` : vscode.l10n.t('$(file-zip) gzip');
          this.item.tooltip = new vscode.MarkdownString().appendText(
            how.encoding
              ? vscode.l10n.t('{0} is stored as {1} text: it is shown decoded, and saving encodes it back (a character {2} cannot hold is refused). Click to reopen with another encoding.', t.node.path, how.encoding, how.encoding)
              : vscode.l10n.t('{0} is stored gzip-compressed: it is shown decompressed, and saving compresses it again (checked to decompress to exactly your text). Click to reopen with an encoding.', t.node.path),
          );
          this.item.command = { command: 'zookeeper.reopenWithEncoding', title: vscode.l10n.t('Reopen with Encoding…'), arguments: [uri] };
          this.item.show();
        } else if (t.view === 'base64' || t.view === 'hex') {
          this.item.text = `$(file-binary) ${t.view === 'base64' ? 'Base64' : 'Hex'}`;
          this.item.tooltip = new vscode.MarkdownString().appendText(
            vscode.l10n.t('Editing the bytes of {0} as {1}: saving writes exactly the bytes this text decodes to, and refuses text that does not decode. Click to open it as text (or as a read-only dump) again.', t.node.path, t.view),
          );
          this.item.command = { command: 'zookeeper.openZnode', title: vscode.l10n.t('Open as Text'), arguments: [{ connectionName: t.node.connection, path: t.node.path }] };
          this.item.show();
        } else this.item.hide();
      } catch {
        this.item.hide();
      }
    } else this.item.hide();
    void vscode.commands.executeCommand('setContext', 'zookeeper.editorView', view ?? '');
  }

  dispose(): void {
    this.item.dispose();
  }
}

const LANGUAGE_STATE_KEY = 'zookeeper.documentLanguages';

export class LanguageTracker {
  /** Languages we set ourselves (so that the resulting close/open is not taken as the user's choice). */
  private readonly expected = new Map<string, string>();
  /** The language each open zk: text document has. */
  private readonly known = new Map<string, string>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly provider: ZnodeFileSystemProvider,
  ) {}

  /** The language remembered for a node, if the user chose one. */
  remembered(connection: string, path: string): string | undefined {
    return this.state.get<Record<string, string>>(LANGUAGE_STATE_KEY, {})[nodeKey(connection, path)];
  }

  async opened(doc: vscode.TextDocument): Promise<void> {
    const t = this.textTarget(doc.uri);
    if (!t) return;
    const uk = doc.uri.toString();
    const previous = this.known.get(uk);
    const expected = this.expected.get(uk);
    this.known.set(uk, doc.languageId);
    if (expected !== undefined) {
      this.expected.delete(uk);
      if (expected === doc.languageId) return;
    }
    const dump = this.provider.isDump(doc.uri);
    if (previous !== undefined) {
      // The same document again with another language: the user changed it. Remember per node.
      if (previous !== doc.languageId && !dump) {
        const all = { ...this.state.get<Record<string, string>>(LANGUAGE_STATE_KEY, {}) };
        all[nodeKey(t.connection, t.path)] = doc.languageId;
        await this.state.update(LANGUAGE_STATE_KEY, all);
      }
      return;
    }
    const desired = dump ? 'plaintext' : (this.remembered(t.connection, t.path) ?? detectLanguage(baseName(t.path), doc.getText()));
    if (desired === doc.languageId) return;
    this.expected.set(uk, desired);
    try {
      await vscode.languages.setTextDocumentLanguage(doc, desired);
    } catch {
      this.expected.delete(uk); // a language VS Code does not know here
    }
  }

  closed(doc: vscode.TextDocument): void {
    const uk = doc.uri.toString();
    // A language change closes and reopens the document at once: forget only real closes.
    setTimeout(() => {
      if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uk)) this.known.delete(uk);
    }, 1000);
  }

  private textTarget(uri: vscode.Uri): { connection: string; path: string } | undefined {
    if (!isZnodeUri(uri)) return undefined;
    try {
      const t = targetOf(uri);
      return t.view === 'text' ? { connection: t.node.connection, path: t.node.path } : undefined;
    } catch {
      return undefined;
    }
  }
}
