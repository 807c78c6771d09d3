// The zk: URIs of editors: zk://<connection>/<path> for the node's data (text, or a read-only hex
// dump when the bytes are not text), with ?view=base64, ?view=hex or ?view=acl for the other
// views, and ?encoding=<name> for text in another encoding than UTF-8 (see textEncodings.ts). All
// parsing goes through ZnodeUri; vscode.Uri keeps the parts decoded.
// VS Code titles a tab with the URI's last path segment, shown as it is: a name with U+202E would
// reverse the title, one with a zero-width space would look like another. So the path of an editor
// URI is the path as the extension shows it (displayName per segment), and when that differs from
// the node's exact path, the exact path travels in ?path=. A URI with no ?path= names the node its
// path spells (links saved before, "Open Znode URI…"), as always.
import * as vscode from 'vscode';
import { VIEW_KINDS, type ViewKind } from '../zk/nodeDocument';
import { TEXT_ENCODINGS, textEncoding } from '../zk/textEncodings';
import { displayName } from '../zk/displayText';
import { ZNODE_SCHEME, ZnodeUri } from '../zk/znodeUri';

export interface EditorTarget {
  node: ZnodeUri;
  view: ViewKind;
  /** Text view only: the encoding the data is decoded with (undefined: UTF-8, or gzip). */
  encoding?: string;
  /** Identifies the document: connection, path, view and encoding (exact case, unlike Uri.toString()). */
  key: string;
}

export function targetOf(uri: vscode.Uri): EditorTarget {
  if (uri.scheme !== ZNODE_SCHEME) throw new Error(vscode.l10n.t('{0} is not a zk: URI', uri.toString(true)));
  const node = nodeOfUri(uri);
  const view = viewOf(uri.query);
  const encoding = encodingOf(uri.query, view);
  return { node, view, encoding, key: docKey(node.connection, node.path, view, encoding) };
}

/** The encoding a zk: URI asks for; only known encodings, and only for the text view. */
export function encodingOf(query: string, view: ViewKind): string | undefined {
  const e = query ? new URLSearchParams(query).get('encoding') : null;
  if (e === null || e === '') return undefined;
  if (view !== 'text') throw new Error(vscode.l10n.t('An encoding applies only to the text view of a znode, not to ?view={0}', view));
  if (!textEncoding(e)) throw new Error(vscode.l10n.t('Unknown encoding "{0}" in a zk: URI: use one of {1}', e, TEXT_ENCODINGS.map((x) => x.id).join(', ')));
  return e;
}

/** The node a zk: URI names: its ?path= when it has one (checked against the path it shows), or its path. */
function nodeOfUri(uri: { authority: string; path: string; query: string }): ZnodeUri {
  const exact = uri.query ? new URLSearchParams(uri.query).get('path') : null;
  if (exact === null) return ZnodeUri.fromParts(uri.authority, uri.path);
  const node = ZnodeUri.fromParts(uri.authority, exact);
  // A tab must show the node it edits: a ?path= that its title does not show is refused.
  if (shownPath(node.path) !== uri.path) throw new Error(vscode.l10n.t('A zk: URI whose path {0} does not show the node in its ?path= ({1})', JSON.stringify(displayName(uri.path)), displayName(node.path)));
  return node;
}

/** A znode path as editors show it: every name as displayName writes it (hidden characters as escapes). */
export function shownPath(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment === '' ? segment : displayName(segment)))
    .join('/');
}

export function viewOf(query: string): ViewKind {
  if (!query) return 'text';
  const v = new URLSearchParams(query).get('view');
  if (v === null || v === '' || v === 'text') return 'text';
  if ((VIEW_KINDS as readonly string[]).includes(v)) return v as ViewKind;
  throw new Error(vscode.l10n.t('Unknown view "{0}" in a zk: URI: use {1}', v, VIEW_KINDS.join(', ')));
}

export function docKey(connection: string, path: string, view: ViewKind, encoding?: string): string {
  return `${connection}\u0000${path}\u0000${view}${encoding ? `\u0000${encoding}` : ''}`;
}

export function nodeKey(connection: string, path: string): string {
  return `${connection}\u0000${path}`;
}

/** The editor URI of a node in a view. */
export function editorUri(connection: string, path: string, view: ViewKind = 'text', encoding?: string): vscode.Uri {
  // Validate through the one parser, then build from decoded parts (no double encoding).
  const node = ZnodeUri.fromParts(connection, path);
  const params = [view !== 'text' ? `view=${view}` : encoding ? `encoding=${encodeURIComponent(encoding)}` : ''];
  const shown = shownPath(node.path);
  if (shown !== node.path) params.push(`path=${encodeURIComponent(node.path)}`);
  return vscode.Uri.from({ scheme: ZNODE_SCHEME, authority: node.connection, path: shown, query: params.filter(Boolean).join('&') });
}

/** A command argument as a node: a tree row `{ connectionName, path }`, a zk: Uri or URI string. */
export function nodeOfArg(arg: unknown): ZnodeUri | undefined {
  if (!arg) return undefined;
  if (arg instanceof vscode.Uri) return arg.scheme === ZNODE_SCHEME ? targetOf(arg).node : undefined;
  if (typeof arg === 'string') return ZnodeUri.parse(arg);
  if (typeof arg === 'object') {
    const a = arg as { connectionName?: unknown; path?: unknown; resourceUri?: unknown; scheme?: unknown; authority?: unknown };
    if (typeof a.connectionName === 'string') return ZnodeUri.fromParts(a.connectionName, typeof a.path === 'string' ? a.path : '/');
    if (a.resourceUri instanceof vscode.Uri) return nodeOfArg(a.resourceUri);
    // A Uri that crossed a process boundary as plain components.
    if (a.scheme === ZNODE_SCHEME && typeof a.authority === 'string' && typeof a.path === 'string') {
      const query = (a as { query?: unknown }).query;
      return nodeOfUri({ authority: a.authority, path: a.path, query: typeof query === 'string' ? query : '' });
    }
  }
  return undefined;
}

/**
 * The configured connection a URI names. VS Code lowercases the authority when a URI goes through
 * a string (Uri.toString), so a name that differs only in case still finds its connection when
 * that is unambiguous.
 */
export function resolveConnectionName(names: readonly string[], wanted: string): string | undefined {
  if (names.includes(wanted)) return wanted;
  const folded = names.filter((n) => n.toLowerCase() === wanted.toLowerCase());
  return folded.length === 1 ? folded[0] : undefined;
}
