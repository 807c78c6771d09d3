// Walking and counting a subtree.
//
// The walk is breadth-first and pipelined: a window of N nodes (default 128) is being listed at
// once, never one round trip at a time (ZooInspector, zkCli.sh `ls -R`) and never unbounded (the
// client's own in-flight bound stays the backstop). getChildren returns the node's Stat, so a walk
// without data costs one request per node. A walk with data reads nodes in multiRead batches where
// the server has them (ZooKeeper 3.6+; see walkReads.ts), node by node otherwise.
//
// Memory: a walk that collects keeps one WalkedNode per node (path, decoded Stat, and the data/ACL
// when asked for): about 0.5 KB per node without data, so a 50k-node subtree is ~25 MB plus its
// data. With `collect: false` and `onNode`, a walk keeps only the queue of paths still to visit
// (at most the widest level of the tree). Domain layer: no 'vscode' here.
import type { ZkAcl } from '../acl';
import { ZkError, isZkError } from '../errors';
import { assertValidPath, joinPath } from '../paths';
import type { ZnodeStat } from '../stat';
import { clampInt } from './helpers';
import { SUBTREE_DEFAULTS, type SubtreeClient } from './subtreeClient';
import { BatchedReader, readNode, type NodeRead } from './walkReads';
import { msg } from '../message';

/** A node as a walk of names only sees it. */
export interface WalkedName {
  path: string;
  /** 0 for the root of the walk. */
  depth: number;
}

export interface WalkedNode extends WalkedName {
  /** From getChildren, or from getData when withData (so that it matches the data). */
  stat: ZnodeStat;
  data?: Uint8Array;
  acl?: ZkAcl[];
  /** Children queued to be visited (0 at maxDepth): a streaming consumer knows when a node's children are all in. */
  childCount: number;
}

export interface WalkOptions {
  withData?: boolean;
  withAcl?: boolean;
  /** Nodes being listed at once (default 128; 1 = one request at a time). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called with the number of nodes visited so far, at most every 100 ms and once at the end. */
  onProgress?: (visited: number) => void;
  /** Called for every node, parents before children. */
  onNode?: (node: WalkedNode) => void;
  /** Keep the nodes in the result (default true); false with onNode streams them. */
  collect?: boolean;
  /** Stop with TOO_MANY_NODES past this many nodes (default 1,000,000). */
  maxNodes?: number;
  /** Skip ZooKeeper's own /zookeeper subtree when walking from '/' (not under a chroot). */
  excludeSystem?: boolean;
  /** Skip nodes this session may not read (NOAUTH) instead of failing; they are listed in `unreadable`. */
  skipUnreadable?: boolean;
  /** Do not descend below this depth (the root is depth 0; default: no limit). */
  maxDepth?: number;
  /**
   * With data, or names only (walkSubtreeNames): read nodes in multiRead batches where the server
   * has it (ZooKeeper 3.6+; default true); false reads every node with its own requests.
   */
  multiRead?: boolean;
}

/** What walkSubtreeNames takes: no data, ACLs or Stats to ask for. */
export type NamesWalkOptions = Omit<WalkOptions, 'withData' | 'withAcl' | 'onNode'> & {
  onNode?: (node: WalkedName) => void;
};

export interface WalkResult<N extends WalkedName = WalkedNode> {
  root: string;
  /** Parents always come before their children (breadth-first, as the replies came). */
  nodes: N[];
  count: number;
  /** Nodes listed by their parent that were gone when visited (deleted meanwhile): skipped. */
  vanished: number;
  /** Nodes skipped because of NOAUTH (with skipUnreadable), with their subtrees. */
  unreadable: string[];
  ms: number;
}

/**
 * Walks the subtree under `root` (root included) breadth-first with a bounded window of requests
 * in flight. A node that vanishes mid-walk is skipped; a missing root is a NONODE error.
 */
