// The shape of one entry of the `zookeeper.connections` setting, and its validation. Secrets are
// never part of it: the password for `auth` lives in the host's secret storage.
import { connectStringProblem } from './connectString';
import { renderMessage } from './message';
import { english, type Translate } from './localize';
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

/**
 * Problems with one entry, in words (through `t`: the adapter passes vscode.l10n.t); empty when it
 * is usable. The setting's keys and values are quoted as they are.
 */
export function connectionConfigProblems(c: unknown, others: readonly ConnectionConfig[] = [], t: Translate = english): string[] {
  const problems: string[] = [];
  if (typeof c !== 'object' || c === null) return [t('each connection must be an object with "name" and "connectString"')];
  const cfg = c as Partial<ConnectionConfig>;
  if (typeof cfg.name !== 'string' || cfg.name.trim() === '') problems.push(t('"{0}" is missing', 'name'));
  else if (others.some((o) => o !== c && o.name === cfg.name)) problems.push(t('the name "{0}" is used twice', cfg.name));
  const csProblem = connectStringProblem(cfg.connectString as string);
  if (csProblem) problems.push(`"connectString": ${renderMessage(csProblem, t)}`);
  for (const key of ['sessionTimeoutMs', 'connectTimeoutMs', 'requestTimeoutMs'] as const) {
    const v = cfg[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) problems.push(t('"{0}" must be a positive number of milliseconds', key));
  }
  const maxReply = cfg.maxReplyBytes;
  if (maxReply !== undefined && !(Number.isInteger(maxReply) && maxReply >= MIN_MAX_REPLY_BYTES && maxReply <= MAX_MAX_REPLY_BYTES)) {
    problems.push(t('"{0}" must be a whole number of bytes from {1} to {2}', 'maxReplyBytes', MIN_MAX_REPLY_BYTES.toLocaleString('en'), MAX_MAX_REPLY_BYTES.toLocaleString('en')));
  }
  if (cfg.auth !== undefined) {
    const auth = cfg.auth as { scheme?: unknown; user?: unknown; mechanism?: unknown };
    if (auth.scheme !== 'digest' && auth.scheme !== 'sasl') problems.push(t('"{0}" must be "{1}" or "{2}"', 'auth.scheme', 'digest', 'sasl'));
    if (typeof auth.user !== 'string' || auth.user === '') problems.push(t('"{0}" is missing', 'auth.user'));
    if (auth.scheme === 'sasl' && !SASL_MECHANISMS.includes(auth.mechanism as SaslMechanism)) {
      problems.push(t('"{0}" must be "{1}" or "{2}" for the sasl scheme', 'auth.mechanism', SASL_MECHANISMS[0], SASL_MECHANISMS[1]));
    }
  }
  return problems;
}

/** Reads the configured list, keeping the usable entries and describing the others (through `t`). */
export function readConnections(raw: unknown, t: Translate = english): { connections: ConnectionConfig[]; problems: string[] } {
  const list = Array.isArray(raw) ? raw : [];
  const connections: ConnectionConfig[] = [];
  const problems: string[] = [];
  for (const [i, entry] of list.entries()) {
    const p = connectionConfigProblems(entry, connections, t);
    if (p.length === 0) connections.push({ ...(entry as ConnectionConfig), name: (entry as ConnectionConfig).name.trim() });
    else problems.push(`zookeeper.connections[${i}]${(entry as { name?: string })?.name ? ` ("${(entry as { name: string }).name}")` : ''}: ${p.reduce((all, x) => t('{0}; {1}', all, x))}`);
  }
  return { connections, problems };
}
