// The short reason of a failure, for places narrower than its message (a tree row in a normal side
// bar): "not authorized" first, the full message (path, what to do) goes in the tooltip.
import { isZkError, type ZkErrorCode } from './errors';

// Every code is listed (undefined: no short form), so a new code must be decided on here.
const SHORT: Readonly<Record<ZkErrorCode, string | undefined>> = {
  NOAUTH: 'not authorized',
  AUTHFAILED: 'authentication failed',
  NONODE: 'node does not exist',
  SESSIONEXPIRED: 'session expired',
  CONNECTIONLOSS: 'connection lost',
  SESSIONMOVED: 'session moved',
  REQUEST_DEADLINE: 'no answer in time',
  REQUESTTIMEOUT: 'server timed out',
  OPERATIONTIMEOUT: 'server timed out',
  THROTTLEDOP: 'server overloaded',
  NOTREADONLY: 'server is read-only',
  UNIMPLEMENTED: 'not supported by the server',
  CLOSED: 'not connected',
  CONNECT_FAILED: 'cannot connect',
  PROTOCOL: 'bad reply from the server',
  REPLY_TOO_LARGE: 'reply too large',
  INVALID_PATH: 'invalid path',
  INVALID_ARGUMENT: 'invalid argument',
  DATA_TOO_LARGE: 'too large',
  QUOTAEXCEEDED: 'quota exceeded',
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