export async function walkSubtree(client: SubtreeClient, root: string, opts: WalkOptions = {}): Promise<WalkResult> {
  return walk(client, root, opts, false) as Promise<WalkResult>;
}

/**
 * Walks the subtree for its paths only (no Stat): in multiRead batches of getChildren where the
 * server has them (opts.multiRead, default true), about a hundred nodes per request instead of one.
 */
export async function walkSubtreeNames(client: SubtreeClient, root: string, opts: NamesWalkOptions = {}): Promise<WalkResult<WalkedName>> {
  return walk(client, root, opts as WalkOptions, true);
}

async function walk(client: SubtreeClient, root: string, opts: WalkOptions, namesOnly: boolean): Promise<WalkResult<WalkedName>> {
  assertValidPath(root, 'walk');
  const started = Date.now();
  const window = clampInt(opts.concurrency ?? SUBTREE_DEFAULTS.walkConcurrency, 1, Math.max(1, client.options.maxInFlight));
  const collect = opts.collect !== false;
  const maxNodes = opts.maxNodes ?? SUBTREE_DEFAULTS.maxNodes;
  const skipSystem = opts.excludeSystem === true && !client.chroot;
  const { signal, withData, withAcl } = opts;
  const nodes: WalkedName[] = [];
  const unreadable: string[] = [];
  let count = 0;
  let vanished = 0;
  let lastProgress = 0;
  const progress = (final: boolean) => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!final && now - lastProgress < 100) return;
    lastProgress = now;
    opts.onProgress(count);
  };

  let queue: string[] = [root];
  let depths: number[] = [0];
  let head = 0;
  let inFlight = 0;
  // Nodes with their data, or names only: multiRead batches where the server has them (walkReads.ts).
  const batched = (withData || namesOnly) && opts.multiRead !== false ? new BatchedReader(client, withAcl === true, namesOnly) : undefined;
  /** multiRead requests in flight at once. */
  const batchWindow = Math.max(1, Math.ceil(window / SUBTREE_DEFAULTS.nodesPerBatchWindow));

  await new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      if (err !== undefined) reject(err);
      else {
        progress(true);
        resolve();
      }
    };
    const onAbort = () =>
      finish(new ZkError('CANCELLED', msg('Cancelled while walking {0} ({1} nodes visited)', root, count.toLocaleString('en')), { path: root, op: 'walk' }));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });

    /** A node could not be read: vanished (skipped), unreadable (listed, with skipUnreadable) or fatal. */
    const failed = (path: string, depth: number, e: unknown): void => {
      if (depth > 0 && isZkError(e, 'NONODE')) {
        vanished++;
        return;
      }
      if (opts.skipUnreadable && isZkError(e, 'NOAUTH')) {
        unreadable.push(path);
        return;
      }
      throw e;
    };

    const accept = (path: string, depth: number, read: NodeRead): void => {
      if (done) return;
      count++;
      if (count > maxNodes) {
        throw new ZkError(
          'TOO_MANY_NODES',
          msg('The subtree under {0} has more than {1} nodes: stopped walking. Choose a smaller subtree, or raise the limit (maxNodes)', root, maxNodes.toLocaleString('en')),
          { path: root, op: 'walk' },
        );
      }
      let node: WalkedName;
      let full: WalkedNode | undefined;
      if (namesOnly) node = { path, depth };
      else {
        full = { path, depth, stat: read.stat as ZnodeStat, childCount: 0 };
        if (read.data) full.data = read.data;
        if (read.acl) full.acl = read.acl;
        node = full;
      }
      if (opts.maxDepth === undefined || depth < opts.maxDepth) {
        for (const c of read.children) {
          if (skipSystem && path === '/' && c === 'zookeeper') continue;
          queue.push(joinPath(path, c));
          depths.push(depth + 1);
          if (full) full.childCount++;
        }
      }
      if (collect) nodes.push(node);
      opts.onNode?.(node as WalkedNode);
      progress(false);
    };

    const visit = async (path: string, depth: number): Promise<void> => {
      let read: NodeRead;
      try {
        read = await readNode(client, path, withData === true, withAcl === true);
      } catch (e) {
        return failed(path, depth, e);
      }
      accept(path, depth, read);
    };

    const visitBatch = async (paths: string[], batchDepths: number[]): Promise<void> => {
      const outcomes = await (batched as BatchedReader).read(paths);
      for (let i = 0; i < paths.length; i++) {
        const o = outcomes[i];
        if (o.read) accept(paths[i], batchDepths[i], o.read);
        else failed(paths[i], batchDepths[i], o.error);
      }
    };

    const settled = () => {
      inFlight--;
      pump();
    };
    const pump = () => {
      while (!done && head < queue.length) {
        if (batched?.active) {
          // The first multiRead of a walk goes alone: a server without it may drop the connection.
          if (inFlight >= batchWindow || (batched.unproven && inFlight > 0)) break;
          const n = batched.take(queue, head);
          const paths = queue.slice(head, head + n);
          const batchDepths = depths.slice(head, head + n);
          head += n;
          inFlight++;
          visitBatch(paths, batchDepths).then(settled, (e: unknown) => finish(e));
          continue;
        }
        if (inFlight >= window) break;
        const path = queue[head];
        const depth = depths[head];
        head++;
        inFlight++;
        visit(path, depth).then(settled, (e: unknown) => finish(e));
      }
      if (head > 65_536 && head * 2 > queue.length) {
        queue = queue.slice(head);
        depths = depths.slice(head);
        head = 0;
      }
      if (!done && inFlight === 0 && head >= queue.length) finish();
    };
    pump();
  });
  return { root, nodes, count, vanished, unreadable, ms: Date.now() - started };
}

