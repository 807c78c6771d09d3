// What the extension costs before the user does anything: the size of what ships (dist/extension.js
// as `npm run package` builds it, and the .vsix), and the time activate() takes with three
// configured connections. Each activation is cold: a fresh Node process loads the production bundle
// with a fake `vscode` module (test/fakes/vscode.ts; the real VS Code is exercised by test/e2e)
// and calls activate(). The reference is a minimal extension (bench/minimalExtension.ts: a log
// channel, a command, a tree view) bundled and activated the same way, interleaved run by run.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ActivationRun } from './activationChild';
import { sample, type Sample } from './stats';

export interface ActivationBench {
  bundleBytes: number;
  vsixBytes: number;
  connections: number;
  /** require() of the bundle + activate(), ms. */
  ours: Sample;
  oursRequire: Sample;
  oursActivate: Sample;
  oursHeapMiB: number[];
  minimal: Sample;
  minimalRequire: Sample;
  minimalActivate: Sample;
  minimalHeapMiB: number[];
  commandsRegistered: number;
  /** vscode API our activate() touched that the fake only pretends to have. */
  stubbed: string[];
}

export interface ActivationBenchOptions {
  runs?: number;
  /** Connect strings for the three connections (they are not connected at activation). */
  connectStrings?: string[];
  log?: (line: string) => void;
}

export async function benchActivation(root: string, opts: ActivationBenchOptions = {}): Promise<ActivationBench> {
  const runs = opts.runs ?? 7;
  const log = opts.log ?? (() => undefined);
  const dist = join(root, 'dist', 'extension.js');

  log('npm run package (production bundle + .vsix)');
  const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (pkg.status !== 0) throw new Error(`npm run package failed (${pkg.status}):\n${(pkg.stdout + pkg.stderr).slice(-2000)}`);
  const bundleBytes = statSync(dist).size;
  const vsixBytes = statSync(join(root, 'zookeeper-explorer.vsix')).size;

  // Measure copies, the child script and the fake vscode module included: in a shared working tree
  // another developer's `npm run build` or `tsc` can rewrite dist/ and out/ mid-run (tsc truncates a
  // file before writing it; a child started then saw an empty module). The two compiled files keep
  // their places relative to each other (bench/, test/fakes/), so the child's require still works.
  const dir = join(root, 'out', 'bench-activation');
  mkdirSync(dir, { recursive: true });
  const ours = join(dir, 'extension.js');
  copyFileSync(dist, ours);
  if (statSync(ours).size !== bundleBytes) throw new Error('dist/extension.js changed while it was copied');
  const child = join(dir, 'bench', 'activationChild.js');
  const copyChild = () => {
    for (const f of [join('bench', 'activationChild.js'), join('test', 'fakes', 'vscode.js')]) {
      const from = join(root, 'out', f);
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      copyFileSync(from, join(dir, f));
      if (statSync(join(dir, f)).size === 0) throw new Error(`${from} is empty: is someone rebuilding out/ right now?`);
    }
  };
  copyChild();
  const minimal = join(dir, 'minimal.js');
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({
    entryPoints: [join(root, 'bench', 'minimalExtension.ts')],
    outfile: minimal,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    external: ['vscode'],
    minify: true,
    logLevel: 'silent',
  });

  const strings = opts.connectStrings ?? ['127.0.0.1:2181'];
  const connections = [
    { name: 'local', connectString: strings[0] },
    { name: 'ensemble', connectString: strings[1 % strings.length] },
    { name: 'ensemble (read-only, chroot)', connectString: `${strings[1 % strings.length]}/config`, readOnly: true },
  ];
  const o: ActivationRun[] = [];
  const m: ActivationRun[] = [];
  // One unmeasured run each: the first start of a process reads files from disk.
  try {
    await runChild(child, ours, root, connections);
  } catch (e) {
    log(`first activation failed, copying the child script again and retrying once: ${(e as Error).message.split('\n')[0]}`);
    await new Promise((r) => setTimeout(r, 3000));
    copyChild();
    await runChild(child, ours, root, connections);
  }
  await runChild(child, minimal, root, connections);
  for (let i = 0; i < runs; i++) {
    const pair = i % 2 ? [m, o] : [o, m];
    for (const into of pair) into.push(await runChild(child, into === o ? ours : minimal, root, connections));
    const a = o[i];
    const b = m[i];
    log(`run ${i + 1}/${runs}: ours require ${a.requireMs.toFixed(1)} ms + activate ${a.activateMs.toFixed(1)} ms; minimal ${b.requireMs.toFixed(1)} + ${b.activateMs.toFixed(1)} ms`);
  }
  const last = o[o.length - 1];
  if (!/activated with 3 connection\(s\)/.test(last.lastLogLine)) throw new Error(`activate() did not report 3 connections: ${last.lastLogLine}`);
  if (!last.treeViews.includes('zookeeper.explorer')) throw new Error('activate() created no zookeeper.explorer tree view');
  return {
    bundleBytes,
    vsixBytes,
    connections: connections.length,
    ours: sample('require + activate(), 3 connections', o.map((r) => r.requireMs + r.activateMs)),
    oursRequire: sample('require(dist/extension.js)', o.map((r) => r.requireMs)),
    oursActivate: sample('activate()', o.map((r) => r.activateMs)),
    oursHeapMiB: o.map((r) => Math.round(r.heapMiB * 100) / 100),
    minimal: sample('minimal extension: require + activate()', m.map((r) => r.requireMs + r.activateMs)),
    minimalRequire: sample('minimal: require', m.map((r) => r.requireMs)),
    minimalActivate: sample('minimal: activate()', m.map((r) => r.activateMs)),
    minimalHeapMiB: m.map((r) => Math.round(r.heapMiB * 100) / 100),
    commandsRegistered: last.commands,
    stubbed: last.stubbed,
  };
}

function runChild(script: string, bundle: string, root: string, connections: unknown[]): Promise<ActivationRun> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--expose-gc', script, bundle, root, JSON.stringify(connections)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    c.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => c.kill('SIGKILL'), 60_000);
    c.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    c.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`activation of ${bundle} failed (${code}): ${err.slice(-1500)}`));
      try {
        resolve(JSON.parse(line) as ActivationRun);
      } catch {
        reject(new Error(`activation of ${bundle}: no result: ${out.slice(-500)} ${err.slice(-500)}`));
      }
    });
  });
}
