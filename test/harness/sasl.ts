// SASL DIGEST-MD5 for test servers: the JAAS file a server reads (a Server section with
// DigestLoginModule and one user_<name>="password" per user), written into the cluster's own dir,
// and the JVM flags and zoo.cfg lines that turn it on. A Client section lets zkCli.sh log in as
// one of the users, so what our client writes can be checked by another SASL client.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SaslServerOptions {
  /** user name to password, for the Server section. */
  users: Record<string, string>;
  /** -Dzookeeper.sessionRequireClientSASLAuth=true: the server closes sessions that did not authenticate with SASL. */
  require?: boolean;
}

export const SASL_AUTH_PROVIDER = 'org.apache.zookeeper.server.auth.SASLAuthenticationProvider';
const DIGEST_LOGIN_MODULE = 'org.apache.zookeeper.server.auth.DigestLoginModule';

function jaasString(s: string): string {
  if (/["\\\r\n]/.test(s)) throw new Error(`a JAAS value cannot hold quotes, backslashes or line breaks: ${JSON.stringify(s)}`);
  return `"${s}"`;
}

/** Writes `<dir>/jaas.conf`; returns the server JVM flags that use it. */
export function writeServerJaas(dir: string, opts: SaslServerOptions): { jvmFlags: string[]; config: Record<string, string> } {
  const users = Object.entries(opts.users);
  if (users.length === 0) throw new Error('a SASL server needs at least one user');
  for (const [name] of users) if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`a JAAS user_<name> key cannot hold ${JSON.stringify(name)}`);
  const file = join(dir, 'jaas.conf');
  const lines = users.map(([name, password]) => `  user_${name}=${jaasString(password)}`);
  writeFileSync(file, `Server {\n  ${DIGEST_LOGIN_MODULE} required\n${lines.join('\n')};\n};\n`, { mode: 0o600 });
  return {
    jvmFlags: [`-Djava.security.auth.login.config=${file}`, ...(opts.require ? ['-Dzookeeper.sessionRequireClientSASLAuth=true'] : [])],
    config: { 'authProvider.1': SASL_AUTH_PROVIDER },
  };
}

/** Writes a JAAS file with a Client section for `user`; returns the zkCli.sh JVM flags that use it. */
export function writeClientJaas(dir: string, user: string, password: string): string[] {
  const file = join(dir, `jaas-client-${user}.conf`);
  writeFileSync(file, `Client {\n  ${DIGEST_LOGIN_MODULE} required\n  username=${jaasString(user)}\n  password=${jaasString(password)};\n};\n`, { mode: 0o600 });
  return [`-Djava.security.auth.login.config=${file}`];
}
