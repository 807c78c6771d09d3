// Writing a tree under a target (what copy, move and import share): decide against what exists at
// the target which node becomes which op (prepareWrite, no writes), then run them (executeWrite).
// Domain layer: no 'vscode' here.
import { sameAcl, type ZkAcl } from '../acl';
import type { SessionIdentities } from '../aclEdit';
import { defaultAclFor, type DefaultAcl } from '../defaultAcl';
import { isZkError, ZkError } from '../errors';
import { parentPath, pathUnder, relativePath } from '../paths';
import { aclsSetBy, describeAcl, distinctAcls, type AclUse } from '../subtreeAcl';
import { batchLimits } from './batchSizing';
import { runBatches, withBytes, type ConflictPolicy, type Op } from './batchRunner';
import { capitalize, mapBounded } from './helpers';
import { SubtreeIncompleteError, type SubtreeOperation } from './incomplete';
import type { SubtreeClient, SubtreeProgress } from './subtreeClient';
import { walkSubtreeNames } from './walk';
import { messageOfError, msg, type Message } from '../message';

/** One node to write, relative to the root being written ('/' is that root). */
export interface TreeNode {
  rel: string;
  data: Uint8Array;
  /** The node's ACL; undefined when it is unknown (then the default ACL is used). */
  acl?: ZkAcl[];
  ephemeral: boolean;
  /** Where it came from (copy/move), and its data version there (move deletes with it). */
  sourcePath?: string;
  version?: number;
  /** The session that owns it when it is ephemeral ('0x…'). */
  ephemeralOwner?: string;
  /** Its ACL in the file had redacted digest ids: not set, the node gets the default ACL. */
  aclRedacted?: boolean;
}

export interface WriteOptions {
  /** What to do with target nodes that exist already (default 'fail': nothing is written). */
  conflict?: ConflictPolicy;
  /** Write the source ACLs (default true). False: every node gets `defaultAcl`. */
  copyAcl?: boolean;
  /**
   * ACL of created nodes when ACLs are not copied (or a node has none), and of created parents.
   * Default: defaultAclFor (auth::cdrwa when `identities` has credentials, else the ACL of the
   * nearest existing ancestor of the target).
   */
  defaultAcl?: readonly ZkAcl[];
  /** This session's identities: the default ACL depends on them, and every ACL set is lock-out checked against them. */
  identities?: SessionIdentities;
  /** Write ACLs that the lock-out check says would lock this session out (default: refuse, ACL_LOCK_OUT, before any write). */
  acceptLockOut?: boolean;
  /** Create missing parents of the target (persistent, empty, defaultAcl); default false. */
  createParents?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: SubtreeProgress) => void;
  maxBatchBytes?: number;
  maxBatchOps?: number;
  /** Walk window, for the source and for the target's existing nodes. */
  concurrency?: number;
  maxNodes?: number;
}

export interface WriteResult {
  target: string;
  /** Nodes to write. */
  nodes: number;
  created: number;
  /** Existing nodes whose data was overwritten ('overwrite'). */
  updated: number;
  /** Target paths of existing nodes left as they were ('skip', and the root '/'). */
  skipped: string[];
  /** Existing nodes whose ACL was replaced ('overwrite' with copyAcl). */
  aclsSet: number;
  /** Target paths of nodes that were ephemeral at the source: written as persistent nodes. */
  ephemeralAsPersistent: string[];
  /** Target paths created with the default ACL although the source ACL was different (copyAcl false). */
  aclNotCopied: string[];
  /** Missing parents of the target that were created (createParents). */
  parentsCreated: string[];
  /** True when everything was written by one multi: all or nothing. */
  atomic: boolean;
  /** Multi requests sent successfully. */
  batches: number;
  dataBytes: number;
  ms: number;
}

export interface PreparedWrite {
  /** The distinct ACLs the write sets, with the lock-out check's verdict (when identities are known). */
  acls: AclUse[];
  defaultAcl: DefaultAcl;
  /** Target paths whose ACL in the file was redacted: written with the default ACL. */
  aclRedacted: string[];
  ops: Op[];
  skipped: string[];
  ephemeral: string[];
  aclNotCopied: string[];
  parentsCreated: string[];
  dataBytes: number;
}

