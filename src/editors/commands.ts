// Commands around znode documents. Each takes a tree row `{ connectionName, path }`, a zk: Uri or
// URI string, or nothing (then the active zk: editor, or the user is asked).
import * as vscode from 'vscode';
import { showMarkdownReport } from '../ui/markdownReport';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { PERMS } from '../zk/acl';
import { KNOWN_SCHEMES, PERM_NAMES, SCHEME_HELP, describePerms, digestFromUserPassword, formatEntry, idProblemMessage, parseAclEntry } from '../zk/aclEdit';
import type { ViewKind } from '../zk/nodeDocument';
import { displayName } from '../zk/displayText';
import { pathProblem } from '../zk/paths';
import { TEXT_ENCODINGS } from '../zk/textEncodings';
import { ZnodeUri } from '../zk/znodeUri';
import { COMMANDS, VSCODE_COMMANDS, type CommandId } from '../ui/commandIds';
import { isZnodeUri, nodeFor as resolveNode, askNode, znodeUriProblem } from '../ui/nodeArgs';
import { errorMessage, registerCommand } from '../ui/registerCommand';
import { editorUri, nodeOfArg, targetOf } from '../ui/znodeUris';
import type { ZnodeFileSystemProvider } from './znodeFileSystemProvider';
import { askZnodeUriText, EMPTY_URI } from './znodeUriInput';
import { localized } from '../ui/localized';
import { messageOfError } from '../zk/message';

export const DETAILS_SCHEME = 'zk-details';

export interface CommandDeps {
  registry: ConnectionRegistry;
  provider: ZnodeFileSystemProvider;
}

