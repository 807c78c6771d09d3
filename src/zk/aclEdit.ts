// Editing a znode's ACL as text (one `scheme:id:perms` entry per line, as zkCli.sh writes them),
// and the lock-out check: after the change, would this session's identities still be allowed to
// read the node and to change its ACL again?
import { digestId, flagsToPerms, formatAcl, permsToFlags, PERMS, type ZkAcl } from './acl';
import { nodeNet } from './lazyBuiltins';
import { english, localizable, type Translate } from './localize';
import { joinMessages, messageOfError, msg, renderMessage, type Message } from './message';
import { LocalizedError } from './localizedError';

/** Schemes ZooKeeper ships with; any other scheme (a server plugin) is shown and kept as it is. */
export const KNOWN_SCHEMES = ['world', 'auth', 'digest', 'ip', 'x509', 'sasl'] as const;
export type KnownScheme = (typeof KNOWN_SCHEMES)[number];

export const SCHEME_HELP: Record<KnownScheme, { id: string; example: string; about: string }> = {
  world: { id: 'anyone', example: 'world:anyone:r', about: localizable('everyone (the only id is "anyone")') },
  auth: { id: '', example: 'auth::cdrwa', about: localizable('every identity this session has authenticated (digest, sasl, x509); the server stores them as such') },
  digest: { id: 'user:base64(sha1(user:password))', example: 'digest:alice:<hash>:cdrwa', about: localizable('a user and password (ZooKeeper: Add ACL Entry… computes the hash)') },
  ip: { id: localizable('address or CIDR range'), example: 'ip:10.0.0.0/8:r', about: localizable('clients from an IPv4/IPv6 address or range') },
  x509: { id: localizable('certificate subject DN'), example: 'x509:CN=client,O=example:r', about: localizable('clients with this TLS certificate subject') },
  sasl: { id: localizable('SASL user (DIGEST-MD5 user name, or a Kerberos principal)'), example: 'sasl:alice:cdrwa', about: localizable('a SASL user: the DIGEST-MD5 user name a connection authenticates as (or a Kerberos principal)') },
};

export const PERM_NAMES: readonly { flag: string; bit: number; name: string }[] = [
  { flag: 'c', bit: PERMS.CREATE, name: localizable('create') },
  { flag: 'd', bit: PERMS.DELETE, name: localizable('delete') },
  { flag: 'r', bit: PERMS.READ, name: localizable('read') },
  { flag: 'w', bit: PERMS.WRITE, name: localizable('write') },
  { flag: 'a', bit: PERMS.ADMIN, name: localizable('admin') },
];

/** "read, write, admin" (or "no permissions"), through `t` (the adapter passes vscode.l10n.t; English by default). */
export function describePerms(perms: number, t: Translate = english): string {
  const names = PERM_NAMES.filter((p) => perms & p.bit).map((p) => t(p.name));
  return names.length ? names.reduce((list, name) => t('{0}, {1}', list, name)) : t('no permissions');
}

/** What is wrong with an ACL document, line by line; `localized` is the same text as a Message the adapter translates. */
export class AclSyntaxError extends Error {
  readonly localized: Message;
  constructor(readonly problems: { line: number; message: Message | string }[]) {
    const localized =
      problems.length === 1
        ? msg('ACL line {0}: {1}', problems[0].line, problems[0].message)
        : msg('The ACL has {0} problems: {1}', problems.length, joinMessages(problems.map((p) => msg('line {0}: {1}', p.line, p.message))));
    super(renderMessage(localized));
    this.localized = localized;
    this.name = 'AclSyntaxError';
  }
}

/** One entry that cannot be read; `localized` is its reason as a Message the adapter translates. */
export class AclEntryError extends LocalizedError {
  constructor(message: Message) {
    super(message);
    this.name = 'AclEntryError';
  }
}

