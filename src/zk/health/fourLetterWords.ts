// ZooKeeper's four-letter words: a socket client with a hard deadline, and parsers for the replies
// of `mntr`, `srvr`, `conf`, `cons` and `isro` (formats as printed by 3.8 servers). Every reply is
// untrusted text: parsers accept garbage, truncation and hostile values without throwing, keep
// only what matches the expected shape, and cap the length of every string they return.
//
// Only words that read state can be sent: `srst`, `crst`, `stat_reset`, `set_trace_mask` and the
// like change the server and are refused here, before any socket is opened.
import { nodeNet } from '../lazyBuiltins';
import type { ServerMetrics } from './healthTypes';
import { LocalizedError } from '../localizedError';
import { msg, type Message } from '../message';
import { cleanText, parseNumber, parseRole, parseVersion, parseZxid, validPort, type ServerRole } from './replyValues';

export { MAX_TEXT, cleanText, parseNumber, parseRole, parseVersion, parseZxid, type ServerRole } from './replyValues';
export { parseCons, type ClientConnection } from './consReply';

/** Read-only words this client may send. Anything else is refused. */
// `dump` lists sessions and ephemeral nodes: read-only, but sent only on demand (Show Sessions).
export const READ_ONLY_WORDS = ['mntr', 'srvr', 'stat', 'conf', 'cons', 'isro', 'ruok', 'envi', 'wchs', 'dirs', 'dump'] as const;
export type FourLetterWord = (typeof READ_ONLY_WORDS)[number];

export function isReadOnlyWord(w: string): w is FourLetterWord {
  return (READ_ONLY_WORDS as readonly string[]).includes(w);
}

export type ProbeErrorKind =
  | 'timeout' // no complete answer before the deadline (a frozen server still accepts TCP)
  | 'refused' // nothing listens there: the server is down
  | 'reset' // the connection was dropped
  | 'unreachable' // host unknown or no route
  | 'tooLarge' // the reply exceeded the size limit
  | 'http' // the AdminServer answered with an HTTP error
  | 'badReply' // an answer that is not what the command returns
  | 'aborted' // the caller stopped waiting
  | 'refusedCommand'; // a state-changing command was asked for and never sent

/** Worded here as a Message (the health panel and Show Sessions translate it), or a socket's own text. */
export class ProbeError extends LocalizedError {
  constructor(
    readonly kind: ProbeErrorKind,
    message: Message | string,
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

export interface RequestOptions {
  /** The whole exchange (connect, send, read to the end) must finish within this many ms. */
  timeoutMs: number;
  /** Replies larger than this are cut off with a 'tooLarge' error (default 4 MiB). */
  maxBytes?: number;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_REPLY_BYTES = 4 * 1024 * 1024;

/** Sends one read-only four-letter word and resolves with the whole reply (the server closes the socket). */
export function sendFourLetterWord(host: string, port: number, word: string, opts: RequestOptions): Promise<string> {
  if (!isReadOnlyWord(word)) {
    return Promise.reject(new ProbeError('refusedCommand', msg('"{0}" is not a read-only four-letter word: it is never sent', word)));
  }
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_REPLY_BYTES;
  return new Promise<string>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new ProbeError('aborted', msg('stopped')));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let connected = false;
    let settled = false;
    const socket = nodeNet().connect({ host, port });
    const finish = (err: ProbeError | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onAbort = () => finish(new ProbeError('aborted', msg('stopped')));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () =>
        finish(
          new ProbeError(
            'timeout',
            connected
              ? msg('accepted the connection but did not answer "{0}" within {1} ms (frozen, paused or overloaded?)', word, opts.timeoutMs)
              : msg('did not accept a connection within {0} ms', opts.timeoutMs),
          ),
        ),
      opts.timeoutMs,
    );
    socket.setNoDelay(true);
    socket.on('connect', () => {
      connected = true;
      socket.write(word);
    });
    socket.on('data', (d: Buffer) => {
      size += d.length;
      if (size > maxBytes) {
        finish(new ProbeError('tooLarge', msg('the reply to "{0}" exceeded {1} bytes', word, maxBytes)));
        return;
      }
      chunks.push(d);
    });
    socket.on('end', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A reset after a reply is how some servers close: keep what arrived.
      if (e.code === 'ECONNRESET' && size > 0) finish(undefined);
      else finish(socketError(e));
    });
  });
}

