// The batch engine shared by delete, copy, move and import: runs ops in order in byte-sized multi
// batches, one request at a time, resolving the conflicts the caller allowed for:
//  - deletes go deepest-first; a node someone else deleted meanwhile (NONODE) is dropped from its
//    batch and the batch retried; a node that got new children meanwhile (NOTEMPTY) is walked again;
//  - a create that meets an existing node is skipped or becomes a setData (conflict policy);
//  - a connection loss is retried a few times, after checking whether the batch was applied.
// Anything else stops with a SubtreeIncompleteError. Domain layer: no 'vscode' here.
import { OPEN_ACL_UNSAFE, type ZkAcl } from '../acl';
import { ZkMultiError, type MultiOp } from '../client';
import { ZkError, isZkError } from '../errors';
import { parentPath } from '../paths';
import { MULTI_OVERHEAD_BYTES, fitsInBatch, multiOpBytes, type BatchLimits } from './batchSizing';
import { capitalize, mapBounded, sleep } from './helpers';
import { SubtreeIncompleteError, type IncompleteReport, type SubtreeOperation } from './incomplete';
import { SUBTREE_DEFAULTS, type SubtreeClient, type SubtreeProgress } from './subtreeClient';
import { walkSubtreeNames, type WalkedName, type WalkResult } from './walk';
import { messageOfError, msg, type Message } from '../message';

export type ConflictPolicy = 'fail' | 'skip' | 'overwrite';

export type Op = MultiOp & {
  bytes: number;
  /** For a setData of a node that turns out missing: the create that replaces it. */
  acl?: readonly ZkAcl[];
  /** ACL to set after the data (an overwritten node, when ACLs are copied). */
  aclAfter?: readonly ZkAcl[];
};

export interface EngineOptions {
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
  hint: (completed: number) => string | Message;
  /** Base for progress (ops done by an earlier engine run of the same operation). */
  doneBefore?: number;
  totalExtra?: number;
}

export interface EngineResult {
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

export function withBytes(op: MultiOp & Partial<Op>, chrootBytes: number): Op {
  return Object.assign(op, { bytes: multiOpBytes(op, chrootBytes) });
}

/**
 * Runs ops in order in byte-sized multi batches, one request at a time. Conflicts the caller
 * allowed for are resolved batch by batch (see the module comment); anything else stops with a
 * SubtreeIncompleteError. Cancellation is checked between batches.
 */
export function runBatches(client: SubtreeClient, ops: Op[], o: EngineOptions): Promise<EngineResult> {
  return new BatchRunner(client, ops, o).run();
}

/** One run of the engine: its state lives in these fields, each step is a method. */
class BatchRunner {
  private readonly r: EngineResult = { created: 0, updated: 0, deleted: 0, vanished: 0, skipped: [], rewalks: 0, batches: 0, aclAfter: [], completedPaths: [] };
  /** Ops still to send; the next one at the end. */
  private readonly stack: Op[];
  /** Ops of the run, for progress (grows when a re-walk finds new children). */
  private total: number;
  private readonly doneBefore: number;
  /** Times each node was walked again after NOTEMPTY. */
  private readonly rewalked = new Map<string, number>();
  /** The batch being sent (or resent after a conflict was resolved). */
  private batch: Op[] = [];
  /** Transient failures of the current batch size. */
  private retries = 0;
  /** Attempts at the current batch (conflict resolutions included). */
  private attempts = 0;
  private lastBatchSize = -1;

  constructor(
    private readonly client: SubtreeClient,
    ops: Op[],
    private readonly o: EngineOptions,
  ) {
    this.stack = ops.slice().reverse();
    this.total = ops.length + (o.totalExtra ?? 0);
    this.doneBefore = o.doneBefore ?? 0;
  }

  async run(): Promise<EngineResult> {
    const { o } = this;
    while (this.stack.length > 0 || this.batch.length > 0) {
      if (this.batch.length === 0) {
        if (o.signal?.aborted) this.stop(new ZkError('CANCELLED', msg('Cancelled'), { op: o.operation }));
        this.fillBatch();
      }
      if (this.batch.length !== this.lastBatchSize) this.retries = 0; // progress was made: a fresh retry budget
      this.lastBatchSize = this.batch.length;
      if (++this.attempts > MAX_ATTEMPTS_PER_BATCH) {
        const first = this.batch[0].path;
        this.stop(new ZkError('CONFLICT', msg('Gave up after {0} attempts near {1}: another client keeps changing these nodes', MAX_ATTEMPTS_PER_BATCH, first), { path: first }));
      }
      try {
        await runOne(this.client, this.batch);
        this.applied(this.batch);
        this.batchDone();
        this.attempts = 0;
      } catch (e) {
        await this.recover(e);
      }
    }
    return this.r;
  }

  private fillBatch(): void {
    let bytes = MULTI_OVERHEAD_BYTES;
    while (this.stack.length > 0 && fitsInBatch(bytes, this.batch.length, this.stack[this.stack.length - 1].bytes, this.o.limits)) {
      const op = this.stack.pop() as Op;
      bytes += op.bytes;
      this.batch.push(op);
    }
  }

