// Who is behind a session id: the client address and the server it is connected to, from each
// server's `cons` four-letter word (every client connection of that server, with its session id).
// A session is connected to at most one server at a time, so every server of the ensemble is
// asked, each with its own deadline; when `cons` is refused (not in 4lw.commands.whitelist) the
// AdminServer's /commands/connections is tried, and when neither answers the reason is kept per
// server, with the config line that fixes it. Only read-only commands are sent.
import { parseConnectString, type ServerAddress } from './connectString';
import { adminCommand, parseAdminConnections } from './health/adminServer';
import { MAX_DISCOVERED_MEMBERS } from './health/healthModel';
import {
  ProbeError,
  isNotServing,
  notWhitelistedWord,
  parseConf,
  parseCons,
  parseMembership,
  sendFourLetterWord,
  whitelistLine,
  type ClientConnection,
} from './health/fourLetterWords';
import { english, type Translate } from './localize';
import { messageOfError, msg, renderMessage, type Message } from './message';

/** One server to ask. */
export interface SessionServer {
  host: string;
  /** Client port (where four-letter words are answered). */
  port: number;
  /** `server.N` id when known (membership or `conf`). */
  id?: number;
  /** AdminServer port for the fallback; none turns it off. */
  adminPort?: number;
}

export type ServerProblemKind = 'notWhitelisted' | 'down' | 'timeout' | 'notServing' | 'badReply' | 'error';

export interface ServerProblem {
  kind: ServerProblemKind;
  /** What happened, in words ("it refuses the four-letter word cons …"): a Message the adapter translates, or the probe's own text. */
  message: Message | string;
  /** The zoo.cfg line that would let us ask (for 'notWhitelisted'). */
  configLine?: string;
}

/** What one server said about its client connections. */
export interface ServerConnections {
  server: SessionServer;
  /** `server.2 (127.0.0.1:2182)`, or the address alone when the id is unknown. */
  label: string;
  /** The connections, when the server could be read. */
  connections?: ClientConnection[];
  via?: 'cons' | 'adminServer';
  /** Why it could not be read (or, with `connections`, why `cons` was not used). */
  problem?: ServerProblem;
  /** Why the AdminServer fallback did not work either. */
  fallbackProblem?: Message | string;
}

export interface ConnectionsReading {
  servers: ServerConnections[];
  /** When the reading was taken (ms since the epoch). */
  at: number;
}

export interface SessionsIo {
  fourLetterWord: typeof sendFourLetterWord;
  adminCommand: typeof adminCommand;
}

export interface ReadConnectionsOptions {
  /** Deadline per server (all its requests together). */
  timeoutMs: number;
  /** Servers asked at once (default 8): the list can come from an untrusted membership. */
  concurrency?: number;
  signal?: AbortSignal;
  io?: Partial<SessionsIo>;
  now?: () => number;
}

/** Servers read at once by readConnections, unless told otherwise. */
export const DEFAULT_READ_CONCURRENCY = 8;

/**
 * The servers to ask: those of the connect string, then the members of the dynamic config
 * (`/zookeeper/config`) that have a client address none of them has (at most
 * MAX_DISCOVERED_MEMBERS of those: the config is untrusted); ids from the membership where a
 * member's client address matches. `adminPortFor` is told where each server came from: a member
 * only the config names gets the AdminServer fallback only when a port is configured for it.
 */
export function sessionServers(
  connectString: string,
  membershipText?: string,
  adminPortFor?: (host: string, port: number, origin: 'connectString' | 'membership') => number | undefined,
): SessionServer[] {
  let fromString: ServerAddress[] = [];
  try {
    fromString = parseConnectString(connectString).servers;
  } catch {
    fromString = [];
  }
  const members = membershipText ? parseMembership(membershipText).members : [];
  const out: SessionServer[] = [];
  let discovered = 0;
  const add = (host: string, port: number, origin: 'connectString' | 'membership', id?: number) => {
    const key = addressKey(host, port);
    const same = out.find((s) => addressKey(s.host, s.port) === key);
    if (same) {
      if (same.id === undefined && id !== undefined) same.id = id;
      return;
    }
    if (id !== undefined && out.some((s) => s.id === id)) return;
    if (origin === 'membership' && discovered++ >= MAX_DISCOVERED_MEMBERS) return;
    const s: SessionServer = { host, port };
    if (id !== undefined) s.id = id;
    const admin = adminPortFor?.(host, port, origin);
    if (admin !== undefined) s.adminPort = admin;
    out.push(s);
  };
  for (const s of fromString) {
    const member = members.find((m) => m.clientPort === s.port && sameHost(m.clientHost && !isWildcard(m.clientHost) ? m.clientHost : m.host, s.host));
    add(s.host, s.port, 'connectString', member?.id);
  }
  for (const m of members) {
    if (m.clientPort === undefined) continue;
    add(m.clientHost && !isWildcard(m.clientHost) ? m.clientHost : m.host, m.clientPort, 'membership', m.id);
    if (discovered > MAX_DISCOVERED_MEMBERS) break;
  }
  return out;
}

