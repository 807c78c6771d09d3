// Benchmarks of config as code (src/zk/configAsCode) on the ~50,000-node subtree of bench/subtree.ts
// (1 root, 50 folders, 999 leaves each = 50,001 nodes, 16 bytes of data each):
//   pull: walk with data and ACLs + 50,001 files and 51 metadata files written to a temp folder
//   plan: the folder read back + the server read again (both at once) + the comparison (one edit)
// each next to the references measured in the same run, interleaved: the subtree walk as the other
// subtree benchmarks run it (getChildren only), the walk with data and ACLs (the reads a pull and a
// plan cannot do without), and the pull's files written alone by one thread of another process
// (writeFileSync, same folders, names and sizes): what creating them costs on this machine's file
// system, which varies from run to run far more than the walk does.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { ZkClient, type MultiOp } from '../src/zk/client';
import { deleteSubtree, walkSubtree } from '../src/zk/subtree';
import { nodeFolderPort, planFolder, pullToFolder } from '../src/zk/configAsCode';
import type { Sample } from './stats';

export interface ConfigAsCodeBench {
  nodes: number;
  files: number;
  walk: Sample;
  walkWithDataAndAcl: Sample;
  pull: Sample;
  plan: Sample;
  /** The pull's files written alone (one thread, synchronous), in the same runs. */
  rawWrites: Sample;
}

export async function benchConfigAsCode(
  connectString: string,
  opts: { runs?: number; folders?: number; leavesPerFolder?: number; log?: (line: string) => void } = {},
): Promise<ConfigAsCodeBench> {
  const runs = opts.runs ?? 3;
  const log = opts.log ?? (() => undefined);
  // A shared machine under load can leave the server silent for more than the default 5 s liveness
  // timeout (the bench lost its connection that way): the session's own timeout still applies.
  const zk = new ZkClient({ connectString, requestTimeoutMs: 60_000, sessionTimeoutMs: 30_000, livenessTimeoutMs: 20_000, name: 'bench' });
  await zk.connect();
  const root = `/bench-cac-${process.pid}-${Date.now()}`;
  const dirs: string[] = [];
  const t = { walk: [] as number[], full: [] as number[], pull: [] as number[], plan: [] as number[], raw: [] as number[] };
  let nodes = 0;
  let files = 0;
  try {
    nodes = await seed(zk, root, opts.folders ?? 50, opts.leavesPerFolder ?? 999);
    log(`seeded ${nodes} nodes under ${root}`);
    // This process's CPU time per phase (user + system), logged: on a loaded machine it says what the wall clock cannot.
    const cpu: Record<'full' | 'pull' | 'plan', number> = { full: 0, pull: 0, plan: 0 };
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const u = process.cpuUsage(since);
      return (u.user + u.system) / 1000;
    };
    let cpuStart = process.cpuUsage();
    // The longest event-loop delay per phase (ms): a long synchronous stretch starves the socket
    // and the liveness check. On a loaded machine it includes time the process waited for a core.
    const blocked: Record<'full' | 'pull' | 'plan', number> = { full: 0, pull: 0, plan: 0 };
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const watch = () => {
      delay.reset();
      delay.enable();
    };
    const longest = () => {
      delay.disable();
      return delay.max / 1e6;
    };
    for (let r = 0; r < runs; r++) {
      let started = performance.now();
      const w = await walkSubtree(zk, root);
      t.walk.push(performance.now() - started);
      check(w.count, nodes, 'walk');

      started = performance.now();
      cpuStart = process.cpuUsage();
      watch();
      const full = await walkSubtree(zk, root, { withData: true, withAcl: true });
      t.full.push(performance.now() - started);
      blocked.full = longest();
      cpu.full = cpuMs(cpuStart);
      check(full.count, nodes, 'walk with data and ACLs');

      const dir = mkdtempSync(join(tmpdir(), 'zk-bench-cac-'));
      dirs.push(dir);
      started = performance.now();
      cpuStart = process.cpuUsage();
      watch();
      const pulled = await pullToFolder(zk, root, nodeFolderPort(dir), { connectionName: 'bench' });
      t.pull.push(performance.now() - started);
      blocked.pull = longest();
      cpu.pull = cpuMs(cpuStart);
      check(pulled.nodes, nodes, 'pull');
      files = pulled.files;

      const rawDir = mkdtempSync(join(tmpdir(), 'zk-bench-raw-'));
      dirs.push(rawDir);
      t.raw.push(await writeFilesAlone(rawDir, pulled.layout.dirs, pulled.layout.files));

      writeFileSync(join(dir, 'f07', 'n123'), 'edited in the folder');
      started = performance.now();
      cpuStart = process.cpuUsage();
      watch();
      const plan = await planFolder(zk, root, nodeFolderPort(dir), { mode: 'mirror' });
      t.plan.push(performance.now() - started);
      blocked.plan = longest();
      cpu.plan = cpuMs(cpuStart);
      if (plan.counts.update !== 1 || plan.counts.unchanged !== nodes - 1) throw new Error(`plan: ${JSON.stringify(plan.counts)} instead of 1 update`);
      // Each run's folder stays until every run is done: removing 50,000 files between runs made
      // the next pulls pay for them in kernel time (idle machine, ext4: with removals in between,
      // 4.3, 6.4, 7.7, 7.7 s, system CPU 2.2 s rising to 9.5 s; with the folders kept and the last
      // removals settling, 8.0, 6.8, 4.3, 3.9, 4.6 s), a cost of the filesystem, not of the pull.
      log(`run ${r + 1}/${runs}: walk ${ms(t.walk[r])}, walk with data+ACL ${ms(t.full[r])}, pull ${ms(t.pull[r])}, its files alone ${ms(t.raw[r])}, plan ${ms(t.plan[r])} (CPU of this process: walk with data+ACL ${ms(cpu.full)}, pull ${ms(cpu.pull)}, plan ${ms(cpu.plan)}; longest event-loop delay: walk with data+ACL ${ms(blocked.full)}, pull ${ms(blocked.pull)}, plan ${ms(blocked.plan)})`);
    }
    return {
      nodes,
      files,
      walk: sample('walk (getChildren, window 128)', t.walk),
      walkWithDataAndAcl: sample('walk with data and ACLs', t.full),
      pull: sample('pull to folder', t.pull),
      plan: sample('plan folder vs subtree', t.plan),
      rawWrites: sample('the files alone (one thread, writeFileSync)', t.raw),
    };
  } finally {
    // Not rmSync: 50,000 unlinks on the event loop block it for seconds, past the client's
    // liveness timeout, and the connection drops.
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    await deleteSubtree(zk, root).catch(() => undefined);
    await zk.close();
  }
}