export function registerEditorCommands(context: vscode.ExtensionContext, deps: CommandDeps): void {
  const { registry, provider } = deps;
  const announced = new Set<string>();

  const reg = (id: CommandId, fn: (arg?: unknown) => Promise<unknown>) => registerCommand(context, id, fn);

  /** The node a command is about: its argument, the active zk: editor, or asked. */
  const nodeFor = (arg: unknown, title: string): Promise<ZnodeUri | undefined> => resolveNode(registry, arg, title);

  const open = async (node: ZnodeUri, view: ViewKind, encoding?: string): Promise<void> => {
    const uri = editorUri(node.connection, node.path, view, encoding);
    // Ask the provider first: its errors say what is wrong (no such node, not connected, ...).
    await provider.stat(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: view === 'text' });
    const reason = provider.readOnlyReason(uri);
    if (reason && !announced.has(uri.toString())) {
      announced.add(uri.toString());
      void explainReadOnly(uri, reason, provider.isDump(uri));
    }
  };

  reg(COMMANDS.openZnode, async (arg) => {
    const node = nodeOfArg(arg) ?? (await askNode(registry, vscode.l10n.t('Open Znode')));
    if (node) await open(node, 'text');
  });

  reg(COMMANDS.openAsText, async (arg) => {
    const node = await nodeFor(arg, 'Open as Text');
    if (node) await open(node, 'text');
  });

  reg(COMMANDS.openZnodeUri, async () => {
    const text = await askZnodeUriText({ createInputBox: () => vscode.window.createInputBox(), readClipboard: () => vscode.env.clipboard.readText() }, znodeUriProblem);
    if (!text || text.trim() === EMPTY_URI) return;
    const node = ZnodeUri.parse(text);
    if (!registry.get(node.connection) && !registry.configs().some((c) => c.name.toLowerCase() === node.connection.toLowerCase())) {
      throw new Error(vscode.l10n.t('No connection named "{0}": the URI\'s first part must be the name of a connection in zookeeper.connections', node.connection));
    }
    await open(node, 'text');
  });

  reg(COMMANDS.editAsBase64, async (arg) => {
    const node = await nodeFor(arg, 'Edit as Base64');
    if (node) await open(node, 'base64');
  });

  reg(COMMANDS.editAsHex, async (arg) => {
    const node = await nodeFor(arg, 'Edit as Hex');
    if (node) await open(node, 'hex');
  });

  reg(COMMANDS.reopenWithEncoding, async (arg) => {
    const node = await nodeFor(arg, 'Reopen with Encoding');
    if (!node) return;
    const items: (vscode.QuickPickItem & { id?: string })[] = [
      { label: vscode.l10n.t('UTF-8'), description: vscode.l10n.t('the default (gzip data is shown decompressed)'), id: undefined },
      ...TEXT_ENCODINGS.map((e) => ({ label: e.label, description: e.id, detail: e.readOnlyReason ? vscode.l10n.t('opens read-only: no encoder for it here') : undefined, id: e.id })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Reopen {0} with Encoding', node.path), placeHolder: vscode.l10n.t('The encoding the data is stored in'), matchOnDescription: true });
    if (!pick) return;
    const old = vscode.window.activeTextEditor?.document;
    const uri = editorUri(node.connection, node.path, 'text', pick.id);
    await open(node, 'text', pick.id);
    // Like VS Code's own Reopen with Encoding: the new view replaces an unmodified one of the same node.
    if (old && isZnodeUri(old.uri) && old.uri.toString() !== uri.toString() && !old.isDirty) {
      const t = targetOf(old.uri);
      if (t.view === 'text' && t.node.connection === node.connection && t.node.path === node.path) {
        const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((x) => x.input instanceof vscode.TabInputText && x.input.uri.toString() === old.uri.toString());
        if (tabs.length) await vscode.window.tabGroups.close(tabs);
      }
    }
  });

  reg(COMMANDS.editAcl, async (arg) => {
    const node = await nodeFor(arg, 'Edit ACL');
    if (node) await open(node, 'acl');
  });

  reg(COMMANDS.explainReadOnly, async (arg) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) return;
    const reason = provider.readOnlyReason(uri);
    await explainReadOnly(uri, reason ?? vscode.l10n.t('it is not read-only'), provider.isDump(uri));
  });

  reg(COMMANDS.showNodeDetails, async (arg) => {
    const node = await nodeFor(arg, 'Show Node Details');
    if (!node) return;
    const uri = vscode.Uri.from({ scheme: DETAILS_SCHEME, authority: node.connection, path: node.path, query: `at=${Date.now()}` });
    await showMarkdownReport(uri);
  });

  reg(COMMANDS.compareWith, async (arg) => {
    const first = await nodeFor(arg, 'Compare With… (first node)');
    if (!first) return;
    const connection = await pickConnectionFirst(registry, first.connection, `Compare ${first.path} on "${first.connection}" with a node on…`);
    if (!connection) return;
    const path = await vscode.window.showInputBox({
      title: vscode.l10n.t('Compare {0} on "{1}" with…', first.path, first.connection),
      prompt: vscode.l10n.t('A path on "{0}"', connection),
      value: first.path,
      validateInput: (v) => localized(pathProblem(v.trim())),
    });
    if (!path) return;
    const second = new ZnodeUri(connection, path.trim());
    const left = editorUri(first.connection, first.path);
    const right = editorUri(second.connection, second.path);
    await provider.stat(left);
    await provider.stat(right);
    const label = (n: ZnodeUri) => displayName(first.connection === second.connection ? n.path : `${n.connection}:${n.path}`);
    await vscode.commands.executeCommand(VSCODE_COMMANDS.diff, left, right, `${label(first)} ↔ ${label(second)}`);
  });

  reg(COMMANDS.addAclEntry, async (arg) => {
    const editor = aclEditor(arg);
    // The connection's SASL user is the likely sasl: id (the one its session authenticates as).
    const auth = registry.config(targetOf(editor.document.uri).node.connection)?.auth;
    const entry = await askAclEntry(auth?.scheme === 'sasl' ? auth.user : undefined);
    if (!entry) return;
    const doc = editor.document;
    const end = doc.lineAt(doc.lineCount - 1);
    const prefix = end.text === '' ? '' : '\n';
    await editor.edit((b) => b.insert(end.range.end, `${prefix}${entry}\n`));
  });

  reg(COMMANDS.removeAclEntry, async (arg) => {
    const editor = aclEditor(arg);
    const doc = editor.document;
    const items: (vscode.QuickPickItem & { line: number })[] = [];
    for (let i = 0; i < doc.lineCount; i++) {
      const text = doc.lineAt(i).text.trim();
      if (text === '' || text.startsWith('#')) continue;
      let description: string | undefined;
      try {
        const a = parseAclEntry(text);
        description = describePerms(a.perms, vscode.l10n.t);
      } catch (e) {
        description = localized(messageOfError(e));
      }
      items.push({ label: text, description, line: i });
    }
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Remove ACL Entries'), canPickMany: true, placeHolder: vscode.l10n.t('The entries to remove (save to apply)') });
    if (!picked?.length) return;
    await editor.edit((b) => {
      for (const p of picked) b.delete(doc.lineAt(p.line).rangeIncludingLineBreak);
    });
  });
}

/** Picks a connection, offering `current` first (cross-ensemble comparisons pick another one). */
async function pickConnectionFirst(registry: ConnectionRegistry, current: string, title: string): Promise<string | undefined> {
  const names = registry.configs().map((c) => c.name);
  if (names.length <= 1) return current;
  const items = [current, ...names.filter((n) => n !== current)].map((n) => ({
    label: n,
    description: n === current ? vscode.l10n.t('the same connection') : registry.get(n)?.connectString,
  }));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Connection of the other node') }))?.label;
}

