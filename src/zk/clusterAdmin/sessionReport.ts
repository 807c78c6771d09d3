// The Show Sessions report as Markdown (shown in the preview, like the holders report): one row
// per session with its client, server, ephemeral nodes and what they hold; then, per server, what
// could not be read and the zoo.cfg line that fixes it. Every server string is escaped.
import { displayName } from '../displayText';
import { md, mdCode } from '../markdown';
import { formatTime } from '../sessions';
import { filterSessions, type SessionEntry, type SessionList } from '../sessionList';

/** Ephemeral paths listed per session at most (the rest counted). */
const PATHS_SHOWN = 20;

export interface SessionsReportInput {
  connection: string;
  list: SessionList;
  filter?: string;
}

export function formatSessionsReport(input: SessionsReportInput): string {
  const { list } = input;
  const filter = input.filter?.trim() ?? '';
  const shown = filterSessions(list.sessions, filter);
  const lines: string[] = [`# Sessions of ${md(displayName(input.connection))}`, ''];
  const when = `read at ${formatTime(new Date(list.at))}`;
  lines.push(
    filter
      ? `${shown.length} of ${list.sessions.length} sessions whose client address contains ${mdCode(filter)}, ${when}.`
      : `${list.sessions.length} session${list.sessions.length === 1 ? '' : 's'}, ${when}.`,
    '',
  );
  if (shown.length > 0) {
    lines.push('| Session | Client | Server | Ephemeral nodes | Holds |', '|---|---|---|---|---|');
    for (const e of shown) lines.push(row(e));
    lines.push('');
  }
  const unplaced = shown.filter((e) => !e.connection).length;
  if (unplaced > 0 && !filter) lines.push(`${unplaced} session${unplaced === 1 ? ' is' : 's are'} known to the ensemble but connected to no server that answered: a client between servers, or gone until its session times out.`, '');
  if (list.holdingsNote) lines.push(md(list.holdingsNote), '');
  const problems: string[] = [];
  for (const s of list.connections.servers) {
    if (s.problem && !s.connections) problems.push(`- ${md(s.label)}: its clients could not be read: ${md(s.problem.message)}${s.fallbackProblem ? ` (AdminServer: ${md(s.fallbackProblem)})` : ''}${s.problem.configLine ? `; add ${mdCode(s.problem.configLine)} to its zoo.cfg` : ''}`);
  }
  for (const d of list.dumps) {
    if (!d.ok) problems.push(`- ${md(d.label)}: its sessions and ephemeral nodes (dump) could not be read: ${md(d.reason ?? 'no answer')}${d.configLine ? `; add ${mdCode(d.configLine)} to its zoo.cfg` : ''}`);
  }
  if (problems.length > 0) lines.push('## Not read', '', ...problems, '');
  return lines.join('\n');
}

function row(e: SessionEntry): string {
  const c = e.connection;
  const session = `${mdCode(e.sessionId)}${e.own ? ' (this window)' : ''}`;
  const client = c ? `${mdCode(c.client)}${c.clientName ? ` (${md(c.clientName)})` : ''}` : '—';
  const server = c ? md(c.server.label) : 'not connected to a server that answered';
  const paths = e.ephemerals.slice(0, PATHS_SHOWN).map((p) => mdCode(displayName(p)));
  if (e.ephemerals.length > PATHS_SHOWN) paths.push(`and ${e.ephemerals.length - PATHS_SHOWN} more`);
  const holds = e.holdings.map((h) => `${h.role} ${mdCode(displayName(parentOf(h.path)))}`);
  return `| ${session} | ${client} | ${server} | ${paths.join(', ') || '—'} | ${holds.join(', ') || '—'} |`;
}

/** A lock's holder is named by the lock (the parent), a single-node lock by itself. */
function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return /^\d{10}$/.test(path.slice(-10)) && i > 0 ? path.slice(0, i) : path;
}
