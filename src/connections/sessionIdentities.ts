// This session's identities (whoAmI on 3.7+ servers, plus the digest credentials the connection
// logged in with), for the lock-out check and the default ACL of subtree writes and new nodes.
// One reading for every feature that checks or sets ACLs (tree writes, the ACL editor).
import type { ConnectionRegistry } from './connectionRegistry';
import { sessionIdentities, type SessionIdentities } from '../zk/aclEdit';
import type { ClientInfo } from '../zk/client';
import type { EnsembleConnection } from '../zk/ensembleConnection';

export async function sessionIdentitiesOf(registry: ConnectionRegistry, connection: EnsembleConnection, name: string): Promise<SessionIdentities> {
  let who: ClientInfo[] | undefined;
  try {
    who = await connection.client.whoAmI();
  } catch {
    who = undefined; // an older server: only the configured credentials are known
  }
  const cfg = registry.config(name);
  let creds: { user: string; password: string } | undefined;
  if (cfg?.auth?.scheme === 'digest') {
    const password = await registry.passwordOf(name);
    if (password !== undefined) creds = { user: cfg.auth.user, password };
  }
  return sessionIdentities(who, creds);
}