/**
 * Reads every server's client connections, `concurrency` servers at a time (each with its own
 * deadline); never rejects (problems are kept per server). Results in the order of `servers`.
 */
export async function readConnections(servers: readonly SessionServer[], opts: ReadConnectionsOptions): Promise<ConnectionsReading> {
  const io: SessionsIo = { fourLetterWord: opts.io?.fourLetterWord ?? sendFourLetterWord, adminCommand: opts.io?.adminCommand ?? adminCommand };
  const now = opts.now ?? Date.now;
  const results = new Array<ServerConnections>(servers.length);
  let next = 0;
  const worker = async () => {
    while (next < servers.length) {
      const i = next++;
      results[i] = await readServer({ ...servers[i] }, io, opts, now);
    }
  };
  const width = Math.max(1, Math.min(servers.length, opts.concurrency ?? DEFAULT_READ_CONCURRENCY));
  await Promise.all(Array.from({ length: width }, worker));
  return { servers: results, at: now() };
}

async function readServer(server: SessionServer, io: SessionsIo, opts: ReadConnectionsOptions, now: () => number): Promise<ServerConnections> {
  const deadline = now() + opts.timeoutMs;
  const left = () => Math.max(1, deadline - now());
  const result: ServerConnections = { server, label: serverLabel(server) };
  // The id (for the label) from `conf`, asked alongside; a refusal or a failure only costs the id.
  const conf =
    server.id === undefined
      ? io
          .fourLetterWord(server.host, server.port, 'conf', { timeoutMs: left(), signal: opts.signal })
          .then((text) => (notWhitelistedWord(text) === undefined ? parseConf(text).serverId : undefined))
          .catch(() => undefined)
      : Promise.resolve(server.id);
  try {
    const text = await io.fourLetterWord(server.host, server.port, 'cons', { timeoutMs: left(), signal: opts.signal });
    if (notWhitelistedWord(text) !== undefined) {
      result.problem = {
        kind: 'notWhitelisted',
        message: msg('it refuses the four-letter word cons (not in its 4lw.commands.whitelist)'),
        configLine: whitelistLine(['cons']),
      };
    } else if (isNotServing(text)) {
      result.problem = { kind: 'notServing', message: msg('it is not serving requests (no quorum, or still starting)') };
    } else {
      const list = parseCons(text);
      if (list.length === 0 && text.trim() !== '') result.problem = { kind: 'badReply', message: msg('its answer to cons was not a list of connections') };
      else {
        result.connections = list;
        result.via = 'cons';
      }
    }
  } catch (e) {
    result.problem = probeProblem(e);
  }
  if (result.problem?.kind === 'notWhitelisted') {
    if (server.adminPort === undefined) {
      result.fallbackProblem = msg('no AdminServer port is set for it');
    } else {
      try {
        const json = await io.adminCommand(server.host, server.adminPort, 'connections', { timeoutMs: left(), signal: opts.signal });
        result.connections = parseAdminConnections(json);
        result.via = 'adminServer';
      } catch (e) {
        result.fallbackProblem = msg('its AdminServer at {0}: {1}', addressKey(server.host, server.adminPort), messageOfError(e));
      }
    }
  }
  const id = await conf;
  if (id !== undefined && server.id === undefined) server.id = id;
  result.label = serverLabel(server);
  return result;
}

function probeProblem(e: unknown): ServerProblem {
  if (e instanceof ProbeError) {
    switch (e.kind) {
      case 'refused':
        return { kind: 'down', message: msg('it is down ({0})', messageOfError(e)) };
      case 'unreachable':
      case 'reset':
        return { kind: 'down', message: msg('it cannot be reached ({0})', messageOfError(e)) };
      case 'timeout':
        return { kind: 'timeout', message: msg('it did not answer in time ({0})', messageOfError(e)) };
      case 'tooLarge':
      case 'badReply':
        return { kind: 'badReply', message: messageOfError(e) };
      case 'aborted':
        return { kind: 'error', message: msg('the lookup was stopped') };
      default:
        return { kind: 'error', message: messageOfError(e) };
    }
  }
  return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
}

// ---------------------------------------------------------------------------------------------
// Finding one session in a reading.

export interface SessionFound {
  found: true;
  sessionId: string;
  /** The client's address as the server sees it: `127.0.0.1:45900`, `[::1]:43716`. */
  client: string;
  clientHost: string;
  clientPort: number;
  /** A name the server had resolved for the client. */
  clientName?: string;
  server: ServerConnections;
  /** When the client connected to that server (the session may be older). */
  since?: Date;
  lastOperation?: string;
  timeoutMs?: number;
  via: 'cons' | 'adminServer';
}

export interface SessionNotFound {
  found: false;
  sessionId: string;
  /** One line per server: why it could not be asked, or that it has no such connection. */
  servers: { label: string; answered: boolean; reason: Message | string; configLine?: string }[];
  /** Every server answered: the session is connected nowhere (its client is between servers, or gone). */
  allAnswered: boolean;
}

export type SessionLookup = SessionFound | SessionNotFound;

