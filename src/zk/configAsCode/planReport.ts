// The plan and the result of an apply as Markdown a person reads before confirming: the counts,
// then every change with its reason. Names are shown with what they hide made visible
// (displayName) and escaped for Markdown. Domain layer: no 'vscode' here.
import { formatAcl } from '../acl';
import { displayName } from '../displayText';
import { md, mdCode } from '../markdown';
import type { ApplyReport } from './apply';
import type { ApplyPlan, ChangeKind, PlanCounts, PlannedChange } from './plan';

const n = (x: number) => x.toLocaleString('en');

/** "2 to create, 1 to change, 0 to delete, 1 ACL change, 5 unchanged" (and conflicts, skips, kept when there are any). */
export function countsLine(c: PlanCounts): string {
  const parts = [`${n(c.create)} to create`, `${n(c.update)} to change`, `${n(c.delete)} to delete`, `${n(c.acl)} ACL change${c.acl === 1 ? '' : 's'}`, `${n(c.unchanged)} unchanged`];
  if (c.conflict > 0) parts.push(`${n(c.conflict)} conflict${c.conflict === 1 ? '' : 's'}`);
  if (c.skip > 0) parts.push(`${n(c.skip)} skipped`);
  if (c.kept > 0) parts.push(`${n(c.kept)} kept`);
  return parts.join(', ');
}

/** Whether applying the plan would write anything. */
export function hasWork(plan: ApplyPlan): boolean {
  const c = plan.counts;
  return c.create + c.update + c.acl + c.delete > 0 || plan.missingParents.length > 0;
}

const SECTIONS: { kind: ChangeKind; title: string }[] = [
  { kind: 'conflict', title: 'Conflicts: changed on the server since the pull (never overwritten)' },
  { kind: 'create', title: 'To create' },
  { kind: 'update', title: 'To change' },
  { kind: 'acl', title: 'ACL changes' },
  { kind: 'delete', title: 'To delete' },
  { kind: 'skip', title: 'Skipped' },
  { kind: 'kept', title: 'On the server only, kept ("add and update only")' },
];

function bytes(x: number): string {
  return x === 1 ? '1 byte' : `${n(x)} bytes`;
}

function line(c: PlannedChange): string {
  const path = mdCode(displayName(c.path));
  const extra: string[] = [];
  if (c.kind === 'create') {
    extra.push(bytes(c.local?.data.byteLength ?? 0));
    const m = c.local?.meta;
    if (m && m.mode !== 'persistent') extra.push(m.mode === 'ttl' ? `TTL ${n(m.ttlMs ?? 0)} ms` : m.mode === 'ephemeral' ? 'as a persistent node' : m.mode);
  }
  if (c.kind === 'update' || (c.kind === 'conflict' && c.dataChanged)) extra.push(`${bytes(c.remote?.data.byteLength ?? 0)} → ${bytes(c.local?.data.byteLength ?? 0)}`);
  if (c.aclChanged && c.local?.meta?.acl) extra.push(`ACL ${(c.remote?.acl ?? []).map(formatAcl).join(', ')} → ${c.local.meta.acl.map(formatAcl).join(', ')}`);
  if (c.reason) extra.push(md(c.reason));
  return `- ${path}${extra.length ? ` — ${extra.join('; ')}` : ''}`;
}

/** The plan as Markdown. `folder` and `where` name what is compared. */
export function planMarkdown(plan: ApplyPlan, folder: string, opts: { limit?: number } = {}): string {
  const limit = opts.limit ?? 2000;
  const out: string[] = [];
  const where = `${mdCode(displayName(plan.target))}${plan.connection ? ` on "${md(plan.connection)}"` : ''}`;
  out.push(`# Apply ${md(folder)} to ${where}`, '');
  out.push(`**${countsLine(plan.counts)}**`, '');
  out.push(
    `Mode: ${plan.mode === 'mirror' ? '**mirror** (server nodes that are not in the folder are deleted)' : '**add and update only** (nothing is deleted)'}. ` +
      (plan.baseline ? 'Checked against the versions of the pull: a node changed on the server since is a conflict.' : 'Not the subtree the folder was pulled from: a plain comparison, guarded by the versions read now.'),
    '',
  );
  if (plan.readOnly) out.push('**The connection is read-only: this plan cannot be applied.**', '');
  if (plan.missingParents.length > 0) out.push(`Missing parents, created empty with ${md(plan.defaultAcl.description)}: ${plan.missingParents.map((p) => mdCode(displayName(p))).join(', ')}`, '');
  const lockOut = plan.acls.filter((a) => a.lockOut);
  for (const a of lockOut) out.push(`**Lock-out:** ${md(a.lockOut ?? '')}`, '');
  if (plan.unreadable.length > 0) out.push(`Not readable by this session (never deleted): ${n(plan.unreadable.length)} nodes.`, '');
  for (const s of SECTIONS) {
    const items = plan.changes.filter((c) => c.kind === s.kind);
    if (items.length === 0) continue;
    out.push(`## ${s.title} (${n(items.length)})`, '');
    for (const c of items.slice(0, limit)) out.push(line(c));
    if (items.length > limit) out.push(`- … and ${n(items.length - limit)} more`);
    out.push('');
  }
  if (!hasWork(plan)) out.push('Nothing to write: the server already holds what the folder has.', '');
  return out.join('\n');
}

/** The result of an apply (complete or stopped half-way) as Markdown. */
export function applyReportMarkdown(report: ApplyReport, opts: { connection?: string; error?: string; limit?: number } = {}): string {
  const limit = opts.limit ?? 2000;
  const out: string[] = [];
  out.push(`# ${opts.error ? 'Apply stopped' : 'Applied'}: ${mdCode(displayName(report.target))}${opts.connection ? ` on "${md(opts.connection)}"` : ''}`, '');
  if (opts.error) out.push(`**${md(opts.error)}**`, '');
  out.push(`${n(report.applied.length)} applied, ${n(report.uncertain.length)} uncertain, ${n(report.notApplied.length)} not applied, in ${n(report.batches)} transaction${report.batches === 1 ? '' : 's'} (${n(report.ms)} ms).`, '');
  const list = (title: string, ops: ApplyReport['applied']) => {
    if (ops.length === 0) return;
    out.push(`## ${title} (${n(ops.length)})`, '');
    for (const o of ops.slice(0, limit)) out.push(`- ${o.op} ${mdCode(displayName(o.path))}`);
    if (ops.length > limit) out.push(`- … and ${n(ops.length - limit)} more`);
    out.push('');
  };
  if (report.failed) out.push(`Failed at ${report.failed.op.op} ${mdCode(displayName(report.failed.op.path))}: ${md(report.failed.code)} (${md(report.failed.message)})`, '');
  list('Uncertain: one transaction whose answer was lost (applied whole or not at all; compare again to see)', report.uncertain);
  list('Not applied', report.notApplied);
  list('Applied', report.applied);
  return out.join('\n');
}
