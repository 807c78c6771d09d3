// Where ZooKeeper and Java live: ZK_CLASSPATH, then ZOOKEEPER_HOME (an Apache tarball layout),
// then Debian's `zookeeper` package.
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const INSTALL_HINT = 'install with `apt-get update && apt-get install -y zookeeper` (or set ZOOKEEPER_HOME / ZK_CLASSPATH)';

const DEBIAN_JARS = '/usr/share/java';
const DEBIAN_ZKCLI = '/usr/share/zookeeper/bin/zkCli.sh';
// zookeeper.jar's manifest Class-Path omits servlet-api (the AdminServer dies without it) and an
// slf4j binding; the netty jars are what NettyServerCnxnFactory (the TLS client port) needs beyond it.
const DEBIAN_EXTRA_JARS = ['servlet-api.jar', 'slf4j-simple.jar', 'netty-codec.jar', 'netty-resolver.jar', 'netty-transport-native-unix-common.jar'];

export interface ZooKeeperInstall {
  classpath: string;
  zkCli: string;
  java: string;
}

export function findZooKeeper(): ZooKeeperInstall {
  const java = findJava();
  const home = process.env.ZOOKEEPER_HOME;
  const zkCli = home ? join(home, 'bin', 'zkCli.sh') : DEBIAN_ZKCLI;
  const classpath = process.env.ZK_CLASSPATH || (home ? tarballClasspath(home) : debianClasspath());
  if (!classpath || !java) {
    const what = !java ? 'java not found (JAVA_HOME, PATH)' : home ? `no ZooKeeper jar under ${home}` : `no ${DEBIAN_JARS}/zookeeper.jar`;
    throw new Error(`ZooKeeper is not available (${what}): ${INSTALL_HINT}`);
  }
  return { classpath, zkCli, java };
}

function debianClasspath(): string | undefined {
  const main = join(DEBIAN_JARS, 'zookeeper.jar');
  if (!existsSync(main)) return undefined;
  const extras = DEBIAN_EXTRA_JARS.map((jar) => join(DEBIAN_JARS, jar)).filter((p) => existsSync(p));
  return [main, ...extras].join(delimiter);
}

/** The Apache binary tarball: every jar in lib/ (zookeeper-*.jar included). */
function tarballClasspath(home: string): string | undefined {
  const jars = ['lib', '.'].flatMap((sub) => jarsIn(join(home, sub)));
  return jars.some((j) => /zookeeper-\d[^/]*\.jar$/.test(j)) ? jars.join(delimiter) : undefined;
}

function jarsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jar'))
    .map((f) => join(dir, f));
}

function findJava(): string | undefined {
  const fromHome = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : undefined;
  if (fromHome && existsSync(fromHome)) return fromHome;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.map((d) => join(d, 'java')).find((p) => existsSync(p));
}
