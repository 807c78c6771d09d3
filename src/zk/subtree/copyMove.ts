// Copy and move of a subtree, on one ensemble or across two. Copy, move and export hold the source
// snapshot with its data in memory. Domain layer: no 'vscode' here.
import { OPEN_ACL_UNSAFE } from '../acl';
import type { SessionIdentities } from '../aclEdit';
import { ZkError } from '../errors';
import { assertValidPath, pathUnder, relativePath } from '../paths';
import { isEphemeral } from '../stat';
import { refuseLockOut } from '../subtreeAcl';
import { foreignEphemerals, refuseForeignEphemerals, type ForeignEphemeral } from '../subtreeGuards';
import { MULTI_OVERHEAD_BYTES, batchLimits, multiOpBytes, planBatches } from './batchSizing';
import { runBatches, withBytes, type Op } from './batchRunner';
import { guardWrite, throwIfAborted } from './helpers';
import { SubtreeIncompleteError } from './incomplete';
import type { SubtreeClient } from './subtreeClient';
import { executeWrite, prepareWrite, type TreeNode, type WriteOptions, type WriteResult } from './treeWrite';
import { walkSubtree } from './walk';
import { messageOfError, msg } from '../message';

export interface CopyOptions extends WriteOptions {
  /** Skip source nodes this session may not read (NOAUTH), with their subtrees, instead of failing. */
  skipUnreadable?: boolean;
}

/** What a copy would do: made by planCopy, and what copySubtree writes when given it. */
export interface CopyPlan {
  source: string;
  target: string;
  /** Nodes to copy (the source root included). */
  nodes: number;
  /** Bytes of data. */
  dataBytes: number;
  /** Bytes of the create requests. */
  requestBytes: number;
  /** Multi requests needed when every node is created. */
  batches: number;
  /** One multi: all or nothing. */
  atomic: boolean;
  /** Whether the target exists now (with the conflict policy 'fail' the copy would be refused). */
  targetExists: boolean;
  /** Source paths of ephemeral nodes: they are copied as persistent nodes. */
  ephemeral: string[];
  /** Ephemeral source nodes of other sessions (locks, registrations): a move refuses to delete them. */
  foreignEphemeral: ForeignEphemeral[];
  /** Source nodes skipped as unreadable (skipUnreadable). */
  unreadable: string[];
  /** The snapshot of the source taken by the plan (data included): what will be written. */
  snapshot: TreeNode[];
}

async function readSource(src: SubtreeClient, srcPath: string, opts: CopyOptions): Promise<{ snapshot: TreeNode[]; unreadable: string[] }> {
  const walk = await walkSubtree(src, srcPath, {
    withData: true,
    withAcl: true,
    excludeSystem: true,
    signal: opts.signal,
    concurrency: opts.concurrency,
    maxNodes: opts.maxNodes,
    skipUnreadable: opts.skipUnreadable,
    onProgress: opts.onProgress && ((n) => opts.onProgress?.({ phase: 'walk', done: n })),
  });
  const snapshot = walk.nodes.map(
    (n): TreeNode => ({
      rel: relativePath(srcPath, n.path),
      data: n.data ?? new Uint8Array(0),
      acl: n.acl,
      ephemeral: isEphemeral(n.stat),
      sourcePath: n.path,
      version: n.stat.version,
      ephemeralOwner: isEphemeral(n.stat) ? n.stat.ephemeralOwner : undefined,
    }),
  );
  return { snapshot, unreadable: walk.unreadable };
}

/**
 * Reads the source subtree (data and ACLs) and says how big the copy is and whether it is one
 * atomic request. Refuses a read-only target before reading anything.
 */
export async function planCopy(src: SubtreeClient, srcPath: string, dst: SubtreeClient, dstPath: string, opts: CopyOptions = {}): Promise<CopyPlan> {
  assertValidPath(srcPath, 'copy');
  assertValidPath(dstPath, 'copy to');
  guardWrite(dst, 'copy to', dstPath);
  const { snapshot, unreadable } = await readSource(src, srcPath, opts);
  const chrootBytes = Buffer.byteLength(dst.chroot ?? '', 'utf8');
  const copyAcl = opts.copyAcl !== false;
  const defaultAcl = opts.defaultAcl ?? OPEN_ACL_UNSAFE;
  const sizes = snapshot.map((n) =>
    multiOpBytes({ type: 'create', path: pathUnder(dstPath, n.rel), data: n.data, acl: copyAcl && n.acl ? n.acl : defaultAcl }, chrootBytes),
  );
  const batches = planBatches(sizes, (s) => s, batchLimits(dst, opts)).length;
  return {
    source: srcPath,
    target: dstPath,
    nodes: snapshot.length,
    dataBytes: snapshot.reduce((n, s) => n + s.data.byteLength, 0),
    requestBytes: sizes.reduce((a, b) => a + b, 0) + batches * MULTI_OVERHEAD_BYTES,
    batches,
    atomic: batches <= 1,
    targetExists: dstPath === '/' || (await dst.exists(dstPath)) !== undefined,
    ephemeral: snapshot.filter((n) => n.ephemeral).map((n) => n.sourcePath ?? n.rel),
    foreignEphemeral: foreignEphemerals(snapshot, src.sessionId),
    unreadable,
    snapshot,
  };
}

