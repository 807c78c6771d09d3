// Feeds the panel's Quotas section: the ensemble's quotas read through the user's own session
// (SessionFeed: one reading at a time, at most once per poll interval), posted after each snapshot.
// A chrooted connection cannot see /zookeeper/quota: the section says so instead.
import * as vscode from 'vscode';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { readQuotasForPanel, type QuotasReading } from '../zk/health/quotaSection';
import { SessionFeed } from './sessionFeed';

export class QuotaFeed extends SessionFeed<QuotasReading> {
  constructor(
    connection: () => EnsembleConnection | undefined,
    private readonly settings: () => { pollIntervalMs: number; quotaAlertPercent: number },
    post: (reading: QuotasReading) => void,
  ) {
    super(connection, () => settings().pollIntervalMs, post);
  }

  protected read(c: EnsembleConnection): Promise<QuotasReading> {
    const percent = this.settings().quotaAlertPercent;
    if (c.chroot !== undefined) return Promise.resolve(problem(percent, vscode.l10n.t('This connection has the chroot {0}: the quotas (in /zookeeper/quota) are outside it.', c.chroot)));
    return readQuotasForPanel(c.client, percent, Date.now, vscode.l10n.t);
  }

  protected notConnected(): QuotasReading {
    return problem(this.settings().quotaAlertPercent, vscode.l10n.t('The quotas are read through your own session: connect to this ensemble in the ZooKeeper view to see them.'));
  }
}

function problem(thresholdPercent: number, text: string): QuotasReading {
  return { at: Date.now(), rows: [], total: 0, alerts: [], thresholdPercent, truncated: false, problem: text };
}
