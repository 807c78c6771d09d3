// How a failure inside the zk: file system reaches VS Code: as the FileSystemError whose kind the
// editor acts on (not found, exists, no permissions, unavailable), with the message translated.
import * as vscode from 'vscode';
import { assertNever, isZkError, type ZkErrorCode } from '../zk/errors';
import { errorMessage } from '../ui/registerCommand';
import { targetOf } from '../ui/znodeUris';

/** Which VS Code file system error each code becomes; every code is listed, so a new one must be decided on. */
type FsErrorKind = 'notFound' | 'exists' | 'noPermissions' | 'unavailable' | 'other';
const FS_ERROR_KIND: Readonly<Record<ZkErrorCode, FsErrorKind>> = {
  NONODE: 'notFound',
  NODEEXISTS: 'exists',
  NOAUTH: 'noPermissions',
  READ_ONLY_GUARD: 'noPermissions',
  NOTREADONLY: 'noPermissions',
  CLOSED: 'unavailable',
  CONNECT_FAILED: 'unavailable',
  REQUEST_DEADLINE: 'unavailable',
  CONNECTIONLOSS: 'unavailable',
  SESSIONEXPIRED: 'unavailable',
  AUTHFAILED: 'unavailable',
  SYSTEMERROR: 'other',
  RUNTIMEINCONSISTENCY: 'other',
  DATAINCONSISTENCY: 'other',
  MARSHALLINGERROR: 'other',
  UNIMPLEMENTED: 'other',
  OPERATIONTIMEOUT: 'other',
  BADARGUMENTS: 'other',
  UNKNOWNSESSION: 'other',
  NEWCONFIGNOQUORUM: 'other',
  RECONFIGINPROGRESS: 'other',
  APIERROR: 'other',
  BADVERSION: 'other',
  NOCHILDRENFOREPHEMERALS: 'other',
  NOTEMPTY: 'other',
  INVALIDCALLBACK: 'other',
  INVALIDACL: 'other',
  SESSIONMOVED: 'other',
  EPHEMERALONLOCALSESSION: 'other',
  NOWATCHER: 'other',
  REQUESTTIMEOUT: 'other',
  RECONFIGDISABLED: 'other',
  SESSIONCLOSEDREQUIRESASLAUTH: 'other',
  QUOTAEXCEEDED: 'other',
  THROTTLEDOP: 'other',
  INVALID_PATH: 'other',
  INVALID_ARGUMENT: 'other',
  DATA_TOO_LARGE: 'other',
  PROTOCOL: 'other',
  REPLY_TOO_LARGE: 'other',
  CANCELLED: 'other',
  TOO_MANY_NODES: 'other',
  CONFLICT: 'other',
  INTERNAL: 'other',
  INVALID_EXPORT: 'other',
  SUBTREE_GREW: 'other',
  EPHEMERAL_OWNED: 'other',
  ACL_LOCK_OUT: 'other',
  INVALID_FOLDER: 'other',
  FOLDER_NOT_EMPTY: 'other',
  UNKNOWN: 'other',
};

export function toFileSystemError(e: unknown, uri: vscode.Uri): Error {
  if (e instanceof vscode.FileSystemError) return e;
  const message = errorMessage(e);
  if (!isZkError(e)) return new vscode.FileSystemError(message);
  const kind = FS_ERROR_KIND[e.code];
  switch (kind) {
    case 'notFound':
      return vscode.FileSystemError.FileNotFound(e.path && e.path !== targetPathOf(uri) ? message : uri);
    case 'exists':
      return vscode.FileSystemError.FileExists(message);
    case 'noPermissions':
      return vscode.FileSystemError.NoPermissions(message);
    case 'unavailable':
      return vscode.FileSystemError.Unavailable(message);
    case 'other':
      return new vscode.FileSystemError(message);
    default:
      return assertNever(kind);
  }
}

function targetPathOf(uri: vscode.Uri): string | undefined {
  try {
    return targetOf(uri).node.path;
  } catch {
    return undefined;
  }
}
