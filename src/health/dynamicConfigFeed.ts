// Feeds the panel's Dynamic configuration section: /zookeeper/config read through the user's own
// session (one reading at a time, at most once per poll interval unless forced) and joined with the
// panel's latest server rows. A chrooted or disconnected connection gets a sentence instead.
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { dynamicConfigReading, type DynamicConfigReading } from '../zk/health/dynamicConfigSection';
import type { ServerRow } from '../zk/health/healthTypes';
import { CONFIG_NODE } from '../zk/reconfig';

export class DynamicConfigFeed {
  private reading = false;
  private lastAt = 0;
  private disposed = false;

  constructor(
    private readonly connection: () => EnsembleConnection | undefined,
    private readonly servers: () => readonly ServerRow[],
    private readonly pollIntervalMs: () => number,
    private readonly post: (reading: DynamicConfigReading) => void,
  ) {}

  async update(force = false): Promise<void> {
    if (this.reading || this.disposed || (!force && Date.now() - this.lastAt < this.pollIntervalMs() - 250)) return;
    const c = this.connection();
    if (!c || (c.state !== 'connected' && c.state !== 'readOnlyServer')) return;
    this.reading = true;
    try {
      let reading: DynamicConfigReading;
      if (c.chroot !== undefined) {
        reading = { at: Date.now(), members: [], quorum: '', problem: `This connection has the chroot ${c.chroot}: ${CONFIG_NODE} is outside it.` };
      } else {
        try {
          const { data } = await c.client.getData(CONFIG_NODE);
          reading = dynamicConfigReading(Buffer.from(data).toString('utf8'), this.servers());
        } catch (e) {
          reading = { at: Date.now(), members: [], quorum: '', problem: `${CONFIG_NODE} could not be read: ${e instanceof Error ? e.message : String(e)}` };
        }
      }
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