function aclEditor(arg: unknown): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  const uri = arg instanceof vscode.Uri ? arg : editor?.document.uri;
  if (!editor || !uri || editor.document.uri.toString() !== uri.toString() || !isZnodeUri(uri) || targetOf(uri).view !== 'acl') {
    throw new Error(vscode.l10n.t('Open an ACL first (ZooKeeper: Edit ACL), then add or remove entries in it'));
  }
  return editor;
}

/** A guided ACL entry: scheme, id (digest made from user:password), permissions as checkboxes. */
async function askAclEntry(saslUser?: string): Promise<string | undefined> {
  type SchemeItem = vscode.QuickPickItem & { scheme: string; hashed?: boolean };
  const schemeItems: SchemeItem[] = KNOWN_SCHEMES.flatMap((s): SchemeItem[] => {
    const h = SCHEME_HELP[s];
    if (s === 'digest') {
      return [
        { label: vscode.l10n.t('digest'), description: vscode.l10n.t('from user:password'), detail: vscode.l10n.t('The hash is computed here; the password is not stored anywhere.'), scheme: s },
        { label: vscode.l10n.t('digest'), description: vscode.l10n.t('user:hash (already hashed)'), detail: vscode.l10n.t(h.about), scheme: s, hashed: true },
      ];
    }
    return [{ label: s, description: vscode.l10n.t(h.about), scheme: s }];
  });
  const scheme = await vscode.window.showQuickPick(schemeItems, { title: vscode.l10n.t('Add ACL Entry (1/3): scheme') });
  if (!scheme) return undefined;
  let id: string;
  if (scheme.scheme === 'world') id = 'anyone';
  else if (scheme.scheme === 'auth') id = '';
  else if (scheme.scheme === 'digest' && !scheme.hashed) {
    const up = await vscode.window.showInputBox({
      title: vscode.l10n.t('Add ACL Entry (2/3): digest user and password'),
      prompt: vscode.l10n.t('user:password; the entry stores user:base64(sha1(user:password))'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          digestFromUserPassword(v);
          return undefined;
        } catch (e) {
          return errorMessage(e);
        }
      },
    });
    if (up === undefined) return undefined;
    id = digestFromUserPassword(up);
  } else {
    const h = SCHEME_HELP[scheme.scheme as keyof typeof SCHEME_HELP];
    const v = await vscode.window.showInputBox({
      title: vscode.l10n.t('Add ACL Entry (2/3): {0} id', scheme.scheme),
      prompt: vscode.l10n.t('{0}, e.g. {1}', vscode.l10n.t(h.id), h.example.split(':').slice(1, -1).join(':')),
      value: scheme.scheme === 'sasl' ? saslUser : undefined,
      ignoreFocusOut: true,
      validateInput: (x) => localized(idProblemMessage(scheme.scheme, x.trim())),
    });
    if (v === undefined) return undefined;
    id = v.trim();
  }
  const perms = await vscode.window.showQuickPick(
    PERM_NAMES.map((p) => ({ label: vscode.l10n.t(p.name), description: p.flag, bit: p.bit, picked: p.bit === PERMS.READ })),
    { title: vscode.l10n.t('Add ACL Entry (3/3): permissions of {0}:{1}', scheme.scheme, scheme.scheme === 'digest' ? id.split(':')[0] : id), canPickMany: true },
  );
  if (!perms?.length) return undefined;
  return formatEntry(scheme.scheme, id, perms.reduce((m, p) => m | p.bit, 0));
}

async function explainReadOnly(uri: vscode.Uri, reason: string, dump: boolean): Promise<void> {
  const t = targetOf(uri);
  const reopen = vscode.l10n.t('Reopen with Encoding…');
  const base64 = vscode.l10n.t('Edit as Base64');
  const hex = vscode.l10n.t('Edit as Hex');
  const actions = dump ? [reopen, base64, hex] : [];
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('{0} on "{1}" is open read-only: {2}.', t.node.path, t.node.connection, reason), ...actions);
  const arg = { connectionName: t.node.connection, path: t.node.path };
  if (choice === reopen) await vscode.commands.executeCommand(COMMANDS.reopenWithEncoding, arg);
  if (choice === base64) await vscode.commands.executeCommand(COMMANDS.editAsBase64, arg);
  if (choice === hex) await vscode.commands.executeCommand(COMMANDS.editAsHex, arg);
}
