// Why a connection could not be made, in words a user can act on.
import { messageOfError, msg, renderMessage, type Message } from './message';

/** The reason as a Message, for a ZkError an adapter translates (the system's own text as it is). */
export function socketErrorReason(err: (Error & { code?: string }) | undefined, usingTls: boolean): Message | string {
  if (!err) return msg('no server answered (is ZooKeeper running, and is this its client port?)');
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return msg('connection refused ({0}): is ZooKeeper running on that port?', err.message.replace(/^connect ECONNREFUSED /, ''));
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return msg('host not found (DNS): {0}', err.message);
  if (code === 'ETIMEDOUT') return msg('{0} (a firewall, a wrong address, or a frozen server)', messageOfError(err));
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return msg('network unreachable: {0}', err.message);
  if (usingTls && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO|EPROTO/.test(code))) {
    return msg('TLS handshake failed ({0}: {1}): check the CA, client certificate and key, and that this is the secureClientPort', code, err.message);
  }
  if (code === 'NOTREADONLY') return messageOfError(err);
  if (code === 'ECONNRESET') {
    return usingTls
      ? msg('the server closed the connection during the TLS handshake ({0}): is this the secureClientPort?', err.message)
      : msg('the server closed the connection ({0}): is this a TLS-only port?', err.message);
  }
  return `${code ? code + ': ' : ''}${err.message}`;
}

/** `localized`: the message as a Message, for the connection row to translate (messageOfError). */
export type SocketError = Error & { code?: string; localized?: Message };

type Server = { host: string; port: number };

/** An Error with a node-style `code`, for reasons found by the transport itself (timeouts, refusals). */
export function socketError(message: Message | string, code: string): SocketError {
  const err: SocketError = new Error(renderMessage(message));
  err.code = code;
  if (typeof message !== 'string') err.localized = message;
  return err;
}

/** What went unanswered before the connect timeout: the TCP connection, the session handshake, or the SASL step. */
export type UnansweredStep = 'connect' | 'handshake' | 'sasl';

/** A server that did not answer `step` within `ms`. */
export function noAnswerError(server: Server, step: UnansweredStep, ms: number): SocketError {
  const at = `${server.host}:${server.port}`;
  const m =
    step === 'connect'
      ? msg('no answer from {0} within {1} ms', at, ms)
      : step === 'handshake'
        ? msg('no answer from {0} to the session handshake within {1} ms', at, ms)
        : msg('no answer from {0} to the SASL authentication within {1} ms', at, ms);
  return socketError(m, 'ETIMEDOUT');
}

/**
 * A server in read-only mode (no quorum) turned this session away, and what happens next:
 * 'refused' (it said so), 'cannotCarry' (asked for the session, it cannot), 'needsLocalSessions'
 * (asked again: read-only sessions need localSessionsEnabled on it).
 */
export function notReadOnlyError(server: Server, why: 'refused' | 'cannotCarry' | 'needsLocalSessions'): SocketError {
  const at = `${server.host}:${server.port}`;
  const m =
    why === 'refused'
      ? msg('{0} is in read-only mode (no quorum) and refused this session; asking it for a read-only session', at)
      : why === 'cannotCarry'
        ? msg('{0} is in read-only mode (no quorum) and cannot carry this session; asking it for a read-only session', at)
        : msg('{0} is in read-only mode (no quorum) and cannot carry this session; it needs localSessionsEnabled=true for read-only sessions', at);
  return socketError(m, 'NOTREADONLY');
}