/** Decides, against what exists at the target now, which node becomes which op. No writes. */
export async function prepareWrite(dst: SubtreeClient, target: string, nodes: readonly TreeNode[], opts: WriteOptions, verb: string): Promise<PreparedWrite> {
  const conflict = opts.conflict ?? 'fail';
  const copyAcl = opts.copyAcl !== false;
  const chrootBytes = Buffer.byteLength(dst.chroot ?? '', 'utf8');
  const where = dst.options.name ? msg(' on "{0}"', dst.options.name) : msg(' on the target');
  const parentsCreated: string[] = [];
  const ops: Op[] = [];
  /** The nearest existing ancestor of the target: where the default ACL comes from. */
  let anchor = target === '/' ? '/' : parentPath(target);

  if (target !== '/') {
    const parent = parentPath(target);
    if (parent !== '/' && (await dst.exists(parent)) === undefined) {
      if (!opts.createParents) {
        throw new ZkError('NONODE', msg('Cannot {0} {1}: its parent {2} does not exist{3}. Create it first, or choose another target', verb, target, parent, where), {
          path: parent,
          op: verb,
        });
      }
      const missing: string[] = [];
      for (let p = parent; p !== '/'; p = parentPath(p)) {
        if ((await dst.exists(p)) !== undefined) break;
        missing.unshift(p);
      }
      anchor = parentPath(missing[0]);
      for (const p of missing) {
        ops.push(withBytes({ type: 'create', path: p, data: new Uint8Array(0) }, chrootBytes)); // its ACL: the default, below
        parentsCreated.push(p);
      }
    }
  }

  const rootExists = target === '/' || (await dst.exists(target)) !== undefined;
  const resolvedDefault: DefaultAcl = opts.defaultAcl
    ? { acl: opts.defaultAcl.map((a) => ({ ...a })), source: 'parent', description: describeAcl(opts.defaultAcl) }
    : await defaultAclFor(dst, anchor, opts.identities);
  const defaultAcl = resolvedDefault.acl;
  for (const op of ops) if (op.type === 'create') Object.assign(op, withBytes({ ...op, acl: defaultAcl }, chrootBytes));
  let existing = new Set<string>();
  if (rootExists) {
    if (conflict === 'fail' && target !== '/') {
      throw new ZkError(
        'NODEEXISTS',
        msg('Cannot {0} {1}: it already exists{2}; nothing was written. Choose another target, or use the conflict policy "skip" or "overwrite"', verb, target, where),
        { path: target, op: verb, serverCode: -110 },
      );
    }
    const seen = await walkSubtreeNames(dst, target, { excludeSystem: true, concurrency: opts.concurrency, signal: opts.signal, maxNodes: opts.maxNodes });
    existing = new Set(seen.nodes.map((n) => relativePath(target, n.path)));
  }

  const skipped: string[] = [];
  const ephemeral: string[] = [];
  const aclNotCopied: string[] = [];
  const aclRedacted: string[] = [];
  const conflicts: string[] = [];
  let dataBytes = 0;
  for (const n of nodes) {
    const path = pathUnder(target, n.rel);
    const acl = copyAcl && n.acl && n.acl.length > 0 ? n.acl : defaultAcl;
    if (copyAcl && n.aclRedacted) aclRedacted.push(path);
    if (existing.has(n.rel)) {
      if (n.rel === '/' && target === '/' && conflict !== 'overwrite') {
        skipped.push(path); // '/' always exists: not a conflict
        continue;
      }
      if (conflict === 'fail') conflicts.push(path);
      else if (conflict === 'skip') skipped.push(path);
      else {
        ops.push(withBytes({ type: 'setData', path, data: n.data, version: -1, acl, aclAfter: copyAcl && n.acl ? n.acl : undefined }, chrootBytes));
        dataBytes += n.data.byteLength;
      }
      continue;
    }
    if (n.ephemeral) ephemeral.push(path);
    if (!copyAcl && n.acl && !sameAcl(n.acl, defaultAcl)) aclNotCopied.push(path);
    ops.push(withBytes({ type: 'create', path, data: n.data, acl, mode: 'persistent' }, chrootBytes));
    dataBytes += n.data.byteLength;
  }
  if (conflicts.length > 0) {
    throw new ZkError(
      'NODEEXISTS',
      msg(
        'Cannot {0} {1}: {2} of the {3} nodes already exist{4} (first: {5}); nothing was written. Use the conflict policy "skip" or "overwrite", or choose another target',
        verb,
        target,
        conflicts.length.toLocaleString('en'),
        nodes.length.toLocaleString('en'),
        where,
        conflicts[0],
      ),
      { path: conflicts[0], op: verb, serverCode: -110 },
    );
  }
  assertEachFitsOneRequest(dst, target, ops, verb, where);
  const acls = distinctAcls(aclsSetBy(ops), opts.identities);
  return { acls, defaultAcl: resolvedDefault, aclRedacted, ops, skipped, ephemeral, aclNotCopied, parentsCreated, dataBytes };
}

