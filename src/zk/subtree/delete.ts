// Recursive delete: walk, then delete deepest-first in byte-sized multi batches (batchRunner).
// Domain layer: no 'vscode' here.
import { isZkError, ZkError } from '../errors';
import { subtreeGrewError } from '../subtreeGuards';
import { batchLimits } from './batchSizing';
import { runBatches, withBytes, type Op } from './batchRunner';
import { guardWrite, throwIfAborted } from './helpers';
import { SUBTREE_DEFAULTS, type SubtreeClient, type SubtreeProgress } from './subtreeClient';
import { walkSubtreeNames, type WalkedName, type WalkResult } from './walk';
import { msg } from '../message';

export interface DeleteOptions {
  signal?: AbortSignal;
  onProgress?: (p: SubtreeProgress) => void;
  /** Bytes of one multi (default 512 KiB). */
  maxBatchBytes?: number;
  /** Ops in one multi (default 1000). */
  maxBatchOps?: number;
  /** Walk window (default 128). */
  concurrency?: number;
  maxNodes?: number;
  /** Re-walks of one node that keeps getting children (default 20; 0 with confirmedNodes). */
  maxRewalks?: number;
  /**
   * The node count the user confirmed (countForDeleteConfirmation). When given, nodes created
   * after it are never deleted: a walk that finds more stops before any delete (SUBTREE_GREW), and
   * a node that gets new children during the delete stops it (NOTEMPTY) with a report.
   */
  confirmedNodes?: number;
}

export interface DeleteResult {
  root: string;
  /** Nodes this call deleted. */
  deleted: number;
  /** Nodes found by the walk that someone else deleted before we did. */
  vanished: number;
  /** Times a node had new children when it was to be deleted, and was walked again. */
  rewalks: number;
  /** Nodes found by the walk. */
  walked: number;
  /** Multi requests that succeeded. */
  batches: number;
  ms: number;
  /** Of which the walk (listing every node) took this long. */
  walkMs: number;
}

/**
 * Deletes `root` and everything under it: walks, then deletes deepest-first in byte-sized multi
 * batches. Throws NONODE when the root does not exist, READ_ONLY_GUARD on a read-only
 * connection (before any request), CANCELLED/another code with a SubtreeIncompleteError when it
 * stopped half-way.
 */
export async function deleteSubtree(client: SubtreeClient, root: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
  const started = Date.now();
  guardWrite(client, 'delete', root);
  if (root === '/') {
    throw new ZkError('INVALID_ARGUMENT', msg('Refusing to delete "/": the root node cannot be deleted; delete its children one by one'), { path: root, op: 'delete' });
  }
  if (root === '/zookeeper' && !client.chroot) {
    throw new ZkError('INVALID_ARGUMENT', msg("Refusing to delete /zookeeper: it is ZooKeeper's own system node (quotas, config)"), { path: root, op: 'delete' });
  }
  throwIfAborted(opts.signal, msg('Cancelled: nothing under {0} was deleted', root), root);
  let walk: WalkResult<WalkedName>;
  try {
    walk = await walkSubtreeNames(client, root, {
      signal: opts.signal,
      concurrency: opts.concurrency,
      maxNodes: opts.maxNodes,
      onProgress: opts.onProgress && ((n) => opts.onProgress?.({ phase: 'walk', done: n })),
    });
  } catch (e) {
    if (isZkError(e, 'CANCELLED')) throw new ZkError('CANCELLED', msg('Cancelled while listing {0}: nothing was deleted', root), { path: root, op: 'delete', cause: e });
    throw e;
  }
  const confirmed = opts.confirmedNodes;
  if (confirmed !== undefined && walk.count > confirmed) throw subtreeGrewError(root, confirmed, walk.count);
  const chrootBytes = Buffer.byteLength(client.chroot ?? '', 'utf8');
  const ops: Op[] = [];
  for (let i = walk.nodes.length - 1; i >= 0; i--) ops.push(withBytes({ type: 'delete', path: walk.nodes[i].path, version: -1 }, chrootBytes));
  const r = await runBatches(client, ops, {
    operation: 'delete',
    root,
    limits: batchLimits(client, opts),
    chrootBytes,
    conflict: 'fail',
    onNotEmpty: confirmed === undefined ? 'rewalk' : 'stop',
    maxRewalks: confirmed === undefined ? (opts.maxRewalks ?? SUBTREE_DEFAULTS.maxRewalks) : 0,
    signal: opts.signal,
    onProgress: opts.onProgress,
    phase: 'delete',
    walkConcurrency: opts.concurrency,
    hint: () =>
      confirmed === undefined
        ? msg('What is left is still under {0}: delete it again to finish.', root)
        : msg('Nodes created after the confirmation were not deleted; what is left is still under {0}: delete it again to see and confirm it.', root),
  });
  return {
    root,
    deleted: r.deleted,
    vanished: r.vanished + walk.vanished,
    rewalks: r.rewalks,
    walked: walk.count,
    batches: r.batches,
    ms: Date.now() - started,
    walkMs: walk.ms,
  };
}

