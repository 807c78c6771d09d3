// ACL entries in a form the UI can show and edit, and the digest helper (user:password -> the
// "user:base64(sha1)" id the digest scheme stores).
import { nodeCrypto } from './lazyBuiltins';
import { ZkError } from './errors';
import { msg } from './message';

export const PERMS = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

export interface ZkAcl {
  /** Bit mask of PERMS. */
  perms: number;
  /** world, auth, digest, ip, x509, sasl, or any scheme a server plugin adds. */
  scheme: string;
  id: string;
}

export const OPEN_ACL_UNSAFE: readonly ZkAcl[] = [{ perms: PERMS.ALL, scheme: 'world', id: 'anyone' }];
export const CREATOR_ALL_ACL: readonly ZkAcl[] = [{ perms: PERMS.ALL, scheme: 'auth', id: '' }];
export const READ_ACL_UNSAFE: readonly ZkAcl[] = [{ perms: PERMS.READ, scheme: 'world', id: 'anyone' }];

/** "crwda" flags as zkCli.sh prints them. */
export function permsToFlags(perms: number): string {
  return (
    (perms & PERMS.CREATE ? 'c' : '') +
    (perms & PERMS.DELETE ? 'd' : '') +
    (perms & PERMS.READ ? 'r' : '') +
    (perms & PERMS.WRITE ? 'w' : '') +
    (perms & PERMS.ADMIN ? 'a' : '')
  );
}

export function flagsToPerms(flags: string): number {
  let p = 0;
  for (const ch of flags.toLowerCase()) {
    const bit = { c: PERMS.CREATE, d: PERMS.DELETE, r: PERMS.READ, w: PERMS.WRITE, a: PERMS.ADMIN }[ch];
    if (bit === undefined) throw new ZkError('INVALID_ARGUMENT', msg('Unknown permission flag "{0}": use any of c, d, r, w, a', ch));
    p |= bit;
  }
  return p;
}

/** The id the digest scheme stores for user:password (what `setAcl /x digest:<id>:crwda` takes). */
export function digestId(user: string, password: string): string {
  const hash = nodeCrypto().createHash('sha1').update(`${user}:${password}`, 'utf8').digest('base64');
  return `${user}:${hash}`;
}

export function formatAcl(a: ZkAcl): string {
  return `${a.scheme}:${a.id}:${permsToFlags(a.perms)}`;
}

/** Whether two ACLs hold the same entries, in any order (each entry as often in both). */
export function sameAcl(a: readonly ZkAcl[], b: readonly ZkAcl[]): boolean {
  if (a.length !== b.length) return false;
  const f = (x: readonly ZkAcl[]) => x.map((e) => `${e.scheme}\u0000${e.id}\u0000${e.perms}`).sort().join('\n');
  return f(a) === f(b);
}