/**
 * Refuses, before anything is written, a write that holds a node too big for one request (the
 * client would refuse it half-way through, and the server drops the connection on one): data from
 * a file or from an ensemble with a bigger jute.maxbuffer.
 */
function assertEachFitsOneRequest(dst: SubtreeClient, target: string, ops: readonly Op[], verb: string, where: Message): void {
  const max = dst.options.maxRequestBytes;
  const over = ops.filter((o) => o.bytes - 1 > max);
  if (over.length === 0) return;
  const first = over[0];
  const data = first.type === 'create' || first.type === 'setData' ? (first.data?.byteLength ?? 0) : 0;
  throw new ZkError(
    'DATA_TOO_LARGE',
    msg(
      "Cannot {0} {1}: {2} too large to write{3} ({4}: {5} bytes of data, a request of {6} bytes; ZooKeeper's limit, jute.maxbuffer, is {7} bytes); nothing was written",
      verb,
      target,
      over.length === 1 ? msg('a node is') : msg('{0} nodes are', over.length.toLocaleString('en')),
      where,
      first.path,
      data.toLocaleString('en'),
      (first.bytes - 1).toLocaleString('en'),
      max.toLocaleString('en'),
    ),
    { path: first.path, op: verb },
  );
}

export async function executeWrite(
  dst: SubtreeClient,
  target: string,
  prepared: PreparedWrite,
  nodeCount: number,
  opts: WriteOptions,
  operation: SubtreeOperation,
  started: number,
): Promise<WriteResult> {
  const limits = batchLimits(dst, opts);
  const undo = msg('Every node written has its parent, so {0} holds a consistent top part of the tree: run again with the conflict policy "skip" to finish, or delete {0} to undo.', target);
  const r = await runBatches(dst, prepared.ops, {
    operation,
    root: target,
    limits,
    chrootBytes: Buffer.byteLength(dst.chroot ?? '', 'utf8'),
    conflict: opts.conflict ?? 'fail',
    onNotEmpty: 'stop',
    maxRewalks: 0,
    signal: opts.signal,
    onProgress: opts.onProgress,
    phase: 'write',
    hint: (done) => (done === 0 ? msg('Nothing was written.') : undo),
  });
  // ACLs of overwritten nodes: setACL cannot go in a multi.
  let aclsSet = 0;
  if (r.aclAfter.length > 0) {
    try {
      await mapBounded(r.aclAfter, 64, async (a) => {
        await dst.setACL(a.path, a.acl, -1);
        aclsSet++;
        opts.onProgress?.({ phase: 'acl', done: aclsSet, total: r.aclAfter.length });
      });
    } catch (e) {
      const cause = isZkError(e) ? e : new ZkError('INTERNAL', String(e)); // l10n-ignore: not worded by us (the failure's own text)
      throw new SubtreeIncompleteError(
        cause.code,
        msg(
          '{0} to {1} incomplete: all data was written, but replacing the ACL of {2} existing nodes stopped after {3}: {4}',
          capitalize(operation),
          target,
          r.aclAfter.length.toLocaleString('en'),
          aclsSet.toLocaleString('en'),
          messageOfError(cause),
        ),
        {
          operation,
          root: target,
          completed: r.completedPaths.length,
          remaining: r.aclAfter.length - aclsSet,
          uncertain: 0,
          completedPaths: r.completedPaths,
          remainingPaths: [],
          uncertainPaths: [],
        },
        cause,
      );
    }
  }
  return {
    target,
    nodes: nodeCount,
    created: r.created - prepared.parentsCreated.length,
    updated: r.updated,
    skipped: [...prepared.skipped, ...r.skipped],
    aclsSet,
    ephemeralAsPersistent: prepared.ephemeral,
    aclNotCopied: prepared.aclNotCopied,
    parentsCreated: prepared.parentsCreated,
    atomic: r.batches === 1 && r.aclAfter.length === 0,
    batches: r.batches,
    dataBytes: prepared.dataBytes,
    ms: Date.now() - started,
  };
}

