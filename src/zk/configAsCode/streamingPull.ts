// A pull whose file writes overlap the server walk: the walk is breadth-first, so a folder node's
// children are all read long before the walk ends; as soon as they are (its child count is
// reached) and its own folder's name is known (its parent was laid out), the folder is laid out
// and its files go to a bounded queue of writes. Folders whose children never all arrived (deleted
// meanwhile, unreadable) are laid out when the walk ends, and the top metadata (which lists the
// unreadable nodes) is written last. A node is a folder when the server listed children for it.
// Domain layer: no 'vscode' here.
import { ZkError } from '../errors';
import { parentPath, relativePath } from '../paths';
import type { SubtreeClient, WalkedNode } from '../subtree';
import { metaOfStat, type ConfigNode, type ConfigTree } from './configTree';
import { FILES_IN_FLIGHT, layOutFolder, type FolderLayout, type LaidOutFile } from './folderLayout';
import type { FolderPort } from './folderPort';
import { walkConfigSubtree, type PullOptions } from './pull';
import { msg } from '../message';

interface PendingFolder {
  node: ConfigNode;
  /** Children the walk queued for it. */
  expected: number;
  children: ConfigNode[];
  /** Its path in the folder, once its parent is laid out ('' for the top). */
  dir?: string;
  laidOut: boolean;
}

/** Writes files with at most `limit` in flight; the first failure stops it and is kept. */
class WriteQueue {
  private readonly items: ({ file: LaidOutFile; ready: Promise<void> } | undefined)[] = [];
  private head = 0;
  private running = 0;
  private lastProgress = 0;
  private idle: (() => void) | undefined;
  written = 0;
  error: unknown;

  constructor(
    private readonly port: FolderPort,
    private readonly limit: number,
    private readonly onFailure: () => void,
    /** Cancelled: no more writes start. */
    private readonly stopped: AbortSignal,
    private readonly onProgress?: (written: number, queued: number) => void,
  ) {}

  /** Queues files, written once `ready` (their folder made) settles. */
  add(files: readonly LaidOutFile[], ready: Promise<void>): void {
    for (const file of files) this.items.push({ file, ready });
    this.pump();
  }

  private pump(): void {
    while (this.error === undefined && !this.stopped.aborted && this.running < this.limit && this.head < this.items.length) {
      const item = this.items[this.head] as { file: LaidOutFile; ready: Promise<void> };
      this.items[this.head++] = undefined; // the data goes once written
      this.running++;
      item.ready
        // A cancel between taking the item and its folder being made: not written.
        .then(() => (this.stopped.aborted ? false : this.port.write(item.file.file, item.file.data).then(() => true)))
        .then(
          (wrote) => {
            if (wrote) this.written++;
            this.running--;
            const now = Date.now();
            if (this.onProgress && now - this.lastProgress > 100) {
              this.lastProgress = now;
              this.onProgress(this.written, this.items.length);
            }
            this.pump();
          },
          (e: unknown) => {
            this.error ??= e;
            this.running--;
            this.onFailure();
            this.pump();
          },
        );
    }
    if (this.settled) this.idle?.();
  }

  private get settled(): boolean {
    return this.running === 0 && (this.head >= this.items.length || this.error !== undefined || this.stopped.aborted);
  }

  /** Waits for every queued write; rejects with the first failure. */
  async drain(): Promise<void> {
    if (!this.settled) {
      await new Promise<void>((resolve) => {
        this.idle = resolve;
        this.pump();
      });
      this.idle = undefined;
    }
    if (this.error !== undefined) throw this.error;
    this.onProgress?.(this.written, this.items.length);
  }

  get queued(): number {
    return this.items.length;
  }
}

