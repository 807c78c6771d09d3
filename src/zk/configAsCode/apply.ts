// Apply: a plan written to the server in multi transactions guarded by the versions it read.
//
// Creates (parents first) and data updates come first, then deletes (children first), each batch
// one multi: all of it or nothing. setData and delete carry the version the plan saw, and a node
// whose only change is its ACL gets a `check` op of its data version in the batch, so a node changed
// since the plan fails its batch (BADVERSION) instead of being overwritten; its ACL is then set with
// the ACL version the plan saw (setACL cannot go in a multi). A stop half-way (a conflict, a lost
// connection) reports exactly which ops were applied, which batch is uncertain (the connection went
// away with it: it was applied entirely or not at all) and which were not sent.
// Domain layer: no 'vscode' here.
import type { ZkAcl } from '../acl';
import { ZkMultiError, type CreateMode, type MultiOp } from '../client';
import { isZkError, ZkError } from '../errors';
import { refuseLockOut } from '../subtreeAcl';
import { multiOpBytes, planBatches, SUBTREE_DEFAULTS, type SubtreeClient } from '../subtree';
import { relDepth } from './configTree';
import type { ApplyPlan, PlannedChange } from './plan';
import { messageOfError, msg, renderMessage, type Message } from '../message';

export interface AppliedOp {
  op: 'create' | 'setData' | 'check' | 'delete' | 'setACL';
  path: string;
}

export interface ApplyReport {
  target: string;
  /** Ops the server confirmed, in order. */
  applied: AppliedOp[];
  /** Ops of the request whose answer never came: all of them were applied, or none. */
  uncertain: AppliedOp[];
  /** Ops not sent. */
  notApplied: AppliedOp[];
  /** The op that failed and why (a failed multi applied nothing of its batch). */
  failed?: { op: AppliedOp; code: string; message: string };
  batches: number;
  ms: number;
}

export class ApplyIncompleteError extends ZkError {
  readonly partial = true;
  constructor(
    code: ZkError['code'],
    message: string | Message,
    readonly report: ApplyReport,
    cause?: unknown,
  ) {
    super(code, message, { path: report.target, op: 'apply', cause, serverCode: isZkError(cause) ? cause.serverCode : undefined });
    this.name = 'ApplyIncompleteError';
  }
}

export interface ApplyOptions {
  /** Apply the rest of a plan that has conflicts, leaving the conflicting nodes as they are on the server (default: refuse). */
  skipConflicts?: boolean;
  /** Set ACLs that the lock-out check says would lock this session out (default: refuse before any write). */
  acceptLockOut?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number }) => void;
  maxBatchBytes?: number;
  maxBatchOps?: number;
}

type Op = MultiOp & { bytes: number };

const TRANSIENT = new Set(['CONNECTIONLOSS', 'REQUEST_DEADLINE', 'SESSIONEXPIRED', 'SESSIONMOVED', 'OPERATIONTIMEOUT', 'REQUESTTIMEOUT', 'CLOSED', 'NOT_CONNECTED']);
const NOT_SENT = new Set(['DATA_TOO_LARGE', 'INVALID_PATH', 'INVALID_ARGUMENT', 'READ_ONLY_GUARD']);

function createMode(c: PlannedChange): { mode: CreateMode; ttlMs?: number } {
  const m = c.local?.meta;
  if (m?.mode === 'container') return { mode: 'container' };
  if (m?.mode === 'ttl' && m.ttlMs !== undefined) return { mode: 'persistentTtl', ttlMs: m.ttlMs };
  return { mode: 'persistent' };
}