/** `0x00A1` and `0xa1` alike as `0xa1`; a decimal id as hex; undefined for anything else or 0. */
export function normaliseSessionId(id: string): string | undefined {
  const t = id.trim();
  let n: bigint;
  if (/^0x[0-9a-fA-F]{1,16}$/.test(t)) n = BigInt(t);
  else if (/^-?\d{1,20}$/.test(t)) n = BigInt.asUintN(64, BigInt(t));
  else return undefined;
  return n === 0n ? undefined : '0x' + n.toString(16);
}

export function locateSession(reading: ConnectionsReading, sessionId: string): SessionLookup {
  const wanted = normaliseSessionId(sessionId) ?? sessionId;
  for (const s of reading.servers) {
    const c = s.connections?.find((x) => x.sessionId !== undefined && normaliseSessionId(x.sessionId) === wanted);
    if (!c) continue;
    const host = normaliseAddress(c.address);
    const found: SessionFound = {
      found: true,
      sessionId: wanted,
      client: addressKey(host, c.port),
      clientHost: host,
      clientPort: c.port,
      server: s,
      via: s.via ?? 'cons',
    };
    if (c.hostName) found.clientName = c.hostName;
    if (c.established !== undefined && c.established > 0) found.since = new Date(c.established);
    if (c.lastOperation) found.lastOperation = c.lastOperation;
    if (c.timeoutMs !== undefined) found.timeoutMs = c.timeoutMs;
    return found;
  }
  const servers = reading.servers.map((s) => {
    if (s.connections) {
      const n = s.connections.filter((c) => c.sessionId !== undefined).length;
      return { label: s.label, answered: true, reason: n === 1 ? msg('not among its 1 session') : msg('not among its {0} sessions', n) };
    }
    const p = s.problem!;
    const reason = s.fallbackProblem ? msg('{0} (AdminServer fallback: {1})', p.message, s.fallbackProblem) : p.message;
    return { label: s.label, answered: false, reason, ...(p.configLine ? { configLine: p.configLine } : {}) };
  });
  return { found: false, sessionId: wanted, servers, allAnswered: servers.length > 0 && servers.every((s) => s.answered) };
}

/**
 * One sentence: "client 127.0.0.1:45900 connected to server.1 (127.0.0.1:2181) since …", or why
 * not, per server, with the zoo.cfg line that lets a refusing server be asked (unless `fixes` is false).
 */
export function describeLookup(l: SessionLookup, opts: { fixes?: boolean } = {}, t: Translate = english): string {
  if (l.found) {
    const client = l.clientName ? t('{0} ({1})', l.client, l.clientName) : l.client;
    return l.since ? t('client {0} connected to {1} since {2}', client, l.server.label, formatTime(l.since, t)) : t('client {0} connected to {1}', client, l.server.label);
  }
  if (l.servers.length === 0) return t('not connected to any server we could ask: no servers to ask');
  const one = (s: SessionNotFound['servers'][number]) =>
    s.configLine && opts.fixes !== false ? t('{0}: {1}, add `{2}` to its zoo.cfg and restart it', s.label, renderMessage(s.reason, t), s.configLine) : t('{0}: {1}', s.label, renderMessage(s.reason, t));
  const why = l.servers.map(one).reduce((all, x) => t('{0}; {1}', all, x));
  if (l.allAnswered) return t('not connected to any server right now ({0}); its client may be between servers, or gone until the session times out', why);
  return t('not connected to any server we could ask ({0})', why);
}

export function formatTime(d: Date, t: Translate = english): string {
  return Number.isNaN(d.getTime()) ? t('an unknown time') : d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC').replace('Z', ' UTC');
}

/** Looks up several sessions with one reading of every server. */
export async function lookupSessions(servers: readonly SessionServer[], sessionIds: Iterable<string>, opts: ReadConnectionsOptions): Promise<Map<string, SessionLookup>> {
  const ids = [...new Set([...sessionIds].map((s) => normaliseSessionId(s)).filter((s): s is string => s !== undefined))];
  const out = new Map<string, SessionLookup>();
  if (ids.length === 0) return out;
  const reading = await readConnections(servers, opts);
  for (const id of ids) out.set(id, locateSession(reading, id));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Addresses.

export function serverLabel(s: SessionServer): string {
  const addr = addressKey(s.host, s.port);
  return s.id !== undefined ? `server.${s.id} (${addr})` : addr;
}

export function addressKey(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** IPv6 in its short form (`0:0:0:0:0:0:0:1` → `::1`, as Node prints it); anything else as is. */
export function normaliseAddress(address: string): string {
  const a = address.replace(/^\[|\]$/g, '');
  if (!a.includes(':') || a.includes('%')) return a;
  try {
    return new URL(`http://[${a}]/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return a;
  }
}

function sameHost(a: string, b: string): boolean {
  return normaliseAddress(a).toLowerCase() === normaliseAddress(b).toLowerCase() || (isLoopback(a) && isLoopback(b));
}

function isLoopback(h: string): boolean {
  const n = normaliseAddress(h).toLowerCase();
  return n === 'localhost' || n === '::1' || /^127\./.test(n);
}

function isWildcard(h: string): boolean {
  return /^(0\.0\.0\.0|::|0:0:0:0:0:0:0:0)$/.test(h);
}