/** Maps a socket error to a kind and a sentence (an unknown error keeps its own text). */
export function socketError(e: NodeJS.ErrnoException): ProbeError {
  switch (e.code) {
    case 'ECONNREFUSED':
      return new ProbeError('refused', msg('connection refused: nothing listens on that port (server down?)'));
    case 'ECONNRESET':
    case 'EPIPE':
      return new ProbeError('reset', msg('the server dropped the connection'));
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ProbeError('unreachable', msg('host name not found'));
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ProbeError('unreachable', msg('no route to the host'));
    case 'ETIMEDOUT':
      return new ProbeError('timeout', msg('the connection timed out'));
    default:
      return new ProbeError('reset', e.message || String(e.code ?? 'socket error'));
  }
}

// ---------------------------------------------------------------------------------------------
// Replies that are not data.

const NOT_WHITELISTED = /^\s*([A-Za-z_]{1,32}) is not executed because it is not in the whitelist\.?\s*$/;
const NOT_SERVING = /This ZooKeeper instance is not currently serving requests/;

/** The word the server refused because of `4lw.commands.whitelist`, if that is what the reply says. */
export function notWhitelistedWord(reply: string): string | undefined {
  const m = NOT_WHITELISTED.exec(reply);
  return m ? m[1] : undefined;
}

/** Whether the reply says the server is up but has no quorum (or is still starting). */
export function isNotServing(reply: string): boolean {
  return NOT_SERVING.test(reply.slice(0, 500));
}

/** Order used in the suggested whitelist line. */
const WHITELIST_ORDER: readonly string[] = ['srvr', 'mntr', 'conf', 'isro', 'ruok', 'cons', 'stat', 'envi', 'wchs', 'dirs'];

/**
 * The exact zoo.cfg line that lets this tool read a server: the words it needs plus those the server
 * already answered (so the fix does not take away what works today).
 */
export function whitelistLine(words: Iterable<string>): string {
  const set = new Set<string>(['srvr', 'mntr', 'conf', 'isro', 'ruok']);
  for (const w of words) if (isReadOnlyWord(w)) set.add(w);
  const sorted = [...set].sort((a, b) => WHITELIST_ORDER.indexOf(a) - WHITELIST_ORDER.indexOf(b));
  return `4lw.commands.whitelist=${sorted.join(',')}`;
}

// ---------------------------------------------------------------------------------------------
// mntr

export interface MntrValues {
  /** Every well-formed `key<TAB>value` line, keys as sent (with the `zk_` prefix). */
  values: Map<string, string>;
  /** Lines that did not match (garbage, truncation). */
  skippedLines: number;
}

const MAX_MNTR_KEYS = 5000;

/** `mntr`: tab-separated `zk_key value` lines. Unknown keys are kept; malformed lines are counted and skipped. */
export function parseMntr(text: string): MntrValues {
  const values = new Map<string, string>();
  let skippedLines = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const m = /^([A-Za-z][A-Za-z0-9_.-]{0,127})\t(.*)$/.exec(line);
    if (!m || values.size >= MAX_MNTR_KEYS) {
      skippedLines++;
      continue;
    }
    values.set(m[1], m[2]);
  }
  return { values, skippedLines };
}

// ---------------------------------------------------------------------------------------------
// The typed figures the health model uses, whichever command they came from.

/** What a server reported about itself: the figures the health panel shows, and the rest. */
export interface ServerFigures extends ServerMetrics {
  role?: ServerRole;
  /** The role text as sent when it was not one we know. */
  rawRole?: string;
  peerState?: string;
  packetsReceived?: number;
  packetsSent?: number;
  zxid?: bigint;
  /** Leader only. */
  syncedObservers?: number;
  /** Voting members the server knows of (`zk_quorum_size`, despite its name). */
  votingMembers?: number;
  readOnly?: boolean;
}

