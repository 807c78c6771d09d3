// The AdminServer (Jetty, `admin.serverPort`, 8080 by default): `GET /commands/<name>` answers JSON.
// It ignores `4lw.commands.whitelist`, so it is the fallback when a four-letter word is refused.
// Only read-only commands can be asked for; replies are untrusted and parsed defensively.
import { nodeHttp } from '../lazyBuiltins';
import {
  DEFAULT_MAX_REPLY_BYTES,
  ProbeError,
  cleanText,
  figuresFromMntr,
  parseRole,
  parseVersion,
  socketError,
  type ClientConnection,
  type EnsembleMember,
  type RequestOptions,
  type ServerFigures,
} from './fourLetterWords';
import { msg, type Message } from '../message';

/** Read-only AdminServer commands this client may ask for. */
export const READ_ONLY_ADMIN_COMMANDS = ['monitor', 'leader', 'stats', 'configuration', 'voting_view', 'is_read_only', 'ruok', 'connections', 'environment', 'dump'] as const;
export type AdminCommand = (typeof READ_ONLY_ADMIN_COMMANDS)[number];

export function isReadOnlyAdminCommand(c: string): c is AdminCommand {
  return (READ_ONLY_ADMIN_COMMANDS as readonly string[]).includes(c);
}

export const DEFAULT_ADMIN_PORT = 8080;

export type JsonObject = { [key: string]: unknown };

/**
 * GET http://host:port/commands/<command>, with a deadline over the whole exchange. Resolves with
 * the JSON object; rejects with a ProbeError ('http' for an error status or an `error` field,
 * 'badReply' for a body that is not a JSON object).
 */
export function adminCommand(host: string, port: number, command: string, opts: RequestOptions): Promise<JsonObject> {
  if (!isReadOnlyAdminCommand(command)) {
    return Promise.reject(new ProbeError('refusedCommand', msg('"{0}" is not a read-only AdminServer command: it is never sent', command)));
  }
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_REPLY_BYTES;
  return new Promise<JsonObject>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new ProbeError('aborted', msg('stopped')));
      return;
    }
    let settled = false;
    const finish = (err: ProbeError | undefined, value?: JsonObject) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    const onAbort = () => finish(new ProbeError('aborted', msg('stopped')));
    const req = nodeHttp().get({ host, port, path: `/commands/${command}`, headers: { accept: 'application/json' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (d: Buffer) => {
        size += d.length;
        if (size > maxBytes) finish(new ProbeError('tooLarge', msg("the AdminServer's reply to {0} exceeded {1} bytes", command, maxBytes)));
        else chunks.push(d);
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish(socketError(e)));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          finish(new ProbeError('http', describeHttpError(status, body)));
          return;
        }
        let json: unknown;
        try {
          json = JSON.parse(quoteUnsafeIntegers(body));
        } catch {
          finish(new ProbeError('badReply', msg("the AdminServer's /commands/{0} did not answer JSON", command)));
          return;
        }
        if (typeof json !== 'object' || json === null || Array.isArray(json)) {
          finish(new ProbeError('badReply', msg("the AdminServer's /commands/{0} did not answer a JSON object", command)));
          return;
        }
        const error = (json as JsonObject).error;
        if (error !== undefined && error !== null) {
          finish(new ProbeError('http', typeof error === 'string' ? cleanText(error, 200) : msg('/commands/{0} failed', command)));
          return;
        }
        finish(undefined, json as JsonObject);
      });
    });
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish(new ProbeError('timeout', msg('the AdminServer did not answer /commands/{0} within {1} ms', command, opts.timeoutMs))), opts.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      const pe = socketError(e);
      finish(pe.kind === 'refused' ? new ProbeError('refused', msg('connection refused: no AdminServer on that port')) : pe);
    });
  });
}

/**
 * JSON text with every integer beyond 2^53 turned into a string of its digits, so that 64-bit values
 * (session ids) reach the parsers exactly instead of rounded. Strings are left alone; other
 * numbers are unchanged.
 */
export function quoteUnsafeIntegers(json: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== '-' && (c < '0' || c > '9')) continue;
    let j = i + 1;
    while (j < json.length && /[0-9.eE+-]/.test(json[j])) j++;
    const token = json.slice(i, j);
    if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
      out += json.slice(from, i) + '"' + token + '"';
      from = j;
    }
    i = j - 1;
  }
  return out + json.slice(from);
}

