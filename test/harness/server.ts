// One ZooKeeper member: its directory (zoo.cfg, myid, data, server.log) and its JVM's lifecycle.
// The JVM writes straight into server.log (no pipe through Node), so the log stays complete even
// if this process dies first; error messages quote its last lines.
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, fstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOOPBACK } from './net';
import { signalChild, spawnTracked } from './processes';

export interface ZkServerHandle {
  id: number;
  clientPort: number;
  securePort?: number;
  adminPort: number;
  address: string;
  pid(): number | undefined;
  dataDir: string;
  running(): boolean;
}

export interface ServerPorts {
  client: number;
  admin: number;
  quorum: number;
  election: number;
  secure?: number;
}

export interface JvmLaunch {
  java: string;
  classpath: string;
  jvmFlags: string[];
}

const MAIN_CLASS = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';
// C1 only and no hsperfdata file: ~250 ms faster start, and SIGKILL leaves nothing in /tmp.
export const SERVER_JVM_FLAGS = ['-Xms64m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData'];

export class ZkServer implements ZkServerHandle {
  readonly clientPort: number;
  readonly securePort?: number;
  readonly adminPort: number;
  readonly address: string;
  readonly dataDir: string;
  readonly cfgPath: string;
  readonly logPath: string;
  private child?: ChildProcess;
  private exited: Promise<void> = Promise.resolve();
  private frozen = false;
  private lastExit?: string;

  constructor(readonly id: number, readonly dir: string, readonly ports: ServerPorts, private readonly launch: JvmLaunch) {
    this.clientPort = ports.client;
    this.securePort = ports.secure;
    this.adminPort = ports.admin;
    this.address = `${LOOPBACK}:${ports.client}`;
    this.dataDir = join(dir, 'data');
    this.cfgPath = join(dir, 'zoo.cfg');
    this.logPath = join(dir, 'server.log');
    mkdirSync(this.dataDir, { recursive: true });
  }

  writeConfig(config: string, withMyid: boolean): void {
    writeFileSync(this.cfgPath, config);
    if (withMyid) writeFileSync(join(this.dataDir, 'myid'), `${this.id}\n`);
  }

  pid(): number | undefined {
    return this.child?.pid;
  }

  running(): boolean {
    return this.child !== undefined;
  }

  /** How the last JVM of this member ended, for error messages. */
  exitDescription(): string | undefined {
    return this.lastExit;
  }

  spawn(): void {
    if (this.child) throw new Error(`ZooKeeper server ${this.id} is already running (pid ${this.child.pid})`);
    const log = openSync(this.logPath, 'a');
    try {
      const args = [...this.launch.jvmFlags, '-cp', this.launch.classpath, MAIN_CLASS, this.cfgPath];
      this.child = spawnTracked(this.launch.java, args, { cwd: this.dir, stdio: ['ignore', log, log], dieWithParent: true });
    } finally {
      closeSync(log); // the child has its own copy of the descriptor
    }
    this.lastExit = undefined;
    this.exited = this.watchExit(this.child);
  }

  private watchExit(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      const ended = (how: string): void => {
        if (this.child !== child) return;
        this.child = undefined;
        this.frozen = false;
        this.lastExit = how;
        resolve();
      };
      child.once('exit', (code, signal) => ended(signal ? `killed by ${signal}` : `exited with code ${code}`));
      child.once('error', (e) => ended(`could not be started: ${e.message}`));
    });
  }

  /**
   * SIGSTOP, and returns only when every thread of the JVM has stopped. kill() returns before they
   * have: 12 ms later on an idle machine, once in five; until then the server still answers (CI saw a
   * request sent right after freeze() get its reply).
   */
  freeze(): void {
    const child = this.requireRunning();
    child.kill('SIGSTOP');
    this.frozen = true;
    const deadline = Date.now() + 10_000;
    while (!allThreadsStopped(child.pid!)) {
      if (Date.now() > deadline) throw new Error(`ZooKeeper server ${this.id} (pid ${child.pid}) did not stop within 10 s of SIGSTOP`);
      Atomics.wait(PAUSE, 0, 0, 1);
    }
  }

  resume(): void {
    this.requireRunning().kill('SIGCONT');
    this.frozen = false;
  }

  /** Sends the signal and waits for the exit; escalates to SIGKILL after graceMs. No-op when stopped. */
  async terminate(signal: 'SIGTERM' | 'SIGKILL', graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    signalChild(child, signal);
    // A stopped process keeps SIGTERM pending until it runs again (SIGKILL needs no help).
    if (this.frozen && signal !== 'SIGKILL') child.kill('SIGCONT');
    let timer: NodeJS.Timeout | undefined;
    const escalate = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        signalChild(child, 'SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, escalate]);
    clearTimeout(timer);
    await this.exited;
  }

  /** The last lines of server.log (read from the end of the file, at most 64 KiB). */
  logTail(lines = 40): string {
    try {
      const fd = openSync(this.logPath, 'r');
      try {
        const size = fstatSync(fd).size;
        const length = Math.min(size, 64 * 1024);
        const buffer = Buffer.alloc(length);
        readSync(fd, buffer, 0, length, size - length);
        return buffer.toString('utf8').split('\n').slice(-lines - 1).join('\n').trimEnd();
      } finally {
        closeSync(fd);
      }
    } catch {
      return '(no log)';
    }
  }

  private requireRunning(): ChildProcess {
    if (!this.child) throw new Error(`ZooKeeper server ${this.id} is not running`);
    return this.child;
  }
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Every thread of `pid` is stopped (state T or t in /proc), or the process is gone. */
export function allThreadsStopped(pid: number): boolean {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return true; // gone: nothing answers
  }
  return tasks.every((task) => {
    try {
      // "pid (comm) S ...": the state follows the last ')' (comm may hold spaces or parentheses).
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return state === 'T' || state === 't' || state === 'Z' || state === 'X';
    } catch {
      return true; // the thread ended meanwhile
    }
  });
}