/** Figures out of `mntr` (also used for the AdminServer's `monitor`, whose keys lack `zk_`). */
export function figuresFromMntr(values: ReadonlyMap<string, string>, prefix = 'zk_'): ServerFigures {
  const s = (k: string) => values.get(prefix + k);
  const n = (k: string) => parseNumber(s(k));
  const f: ServerFigures = {};
  const versionFull = s('version');
  if (versionFull !== undefined) {
    f.versionFull = cleanText(versionFull);
    f.version = parseVersion(versionFull);
  }
  const state = s('server_state');
  if (state !== undefined) {
    f.role = parseRole(state);
    if (f.role === 'unknown') f.rawRole = cleanText(state, 40);
    if (f.role === 'read-only') f.readOnly = true;
  }
  const peer = s('peer_state');
  if (peer !== undefined) f.peerState = cleanText(peer, 80);
  assign(f, 'latencyMin', n('min_latency'));
  assign(f, 'latencyAvg', n('avg_latency'));
  assign(f, 'latencyMax', n('max_latency'));
  assign(f, 'outstanding', n('outstanding_requests'));
  assign(f, 'connections', n('num_alive_connections'));
  assign(f, 'znodes', n('znode_count'));
  assign(f, 'watches', n('watch_count'));
  assign(f, 'ephemerals', n('ephemerals_count'));
  assign(f, 'approximateDataSize', n('approximate_data_size'));
  assign(f, 'openFds', n('open_file_descriptor_count'));
  assign(f, 'maxFds', n('max_file_descriptor_count'));
  assign(f, 'uptimeMs', n('uptime'));
  assign(f, 'packetsReceived', n('packets_received'));
  assign(f, 'packetsSent', n('packets_sent'));
  assign(f, 'learners', n('learners'));
  assign(f, 'syncedFollowers', n('synced_followers'));
  assign(f, 'syncedObservers', n('synced_observers'));
  assign(f, 'pendingSyncs', n('pending_syncs'));
  assign(f, 'votingMembers', n('quorum_size'));
  return f;
}

function assign<K extends keyof ServerFigures>(f: ServerFigures, k: K, v: ServerFigures[K] | undefined): void {
  if (v !== undefined) f[k] = v;
}

// ---------------------------------------------------------------------------------------------
// srvr

export interface SrvrReply {
  figures: ServerFigures;
  /** The server is up but not serving (no quorum, or starting). */
  notServing: boolean;
  /** Whether the reply had the lines every srvr reply has (Mode or Zxid); false for garbage. */
  recognised: boolean;
}

/** `srvr`: `Key: value` lines (version, latency min/avg/max, received/sent, connections, outstanding, zxid, mode, node count). */
export function parseSrvr(text: string): SrvrReply {
  const f: ServerFigures = {};
  if (isNotServing(text)) return { figures: f, notServing: true, recognised: true };
  let recognised = false;
  for (const line of text.split(/\r?\n/).slice(0, 200)) {
    const m = /^([A-Za-z][A-Za-z /]{0,60}):\s?(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].trim().toLowerCase();
    const value = m[2];
    switch (key) {
      case 'zookeeper version':
        f.versionFull = cleanText(value);
        f.version = parseVersion(value);
        break;
      case 'latency min/avg/max': {
        const parts = value.split('/');
        if (parts.length === 3) {
          assign(f, 'latencyMin', parseNumber(parts[0]));
          assign(f, 'latencyAvg', parseNumber(parts[1]));
          assign(f, 'latencyMax', parseNumber(parts[2]));
        }
        break;
      }
      case 'received':
        assign(f, 'packetsReceived', parseNumber(value));
        break;
      case 'sent':
        assign(f, 'packetsSent', parseNumber(value));
        break;
      case 'connections':
        assign(f, 'connections', parseNumber(value));
        break;
      case 'outstanding':
        assign(f, 'outstanding', parseNumber(value));
        break;
      case 'zxid': {
        const z = parseZxid(value);
        if (z !== undefined) {
          f.zxid = z;
          recognised = true;
        }
        break;
      }
      case 'mode': {
        const role = parseRole(value);
        if (role !== undefined) {
          f.role = role;
          if (role === 'unknown') f.rawRole = cleanText(value, 40);
          if (role === 'read-only') f.readOnly = true;
          recognised = true;
        }
        break;
      }
      case 'node count':
        assign(f, 'znodes', parseNumber(value));
        break;
      default:
        break;
    }
  }
  return { figures: f, notServing: false, recognised };
}

// ---------------------------------------------------------------------------------------------
// conf and membership (`conf`'s tail and the `/zookeeper/config` znode share the format)

export interface EnsembleMember {
  id: number;
  /** Quorum (peer) address. */
  host: string;
  quorumPort?: number;
  electionPort?: number;
  type: 'participant' | 'observer';
  /** Client address when the config says it (`;host:port` or `;port`). */
  clientHost?: string;
  clientPort?: number;
}

