// Whole-file reads and writes on the local disk, done in batches by one worker thread with plain
// synchronous calls. Through node:fs's callbacks every file costs three trips through libuv's thread
// pool (open, read or write, close), each a hand-off between threads and a wake-up of the event
// loop; on a virtual machine those wake-ups cost more kernel time than the files: 50,000 small
// files written 32 at a time through the pool took 3.5-4.2 s of system CPU here, one thread writing
// them synchronously 2.0-2.5 s, and a plan spent more CPU on the trips than on the server walk.
// Here the event loop gathers the files asked in one turn into one message (a write's bytes packed
// in one transferred buffer, a read's bytes coming back the same way); the worker's synchronous
// calls never block the event loop. Errors come back per file, as node:fs's (code and message) or
// as a file too large. Domain layer: no 'vscode' here.
import type { Worker } from 'node:worker_threads';
import { nodeWorkerThreads } from '../lazyBuiltins';

/** Files in one message at most: a big batch would hold its first answers behind its last files. */
export const DISK_WORKER_BATCH = 256;
const MAX_BATCH = DISK_WORKER_BATCH;

/** The worker's code (plain JS: it runs as is, eval'd, so that it needs no file next to the bundle). */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
function readWhole(path, maxBytes) {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > maxBytes) return { tooLarge: size };
    const buf = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const n = fs.readSync(fd, buf, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return { bytes: at === size ? buf : buf.subarray(0, at) };
  } finally {
    fs.closeSync(fd);
  }
}
function writeAll(m) {
  const all = new Uint8Array(m.data);
  const errors = new Array(m.paths.length).fill(null);
  let at = 0;
  for (let i = 0; i < m.paths.length; i++) {
    const len = m.lens[i];
    try {
      fs.writeFileSync(m.paths[i], all.subarray(at, at + len));
    } catch (e) {
      errors[i] = { code: e && e.code, message: e && e.message ? e.message : String(e) };
    }
    at += len;
  }
  parentPort.postMessage({ id: m.id, data: new ArrayBuffer(0), lens: [], errors });
}
parentPort.on('message', (m) => {
  if (m.write) return writeAll(m);
  const count = m.paths.length;
  const lens = new Array(count).fill(0);
  const errors = new Array(count).fill(null);
  const reads = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    try {
      const r = readWhole(m.paths[i], m.maxBytes[i]);
      if (r.tooLarge !== undefined) errors[i] = { tooLarge: r.tooLarge };
      else {
        reads.push(r.bytes);
        lens[i] = r.bytes.byteLength;
        total += r.bytes.byteLength;
      }
    } catch (e) {
      errors[i] = { code: e && e.code, message: e && e.message ? e.message : String(e) };
    }
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const r of reads) {
    out.set(r, o);
    o += r.byteLength;
  }
  parentPort.postMessage({ id: m.id, data: out.buffer, lens, errors }, [out.buffer]);
});
`;

interface ReadOp {
  path: string;
  maxBytes: number;
  resolve: (v: Uint8Array) => void;
  reject: (e: unknown) => void;
}

interface WriteOp {
  path: string;
  data: Uint8Array;
  resolve: (v: undefined) => void;
  reject: (e: unknown) => void;
}

/** One message's files: all reads or all writes. */
type Batch = { kind: 'read'; ops: ReadOp[] } | { kind: 'write'; ops: WriteOp[] };

interface Reply {
  id: number;
  data: ArrayBuffer;
  lens: number[];
  errors: ({ code?: string; message: string } | { tooLarge: number } | null)[];
}

/** A file larger than the read allowed: the caller makes its own error (it knows the relative name). */
export class TooLargeOnDisk extends Error {
  constructor(readonly size: number) {
    super(`${size} bytes`);
  }
}

class DiskWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly inFlight = new Map<number, Batch>();

  get batchesInFlight(): number {
    return this.inFlight.size;
  }

  /** One message for the batch's files; bytes travel in one transferred buffer. */
  send(batch: Batch): void {
    const id = this.nextId++;
    this.inFlight.set(id, batch);
    const worker = this.started();
    worker.ref();
    const paths = batch.ops.map((o) => o.path);
    if (batch.kind === 'read') {
      worker.postMessage({ id, paths, maxBytes: batch.ops.map((o) => o.maxBytes) });
      return;
    }
    const writes = batch.ops;
    const data = new Uint8Array(writes.reduce((n, o) => n + o.data.byteLength, 0));
    let at = 0;
    for (const o of writes) {
      data.set(o.data, at);
      at += o.data.byteLength;
    }
    worker.postMessage({ id, write: true, paths, lens: writes.map((o) => o.data.byteLength), data: data.buffer }, [data.buffer]);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new (nodeWorkerThreads().Worker)(WORKER_SOURCE, { eval: true });
    worker.on('message', (m: Reply) => this.answer(m));
    const fail = (e: unknown) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const ops = [...this.inFlight.values()].flatMap((b): (ReadOp | WriteOp)[] => b.ops);
      this.inFlight.clear();
      for (const op of ops) op.reject(e instanceof Error ? e : new Error(`the file worker stopped (${String(e)})`));
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the file worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private answer(m: Reply): void {
    const batch = this.inFlight.get(m.id);
    if (!batch) return;
    this.inFlight.delete(m.id);
    // Idle: the worker does not keep the process alive.
    if (this.inFlight.size === 0) this.worker?.unref();
    const failed = (i: number, op: ReadOp | WriteOp): boolean => {
      const error = m.errors[i];
      if (!error) return false;
      if ('tooLarge' in error) op.reject(new TooLargeOnDisk(error.tooLarge));
      else op.reject(Object.assign(new Error(error.message), error.code ? { code: error.code } : {}));
      return true;
    };
    if (batch.kind === 'write') {
      batch.ops.forEach((op, i) => failed(i, op) || op.resolve(undefined));
      return;
    }
    const all = new Uint8Array(m.data);
    let at = 0;
    batch.ops.forEach((op, i) => {
      if (failed(i, op)) return;
      const len = m.lens[i];
      // Each file its own copy: the batch's buffer is not kept alive by one small file.
      op.resolve(all.slice(at, at + len));
      at += len;
    });
  }
}

/** Workers: one (file reads and writes are short; more threads only fight the event loop for the cores). */
const WORKERS = 1;

let shared: DiskWorkers | undefined;

/** Batches go to the worker with the fewest in flight. */
class DiskWorkers {
  private readonly workers = Array.from({ length: WORKERS }, () => new DiskWorker());
  private reads: ReadOp[] = [];
  private writes: WriteOp[] = [];
  private scheduled = false;

  read(path: string, maxBytes: number): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      this.reads.push({ path, maxBytes, resolve, reject });
      this.enqueued(this.reads.length);
    });
  }

  /** Writes a whole file (creating or replacing it); its folder exists. */
  write(path: string, data: Uint8Array): Promise<void> {
    return new Promise<undefined>((resolve, reject) => {
      this.writes.push({ path, data, resolve, reject });
      this.enqueued(this.writes.length);
    });
  }

  private enqueued(queued: number): void {
    if (queued >= MAX_BATCH) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      // Everything asked in this turn goes in one message.
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  private flush(): void {
    while (this.reads.length > 0) this.leastBusy().send({ kind: 'read', ops: this.reads.splice(0, MAX_BATCH) });
    while (this.writes.length > 0) this.leastBusy().send({ kind: 'write', ops: this.writes.splice(0, MAX_BATCH) });
  }

  private leastBusy(): DiskWorker {
    let least = this.workers[0];
    for (const w of this.workers) if (w.batchesInFlight < least.batchesInFlight) least = w;
    return least;
  }
}

/** The process's disk workers, each started at its first use. */
export function diskWorker(): DiskWorkers {
  shared ??= new DiskWorkers();
  return shared;
}
