// Which znode a command is about: its argument (a tree row `{ connectionName, path }`, a zk: Uri or
// URI string, see znodeUris.ts), the active zk: editor, or asked for.
import * as vscode from 'vscode';
import { pathProblem } from '../zk/paths';
import { ZNODE_SCHEME, ZnodeUri } from '../zk/znodeUri';
import { pickConnection, type ConnectionDirectory } from './connectionArgs';
import { nodeOfArg, targetOf } from './znodeUris';
import { localized } from './localized';
import { messageOfError } from '../zk/message';

/** Whether a document or editor URI is one of ours (zk://<connection>/<path>). */
export function isZnodeUri(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return uri?.scheme === ZNODE_SCHEME;
}

/** The node of the active zk: editor, if any. */
export function activeNode(): ZnodeUri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  if (!isZnodeUri(uri)) return undefined;
  try {
    return targetOf(uri).node;
  } catch {
    return undefined;
  }
}

/** What is wrong with a typed zk:// URI, as a validation message (nothing while it is still empty). */
export function znodeUriProblem(v: string): string | undefined {
  if (v.trim() === '' || v.trim() === `${ZNODE_SCHEME}://`) return undefined;
  try {
    ZnodeUri.parse(v);
    return undefined;
  } catch (e) {
    return localized(messageOfError(e));
  }
}

/** Asks for a zk:// URI, or a path and then its connection. */
export async function askNode(registry: ConnectionDirectory, title: string): Promise<ZnodeUri | undefined> {
  const isUri = (v: string) => /^zk:\/\//i.test(v.trim());
  const text = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('A znode path (the connection is chosen next), or a whole zk://<connection>/<path> URI'),
    value: '/',
    validateInput: (v) => (isUri(v) ? znodeUriProblem(v) : localized(pathProblem(v.trim()))),
    ignoreFocusOut: true,
  });
  if (!text) return undefined;
  if (isUri(text)) return ZnodeUri.parse(text);
  const name = await pickConnection(registry, undefined, title);
  return name ? new ZnodeUri(name, text.trim()) : undefined;
}

/** The node a command is about: its argument, the active zk: editor, or asked. */
export async function nodeFor(registry: ConnectionDirectory, arg: unknown, title: string): Promise<ZnodeUri | undefined> {
  return nodeOfArg(arg) ?? activeNode() ?? (await askNode(registry, title));
}