/**
 * The lock-out check of a planned copy or move, before anything is written: throws ACL_LOCK_OUT
 * when an ACL it would set leaves this session without READ or ADMIN on the written nodes.
 */
export async function checkCopyAcls(dst: SubtreeClient, dstPath: string, plan: CopyPlan, identities: SessionIdentities, opts: WriteOptions = {}): Promise<void> {
  const prepared = await prepareWrite(dst, dstPath, plan.snapshot, { ...opts, identities, conflict: 'skip', createParents: true }, 'copy to');
  refuseLockOut(prepared.acls, dstPath, 'copy to');
}

export interface CopyResult extends WriteResult {
  source: string;
  /** Source nodes skipped as unreadable (skipUnreadable). */
  unreadable: string[];
}

/**
 * Copies srcPath (on `src`) to dstPath (on `dst`, the same or another ensemble): data byte for
 * byte, ACLs unless copyAcl is false, parents before children. Ephemeral nodes become persistent
 * (listed in ephemeralAsPersistent); sequential names are kept as they are. One multi when it
 * fits in one request, otherwise byte-sized batches; a stop half-way throws a
 * SubtreeIncompleteError saying what was written. Pass `plan` to write exactly what planCopy read.
 */
export async function copySubtree(
  src: SubtreeClient,
  srcPath: string,
  dst: SubtreeClient,
  dstPath: string,
  opts: CopyOptions & { plan?: CopyPlan } = {},
): Promise<CopyResult> {
  const started = Date.now();
  assertValidPath(srcPath, 'copy');
  assertValidPath(dstPath, 'copy to');
  guardWrite(dst, 'copy to', dstPath);
  throwIfAborted(opts.signal, msg('Cancelled: nothing was copied'), dstPath);
  const plan = opts.plan ?? (await planCopy(src, srcPath, dst, dstPath, opts));
  const prepared = await prepareWrite(dst, dstPath, plan.snapshot, opts, 'copy to');
  if (!opts.acceptLockOut) refuseLockOut(prepared.acls, dstPath, 'copy to');
  const r = await executeWrite(dst, dstPath, prepared, plan.snapshot.length, opts, 'copy', started);
  return { ...r, source: srcPath, unreadable: plan.unreadable };
}

export interface MoveResult extends CopyResult {
  /** Source nodes deleted. */
  deleted: number;
  /** Source nodes already gone when they were to be deleted. */
  vanished: number;
}

/**
 * Copies, then deletes the source. On the same client (ensemble and session) and when creates
 * and deletes fit in one request, both happen in one multi: all or nothing. The source is
 * deleted only as it was copied (each delete checks the version that was read), so a node changed
 * or given children meanwhile is never lost: the move stops and says so. The target must not
 * exist.
 */
