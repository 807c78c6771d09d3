// This session's identities (whoAmI on 3.7+ servers, plus the digest credentials or the SASL user
// the connection logged in with), for the lock-out check and the default ACL of subtree writes and new nodes.
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
  // A SASL session is usable only once its exchange succeeded: it is that user (whoAmI says so too on 3.7+).
  const saslUser = cfg?.auth?.scheme === 'sasl' && connection.hasPassword ? cfg.auth.user : undefined;
  return sessionIdentities(who, creds, saslUser);
}
