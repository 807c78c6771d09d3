// "Show Lock and Election Holders": a recipe reading and the lookup of its sessions' clients, as
// Markdown. Pure, so it is tested without a server; every string from ZooKeeper is escaped.
import { displayName } from './displayText';
import { english, localizable, type Translate } from './localize';
import { md, mdCode } from './markdown';
import { renderMessage } from './message';
import type { Contender, RecipeKind, RecipeReading, Role } from './recipes';
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
  /** Words the report (the adapter passes vscode.l10n.t; default English). */
  t?: Translate;
}

const KIND_TEXT: Record<RecipeKind, string> = {
  lock: localizable('a lock'),
  lockOrElection: localizable("a lock or a leader election (kazoo and Curator give both the same node names, and neither the path nor the parent's data says which)"),
  readWriteLock: localizable('a read-write lock'),
  election: localizable('a leader election'),
  semaphore: localizable('a semaphore'),
  sequence: localizable('ephemeral sequential nodes (a lock or election of an unknown recipe: the lowest number goes first)'),
  singleHolder: localizable('a single ephemeral node'),
};

/** A role in a table cell or a sentence, and as the title of a holder's summary line. */
const ROLE_WORDS: Record<Role, string> = {
  holder: localizable('holder'),
  leader: localizable('leader'),
  'holder / leader': localizable('holder / leader'),
  waiting: localizable('waiting'),
};
const ROLE_TITLES: Record<Role, string> = {
  holder: localizable('Holder'),
  leader: localizable('Leader'),
  'holder / leader': localizable('Holder / leader'),
  waiting: localizable('Waiting'),
};

export function formatHolders(h: HoldersInput): string {
  const r = h.reading;
  const t = h.t ?? english;
  const count = (v: number) => v.toLocaleString('en');
  const lines: string[] = [`# ${t('Holders of {0}', md(displayName(r.path)))}`, ''];
  const conn = `**${md(displayName(h.connection))}**`;
  lines.push(h.at ? t('on connection {0}, read at {1}', conn, formatTime(h.at, t)) : t('on connection {0}', conn), '');
  if (r.contenders.length === 0) {
    lines.push(`**${t('No lock or election recipe here.')}**`, '');
    const why: string[] = [];
    if (r.children === 0 && r.members.length > 0) why.push(t('This node is ephemeral but no lock or leadership by its name or data: it is owned by the session below, and deleted when that session ends.'));
    else if (r.children === 0) why.push(t('This node has no children and is not ephemeral.'));
    else if (r.children === 1) why.push(t('Its 1 child is not an ephemeral sequential node (a name ending in a 10-digit counter, owned by a session).'));
    else why.push(t('None of its {0} children is an ephemeral sequential node (a name ending in a 10-digit counter, owned by a session).', count(r.children)));
    if (r.persistentSequential > 0) {
      why.push(
        r.persistentSequential === 1
          ? t('1 sequential child is persistent: the items of a queue, owned by no session.')
          : t('{0} sequential children are persistent: the items of a queue, owned by no session.', count(r.persistentSequential)),
      );
    }
    if (r.vanished > 0) {
      why.push(r.vanished === 1 ? t('1 child vanished while being read: a lock may have just been released.') : t('{0} children vanished while being read: a lock may have just been released.', count(r.vanished)));
    }
    lines.push(why.join(' '), '');
  } else {
    const kind = r.kind ?? 'sequence';
    const what = t(KIND_TEXT[kind]);
    const holders = r.contenders.filter((c) => c.role !== 'waiting');
    const waiting = r.contenders.length - holders.length + r.more;
    if (kind === 'singleHolder') {
      lines.push(
        holders.length === 1 && holders[0].role === 'leader'
          ? t('This is {0}: whoever holds that session holds the leadership.', what)
          : t('This is {0}: whoever holds that session holds the lock.', what),
        '',
      );
    } else {
      lines.push(
        holders.length === 1 ? t('This is {0}: one {1}, {2} waiting.', what, t(ROLE_WORDS[holders[0].role]), waiting) : t('This is {0}: {1} holders, {2} waiting.', what, holders.length, waiting),
        '',
      );
    }
    for (const c of holders) lines.push(`**${t('{0}:', t(ROLE_TITLES[c.role]))}** ${summary(c, h, kind === 'singleHolder', t)}`, '');
    lines.push(...table(r.contenders, h, true, t));
    if (r.more > 0) lines.push(r.more === 1 ? t('…and 1 more contender waiting, not read.') : t('…and {0} more contenders waiting, not read.', count(r.more)), '');
    if (r.vanished > 0) lines.push(r.vanished === 1 ? t('1 contender left the line while it was read.') : t('{0} contenders left the line while it was read.', count(r.vanished)), '');
    if (r.persistentSequential > 0) {
      lines.push(
        r.persistentSequential === 1
          ? t('1 persistent sequential child (owned by no session) left out.')
          : t('{0} persistent sequential children (owned by no session) left out.', count(r.persistentSequential)),
        '',
      );
    }
    for (const n of r.notes) lines.push(md(renderMessage(n, t)), '');
  }
  if (r.members.length > 0) {
    lines.push(`## ${t('Ephemeral children')}`, '', t('Not in line: each is owned by the session that created it (group members such as Kafka brokers).'), '');
    lines.push(...table(r.members, h, false, t));
    if (r.membersNotChecked > 0) {
      lines.push(r.membersNotChecked === 1 ? t('1 other child was not checked.') : t('{0} other children were not checked.', count(r.membersNotChecked)), '');
    }
  }
  lines.push(...problems(h, [...r.contenders, ...r.members], t));
  return lines.join('\n');
}

