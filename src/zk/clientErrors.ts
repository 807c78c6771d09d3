// What a ZkClient's failures say: the reply codes, deadlines and end states of one connection
// turned into ZkErrors whose message names the connection and what to do.
import { formatServer, type ServerAddress } from './connectString';
import type { ZkState } from './clientTypes';
import type { ReplyFailure } from './connection/requestQueue';
import { ZkError } from './errors';
import { describeSocketError } from './socketErrors';

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
    const reason = describeSocketError(err, this.ctx.usingTls);
    return new ZkError('CONNECT_FAILED', `Cannot connect to ${where} within ${waitedMs} ms: ${reason}`, { op: 'connect', cause: err });
  }

  reply(failure: ReplyFailure, op: string, path: string | undefined): ZkError {
    const code = failure.code;
    if (failure.protocol) {
      const { server, what } = failure.protocol;
      return new ZkError('PROTOCOL', `Protocol error from ${server} during ${on(op, path)}: ${what}; the connection was dropped`, { op, path });
    }
    if (failure.tooLarge) {
      const { bytes, limit } = failure.tooLarge;
      return new ZkError(
        'REPLY_TOO_LARGE',
        `The reply to ${on(op, path)} is ${bytes.toLocaleString('en')} bytes, over the limit of ${limit.toLocaleString('en')} bytes ` +
          '("maxReplyBytes" in the connection\'s settings); it was skipped and the connection kept: ask for less at once',
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
        ? `No reply to ${what} within ${secs} s from ${this.ctx.currentServer() ?? 'the server'}: it may or may not have been applied`
        : state === 'connected' || state === 'connectedReadOnly'
          ? `Could not ${what} within ${secs} s: ${this.ctx.maxInFlight.toLocaleString('en')} requests were already waiting for replies (the in-flight limit); nothing was sent`
          : `Could not ${what} within ${secs} s: no connection to ZooKeeper (${state}); nothing was sent`,
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
        failure ? `${this.label()}: ${failure.message}` : `Authentication failed for ${this.label()}: the server rejected the credentials; check the user and password`,
        { op, path, serverCode: -115 },
      );
    }
    return this.closed(op, path);
  }

  closed(op: string, path?: string): ZkError {
    return new ZkError('CLOSED', `Cannot ${on(op, path)}: ${this.label()} is closed`, { op, path });
  }

  readOnlyGuard(op: string, path?: string): ZkError {
    return new ZkError('READ_ONLY_GUARD', `${this.label()} is read-only: refused to ${on(op, path)}. Clear "readOnly" in its settings to allow writes.`, { path, op });
  }

  label(): string {
    return this.ctx.name ? `Connection "${this.ctx.name}"` : 'The connection';
  }
}