export interface ConfReply {
  /** `key=value` settings before the membership (capped). */
  settings: Map<string, string>;
  serverId?: number;
  clientPort?: number;
  members: EnsembleMember[];
  /** The config version (hex) when present. */
  configVersion?: string;
  recognised: boolean;
}

/** `conf`: settings, then `membership:` and `server.N=` lines, then `version=`. */
export function parseConf(text: string): ConfReply {
  const settings = new Map<string, string>();
  const members: EnsembleMember[] = [];
  const ids = new Set<number>();
  let configVersion: string | undefined;
  for (const line of text.split(/\r?\n/).slice(0, 2000)) {
    const member = parseMemberLine(line);
    if (member) {
      // A Set, not a search of the list: a reply of 2,000 members is read every round.
      if (!ids.has(member.id)) {
        ids.add(member.id);
        members.push(member);
      }
      continue;
    }
    const m = /^([A-Za-z][A-Za-z0-9_.]{0,80})=(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'version') {
      if (/^[0-9a-fA-F]{1,16}$/.test(m[2].trim())) configVersion = m[2].trim();
      continue;
    }
    if (settings.size < 200) settings.set(m[1], cleanText(m[2]));
  }
  const serverId = parseNumber(settings.get('serverId'));
  const clientPort = parseNumber(settings.get('clientPort'));
  return {
    settings,
    serverId: serverId !== undefined && Number.isInteger(serverId) && serverId >= 0 ? serverId : undefined,
    clientPort: validPort(clientPort),
    members: members.sort((a, b) => a.id - b.id),
    configVersion,
    recognised: serverId !== undefined || members.length > 0 || clientPort !== undefined,
  };
}

/** The `server.N=` lines of a dynamic config (`/zookeeper/config`) or of `conf`. */
export function parseMembership(text: string): { members: EnsembleMember[]; configVersion?: string } {
  const { members, configVersion } = parseConf(text);
  return { members, configVersion };
}

/**
 * One `server.N=host:quorumPort:electionPort[:participant|observer][;[clientHost:]clientPort]` line;
 * hosts may be bracketed IPv6. Undefined when the line is anything else.
 */
export function parseMemberLine(line: string): EnsembleMember | undefined {
  const m = /^server\.(\d{1,9})=(.{1,400})$/.exec(line.trim());
  if (!m) return undefined;
  const id = Number(m[1]);
  const [peerPart, clientPart] = m[2].split(';', 2);
  const peer = splitHost(peerPart.trim());
  if (!peer || !validHost(peer.host)) return undefined;
  const fields = peer.rest === '' ? [] : peer.rest.replace(/^:/, '').split(':');
  const quorumPort = validPort(parseNumber(fields[0]));
  const electionPort = validPort(parseNumber(fields[1]));
  const typeText = (fields[2] ?? 'participant').trim().toLowerCase();
  if (typeText !== 'participant' && typeText !== 'observer') return undefined;
  const member: EnsembleMember = { id, host: peer.host, type: typeText };
  if (quorumPort !== undefined) member.quorumPort = quorumPort;
  if (electionPort !== undefined) member.electionPort = electionPort;
  if (clientPart !== undefined && clientPart.trim() !== '') {
    const c = clientPart.trim();
    if (/^\d{1,5}$/.test(c)) {
      member.clientPort = validPort(Number(c));
    } else {
      const ch = splitHost(c);
      const port = ch && validHost(ch.host) && /^:\d{1,5}$/.test(ch.rest) ? validPort(Number(ch.rest.slice(1))) : undefined;
      if (ch && port !== undefined) {
        member.clientHost = ch.host;
        member.clientPort = port;
      }
    }
    if (member.clientPort === undefined) delete member.clientPort;
  }
  return member;
}

function splitHost(s: string): { host: string; rest: string } | undefined {
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) return undefined;
    return { host: s.slice(1, end), rest: s.slice(end + 1) };
  }
  const i = s.indexOf(':');
  return i < 0 ? { host: s, rest: '' } : { host: s.slice(0, i), rest: s.slice(i) };
}

function validHost(h: string): boolean {
  return /^[A-Za-z0-9._-]{1,253}$/.test(h) || /^[0-9a-fA-F:.]{2,45}$/.test(h);
}


// ---------------------------------------------------------------------------------------------
// isro

/** `isro`: 'rw' or 'ro'; undefined for anything else. */
export function parseIsro(text: string): 'rw' | 'ro' | undefined {
  const t = text.trim();
  return t === 'rw' || t === 'ro' ? t : undefined;
}
