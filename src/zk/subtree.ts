// Subtree operations: walk, count, delete, copy, move, export and import a whole subtree.
//
// Used by the tree's recursive delete, drag-and-drop copy/move (also across ensembles), search,
// export/import and the benchmarks. Domain layer: no 'vscode' here.
//
// How it works, and why:
//  - The walk is breadth-first and pipelined: a window of N nodes (default 128) is being listed at
//    once, never one round trip at a time (ZooInspector, zkCli.sh `ls -R`) and never unbounded
//    (the client's own in-flight bound stays the backstop). getChildren returns the node's Stat,
//    so a walk without data costs one request per node.
//  - Writes go in multi transactions sized by bytes (512 KiB by default, at most 1000 ops), not by
//    count: the server drops the connection on a request over jute.maxbuffer (1 MiB), and a multi of
//    20k creates was already 1.34 MB. A write that fits in one request is one multi: atomic.
//  - Deletes go deepest-first. A node someone else deleted meanwhile (NONODE) is dropped from its
//    batch and the batch retried; a node that got new children meanwhile (NOTEMPTY) is walked again.
//  - Every stop half-way (an error, or cancellation through the AbortSignal, which is honoured
//    between batches so that no batch is left in doubt) throws a SubtreeIncompleteError whose
//    report says what was done and what is left.
//
// Memory: a walk that collects keeps one WalkedNode per node (path, decoded Stat, and the data/ACL
// when asked for): about 0.5 KB per node without data, so a 50k-node subtree is ~25 MB plus its
// data. Copy, move and export hold the source snapshot with its data in memory (an export is a
// JSON document anyway). With `collect: false` and `onNode`, a walk keeps only the queue of
// paths still to visit (at most the widest level of the tree).
import { OPEN_ACL_UNSAFE, type ZkAcl } from './acl';
import { ZkMultiError, type CreateOptions, type CreateResult, type MultiOp, type MultiResult } from './client';
import { ZkError, isZkError } from './errors';
import { assertValidPath, joinPath, parentPath, pathProblem } from './paths';
import { isEphemeral, type ZnodeStat } from './stat';
import type { SessionIdentities } from './aclEdit';
import { defaultAclFor, type DefaultAcl } from './defaultAcl';
import {
  aclEntryProblem, aclsSetBy, describeAcl, distinctAcls, exportedAcl, isRedactedEntry, refuseLockOut, type AclExportMode, type AclUse,
} from './subtreeAcl';
import { foreignEphemerals, refuseForeignEphemerals, subtreeGrewError, type ForeignEphemeral } from './subtreeGuards';

// --- the client as this module sees it -------------------------------------------------------

/** What this module needs of a ZkClient (a ZkClient is one; tests can pass a fake). */
export interface SubtreeClient {
  readonly options: {
    readonly readOnly: boolean;
    readonly maxRequestBytes: number;
    readonly maxInFlight: number;
    readonly name?: string;
  };
  readonly chroot?: string;
  /** This session's id ('0x…', as in ephemeralOwner); unknown: every ephemeral node counts as another session's. */
  readonly sessionId?: string;
  getChildren(path: string): Promise<{ children: string[]; stat: ZnodeStat }>;
  getData(path: string): Promise<{ data: Uint8Array; stat: ZnodeStat }>;
  getACL(path: string): Promise<{ acl: ZkAcl[]; stat: ZnodeStat }>;
  exists(path: string): Promise<ZnodeStat | undefined>;
  create(path: string, data?: Uint8Array, opts?: CreateOptions): Promise<CreateResult>;
  setData(path: string, data: Uint8Array, version: number): Promise<ZnodeStat>;
  setACL(path: string, acl: readonly ZkAcl[], aclVersion: number): Promise<ZnodeStat>;
  remove(path: string, version: number): Promise<void>;
  multi(ops: readonly MultiOp[]): Promise<MultiResult[]>;
  getAllChildrenNumber(path: string): Promise<number>;
}

export const SUBTREE_DEFAULTS = {
  /** Nodes being listed at once by a walk. */
  walkConcurrency: 128,
  /** A walk stops (TOO_MANY_NODES) past this many nodes. */
  maxNodes: 1_000_000,
  /** Bytes of one multi request (the server's limit, jute.maxbuffer, is 1,048,575). */
  maxBatchBytes: 512 * 1024,
  /** Ops in one multi. */
  maxBatchOps: 1000,
  /** Re-walks of one node that keeps getting new children while it is being deleted. */
  maxRewalks: 20,
  /** Retries of one batch after a connection loss or a deadline. */
  transientRetries: 3,
  /** How long countSubtree waits for getAllChildrenNumber before walking instead (ms). */
  countTimeoutMs: 3000,
};

/** Progress of a long operation; `total` is known once the walk is done. */
export interface SubtreeProgress {
  phase: 'walk' | 'delete' | 'write' | 'acl';
  done: number;
  total?: number;
}

// --- walk ------------------------------------------------------------------------------------

export interface WalkedNode {
  path: string;
  /** 0 for the root of the walk. */
  depth: number;
  /** From getChildren, or from getData when withData (so that it matches the data). */
  stat: ZnodeStat;
  data?: Uint8Array;
  acl?: ZkAcl[];
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
}

