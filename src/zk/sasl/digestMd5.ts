// The client side of SASL DIGEST-MD5 (RFC 2831), as ZooKeeper's servers speak it: qop "auth" only
// (no integrity or confidentiality layer: ZooKeeper never negotiates one), one realm, charset
// utf-8, and the server's rspauth checked before the exchange counts as done. The challenge comes
// from the server and is treated as hostile: its size, its directives and their values are checked,
// and every failure is a DigestMd5Error that says what was wrong.
import { nodeCrypto } from '../lazyBuiltins';

/** ZooKeeper's servers are "zookeeper/zk-sasl-md5" (ZooKeeperSaslServer: protocol and server name). */
export const ZOOKEEPER_DIGEST_URI = 'zookeeper/zk-sasl-md5';

/** RFC 2831 2.1.1: a challenge is at most 2048 bytes; the rspauth message is shorter still. */
const MAX_CHALLENGE_BYTES = 2048;

export class DigestMd5Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DigestMd5Error';
  }
}

/** The directives of a challenge or of rspauth: name (lower case) to its values (realm may repeat). */
export function parseDirectives(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let i = 0;
  const n = text.length;
  const skipSpaceAndCommas = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === ',' || text[i] === '\r' || text[i] === '\n')) i++;
  };
  skipSpaceAndCommas();
  while (i < n) {
    const nameStart = i;
    while (i < n && /[A-Za-z0-9_-]/.test(text[i])) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    if (name === '') throw new DigestMd5Error(`the server's message has no directive name at position ${i}`);
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (text[i] !== '=') throw new DigestMd5Error(`the server's directive "${name}" has no value`);
    i++;
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i++];
        if (c === '\\' && i < n) value += text[i++];
        else if (c === '"') {
          closed = true;
          break;
        } else value += c;
      }
      if (!closed) throw new DigestMd5Error(`the server's directive "${name}" has an unterminated quoted value`);
    } else {
      const start = i;
      while (i < n && text[i] !== ',') i++;
      value = text.slice(start, i).trim();
    }
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
    skipSpaceAndCommas();
  }
  return out;
}

export interface DigestMd5Credentials {
  user: string;
  /** The password's bytes as digestMd5Bytes() makes them; read, never turned back into a string. */
  password: Buffer;
}

export interface DigestMd5Options {
  digestUri?: string;
  /** Test hook: a fixed cnonce (RFC 2831's example uses one); random otherwise. */
  cnonce?: string;
}

/**
 * One DIGEST-MD5 exchange. `respond(challenge)` answers the server's first challenge;
 * `verify(rspauth)` checks the server's proof that it knew the password too. Single use.
 */
export class DigestMd5Client {
  private expectedRspauth: Buffer | undefined;
  private completed = false;

  constructor(
    private readonly credentials: DigestMd5Credentials,
    private readonly options: DigestMd5Options = {},
  ) {}

  get complete(): boolean {
    return this.completed;
  }

