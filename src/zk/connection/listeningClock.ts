// How long the server has been silent while this side was listening. The liveness check runs on a
// timer; after a long synchronous stretch of the event loop (a 50,000-node plan once held it for
// seconds) the timer fires before the poll phase has read what the server sent meanwhile: counted
// by the wall clock, that silence was this side's deafness, and a live server lost its connection.
// So the time a tick comes late is not counted as silence: the server gets its window again, the
// data already waiting is read in the same turn, and a frozen server is still found one window
// after the loop runs again. Domain layer: no 'vscode' here.

export class ListeningClock {
  private lastTickAt: number;
  private heardAt: number;
  /** ms this side could not listen since heardAt (ticks that came late). */
  private deafMs = 0;

  constructor(
    /** The timer's interval. */
    private readonly tickMs: number,
    now: number,
    lastHeardAt: number,
  ) {
    this.lastTickAt = now;
    this.heardAt = lastHeardAt;
  }

  /** Called on each tick: the server's silence (ms) while the event loop was running. */
  silentMs(now: number, lastHeardAt: number): number {
    if (lastHeardAt !== this.heardAt) {
      this.heardAt = lastHeardAt;
      this.deafMs = 0;
    }
    this.deafMs += Math.max(0, now - this.lastTickAt - this.tickMs);
    this.lastTickAt = now;
    return Math.max(0, now - this.heardAt - this.deafMs);
  }
}