export interface WalkResult {
  root: string;
  /** Parents always come before their children (breadth-first, as the replies came). */
  nodes: WalkedNode[];
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
  assertValidPath(root, 'walk');
  const started = Date.now();
  const window = clampInt(opts.concurrency ?? SUBTREE_DEFAULTS.walkConcurrency, 1, Math.max(1, client.options.maxInFlight));
  const collect = opts.collect !== false;
  const maxNodes = opts.maxNodes ?? SUBTREE_DEFAULTS.maxNodes;
  const skipSystem = opts.excludeSystem === true && !client.chroot;
  const { signal, withData, withAcl } = opts;
  const nodes: WalkedNode[] = [];
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
      finish(new ZkError('CANCELLED', `Cancelled while walking ${root} (${count.toLocaleString('en')} nodes visited)`, { path: root, op: 'walk' }));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });

    const visit = async (path: string, depth: number): Promise<void> => {
      let listed: { children: string[]; stat: ZnodeStat };
      let data: { data: Uint8Array; stat: ZnodeStat } | undefined;
      let acl: { acl: ZkAcl[] } | undefined;
      try {
        [listed, data, acl] = await Promise.all([
          client.getChildren(path),
          withData ? client.getData(path) : undefined,
          withAcl ? client.getACL(path) : undefined,
        ]);
      } catch (e) {
        if (depth > 0 && isZkError(e, 'NONODE')) {
          vanished++;
          return;
        }
        if (opts.skipUnreadable && isZkError(e, 'NOAUTH')) {
          unreadable.push(path);
          return;
        }
        throw e;
      }
      if (done) return;
      count++;
      if (count > maxNodes) {
        throw new ZkError(
          'TOO_MANY_NODES',
          `The subtree under ${root} has more than ${maxNodes.toLocaleString('en')} nodes: stopped walking. ` +
            `Choose a smaller subtree, or raise the limit (maxNodes)`,
          { path: root, op: 'walk' },
        );
      }
      const node: WalkedNode = { path, depth, stat: data?.stat ?? listed.stat };
      if (data) node.data = data.data;
      if (acl) node.acl = acl.acl;
      if (collect) nodes.push(node);
      opts.onNode?.(node);
      if (opts.maxDepth !== undefined && depth >= opts.maxDepth) return progress(false);
      for (const c of listed.children) {
        if (skipSystem && path === '/' && c === 'zookeeper') continue;
        queue.push(joinPath(path, c));
        depths.push(depth + 1);
      }
      progress(false);
    };

    const pump = () => {
      while (!done && inFlight < window && head < queue.length) {
        const path = queue[head];
        const depth = depths[head];
        head++;
        inFlight++;
        visit(path, depth).then(
          () => {
            inFlight--;
            pump();
          },
          (e: unknown) => finish(e),
        );
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
          timer = setTimeout(() => reject(new ZkError('REQUEST_DEADLINE', 'getAllChildrenNumber did not answer')), timeoutMs);
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
  const walk = await walkSubtree(client, root, { ...opts, collect: false });
  return { total: walk.count, descendants: walk.count - 1, method: 'walk' };
}

// --- batch sizing (pure) ---------------------------------------------------------------------

/** Bytes of a multi request besides its ops: the request header (8) and the closing MultiHeader (9). */
export const MULTI_OVERHEAD_BYTES = 8 + 9;

const strBytes = (s: string) => 4 + Buffer.byteLength(s, 'utf8');

/** Serialized size of one ACL list (jute vector<ACL>). */
export function aclBytes(acl: readonly ZkAcl[]): number {
  let n = 4;
  for (const a of acl) n += 4 + strBytes(a.scheme) + strBytes(a.id);
  return n;
}

/**
 * Exact serialized size of one op inside a multi request (its MultiHeader included), as the
 * client will send it; `chrootBytes` is the length of the connection's chroot prefix.
 */
export function multiOpBytes(op: MultiOp, chrootBytes = 0): number {
  const path = 4 + chrootBytes + Buffer.byteLength(op.path, 'utf8');
  switch (op.type) {
    case 'create': {
      const ttl = op.mode === 'persistentTtl' || op.mode === 'persistentSequentialTtl' ? 8 : 0;
      return 9 + path + 4 + (op.data?.byteLength ?? 0) + aclBytes(op.acl ?? OPEN_ACL_UNSAFE) + 4 + ttl;
    }
    case 'delete':
    case 'check':
      return 9 + path + 4;
    case 'setData':
      return 9 + path + 4 + op.data.byteLength + 4;
  }
}

export interface BatchLimits {
  /** Bytes of one multi request, overhead included. */
  maxBytes: number;
  maxOps: number;
}

/** Whether one more op of `opBytes` fits in a batch that has `count` ops and `bytes` bytes so far. */
export function fitsInBatch(bytes: number, count: number, opBytes: number, limits: BatchLimits): boolean {
  if (count === 0) return true; // an op bigger than the budget goes alone
  return count < limits.maxOps && bytes + opBytes <= limits.maxBytes;
}

/**
 * Splits items, in order, into batches of at most `maxOps` ops and `maxBytes` bytes (multi
 * overhead included). An item bigger than the budget gets a batch of its own.
 */
export function planBatches<T>(items: readonly T[], sizeOf: (item: T) => number, limits: BatchLimits): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  let bytes = MULTI_OVERHEAD_BYTES;
  for (const item of items) {
    const size = sizeOf(item);
    if (!fitsInBatch(bytes, cur.length, size, limits)) {
      out.push(cur);
      cur = [];
      bytes = MULTI_OVERHEAD_BYTES;
    }
    cur.push(item);
    bytes += size;
  }
  if (cur.length) out.push(cur);
  return out;
}

function batchLimits(client: SubtreeClient, opts: { maxBatchBytes?: number; maxBatchOps?: number }): BatchLimits {
  const serverMax = client.options.maxRequestBytes;
  const wanted = opts.maxBatchBytes ?? SUBTREE_DEFAULTS.maxBatchBytes;
  return {
    // Leave headroom under the server's limit whatever was asked.
    maxBytes: Math.max(1024, Math.min(wanted, serverMax - 1024)),
    maxOps: Math.max(1, opts.maxBatchOps ?? SUBTREE_DEFAULTS.maxBatchOps),
  };
}

// --- stopping half-way -----------------------------------------------------------------------

export type SubtreeOperation = 'delete' | 'copy' | 'move' | 'import';

export interface IncompleteReport {
  operation: SubtreeOperation;
  /** The subtree being deleted, or the target being written. */
  root: string;
  /** Ops applied (nodes deleted, or nodes created/updated). */
  completed: number;
  /** Ops not applied. */
  remaining: number;
  /** Ops of the last request whose outcome is unknown (connection or session lost): not in the counts above. */
  uncertain: number;
  /** Paths done, in the order done (for a write: every one has its parent, a top part of the tree). */
  completedPaths: string[];
  /** Paths not done, in the order they would have been done. */
  remainingPaths: string[];
  uncertainPaths: string[];
}

/**
 * A subtree operation that stopped half-way: `code` is the cause's code ('CANCELLED' when the
 * signal was aborted) and `report` says what was done and what is left.
 */
export class SubtreeIncompleteError extends ZkError {
  readonly partial = true;
  constructor(
    code: ZkError['code'],
    message: string,
    readonly report: IncompleteReport,
    cause?: unknown,
  ) {
    super(code, message, { path: report.root, op: report.operation, cause, serverCode: isZkError(cause) ? cause.serverCode : undefined });
    this.name = 'SubtreeIncompleteError';
  }
}

// --- the batch engine ------------------------------------------------------------------------

type Op = MultiOp & {
  bytes: number;
  /** For a setData of a node that turns out missing: the create that replaces it. */
  acl?: readonly ZkAcl[];
  /** ACL to set after the data (an overwritten node, when ACLs are copied). */
  aclAfter?: readonly ZkAcl[];
};

