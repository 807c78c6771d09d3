// Finds the snapshots and logs of a ZooKeeper data directory (dataDir or dataLogDir, or its version-2
// folder): `snapshot.<hex zxid>[.gz|.snappy]` and `log.<hex zxid>`, ordered by zxid.
import { nodeFsPromises } from '../lazyBuiltins';
import { basename, join } from 'node:path';

export type PersistenceKind = 'snapshot' | 'log';

export interface PersistenceFile {
  path: string;
  kind: PersistenceKind;
  /** The zxid in the name: a snapshot's last applied zxid, a log's first. */
  zxid: bigint;
}

const NAME = /^(snapshot|log)\.([0-9a-f]{1,16})(\.gz|\.snappy)?$/i;

/** What a file's name says it is, or undefined when it is neither a snapshot nor a log. */
export function classifyName(path: string): PersistenceFile | undefined {
  const m = NAME.exec(basename(path));
  if (!m || (m[1] === 'log' && m[3])) return undefined;
  return { path, kind: m[1] === 'log' ? 'log' : 'snapshot', zxid: BigInt('0x' + m[2]) };
}

/** Every snapshot and log of a directory (looking into version-2/ when present), oldest first. */
export async function listDataDir(dir: string): Promise<PersistenceFile[]> {
  const inner = join(dir, 'version-2');
  const base = (await isDir(inner)) ? inner : dir;
  const files = (await nodeFsPromises().readdir(base)).map((n) => classifyName(join(base, n))).filter((f): f is PersistenceFile => !!f);
  return files.sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : a.kind.localeCompare(b.kind)));
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await nodeFsPromises().stat(p)).isDirectory();
  } catch {
    return false;
  }
}
