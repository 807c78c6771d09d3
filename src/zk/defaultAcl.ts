// The ACL a node gets when the user did not choose one: Create Child Node, the parents an import
// creates, nodes of an import whose file has no ACL for them, a node recreated after it was
// deleted under its editor, a connection's missing chroot. One rule, stated to the user:
//  - a connection with credentials (digest, SASL, x509...): `auth::cdrwa`, which the server turns
//    into this session's own identities: the node is the user's;
//  - otherwise the ACL of the parent, so that a node never ends up more open than where it lives
//    (world:anyone:cdrwa only below a parent that is itself open, or that cannot be read).
// Domain layer: no 'vscode' here.
import { CREATOR_ALL_ACL, formatAcl, OPEN_ACL_UNSAFE, type ZkAcl } from './acl';
import type { SessionIdentities } from './aclEdit';
import { isZkError } from './errors';

export interface DefaultAcl {
  acl: ZkAcl[];
  /** 'auth': the connection's credentials; 'parent': copied from `from`; 'open': the parent could not be read. */
  source: 'auth' | 'parent' | 'open';
  /** The node the ACL was taken from (source 'parent'), or whose ACL could not be read ('open'). */
  from?: string;
  /** One sentence for previews and reports. */
  description: string;
}

/** Whether the session has an identity of its own (not only its address); a boolean: known from the configuration. */
export function hasCredentials(who: SessionIdentities | boolean | undefined): boolean {
  if (typeof who === 'boolean') return who;
  return !!who && who.identities.some((i) => i.scheme !== 'ip' && i.scheme !== 'world');
}

/**
 * The default ACL of a new node below `parent` (an existing node). `who`: this session's
 * identities, or whether it logged in with credentials (unknown: it counts as having none).
 */
export async function defaultAclFor(
  client: { getACL(path: string): Promise<{ acl: ZkAcl[] }> },
  parent: string,
  who: SessionIdentities | boolean | undefined,
): Promise<DefaultAcl> {
  if (hasCredentials(who)) {
    return { acl: CREATOR_ALL_ACL.map((a) => ({ ...a })), source: 'auth', description: 'auth::cdrwa (all permissions for the credentials of this connection only)' };
  }
  try {
    const { acl } = await client.getACL(parent);
    if (acl.length > 0) {
      return { acl, source: 'parent', from: parent, description: `the ACL of the parent ${parent} (${acl.map(formatAcl).join(', ')})` };
    }
  } catch (e) {
    if (!isZkError(e, 'NOAUTH') && !isZkError(e, 'NONODE')) throw e;
  }
  return {
    acl: OPEN_ACL_UNSAFE.map((a) => ({ ...a })),
    source: 'open',
    from: parent,
    description: `world:anyone:cdrwa (the ACL of the parent ${parent} cannot be read, and the connection has no credentials)`,
  };
}
