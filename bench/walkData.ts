// The subtree walk that search, export, copy and delete share, reading data, against the raw
// node-zookeeper-client walking the same ~50,000-node subtree pipelined (getChildren + getData per
// node, 256 nodes in flight), all in the same run on the same server; and Find in Subtree against
// the walk it rides on:
//   walk with data (multiRead batches)          vs  the raw client's pipelined walk  (goal ≤ 0.5×)
//   walk with data, node by node (multiRead off) vs  the same raw walk                (before)
//   names-only search                           vs  our walk without data           (goal ≤ 1.05×)
//   names + data search                         vs  our walk with data              (goal ≤ 1.15×)
// Runs are interleaved (a round runs every case once, in a rotating order) so that noise from other
// processes on the machine hits all cases alike.
import { ZkClient, type MultiOp } from '../src/zk/client';
import { searchSubtree } from '../src/zk/search/searchSubtree';
import { deleteSubtree, walkSubtree } from '../src/zk/subtree';
import { measureSearchFeel, SEARCH_QUERIES, type SearchFeel } from './search';
import { closeRaw, connectRaw, sample, type RawClient, type Sample } from './stats';

export interface WalkDataBench {
  nodes: number;
  /** Raw node-zookeeper-client, children + data, 256 nodes in flight. */
  rawPipelined: Sample;
  oursMultiRead: Sample;
  oursNodeByNode: Sample;
  oursNoData: Sample;
  searchNames: Sample;
  searchNamesAndData: Sample;
  /** Time to first result, longest event-loop block and heap growth of the search (bench/search.ts). */
  searchFeel?: SearchFeel;
}

type TimedCase = keyof Omit<WalkDataBench, 'nodes' | 'searchFeel'>;

export interface WalkDataBenchOptions {
  runs?: number;
  folders?: number;
  leavesPerFolder?: number;
  log?: (line: string) => void;
  /** Only these timed cases (bench/only.ts search); the others are reported as not run (0 ms). */
  cases?: TimedCase[];
  /** Also measure how the search feels (default true). */
  searchFeel?: boolean;
}

const RAW_WINDOW = 256;

export async function benchWalkData(connectString: string, opts: WalkDataBenchOptions = {}): Promise<WalkDataBench> {
  const runs = opts.runs ?? 5;
  const log = opts.log ?? (() => undefined);
  const zk = new ZkClient({ connectString, requestTimeoutMs: 60_000, sessionTimeoutMs: 30_000, name: 'bench' });
  await zk.connect();
  let raw: RawClient | undefined;
  const root = `/bench-walkdata-${process.pid}-${Date.now()}`;
  try {
    raw = await connectRaw(connectString);
    const r = raw;
    const nodes = await seed(zk, root, opts.folders ?? 50, opts.leavesPerFolder ?? 999);
    log(`seeded ${nodes} nodes under ${root}`);
    const cases: Record<TimedCase, () => Promise<number>> = {
      rawPipelined: () => rawWalk(r, root, RAW_WINDOW),
      oursMultiRead: async () => (await walkSubtree(zk, root, { withData: true, collect: false, onNode: () => undefined })).count,
      oursNodeByNode: async () => (await walkSubtree(zk, root, { withData: true, multiRead: false, collect: false, onNode: () => undefined })).count,
      oursNoData: async () => (await walkSubtree(zk, root, { collect: false, onNode: () => undefined })).count,
      searchNames: async () => (await searchSubtree(zk, root, SEARCH_QUERIES.names, { maxResults: 1e9 })).visited,
      searchNamesAndData: async () => (await searchSubtree(zk, root, SEARCH_QUERIES.namesAndData, { maxResults: 1e9 })).visited,
    };
    const names = (Object.keys(cases) as TimedCase[]).filter((n) => !opts.cases || opts.cases.includes(n));
    for (const name of names) check(await cases[name](), nodes, `${name} (warm-up)`);
    const times = Object.fromEntries((Object.keys(cases) as TimedCase[]).map((n) => [n, [] as number[]])) as Record<TimedCase, number[]>;
    for (let round = 0; round < runs; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) {
        const started = performance.now();
        check(await cases[name](), nodes, name);
        times[name].push(performance.now() - started);
      }
      log(`run ${round + 1}/${runs}: ${names.map((n) => `${n} ${Math.round(times[n][round])} ms`).join(', ')}`);
    }
    for (const n of Object.keys(times) as TimedCase[]) if (times[n].length === 0) times[n].push(0);
    const searchFeel = opts.searchFeel === false ? undefined : await measureSearchFeel(zk, root, nodes, runs);
    return {
      nodes,
      rawPipelined: sample(`raw node-zookeeper-client walk, children + data, ${RAW_WINDOW} in flight`, times.rawPipelined),
      oursMultiRead: sample('walkSubtree with data (multiRead batches)', times.oursMultiRead),
      oursNodeByNode: sample('walkSubtree with data, node by node (multiRead off)', times.oursNodeByNode),
      oursNoData: sample('walkSubtree without data', times.oursNoData),
      searchNames: sample('searchSubtree, names only', times.searchNames),
      searchNamesAndData: sample('searchSubtree, names + paths + data', times.searchNamesAndData),
      searchFeel,
    };
  } finally {
    await deleteSubtree(zk, root).catch(() => undefined);
    if (raw) await closeRaw(raw);
    await zk.close();
  }
}

/** The reference: breadth-first, `window` nodes in flight, getChildren + getData for each. */
function rawWalk(client: RawClient, root: string, window: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const queue = [root];
    let head = 0;
    let inFlight = 0;
    let count = 0;
    let failed = false;
    const visit = (path: string) => {
      let left = 2;
      const done = () => {
        if (--left > 0) return;
        count++;
        inFlight--;
        pump();
      };
      client.getChildren(path, (err, children) => {
        if (err) return fail(err);
        for (const c of children) queue.push(`${path}/${c}`);
        done();
      });
      client.getData(path, (err) => (err ? fail(err) : done()));
    };
    const fail = (err: unknown) => {
      if (!failed) reject(err);
      failed = true;
    };
    const pump = () => {
      if (failed) return;
      while (inFlight < window && head < queue.length) {
        inFlight++;
        visit(queue[head++]);
      }
      if (inFlight === 0 && head >= queue.length) resolve(count);
    };
    pump();
  });
}

/** root / f00..f49 / n000..n998, 16 bytes each (as bench/subtree.ts), created in multi batches of 1000. */
async function seed(zk: ZkClient, root: string, folders: number, leaves: number): Promise<number> {
  const data = Buffer.from('0123456789abcdef');
  const ops: MultiOp[] = [{ type: 'create', path: root, data }];
  for (let f = 0; f < folders; f++) {
    const folder = `${root}/f${String(f).padStart(2, '0')}`;
    ops.push({ type: 'create', path: folder, data });
    for (let i = 0; i < leaves; i++) ops.push({ type: 'create', path: `${folder}/n${String(i).padStart(3, '0')}`, data });
  }
  for (let i = 0; i < ops.length; i += 1000) await zk.multi(ops.slice(i, i + 1000));
  return ops.length;
}

function check(got: number, want: number, what: string): void {
  if (got !== want) throw new Error(`${what}: ${got} nodes instead of ${want}: the comparison would not be fair`);
}
