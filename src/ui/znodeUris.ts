// The zk: URIs of editors: zk://<connection>/<path> for the node's data (text, or a read-only hex
// dump when the bytes are not text), with ?view=base64, ?view=hex or ?view=acl for the other
// views, and ?encoding=<name> for text in another encoding than UTF-8 (see textEncodings.ts). All
// parsing goes through ZnodeUri; vscode.Uri keeps the parts decoded.
import * as vscode from 'vscode';
import { VIEW_KINDS, type ViewKind } from '../zk/nodeDocument';
import { TEXT_ENCODINGS, textEncoding } from '../zk/textEncodings';
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
  if (uri.scheme !== ZNODE_SCHEME) throw new Error(`${uri.toString(true)} is not a zk: URI`);
  const node = ZnodeUri.fromParts(uri.authority, uri.path);
  const view = viewOf(uri.query);
  const encoding = encodingOf(uri.query, view);
  return { node, view, encoding, key: docKey(node.connection, node.path, view, encoding) };
}

/** The encoding a zk: URI asks for; only known encodings, and only for the text view. */
export function encodingOf(query: string, view: ViewKind): string | undefined {
  const e = query ? new URLSearchParams(query).get('encoding') : null;
  if (e === null || e === '') return undefined;
  if (view !== 'text') throw new Error(`An encoding applies only to the text view of a znode, not to ?view=${view}`);
  if (!textEncoding(e)) throw new Error(`Unknown encoding "${e}" in a zk: URI: use one of ${TEXT_ENCODINGS.map((x) => x.id).join(', ')}`);
  return e;
}

export function viewOf(query: string): ViewKind {
  if (!query) return 'text';
  const v = new URLSearchParams(query).get('view');
  if (v === null || v === '' || v === 'text') return 'text';
  if ((VIEW_KINDS as readonly string[]).includes(v)) return v as ViewKind;
  throw new Error(`Unknown view "${v}" in a zk: URI: use ${VIEW_KINDS.join(', ')}`);
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
  const query = view !== 'text' ? `view=${view}` : encoding ? `encoding=${encodeURIComponent(encoding)}` : '';
  return vscode.Uri.from({ scheme: ZNODE_SCHEME, authority: node.connection, path: node.path, query });
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
    if (a.scheme === ZNODE_SCHEME && typeof a.authority === 'string' && typeof a.path === 'string') return ZnodeUri.fromParts(a.authority, a.path);
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
