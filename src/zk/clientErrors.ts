// What a ZkClient's failures say: the reply codes, deadlines and end states of one connection
// turned into ZkErrors whose message names the connection and what to do.
import { formatServer, type ServerAddress } from './connectString';
import type { ZkState } from './clientTypes';
import type { ReplyFailure } from './connection/requestQueue';
import { ZkError } from './errors';
import { msg, type Message } from './message';
import { socketErrorReason } from './socketErrors';

/** What the messages need to know of the client, read when an error is made. */
export interface ClientErrorContext {
  readonly name?: string;
  readonly requestTimeoutMs: number;
  readonly maxInFlight: number;
  readonly usingTls: boolean;
  readonly servers: readonly ServerAddress[];
  state(): ZkState;
  currentServer(): string | undefined;
  lastSocketError(): (Error & { code?: string }) | undefined;
  isClosed(): boolean;
  /** Why authentication failed, when it was SASL or a server that requires SASL (undefined: a refused digest). */
  authFailure(): { message: string } | undefined;
}

const on = (op: string, path?: string) => `${op}${path ? ' ' + path : ''}`;

export class ClientErrors {
  constructor(private readonly ctx: ClientErrorContext) {}

  /** Explains why connecting failed, from the last socket error seen. */
  connectFailure(waitedMs: number): ZkError {
    const err = this.ctx.lastSocketError();
    const where = this.ctx.servers.map(formatServer).join(', ');
    const reason = socketErrorReason(err, this.ctx.usingTls);
    return new ZkError('CONNECT_FAILED', msg('Cannot connect to {0} within {1} ms: {2}', where, waitedMs, reason), { op: 'connect', cause: err });
  }

  reply(failure: ReplyFailure, op: string, path: string | undefined): ZkError {
    const code = failure.code;
    if (failure.protocol) {
      const { server, what } = failure.protocol;
      return new ZkError('PROTOCOL', msg('Protocol error from {0} during {1}: {2}; the connection was dropped', server, on(op, path), what), { op, path });
    }
    if (failure.tooLarge) {
      const { bytes, limit } = failure.tooLarge;
      return new ZkError(
        'REPLY_TOO_LARGE',
        msg(
          'The reply to {0} is {1} bytes, over the limit of {2} bytes ("maxReplyBytes" in the connection\'s settings); it was skipped and the connection kept: ask for less at once',
          on(op, path),
          bytes.toLocaleString('en'),
          limit.toLocaleString('en'),
        ),
        { op, path },
      );
    }
    if (code === -112 || code === -115) return this.terminal(code === -112 ? 'expired' : 'authFailed', op, path);
    if (code === -4 && this.ctx.isClosed()) return this.closed(op, path);
    return ZkError.fromServer(code, op, path);
  }

  deadline(op: string, path: string | undefined, sent: boolean): ZkError {
    const what = on(op, path);
    const secs = (this.ctx.requestTimeoutMs / 1000).toString();
    const state = this.ctx.state();
    return new ZkError(
      'REQUEST_DEADLINE',
      sent
        ? msg('No reply to {0} within {1} s from {2}: it may or may not have been applied', what, secs, this.ctx.currentServer() ?? msg('the server'))
        : state === 'connected' || state === 'connectedReadOnly'
          ? msg('Could not {0} within {1} s: {2} requests were already waiting for replies (the in-flight limit); nothing was sent', what, secs, this.ctx.maxInFlight.toLocaleString('en'))
          : msg('Could not {0} within {1} s: no connection to ZooKeeper ({2}); nothing was sent', what, secs, state),
      { path, op },
    );
  }

  /** The end state the client is in ('expired', 'authFailed', 'closed'), if any. */
  terminalState(): ZkState | undefined {
    const s = this.ctx.state();
    return s === 'expired' || s === 'authFailed' || s === 'closed' ? s : undefined;
  }

  terminal(state: ZkState, op: string, path?: string): ZkError {
    if (state === 'expired') return ZkError.fromServer(-112, op, path);
    if (state === 'authFailed') {
      const failure = this.ctx.authFailure();
      return new ZkError(
        'AUTHFAILED',
        failure
          ? msg('{0}: {1}', this.label(), failure.message)
          : msg('Authentication failed for {0}: the server rejected the credentials; check the user and password', this.label()),
        { op, path, serverCode: -115 },
      );
    }
    return this.closed(op, path);
  }

  closed(op: string, path?: string): ZkError {
    return new ZkError('CLOSED', msg('Cannot {0}: {1} is closed', on(op, path), this.label()), { op, path });
  }

  readOnlyGuard(op: string, path?: string): ZkError {
    return new ZkError('READ_ONLY_GUARD', msg('{0} is read-only: refused to {1}. Clear "readOnly" in its settings to allow writes.', this.label(), on(op, path)), { path, op });
  }

  label(): Message {
    return this.ctx.name ? msg('Connection "{0}"', this.ctx.name) : msg('The connection');
  }
}