/** Walks `root` (data, ACLs) and writes it into `port` (checked empty by the caller) while walking. */
export async function walkAndWriteFolder(
  client: SubtreeClient,
  root: string,
  port: FolderPort,
  opts: PullOptions & { writeConcurrency?: number; maxChildrenWhileWalking?: number } = {},
): Promise<{ tree: ConfigTree & { walkMs: number }; layout: FolderLayout }> {
  const tree: ConfigTree & { walkMs: number } = {
    source: { root, pulledAt: new Date().toISOString(), ...(opts.connectionName ? { connection: opts.connectionName } : {}) },
    nodes: [],
    walkMs: 0,
  };
  const layout: FolderLayout = { dirs: [''], files: [], where: new Map([['/', '']]) };
  const folders = new Map<string, PendingFolder>();
  // The walk stops when a write fails (or the user cancels).
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  const writes = new WriteQueue(port, opts.writeConcurrency ?? port.writesInFlight ?? FILES_IN_FLIGHT, () => stop.abort(), stop.signal, opts.onProgress && ((done, total) => opts.onProgress?.({ phase: 'write', done, total })));

  let walked = false;
  const isFolder = (c: ConfigNode) => folders.has(c.rel);
  const layOutNow = (f: PendingFolder): void => {
    f.laidOut = true;
    const dir = f.dir as string;
    const out = layOutFolder(f.node, dir, f.children, isFolder, f.node.rel === '/' ? tree : undefined);
    // The top metadata lists the unreadable nodes: known when the walk ends, written then.
    const files = f.node.rel === '/' ? out.files.slice(0, -1) : out.files;
    const ready = dir === '' ? Promise.resolve() : port.mkdir(dir);
    ready.catch(() => undefined); // reported by the writes that wait for it
    writes.add(files, ready);
    for (const x of files) layout.files.push(x);
    for (const [rel, path] of out.where) layout.where.set(rel, path);
    for (const d of out.subdirs) {
      layout.dirs.push(d.path);
      const sub = folders.get(d.rel) as PendingFolder;
      sub.dir = d.path;
      if (!sub.laidOut && sub.children.length === sub.expected && (walked || sub.expected <= maxChildrenWhileWalking)) layOutNow(sub);
    }
  };

  /**
   * A folder with more children than this is laid out when the walk ends: its layout is one
   * synchronous stretch (about 2 s for 20,000 children on a loaded machine), and in the middle of
   * the walk that would hold the replies and the liveness check behind it.
   */
  const maxChildrenWhileWalking = opts.maxChildrenWhileWalking ?? 2000;
  const onNode = (w: WalkedNode): void => {
    const rel = relativePath(root, w.path);
    const node: ConfigNode = { rel, data: w.data ?? new Uint8Array(0), meta: metaOfStat(w.stat, w.acl) };
    tree.nodes.push(node);
    if (rel === '/' || w.childCount > 0) {
      const f: PendingFolder = { node, expected: w.childCount, children: [], laidOut: false };
      if (rel === '/') f.dir = '';
      folders.set(rel, f);
      if (f.dir !== undefined && f.expected === 0) layOutNow(f);
    }
    if (rel === '/') return;
    const parent = folders.get(parentPath(rel));
    if (!parent) return; // cannot happen: parents come first
    parent.children.push(node);
    if (!parent.laidOut && parent.dir !== undefined && parent.children.length === parent.expected && parent.expected <= maxChildrenWhileWalking) layOutNow(parent);
  };

  try {
    const walk = await walkConfigSubtree(client, root, {
      signal: stop.signal,
      concurrency: opts.concurrency,
      maxNodes: opts.maxNodes,
      onProgress: opts.onProgress && ((n) => opts.onProgress?.({ phase: 'walk', done: n })),
      onNode,
      collect: false,
    });
    walked = true;
    tree.walkMs = walk.ms;
    if (walk.unreadable.length > 0) tree.unreadable = walk.unreadable.map((p) => relativePath(root, p));
    // Folders whose children did not all arrive: parents first (the nodes' order).
    for (const n of tree.nodes) {
      const f = folders.get(n.rel);
      if (f && !f.laidOut && f.dir !== undefined) layOutNow(f);
    }
    const top = folders.get('/') as PendingFolder;
    // The same top folder again, now with the unreadable nodes: only its metadata is written.
    const out = layOutFolder(top.node, '', top.children, isFolder, tree);
    const topMetaFile = out.files[out.files.length - 1];
    writes.add([topMetaFile], Promise.resolve());
    layout.files.push(topMetaFile);
    await writes.drain();
    if (opts.signal?.aborted) throw new ZkError('CANCELLED', msg('Cancelled'));
  } catch (e) {
    await writes.drain().catch(() => undefined);
    if (writes.error !== undefined) throw writes.error;
    if (opts.signal?.aborted) {
      throw new ZkError('CANCELLED', msg('Cancelled: {0} of {1} files were written to {2}', writes.written.toLocaleString('en'), writes.queued.toLocaleString('en'), port.description));
    }
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  return { tree, layout };
}
