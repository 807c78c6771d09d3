// Typed errors for everything the domain layer can fail with. Every failure a user can meet reaches
// the UI as a ZkError whose message says what happened and what to do, never as a bare code.
import { displayName } from './displayText';
import { msg, renderMessage, type Message } from './message';

/** ZooKeeper's KeeperException codes (server side), by number (0, OK, is no error). */
export const SERVER_CODES = {
  [-1]: 'SYSTEMERROR',
  [-2]: 'RUNTIMEINCONSISTENCY',
  [-3]: 'DATAINCONSISTENCY',
  [-4]: 'CONNECTIONLOSS',
  [-5]: 'MARSHALLINGERROR',
  [-6]: 'UNIMPLEMENTED',
  [-7]: 'OPERATIONTIMEOUT',
  [-8]: 'BADARGUMENTS',
  [-12]: 'UNKNOWNSESSION',
  [-13]: 'NEWCONFIGNOQUORUM',
  [-14]: 'RECONFIGINPROGRESS',
  [-100]: 'APIERROR',
  [-101]: 'NONODE',
  [-102]: 'NOAUTH',
  [-103]: 'BADVERSION',
  [-108]: 'NOCHILDRENFOREPHEMERALS',
  [-110]: 'NODEEXISTS',
  [-111]: 'NOTEMPTY',
  [-112]: 'SESSIONEXPIRED',
  [-113]: 'INVALIDCALLBACK',
  [-114]: 'INVALIDACL',
  [-115]: 'AUTHFAILED',
  [-118]: 'SESSIONMOVED',
  [-119]: 'NOTREADONLY',
  [-120]: 'EPHEMERALONLOCALSESSION',
  [-121]: 'NOWATCHER',
  [-122]: 'REQUESTTIMEOUT',
  [-123]: 'RECONFIGDISABLED',
  [-124]: 'SESSIONCLOSEDREQUIRESASLAUTH',
  [-125]: 'QUOTAEXCEEDED',
  [-127]: 'THROTTLEDOP',
} as const satisfies Readonly<Record<number, string>>;

/** A code the server sent that we know by name. */
export type ServerErrorCode = (typeof SERVER_CODES)[keyof typeof SERVER_CODES];

/** Codes this client produces itself (no server round trip involved). */
export type ClientErrorCode =
  | 'REQUEST_DEADLINE' // no reply within the request deadline
  | 'CLOSED' // the client was closed
  | 'READ_ONLY_GUARD' // a write on a connection configured read-only
  | 'INVALID_PATH'
  | 'INVALID_ARGUMENT'
  | 'DATA_TOO_LARGE'
  | 'CONNECT_FAILED' // could not reach any server (reason in message)
  | 'PROTOCOL' // the server sent something this client cannot decode
  | 'REPLY_TOO_LARGE'; // a reply over maxReplyBytes, skipped (multiRead): the connection stays up

/** Codes of the domain's own operations (subtrees, ACL edits, imports). */
export type DomainErrorCode =
  | 'CANCELLED' // the user cancelled
  | 'TOO_MANY_NODES' // a subtree larger than the walk's limit
  | 'CONFLICT' // another client kept changing the nodes
  | 'INTERNAL' // a failure that is not a ZkError, wrapped
  | 'INVALID_EXPORT' // a subtree export file that cannot be used
  | 'SUBTREE_GREW' // a subtree changed between confirmation and delete
  | 'EPHEMERAL_OWNED' // ephemeral nodes of another session in the way
  | 'ACL_LOCK_OUT' // an ACL that would lock this session out
  | 'INVALID_FOLDER' // a config-as-code folder with a file that cannot be a node
  | 'FOLDER_NOT_EMPTY'; // a pull into a folder that already holds files

/**
 * Every code a ZkError can carry. Closed: a table keyed by it (`Record<ZkErrorCode, …>`) or a
 * switch ending in `assertNever` stops compiling when a code is added. A server code we do not
 * know is 'UNKNOWN', its number in `serverCode`.
 */
export type ZkErrorCode = ServerErrorCode | ClientErrorCode | DomainErrorCode | 'UNKNOWN';

/** Compile-time exhaustiveness: a switch over ZkErrorCode that reaches this missed a case. */
export function assertNever(x: never): never {
  throw new Error(`Unhandled case: ${String(x)}`);
}

export interface ZkErrorDetails {
  path?: string;
  op?: string;
  /** Numeric server code, when the error came from a server reply. */
  serverCode?: number;
  expectedVersion?: number;
  actualVersion?: number;
  cause?: unknown;
}

export class ZkError extends Error {
  readonly code: ZkErrorCode;
  readonly path?: string;
  readonly op?: string;
  readonly serverCode?: number;
  readonly expectedVersion?: number;
  readonly actualVersion?: number;
  /** The message as template and arguments, for an adapter to translate; `message` stays English (logs, tests). */
  readonly localized?: Message;

  /** `message`: a Message (msg('…', …)) for anything a user reads; a plain string only for internal failures. */
  constructor(code: ZkErrorCode, message: string | Message, details: ZkErrorDetails = {}) {
    super(renderMessage(message), details.cause === undefined ? undefined : { cause: details.cause });
    if (typeof message !== 'string') this.localized = message;
    this.name = 'ZkError';
    this.code = code;
    this.path = details.path;
    this.op = details.op;
    this.serverCode = details.serverCode;
    this.expectedVersion = details.expectedVersion;
    this.actualVersion = details.actualVersion;
  }

