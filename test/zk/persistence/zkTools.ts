// ZooKeeper's own readers of its files, run with `java -cp` on the installed jars, and their text
// output parsed into plain records the tests compare ours against node by node and record by record.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findZooKeeper } from '../../harness/zookeeper';

const run = promisify(execFile);

async function java(mainClass: string, args: string[]): Promise<string> {
  const { java, classpath } = findZooKeeper();
  const { stdout } = await run(java, ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-Xmx128m', '-cp', classpath, mainClass, ...args], {
    maxBuffer: 64 << 20,
    timeout: 60_000,
  });
  return stdout;
}

export interface ToolkitTxn {
  session: bigint;
  cxid: number;
  zxid: bigint;
  type: string;
  /** The rest of the record as TxnLogToolkit prints it (may span lines). */
  rest: string;
}

const TXN_LINE = /^.* session (0x[0-9a-f]+) cxid (0x[0-9a-f]+) zxid (0x[0-9a-f]+) (\S+)(?: ([\s\S]*))?$/;

/** TxnLogToolkit's dump of a log: one record per transaction, and the count it reports at EOF. */
export async function txnLogToolkit(file: string): Promise<{ txns: ToolkitTxn[]; eofCount?: number }> {
  const out = await java('org.apache.zookeeper.server.persistence.TxnLogToolkit', ['-d', file]);
  const txns: ToolkitTxn[] = [];
  let eofCount: number | undefined;
  const blocks: string[] = [];
  for (const line of out.split('\n')) {
    const eof = /^EOF reached after (\d+) txns\./.exec(line);
    if (eof) eofCount = Number(eof[1]);
    else if (/ session 0x[0-9a-f]+ cxid /.test(line)) blocks.push(line);
    else if (blocks.length && !line.startsWith('ZooKeeper Transactional Log File')) blocks[blocks.length - 1] += '\n' + line;
  }
  for (const block of blocks) {
    const m = TXN_LINE.exec(block.trimEnd());
    if (!m) throw new Error(`unparsed TxnLogToolkit record: ${block}`);
    txns.push({ session: BigInt(m[1]), cxid: Number(m[2]), zxid: BigInt(m[3]), type: m[4], rest: m[5] ?? '' });
  }
  return { txns, eofCount };
}

export interface FormatterNode {
  path: string;
  czxid: bigint;
  mzxid: bigint;
  pzxid: bigint;
  ctimeSeconds: number;
  mtimeSeconds: number;
  cversion: number;
  dataVersion: number;
  aclVersion: number;
  ephemeralOwner: bigint;
  dataBase64: string;
}

export interface FormatterDump {
  count: number;
  nodes: FormatterNode[];
  sessions: { id: bigint; timeout: number; ephemerals: number }[];
  lastZxid?: bigint;
}

/** SnapshotFormatter -d: every node with its stat and base64 data, the sessions, the last zxid. */
export async function snapshotFormatter(file: string): Promise<FormatterDump> {
  const out = await java('org.apache.zookeeper.server.SnapshotFormatter', ['-d', file]);
  const count = Number(/ZNode Details \(count=(\d+)\)/.exec(out)?.[1] ?? NaN);
  const [nodePart, sessionPart = ''] = out.split('Session Details');
  const nodes: FormatterNode[] = [];
  for (const block of nodePart.split('\n----\n').slice(1)) {
    const lines = block.split('\n');
    const fields = new Map(lines.slice(1).map((l) => /^\s+(\w+) = ?(.*)$/.exec(l)).filter((m): m is RegExpExecArray => !!m).map((m) => [m[1], m[2]]));
    if (!fields.has('cZxid')) continue;
    const f = (k: string) => {
      const v = fields.get(k);
      if (v === undefined) throw new Error(`SnapshotFormatter gave no ${k} for ${lines[0]}`);
      return v;
    };
    nodes.push({
      path: lines[0],
      czxid: BigInt(f('cZxid')),
      mzxid: BigInt(f('mZxid')),
      pzxid: BigInt(f('pZxid')),
      ctimeSeconds: Date.parse(f('ctime')) / 1000,
      mtimeSeconds: Date.parse(f('mtime')) / 1000,
      cversion: Number(f('cversion')),
      dataVersion: Number(f('dataVersion')),
      aclVersion: Number(f('aclVersion')),
      ephemeralOwner: BigInt.asIntN(64, BigInt(f('ephemeralOwner'))),
      dataBase64: fields.get('data') ?? '',
    });
  }
  const sessions = [...sessionPart.matchAll(/^(0x[0-9a-f]+), (\d+), (\d+)$/gm)].map((m) => ({ id: BigInt.asIntN(64, BigInt(m[1])), timeout: Number(m[2]), ephemerals: Number(m[3]) }));
  const last = /Last zxid: (0x[0-9a-f]+)/.exec(out)?.[1];
  return { count, nodes, sessions, lastZxid: last === undefined ? undefined : BigInt(last) };
}