// --- count -----------------------------------------------------------------------------------

export interface SubtreeCount {
  /** Nodes in the subtree, the root included. */
  total: number;
  descendants: number;
  /** 'server': one getAllChildrenNumber request (ZooKeeper 3.6+); 'walk': listed node by node. */
  method: 'server' | 'walk';
}

const noAllChildrenNumber = new WeakSet<object>();

/**
 * Counts the subtree: one getAllChildrenNumber request where the server has it (3.6+), otherwise
 * (UNIMPLEMENTED, or no answer within a few seconds: 3.4 servers drop unknown requests) a walk.
 * From '/', the server's count includes ZooKeeper's own /zookeeper nodes.
 */
export async function countSubtree(
  client: SubtreeClient,
  root: string,
  opts: Pick<WalkOptions, 'signal' | 'onProgress' | 'concurrency' | 'maxNodes'> & { timeoutMs?: number } = {},
): Promise<SubtreeCount> {
  assertValidPath(root, 'count');
  if (!noAllChildrenNumber.has(client)) {
    const timeoutMs = opts.timeoutMs ?? SUBTREE_DEFAULTS.countTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const asked = client.getAllChildrenNumber(root);
    asked.catch(() => undefined); // it may lose the race below and fail later
    try {
      const n = await Promise.race([
        asked,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new ZkError('REQUEST_DEADLINE', 'getAllChildrenNumber did not answer')), timeoutMs); // l10n-ignore: caught below (falls back to a walk)
        }),
      ]);
      return { total: n + 1, descendants: n, method: 'server' };
    } catch (e) {
      const unsupported = isZkError(e) && ['UNIMPLEMENTED', 'REQUEST_DEADLINE', 'PROTOCOL', 'MARSHALLINGERROR'].includes(e.code);
      if (!unsupported) throw e;
      noAllChildrenNumber.add(client);
    } finally {
      clearTimeout(timer);
    }
  }
  const walked = await walkSubtreeNames(client, root, { ...opts, collect: false });
  return { total: walked.count, descendants: walked.count - 1, method: 'walk' };
}

