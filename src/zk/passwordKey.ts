// Where a connection's password is kept in the host's secret storage. The key names everything the
// password is sent with: the connection's name, its servers (connect string) and the user. A password
// stored for one (name, connect string, user) is therefore never sent to other servers or for another
// user: changing any of them asks for the password again.
import type { ConnectionConfig } from './config';

const PREFIX = 'zookeeper.credential:';

/** Keys of versions up to 0.1, by connection name only; read never, deleted when met. */
export const LEGACY_PASSWORD_PREFIX = 'zookeeper.password.';

/** The secret storage key of a connection's password; undefined when it has no credentials. */
export function passwordKey(config: Pick<ConnectionConfig, 'name' | 'connectString' | 'auth'>): string | undefined {
  if (!config.auth) return undefined;
  return PREFIX + JSON.stringify([config.name, config.connectString.trim(), config.auth.scheme, config.auth.user]);
}
