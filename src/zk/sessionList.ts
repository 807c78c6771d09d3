// "Show Sessions": every session the ensemble's servers report, with its client address and
// server (each server's `cons`, or its AdminServer: src/zk/sessions.ts), its ephemeral nodes (the
// `dump` four-letter word, or the AdminServer's `dump`: every serving member keeps the whole
// tree, so any one answers for all sessions; the leader also lists every session's expiry), and
// which locks or elections those nodes hold (the recipes of src/zk/recipes.ts, from the listing
// of each node's parent). Everything a server sends is untrusted: bounded and parsed strictly.
import { adminCommand, type JsonObject } from './health/adminServer';
import { isNotServing, notWhitelistedWord, sendFourLetterWord, whitelistLine } from './health/fourLetterWords';
import { baseName, parentPath } from './paths';
import { joinMessages, messageOfError, msg, type Message } from './message';
import { holdersByName, isSingleHolderName, roleOf, type Role } from './recipes';
import { normaliseSessionId, readConnections, locateSession, type ConnectionsReading, type ReadConnectionsOptions, type SessionFound, type SessionServer } from './sessions';

/** Sessions and ephemeral paths kept from one dump at most. */
const MAX_SESSIONS = 10_000;
const MAX_EPHEMERALS = 50_000;
/** Parents listed to find what the ephemeral nodes hold. */
export const MAX_PARENTS_LISTED = 500;

export interface DumpSession {
  /** When the leader (or a standalone server) expects it to expire, ms since the epoch. */
  expiresAt?: number;
  /** Its negotiated timeout, as a follower lists its global sessions. */
  timeoutMs?: number;
}

export interface DumpReply {
  /** Session ids: the leader's (or a standalone server's) session sets, a follower's global sessions. */
  sessions: Map<string, DumpSession>;
  /** Ephemeral paths by owning session. */
  ephemerals: Map<string, string[]>;
}

/**
 * Parses the text of `dump` (3.5-3.9 layout: the leader and a standalone server list "Session
 * Sets" by expiry, a follower "Global Sessions" with their timeouts). Lines that do not fit are skipped.
 */