/** One entry as zkCli.sh takes it: scheme up to the first ':', perms after the last ':', id between. */
export function parseAclEntry(text: string): ZkAcl {
  const t = text.trim();
  const first = t.indexOf(':');
  const last = t.lastIndexOf(':');
  if (first < 0 || first === last) throw new AclEntryError(msg('"{0}" is not scheme:id:permissions (e.g. world:anyone:r)', t));
  const scheme = t.slice(0, first);
  const id = t.slice(first + 1, last);
  const flags = t.slice(last + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(scheme)) throw new AclEntryError(msg('"{0}" is not a scheme name', scheme));
  let perms: number;
  try {
    perms = flags === '' ? 0 : flagsToPerms(flags);
  } catch (e) {
    throw new AclEntryError(msg('{0} (in "{1}")', messageOfError(e), t));
  }
  if (/(.).*\1/.test(flags.toLowerCase())) throw new AclEntryError(msg('permission letters repeat in "{0}"', flags));
  if (perms === 0) throw new AclEntryError(msg('"{0}" grants no permissions: give at least one of c, d, r, w, a (or delete the line)', t));
  const problem = idProblemMessage(scheme, id);
  if (problem) throw new AclEntryError(problem);
  return { scheme, id, perms };
}

/** What is wrong with an id for a known scheme (unknown schemes are the server's business), as a Message the adapter translates. */
export function idProblemMessage(scheme: string, id: string): Message | undefined {
  switch (scheme) {
    case 'world':
      return id === 'anyone' ? undefined : msg('the world scheme has only the id "anyone" (got "{0}")', id);
    case 'auth':
      return undefined; // the server ignores the id and uses the session's identities
    case 'digest': {
      const colon = id.indexOf(':');
      if (colon <= 0) return msg('a digest id is user:hash (got "{0}"); use Add ACL Entry… to make it from user:password', id);
      const hash = id.slice(colon + 1);
      if (!/^[A-Za-z0-9+/]{27}=$/.test(hash)) {
        return msg('"{0}" is not a digest hash (base64 of SHA-1, 28 characters ending in "="): it looks like a password, not its digest; use Add ACL Entry… to compute it', hash);
      }
      return undefined;
    }
    case 'ip': {
      const [addr, bits, extra] = id.split('/');
      if (extra !== undefined || !nodeNet().isIP(addr)) return msg('"{0}" is not an IP address or CIDR range', id);
      if (bits !== undefined) {
        const max = nodeNet().isIP(addr) === 4 ? 32 : 128;
        if (!/^\d+$/.test(bits) || Number(bits) > max) return msg('"/{0}" is not a prefix length for {1} (0-{2})', bits, addr, max);
      }
      return undefined;
    }
    case 'x509':
    case 'sasl':
      return id.trim() === '' ? msg('a {0} id cannot be empty', scheme) : undefined;
    default:
      return undefined;
  }
}

/** Parses the ACL document: every problem is reported with its line; an empty ACL is refused. */
export function parseAclDocument(text: string): ZkAcl[] {
  const acl: ZkAcl[] = [];
  const problems: { line: number; message: Message | string }[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      const entry = parseAclEntry(line);
      const key = `${entry.scheme}:${entry.id}`;
      const dup = seen.get(key);
      if (dup !== undefined) {
        problems.push({ line: i + 1, message: msg('{0} is already on line {1}: merge the permissions into one line', key, dup) });
        return;
      }
      seen.set(key, i + 1);
      acl.push(entry);
    } catch (e) {
      problems.push({ line: i + 1, message: messageOfError(e) });
    }
  });
  if (problems.length) throw new AclSyntaxError(problems);
  if (acl.length === 0) throw new AclSyntaxError([{ line: 1, message: msg('an ACL needs at least one entry (ZooKeeper refuses an empty ACL)') }]);
  return acl;
}

/**
 * Why a server may have answered INVALIDACL to this ACL, in words: schemes whose authentication
 * provider it may not have enabled (sasl, x509, plugins), or auth: without any authenticated
 * identity in the session.
 */
