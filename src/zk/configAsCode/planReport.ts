// The plan and the result of an apply as Markdown a person reads before confirming: the counts,
// then every change with its reason. Names are shown with what they hide made visible
// (displayName) and escaped for Markdown. Domain layer: no 'vscode' here.
import { formatAcl } from '../acl';
import { displayName } from '../displayText';
import { english, localizable, type Translate } from '../localize';
import { md, mdCode } from '../markdown';
import { renderMessage } from '../message';
import type { ApplyReport } from './apply';
import type { ApplyPlan, ChangeKind, PlanCounts, PlannedChange } from './plan';

const n = (x: number) => x.toLocaleString('en');

/** "2 to create, 1 to change, 0 to delete, 1 ACL change, 5 unchanged" (and conflicts, skips, kept when there are any). */
export function countsLine(c: PlanCounts, t: Translate = english): string {
  const parts = [
    t('{0} to create', n(c.create)),
    t('{0} to change', n(c.update)),
    t('{0} to delete', n(c.delete)),
    c.acl === 1 ? t('1 ACL change') : t('{0} ACL changes', n(c.acl)),
    t('{0} unchanged', n(c.unchanged)),
  ];
  if (c.conflict > 0) parts.push(c.conflict === 1 ? t('1 conflict') : t('{0} conflicts', n(c.conflict)));
  if (c.skip > 0) parts.push(t('{0} skipped', n(c.skip)));
  if (c.kept > 0) parts.push(t('{0} kept', n(c.kept)));
  return parts.join(t(', '));
}

/** Whether applying the plan would write anything. */
export function hasWork(plan: ApplyPlan): boolean {
  const c = plan.counts;
  return c.create + c.update + c.acl + c.delete > 0 || plan.missingParents.length > 0;
}

const SECTIONS: { kind: ChangeKind; title: string }[] = [
  { kind: 'conflict', title: localizable('Conflicts: changed on the server since the pull (never overwritten)') },
  { kind: 'create', title: localizable('To create') },
  { kind: 'update', title: localizable('To change') },
  { kind: 'acl', title: localizable('ACL changes') },
  { kind: 'delete', title: localizable('To delete') },
  { kind: 'skip', title: localizable('Skipped') },
  { kind: 'kept', title: localizable('On the server only, kept ("add and update only")') },
];

function bytes(x: number, t: Translate): string {
  return x === 1 ? t('1 byte') : t('{0} bytes', n(x));
}

function line(c: PlannedChange, t: Translate): string {
  const path = mdCode(displayName(c.path));
  const extra: string[] = [];
  if (c.kind === 'create') {
    extra.push(bytes(c.local?.data.byteLength ?? 0, t));
    const m = c.local?.meta;
    if (m && m.mode !== 'persistent') extra.push(m.mode === 'ttl' ? t('TTL {0} ms', n(m.ttlMs ?? 0)) : m.mode === 'ephemeral' ? t('as a persistent node') : m.mode);
  }
  if (c.kind === 'update' || (c.kind === 'conflict' && c.dataChanged)) extra.push(`${bytes(c.remote?.data.byteLength ?? 0, t)} → ${bytes(c.local?.data.byteLength ?? 0, t)}`);
  if (c.aclChanged && c.local?.meta?.acl) extra.push(`ACL ${(c.remote?.acl ?? []).map(formatAcl).join(', ')} → ${c.local.meta.acl.map(formatAcl).join(', ')}`);
  if (c.reason) extra.push(md(renderMessage(c.reason, t)));
  return `- ${path}${extra.length ? ` — ${extra.join('; ')}` : ''}`;
}

