// Feeds the panel's Quotas section: the ensemble's quotas read through the user's own session
// (one reading at a time, at most once per poll interval), posted after each snapshot. A chrooted
// connection cannot see /zookeeper/quota: the section says so instead.
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { readQuotasForPanel, type QuotasReading } from '../zk/health/quotaSection';

export class QuotaFeed {
  private reading = false;
  private lastAt = 0;
  private disposed = false;

  constructor(
    private readonly connection: () => EnsembleConnection | undefined,
    private readonly settings: () => { pollIntervalMs: number; quotaAlertPercent: number },
    private readonly post: (reading: QuotasReading) => void,
  ) {}

  /** Reads and posts, unless a reading is running or one was posted less than a poll ago (`force` skips that). */
  async update(force = false): Promise<void> {
    const s = this.settings();
    if (this.reading || this.disposed || (!force && Date.now() - this.lastAt < s.pollIntervalMs - 250)) return;
    const c = this.connection();
    if (!c || (c.state !== 'connected' && c.state !== 'readOnlyServer')) {
      // Without this the section kept saying "Reading the quotas…" for as long as the panel was open.
      // lastAt stays, so the first snapshot after the session opens reads at once.
      if (!this.disposed) this.post(notReadable(s.quotaAlertPercent));
      return;
    }
    this.reading = true;
    try {
      const reading: QuotasReading =
        c.chroot !== undefined
          ? { at: Date.now(), rows: [], total: 0, alerts: [], thresholdPercent: s.quotaAlertPercent, truncated: false, problem: `This connection has the chroot ${c.chroot}: the quotas (in /zookeeper/quota) are outside it.` }
          : await readQuotasForPanel(c.client, s.quotaAlertPercent);
      this.lastAt = Date.now();
      if (!this.disposed) this.post(reading);
    } finally {
      this.reading = false;
    }
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** What the section shows while the connection has no session to read the quotas through. */
function notReadable(thresholdPercent: number): QuotasReading {
  return {
    at: Date.now(),
    rows: [],
    total: 0,
    alerts: [],
    thresholdPercent,
    truncated: false,
    problem: 'The quotas are read through your own session: connect to this ensemble in the ZooKeeper view to see them.',
  };
}
