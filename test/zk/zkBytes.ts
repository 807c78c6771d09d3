// Runs test/fixtures/ZkBytes.java (the official Java client) as an independent client that reads
// and writes exact bytes, with a deadline; the process is tracked by the harness and never outlives the run.
import { resolve } from 'node:path';
import { findZooKeeper } from '../harness/zookeeper';
import { signalChild, spawnTracked } from '../harness/processes';

const SOURCE = resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'ZkBytes.java');

export interface ZkBytesResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** `ZkBytes <server> [--auth user:pw] <command> <path> [hex]`. */
export function zkBytes(server: string, args: string[], timeoutMs = 60_000): Promise<ZkBytesResult> {
  const zk = findZooKeeper();
  const child = spawnTracked(zk.java, ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', zk.classpath, SOURCE, server, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    dieWithParent: true,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  return new Promise((resolveResult, reject) => {
    const timer = setTimeout(() => {
      signalChild(child, 'SIGKILL');
      reject(new Error(`ZkBytes ${args.join(' ')}: no result within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveResult({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8').split('\n').filter((l) => !l.startsWith('SLF4J')).join('\n').trim(),
        code: code ?? -1,
      });
    });
  });
}

/** The node's bytes as the Java client reads them. */
export async function javaGet(server: string, path: string, auth?: string): Promise<Buffer> {
  const r = await zkBytes(server, [...(auth ? ['--auth', auth] : []), 'get', path]);
  if (r.code !== 0) throw new Error(`ZkBytes get ${path}: ${r.stderr}`);
  return Buffer.from(r.stdout.trim(), 'hex');
}