  /** The digest-response to the server's digest-challenge (RFC 2831 2.1.2). */
  respond(challengeBytes: Buffer): Buffer {
    if (this.expectedRspauth) throw new DigestMd5Error('the server sent a second challenge');
    if (challengeBytes.length === 0) throw new DigestMd5Error('the server sent an empty challenge');
    if (challengeBytes.length > MAX_CHALLENGE_BYTES) throw new DigestMd5Error(`the server's challenge is ${challengeBytes.length} bytes (at most ${MAX_CHALLENGE_BYTES} are allowed)`);
    const d = parseDirectives(challengeBytes.toString('utf8'));
    const single = (name: string): string | undefined => {
      const v = d.get(name);
      if (v && v.length > 1) throw new DigestMd5Error(`the server's challenge has "${name}" ${v.length} times`);
      return v?.[0];
    };
    const nonce = single('nonce');
    if (!nonce) throw new DigestMd5Error('the server\'s challenge has no nonce');
    const algorithm = single('algorithm');
    if (algorithm !== 'md5-sess') throw new DigestMd5Error(`the server's challenge asks for algorithm "${algorithm ?? '(none)'}"; DIGEST-MD5 needs md5-sess`);
    const qops = (single('qop') ?? 'auth').split(',').map((q) => q.trim());
    if (!qops.includes('auth')) throw new DigestMd5Error(`the server offers only qop ${qops.join(', ')}; this client supports "auth"`);
    const charset = single('charset');
    if (charset !== undefined && charset.toLowerCase() !== 'utf-8') throw new DigestMd5Error(`the server's challenge has charset "${charset}"`);
    const realms = d.get('realm') ?? [];
    // One realm offered: use it (ZooKeeper's is "zk-sasl-md5"); none: the empty realm; several: the first.
    const realm = realms[0] ?? '';
    const utf8 = charset !== undefined;
    const cnonce = this.options.cnonce ?? nodeCrypto().randomBytes(24).toString('base64');
    const nc = '00000001';
    const qop = 'auth';
    const digestUri = this.options.digestUri ?? ZOOKEEPER_DIGEST_URI;
    const user = this.credentials.user;
    const ha1 = this.ha1(realm, nonce, cnonce);
    const response = responseValue(ha1, nonce, nc, cnonce, qop, `AUTHENTICATE:${digestUri}`);
    this.expectedRspauth = Buffer.from(responseValue(ha1, nonce, nc, cnonce, qop, `:${digestUri}`), 'latin1');
    const parts = [
      // Echoed only when offered; without it the server reads ISO 8859-1 (digestMd5Bytes() then fits).
      utf8 ? 'charset=utf-8' : undefined,
      `username="${quote(user)}"`,
      `realm="${quote(realm)}"`,
      `nonce="${quote(nonce)}"`,
      `nc=${nc}`,
      `cnonce="${quote(cnonce)}"`,
      `digest-uri="${quote(digestUri)}"`,
      `maxbuf=65536`,
      `response=${response}`,
      `qop=${qop}`,
    ].filter((p): p is string => p !== undefined);
    return Buffer.from(parts.join(','), 'utf8');
  }

  /** Checks the server's response-auth (RFC 2831 2.1.3); throws when it does not prove the password. */
  verify(serverFinal: Buffer): void {
    if (!this.expectedRspauth) throw new DigestMd5Error('the server sent its proof before a challenge');
    if (serverFinal.length > MAX_CHALLENGE_BYTES) throw new DigestMd5Error(`the server's final message is ${serverFinal.length} bytes`);
    const rspauth = parseDirectives(serverFinal.toString('utf8')).get('rspauth');
    if (!rspauth || rspauth.length !== 1) throw new DigestMd5Error('the server\'s final message has no rspauth');
    const got = Buffer.from(rspauth[0].toLowerCase(), 'latin1');
    if (got.length !== this.expectedRspauth.length || !nodeCrypto().timingSafeEqual(got, this.expectedRspauth)) {
      throw new DigestMd5Error('the server\'s rspauth does not match: it does not know this password (another server, or a man in the middle)');
    }
    this.completed = true;
  }

  /** A1 = H(user:realm:password) : nonce : cnonce, hashed; the password only ever in a Buffer. */
  private ha1(realm: string, nonce: string, cnonce: string): string {
    const colon = Buffer.from(':');
    const inner = nodeCrypto().createHash('md5').update(digestMd5Bytes(this.credentials.user)).update(colon).update(digestMd5Bytes(realm)).update(colon).update(this.credentials.password).digest();
    return nodeCrypto().createHash('md5').update(inner).update(Buffer.from(`:${nonce}:${cnonce}`, 'utf8')).digest('hex');
  }
}

/**
 * RFC 2831 2.1.2.1 with charset=utf-8 (what ZooKeeper's servers offer): a user name, realm or
 * password whose characters all fit in ISO 8859-1 is hashed in ISO 8859-1, any other in UTF-8.
 */
export function digestMd5Bytes(s: string): Buffer {
  return /^[\u0000-\u00ff]*$/.test(s) ? Buffer.from(s, 'latin1') : Buffer.from(s, 'utf8');
}

function responseValue(ha1: string, nonce: string, nc: string, cnonce: string, qop: string, a2: string): string {
  const ha2 = md5Hex(a2);
  return md5Hex(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
}

function md5Hex(s: string): string {
  return nodeCrypto().createHash('md5').update(Buffer.from(s, 'utf8')).digest('hex');
}

/** A quoted-string's content: backslash before '"' and '\' (RFC 2831 / RFC 2616). */
function quote(s: string): string {
  return s.replace(/[\\"]/g, (c) => '\\' + c);
}
