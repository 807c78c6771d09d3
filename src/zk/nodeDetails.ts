// "Show Node Details": a znode's Stat in words and its ACL, as Markdown. A pure function of what
// was read, so it is tested without a server; every string from ZooKeeper is escaped.
import { formatAcl, type ZkAcl } from './acl';
import { displayName } from './displayText';
import { describePerms, entryMatches, effectiveAccess, type SessionIdentities } from './aclEdit';
import { describeLookup, type SessionLookup } from './sessions';
import { english, type Translate } from './localize';
import { md, mdCode } from './markdown';
import { isEphemeral, type ZnodeStat } from './stat';

export interface NodeDetailsInput {
  connection: string;
  path: string;
  stat: ZnodeStat;
  acl?: ZkAcl[];
  /** Why the ACL could not be read. */
  aclError?: string;
  who?: SessionIdentities;
  /** The session id of this connection (to say "owned by this session"). */
  sessionId?: string;
  /** For an ephemeral node: where its owner's client is connected (looked up with `cons`). */
  owner?: SessionLookup;
  /** Why the owner could not be looked up at all. */
  ownerError?: string;
  /** Words the report (the adapter passes vscode.l10n.t; default English). */
  t?: Translate;
}

export function formatNodeDetails(d: NodeDetailsInput): string {
  const s = d.stat;
  const t = d.t ?? english;
  const n = (v: number) => v.toLocaleString('en');
  const times = (v: number) => (v === 1 ? t('changed 1 time') : t('changed {0} times', n(v)));
  const lines: string[] = [];
  lines.push(`# ${md(displayName(d.path))}`, '', t('on connection {0}', `**${md(displayName(d.connection))}**`), '');
  lines.push(`## ${t('Stat')}`, '');
  const owner = isEphemeral(s)
    ? d.sessionId && d.sessionId === s.ephemeralOwner
      ? t('ephemeral, owned by session {0} (this session): deleted when that session ends', `\`${s.ephemeralOwner}\``)
      : t('ephemeral, owned by session {0}: deleted when that session ends', `\`${s.ephemeralOwner}\``)
    : t('persistent');
  const bytes = s.dataLength === 1 ? t('1 byte') : t('{0} bytes', n(s.dataLength));
  const children = s.numChildren === 1 ? t('1 child') : t('{0} children', n(s.numChildren));
  const rows: [string, string][] = [
    [t('Kind'), owner],
    ...(isEphemeral(s) ? [[t('Owner'), ownerText(d, t)] as [string, string]] : []),
    [
      t('Data'),
      s.version === 0
        ? t('{0}, version {1} (never changed since it was created)', bytes, s.version)
        : t('{0}, version {1} ({2} since it was created)', bytes, s.version, times(s.version)),
    ],
    [t('Created'), t('{0} (zxid {1}, {2})', when(s.ctime, t), `\`${s.czxid}\``, decimal(s.czxid))],
    [t('Last modified'), t('{0} (zxid {1}, {2})', when(s.mtime, t), `\`${s.mzxid}\``, decimal(s.mzxid))],
    [t('Children'), t('{0}; child list version {1}; last child change at zxid {2}', children, s.cversion, `\`${s.pzxid}\``)],
    [t('ACL version'), s.aversion === 0 ? t('{0} (never changed)', s.aversion) : t('{0} ({1})', s.aversion, times(s.aversion))],
  ];
  lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');
  lines.push('## ACL', '');
  if (d.acl) {
    lines.push(`| ${t('Scheme')} | ${t('Id')} | ${t('Permissions')} | ${t('Flags')} | ${t('Applies to this session')} |`, '|---|---|---|---|---|');
    for (const a of d.acl) {
      const applies = d.who ? { yes: t('yes'), no: t('no'), unknown: t('cannot tell') }[entryMatches(a, d.who)] : '';
      lines.push(`| ${md(a.scheme)} | ${a.id === '' ? `*${t('(empty)')}*` : mdCode(a.id)} | ${describePerms(a.perms, t)} | \`${formatAcl(a).split(':').pop()}\` | ${applies} |`);
    }
    lines.push('');
    if (d.who) {
      const access = effectiveAccess(d.acl, d.who);
      const ids = d.who.identities.length
        ? d.who.identities.map((i) => mdCode(`${i.scheme}:${i.scheme === 'digest' ? i.id.split(':')[0] : i.id}`)).join(', ')
        : t('none besides world:anyone');
      lines.push(
        d.who.fromServer
          ? t("This session's identities: {0}.", ids)
          : t("This session's identities: {0} (the server does not support whoAmI: IP-based entries cannot be checked).", ids),
      );
      const perms = `**${describePerms(access.perms, t)}**`;
      lines.push(
        access.uncertain.length
          ? t('It may: {0}, and maybe more through {1}.', perms, access.uncertain.map((a) => mdCode(formatAcl(a))).join(', '))
          : t('It may: {0}.', perms),
        '',
      );
    }
  } else {
    lines.push(t('The ACL could not be read: {0}', md(d.aclError ?? t('unknown error'))), '');
  }
  return lines.join('\n');
}

/** The owner's client and server, or why they are not known. */
function ownerText(d: NodeDetailsInput, t: Translate): string {
  if (d.owner) {
    if (d.owner.found) return md(describeLookup(d.owner, {}, t));
    const fix = d.owner.servers.find((x) => x.configLine)?.configLine;
    const text = md(describeLookup(d.owner, { fixes: false }, t));
    return fix ? t('{0}. To let the servers that refuse cons be asked, add {1} to their zoo.cfg and restart them', text, mdCode(fix)) : text;
  }
  if (d.ownerError) return t('client not looked up: {0}', md(d.ownerError));
  return t('client not looked up');
}

function when(d: Date, t: Translate): string {
  return Number.isNaN(d.getTime()) ? t('unknown') : `${d.toISOString().replace('T', ' ').replace('Z', ' UTC')}`;
}

function decimal(hex: string): string {
  try {
    return BigInt(hex).toString(10);
  } catch {
    return hex;
  }
}