export function parseDump(text: string): DumpReply {
  const sessions = new Map<string, DumpSession>();
  const ephemerals = new Map<string, string[]>();
  let section: 'sessions' | 'global' | 'ephemerals' | 'other' = 'other';
  let expiresAt: number | undefined;
  let owner: string | undefined;
  let paths = 0;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^Session Sets \(/.test(line)) {
      section = 'sessions';
      continue;
    }
    if (/^Global Sessions\s*\(/.test(line)) {
      section = 'global';
      continue;
    }
    if (/^Sessions with Ephemerals \(/.test(line)) {
      section = 'ephemerals';
      continue;
    }
    if (/^(Connections dump:|ephemeral nodes dump:|Connections Sets)/.test(line)) {
      section = 'other';
      continue;
    }
    if (section === 'sessions') {
      const set = /^\d+ expire at (.+):$/.exec(line);
      if (set) {
        const t = Date.parse(set[1]);
        expiresAt = Number.isFinite(t) ? t : undefined;
        continue;
      }
      const id = /^\t(0x[0-9a-fA-F]{1,16})$/.exec(line);
      const norm = id ? normaliseSessionId(id[1]) : undefined;
      if (norm && sessions.size < MAX_SESSIONS) sessions.set(norm, expiresAt !== undefined ? { expiresAt } : {});
    } else if (section === 'global') {
      const g = /^(0x[0-9a-fA-F]{1,16})\t(\d{1,9})ms$/.exec(line);
      const norm = g ? normaliseSessionId(g[1]) : undefined;
      if (g && norm && sessions.size < MAX_SESSIONS) sessions.set(norm, { timeoutMs: Number(g[2]) });
    } else if (section === 'ephemerals') {
      const head = /^(0x[0-9a-fA-F]{1,16}):$/.exec(line);
      if (head) {
        owner = normaliseSessionId(head[1]);
        continue;
      }
      const path = /^\t(\/.*)$/.exec(line);
      if (path && owner && paths < MAX_EPHEMERALS) {
        if (!ephemerals.has(owner) && ephemerals.size >= MAX_SESSIONS) continue;
        const list = ephemerals.get(owner) ?? [];
        list.push(path[1]);
        ephemerals.set(owner, list);
        paths++;
      }
    }
  }
  return { sessions, ephemerals };
}

/** The AdminServer's `dump` JSON: session ids are decimal there. */
export function parseAdminDump(json: JsonObject): DumpReply {
  const sessions = new Map<string, DumpSession>();
  const ephemerals = new Map<string, string[]>();
  const expiry = json.expiry_time_to_session_ids;
  if (typeof expiry === 'object' && expiry !== null && !Array.isArray(expiry)) {
    for (const [time, ids] of Object.entries(expiry as Record<string, unknown>)) {
      if (!Array.isArray(ids)) continue;
      const t = Number(time);
      for (const id of ids) {
        const norm = typeof id === 'number' || typeof id === 'string' ? normaliseSessionId(String(id)) : undefined;
        if (norm && sessions.size < MAX_SESSIONS) sessions.set(norm, Number.isFinite(t) && t > 0 ? { expiresAt: t } : {});
      }
    }
  }
  const eph = json.session_id_to_ephemeral_paths;
  let paths = 0;
  if (typeof eph === 'object' && eph !== null && !Array.isArray(eph)) {
    for (const [id, list] of Object.entries(eph as Record<string, unknown>)) {
      const norm = normaliseSessionId(id);
      if (!norm || !Array.isArray(list) || ephemerals.size >= MAX_SESSIONS) continue;
      const kept = list.filter((p): p is string => typeof p === 'string' && p.startsWith('/')).slice(0, Math.max(0, MAX_EPHEMERALS - paths));
      paths += kept.length;
      ephemerals.set(norm, kept);
    }
  }
  return { sessions, ephemerals };
}

/** What an ephemeral node holds: the first place of a lock or election queue, or a single-node lock. */
export interface Holding {
  path: string;
  role: Exclude<Role, 'waiting'> | 'waiting';
}

export interface SessionEntry {
  sessionId: string;
  /** Where its client is connected, when a server listed it. */
  connection?: SessionFound;
  /** When the leader expects it to expire (ms since the epoch), when the dump said. */
  expiresAt?: number;
  /** Its timeout, when a follower's dump said. */
  timeoutMs?: number;
  ephemerals: string[];
  /** Its ephemeral nodes that are in a lock or election line (holding or waiting). */
  holdings: Holding[];
  /** This window's own session. */
  own: boolean;
}

export interface SessionList {
  at: number;
  sessions: SessionEntry[];
  connections: ConnectionsReading;
  /** Per server: what `dump` gave or why not. */
  /** `reason`: a Message the report translates, or a probe's own text. */
  dumps: { label: string; ok: boolean; reason?: Message | string; configLine?: string }[];
  /** Parents that could not be listed (so a holding may be missing), or that were left out. */
  holdingsNote?: Message;
}

export interface SessionListOptions extends ReadConnectionsOptions {
  /** Lists a node's children (the user's session, to find holders); none skips the holdings. */
  listChildren?: (path: string) => Promise<string[]>;
  ownSessionId?: string;
  fourLetterWord?: typeof sendFourLetterWord;
  adminCommand?: typeof adminCommand;
}

async function readDump(server: SessionServer, opts: SessionListOptions): Promise<{ reply?: DumpReply; ok: boolean; reason?: Message | string; configLine?: string }> {
  const word = opts.fourLetterWord ?? sendFourLetterWord;
  let reason: Message | string;
  let configLine: string | undefined;
  try {
    const text = await word(server.host, server.port, 'dump', { timeoutMs: opts.timeoutMs, signal: opts.signal });
    if (notWhitelistedWord(text) !== undefined) {
      reason = msg('it refuses the four-letter word dump (not in its 4lw.commands.whitelist)');
      configLine = whitelistLine(['dump']);
    } else if (isNotServing(text)) reason = msg('it is not serving requests');
    else return { reply: parseDump(text), ok: true };
  } catch (e) {
    reason = messageOfError(e);
  }
  if (server.adminPort !== undefined) {
    try {
      const json = await (opts.adminCommand ?? adminCommand)(server.host, server.adminPort, 'dump', { timeoutMs: opts.timeoutMs, signal: opts.signal });
      if (typeof json.error !== 'string') return { reply: parseAdminDump(json), ok: true };
      reason = msg('{0}; its AdminServer: {1}', reason, String(json.error).slice(0, 200));
    } catch (e) {
      reason = msg('{0}; its AdminServer: {1}', reason, messageOfError(e));
    }
  }
  return configLine ? { ok: false, reason, configLine } : { ok: false, reason };
}

/** Reads every server's sessions and ephemeral nodes, and what those nodes hold. Never rejects. */
export async function readSessionList(servers: readonly SessionServer[], opts: SessionListOptions): Promise<SessionList> {
  const now = opts.now ?? Date.now;
  const [connections, dumps] = await Promise.all([
    readConnections(servers, { ...opts, io: { ...(opts.fourLetterWord ? { fourLetterWord: opts.fourLetterWord } : {}), ...(opts.adminCommand ? { adminCommand: opts.adminCommand } : {}), ...opts.io } }),
    Promise.all(servers.map((s) => readDump(s, opts))),
  ]);
  const known = new Map<string, DumpSession>();
  const ephemerals = new Map<string, Set<string>>();
  for (const d of dumps) {
    if (!d.reply) continue;
    for (const [id, v] of d.reply.sessions) known.set(id, { ...known.get(id), ...v });
    for (const [id, list] of d.reply.ephemerals) {
      const set = ephemerals.get(id) ?? new Set<string>();
      for (const p of list) set.add(p);
      ephemerals.set(id, set);
    }
  }
  const ids = new Set<string>([...known.keys(), ...ephemerals.keys()]);
  for (const s of connections.servers) for (const c of s.connections ?? []) if (c.sessionId) ids.add(normaliseSessionId(c.sessionId) ?? c.sessionId);
  const own = opts.ownSessionId ? normaliseSessionId(opts.ownSessionId) : undefined;

  const entries: SessionEntry[] = [...ids].map((id) => {
    const found = locateSession(connections, id);
    const e: SessionEntry = { sessionId: id, ephemerals: [...(ephemerals.get(id) ?? [])].sort(), holdings: [], own: id === own };
    if (found.found) e.connection = found;
    const k = known.get(id);
    if (k?.expiresAt !== undefined) e.expiresAt = k.expiresAt;
    if (k?.timeoutMs !== undefined) e.timeoutMs = k.timeoutMs;
    return e;
  });

  let holdingsNote: Message | undefined;
  if (opts.listChildren) {
    const parents = [...new Set(entries.flatMap((e) => e.ephemerals.map(parentPath)))].sort();
    const listed = parents.slice(0, MAX_PARENTS_LISTED);
    const failed: string[] = [];
    const roles = new Map<string, Holding['role']>();
    for (const parent of listed) {
      let names: string[];
      try {
        names = await opts.listChildren(parent);
      } catch {
        failed.push(parent);
        continue;
      }
      const h = holdersByName(names, parent);
      if (h) {
        for (const n of names) roles.set(`${parent === '/' ? '' : parent}/${n}`, roleOf(h.kind, h.holders.has(n)));
      }
    }
    for (const e of entries) {
      for (const p of e.ephemerals) {
        const role = roles.get(p) ?? (isSingleHolderName(baseName(p)) ? 'holder' : undefined);
        if (role) e.holdings.push({ path: p, role });
      }
    }
    const notes: Message[] = [];
    if (parents.length > listed.length) notes.push(msg('{0} parent nodes were not listed (at most {1})', parents.length - listed.length, MAX_PARENTS_LISTED));
    if (failed.length > 0) notes.push(msg('{0} parent node(s) could not be listed (e.g. {1})', failed.length, failed[0]));
    if (notes.length > 0) holdingsNote = msg('Locks and elections may be missing: {0}.', joinMessages(notes));
  }

  // Most ephemeral nodes first (the sessions that matter most to an operator), then by id.
  entries.sort((a, b) => b.holdings.length - a.holdings.length || b.ephemerals.length - a.ephemerals.length || (a.sessionId < b.sessionId ? -1 : 1));
  const out: SessionList = {
    at: now(),
    sessions: entries,
    connections,
    dumps: dumps.map((d, i) => ({ label: connections.servers[i]?.label ?? servers[i].host, ok: d.ok, ...(d.reason ? { reason: d.reason } : {}), ...(d.configLine ? { configLine: d.configLine } : {}) })),
  };
  if (holdingsNote) out.holdingsNote = holdingsNote;
  return out;
}

/** The sessions whose client address contains `filter` (case-insensitive); all for an empty filter. */
export function filterSessions(list: readonly SessionEntry[], filter: string): SessionEntry[] {
  const f = filter.trim().toLowerCase();
  if (f === '') return [...list];
  return list.filter((e) => {
    const c = e.connection;
    return !!c && (c.client.toLowerCase().includes(f) || (c.clientName ?? '').toLowerCase().includes(f));
  });
}