function summary(c: Contender, h: HoldersInput, held: boolean, t: Translate): string {
  const name = code(c.name) + (c.note ? ` (${md(renderMessage(c.note, t))})` : '');
  const session = sessionText(c.owner, h, t);
  const client = md(clientText(c.owner, h, t));
  return held
    ? t('{0}, session {1}: {2}; held since {3}', name, session, client, formatTime(c.since, t))
    : t('{0}, session {1}: {2}; in line since {3}', name, session, client, formatTime(c.since, t));
}

function sessionText(owner: string, h: HoldersInput, t: Translate): string {
  return isOwn(owner, h) ? t('{0} (this window)', code(owner)) : code(owner);
}

function table(rows: readonly Contender[], h: HoldersInput, inLine: boolean, t: Translate): string[] {
  const tail = `${t('Node')} | ${t('Session')} | ${t('Client')} | ${t('Server')} | ${t('Since (created)')} |`;
  const out = [inLine ? `| # | ${t('Role')} | ${tail}` : `| ${tail}`, inLine ? '|---:|---|---|---|---|---|---|' : '|---|---|---|---|---|'];
  for (const c of rows) {
    const l = lookupOf(c.owner, h);
    const client = l?.found ? md(l.client) + (l.clientName ? ` (${md(l.clientName)})` : '') : l ? `*${t('unknown')}*` : `*${t('not looked up')}*`;
    const server = l?.found ? md(l.server.label) : l ? t('not connected to any server we could ask') : '';
    const role = c.role === 'waiting' ? t(ROLE_WORDS.waiting) : `**${t(ROLE_WORDS[c.role])}**`;
    const name = code(c.name) + (c.note ? ` (${md(renderMessage(c.note, t))})` : '');
    const session = sessionText(c.owner, h, t);
    const cells = inLine ? [String(c.position), role, name, session, client, server, formatTime(c.since, t)] : [name, session, client, server, formatTime(c.since, t)];
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push('');
  return out;
}

/** Why some clients are unknown: each server's reason once, with the config line that fixes it. */
function problems(h: HoldersInput, rows: readonly Contender[], t: Translate): string[] {
  if (rows.length === 0) return [];
  if (!h.lookups) return [`## ${t('Clients')}`, '', t('The clients could not be looked up: {0}', md(h.lookupError ?? t('unknown error'))), ''];
  const missing = rows.map((c) => lookupOf(c.owner, h)).filter((l): l is Extract<SessionLookup, { found: false }> => l !== undefined && !l.found);
  if (missing.length === 0) return [];
  const sessions = new Set(missing.map((m) => m.sessionId)).size;
  const out = [
    `## ${t('Clients not found')}`,
    '',
    sessions === 1 ? t('1 session was not connected to any server we could ask:') : t('{0} sessions were not connected to any server we could ask:', sessions.toLocaleString('en')),
    '',
  ];
  const seen = new Set<string>();
  for (const s of missing[0].servers) {
    if (seen.has(s.label)) continue;
    seen.add(s.label);
    out.push(`- ${md(s.label)}: ${md(renderMessage(s.reason, t))}`);
  }
  const lines = [...new Set(missing[0].servers.map((s) => s.configLine).filter((x): x is string => x !== undefined))];
  if (lines.length > 0) {
    out.push(
      '',
      t(
        'Add this line to the zoo.cfg of the servers that refuse {0} (or pass {1} to their JVM) and restart them, or set their AdminServer port in {2}:',
        '`cons`',
        '`-Dzookeeper.4lw.commands.whitelist=…`',
        '`zookeeper.health.adminServerPorts`',
      ),
      '',
      '```properties',
      ...lines,
      '```',
    );
  }
  if (missing[0].allAnswered) out.push('', t('Every server answered: a session with no connection is between servers, or its client is gone and the session ends at its timeout.'));
  out.push('');
  return out;
}

function lookupOf(owner: string, h: HoldersInput): SessionLookup | undefined {
  const id = normaliseSessionId(owner);
  return id ? h.lookups?.get(id) : undefined;
}

function clientText(owner: string, h: HoldersInput, t: Translate): string {
  const l = lookupOf(owner, h);
  if (l) return describeLookup(l, { fixes: false }, t);
  return h.lookupError ? t('client not looked up ({0})', h.lookupError) : t('client not looked up');
}

function isOwn(owner: string, h: HoldersInput): boolean {
  return h.ownSessionId !== undefined && normaliseSessionId(owner) === normaliseSessionId(h.ownSessionId);
}

/** A Markdown code span of a server string, its hidden characters shown. */
function code(s: string): string {
  return mdCode(displayName(s));
}