export async function moveSubtree(
  src: SubtreeClient,
  srcPath: string,
  dst: SubtreeClient,
  dstPath: string,
  opts: Omit<CopyOptions, 'conflict' | 'skipUnreadable'> & { plan?: CopyPlan } = {},
): Promise<MoveResult> {
  const started = Date.now();
  assertValidPath(srcPath, 'move');
  assertValidPath(dstPath, 'move to');
  guardWrite(dst, 'move to', dstPath);
  guardWrite(src, 'move', srcPath);
  if (srcPath === '/') throw new ZkError('INVALID_ARGUMENT', msg('Cannot move "/": the root node cannot be deleted'), { path: srcPath, op: 'move' });
  if (src === dst && (dstPath === srcPath || dstPath.startsWith(srcPath === '/' ? '/' : srcPath + '/'))) {
    throw new ZkError('INVALID_ARGUMENT', msg('Cannot move {0} into itself ({1})', srcPath, dstPath), { path: dstPath, op: 'move' });
  }
  throwIfAborted(opts.signal, msg('Cancelled: nothing was moved'), srcPath);
  const wopts: CopyOptions = { ...opts, conflict: 'fail' };
  const plan = opts.plan ?? (await planCopy(src, srcPath, dst, dstPath, wopts));
  if (plan.unreadable.length > 0) {
    throw new ZkError('NOAUTH', msg('Cannot move {0}: {1} nodes are unreadable (first: {2}); nothing was moved', srcPath, plan.unreadable.length, plan.unreadable[0]), {
      path: plan.unreadable[0],
      op: 'move',
    });
  }
  refuseForeignEphemerals(srcPath, foreignEphemerals(plan.snapshot, src.sessionId));
  const prepared = await prepareWrite(dst, dstPath, plan.snapshot, wopts, 'move to');
  if (!opts.acceptLockOut) refuseLockOut(prepared.acls, dstPath, 'move to');
  const srcChroot = Buffer.byteLength(src.chroot ?? '', 'utf8');
  const deletes: Op[] = [];
  for (let i = plan.snapshot.length - 1; i >= 0; i--) {
    const n = plan.snapshot[i];
    deletes.push(withBytes({ type: 'delete', path: n.sourcePath ?? pathUnder(srcPath, n.rel), version: n.version ?? -1 }, srcChroot));
  }
  const limits = batchLimits(dst, opts);
  const changed = (done: number) =>
    done === 0
      ? msg('Nothing was moved.')
      : msg('The copy at {0} is complete; the source nodes not yet deleted are still at {1}: check them, then delete them by hand.', dstPath, srcPath);

  if (src === dst && planBatches([...prepared.ops, ...deletes], (o) => o.bytes, limits).length === 1) {
    // One transaction: creates then deletes.
    try {
      const r = await runBatches(dst, [...prepared.ops, ...deletes], {
        operation: 'move',
        root: srcPath,
        limits,
        chrootBytes: srcChroot,
        conflict: 'fail',
        onNotEmpty: 'stop',
        maxRewalks: 0,
        signal: opts.signal,
        onProgress: opts.onProgress,
        phase: 'write',
        hint: () => msg('Nothing was moved.'),
      });
      return {
        target: dstPath,
        source: srcPath,
        nodes: plan.snapshot.length,
        created: r.created - prepared.parentsCreated.length,
        updated: 0,
        skipped: [],
        aclsSet: 0,
        ephemeralAsPersistent: prepared.ephemeral,
        aclNotCopied: prepared.aclNotCopied,
        parentsCreated: prepared.parentsCreated,
        atomic: r.batches === 1,
        batches: r.batches,
        dataBytes: prepared.dataBytes,
        unreadable: [],
        deleted: r.deleted,
        vanished: r.vanished,
        ms: Date.now() - started,
      };
    } catch (e) {
      if (e instanceof SubtreeIncompleteError && e.report.completed === 0 && e.report.uncertain === 0) {
        const c = e.cause instanceof ZkError ? e.cause : e;
        const changedMeanwhile = c.code === 'BADVERSION' || c.code === 'NOTEMPTY';
        const why = messageOfError(c);
        throw new ZkError(c.code, changedMeanwhile ? msg('Nothing was moved: {0} (the source changed since it was read: try again)', why) : msg('Nothing was moved: {0}', why), {
          path: c.path,
          op: 'move',
          serverCode: c.serverCode,
          cause: c,
        });
      }
      throw e;
    }
  }

  let copied: WriteResult;
  try {
    copied = await executeWrite(dst, dstPath, prepared, plan.snapshot.length, wopts, 'move', started);
  } catch (e) {
    if (e instanceof SubtreeIncompleteError) {
      throw new SubtreeIncompleteError(e.code, msg('{0} The source {1} was not touched.', messageOfError(e), srcPath), e.report, e.cause);
    }
    throw e;
  }
  const del = await runBatches(src, deletes, {
    operation: 'move',
    root: srcPath,
    limits: batchLimits(src, opts),
    chrootBytes: srcChroot,
    conflict: 'fail',
    onNotEmpty: 'stop',
    maxRewalks: 0,
    signal: opts.signal,
    onProgress: opts.onProgress && ((p) => opts.onProgress?.({ ...p, phase: 'delete' })),
    phase: 'delete',
    hint: changed,
  }).catch((e: unknown) => {
    if (e instanceof SubtreeIncompleteError) {
      throw new SubtreeIncompleteError(
        e.code,
        msg(
          'Move of {0} to {1} incomplete: the copy is complete ({2} nodes), but deleting the source stopped after {3} of {4} nodes: {5}. The rest is still at {0}: check it, then delete it by hand.',
          srcPath,
          dstPath,
          copied.created.toLocaleString('en'),
          e.report.completed.toLocaleString('en'),
          deletes.length.toLocaleString('en'),
          e.cause === undefined ? e.code : messageOfError(e.cause),
        ),
        e.report,
        e.cause,
      );
    }
    throw e;
  });
  return { ...copied, source: srcPath, unreadable: [], deleted: del.deleted, vanished: del.vanished, ms: Date.now() - started };
}