/** The ops of a plan, in the order they are sent (pure). */
export function opsOf(plan: ApplyPlan, chrootBytes = 0): { ops: Op[]; acls: { path: string; acl: ZkAcl[]; aversion: number }[] } {
  const ops: Op[] = [];
  const withBytes = (op: MultiOp): Op => Object.assign(op, { bytes: multiOpBytes(op, chrootBytes) });
  for (const p of plan.missingParents) ops.push(withBytes({ type: 'create', path: p, data: new Uint8Array(0), acl: plan.defaultAcl.acl }));
  const acls: { path: string; acl: ZkAcl[]; aversion: number }[] = [];
  const forward = plan.changes.filter((c) => c.kind === 'create' || c.kind === 'update' || c.kind === 'acl');
  forward.sort((a, b) => relDepth(a.rel) - relDepth(b.rel));
  for (const c of forward) {
    if (c.kind === 'create') {
      const m = createMode(c);
      const op: MultiOp = { type: 'create', path: c.path, data: c.local?.data ?? new Uint8Array(0), acl: c.local?.meta?.acl ?? plan.defaultAcl.acl, mode: m.mode };
      if (m.ttlMs !== undefined) op.ttlMs = m.ttlMs;
      ops.push(withBytes(op));
      continue;
    }
    const remote = c.remote;
    if (!remote) continue;
    if (c.kind === 'update') ops.push(withBytes({ type: 'setData', path: c.path, data: c.local?.data ?? new Uint8Array(0), version: remote.stat.version }));
    else ops.push(withBytes({ type: 'check', path: c.path, version: remote.stat.version }));
    if (c.aclChanged && c.local?.meta?.acl) acls.push({ path: c.path, acl: c.local.meta.acl, aversion: remote.stat.aversion });
  }
  const deletes = plan.changes.filter((c) => c.kind === 'delete' && c.remote);
  deletes.sort((a, b) => relDepth(b.rel) - relDepth(a.rel));
  for (const c of deletes) ops.push(withBytes({ type: 'delete', path: c.path, version: c.remote?.stat.version ?? -1 }));
  return { ops, acls };
}

const asApplied = (op: MultiOp): AppliedOp => ({ op: op.type, path: op.path });