/** The plan as Markdown. `folder` and `where` name what is compared. */
export function planMarkdown(plan: ApplyPlan, folder: string, opts: { limit?: number; t?: Translate } = {}): string {
  const limit = opts.limit ?? 2000;
  const t = opts.t ?? english;
  const out: string[] = [];
  const target = mdCode(displayName(plan.target));
  out.push(`# ${plan.connection ? t('Apply {0} to {1} on "{2}"', md(folder), target, md(plan.connection)) : t('Apply {0} to {1}', md(folder), target)}`, '');
  out.push(`**${countsLine(plan.counts, t)}**`, '');
  out.push(
    `${plan.mode === 'mirror' ? t('Mode: **mirror** (server nodes that are not in the folder are deleted).') : t('Mode: **add and update only** (nothing is deleted).')} ` +
      (plan.baseline ? t('Checked against the versions of the pull: a node changed on the server since is a conflict.') : t('Not the subtree the folder was pulled from: a plain comparison, guarded by the versions read now.')),
    '',
  );
  if (plan.readOnly) out.push(`**${t('The connection is read-only: this plan cannot be applied.')}**`, '');
  if (plan.missingParents.length > 0) {
    out.push(t('Missing parents, created empty with {0}: {1}', md(plan.defaultAcl.description), plan.missingParents.map((p) => mdCode(displayName(p))).join(', ')), '');
  }
  const lockOut = plan.acls.filter((a) => a.lockOut);
  for (const a of lockOut) out.push(`**${t('Lock-out:')}** ${md(renderMessage(a.lockOut ?? '', t))}`, '');
  if (plan.unreadable.length > 0) out.push(t('Not readable by this session (never deleted): {0} nodes.', n(plan.unreadable.length)), '');
  for (const s of SECTIONS) {
    const items = plan.changes.filter((c) => c.kind === s.kind);
    if (items.length === 0) continue;
    out.push(`## ${t(s.title)} (${n(items.length)})`, '');
    for (const c of items.slice(0, limit)) out.push(line(c, t));
    if (items.length > limit) out.push(`- ${t('… and {0} more', n(items.length - limit))}`);
    out.push('');
  }
  if (!hasWork(plan)) out.push(t('Nothing to write: the server already holds what the folder has.'), '');
  return out.join('\n');
}

/** The result of an apply (complete or stopped half-way) as Markdown. */
export function applyReportMarkdown(report: ApplyReport, opts: { connection?: string; error?: string; limit?: number; t?: Translate } = {}): string {
  const limit = opts.limit ?? 2000;
  const t = opts.t ?? english;
  const out: string[] = [];
  const target = mdCode(displayName(report.target));
  const title = opts.connection
    ? opts.error
      ? t('Apply stopped: {0} on "{1}"', target, md(opts.connection))
      : t('Applied: {0} on "{1}"', target, md(opts.connection))
    : opts.error
      ? t('Apply stopped: {0}', target)
      : t('Applied: {0}', target);
  out.push(`# ${title}`, '');
  if (opts.error) out.push(`**${md(opts.error)}**`, '');
  const counts = [n(report.applied.length), n(report.uncertain.length), n(report.notApplied.length), n(report.batches), n(report.ms)];
  out.push(
    report.batches === 1
      ? t('{0} applied, {1} uncertain, {2} not applied, in {3} transaction ({4} ms).', ...counts)
      : t('{0} applied, {1} uncertain, {2} not applied, in {3} transactions ({4} ms).', ...counts),
    '',
  );
  const list = (title: string, ops: ApplyReport['applied']) => {
    if (ops.length === 0) return;
    out.push(`## ${title} (${n(ops.length)})`, '');
    for (const o of ops.slice(0, limit)) out.push(`- ${o.op} ${mdCode(displayName(o.path))}`);
    if (ops.length > limit) out.push(`- ${t('… and {0} more', n(ops.length - limit))}`);
    out.push('');
  };
  if (report.failed) {
    const op = `${report.failed.op.op} ${mdCode(displayName(report.failed.op.path))}`;
    out.push(t('Failed at {0}: {1} ({2})', op, md(report.failed.code), md(report.failed.message)), '');
  }
  list(t('Uncertain: one transaction whose answer was lost (applied whole or not at all; compare again to see)'), report.uncertain);
  list(t('Not applied'), report.notApplied);
  list(t('Applied'), report.applied);
  return out.join('\n');
}