export function invalidAclHint(acl: readonly ZkAcl[]): Message {
  const needsProvider = acl.filter((a) => !['world', 'auth', 'digest', 'ip'].includes(a.scheme));
  const parts: Message[] = [];
  if (needsProvider.length) {
    const schemes = [...new Set(needsProvider.map((a) => a.scheme))];
    const entries = needsProvider.map(formatAcl).join(', ');
    const x509 = schemes.includes('x509');
    parts.push(
      schemes.length > 1
        ? x509
          ? msg('{0}: the {1} schemes need their authentication provider enabled on the server (e.g. authProvider.1=… in zoo.cfg; x509 also needs a TLS client port); this server does not accept them', entries, schemes.join(' and '))
          : msg('{0}: the {1} schemes need their authentication provider enabled on the server (e.g. authProvider.1=… in zoo.cfg); this server does not accept them', entries, schemes.join(' and '))
        : x509
          ? msg('{0}: the {1} scheme needs its authentication provider enabled on the server (e.g. authProvider.1=… in zoo.cfg; x509 also needs a TLS client port); this server does not accept it', entries, schemes[0])
          : msg('{0}: the {1} scheme needs its authentication provider enabled on the server (e.g. authProvider.1=… in zoo.cfg); this server does not accept it', entries, schemes[0]),
    );
  }
  if (acl.some((a) => a.scheme === 'auth')) parts.push(msg('auth: is accepted only when this session has authenticated (e.g. digest credentials on the connection)'));
  return parts.length ? joinMessages(parts) : msg("check each entry's scheme, id and permissions");
}

/** The ACL as a document: a short header of comments, then one entry per line. */
export function formatAclDocument(acl: readonly ZkAcl[], about: { path: string; connection: string }): string {
  const header = [
    `# ACL of ${about.path} on "${about.connection}". One entry per line: scheme:id:permissions`,
    '# Permissions: c create, d delete, r read, w write, a admin. Lines starting with # are ignored.',
    '# Schemes: world:anyone  auth:  digest:user:hash  ip:addr[/bits]  x509:subject  sasl:principal',
    '# "ZooKeeper: Add ACL Entry…" adds an entry with a form (and makes digest hashes from user:password).',
  ];
  return header.join('\n') + '\n' + acl.map(formatAcl).join('\n') + '\n';
}

/** The digest entry id for "user:password" typed by the user. */
export function digestFromUserPassword(userPassword: string): string {
  const colon = userPassword.indexOf(':');
  if (colon <= 0) throw new AclEntryError(msg('Type user:password (the user name cannot be empty or contain ":")'));
  return digestId(userPassword.slice(0, colon), userPassword.slice(colon + 1));
}

export function formatEntry(scheme: string, id: string, perms: number): string {
  return `${scheme}:${id}:${permsToFlags(perms)}`;
}

// --- who am I, and what may I do ------------------------------------------------------------

/** One identity of this session, as the server knows it (whoAmI) or as we know we authenticated. */
export interface SessionIdentity {
  scheme: string;
  /**
   * For digest: "user:hash" when the password is known, else just "user" (then matching a digest
   * entry is uncertain). For ip: the address. Otherwise the id as the server reports it.
   */
  id: string;
}

export interface SessionIdentities {
  identities: SessionIdentity[];
  /** Whether the server answered whoAmI (3.7+); without it the ip identity is unknown. */
  fromServer: boolean;
}

/**
 * Builds this session's identities from whoAmI's answer ({authScheme, user}), the digest
 * credentials the connection logged in with (the server reports only the user name), and the
 * SASL user it authenticated as (a session is only usable once SASL succeeded, so it holds that
 * identity even where the server cannot answer whoAmI).
 */
export function sessionIdentities(
  whoAmI: readonly { authScheme: string; user: string }[] | undefined,
  digestCredentials: { user: string; password: string } | undefined,
  saslUser?: string,
): SessionIdentities {
  const out: SessionIdentity[] = [];
  const digest = digestCredentials ? digestId(digestCredentials.user, digestCredentials.password) : undefined;
  for (const w of whoAmI ?? []) {
    if (w.authScheme === 'digest') {
      const user = w.user.includes(':') ? w.user.slice(0, w.user.indexOf(':')) : w.user;
      out.push({ scheme: 'digest', id: digest && digestCredentials?.user === user ? digest : w.user });
    } else out.push({ scheme: w.authScheme, id: w.user });
  }
  if (digest && !out.some((i) => i.scheme === 'digest' && i.id === digest)) out.push({ scheme: 'digest', id: digest });
  if (saslUser !== undefined && !out.some((i) => i.scheme === 'sasl' && i.id === saslUser)) out.push({ scheme: 'sasl', id: saslUser });
  return { identities: out, fromServer: whoAmI !== undefined };
}

export type EntryMatch = 'yes' | 'no' | 'unknown';

