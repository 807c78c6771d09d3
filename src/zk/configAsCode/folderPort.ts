// The file system as config as code sees it: a folder, addressed by '/'-separated paths relative
// to it ('' is the folder itself). Plain Node implements it here (tests, benchmarks); the VS Code
// adapter implements it over vscode.workspace.fs so that remote and virtual workspaces work too.
// Domain layer: no 'vscode' here.
import * as fsCallback from 'node:fs';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';

export interface FolderEntry {
  name: string;
  /** 'other': a symbolic link, socket, device...: never followed, never read. */
  kind: 'file' | 'dir' | 'other';
}

export interface FolderPort {
  /** The entries of a folder; undefined when it does not exist. */
  list(dir: string): Promise<FolderEntry[] | undefined>;
  /** A whole file; a file larger than maxBytes is not read (FileTooLargeError). */
  read(file: string, maxBytes: number): Promise<Uint8Array>;
  /** Writes a whole file (creating or replacing it); its folder exists. */
  write(file: string, data: Uint8Array): Promise<void>;
  /** Creates a folder (and missing parents); fine when it exists. */
  mkdir(dir: string): Promise<void>;
  /** Where it is, for messages. */
  readonly description: string;
}

export class FileTooLargeError extends Error {
  constructor(
    readonly file: string,
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`${file} has ${size.toLocaleString('en')} bytes, more than the ${maxBytes.toLocaleString('en')} a znode can hold here`);
    this.name = 'FileTooLargeError';
  }
}

/** A folder on the local disk through node:fs. */
export function nodeFolderPort(root: string): FolderPort {
  const abs = (rel: string) => {
    if (rel === '') return root;
    const parts = rel.split('/');
    // Names come from the escape (never '..', '/', '\\'), but a port must not trust its callers.
    if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) {
      throw new Error(`Refused path outside the folder: ${JSON.stringify(rel)}`);
    }
    return nodePath.join(root, ...parts);
  };
  return {
    description: root,
    async list(dir) {
      try {
        const entries = await fs.readdir(abs(dir), { withFileTypes: true });
        return entries.map((e) => ({ name: e.name, kind: e.isFile() ? 'file' : e.isDirectory() ? 'dir' : 'other' }));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async read(file, maxBytes) {
      return readWhole(abs(file), file, maxBytes);
    },
    async write(file, data) {
      const path = abs(file);
      // The callback API: no FileHandle object per file (50,000 of them cost GC time), same syscalls.
      await new Promise<void>((resolve, reject) => fsCallback.writeFile(path, data, (e) => (e ? reject(e) : resolve())));
    },
    async mkdir(dir) {
      await fs.mkdir(abs(dir), { recursive: true });
    },
  };
}

/** Small files (most znodes) are read whole by the first read: no fstat. */
const FIRST_READ_BYTES = 64 * 1024;
/** First-read buffers, reused (one per read in flight) rather than 64 KiB allocated per file. */
const spareBuffers: Buffer[] = [];

const call = <T>(fn: (cb: (e: NodeJS.ErrnoException | null, v: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((e, v) => (e ? reject(e) : resolve(v))));

/**
 * A whole file through the callback API: open, one read, close for a file under 64 KiB (a short
 * read of a regular file is its end); a larger one is measured (fstat) and refused past maxBytes.
 */
async function readWhole(path: string, file: string, maxBytes: number): Promise<Uint8Array> {
  const fd = await call<number>((cb) => fsCallback.open(path, 'r', cb));
  try {
    const first = spareBuffers.pop() ?? Buffer.allocUnsafeSlow(FIRST_READ_BYTES);
    let head: Uint8Array;
    try {
      const want = Math.min(FIRST_READ_BYTES, maxBytes + 1);
      const got = await call<number>((cb) => fsCallback.read(fd, first, 0, want, 0, cb));
      head = new Uint8Array(first.subarray(0, got)); // a copy: the buffer is reused
      if (got < want) return head;
    } finally {
      if (spareBuffers.length < 64) spareBuffers.push(first);
    }
    const { size } = await call<fsCallback.Stats>((cb) => fsCallback.fstat(fd, cb));
    if (size > maxBytes) throw new FileTooLargeError(file, size, maxBytes);
    if (size <= head.byteLength) return head.subarray(0, size);
    const buf = new Uint8Array(size);
    buf.set(head);
    let at = head.byteLength;
    while (at < size) {
      const n = await call<number>((cb) => fsCallback.read(fd, buf, at, size - at, at, cb));
      if (n === 0) break;
      at += n;
    }
    return at === size ? buf : buf.subarray(0, at);
  } finally {
    await call<void>((cb) => fsCallback.close(fd, (e) => cb(e, undefined)));
  }
}