/** An HTTP error in words; the HTML error page of a server without quorum is recognised. */
export function describeHttpError(status: number, body: string): Message {
  if (/not currently serving requests|zkServer&quot; is null|zkServer" is null/.test(body.slice(0, 4000))) {
    return msg('HTTP {0}: the server is not serving requests (no quorum?)', status);
  }
  return msg('HTTP {0}', status);
}

/** Whether an AdminServer error means "up, but not serving". */
export function isNotServingError(e: unknown): boolean {
  return e instanceof ProbeError && e.kind === 'http' && /not (currently )?serving/.test(e.message);
}

// ---------------------------------------------------------------------------------------------
// Parsers. Each takes `unknown` (the parsed JSON) and keeps only values of the expected type.

/** `/commands/monitor`: the mntr values without the `zk_` prefix. */
export function parseAdminMonitor(json: unknown): ServerFigures {
  if (!isObject(json)) return {};
  const values = new Map<string, string>();
  for (const [k, v] of Object.entries(json)) {
    if (values.size >= 5000) break;
    if (typeof v === 'number' && Number.isFinite(v)) values.set(k, String(v));
    else if (typeof v === 'string') values.set(k, v);
    else if (typeof v === 'boolean') values.set(k, String(v));
  }
  return figuresFromMntr(values, '');
}

export interface AdminLeader {
  isLeader: boolean;
  leaderId?: number;
  leaderIp?: string;
}

/** `/commands/leader`: `{ is_leader, leader_id, leader_ip }`. */
export function parseAdminLeader(json: unknown): AdminLeader | undefined {
  if (!isObject(json) || typeof json.is_leader !== 'boolean') return undefined;
  const out: AdminLeader = { isLeader: json.is_leader };
  if (isId(json.leader_id)) out.leaderId = json.leader_id;
  if (typeof json.leader_ip === 'string') out.leaderIp = cleanText(json.leader_ip, 64);
  return out;
}

/** `/commands/stats`: srvr's figures (`server_stats.*`, `node_count`, `version`). */
export function parseAdminStats(json: unknown): ServerFigures {
  if (!isObject(json)) return {};
  const f: ServerFigures = {};
  if (typeof json.version === 'string') {
    f.versionFull = cleanText(json.version);
    f.version = parseVersion(json.version);
  }
  if (typeof json.read_only === 'boolean') f.readOnly = json.read_only;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const nc = num(json.node_count);
  if (nc !== undefined) f.znodes = nc;
  const s = json.server_stats;
  if (isObject(s)) {
    const set = <K extends 'latencyMin' | 'latencyAvg' | 'latencyMax' | 'outstanding' | 'connections' | 'uptimeMs' | 'packetsReceived' | 'packetsSent'>(k: K, v: unknown) => {
      const n = num(v);
      if (n !== undefined) f[k] = n;
    };
    set('latencyMin', s.min_latency);
    set('latencyAvg', s.avg_latency);
    set('latencyMax', s.max_latency);
    set('outstanding', s.outstanding_requests);
    set('connections', s.num_alive_client_connections);
    set('uptimeMs', s.uptime);
    set('packetsReceived', s.packets_received);
    set('packetsSent', s.packets_sent);
    if (typeof s.server_state === 'string') {
      f.role = parseRole(s.server_state);
      if (f.role === 'unknown') f.rawRole = cleanText(s.server_state, 40);
    }
    // JSON numbers above 2^53 lose precision: only exact ones are kept.
    const z = s.last_processed_zxid;
    if (typeof z === 'number' && Number.isSafeInteger(z) && z >= 0) f.zxid = BigInt(z);
  }
  return f;
}

/** `/commands/connections`: the client connections (plain and secure), in the shape of `cons`. */
export function parseAdminConnections(json: unknown): ClientConnection[] {
  if (!isObject(json)) return [];
  const out: ClientConnection[] = [];
  for (const list of [json.connections, json.secure_connections]) {
    if (!Array.isArray(list)) continue;
    for (const v of list) {
      if (out.length >= 10000) return out;
      if (!isObject(v) || typeof v.remote_socket_address !== 'string') continue;
      const peer = splitPeer(v.remote_socket_address);
      if (!peer) continue;
      const c: ClientConnection = { address: peer.host, port: peer.port };
      const sid = sessionIdText(v.session_id);
      if (sid !== undefined) c.sessionId = sid;
      const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
      const set = <K extends 'queued' | 'received' | 'sent' | 'established' | 'timeoutMs' | 'lastLatency' | 'latencyMin' | 'latencyAvg' | 'latencyMax'>(k: K, x: unknown) => {
        const n = num(x);
        if (n !== undefined) c[k] = n;
      };
      set('queued', v.outstanding_requests);
      set('received', v.packets_received);
      set('sent', v.packets_sent);
      set('established', v.established);
      set('timeoutMs', v.session_timeout);
      set('lastLatency', v.last_latency);
      set('latencyMin', v.min_latency);
      set('latencyAvg', v.avg_latency);
      set('latencyMax', v.max_latency);
      if (typeof v.last_operation === 'string' && /^[A-Za-z_]{1,32}$/.test(v.last_operation)) c.lastOperation = v.last_operation;
      out.push(c);
    }
  }
  return out;
}

