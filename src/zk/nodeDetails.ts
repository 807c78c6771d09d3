// "Show Node Details": a znode's Stat in words and its ACL, as Markdown. A pure function of what
// was read, so it is tested without a server; every string from ZooKeeper is escaped.
import { formatAcl, type ZkAcl } from './acl';
import { displayName } from './displayText';
import { describePerms, entryMatches, effectiveAccess, type SessionIdentities } from './aclEdit';
import { describeLookup, type SessionLookup } from './sessions';
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
}

export function formatNodeDetails(d: NodeDetailsInput): string {
  const s = d.stat;
  const lines: string[] = [];
  lines.push(`# ${md(displayName(d.path))}`, '', `on connection **${md(displayName(d.connection))}**`, '');
  lines.push('## Stat', '');
  const owner = isEphemeral(s)
    ? `ephemeral, owned by session \`${s.ephemeralOwner}\`${d.sessionId && d.sessionId === s.ephemeralOwner ? ' (this session)' : ''}: deleted when that session ends`
    : 'persistent';
  const rows: [string, string][] = [
    ['Kind', owner],
    ...(isEphemeral(s) ? [['Owner', ownerText(d)] as [string, string]] : []),
    ['Data', `${plural(s.dataLength, 'byte')}, version ${s.version} (${s.version === 0 ? 'never changed since it was created' : `changed ${plural(s.version, 'time')} since it was created`})`],
    ['Created', `${when(s.ctime)} (zxid \`${s.czxid}\`, ${decimal(s.czxid)})`],
    ['Last modified', `${when(s.mtime)} (zxid \`${s.mzxid}\`, ${decimal(s.mzxid)})`],
    ['Children', `${plural(s.numChildren, 'child', 'children')}; child list version ${s.cversion}; last child change at zxid \`${s.pzxid}\``],
    ['ACL version', `${s.aversion} (${s.aversion === 0 ? 'never changed' : `changed ${plural(s.aversion, 'time')}`})`],
  ];
  lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');
  lines.push('## ACL', '');
  if (d.acl) {
    lines.push('| Scheme | Id | Permissions | Flags | Applies to this session |', '|---|---|---|---|---|');
    for (const a of d.acl) {
      const applies = d.who ? { yes: 'yes', no: 'no', unknown: 'cannot tell' }[entryMatches(a, d.who)] : '';
      lines.push(`| ${md(a.scheme)} | ${a.id === '' ? '*(empty)*' : mdCode(a.id)} | ${describePerms(a.perms)} | \`${formatAcl(a).split(':').pop()}\` | ${applies} |`);
    }
    lines.push('');
    if (d.who) {
      const access = effectiveAccess(d.acl, d.who);
      const ids = d.who.identities.length
        ? d.who.identities.map((i) => mdCode(`${i.scheme}:${i.scheme === 'digest' ? i.id.split(':')[0] : i.id}`)).join(', ')
        : 'none besides world:anyone';
      lines.push(`This session's identities: ${ids}${d.who.fromServer ? '' : ' (the server does not support whoAmI: IP-based entries cannot be checked)'}.`);
      lines.push(`It may: **${describePerms(access.perms)}**${access.uncertain.length ? `, and maybe more through ${access.uncertain.map((a) => mdCode(formatAcl(a))).join(', ')}` : ''}.`, '');
    }
  } else {
    lines.push(`The ACL could not be read: ${md(d.aclError ?? 'unknown error')}`, '');
  }
  return lines.join('\n');
}

/** The owner's client and server, or why they are not known. */
function ownerText(d: NodeDetailsInput): string {
  if (d.owner) {
    if (d.owner.found) return md(describeLookup(d.owner));
    const fix = d.owner.servers.find((x) => x.configLine)?.configLine;
    const text = md(describeLookup(d.owner, { fixes: false }));
    return fix ? `${text}. To let the servers that refuse cons be asked, add ${mdCode(fix)} to their zoo.cfg and restart them` : text;
  }
  if (d.ownerError) return `client not looked up: ${md(d.ownerError)}`;
  return 'client not looked up';
}

function when(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'unknown' : `${d.toISOString().replace('T', ' ').replace('Z', ' UTC')}`;
}

function decimal(hex: string): string {
  try {
    return BigInt(hex).toString(10);
  } catch {
    return hex;
  }
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

