// The short reason of a failure, for places narrower than its message (a tree row in a normal side
// bar): "not authorized" first, the full message (path, what to do) goes in the tooltip. English,
// marked for the l10n bundle: the adapter shows a reason through vscode.l10n.t.
import { isZkError, type ZkErrorCode } from './errors';
import { localizable } from './localize';

// Every code is listed (undefined: no short form), so a new code must be decided on here.
const SHORT: Readonly<Record<ZkErrorCode, string | undefined>> = {
  NOAUTH: localizable('not authorized'),
  AUTHFAILED: localizable('authentication failed'),
  NONODE: localizable('node does not exist'),
  SESSIONEXPIRED: localizable('session expired'),
  CONNECTIONLOSS: localizable('connection lost'),
  SESSIONMOVED: localizable('session moved'),
  REQUEST_DEADLINE: localizable('no answer in time'),
  REQUESTTIMEOUT: localizable('server timed out'),
  OPERATIONTIMEOUT: localizable('server timed out'),
  THROTTLEDOP: localizable('server overloaded'),
  NOTREADONLY: localizable('server is read-only'),
  UNIMPLEMENTED: localizable('not supported by the server'),
  CLOSED: localizable('not connected'),
  CONNECT_FAILED: localizable('cannot connect'),
  PROTOCOL: localizable('bad reply from the server'),
  REPLY_TOO_LARGE: localizable('reply too large'),
  INVALID_PATH: localizable('invalid path'),
  INVALID_ARGUMENT: localizable('invalid argument'),
  DATA_TOO_LARGE: localizable('too large'),
  QUOTAEXCEEDED: localizable('quota exceeded'),
  SYSTEMERROR: undefined,
  RUNTIMEINCONSISTENCY: undefined,
  DATAINCONSISTENCY: undefined,
  MARSHALLINGERROR: undefined,
  BADARGUMENTS: undefined,
  UNKNOWNSESSION: undefined,
  NEWCONFIGNOQUORUM: undefined,
  RECONFIGINPROGRESS: undefined,
  APIERROR: undefined,
  BADVERSION: undefined,
  NOCHILDRENFOREPHEMERALS: undefined,
  NODEEXISTS: undefined,
  NOTEMPTY: undefined,
  INVALIDCALLBACK: undefined,
  INVALIDACL: undefined,
  EPHEMERALONLOCALSESSION: undefined,
  NOWATCHER: undefined,
  RECONFIGDISABLED: undefined,
  SESSIONCLOSEDREQUIRESASLAUTH: undefined,
  READ_ONLY_GUARD: undefined,
  CANCELLED: undefined,
  TOO_MANY_NODES: undefined,
  CONFLICT: undefined,
  INTERNAL: undefined,
  INVALID_EXPORT: undefined,
  SUBTREE_GREW: undefined,
  EPHEMERAL_OWNED: undefined,
  ACL_LOCK_OUT: undefined,
  INVALID_FOLDER: undefined,
  FOLDER_NOT_EMPTY: undefined,
  UNKNOWN: undefined,
};

/** A few words saying why, or undefined when the error has no known short form. */
export function shortReason(e: unknown): string | undefined {
  if (!isZkError(e)) return undefined;
  return SHORT[e.code];
}
