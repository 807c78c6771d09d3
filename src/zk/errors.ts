// Typed errors for everything the domain layer can fail with. Every failure a user can meet reaches
// the UI as a ZkError whose message says what happened and what to do, never as a bare code.
import { displayName } from './displayText';

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

  constructor(code: ZkErrorCode, message: string, details: ZkErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
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

// Paths are the server's: shown with their hidden characters made visible (displayText.ts).
const on = (path?: string) => (path ? ` ${displayName(path)}` : '');

function serverMessage(name: string, code: number, op: string, path: string | undefined, extra: ZkErrorDetails): string {
  switch (name) {
    case 'NONODE':
      return `Node${on(path)} does not exist`;
    case 'NODEEXISTS':
      return `Node${on(path)} already exists`;
    case 'BADVERSION': {
      const versions =
        extra.expectedVersion !== undefined
          ? ` (expected ${extra.expectedVersion}, now ${extra.actualVersion ?? 'deleted'})`
          : '';
      return `Version conflict:${on(path)} was changed by someone else${versions}`;
    }
    case 'NOTEMPTY':
      return `Node${on(path)} has children: delete them first, or delete recursively`;
    case 'NOAUTH':
      return `Not authorized to ${op}${on(path)}: the node's ACL does not grant it to this session's credentials`;
    case 'AUTHFAILED':
      return 'Authentication failed: the server rejected the user name or password';
    case 'SESSIONEXPIRED':
      return 'The ZooKeeper session expired: its ephemeral nodes and watches are gone; a new session is needed';
    case 'CONNECTIONLOSS':
      return `Connection to ZooKeeper lost during ${op}${on(path)}: the request may or may not have been applied`;
    case 'NOCHILDRENFOREPHEMERALS':
      return `Cannot create a child under${on(path)}: ephemeral nodes cannot have children`;
    case 'BADARGUMENTS':
      return `The server rejected the arguments of ${op}${on(path)} (invalid name, path, mode or data)`;
    case 'INVALIDACL':
      return `Invalid ACL for${on(path)}: check each entry's scheme, id and permissions`;
    case 'UNIMPLEMENTED':
      return `The server does not support ${op}: it needs a newer ZooKeeper, or a feature switched on in its config`;
    case 'QUOTAEXCEEDED':
      return `Quota exceeded under${on(path)}: the server enforces a count or size quota here (see listquota)`;
    case 'NOTREADONLY':
      return `The server is in read-only mode: ${op}${on(path)} needs a server with quorum`;
    case 'SESSIONMOVED':
      return `The session moved to another server during ${op}${on(path)}: retry`;
    case 'NOWATCHER':
      return `No watch is registered on${on(path)}`;
    case 'THROTTLEDOP':
      return `The server is overloaded and throttled ${op}${on(path)}: retry later`;
    case 'REQUESTTIMEOUT':
    case 'OPERATIONTIMEOUT':
      return `The server timed out ${op}${on(path)}`;
    case 'EPHEMERALONLOCALSESSION':
      return `Cannot create ephemeral node${on(path)} on a local session`;
    default:
      return `ZooKeeper error ${name} (${code}) during ${op}${on(path)}`;
  }
}
