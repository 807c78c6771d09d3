// Every process and temp dir the harness creates is tracked here, so none outlives the run:
// on 'exit' the processes get SIGKILL and the dirs are removed (synchronously: nothing async runs
// then); on SIGINT/SIGTERM the same happens, and the process exits unless the host program has
// its own handler for that signal (then exiting is its job, e.g. `npm start` stopping code-server).
// Hooks are installed on first use, so importing the harness has no side effects.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TrackedSpawnOptions extends SpawnOptions {
  /** Run in its own process group and signal the whole group (for shell scripts that fork java). */
  group?: boolean;
  /** Linux: have the kernel SIGKILL the child when this process dies, even by SIGKILL. */
  dieWithParent?: boolean;
}

interface Tracked {
  child: ChildProcess;
  group: boolean;
}

const live = new Set<Tracked>();
const tempDirs = new Set<string>();
let hooksInstalled = false;

// util-linux's setpriv sets PR_SET_PDEATHSIG and then execs, so the pid stays the JVM's own.
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => process.platform === 'linux' && existsSync(p));

export function spawnTracked(command: string, args: string[], opts: TrackedSpawnOptions = {}): ChildProcess {
  installHooks();
  const { group = false, dieWithParent = false, ...spawnOpts } = opts;
  const [cmd, argv] = dieWithParent && SETPRIV ? [SETPRIV, ['--pdeathsig', 'KILL', command, ...args]] : [command, args];
  const child = spawn(cmd, argv, { ...spawnOpts, detached: group });
  const entry: Tracked = { child, group };
  live.add(entry);
  const forget = (): boolean => live.delete(entry);
  child.once('exit', forget);
  child.once('error', forget);
  return child;
}

/** Sends a signal to a tracked child (to its whole group when it was spawned with group). */
export function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  const entry = [...live].find((e) => e.child === child);
  if (entry?.group && child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      /* group already gone: fall through to the child itself */
    }
  }
  child.kill(signal);
}

const TEMP_PREFIX = 'zk-harness-';
const OWNER_FILE = '.owner-pid';
let swept = false;

/**
 * A new temp dir (zk-harness-<kind>-XXXXXX), removed by removeTempDir or at exit. It records our
 * pid: a run killed by SIGKILL cannot clean up, so the first call sweeps dirs of dead owners.
 */
export function makeTempDir(kind: string): string {
  installHooks();
  if (!swept) sweepDirsOfDeadOwners();
  swept = true;
  const dir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${kind}-`));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  tempDirs.add(dir);
  return dir;
}

function sweepDirsOfDeadOwners(): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(TEMP_PREFIX))) {
    const dir = join(tmpdir(), name);
    try {
      const owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
      if (owner > 0 && !isAlive(owner)) rmSync(dir, { recursive: true, force: true });
    } catch {
      /* not ours, or being created/removed by someone else right now */
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, but another user's
  }
}

export function removeTempDir(dir: string): void {
  tempDirs.delete(dir);
  // maxRetries: a just-killed JVM may still be closing files in the dir.
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}

/** SIGKILLs every tracked process and removes every temp dir, synchronously. */
export function killAllSync(): void {
  for (const entry of live) {
    try {
      signalChild(entry.child, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  live.clear();
  for (const dir of [...tempDirs]) {
    try {
      removeTempDir(dir);
    } catch {
      /* best effort at exit */
    }
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      killAllSync();
      if (process.listenerCount(signal) <= 1) process.exit(128 + constants.signals[signal]);
    };
    process.on(signal, onSignal);
  }
}
