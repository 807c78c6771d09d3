// Benchmarks of src/zk/subtree.ts against the references a user would otherwise use, on the same
// ~50,000-node subtree (1 root, 50 folders, 999 leaves each = 50,001 nodes, 16 bytes of data each):
//   benchWalk:            our pipelined walk  vs  a one-request-at-a-time walk (ZooInspector-style)
//                         vs  `zkCli.sh ls -R` (the whole command, JVM start included; a plain
//                         `zkCli.sh ls /` is measured too, to show that fixed cost)
//   benchRecursiveDelete: our deleteSubtree  vs  `zkCli.sh deleteall`
// Each case runs several times (interleaved, so that noise from other processes on the machine
// hits all of them alike) and reports every run, the median and the spread; the caller prints
// ratios. Trees are seeded with multi batches, and removed afterwards.
import { spawn } from 'node:child_process';
import { ZkClient, type MultiOp } from '../src/zk/client';
import { deleteSubtree, walkSubtree, walkSubtreeNames } from '../src/zk/subtree';

export interface Sample {
  label: string;
  /** Every run, in ms. */
  runsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** (max - min) / median, in percent. */
  spreadPct: number;
}

export interface WalkBench {
  nodes: number;
  ours: Sample;
  /** walkSubtreeNames: paths only (what delete and count walk), multiRead batches of getChildren. */
  oursNames: Sample;
  oneAtATime: Sample;
  zkCliLsR: Sample;
  /** `zkCli.sh ls /`: the JVM start and connection that every zkCli.sh command pays. */
  zkCliStartup: Sample;
}

export interface DeleteBench {
  nodes: number;
  ours: Sample;
  zkCliDeleteall: Sample;
}

export interface BenchOptions {
  runs?: number;
  /** Leaves per folder (50 folders); default 999, i.e. 50,001 nodes. */
  leavesPerFolder?: number;
  folders?: number;
  /** zkCli.sh to run (default /usr/share/zookeeper/bin/zkCli.sh, or $ZKCLI). */
  zkCli?: string;
  log?: (line: string) => void;
}

const ZKCLI = process.env.ZKCLI ?? '/usr/share/zookeeper/bin/zkCli.sh';

/** Walk ~50k nodes: ours (window of 128) vs one at a time vs `zkCli.sh ls -R`. */
export async function benchWalk(connectString: string, opts: BenchOptions = {}): Promise<WalkBench> {
  const runs = opts.runs ?? 3;
  const log = opts.log ?? (() => undefined);
  const zk = await connect(connectString);
  const root = `/bench-walk-${process.pid}-${Date.now()}`;
  try {
    const nodes = await seed(zk, root, opts);
    log(`seeded ${nodes} nodes under ${root}`);
    const t = { ours: [] as number[], names: [] as number[], one: [] as number[], cli: [] as number[], startup: [] as number[] };
    for (let r = 0; r < runs; r++) {
      let started = performance.now();
      const a = await walkSubtree(zk, root);
      t.ours.push(performance.now() - started);
      check(a.count, nodes, 'pipelined walk');

      started = performance.now();
      const n = await walkSubtreeNames(zk, root);
      t.names.push(performance.now() - started);
      check(n.count, nodes, 'walk of names');

      started = performance.now();
      const b = await walkSubtree(zk, root, { concurrency: 1 });
      t.one.push(performance.now() - started);
      check(b.count, nodes, 'one-at-a-time walk');

      const cli = await runZkCli(opts.zkCli ?? ZKCLI, connectString, ['ls', '-R', root]);
      t.cli.push(cli.ms);
      const listed = cli.stdout.split('\n').filter((l) => l.startsWith(root)).length;
      check(listed, nodes, 'zkCli.sh ls -R');

      t.startup.push((await runZkCli(opts.zkCli ?? ZKCLI, connectString, ['ls', '/'])).ms);
      log(`run ${r + 1}/${runs}: ours ${ms(t.ours[r])} (names only ${ms(t.names[r])}), one at a time ${ms(t.one[r])}, zkCli ls -R ${ms(t.cli[r])} (startup ${ms(t.startup[r])})`);
    }
    return {
      nodes,
      ours: sample('pipelined walk (window 128)', t.ours),
      oursNames: sample('walk of names (multiRead batches of getChildren)', t.names),
      oneAtATime: sample('one request at a time', t.one),
      zkCliLsR: sample('zkCli.sh ls -R (whole command)', t.cli),
      zkCliStartup: sample('zkCli.sh ls / (JVM start + connect)', t.startup),
    };
  } finally {
    await deleteSubtree(zk, root).catch(() => undefined);
    await zk.close();
  }
}

