// The Show Sessions report as Markdown (shown in the preview, like the holders report): one row
// per session with its client, server, ephemeral nodes and what they hold; then, per server, what
// could not be read and the zoo.cfg line that fixes it. Every server string is escaped.
import { displayName } from '../displayText';
import { english, localizable, type Translate } from '../localize';
import { renderMessage } from '../message';
import { md, mdCode } from '../markdown';
import { formatTime } from '../sessions';
import { filterSessions, type Holding, type SessionEntry, type SessionList } from '../sessionList';

/** Ephemeral paths listed per session at most (the rest counted). */
const PATHS_SHOWN = 20;

/** A holding's role as the report words it (through the Translate). */
const ROLE_WORDS: Record<Holding['role'], string> = {
  holder: localizable('holder'),
  leader: localizable('leader'),
  'holder / leader': localizable('holder / leader'),
  waiting: localizable('waiting'),
};

export interface SessionsReportInput {
  connection: string;
  list: SessionList;
  filter?: string;
  /** Words the report (the adapter passes vscode.l10n.t; default English). */
  t?: Translate;
}

export function formatSessionsReport(input: SessionsReportInput): string {
  const { list } = input;
  const t = input.t ?? english;
  const filter = input.filter?.trim() ?? '';
  const shown = filterSessions(list.sessions, filter);
  const lines: string[] = [`# ${t('Sessions of {0}', md(displayName(input.connection)))}`, ''];
  const at = formatTime(new Date(list.at), t);
  const total = list.sessions.length;
  lines.push(
    filter
      ? t('{0} of {1} sessions whose client address contains {2}, read at {3}.', shown.length, total, mdCode(filter), at)
      : total === 1
        ? t('1 session, read at {0}.', at)
        : t('{0} sessions, read at {1}.', total, at),
    '',
  );
  if (shown.length > 0) {
    lines.push(`| ${t('Session')} | ${t('Client')} | ${t('Server')} | ${t('Ephemeral nodes')} | ${t('Holds')} |`, '|---|---|---|---|---|');
    for (const e of shown) lines.push(row(e, t));
    lines.push('');
  }
  const unplaced = shown.filter((e) => !e.connection).length;
  if (unplaced > 0 && !filter) {
    lines.push(
      unplaced === 1
        ? t('1 session is known to the ensemble but connected to no server that answered: a client between servers, or gone until its session times out.')
        : t('{0} sessions are known to the ensemble but connected to no server that answered: a client between servers, or gone until its session times out.', unplaced),
      '',
    );
  }
  if (list.holdingsNote) lines.push(md(renderMessage(list.holdingsNote, t)), '');
  const problems: string[] = [];
  const fix = (line: string | undefined) => (line ? t('; add {0} to its zoo.cfg', mdCode(line)) : '');
  for (const s of list.connections.servers) {
    if (s.problem && !s.connections) {
      const adminServer = s.fallbackProblem ? t(' (AdminServer: {0})', md(renderMessage(s.fallbackProblem, t))) : '';
      problems.push(`- ${t('{0}: its clients could not be read: {1}', md(s.label), md(renderMessage(s.problem.message, t)))}${adminServer}${fix(s.problem.configLine)}`);
    }
  }
  for (const d of list.dumps) {
    if (!d.ok) problems.push(`- ${t('{0}: its sessions and ephemeral nodes (dump) could not be read: {1}', md(d.label), md(d.reason !== undefined ? renderMessage(d.reason, t) : t('no answer')))}${fix(d.configLine)}`);
  }
  if (problems.length > 0) lines.push(`## ${t('Not read')}`, '', ...problems, '');
  return lines.join('\n');
}

function row(e: SessionEntry, t: Translate): string {
  const c = e.connection;
  const session = e.own ? t('{0} (this window)', mdCode(e.sessionId)) : mdCode(e.sessionId);
  const client = c ? `${mdCode(c.client)}${c.clientName ? ` (${md(c.clientName)})` : ''}` : '—';
  const server = c ? md(c.server.label) : t('not connected to a server that answered');
  const paths = e.ephemerals.slice(0, PATHS_SHOWN).map((p) => mdCode(displayName(p)));
  if (e.ephemerals.length > PATHS_SHOWN) paths.push(t('and {0} more', e.ephemerals.length - PATHS_SHOWN));
  const holds = e.holdings.map((h) => `${t(ROLE_WORDS[h.role])} ${mdCode(displayName(parentOf(h.path)))}`);
  return `| ${session} | ${client} | ${server} | ${paths.join(', ') || '—'} | ${holds.join(', ') || '—'} |`;
}

/** A lock's holder is named by the lock (the parent), a single-node lock by itself. */
function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return /^\d{10}$/.test(path.slice(-10)) && i > 0 ? path.slice(0, i) : path;
}
