// An in-memory FolderPort for unit tests, that can behave like a case-insensitive, normalising file
// system (macOS, Windows) or refuse what Windows refuses, so that a layout that would lose files
// there fails here.
import type { FolderEntry, FolderPort } from '../../../src/zk/configAsCode/folderPort';
import { FileTooLargeError } from '../../../src/zk/configAsCode/folderPort';

export interface MemoryFolderOptions {
  /** Names compare case-insensitively and normalised (NFC), as on macOS and Windows. */
  foldCase?: boolean;
  /** Refuse names Windows refuses (reserved characters, device names, trailing dot or space). */
  windows?: boolean;
}

const WINDOWS_BAD = /[<>:"/\\|?*\u0000-\u001f]|[ .]$|^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

export class MemoryFolder implements FolderPort {
  readonly description = 'memory:';
  /** Path as written -> data; folders map to undefined. */
  readonly entries = new Map<string, Uint8Array | undefined>([['', undefined]]);
  constructor(private readonly opts: MemoryFolderOptions = {}) {}

  private key(path: string): string {
    return this.opts.foldCase ? path.normalize('NFC').toLowerCase() : path;
  }

  private find(path: string): string | undefined {
    const k = this.key(path);
    for (const p of this.entries.keys()) if (this.key(p) === k) return p;
    return undefined;
  }

  private check(path: string): void {
    for (const part of path.split('/')) {
      if (part === '' || part === '.' || part === '..') throw new Error(`bad path ${JSON.stringify(path)}`);
      if (this.opts.windows && WINDOWS_BAD.test(part)) throw new Error(`Windows refuses the name ${JSON.stringify(part)}`);
      if (Buffer.byteLength(part) > 255) throw new Error(`name too long: ${part.length}`);
    }
  }

  async list(dir: string): Promise<FolderEntry[] | undefined> {
    const at = this.find(dir);
    if (at === undefined || this.entries.get(at) !== undefined) return undefined;
    const prefix = at === '' ? '' : at + '/';
    const out: FolderEntry[] = [];
    for (const [p, v] of this.entries) {
      if (p === at || !p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      if (rest.includes('/')) continue;
      out.push({ name: rest, kind: v === undefined ? 'dir' : 'file' });
    }
    return out;
  }

  async read(file: string, maxBytes: number): Promise<Uint8Array> {
    const at = this.find(file);
    const data = at === undefined ? undefined : this.entries.get(at);
    if (data === undefined) throw new Error(`ENOENT ${file}`);
    if (data.byteLength > maxBytes) throw new FileTooLargeError(file, data.byteLength, maxBytes);
    return data;
  }

  async write(file: string, data: Uint8Array): Promise<void> {
    this.check(file);
    const at = this.find(file);
    if (at !== undefined && this.entries.get(at) === undefined) throw new Error(`EISDIR ${file}`);
    if (at !== undefined && at !== file) throw new Error(`collision: ${file} overwrites ${at}`);
    this.entries.set(file, new Uint8Array(data));
  }

  async mkdir(dir: string): Promise<void> {
    if (dir === '') return;
    this.check(dir);
    const at = this.find(dir);
    if (at !== undefined) {
      if (this.entries.get(at) !== undefined) throw new Error(`EEXIST (a file) ${dir}`);
      if (at !== dir) throw new Error(`collision: folder ${dir} is ${at}`);
      return;
    }
    this.entries.set(dir, undefined);
  }

  remove(path: string): void {
    for (const p of [...this.entries.keys()]) if (p === path || p.startsWith(path + '/')) this.entries.delete(p);
  }

  text(path: string): string {
    return Buffer.from(this.entries.get(path) ?? []).toString('utf8');
  }
}
