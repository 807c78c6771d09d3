// "Show Lock and Election Holders": a recipe reading and the lookup of its sessions' clients, as
// Markdown. Pure, so it is tested without a server; every string from ZooKeeper is escaped.
import { displayName } from './displayText';
import { md, mdCode } from './markdown';
import type { Contender, RecipeKind, RecipeReading } from './recipes';
import { describeLookup, formatTime, normaliseSessionId, type SessionLookup } from './sessions';

export interface HoldersInput {
  connection: string;
  reading: RecipeReading;
  /** Lookups by session id (normalised); absent when the lookup failed as a whole. */
  lookups?: ReadonlyMap<string, SessionLookup>;
  /** Why the clients could not be looked up at all. */
  lookupError?: string;
  /** This window's own session, to say "(this window)". */
  ownSessionId?: string;
  at?: Date;
}

const KIND_TEXT: Record<RecipeKind, string> = {
  lock: 'a lock',
  lockOrElection: 'a lock or a leader election (kazoo and Curator give both the same node names, and neither the path nor the parent\'s data says which)',
  readWriteLock: 'a read-write lock',
  election: 'a leader election',
  semaphore: 'a semaphore',
  sequence: 'ephemeral sequential nodes (a lock or election of an unknown recipe: the lowest number goes first)',
  singleHolder: 'a single ephemeral node',
};

export function formatHolders(h: HoldersInput): string {
  const r = h.reading;
  const lines: string[] = [`# Holders of ${md(displayName(r.path))}`, ''];
  lines.push(`on connection **${md(displayName(h.connection))}**${h.at ? `, read at ${formatTime(h.at)}` : ''}`, '');
  if (r.contenders.length === 0) {
    lines.push('**No lock or election recipe here.**', '');
    const why: string[] = [];
    if (r.children === 0 && r.members.length > 0) why.push('This node is ephemeral but no lock or leadership by its name or data: it is owned by the session below, and deleted when that session ends.');
    else if (r.children === 0) why.push('This node has no children and is not ephemeral.');
    else why.push(`None of its ${plural(r.children, 'child', 'children')} is an ephemeral sequential node (a name ending in a 10-digit counter, owned by a session).`);
    if (r.persistentSequential > 0) why.push(`${plural(r.persistentSequential, 'sequential child is', 'sequential children are')} persistent: the items of a queue, owned by no session.`);
    if (r.vanished > 0) why.push(`${plural(r.vanished, 'child', 'children')} vanished while being read: a lock may have just been released.`);
    lines.push(why.join(' '), '');
  } else {
    const kind = r.kind ?? 'sequence';
    const holders = r.contenders.filter((c) => c.role !== 'waiting');
    const waiting = r.contenders.length - holders.length + r.more;
    if (kind === 'singleHolder') lines.push(`This is ${KIND_TEXT[kind]}: whoever holds that session holds the ${holders.length === 1 && holders[0].role === 'leader' ? 'leadership' : 'lock'}.`, '');
    else lines.push(`This is ${KIND_TEXT[kind]}: ${holders.length === 1 ? `one ${holders[0].role}` : `${holders.length} holders`}, ${waiting} waiting.`, '');
    for (const c of holders) lines.push(`**${capital(c.role)}:** ${summary(c, h, kind === 'singleHolder' ? 'held since' : 'in line since')}`, '');
    lines.push(...table(r.contenders, h, true));
    if (r.more > 0) lines.push(`…and ${plural(r.more, 'more contender', 'more contenders')} waiting, not read.`, '');
    if (r.vanished > 0) lines.push(`${plural(r.vanished, 'contender', 'contenders')} left the line while it was read.`, '');
    if (r.persistentSequential > 0) lines.push(`${plural(r.persistentSequential, 'persistent sequential child', 'persistent sequential children')} (owned by no session) left out.`, '');
    for (const n of r.notes) lines.push(md(n), '');
  }
  if (r.members.length > 0) {
    lines.push('## Ephemeral children', '', 'Not in line: each is owned by the session that created it (group members such as Kafka brokers).', '');
    lines.push(...table(r.members, h, false));
    if (r.membersNotChecked > 0) lines.push(`${plural(r.membersNotChecked, 'other child was', 'other children were')} not checked.`, '');
  }
  lines.push(...problems(h, [...r.contenders, ...r.members]));
  return lines.join('\n');
}