/** Delete ~50k nodes: ours vs `zkCli.sh deleteall`; a fresh tree for every run (seeding not timed). */
export async function benchRecursiveDelete(connectString: string, opts: BenchOptions = {}): Promise<DeleteBench> {
  const runs = opts.runs ?? 3;
  const log = opts.log ?? (() => undefined);
  const zk = await connect(connectString);
  const base = `/bench-delete-${process.pid}-${Date.now()}`;
  const t = { ours: [] as number[], cli: [] as number[] };
  let nodes = 0;
  try {
    for (let r = 0; r < runs; r++) {
      const mine = `${base}-ours-${r}`;
      nodes = await seed(zk, mine, opts);
      let started = performance.now();
      const d = await deleteSubtree(zk, mine);
      t.ours.push(performance.now() - started);
      check(d.deleted, nodes, 'deleteSubtree');
      if (await zk.exists(mine)) throw new Error(`${mine} still exists after deleteSubtree`);

      const theirs = `${base}-zkcli-${r}`;
      check(await seed(zk, theirs, opts), nodes, 'seed');
      started = performance.now();
      const cli = await runZkCli(opts.zkCli ?? ZKCLI, connectString, ['deleteall', theirs]);
      t.cli.push(cli.ms);
      if (await zk.exists(theirs)) throw new Error(`${theirs} still exists after zkCli.sh deleteall: ${cli.stderr.slice(-500)}`);
      log(`run ${r + 1}/${runs}: ours ${ms(t.ours[r])}, zkCli deleteall ${ms(t.cli[r])}`);
    }
    return { nodes, ours: sample('deleteSubtree (walk + multi batches)', t.ours), zkCliDeleteall: sample('zkCli.sh deleteall (whole command)', t.cli) };
  } finally {
    for (let r = 0; r < runs; r++) {
      for (const p of [`${base}-ours-${r}`, `${base}-zkcli-${r}`]) await deleteSubtree(zk, p).catch(() => undefined);
    }
    await zk.close();
  }
}

// --- helpers ---------------------------------------------------------------------------------

async function connect(connectString: string): Promise<ZkClient> {
  const zk = new ZkClient({ connectString, requestTimeoutMs: 60_000, sessionTimeoutMs: 30_000, name: 'bench' });
  await zk.connect();
  return zk;
}

/** root / f00..f49 / n000..n998, 16 bytes each, created in multi batches of 1000. */
async function seed(zk: ZkClient, root: string, opts: BenchOptions): Promise<number> {
  const folders = opts.folders ?? 50;
  const leaves = opts.leavesPerFolder ?? 999;
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

function runZkCli(zkCli: string, connectString: string, args: string[]): Promise<{ ms: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(zkCli, ['-server', connectString, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`Cannot run ${zkCli}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0) reject(new Error(`${zkCli} ${args.join(' ')} exited with ${code}: ${stderr.slice(-500)}`));
      else resolve({ ms, stdout, stderr });
    });
  });
}

function sample(label: string, runsMs: number[]): Sample {
  const sorted = [...runsMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const minMs = sorted[0];
  const maxMs = sorted[sorted.length - 1];
  return { label, runsMs, medianMs, minMs, maxMs, spreadPct: medianMs > 0 ? (100 * (maxMs - minMs)) / medianMs : 0 };
}

function check(got: number, want: number, what: string): void {
  if (got !== want) throw new Error(`${what}: ${got} nodes instead of ${want}: the comparison would not be fair`);
}

const ms = (v: number) => `${Math.round(v)} ms`;
