// The shape of one entry of the `zookeeper.connections` setting, and its validation. Secrets are
// never part of it: the password for `auth` lives in the host's secret storage.
import { connectStringProblem } from './connectString';
import { renderMessage } from './message';
import { MIN_MAX_REPLY_BYTES } from './wire/frames';
import { SASL_MECHANISMS, type SaslMechanism } from './sasl/saslExchange';

export interface TlsConfig {
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized?: boolean;
}

export interface DigestAuthConfig {
  scheme: 'digest';
  user: string;
}

export interface SaslAuthConfig {
  scheme: 'sasl';
  /** DIGEST-MD5 is supported; GSSAPI is accepted here and refused when connecting, with why. */
  mechanism: SaslMechanism;
  user: string;
}

export interface ConnectionConfig {
  name: string;
  connectString: string;
  sessionTimeoutMs?: number;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  readOnly?: boolean;
  /** Largest message accepted from a server (bytes); a longer one drops the connection as a protocol error. */
  maxReplyBytes?: number;
  /** Digest credentials (an auth packet after each connect), or SASL (an exchange before any request). */
  auth?: DigestAuthConfig | SaslAuthConfig;
  tls?: TlsConfig;
}

/** Upper bound of `maxReplyBytes`: one reply is held in memory whole while it is decoded. */
export const MAX_MAX_REPLY_BYTES = 256 * 1024 * 1024;

/** Problems with one entry, in words; empty when it is usable. */
export function connectionConfigProblems(c: unknown, others: readonly ConnectionConfig[] = []): string[] {
  const problems: string[] = [];
  if (typeof c !== 'object' || c === null) return ['each connection must be an object with "name" and "connectString"'];
  const cfg = c as Partial<ConnectionConfig>;
  if (typeof cfg.name !== 'string' || cfg.name.trim() === '') problems.push('"name" is missing');
  else if (others.some((o) => o !== c && o.name === cfg.name)) problems.push(`the name "${cfg.name}" is used twice`);
  const csProblem = connectStringProblem(cfg.connectString as string);
  if (csProblem) problems.push(`"connectString": ${renderMessage(csProblem)}`);
  for (const key of ['sessionTimeoutMs', 'connectTimeoutMs', 'requestTimeoutMs'] as const) {
    const v = cfg[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) problems.push(`"${key}" must be a positive number of milliseconds`);
  }
  const maxReply = cfg.maxReplyBytes;
  if (maxReply !== undefined && !(Number.isInteger(maxReply) && maxReply >= MIN_MAX_REPLY_BYTES && maxReply <= MAX_MAX_REPLY_BYTES)) {
    problems.push(`"maxReplyBytes" must be a whole number of bytes from ${MIN_MAX_REPLY_BYTES.toLocaleString('en')} to ${MAX_MAX_REPLY_BYTES.toLocaleString('en')}`);
  }
  if (cfg.auth !== undefined) {
    const auth = cfg.auth as { scheme?: unknown; user?: unknown; mechanism?: unknown };
    if (auth.scheme !== 'digest' && auth.scheme !== 'sasl') problems.push('"auth.scheme" must be "digest" or "sasl"');
    if (typeof auth.user !== 'string' || auth.user === '') problems.push('"auth.user" is missing');
    if (auth.scheme === 'sasl' && !SASL_MECHANISMS.includes(auth.mechanism as SaslMechanism)) {
      problems.push(`"auth.mechanism" must be ${SASL_MECHANISMS.map((m) => `"${m}"`).join(' or ')} for the sasl scheme`);
    }
  }
  return problems;
}

/** Reads the configured list, keeping the usable entries and describing the others. */
export function readConnections(raw: unknown): { connections: ConnectionConfig[]; problems: string[] } {
  const list = Array.isArray(raw) ? raw : [];
  const connections: ConnectionConfig[] = [];
  const problems: string[] = [];
  for (const [i, entry] of list.entries()) {
    const p = connectionConfigProblems(entry, connections);
    if (p.length === 0) connections.push({ ...(entry as ConnectionConfig), name: (entry as ConnectionConfig).name.trim() });
    else problems.push(`zookeeper.connections[${i}]${(entry as { name?: string })?.name ? ` ("${(entry as { name: string }).name}")` : ''}: ${p.join('; ')}`);
  }
  return { connections, problems };
}
