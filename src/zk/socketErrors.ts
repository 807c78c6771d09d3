// Why a connection could not be made, in words a user can act on.
import { msg, renderMessage, type Message } from './message';

/** Turns a socket error into the reason a user can act on (English). */
export function describeSocketError(err: (Error & { code?: string }) | undefined, usingTls: boolean): string {
  return renderMessage(socketErrorReason(err, usingTls));
}

/** The reason as a Message, for a ZkError an adapter translates (the system's own text as it is). */
export function socketErrorReason(err: (Error & { code?: string }) | undefined, usingTls: boolean): Message | string {
  if (!err) return msg('no server answered (is ZooKeeper running, and is this its client port?)');
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return msg('connection refused ({0}): is ZooKeeper running on that port?', err.message.replace(/^connect ECONNREFUSED /, ''));
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return msg('host not found (DNS): {0}', err.message);
  if (code === 'ETIMEDOUT') return msg('{0} (a firewall, a wrong address, or a frozen server)', err.message);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return msg('network unreachable: {0}', err.message);
  if (usingTls && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO|EPROTO/.test(code))) {
    return msg('TLS handshake failed ({0}: {1}): check the CA, client certificate and key, and that this is the secureClientPort', code, err.message);
  }
  if (code === 'NOTREADONLY') return err.message;
  if (code === 'ECONNRESET') {
    return usingTls
      ? msg('the server closed the connection during the TLS handshake ({0}): is this the secureClientPort?', err.message)
      : msg('the server closed the connection ({0}): is this a TLS-only port?', err.message);
  }
  return `${code ? code + ': ' : ''}${err.message}`;
}

export type SocketError = Error & { code?: string };

/** An Error with a node-style `code`, for reasons found by the transport itself (timeouts, refusals). */
export function socketError(message: string, code: string): SocketError {
  const err: SocketError = new Error(message);
  err.code = code;
  return err;
}

/** A server in read-only mode (no quorum) turned this session away; `what` says what happens next. */
export function notReadOnlyError(server: { host: string; port: number }, what: string): SocketError {
  return socketError(`${server.host}:${server.port} is in read-only mode (no quorum) and ${what}`, 'NOTREADONLY');
}
