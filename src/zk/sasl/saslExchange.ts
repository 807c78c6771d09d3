// ZooKeeper's SASL exchange (ZooKeeperSaslClient with the server's processSasl): SetSASL requests,
// opcode 102, each carrying a GetSASLRequest record (one buffer: the client's token) and answered
// with a SetSASLResponse (one buffer: the server's token), with the normal xid sequence. For
// DIGEST-MD5 the client opens with an empty token, answers the server's challenge, and checks the
// server's rspauth. What the server's reply codes mean is decided here, once:
//  - AUTHFAILED (-115): the user or the password was refused (the server does not say which);
//  - SESSIONCLOSEDREQUIRESASLAUTH (-124): the same refusal on a server that requires SASL;
//  - OK with no token (a null buffer) to the opening request: the server has no SASL configured
//    (without a JAAS Server section its connections have no SASL server and it answers null).
import { OP } from '../wire/opcodes';
import { ProtocolViolation, WireReader } from '../wire/reader';
import { AuthFailure, type PostHandshakeStep, type StepSend } from '../postHandshakeStep';
import { msg, type Message } from '../message';
import { DigestMd5Client, DigestMd5Error, type DigestMd5Credentials } from './digestMd5';

export const SASL_MECHANISMS = ['DIGEST-MD5', 'GSSAPI'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** Why GSSAPI is refused, in the words the connection row and the README use. */
export const GSSAPI_REFUSAL: Message = msg(
  "SASL mechanism GSSAPI (Kerberos) is not supported by this extension: it needs a native Kerberos library per platform (no pure-JavaScript GSSAPI client can obtain and use tickets from the system's credential cache); use DIGEST-MD5, or digest credentials",
);

/** The GetSASLRequest record: the token as a jute buffer (length, then bytes). */
export function encodeSaslToken(token: Buffer): Buffer {
  const out = Buffer.alloc(4 + token.length);
  out.writeInt32BE(token.length, 0);
  token.copy(out, 4);
  return out;
}

/** The SetSASLResponse record: the server's token, or null when it sent none (length -1). */
export function decodeSaslToken(body: Buffer): Buffer | null {
  const r = new WireReader(body);
  const token = r.buffer('the SASL token');
  if (r.left !== 0) throw new ProtocolViolation(`the SASL reply has ${r.left} bytes after its token`);
  return token;
}

/** The reply code of a SetSASL request, as an AuthFailure when it refuses. */
function refusal(err: number, user: string): AuthFailure | undefined {
  if (err === 0) return undefined;
  if (err === -115) return new AuthFailure('rejected', msg('The server rejected SASL user "{0}" or its password (ZooKeeper does not say which): edit the connection to fix them', user));
  if (err === -124) return new AuthFailure('rejected', msg('The server requires SASL and rejected user "{0}" or its password (ZooKeeper does not say which): edit the connection to fix them', user));
  return new AuthFailure('badServer', msg('The server answered the SASL request with error {0}', err));
}

export const NO_SASL_ON_SERVER: Message = msg(
  'The server has no SASL configured, so it cannot check SASL credentials: its JVM needs -Djava.security.auth.login.config=<JAAS file> with a Server section (and zoo.cfg authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider); or use digest credentials on this connection',
);

/** One DIGEST-MD5 authentication over `send`. */
export async function authenticateDigestMd5(send: StepSend, credentials: DigestMd5Credentials, digestUri?: string): Promise<void> {
  const mechanism = new DigestMd5Client(credentials, { digestUri });
  const exchange = async (token: Buffer): Promise<Buffer | null> => {
    const reply = await send(OP.SASL, encodeSaslToken(token));
    const refused = refusal(reply.err, credentials.user);
    if (refused) throw refused;
    try {
      return decodeSaslToken(reply.body);
    } catch (e) {
      throw new AuthFailure('badServer', msg("The server's SASL reply is not valid: {0}", (e as Error).message));
    }
  };
  const challenge = await exchange(Buffer.alloc(0));
  if (challenge === null || challenge.length === 0) throw new AuthFailure('noSaslOnServer', NO_SASL_ON_SERVER);
  try {
    const response = mechanism.respond(challenge);
    const final = await exchange(response);
    if (final === null) throw new DigestMd5Error('the server sent no rspauth');
    mechanism.verify(final);
  } catch (e) {
    if (e instanceof DigestMd5Error) throw new AuthFailure('badServer', msg('SASL DIGEST-MD5 with the server failed: {0}', e.message));
    throw e;
  }
}

/**
 * The post-handshake step of a SASL connection. The password bytes are the session's own copy
 * (its owner zeroes them when the session is closed); a step for GSSAPI refuses at once.
 */
export class SaslStep implements PostHandshakeStep {
  constructor(
    readonly mechanism: string,
    private readonly credentials: DigestMd5Credentials,
  ) {}

  run(send: StepSend): Promise<void> {
    if (this.mechanism === 'GSSAPI') return Promise.reject(new AuthFailure('unsupportedMechanism', GSSAPI_REFUSAL));
    if (this.mechanism !== 'DIGEST-MD5') return Promise.reject(new AuthFailure('unsupportedMechanism', msg('SASL mechanism "{0}" is not supported: use DIGEST-MD5', this.mechanism)));
    return authenticateDigestMd5(send, this.credentials);
  }
}

export function saslStep(mechanism: string, credentials: DigestMd5Credentials): PostHandshakeStep {
  return new SaslStep(mechanism, credentials);
}