/** Whether an ACL entry applies to this session. */
export function entryMatches(entry: ZkAcl, who: SessionIdentities): EntryMatch {
  const ids = who.identities;
  switch (entry.scheme) {
    case 'world':
      return entry.id === 'anyone' ? 'yes' : 'no';
    case 'auth':
      // The server replaces it with the session's authenticated identities (not ip).
      return ids.some((i) => i.scheme !== 'ip' && i.scheme !== 'world') ? 'yes' : who.fromServer ? 'no' : 'unknown';
    case 'digest': {
      const mine = ids.filter((i) => i.scheme === 'digest');
      if (mine.some((i) => i.id === entry.id)) return 'yes';
      const entryUser = entry.id.slice(0, Math.max(0, entry.id.indexOf(':')));
      // We know the user but not the password: the hash cannot be checked.
      if (mine.some((i) => !i.id.includes(':') && i.id === entryUser)) return 'unknown';
      return 'no';
    }
    case 'ip': {
      const mine = ids.filter((i) => i.scheme === 'ip');
      if (mine.length === 0) return who.fromServer ? 'no' : 'unknown';
      return mine.some((i) => ipMatches(entry.id, i.id)) ? 'yes' : 'no';
    }
    default:
      return ids.some((i) => i.scheme === entry.scheme && i.id === entry.id) ? 'yes' : 'no';
  }
}

/** ZooKeeper's IPAuthenticationProvider rule: exact address, or the first `bits` bits equal. */
export function ipMatches(aclId: string, address: string): boolean {
  const [net, bitsText] = aclId.split('/');
  const a = ipBytes(net);
  const b = ipBytes(address);
  if (!a || !b || a.length !== b.length) return false;
  const bits = bitsText === undefined ? a.length * 8 : Number(bitsText);
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> i % 8;
    if ((a[i >> 3] & mask) !== (b[i >> 3] & mask)) return false;
  }
  return true;
}

function ipBytes(ip: string): number[] | undefined {
  if (nodeNet().isIP(ip) === 4) return ip.split('.').map(Number);
  if (nodeNet().isIP(ip) !== 6) return undefined;
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  if (t.length && t[t.length - 1].includes('.')) return undefined; // IPv4-mapped forms: compare as text
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const v = parseInt(g || '0', 16);
    return [v >> 8, v & 0xff];
  });
}

export interface AccessReport {
  /** Permissions this session certainly has. */
  perms: number;
  /** Entries that may or may not apply (password or address unknown). */
  uncertain: ZkAcl[];
}

export function effectiveAccess(acl: readonly ZkAcl[], who: SessionIdentities): AccessReport {
  let perms = 0;
  const uncertain: ZkAcl[] = [];
  for (const e of acl) {
    const m = entryMatches(e, who);
    if (m === 'yes') perms |= e.perms;
    else if (m === 'unknown') uncertain.push(e);
  }
  return { perms, uncertain };
}

export interface LockOutReport {
  /** READ and/or ADMIN would be lost. */
  missing: ('read' | 'admin')[];
  /** In English (logs, plans). */
  message: string;
  /** The same for the user, translated by an adapter. */
  localized: Message;
}

/**
 * Whether saving `next` would leave this session without READ (it could no longer read the
 * node) or ADMIN (it could no longer change the ACL back). undefined when it keeps both.
 */
export function lockOutCheck(next: readonly ZkAcl[], who: SessionIdentities): LockOutReport | undefined {
  const access = effectiveAccess(next, who);
  const missing: ('read' | 'admin')[] = [];
  if (!(access.perms & PERMS.READ)) missing.push('read');
  if (!(access.perms & PERMS.ADMIN)) missing.push('admin');
  if (missing.length === 0) return undefined;
  const whoText = who.identities.length
    ? who.identities.map((i) => `${i.scheme}:${i.scheme === 'digest' ? i.id.split(':')[0] : i.id}`).join(', ')
    : msg('no authenticated identity (world:anyone only)');
  const consequences =
    missing.length === 2 ? msg('read this node or change its ACL again') : missing[0] === 'read' ? msg('read this node') : msg('change its ACL again');
  const localized = access.uncertain.length
    ? msg(
        'With this ACL, this session ({0}) could no longer {1} ({2} may apply to you, but this cannot be checked from here).',
        whoText,
        consequences,
        access.uncertain.map(formatAcl).join(', '),
      )
    : msg('With this ACL, this session ({0}) could no longer {1}.', whoText, consequences);
  return { missing, message: renderMessage(localized), localized };
}