/**
 * Writes the layout's files under `dir` in a child process, one thread, synchronously, and returns
 * how long that took (ms, measured in the child). Another process: this one's connection must keep
 * being served meanwhile.
 */
async function writeFilesAlone(dir: string, dirs: readonly string[], files: readonly { file: string; data: Uint8Array }[]): Promise<number> {
  const plan = JSON.stringify({ dir, dirs: dirs.filter((d) => d !== ''), files: files.map((f) => [f.file, f.data.byteLength]) });
  const source = `
    const fs = require('node:fs'), path = require('node:path');
    let text = '';
    process.stdin.on('data', (c) => (text += c)).on('end', () => {
      const p = JSON.parse(text);
      const at = (rel) => path.join(p.dir, ...rel.split('/'));
      const started = performance.now();
      for (const d of p.dirs) fs.mkdirSync(at(d), { recursive: true });
      for (const [file, size] of p.files) fs.writeFileSync(at(file), Buffer.alloc(size, 97));
      process.stdout.write(String(performance.now() - started));
    });`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stdin.end(plan);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const took = Number(out);
  if (code !== 0 || !Number.isFinite(took)) throw new Error(`writing the files alone failed (exit ${code}): ${out}`);
  return took;
}

/** root / f00..f49 / n000..n998, 16 bytes each (the shape of bench/subtree.ts), in multi batches of 1000. */
export async function seed(zk: ZkClient, root: string, folders: number, leaves: number): Promise<number> {
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
