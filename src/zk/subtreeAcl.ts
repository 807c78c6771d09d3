// ACLs that a subtree write (import, copy, move) sets: every entry from a file is checked before
// use, the distinct ACLs are listed for the preview, and each is put through the ACL editor's
// lock-out check (would this session lose READ or ADMIN on the nodes it writes?).
// Also the export side: digest ids hold unsalted SHA-1 hashes of passwords, so an export can leave
// ACLs out or redact those ids, and says so in the file.
// Domain layer: no 'vscode' here.
import { formatAcl, PERMS, type ZkAcl } from './acl';
import { idProblemMessage, lockOutCheck, type SessionIdentities } from './aclEdit';
import { ZkError } from './errors';
import { msg, type Message } from './message';

/** The id written in place of a digest hash by an export that redacts them: "user:<redacted>". */
export const REDACTED_HASH = '<redacted>';

/** What an export left out of the ACLs (recorded in the file). */
export type AclExportMode = 'full' | 'omit' | 'redactDigest';

export function redactDigestId(id: string): string {
  const colon = id.indexOf(':');
  return `${colon >= 0 ? id.slice(0, colon) : id}:${REDACTED_HASH}`;
}

export function isRedactedEntry(a: ZkAcl): boolean {
  return a.scheme === 'digest' && a.id.endsWith(`:${REDACTED_HASH}`);
}

/** The ACL as an export writes it. */
export function exportedAcl(acl: readonly ZkAcl[], mode: AclExportMode): ZkAcl[] | undefined {
  if (mode === 'omit') return undefined;
  return acl.map((a) => ({ perms: a.perms, scheme: a.scheme, id: mode === 'redactDigest' && a.scheme === 'digest' ? redactDigestId(a.id) : a.id }));
}

/**
 * What is wrong with one ACL entry read from a file: perms must be a mask of c, d, r, w, a (1-31),
 * the scheme a plain name, the id valid for its scheme (a digest id must hold a hash, not a
 * password). `redactedOk`: the file says its digest ids were redacted. A Message: the import, the
 * folder apply and their previews show it in the user's language.
 */
export function aclEntryProblem(a: unknown, redactedOk = false): Message | undefined {
  if (typeof a !== 'object' || a === null) return msg('an ACL entry is not an object');
  const e = a as Partial<ZkAcl>;
  if (typeof e.perms !== 'number' || !Number.isInteger(e.perms) || e.perms < 1 || e.perms > PERMS.ALL) {
    return msg('perms {0} is not a permission mask (1-31: c=4, d=8, r=1, w=2, a=16)', String(JSON.stringify(e.perms)));
  }
  if (typeof e.scheme !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(e.scheme)) return msg('scheme {0} is not a scheme name', String(JSON.stringify(e.scheme)));
  if (typeof e.id !== 'string' || e.id.length > 1024) return msg('the id of a {0} entry must be a string (at most 1,024 characters)', e.scheme);
  if (redactedOk && isRedactedEntry(e as ZkAcl)) return undefined;
  return idProblemMessage(e.scheme, e.id);
}

/** One distinct ACL a write sets, on how many nodes, and whether it would lock this session out. */
export interface AclUse {
  acl: ZkAcl[];
  /** Nodes it is set on (created with it, or given it on overwrite). */
  nodes: number;
  firstPath: string;
  /** The lock-out check's message when this session would lose READ or ADMIN on those nodes. */
  lockOut?: Message;
}

export function aclKey(acl: readonly ZkAcl[]): string {
  return acl
    .map((a) => `${a.perms}\u0000${a.scheme}\u0000${a.id}`)
    .sort()
    .join('\u0001');
}

/** Groups the ACLs to set into distinct ones (in the order first met) and runs the lock-out check on each when `who` is known. */
export function distinctAcls(entries: Iterable<{ path: string; acl: readonly ZkAcl[] }>, who: SessionIdentities | undefined): AclUse[] {
  const byKey = new Map<string, AclUse>();
  for (const e of entries) {
    const key = aclKey(e.acl);
    const use = byKey.get(key);
    if (use) use.nodes++;
    else byKey.set(key, { acl: e.acl.map((a) => ({ ...a })), nodes: 1, firstPath: e.path });
  }
  const out = [...byKey.values()];
  if (who) for (const u of out) u.lockOut = lockOutCheck(u.acl, who)?.localized;
  return out;
}

/** "digest:alice:…:cdrwa, world:anyone:r" */
export function describeAcl(acl: readonly ZkAcl[]): string {
  return acl.map(formatAcl).join(', ');
}

/** The ACLs a list of write ops sets: creates with their ACL, overwrites that replace the ACL. */
export function* aclsSetBy(ops: Iterable<{ type: string; path: string; acl?: readonly ZkAcl[]; aclAfter?: readonly ZkAcl[] }>): Iterable<{ path: string; acl: readonly ZkAcl[] }> {
  for (const op of ops) {
    if (op.type === 'create' && op.acl) yield { path: op.path, acl: op.acl };
    else if (op.type === 'setData' && op.aclAfter) yield { path: op.path, acl: op.aclAfter };
  }
}

/**
 * Refuses (ACL_LOCK_OUT, before any write) a write that would set an ACL locking this session out
 * of nodes it writes, as the ACL editor does before a save; the caller may accept it explicitly.
 */
export function refuseLockOut(acls: readonly AclUse[], target: string, verb: string): void {
  const bad = acls.filter((u) => u.lockOut);
  if (bad.length === 0) return;
  const first = bad[0];
  const nodes = bad.reduce((n, u) => n + u.nodes, 0);
  throw new ZkError(
    'ACL_LOCK_OUT',
    msg(
      'Cannot {0} {1}: {2} would get an ACL that locks this session out (first: {3} with {4}). {5} Nothing was written. Write without the source ACLs (new nodes get the default ACL), add credentials that the ACL grants, or confirm the lock-out.',
      verb,
      target,
      nodes === 1 ? msg('1 node') : msg('{0} nodes', nodes.toLocaleString('en')),
      first.firstPath,
      describeAcl(first.acl),
      first.lockOut ?? '',
    ),
    { path: first.firstPath, op: verb },
  );
}

/** Nodes of an export whose ACL has digest entries, and nodes with an ACL other than world:anyone:cdrwa. */
export function exportAclCounts(nodes: readonly { acl?: readonly ZkAcl[] }[]): { digest: number; restricted: number } {
  let digest = 0;
  let restricted = 0;
  for (const n of nodes) {
    if (!n.acl) continue;
    if (n.acl.some((a) => a.scheme === 'digest' && !isRedactedEntry(a))) digest++;
    if (!(n.acl.length === 1 && n.acl[0].scheme === 'world' && n.acl[0].id === 'anyone' && n.acl[0].perms === PERMS.ALL)) restricted++;
  }
  return { digest, restricted };
}

/**
 * The export document with its ACLs as chosen: left out, or digest ids redacted (format version 2,
 * so that an older reader refuses it instead of setting "user:<redacted>"). 'full' returns it as is.
 */
export function withAclMode<D extends { version: 1 | 2; aclMode?: AclExportMode; nodes: { acl?: ZkAcl[] }[] }>(doc: D, mode: AclExportMode): D {
  if (mode === 'full') return doc;
  return {
    ...doc,
    version: mode === 'redactDigest' ? 2 : doc.version,
    aclMode: mode,
    nodes: doc.nodes.map((n) => {
      const { acl, ...rest } = n;
      const out = exportedAcl(acl ?? [], mode);
      return acl && out ? { ...rest, acl: out } : rest;
    }),
  };
}
