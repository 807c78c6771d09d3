// The one hook the wire layer offers between a connection's session handshake and its first
// queued request: a step (SASL authentication) that runs on every new connection of a session,
// exchanges requests of its own with the server while everything else waits, and either lets the
// queued requests go or ends the session's use with a reason the user can act on.
import { LocalizedError } from './localizedError';
import { msg, type Message } from './message';

/** A reply to one of the step's requests: the server's error code (0 = ok) and the body after the reply header. */
export interface StepReply {
  err: number;
  body: Buffer;
}

/** What a step may do on the connection: send one request (its opcode and its encoded record) and get the reply. */
export type StepSend = (opcode: number, payload: Buffer) => Promise<StepReply>;

/** Why authentication failed, in a form the connection row can show and tests can check. */
export type AuthFailureKind =
  /** The server refused the user or the password (ZooKeeper does not say which). */
  | 'rejected'
  /** The server has no SASL configured (no JAAS Server section), so it cannot check SASL credentials. */
  | 'noSaslOnServer'
  /** The server requires SASL (sessionRequireClientSASLAuth / enforce.auth) and this connection has none. */
  | 'saslRequired'
  /** The server's SASL messages were not valid, or it could not prove it knows the password. */
  | 'badServer'
  /** The mechanism is not available in this extension (GSSAPI/Kerberos). */
  | 'unsupportedMechanism';

export class AuthFailure extends LocalizedError {
  constructor(
    readonly kind: AuthFailureKind,
    message: Message | string,
  ) {
    super(message);
    this.name = 'AuthFailure';
  }
}

export interface PostHandshakeStep {
  /**
   * Runs once per connection, after the session handshake and before any queued request. Resolve
   * to let them go; reject with an AuthFailure to end in the auth-failed state with its message;
   * any other rejection drops the connection and the next one runs the step again.
   */
  run(send: StepSend): Promise<void>;
}

/** Why a server that requires SASL closed a session that did not authenticate, and what to do. */
export const SASL_REQUIRED_MESSAGE: Message = msg(
  'The server requires SASL authentication (zookeeper.sessionRequireClientSASLAuth or enforce.auth.schemes=sasl) and closed the session: edit the connection and choose SASL (DIGEST-MD5) with a user the server knows',
);