function summary(c: Contender, h: HoldersInput, since: string): string {
  const own = isOwn(c.owner, h) ? ' (this window)' : '';
  const note = c.note ? ` (${md(c.note)})` : '';
  return `${code(c.name)}${note}, session ${code(c.owner)}${own}: ${md(clientText(c.owner, h))}; ${since} ${formatTime(c.since)}`;
}

function table(rows: readonly Contender[], h: HoldersInput, inLine: boolean): string[] {
  const out = [
    inLine ? '| # | Role | Node | Session | Client | Server | Since (created) |' : '| Node | Session | Client | Server | Since (created) |',
    inLine ? '|---:|---|---|---|---|---|---|' : '|---|---|---|---|---|',
  ];
  for (const c of rows) {
    const l = lookupOf(c.owner, h);
    const client = l?.found ? md(l.client) + (l.clientName ? ` (${md(l.clientName)})` : '') : l ? '*unknown*' : '*not looked up*';
    const server = l?.found ? md(l.server.label) : l ? 'not connected to any server we could ask' : '';
    const role = c.role === 'waiting' ? 'waiting' : `**${c.role}**`;
    const name = code(c.name) + (c.note ? ` (${md(c.note)})` : '');
    const session = code(c.owner) + (isOwn(c.owner, h) ? ' (this window)' : '');
    const cells = inLine ? [String(c.position), role, name, session, client, server, formatTime(c.since)] : [name, session, client, server, formatTime(c.since)];
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push('');
  return out;
}

/** Why some clients are unknown: each server's reason once, with the config line that fixes it. */
function problems(h: HoldersInput, rows: readonly Contender[]): string[] {
  if (rows.length === 0) return [];
  if (!h.lookups) return ['## Clients', '', `The clients could not be looked up: ${md(h.lookupError ?? 'unknown error')}`, ''];
  const missing = rows.map((c) => lookupOf(c.owner, h)).filter((l): l is Extract<SessionLookup, { found: false }> => l !== undefined && !l.found);
  if (missing.length === 0) return [];
  const out = ['## Clients not found', '', `${plural(new Set(missing.map((m) => m.sessionId)).size, 'session was', 'sessions were')} not connected to any server we could ask:`, ''];
  const seen = new Set<string>();
  for (const s of missing[0].servers) {
    if (seen.has(s.label)) continue;
    seen.add(s.label);
    out.push(`- ${md(s.label)}: ${md(s.reason)}`);
  }
  const lines = [...new Set(missing[0].servers.map((s) => s.configLine).filter((x): x is string => x !== undefined))];
  if (lines.length > 0) out.push('', 'Add this line to the zoo.cfg of the servers that refuse `cons` (or pass `-Dzookeeper.4lw.commands.whitelist=…` to their JVM) and restart them, or set their AdminServer port in `zookeeper.health.adminServerPorts`:', '', '```properties', ...lines, '```');
  if (missing[0].allAnswered) out.push('', 'Every server answered: a session with no connection is between servers, or its client is gone and the session ends at its timeout.');
  out.push('');
  return out;
}

function lookupOf(owner: string, h: HoldersInput): SessionLookup | undefined {
  const id = normaliseSessionId(owner);
  return id ? h.lookups?.get(id) : undefined;
}

function clientText(owner: string, h: HoldersInput): string {
  const l = lookupOf(owner, h);
  if (l) return describeLookup(l, { fixes: false });
  return h.lookupError ? `client not looked up (${h.lookupError})` : 'client not looked up';
}

function isOwn(owner: string, h: HoldersInput): boolean {
  return h.ownSessionId !== undefined && normaliseSessionId(owner) === normaliseSessionId(h.ownSessionId);
}

/** A Markdown code span of a server string, its hidden characters shown. */
function code(s: string): string {
  return mdCode(displayName(s));
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