/** Applies a plan (made by planFolder or planTree) to the server it was made for. */
export async function applyPlan(client: SubtreeClient, plan: ApplyPlan, opts: ApplyOptions = {}): Promise<ApplyReport> {
  const started = Date.now();
  if (client.options.readOnly) {
    const label = client.options.name ? msg('Connection "{0}"', client.options.name) : msg('The connection');
    throw new ZkError('READ_ONLY_GUARD', msg('{0} is read-only: refused to apply a folder to {1}; nothing was written. Clear "readOnly" in its settings to allow writes.', label, plan.target), {
      path: plan.target,
      op: 'apply',
    });
  }
  if (plan.counts.conflict > 0 && !opts.skipConflicts) {
    const first = plan.changes.find((c) => c.kind === 'conflict');
    throw new ZkError(
      'CONFLICT',
      msg(
        '{0} nodes changed on the server since the pull (first: {1}: {2}); nothing was written. Pull again and redo your edits, or apply the rest and leave those nodes as they are on the server',
        plan.counts.conflict.toLocaleString('en'),
        first?.path ?? '',
        first?.reason ?? '',
      ),
      { path: first?.path, op: 'apply' },
    );
  }
  if (!opts.acceptLockOut) refuseLockOut(plan.acls, plan.target, 'apply to');
  const { ops, acls } = opsOf(plan, Buffer.byteLength(client.chroot ?? '', 'utf8'));
  const serverMax = client.options.maxRequestBytes;
  const limits = {
    maxBytes: Math.max(1024, Math.min(opts.maxBatchBytes ?? SUBTREE_DEFAULTS.maxBatchBytes, serverMax - 1024)),
    maxOps: Math.max(1, opts.maxBatchOps ?? SUBTREE_DEFAULTS.maxBatchOps),
  };
  const batches = planBatches(ops, (o) => o.bytes, limits);
  const total = ops.length + acls.length;
  const report: ApplyReport = { target: plan.target, applied: [], uncertain: [], notApplied: [], batches: 0, ms: 0 };
  const stop = (i: number, code: ZkError['code'], message: Message, cause: unknown, uncertain: boolean, failed?: ApplyReport['failed']): never => {
    const batch = batches[i].map((o) => asApplied(o));
    if (uncertain) report.uncertain = batch;
    report.notApplied = [...(uncertain ? [] : batch), ...batches.slice(i + 1).flatMap((b) => b.map((o) => asApplied(o))), ...acls.map((a) => ({ op: 'setACL' as const, path: a.path }))];
    if (failed) report.failed = failed;
    report.ms = Date.now() - started;
    throw new ApplyIncompleteError(code, msg('{0} {1}', message, summaryMessage(report)), report, cause);
  };
  for (let i = 0; i < batches.length; i++) {
    const batch = batches[i];
    if (opts.signal?.aborted) stop(i, 'CANCELLED', msg('Apply to {0} cancelled.', plan.target), undefined, false);
    try {
      await client.multi(batch.map(({ bytes: _bytes, ...op }) => op as MultiOp));
    } catch (e) {
      if (e instanceof ZkMultiError) {
        const op = asApplied(batch[e.failedIndex] ?? batch[0]);
        const why = e.cause.code === 'BADVERSION' ? 'changed on the server since the plan' : e.cause.code === 'NODEEXISTS' ? 'created on the server since the plan' : e.cause.code === 'NONODE' ? 'deleted on the server since the plan' : e.cause.message;
        const whyMessage = e.cause.code === 'BADVERSION' ? msg('changed on the server since the plan') : e.cause.code === 'NODEEXISTS' ? msg('created on the server since the plan') : e.cause.code === 'NONODE' ? msg('deleted on the server since the plan') : messageOfError(e.cause);
        stop(i, e.cause.code, msg('Apply to {0} stopped at {1} {2}: {3} ({4}); that transaction applied nothing.', plan.target, op.op, op.path, whyMessage, e.cause.code), e, false, { op, code: e.cause.code, message: why });
      }
      const code = isZkError(e) ? e.code : 'INTERNAL';
      const message = e instanceof Error ? e.message : String(e);
      const uncertain = !NOT_SENT.has(code) && (TRANSIENT.has(code) || !isZkError(e) || e.serverCode === undefined);
      stop(i, code, msg('Apply to {0} stopped: {1}.', plan.target, messageOfError(e)), e, uncertain, { op: asApplied(batch[0]), code, message });
    }
    report.batches++;
    for (const op of batch) report.applied.push(asApplied(op));
    opts.onProgress?.({ done: report.applied.length, total });
  }
  for (let i = 0; i < acls.length; i++) {
    const a = acls[i];
    const op: AppliedOp = { op: 'setACL', path: a.path };
    try {
      await client.setACL(a.path, a.acl, a.aversion);
    } catch (e) {
      const code = isZkError(e) ? e.code : 'INTERNAL';
      const message = code === 'BADVERSION' ? 'its ACL changed on the server since the plan' : e instanceof Error ? e.message : String(e);
      const uncertain = TRANSIENT.has(code);
      if (uncertain) report.uncertain = [op];
      report.notApplied = acls.slice(i + (uncertain ? 1 : 0)).map((x) => ({ op: 'setACL' as const, path: x.path }));
      report.failed = { op, code, message };
      report.ms = Date.now() - started;
      const why = code === 'BADVERSION' ? msg('its ACL changed on the server since the plan') : messageOfError(e);
      throw new ApplyIncompleteError(code, msg('Apply to {0} stopped at the ACL of {1}: {2}. {3}', plan.target, a.path, why, summaryMessage(report)), report, e);
    }
    report.applied.push(op);
    opts.onProgress?.({ done: report.applied.length, total });
  }
  report.ms = Date.now() - started;
  return report;
}

/** One sentence: what was applied, what is uncertain, what was not. */
export function summary(r: ApplyReport): string {
  return renderMessage(summaryMessage(r));
}

/** The summary as a Message, for an error an adapter translates. */
export function summaryMessage(r: ApplyReport): Message {
  const n = (x: number) => x.toLocaleString('en');
  return r.uncertain.length > 0
    ? msg('{0} ops applied, {1} uncertain (one transaction whose answer was lost: all applied or none; compare again to see), {2} not applied.', n(r.applied.length), n(r.uncertain.length), n(r.notApplied.length))
    : msg('{0} ops applied, {1} not applied.', n(r.applied.length), n(r.notApplied.length));
}