  private batchDone(): void {
    this.batch = [];
    this.lastBatchSize = -1;
  }

  /** Too big for this server after all: send it in two halves. */
  private split(): void {
    const { batch } = this;
    const half = Math.ceil(batch.length / 2);
    for (let i = batch.length - 1; i >= half; i--) this.stack.push(batch[i]);
    this.batch = batch.slice(0, half);
  }

  private applied(b: Op[]): void {
    const { r, o } = this;
    for (const op of b) {
      if (op.type === 'create') r.created++;
      else if (op.type === 'setData') r.updated++;
      else if (op.type === 'delete') r.deleted++;
      if (op.aclAfter) r.aclAfter.push({ path: op.path, acl: op.aclAfter });
      r.completedPaths.push(op.path);
    }
    r.batches++;
    o.onProgress?.({ phase: o.phase, done: this.doneBefore + r.completedPaths.length + r.vanished + r.skipped.length, total: this.total });
  }

  /** The failed batch: resolve what the caller allowed for, or stop. */
  private async recover(e: unknown): Promise<void> {
    const c = classify(e, this.batch.length);
    if (!c) this.stop(new ZkError('INTERNAL', msg('Unexpected failure: {0}', String(e)), { cause: e }), this.batch);
    const { index, error } = c as { index?: number; error: ZkError };
    if (index === undefined) await this.recoverWhole(error);
    else await this.recoverOp(index, error);
  }

  /** The batch as a whole failed (not sent, or the connection/session was lost). */
  private async recoverWhole(error: ZkError): Promise<void> {
    if (NOT_SENT.has(error.code)) {
      if (error.code === 'DATA_TOO_LARGE' && this.batch.length > 1) return this.split();
      this.stop(error);
    }
    if (!TRANSIENT.has(error.code)) this.stop(error, this.batch); // session expired, closed, ...
    if (++this.retries > SUBTREE_DEFAULTS.transientRetries) this.stop(error, this.batch);
    // Was it applied? Creates tell: a multi is all or nothing.
    const creates = this.batch.filter((b) => b.type === 'create');
    if (creates.length > 0) {
      let there: boolean[];
      try {
        there = await mapBounded(creates, 64, async (b) => (await this.client.exists(b.path)) !== undefined);
      } catch (e2) {
        return this.stop(isZkError(e2) ? e2 : error, this.batch);
      }
      if (there.every(Boolean)) {
        this.applied(this.batch);
        return this.batchDone();
      }
      if (there.some(Boolean)) this.stop(error, this.batch);
    }
    await sleep(200 * this.retries);
    // A server whose jute.maxbuffer is below ours drops the connection instead of answering.
    if (this.retries >= 2 && error.code === 'CONNECTIONLOSS' && this.batch.length > 1) this.split();
    // Otherwise not applied (or deletes and overwrites, safe to send again): the loop resends it.
  }

  /** One op of the batch failed: the others were not applied (a multi is all or nothing). */
  private async recoverOp(index: number, error: ZkError): Promise<void> {
    const { o } = this;
    const f = this.batch[index];
    switch (error.code) {
      case 'NONODE':
        if (f.type === 'delete') return this.dropVanished(error);
        if (f.type === 'setData' && o.conflict === 'overwrite') {
          // It existed when planned, and was deleted since: create it instead.
          this.batch[index] = withBytes({ type: 'create', path: f.path, data: f.data, acl: f.acl ?? OPEN_ACL_UNSAFE }, o.chrootBytes);
          return;
        }
        return this.stop(index > 0 || f.type !== 'create' ? error : withParentHint(error, f.path));
      case 'NODEEXISTS':
        if (f.type === 'create' && o.conflict === 'skip') {
          this.r.skipped.push(f.path);
          this.batch.splice(index, 1);
          if (this.batch.length === 0) this.lastBatchSize = -1;
          return;
        }
        if (f.type === 'create' && o.conflict === 'overwrite') {
          this.batch[index] = withBytes(
            { type: 'setData', path: f.path, data: f.data ?? new Uint8Array(0), version: -1, acl: f.acl, aclAfter: f.acl },
            o.chrootBytes,
          );
          return;
        }
        return this.stop(error);
      case 'NOTEMPTY':
        if (f.type !== 'delete' || o.onNotEmpty === 'stop') this.stop(error);
        return this.rewalk(index, f, error);
      case 'NOAUTH':
        return this.stop(noAuthMessage(f, error, o.operation));
      default:
        return this.stop(error);
    }
  }

  /** A delete met NONODE: deleted by someone else. Drop whatever in this batch is gone, retry the rest. */
  private async dropVanished(error: ZkError): Promise<void> {
    const gone = await mapBounded(this.batch, 64, async (b) => b.type === 'delete' && (await this.client.exists(b.path)) === undefined).catch(
      (e2: unknown) => this.stop(isZkError(e2) ? e2 : error),
    );
    const before = this.batch.length;
    this.r.vanished += gone.filter(Boolean).length;
    this.batch = this.batch.filter((_, i) => !gone[i]);
    if (this.batch.length === before && ++this.retries > SUBTREE_DEFAULTS.transientRetries) this.stop(error);
    if (this.batch.length === 0) this.lastBatchSize = -1;
  }