/** A 64-bit session id (a number, or digits quoted by quoteUnsafeIntegers; signed as Java prints it) as `0x…`. */
function sessionIdText(v: unknown): string | undefined {
  let n: bigint;
  if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) n = BigInt(v);
  else return undefined;
  if (n === 0n || n < -(2n ** 63n) || n >= 2n ** 64n) return undefined;
  return '0x' + BigInt.asUintN(64, n).toString(16);
}

/** `127.0.0.1:55978`, `/127.0.0.1:55978`, `[::1]:5678`, `0:0:0:0:0:0:0:1:5678` or `name/10.0.0.1:5678`. */
function splitPeer(s: string): { host: string; port: number } | undefined {
  const t = s.trim().replace(/^[A-Za-z0-9._-]{0,253}\//, '');
  const m = /^(?:\[([0-9A-Za-z:.%_-]{2,80})\]|([0-9A-Za-z:.%_-]{1,80}?)):(\d{1,5})$/.exec(t);
  if (!m) return undefined;
  const port = Number(m[3]);
  const host = m[1] ?? m[2];
  return port >= 1 && port <= 65535 && /[.:]/.test(host) ? { host: cleanText(host, 64), port } : undefined;
}

/** `/commands/configuration`: the server's own id and client port. */
export function parseAdminConfiguration(json: unknown): { serverId?: number; clientPort?: number } {
  if (!isObject(json)) return {};
  const out: { serverId?: number; clientPort?: number } = {};
  if (isId(json.server_id)) out.serverId = json.server_id;
  if (typeof json.client_port === 'number' && Number.isInteger(json.client_port) && json.client_port > 0 && json.client_port <= 65535) out.clientPort = json.client_port;
  return out;
}

/** `/commands/voting_view`: the voting members (`current_config`), with client addresses where known. */
export function parseAdminVotingView(json: unknown): EnsembleMember[] {
  if (!isObject(json) || !isObject(json.current_config)) return [];
  const members: EnsembleMember[] = [];
  for (const [idText, v] of Object.entries(json.current_config)) {
    if (members.length >= 1000) break;
    if (!/^\d{1,9}$/.test(idText) || !isObject(v)) continue;
    const peer = Array.isArray(v.server_addresses) && typeof v.server_addresses[0] === 'string' ? splitAddress(v.server_addresses[0]) : undefined;
    const election = Array.isArray(v.election_addresses) && typeof v.election_addresses[0] === 'string' ? splitAddress(v.election_addresses[0]) : undefined;
    if (!peer) continue;
    const type = v.learner_type === 'observer' ? 'observer' : 'participant';
    const m: EnsembleMember = { id: Number(idText), host: peer.host, type };
    if (peer.port !== undefined) m.quorumPort = peer.port;
    if (election?.port !== undefined) m.electionPort = election.port;
    if (typeof v.client_address === 'string' && v.client_address !== '') {
      const c = splitAddress(v.client_address);
      if (c && c.port !== undefined) {
        m.clientHost = c.host;
        m.clientPort = c.port;
      }
    }
    members.push(m);
  }
  return members.sort((a, b) => a.id - b.id);
}

function splitAddress(s: string): { host: string; port?: number } | undefined {
  const t = s.trim().replace(/^\//, '');
  const m = /^(?:\[([0-9a-fA-F:.]{2,45})\]|([A-Za-z0-9._-]{1,253}|[0-9a-fA-F:.]{2,45})):(\d{1,5})$/.exec(t);
  if (!m) return undefined;
  const port = Number(m[3]);
  return { host: m[1] ?? m[2], port: port >= 1 && port <= 65535 ? port : undefined };
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31;
}
