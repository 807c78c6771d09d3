// The session a connection offers in its handshake, and the step that may run right after it.
//
// A read-write server always gets the global session (the one a read-write server gave, or the one
// resumed), so it survives a quorum loss shorter than its timeout. A read-only server refuses it
// (ZooKeeper 3.6+ keeps global sessions for the quorum) and is asked for a local read-only session
// instead.
import type { ServerAddress } from '../connectString';
import type { WireRequest } from '../wire/requests';

export interface SessionKeys {
  id: Buffer;
  password: Buffer;
}

const fresh = (): SessionKeys => ({ id: Buffer.alloc(8), password: Buffer.alloc(16) });

export class SessionIdentity {
  /** The session this connection is on (zeros before the first handshake, unless resuming). */
  current: SessionKeys;
  private global: SessionKeys | undefined;
  /** Servers that refused the global session because they are read-only. */
  private readonly refusedGlobal = new Set<ServerAddress>();
  /** This connection attempt offered the global session. */
  private offeredGlobal = false;
  /** The server the last read-only session was accepted by. */
  private readOnlyOn: ServerAddress | undefined;

  constructor(
    private readonly canBeReadOnly: boolean,
    resume?: SessionKeys,
  ) {
    this.current = fresh();
    if (resume) {
      resume.id.copy(this.current.id);
      resume.password.copy(this.current.password);
      this.global = resume;
    }
  }

  /** The session to offer `server` in the next handshake. */
  offerTo(server: ServerAddress | undefined): SessionKeys {
    if (this.readOnlyOn !== undefined) {
      // A connection to a read-only server ended (a new attempt starts only then). The usual reason
      // is that the server has its quorum back and is read-write again: offered a new session, it
      // would make a new global one and the user's session, its ephemeral nodes with it, would be
      // abandoned to expire. It gets the global session again; if it is still read-only it refuses
      // once more, at the cost of one handshake.
      this.refusedGlobal.delete(this.readOnlyOn);
      this.readOnlyOn = undefined;
    }
    const offer = !this.canBeReadOnly
      ? this.current
      : server && this.refusedGlobal.has(server)
        ? fresh() // a new local session: nothing of a read-only one is worth resuming
        : this.global ?? fresh();
    this.offeredGlobal = this.canBeReadOnly && this.global !== undefined && offer === this.global;
    return offer;
  }

  /** This attempt offered the global session to a server that has not refused it yet. */
  offeredGlobalTo(server: ServerAddress): boolean {
    return this.offeredGlobal && !this.refusedGlobal.has(server);
  }

  /** Remembers a server that refused the global session; true when it had refused it before. */
  refuse(server: ServerAddress): boolean {
    const again = this.refusedGlobal.has(server);
    this.refusedGlobal.add(server);
    return again;
  }

  hasRefused(server: ServerAddress): boolean {
    return this.refusedGlobal.has(server);
  }

  accepted(keys: SessionKeys, readOnly: boolean, server?: ServerAddress): void {
    this.current = keys;
    this.readOnlyOn = readOnly ? server : undefined;
    if (!readOnly) {
      this.global = keys;
      this.refusedGlobal.clear();
    }
  }
}

/**
 * What a post-handshake step (SASL, for instance) can do on a new connection: send requests and
 * await their replies, before any request queued by the session goes out.
 */
export interface SessionChannel {
  readonly server: ServerAddress;
  readonly readOnly: boolean;
  /** Sends at once (nothing else is sent meanwhile); resolves with the decoded reply, rejects with a ReplyFailure. */
  send(request: WireRequest): Promise<unknown>;
}

/**
 * Runs after every successful session handshake (each new connection of the session, first one
 * included) and before queued requests, auth packets and watch re-registration are released. The
 * connection stays 'connecting' until it resolves; a rejection fails the session as an
 * authentication failure (state AUTHENTICATION_FAILED) with the error's message.
 */
export type PostHandshakeStep = (channel: SessionChannel) => Promise<void>;