  /** A delete met NOTEMPTY: someone created children meanwhile. Walk the node again and delete them first. */
  private async rewalk(index: number, f: Op, error: ZkError): Promise<void> {
    const { o } = this;
    const n = (this.rewalked.get(f.path) ?? 0) + 1;
    this.rewalked.set(f.path, n);
    if (n > o.maxRewalks) {
      this.stop(new ZkError('NOTEMPTY', msg('Children keep being created under {0} (checked {1} times): another client is still writing there', f.path, n - 1), {
        path: f.path,
        serverCode: -111,
      }));
    }
    this.r.rewalks++;
    let fresh: WalkResult<WalkedName> | undefined;
    try {
      fresh = await walkSubtreeNames(this.client, f.path, { concurrency: o.walkConcurrency, signal: o.signal });
    } catch (e2) {
      if (!isZkError(e2, 'NONODE')) this.stop(isZkError(e2) ? e2 : error);
    }
    if (!fresh) {
      // Gone meanwhile (with its subtree): nothing left to do for it.
      this.r.vanished++;
      this.batch.splice(index, 1);
      if (this.batch.length === 0) this.lastBatchSize = -1;
      return;
    }
    const inBatch = new Set(this.batch.map((b) => b.path));
    const added: Op[] = [];
    for (let i = fresh.nodes.length - 1; i >= 1; i--) {
      const p = fresh.nodes[i].path;
      if (!inBatch.has(p)) added.push(withBytes({ type: 'delete', path: p, version: -1 }, o.chrootBytes));
    }
    this.total += added.length;
    // The ops before the failed one were fine: they go alone first, so that every round
    // makes progress even while another client keeps adding children elsewhere in the
    // batch. Then the new descendants deepest-first, then the node, then the rest.
    const rest = [...added, ...this.batch.slice(index)];
    for (let i = rest.length - 1; i >= 0; i--) this.stack.push(rest[i]);
    this.batch = this.batch.slice(0, index);
    if (this.batch.length === 0) this.lastBatchSize = -1;
  }

  private report(uncertain: Op[]): IncompleteReport {
    const { r, o } = this;
    const remainingPaths = [...this.batch.filter((b) => !uncertain.includes(b)).map((b) => b.path)];
    for (let i = this.stack.length - 1; i >= 0; i--) remainingPaths.push(this.stack[i].path);
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
  }

  private stop(cause: ZkError, uncertain: Op[] = []): never {
    const { o } = this;
    const rep = this.report(uncertain);
    const verb = o.operation === 'delete' ? msg('deleted') : o.operation === 'move' ? msg('moved') : msg('written');
    const what = cause.code === 'CANCELLED' ? msg('Cancelled') : msg('Stopped: {0}', messageOfError(cause));
    const next = rep.remainingPaths.length ? msg(' (next: {0})', rep.remainingPaths[0]) : '';
    const doubt = rep.uncertain
      ? msg(' The last request ({0} ops) may or may not have been applied: the connection or session was lost before its reply.', rep.uncertain.toLocaleString('en'))
      : '';
    throw new SubtreeIncompleteError(
      cause.code,
      msg(
        '{0} of {1} incomplete. {2}. {3} of {4} nodes {5}, {6} left{7}.{8} {9}',
        capitalize(o.operation),
        o.root,
        what,
        rep.completed.toLocaleString('en'),
        (rep.completed + rep.remaining + rep.uncertain).toLocaleString('en'),
        verb,
        rep.remaining.toLocaleString('en'),
        next,
        doubt,
        o.hint(rep.completed),
      ),
      rep,
      cause,
    );
  }
}

/** Deleting and creating need a permission on the parent, not on the node: say which. */
function noAuthMessage(op: Op, error: ZkError, operation: SubtreeOperation): ZkError {
  const parent = parentPath(op.path);
  const details = { path: op.path, op: op.type, serverCode: error.serverCode, cause: error };
  if (op.type === 'delete') {
    return new ZkError(
      'NOAUTH',
      msg('Not authorized to delete {0}: deleting a node needs the DELETE permission in the ACL of its parent {1}; connect with credentials that this ACL grants, or ask its owner', op.path, parent),
      details,
    );
  }
  if (op.type === 'create') {
    const copied = operation === 'delete' ? '' : msg(' If that ACL was copied from the source, add matching credentials (digest) to the target connection, or copy without ACLs.');
    return new ZkError(
      'NOAUTH',
      msg('Not authorized to create {0}: creating a node needs the CREATE permission in the ACL of its parent {1}.{2}', op.path, parent, copied),
      details,
    );
  }
  return error;
}

function withParentHint(error: ZkError, path: string): ZkError {
  return new ZkError('NONODE', msg('Cannot create {0}: its parent {1} does not exist (deleted meanwhile?)', path, parentPath(path)), {
    path,
    op: 'create',
    serverCode: error.serverCode,
    cause: error,
  });
}

