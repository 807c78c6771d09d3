// A panel section fed through the user's own session: one reading at a time, at most once per poll
// interval unless forced, and a sentence (not silence) while the connection has no open session,
// so a section never keeps its "Reading…" caption for as long as the panel is open.
import type { EnsembleConnection } from '../zk/ensembleConnection';

export abstract class SessionFeed<Reading> {
  private reading = false;
  private lastAt = 0;
  private disposed = false;

  constructor(
    private readonly connection: () => EnsembleConnection | undefined,
    private readonly pollIntervalMs: () => number,
    private readonly post: (reading: Reading) => void,
  ) {}

  /** What the section reads through an open session. */
  protected abstract read(c: EnsembleConnection): Promise<Reading>;
  /** What it shows while there is no open session. */
  protected abstract notConnected(): Reading;

  /** Reads and posts, unless a reading is running or one was posted less than a poll ago (`force` skips that). */
  async update(force = false): Promise<void> {
    if (this.reading || this.disposed || (!force && Date.now() - this.lastAt < this.pollIntervalMs() - 250)) return;
    const c = this.connection();
    if (!c || (c.state !== 'connected' && c.state !== 'readOnlyServer')) {
      // lastAt stays, so the first snapshot after the session opens reads at once
      this.post(this.notConnected());
      return;
    }
    this.reading = true;
    try {
      const reading = await this.read(c);
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