  /** Builds the error for a non-zero server reply code, known to us or not. */
  static fromServer(serverCode: number, op: string, path?: string, extra: ZkErrorDetails = {}): ZkError {
    const known: ServerErrorCode | undefined = (SERVER_CODES as Readonly<Record<number, ServerErrorCode>>)[serverCode];
    const message = serverMessage(known ?? `UNKNOWN(${serverCode})`, serverCode, op, path, extra);
    return new ZkError(known ?? 'UNKNOWN', message, { ...extra, serverCode, op, path });
  }
}

export function isZkError(e: unknown, code?: ZkErrorCode): e is ZkError {
  return e instanceof ZkError && (code === undefined || e.code === code);
}

// Paths are the server's: shown with their hidden characters made visible (displayText.ts). A path is
// missing for some operations (multi, reconfig): those get a sentence of their own, not a gap.
function serverMessage(name: string, code: number, op: string, path: string | undefined, extra: ZkErrorDetails): Message {
  const node = path === undefined || path === '' ? undefined : displayName(path);
  switch (name) {
    case 'NONODE':
      return node ? msg('Node {0} does not exist', node) : msg('The node does not exist');
    case 'NODEEXISTS':
      return node ? msg('Node {0} already exists', node) : msg('The node already exists');
    case 'BADVERSION': {
      if (extra.expectedVersion !== undefined) {
        const now = extra.actualVersion ?? msg('deleted');
        return node
          ? msg('Version conflict: {0} was changed by someone else (expected {1}, now {2})', node, extra.expectedVersion, now)
          : msg('Version conflict: the node was changed by someone else (expected {0}, now {1})', extra.expectedVersion, now);
      }
      return node ? msg('Version conflict: {0} was changed by someone else', node) : msg('Version conflict: the node was changed by someone else');
    }
    case 'NOTEMPTY':
      return node ? msg('Node {0} has children: delete them first, or delete recursively', node) : msg('The node has children: delete them first, or delete recursively');
    case 'NOAUTH':
      return node
        ? msg("Not authorized to {0} {1}: the node's ACL does not grant it to this session's credentials", op, node)
        : msg("Not authorized to {0}: the node's ACL does not grant it to this session's credentials", op);
    case 'AUTHFAILED':
      return msg('Authentication failed: the server rejected the user name or password');
    case 'SESSIONEXPIRED':
      return msg('The ZooKeeper session expired: its ephemeral nodes and watches are gone; a new session is needed');
    case 'CONNECTIONLOSS':
      return node
        ? msg('Connection to ZooKeeper lost during {0} {1}: the request may or may not have been applied', op, node)
        : msg('Connection to ZooKeeper lost during {0}: the request may or may not have been applied', op);
    case 'NOCHILDRENFOREPHEMERALS':
      return node ? msg('Cannot create a child under {0}: ephemeral nodes cannot have children', node) : msg('Cannot create a child under an ephemeral node: ephemeral nodes cannot have children');
    case 'BADARGUMENTS':
      return node
        ? msg('The server rejected the arguments of {0} {1} (invalid name, path, mode or data)', op, node)
        : msg('The server rejected the arguments of {0} (invalid name, path, mode or data)', op);
    case 'INVALIDACL':
      return node ? msg("Invalid ACL for {0}: check each entry's scheme, id and permissions", node) : msg("Invalid ACL: check each entry's scheme, id and permissions");
    case 'UNIMPLEMENTED':
      return msg('The server does not support {0}: it needs a newer ZooKeeper, or a feature switched on in its config', op);
    case 'QUOTAEXCEEDED':
      return node
        ? msg('Quota exceeded under {0}: the server enforces a count or size quota here (see listquota)', node)
        : msg('Quota exceeded: the server enforces a count or size quota here (see listquota)');
    case 'NOTREADONLY':
      return node ? msg('The server is in read-only mode: {0} {1} needs a server with quorum', op, node) : msg('The server is in read-only mode: {0} needs a server with quorum', op);
    case 'SESSIONMOVED':
      return node ? msg('The session moved to another server during {0} {1}: retry', op, node) : msg('The session moved to another server during {0}: retry', op);
    case 'NOWATCHER':
      return node ? msg('No watch is registered on {0}', node) : msg('No watch is registered');
    case 'THROTTLEDOP':
      return node ? msg('The server is overloaded and throttled {0} {1}: retry later', op, node) : msg('The server is overloaded and throttled {0}: retry later', op);
    case 'REQUESTTIMEOUT':
    case 'OPERATIONTIMEOUT':
      return node ? msg('The server timed out {0} {1}', op, node) : msg('The server timed out {0}', op);
    case 'EPHEMERALONLOCALSESSION':
      return node ? msg('Cannot create ephemeral node {0} on a local session', node) : msg('Cannot create an ephemeral node on a local session');
    default:
      return node ? msg('ZooKeeper error {0} ({1}) during {2} {3}', name, code, op, node) : msg('ZooKeeper error {0} ({1}) during {2}', name, code, op);
  }
}
