// The file system as config as code sees it: a folder, addressed by '/'-separated paths relative
// to it ('' is the folder itself). Plain Node implements it here (tests, benchmarks); the VS Code
// adapter implements it over vscode.workspace.fs so that remote and virtual workspaces work too.
// Domain layer: no 'vscode' here.
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { DISK_WORKER_BATCH, diskWorker, TooLargeOnDisk } from './diskWorker';

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
  /** Files a writer keeps in flight (default FILES_IN_FLIGHT): a port that batches them wants more. */
  readonly writesInFlight?: number;
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
    // A batch of the worker at once: measured against 32 on the 50,001-node pull (bench/pullWritesAb.ts),
    // less system CPU in every run and less time in three of four.
    writesInFlight: DISK_WORKER_BATCH,
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
      try {
        return await diskWorker().read(abs(file), maxBytes);
      } catch (e) {
        if (e instanceof TooLargeOnDisk) throw new FileTooLargeError(file, e.size, maxBytes);
        throw e;
      }
    },
    async write(file, data) {
      await diskWorker().write(abs(file), data);
    },
    async mkdir(dir) {
      await fs.mkdir(abs(dir), { recursive: true });
    },
  };
}