interface EngineOptions {
  operation: SubtreeOperation;
  root: string;
  limits: BatchLimits;
  chrootBytes: number;
  /** What a create that meets an existing node does. */
  conflict: ConflictPolicy;
  /** NOTEMPTY on a delete: walk that node again (delete), or stop (move: the source changed). */
  onNotEmpty: 'rewalk' | 'stop';
  maxRewalks: number;
  signal?: AbortSignal;
  onProgress?: (p: SubtreeProgress) => void;
  phase: SubtreeProgress['phase'];
  walkConcurrency?: number;
  /** Added to every message's hint (what to do now). */
  hint: (completed: number) => string;
  /** Base for progress (ops done by an earlier engine run of the same operation). */
  doneBefore?: number;
  totalExtra?: number;
}

interface EngineResult {
  created: number;
  updated: number;
  deleted: number;
  /** Deletes dropped because the node was already gone. */
  vanished: number;
  /** Creates dropped because the node existed (conflict 'skip'). */
  skipped: string[];
  rewalks: number;
  /** Successful multi requests. */
  batches: number;
  aclAfter: { path: string; acl: readonly ZkAcl[] }[];
  completedPaths: string[];
}

const TRANSIENT = new Set(['CONNECTIONLOSS', 'REQUEST_DEADLINE', 'SESSIONMOVED', 'THROTTLEDOP', 'OPERATIONTIMEOUT', 'REQUESTTIMEOUT']);
/** Refused by the client before anything was sent. */
const NOT_SENT = new Set(['DATA_TOO_LARGE', 'INVALID_PATH', 'INVALID_ARGUMENT', 'READ_ONLY_GUARD']);
/** Conflict resolutions of one batch before giving up (another client keeps undoing ours). */
const MAX_ATTEMPTS_PER_BATCH = 100;

/** Which op of a failed batch failed, and with what; index undefined: the batch as a whole (transient). */
function classify(e: unknown, batchLength: number): { index?: number; error: ZkError } | undefined {
  if (e instanceof ZkMultiError) return { index: e.failedIndex, error: e.cause };
  if (!isZkError(e)) return undefined;
  if (TRANSIENT.has(e.code)) return { error: e };
  // A single op sent on its own: a server refusal is about that op.
  if (batchLength === 1 && e.serverCode !== undefined && e.code !== 'SESSIONEXPIRED' && e.code !== 'AUTHFAILED') {
    return { index: 0, error: e };
  }
  if (batchLength === 1 && e.code === 'DATA_TOO_LARGE') return { index: 0, error: e };
  return { error: e };
}

async function runOne(client: SubtreeClient, batch: Op[]): Promise<void> {
  if (batch.length > 1) {
    await client.multi(batch.map(stripOp));
    return;
  }
  // One op: sent as itself (a few bytes smaller, and a plain error).
  const op = batch[0];
  switch (op.type) {
    case 'create':
      await client.create(op.path, op.data ?? new Uint8Array(0), { acl: op.acl ?? OPEN_ACL_UNSAFE, mode: op.mode ?? 'persistent' });
      return;
    case 'delete':
      await client.remove(op.path, op.version ?? -1);
      return;
    case 'setData':
      await client.setData(op.path, op.data, op.version ?? -1);
      return;
    case 'check':
      await client.multi([stripOp(op)]);
      return;
  }
}

function stripOp(op: Op): MultiOp {
  switch (op.type) {
    case 'create':
      return { type: 'create', path: op.path, data: op.data, acl: op.acl, mode: op.mode };
    case 'delete':
      return { type: 'delete', path: op.path, version: op.version };
    case 'setData':
      return { type: 'setData', path: op.path, data: op.data, version: op.version };
    case 'check':
      return { type: 'check', path: op.path, version: op.version };
  }
}

function withBytes(op: MultiOp & Partial<Op>, chrootBytes: number): Op {
  return Object.assign(op, { bytes: multiOpBytes(op, chrootBytes) });
}

/**
 * Runs ops in order in byte-sized multi batches, one request at a time. Conflicts the caller
 * allowed for are resolved batch by batch (see the module comment); anything else stops with a
 * SubtreeIncompleteError. Cancellation is checked between batches.
 */
