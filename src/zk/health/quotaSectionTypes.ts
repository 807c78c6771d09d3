// The Quotas section's data as it crosses to the Cluster Health webview: plain JSON, types only
// (the webview's build sees this file through src/protocol/health.ts).
import type { HealthAlert } from './healthTypes';
import type { QuotaLimits, QuotaUsage } from '../clusterAdmin/quotas';

export interface QuotaLimitRow {
  what: 'count' | 'bytes';
  kind: 'soft' | 'hard';
  limit: number;
  used: number;
  /** Percent of the limit used, rounded; capped at 999 (a limit of 0 with something used). */
  percent: number;
}

export interface QuotaRow {
  path: string;
  limits: QuotaLimits;
  /** "nodes: soft 10 · bytes: hard 1,000". */
  limitsText: string;
  usage?: QuotaUsage;
  /** Each limit that is set, with its use. */
  uses: QuotaLimitRow[];
  /** The fullest of `uses` (what the bar shows). */
  fullest?: QuotaLimitRow;
  level: 'ok' | 'near' | 'exceeded' | 'unknown';
  problem?: string;
}

export interface QuotasReading {
  /** When it was read (ms since the epoch). */
  at: number;
  rows: QuotaRow[];
  /** How many quotas the ensemble has (rows may be fewer). */
  total: number;
  alerts: HealthAlert[];
  thresholdPercent: number;
  /** The walk of /zookeeper/quota stopped early. */
  truncated: boolean;
  /** Why the quotas could not be read (then rows is empty). */
  problem?: string;
}
