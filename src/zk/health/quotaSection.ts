// The Cluster Health panel's Quotas section: every quota of the ensemble with its usage, fullest
// first, and the alerts (a limit at or above the threshold, any exceeded limit). Plain JSON (no
// Infinity, no Map) so it crosses to the webview as is; the rows are bounded (the quota tree is
// the ensemble's, so untrusted).
import type { HealthAlert } from './healthTypes';
import { english, type Translate } from '../localize';
import { messageOfError, renderMessage } from '../message';
import { quotaAlerts, sortByCloseness, limitUses, describeLimits, type Quota } from '../clusterAdmin/quotas';
import { listQuotas, type QuotaClient } from '../clusterAdmin/quotaStore';
import type { QuotaLimitRow, QuotaRow, QuotasReading } from './quotaSectionTypes';

export type { QuotaLimitRow, QuotaRow, QuotasReading } from './quotaSectionTypes';

/** Rows sent to the panel at most. */
export const MAX_QUOTA_ROWS = 200;

export const QUOTA_ALERT_SETTING = 'zookeeper.health.quotaAlertPercent';

function row(q: Quota, thresholdPercent: number, t: Translate): QuotaRow {
  const uses: QuotaLimitRow[] = limitUses(q).map((u) => ({ what: u.what, kind: u.kind, limit: u.limit, used: u.used, percent: Number.isFinite(u.fraction) ? Math.min(999, Math.round(u.fraction * 100)) : 999 }));
  const fullest = uses.reduce<QuotaLimitRow | undefined>((a, u) => (!a || u.percent > a.percent ? u : a), undefined);
  const exceeded = uses.some((u) => u.used > u.limit);
  const level = !q.usage || !fullest ? 'unknown' : exceeded ? 'exceeded' : fullest.percent >= thresholdPercent ? 'near' : 'ok';
  const r: QuotaRow = { path: q.path, limits: q.limits, limitsText: describeLimits(q.limits, t), uses, level };
  if (q.usage) r.usage = q.usage;
  if (fullest) r.fullest = fullest;
  if (q.problem) r.problem = renderMessage(q.problem, t);
  return r;
}

/** The section's data from a listing, worded through `t` (the adapter passes vscode.l10n.t). Pure. */
export function quotasReading(quotas: readonly Quota[], thresholdPercent: number, at: number, truncated = false, t: Translate = english): QuotasReading {
  const sorted = sortByCloseness(quotas);
  const alerts: HealthAlert[] = quotaAlerts(sorted, thresholdPercent, t).map((a) => ({
    id: `${a.kind}:${a.path}`,
    kind: a.kind,
    severity: a.severity,
    title: a.title,
    detail: a.detail,
    fix:
      a.kind === 'quotaNearLimit'
        ? { text: t('Raise it with Set Quota… on the node (its context menu in the ZooKeeper view), or change the threshold.'), setting: QUOTA_ALERT_SETTING }
        : { text: t('Raise it with Set Quota… on the node (its context menu in the ZooKeeper view), or delete data under it.') },
  }));
  return { at, rows: sorted.slice(0, MAX_QUOTA_ROWS).map((q) => row(q, thresholdPercent, t)), total: quotas.length, alerts, thresholdPercent, truncated };
}

/** Reads the quotas through a session; never rejects (the reason goes in `problem`). */
export async function readQuotasForPanel(client: QuotaClient, thresholdPercent: number, now: () => number = Date.now, t: Translate = english): Promise<QuotasReading> {
  try {
    const { quotas, truncated } = await listQuotas(client);
    return quotasReading(quotas, thresholdPercent, now(), truncated, t);
  } catch (e) {
    return { at: now(), rows: [], total: 0, alerts: [], thresholdPercent, truncated: false, problem: t('The quotas could not be read: {0}', renderMessage(messageOfError(e), t)) };
  }
}