async function runBatches(client: SubtreeClient, ops: Op[], o: EngineOptions): Promise<EngineResult> {
  const r: EngineResult = { created: 0, updated: 0, deleted: 0, vanished: 0, skipped: [], rewalks: 0, batches: 0, aclAfter: [], completedPaths: [] };
  // Next op at the end.
  const stack = ops.slice().reverse();
  let total = ops.length + (o.totalExtra ?? 0);
  const doneBefore = o.doneBefore ?? 0;
  const rewalked = new Map<string, number>();
  let batch: Op[] = [];
  let retries = 0;
  let attempts = 0;
  let lastBatchSize = -1;

  const report = (uncertain: Op[]): IncompleteReport => {
    const remainingPaths = [...batch.filter((b) => !uncertain.includes(b)).map((b) => b.path)];
    for (let i = stack.length - 1; i >= 0; i--) remainingPaths.push(stack[i].path);
    return {
      operation: o.operation,
      root: o.root,
      completed: r.completedPaths.length,
      remaining: remainingPaths.length,
      uncertain: uncertain.length,
      completedPaths: r.completedPaths,
      remainingPaths,
      uncertainPaths: uncertain.map((u) => u.path),
    };
  };
  const stop = (cause: ZkError, uncertain: Op[] = []): never => {
    const rep = report(uncertain);
    const verb = o.operation === 'delete' ? 'deleted' : o.operation === 'move' ? 'moved' : 'written';
    const what = cause.code === 'CANCELLED' ? 'Cancelled' : `Stopped: ${cause.message}`;
    const doubt = rep.uncertain
      ? ` The last request (${rep.uncertain.toLocaleString('en')} ops) may or may not have been applied: the connection or session was lost before its reply.`
      : '';
    throw new SubtreeIncompleteError(
      cause.code,
      `${capitalize(o.operation)} of ${o.root} incomplete. ${what}. ` +
        `${rep.completed.toLocaleString('en')} of ${(rep.completed + rep.remaining + rep.uncertain).toLocaleString('en')} nodes ${verb}, ` +
        `${rep.remaining.toLocaleString('en')} left${rep.remainingPaths.length ? ` (next: ${rep.remainingPaths[0]})` : ''}.${doubt} ${o.hint(rep.completed)}`,
      rep,
      cause,
    );
  };

  const applied = (b: Op[]) => {
    for (const op of b) {
      if (op.type === 'create') r.created++;
      else if (op.type === 'setData') r.updated++;
      else if (op.type === 'delete') r.deleted++;
      if (op.aclAfter) r.aclAfter.push({ path: op.path, acl: op.aclAfter });
      r.completedPaths.push(op.path);
    }
    r.batches++;
    o.onProgress?.({ phase: o.phase, done: doneBefore + r.completedPaths.length + r.vanished + r.skipped.length, total });
  };

  while (stack.length > 0 || batch.length > 0) {
    if (batch.length === 0) {
      if (o.signal?.aborted) stop(new ZkError('CANCELLED', 'Cancelled', { op: o.operation }));
      let bytes = MULTI_OVERHEAD_BYTES;
      while (stack.length > 0 && fitsInBatch(bytes, batch.length, stack[stack.length - 1].bytes, o.limits)) {
        const op = stack.pop() as Op;
        bytes += op.bytes;
        batch.push(op);
      }
    }
    if (batch.length !== lastBatchSize) retries = 0; // progress was made: a fresh retry budget
    lastBatchSize = batch.length;
    if (++attempts > MAX_ATTEMPTS_PER_BATCH) {
      stop(new ZkError('CONFLICT', `Gave up after ${MAX_ATTEMPTS_PER_BATCH} attempts near ${batch[0].path}: another client keeps changing these nodes`, { path: batch[0].path }));
    }
    try {
      await runOne(client, batch);
      applied(batch);
      batch = [];
      lastBatchSize = -1;
      attempts = 0;
      continue;
    } catch (e) {
      const c = classify(e, batch.length);
      if (!c) stop(new ZkError('INTERNAL', `Unexpected failure: ${String(e)}`, { cause: e }), batch);
      const { index, error } = c as { index?: number; error: ZkError };
      if (index === undefined) {
        const split = () => {
          // Too big for this server after all: send it in two halves.
          const half = Math.ceil(batch.length / 2);
          for (let i = batch.length - 1; i >= half; i--) stack.push(batch[i]);
          batch = batch.slice(0, half);
        };
        if (NOT_SENT.has(error.code)) {
          if (error.code === 'DATA_TOO_LARGE' && batch.length > 1) {
            split();
            continue;
          }
          stop(error);
        }
        if (!TRANSIENT.has(error.code)) stop(error, batch); // session expired, closed, ...
        if (++retries > SUBTREE_DEFAULTS.transientRetries) stop(error, batch);
        // Was it applied? Creates tell: a multi is all or nothing.
        const creates = batch.filter((b) => b.type === 'create');
        if (creates.length > 0) {
          let there: boolean[];
          try {
            there = await mapBounded(creates, 64, async (b) => (await client.exists(b.path)) !== undefined);
          } catch (e2) {
            return stop(isZkError(e2) ? e2 : error, batch);
          }
          if (there.every(Boolean)) {
            applied(batch);
            batch = [];
            lastBatchSize = -1;
            continue;
          }
          if (there.some(Boolean)) stop(error, batch);
        }
        await sleep(200 * retries);
        // A server whose jute.maxbuffer is below ours drops the connection instead of answering.
        if (retries >= 2 && error.code === 'CONNECTIONLOSS' && batch.length > 1) split();
        continue; // not applied (or deletes and overwrites, safe to send again)
      }
      const f = batch[index];
      switch (error.code) {
        case 'NONODE':
          if (f.type === 'delete') {
            // Deleted by someone else: drop whatever in this batch is gone, retry the rest.
            const gone = await mapBounded(batch, 64, async (b) => b.type === 'delete' && (await client.exists(b.path)) === undefined).catch(
              (e2: unknown) => stop(isZkError(e2) ? e2 : error),
            );
            const before = batch.length;
            r.vanished += gone.filter(Boolean).length;
            batch = batch.filter((_, i) => !gone[i]);
            if (batch.length === before && ++retries > SUBTREE_DEFAULTS.transientRetries) stop(error);
            if (batch.length === 0) lastBatchSize = -1;
            continue;
          }
          if (f.type === 'setData' && o.conflict === 'overwrite') {
            // It existed when planned, and was deleted since: create it instead.
            batch[index] = withBytes({ type: 'create', path: f.path, data: f.data, acl: f.acl ?? OPEN_ACL_UNSAFE }, o.chrootBytes);
            continue;
          }
          stop(index > 0 || f.type !== 'create' ? error : withParentHint(error, f.path));
          break;
        case 'NODEEXISTS':
          if (f.type === 'create' && o.conflict === 'skip') {
            r.skipped.push(f.path);
            batch.splice(index, 1);
            if (batch.length === 0) lastBatchSize = -1;
            continue;
          }
          if (f.type === 'create' && o.conflict === 'overwrite') {
            batch[index] = withBytes(
              { type: 'setData', path: f.path, data: f.data ?? new Uint8Array(0), version: -1, acl: f.acl, aclAfter: f.acl },
              o.chrootBytes,
            );
            continue;
          }
          stop(error);
          break;
        case 'NOTEMPTY': {
          if (f.type !== 'delete' || o.onNotEmpty === 'stop') stop(error);
          const n = (rewalked.get(f.path) ?? 0) + 1;
          rewalked.set(f.path, n);
          if (n > o.maxRewalks) {
            stop(new ZkError('NOTEMPTY', `Children keep being created under ${f.path} (checked ${n - 1} times): another client is still writing there`, {
              path: f.path,
              serverCode: -111,
            }));
          }
          r.rewalks++;
          let fresh: WalkResult | undefined;
          try {
            fresh = await walkSubtree(client, f.path, { concurrency: o.walkConcurrency, signal: o.signal });
          } catch (e2) {
            if (!isZkError(e2, 'NONODE')) stop(isZkError(e2) ? e2 : error);
          }
          if (!fresh) {
            // Gone meanwhile (with its subtree): nothing left to do for it.
            r.vanished++;
            batch.splice(index, 1);
            if (batch.length === 0) lastBatchSize = -1;
            continue;
          }
          const inBatch = new Set(batch.map((b) => b.path));
          const added: Op[] = [];
          for (let i = fresh.nodes.length - 1; i >= 1; i--) {
            const p = fresh.nodes[i].path;
            if (!inBatch.has(p)) added.push(withBytes({ type: 'delete', path: p, version: -1 }, o.chrootBytes));
          }
          total += added.length;
          // The ops before the failed one were fine: they go alone first, so that every round
          // makes progress even while another client keeps adding children elsewhere in the
          // batch. Then the new descendants deepest-first, then the node, then the rest.
          const rest = [...added, ...batch.slice(index)];
          for (let i = rest.length - 1; i >= 0; i--) stack.push(rest[i]);
          batch = batch.slice(0, index);
          if (batch.length === 0) lastBatchSize = -1;
          continue;
        }
        case 'NOAUTH':
          stop(noAuthMessage(f, error, o.operation));
          break;
        default:
          stop(error);
      }
    }
  }
  return r;
}

