// zkCli.sh as an independent client: one command per call, non-interactive, with a deadline.
// zkCli.sh forks java (no exec), so the script runs in its own process group and a deadline
// kills the whole group. Debian's zkEnv.sh hard-codes JAVA and CLASSPATH but zkCli.sh passes
// $CLIENT_JVMFLAGS $JVMFLAGS to java; the upstream zkEnv.sh also reads ZK_CLIENT_HEAP.
import { existsSync } from 'node:fs';
import { findZooKeeper, INSTALL_HINT } from './locate';
import { signalChild, spawnTracked } from './processes';

// C1 only, class data sharing, a small serial heap: measured ~0.43 s per call for `ls /`.
// (AppCDS would need a dynamic archive, which Debian's CLASSPATH, holding the non-empty
// /etc/zookeeper/conf directory, does not allow.)
const FAST_CLIENT_JVMFLAGS = '-Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms16m -Xmx64m -XX:-UsePerfData';

export interface ZkCliResult {
  stdout: string;
  /** stderr without the "SLF4J: ..." lines Debian's client classpath (no binding) always prints. */
  stderr: string;
  code: number;
}

/** `jvmFlags`: more client JVM flags (a JAAS file for SASL, for instance). */
export async function zkCli(server: string, args: string[], opts: { timeoutMs?: number; jvmFlags?: string[] } = {}): Promise<ZkCliResult> {
  const script = findZooKeeper().zkCli;
  if (!existsSync(script)) throw new Error(`${script} not found: ${INSTALL_HINT}`);
  return await runScript(script, ['-server', server, ...args], opts.timeoutMs ?? 20_000, opts.jvmFlags ?? []);
}

function runScript(script: string, args: string[], timeoutMs: number, jvmFlags: string[]): Promise<ZkCliResult> {
  const env = {
    ...process.env,
    CLIENT_JVMFLAGS: `${FAST_CLIENT_JVMFLAGS} ${jvmFlags.join(' ')} ${process.env.CLIENT_JVMFLAGS ?? ''}`.trim(),
    ZK_CLIENT_HEAP: process.env.ZK_CLIENT_HEAP ?? '64',
  };
  const child = spawnTracked('bash', [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], group: true });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  const collected = (): ZkCliResult => ({
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: withoutSlf4jNoise(Buffer.concat(err).toString('utf8')),
    code: child.exitCode ?? -1,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signalChild(child, 'SIGKILL');
      const r = collected();
      reject(new Error(`zkCli.sh ${args.join(' ')}: no result within ${timeoutMs} ms\nstdout: ${r.stdout}\nstderr: ${r.stderr}`));
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`zkCli.sh could not be started: ${e.message}`));
    });
    // 'close' (not 'exit'): stdout and stderr are complete then.
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ...collected(), code: code ?? -1 });
    });
  });
}

function withoutSlf4jNoise(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('SLF4J: '))
    .join('\n');
}