/** Deleting and creating need a permission on the parent, not on the node: say which. */
function noAuthMessage(op: Op, error: ZkError, operation: SubtreeOperation): ZkError {
  const parent = parentPath(op.path);
  const details = { path: op.path, op: op.type, serverCode: error.serverCode, cause: error };
  if (op.type === 'delete') {
    return new ZkError(
      'NOAUTH',
      `Not authorized to delete ${op.path}: deleting a node needs the DELETE permission in the ACL of its parent ${parent}; ` +
        'connect with credentials that this ACL grants, or ask its owner',
      details,
    );
  }
  if (op.type === 'create') {
    const copied = operation === 'delete' ? '' : ' If that ACL was copied from the source, add matching credentials (digest) to the target connection, or copy without ACLs.';
    return new ZkError(
      'NOAUTH',
      `Not authorized to create ${op.path}: creating a node needs the CREATE permission in the ACL of its parent ${parent}.${copied}`,
      details,
    );
  }
  return error;
}

function withParentHint(error: ZkError, path: string): ZkError {
  return new ZkError('NONODE', `Cannot create ${path}: its parent ${parentPath(path)} does not exist (deleted meanwhile?)`, {
    path,
    op: 'create',
    serverCode: error.serverCode,
    cause: error,
  });
}

// --- delete ----------------------------------------------------------------------------------

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
    throw new ZkError('INVALID_ARGUMENT', 'Refusing to delete "/": the root node cannot be deleted; delete its children one by one', { path: root, op: 'delete' });
  }
  if (root === '/zookeeper' && !client.chroot) {
    throw new ZkError('INVALID_ARGUMENT', 'Refusing to delete /zookeeper: it is ZooKeeper\'s own system node (quotas, config)', { path: root, op: 'delete' });
  }
  throwIfAborted(opts.signal, `Cancelled: nothing under ${root} was deleted`, root);
  let walk: WalkResult;
  try {
    walk = await walkSubtree(client, root, {
      signal: opts.signal,
      concurrency: opts.concurrency,
      maxNodes: opts.maxNodes,
      onProgress: opts.onProgress && ((n) => opts.onProgress?.({ phase: 'walk', done: n })),
    });
  } catch (e) {
    if (isZkError(e, 'CANCELLED')) throw new ZkError('CANCELLED', `Cancelled while listing ${root}: nothing was deleted`, { path: root, op: 'delete', cause: e });
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
        ? `What is left is still under ${root}: delete it again to finish.`
        : `Nodes created after the confirmation were not deleted; what is left is still under ${root}: delete it again to see and confirm it.`,
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

// --- writing a tree (copy, move, import) -----------------------------------------------------

export type ConflictPolicy = 'fail' | 'skip' | 'overwrite';

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

interface PreparedWrite {
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

function targetOf(root: string, rel: string): string {
  if (rel === '/') return root;
  return root === '/' ? rel : root + rel;
}

function relOf(root: string, path: string): string {
  if (path === root) return '/';
  return root === '/' ? path : path.slice(root.length);
}

function sameAcl(a: readonly ZkAcl[], b: readonly ZkAcl[]): boolean {
  if (a.length !== b.length) return false;
  const key = (x: ZkAcl) => `${x.perms}\u0000${x.scheme}\u0000${x.id}`;
  const s = new Set(a.map(key));
  return b.every((x) => s.has(key(x)));
}

/** Decides, against what exists at the target now, which node becomes which op. No writes. */
async function prepareWrite(dst: SubtreeClient, target: string, nodes: readonly TreeNode[], opts: WriteOptions, verb: string): Promise<PreparedWrite> {
  const conflict = opts.conflict ?? 'fail';
  const copyAcl = opts.copyAcl !== false;
  const chrootBytes = Buffer.byteLength(dst.chroot ?? '', 'utf8');
  const where = dst.options.name ? ` on "${dst.options.name}"` : ' on the target';
  const parentsCreated: string[] = [];
  const ops: Op[] = [];
  /** The nearest existing ancestor of the target: where the default ACL comes from. */
  let anchor = target === '/' ? '/' : parentPath(target);

  if (target !== '/') {
    const parent = parentPath(target);
    if (parent !== '/' && (await dst.exists(parent)) === undefined) {
      if (!opts.createParents) {
        throw new ZkError('NONODE', `Cannot ${verb} ${target}: its parent ${parent} does not exist${where}. Create it first, or choose another target`, {
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
        `Cannot ${verb} ${target}: it already exists${where}; nothing was written. Choose another target, or use the conflict policy "skip" or "overwrite"`,
        { path: target, op: verb, serverCode: -110 },
      );
    }
    const seen = await walkSubtree(dst, target, { excludeSystem: true, concurrency: opts.concurrency, signal: opts.signal, maxNodes: opts.maxNodes });
    existing = new Set(seen.nodes.map((n) => relOf(target, n.path)));
  }

  const skipped: string[] = [];
  const ephemeral: string[] = [];
  const aclNotCopied: string[] = [];
  const aclRedacted: string[] = [];
  const conflicts: string[] = [];
  let dataBytes = 0;
  for (const n of nodes) {
    const path = targetOf(target, n.rel);
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
      `Cannot ${verb} ${target}: ${conflicts.length.toLocaleString('en')} of the ${nodes.length.toLocaleString('en')} nodes already exist${where} ` +
        `(first: ${conflicts[0]}); nothing was written. Use the conflict policy "skip" or "overwrite", or choose another target`,
      { path: conflicts[0], op: verb, serverCode: -110 },
    );
  }
  assertEachFitsOneRequest(dst, target, ops, verb, where);
  const acls = distinctAcls(aclsSetBy(ops), opts.identities);
  return { acls, defaultAcl: resolvedDefault, aclRedacted, ops, skipped, ephemeral, aclNotCopied, parentsCreated, dataBytes };
}

/**
 * Bytes of an op sent on its own, as a plain request: the 8-byte request header instead of the
 * 9-byte MultiHeader it has inside a multi. This is what the client compares with maxRequestBytes.
 */
export function aloneRequestBytes(op: MultiOp, chrootBytes = 0): number {
  return multiOpBytes(op, chrootBytes) - 1;
}

/**
 * Refuses, before anything is written, a write that holds a node too big for one request (the
 * client would refuse it half-way through, and the server drops the connection on one): data from
 * a file or from an ensemble with a bigger jute.maxbuffer.
 */
function assertEachFitsOneRequest(dst: SubtreeClient, target: string, ops: readonly Op[], verb: string, where: string): void {
  const max = dst.options.maxRequestBytes;
  const over = ops.filter((o) => o.bytes - 1 > max);
  if (over.length === 0) return;
  const first = over[0];
  const data = first.type === 'create' || first.type === 'setData' ? (first.data?.byteLength ?? 0) : 0;
  throw new ZkError(
    'DATA_TOO_LARGE',
    `Cannot ${verb} ${target}: ${over.length === 1 ? 'a node is' : `${over.length.toLocaleString('en')} nodes are`} too large to write${where} ` +
      `(${first.path}: ${data.toLocaleString('en')} bytes of data, a request of ${(first.bytes - 1).toLocaleString('en')} bytes; ` +
      `ZooKeeper's limit, jute.maxbuffer, is ${max.toLocaleString('en')} bytes); nothing was written`,
    { path: first.path, op: verb },
  );
}

async function executeWrite(
  dst: SubtreeClient,
  target: string,
  prepared: PreparedWrite,
  nodeCount: number,
  opts: WriteOptions,
  operation: SubtreeOperation,
  started: number,
): Promise<WriteResult> {
  const limits = batchLimits(dst, opts);
  const undo = `Every node written has its parent, so ${target} holds a consistent top part of the tree: run again with the conflict policy "skip" to finish, or delete ${target} to undo.`;
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
    hint: (done) => (done === 0 ? 'Nothing was written.' : undo),
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
      const cause = isZkError(e) ? e : new ZkError('INTERNAL', String(e));
      throw new SubtreeIncompleteError(
        cause.code,
        `${capitalize(operation)} to ${target} incomplete: all data was written, but replacing the ACL of ${r.aclAfter.length.toLocaleString('en')} existing nodes stopped after ${aclsSet.toLocaleString('en')}: ${cause.message}`,
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

// --- copy and move ---------------------------------------------------------------------------

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
      rel: relOf(srcPath, n.path),
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
    multiOpBytes({ type: 'create', path: targetOf(dstPath, n.rel), data: n.data, acl: copyAcl && n.acl ? n.acl : defaultAcl }, chrootBytes),
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
  throwIfAborted(opts.signal, 'Cancelled: nothing was copied', dstPath);
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
  if (srcPath === '/') throw new ZkError('INVALID_ARGUMENT', 'Cannot move "/": the root node cannot be deleted', { path: srcPath, op: 'move' });
  if (src === dst && (dstPath === srcPath || dstPath.startsWith(srcPath === '/' ? '/' : srcPath + '/'))) {
    throw new ZkError('INVALID_ARGUMENT', `Cannot move ${srcPath} into itself (${dstPath})`, { path: dstPath, op: 'move' });
  }
  throwIfAborted(opts.signal, 'Cancelled: nothing was moved', srcPath);
  const wopts: CopyOptions = { ...opts, conflict: 'fail' };
  const plan = opts.plan ?? (await planCopy(src, srcPath, dst, dstPath, wopts));
  if (plan.unreadable.length > 0) {
    throw new ZkError('NOAUTH', `Cannot move ${srcPath}: ${plan.unreadable.length} nodes are unreadable (first: ${plan.unreadable[0]}); nothing was moved`, {
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
    deletes.push(withBytes({ type: 'delete', path: n.sourcePath ?? targetOf(srcPath, n.rel), version: n.version ?? -1 }, srcChroot));
  }
  const limits = batchLimits(dst, opts);
  const changed = (done: number) =>
    done === 0
      ? 'Nothing was moved.'
      : `The copy at ${dstPath} is complete; the source nodes not yet deleted are still at ${srcPath}: check them, then delete them by hand.`;

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
        hint: () => 'Nothing was moved.',
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
        throw new ZkError(c.code, `Nothing was moved: ${c.message}${c.code === 'BADVERSION' || c.code === 'NOTEMPTY' ? ' (the source changed since it was read: try again)' : ''}`, {
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
      throw new SubtreeIncompleteError(e.code, `${e.message} The source ${srcPath} was not touched.`, e.report, e.cause);
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
        `Move of ${srcPath} to ${dstPath} incomplete: the copy is complete (${copied.created.toLocaleString('en')} nodes), ` +
          `but deleting the source stopped after ${e.report.completed.toLocaleString('en')} of ${deletes.length.toLocaleString('en')} nodes: ` +
          `${(e.cause as Error | undefined)?.message ?? e.code}. The rest is still at ${srcPath}: check it, then delete it by hand.`,
        e.report,
        e.cause,
      );
    }
    throw e;
  });
  return { ...copied, source: srcPath, unreadable: [], deleted: del.deleted, vanished: del.vanished, ms: Date.now() - started };
}

// --- export and import -----------------------------------------------------------------------

export const EXPORT_FORMAT = 'zookeeper-explorer/subtree';
/** Version 2: digest ids redacted (aclMode 'redactDigest'); an older reader must not set them. Otherwise 1. */
export const EXPORT_VERSION = 2;

export interface ExportedStat {
  czxid: string;
  mzxid: string;
  pzxid: string;
  /** ISO 8601; null when the server's time is out of range. */
  ctime: string | null;
  mtime: string | null;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: string;
  ephemeral: boolean;
  dataLength: number;
  numChildren: number;
}

export interface ExportedNode {
  /** Relative to the exported root: '/' is the root itself, '/a/b' below it. */
  path: string;
  /** Base64 of the exact bytes. */
  data: string;
  /** Absent when it could not be read. */
  acl?: ZkAcl[];
  stat: ExportedStat;
}

export interface SubtreeExport {
  format: typeof EXPORT_FORMAT;
  version: 1 | 2;
  /**
   * What the export left out of the ACLs: 'omit' (no ACLs), 'redactDigest' (digest ids as
   * "user:<redacted>": the password hashes are not in the file). Absent: ACLs as read.
   */
  aclMode?: AclExportMode;
  exportedAt: string;
  /** The exported path, as seen by the exporting connection (chroot not included). */
  root: string;
  /** The connection's name, when it has one. */
  source?: string;
  summary: {
    nodes: number;
    dataBytes: number;
    ephemeral: number;
    maxDepth: number;
    /** Nodes whose ACL is not world:anyone:cdrwa. */
    restrictedAcl: number;
  };
  /** Parents before children. */
  nodes: ExportedNode[];
  /** Nodes left out, with their subtrees, because this session could not read them (skipUnreadable). */
  unreadable?: string[];
}

/** Reads a subtree into a JSON-serialisable document: data as base64, ACLs, a stat summary. */
export async function exportSubtree(
  client: SubtreeClient,
  root: string,
  opts: Pick<WalkOptions, 'signal' | 'concurrency' | 'maxNodes' | 'skipUnreadable'> & {
    onProgress?: (p: SubtreeProgress) => void;
    withAcl?: boolean;
    /** ACLs as read (default), left out, or with digest ids redacted. withAcl false is 'omit'. */
    acl?: AclExportMode;
  } = {},
): Promise<SubtreeExport> {
  const aclMode: AclExportMode = opts.withAcl === false ? 'omit' : (opts.acl ?? 'full');
  const walk = await walkSubtree(client, root, {
    withData: true,
    withAcl: true, // also when left out: the summary counts restricted ACLs
    excludeSystem: true,
    skipUnreadable: opts.skipUnreadable,
    signal: opts.signal,
    concurrency: opts.concurrency,
    maxNodes: opts.maxNodes,
    onProgress: opts.onProgress && ((n) => opts.onProgress?.({ phase: 'walk', done: n })),
  });
  let dataBytes = 0;
  let ephemeral = 0;
  let maxDepth = 0;
  let restrictedAcl = 0;
  const nodes = walk.nodes.map((n): ExportedNode => {
    const data = n.data ?? new Uint8Array(0);
    dataBytes += data.byteLength;
    const eph = isEphemeral(n.stat);
    if (eph) ephemeral++;
    if (n.depth > maxDepth) maxDepth = n.depth;
    if (n.acl && !sameAcl(n.acl, OPEN_ACL_UNSAFE)) restrictedAcl++;
    const s = n.stat;
    const out: ExportedNode = {
      path: relOf(root, n.path),
      data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'),
      stat: {
        czxid: s.czxid,
        mzxid: s.mzxid,
        pzxid: s.pzxid,
        ctime: isoTime(s.ctime),
        mtime: isoTime(s.mtime),
        version: s.version,
        cversion: s.cversion,
        aversion: s.aversion,
        ephemeralOwner: s.ephemeralOwner,
        ephemeral: eph,
        dataLength: s.dataLength,
        numChildren: s.numChildren,
      },
    };
    const acl = n.acl && exportedAcl(n.acl, aclMode);
    if (acl) out.acl = acl;
    return out;
  });
  const doc: SubtreeExport = {
    format: EXPORT_FORMAT,
    version: aclMode === 'redactDigest' ? 2 : 1,
    ...(aclMode === 'full' ? {} : { aclMode }),
    exportedAt: new Date().toISOString(),
    root,
    summary: { nodes: nodes.length, dataBytes, ephemeral, maxDepth, restrictedAcl },
    nodes,
  };
  if (client.options.name) doc.source = client.options.name;
  if (walk.unreadable.length > 0) doc.unreadable = walk.unreadable.map((p) => relOf(root, p));
  return doc;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Checks a parsed (or JSON text) export and returns it typed, nodes ordered parents first.
 * Throws INVALID_EXPORT saying what is wrong.
 */
export function parseSubtreeExport(input: unknown): SubtreeExport {
  const bad = (why: string) => new ZkError('INVALID_EXPORT', `Not a usable subtree export: ${why}`, { op: 'import' });
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw bad(`it is not JSON (${(e as Error).message})`);
    }
  }
  if (typeof doc !== 'object' || doc === null) throw bad('expected a JSON object');
  const d = doc as Partial<SubtreeExport>;
  if (d.format === undefined) throw bad(`it has no "format" field (an export made by Export Subtree has "format": "${EXPORT_FORMAT}")`);
  if (d.format !== EXPORT_FORMAT) throw bad(`"format" is ${JSON.stringify(d.format)}, expected "${EXPORT_FORMAT}"`);
  if (typeof d.version === 'number' && Number.isInteger(d.version) && d.version > EXPORT_VERSION) {
    throw bad(
      `format version ${d.version} is not supported: the file was written by a newer ZooKeeper Explorer, this one reads version ${EXPORT_VERSION}; update the extension`,
    );
  }
  if (d.version !== 1 && d.version !== 2) {
    throw bad(`format version ${JSON.stringify(d.version)} is not supported (this version reads ${EXPORT_VERSION}); update the extension`);
  }
  if (d.aclMode !== undefined && d.aclMode !== 'full' && d.aclMode !== 'omit' && d.aclMode !== 'redactDigest') {
    throw bad(`"aclMode" is ${JSON.stringify(d.aclMode)}: expected "omit" or "redactDigest"`);
  }
  if (d.aclMode === 'redactDigest' && d.version !== 2) throw bad('"aclMode": "redactDigest" needs format version 2');
  if (typeof d.root !== 'string' || pathProblem(d.root)) throw bad(`"root" must be the exported path, e.g. "/config" (it is ${JSON.stringify(d.root)})`);
  if (!Array.isArray(d.nodes) || d.nodes.length === 0) throw bad('"nodes" must be a non-empty array');
  const seen = new Set<string>();
  const nodes = d.nodes.map((n, i) => {
    if (typeof n !== 'object' || n === null) throw bad(`node ${i} is not an object`);
    const at = `node ${i} (${JSON.stringify((n as ExportedNode).path)})`;
    if (typeof n.path !== 'string') throw bad(`${at} has no path`);
    const problem = pathProblem(n.path);
    if (problem) throw bad(`${at}: ${problem}`);
    if (seen.has(n.path)) throw bad(`${at} appears twice`);
    seen.add(n.path);
    if (typeof n.data !== 'string' || n.data.length % 4 !== 0 || !BASE64.test(n.data)) throw bad(`${at}: "data" is not base64`);
    if (n.acl !== undefined) {
      if (!Array.isArray(n.acl) || n.acl.length === 0) throw bad(`${at}: "acl" must be a non-empty array`);
      for (const a of n.acl) {
        const problem = aclEntryProblem(a, d.aclMode === 'redactDigest');
        if (problem) throw bad(`${at}: ACL entry ${JSON.stringify(a)}: ${problem}`);
      }
    }
    return n;
  });
  if (!seen.has('/')) throw bad('the exported root (path "/") is missing');
  for (const n of nodes) {
    if (n.path !== '/' && !seen.has(parentPath(n.path))) throw bad(`the parent of ${n.path} is missing`);
  }
  // Parents first, whatever order the file has.
  const depth = (p: string) => (p === '/' ? 0 : p.split('/').length - 1);
  const ordered = nodes.map((n, i) => ({ n, i, d: depth(n.path) })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.n);
  return { ...(d as SubtreeExport), nodes: ordered };
}

function importNodes(doc: SubtreeExport): TreeNode[] {
  return doc.nodes.map(
    (n): TreeNode => {
      // A redacted digest id cannot be set (it is not the hash): such a node gets the default ACL.
      const redacted = !!n.acl?.some(isRedactedEntry);
      return {
        rel: n.path,
        data: new Uint8Array(Buffer.from(n.data, 'base64')),
        acl: redacted ? undefined : n.acl,
        aclRedacted: redacted || undefined,
        ephemeral: n.stat?.ephemeral === true,
      };
    },
  );
}

/** What an import would do, against what exists at the target now: made by planImport, no writes. */
export interface ImportPlan {
  target: string;
  /** The checked export, parents first: what to give importSubtree. */
  doc: SubtreeExport;
  /** Nodes in the export. */
  nodes: number;
  /** Bytes of data in the export. */
  dataBytes: number;
  /**
   * Target paths of the export's nodes that exist already (importing '/' into '/' does not count:
   * the root always exists). With the conflict policy 'fail' nothing would be written.
   */
  existing: string[];
  /** Missing ancestors of the target, top first: an import with createParents creates them (empty). */
  missingParents: string[];
  /** Target paths of nodes to create that were ephemeral when exported: they are written as persistent. */
  ephemeral: string[];
  /** Multi requests for the nodes that do not exist yet (and the missing parents). */
  batches: number;
  /** Those fit in one multi: all or nothing. */
  atomic: boolean;
  /** The distinct ACLs the import sets (created nodes, and existing ones with 'overwrite'), each lock-out checked. */
  acls: AclUse[];
  /** Same, when the file's ACLs are ignored (every new node gets the default ACL). */
  aclsIgnoringFile: AclUse[];
  /** What new nodes without an ACL of their own get. */
  defaultAcl: DefaultAcl;
  /** Target paths whose ACL in the file was redacted (digest ids): they get the default ACL. */
  aclRedacted: string[];
  /** Nodes of the file with an ACL. */
  withAcl: number;
}

/**
 * Checks an export and the target before an import: which nodes exist already, which parents are
 * missing, whether it is one transaction. Refuses a read-only target (before any request), a
 * document that is not a usable export (INVALID_EXPORT) and a node too large to write
 * (DATA_TOO_LARGE).
 */
export async function planImport(
  client: SubtreeClient,
  targetPath: string,
  exported: SubtreeExport | string,
  opts: Omit<WriteOptions, 'conflict' | 'createParents' | 'onProgress'> = {},
): Promise<ImportPlan> {
  assertValidPath(targetPath, 'import to');
  guardWrite(client, 'import to', targetPath);
  const doc = parseSubtreeExport(exported);
  const nodes = importNodes(doc);
  const prepared = await prepareWrite(client, targetPath, nodes, { ...opts, conflict: 'skip', createParents: true }, 'import to');
  // The ACLs 'overwrite' would set on the nodes that exist, and what ignoring the file's ACLs sets.
  const existingRel = new Set(prepared.skipped.map((p) => relOf(targetPath, p)));
  const overwritten = nodes.filter((n) => existingRel.has(n.rel) && n.acl && !(targetPath === '/' && n.rel === '/'));
  const acls = distinctAcls(
    [...aclsSetBy(prepared.ops), ...overwritten.map((n) => ({ path: targetOf(targetPath, n.rel), acl: n.acl as ZkAcl[] }))],
    opts.identities,
  );
  const aclsIgnoringFile = distinctAcls(
    prepared.ops.filter((o) => o.type === 'create').map((o) => ({ path: o.path, acl: prepared.defaultAcl.acl })),
    opts.identities,
  );
  const batches = planBatches(prepared.ops, (o) => o.bytes, batchLimits(client, opts)).length;
  return {
    target: targetPath,
    doc,
    nodes: nodes.length,
    dataBytes: nodes.reduce((n, x) => n + x.data.byteLength, 0),
    existing: prepared.skipped.filter((p) => !(targetPath === '/' && p === '/')),
    missingParents: prepared.parentsCreated,
    ephemeral: prepared.ephemeral,
    batches,
    atomic: batches <= 1,
    acls,
    aclsIgnoringFile,
    defaultAcl: prepared.defaultAcl,
    aclRedacted: prepared.aclRedacted,
    withAcl: doc.nodes.filter((n) => n.acl).length,
  };
}

export interface ImportResult extends WriteResult {
  /** The exported root the document came from. */
  exportedRoot: string;
}

/**
 * Writes an export under targetPath (the exported root becomes targetPath). Conflict policy:
 * 'fail' (default: nothing is written when anything exists), 'skip' (existing nodes kept as they
 * are), 'overwrite' (their data, and ACL unless copyAcl is false, replaced; nodes that exist
 * only at the target are left alone). Refuses a read-only target before any request.
 */
export async function importSubtree(client: SubtreeClient, targetPath: string, exported: SubtreeExport | string, opts: WriteOptions = {}): Promise<ImportResult> {
  const started = Date.now();
  assertValidPath(targetPath, 'import to');
  guardWrite(client, 'import to', targetPath);
  const doc = parseSubtreeExport(exported);
  throwIfAborted(opts.signal, 'Cancelled: nothing was imported', targetPath);
  const nodes = importNodes(doc);
  const prepared = await prepareWrite(client, targetPath, nodes, opts, 'import to');
  if (!opts.acceptLockOut) refuseLockOut(prepared.acls, targetPath, 'import to');
  const r = await executeWrite(client, targetPath, prepared, nodes.length, opts, 'import', started);
  return { ...r, exportedRoot: doc.root };
}

// --- helpers ---------------------------------------------------------------------------------

function guardWrite(client: SubtreeClient, verb: string, path: string): void {
  if (!client.options.readOnly) return;
  const label = client.options.name ? `Connection "${client.options.name}"` : 'The connection';
  throw new ZkError('READ_ONLY_GUARD', `${label} is read-only: refused to ${verb} ${path}; nothing was done. Clear "readOnly" in its settings to allow writes.`, {
    path,
    op: verb,
  });
}

function throwIfAborted(signal: AbortSignal | undefined, message: string, path: string): void {
  if (signal?.aborted) throw new ZkError('CANCELLED', message, { path });
}

/** ISO 8601, or null for a time outside what a Date can hold (a server's garbage must not fail a whole export). */
function isoTime(d: Date): string | null {
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.floor(v)));
}

function capitalize(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Maps with at most `limit` calls pending; results in input order; the first failure rejects. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
