// Which server a connection tries next: the connect string's servers in a shuffled order (so many
// clients spread over the ensemble), one full round after another, with an exponential, jittered
// backoff between rounds that all failed. A server found serving writes (the read-only probe) is
// tried first, once.
import type { ServerAddress } from '../connectString';

export interface RotationTiming {
  spinDelayMs: number;
  maxBackoffMs: number;
}

export class ServerRotation {
  readonly servers: readonly ServerAddress[];
  private index = 0;
  private attemptsThisRound = 0;
  private failedRounds = 0;
  private preferred: ServerAddress | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;

  constructor(
    servers: readonly ServerAddress[],
    private readonly timing: RotationTiming,
  ) {
    this.servers = shuffle(servers.slice());
  }

  /**
   * The server to try now, or undefined when a round has just failed: then `retry` is called after
   * the backoff (unless `stop` came first).
   */
  next(retry: () => void): ServerAddress | undefined {
    if (this.attemptsThisRound >= this.servers.length) {
      this.attemptsThisRound = 0;
      this.failedRounds += 1;
      const base = Math.min(this.timing.maxBackoffMs, this.timing.spinDelayMs * 2 ** (this.failedRounds - 1));
      const delay = Math.round(base * (0.5 + Math.random() * 0.5));
      this.backoffTimer = setTimeout(() => {
        this.backoffTimer = undefined;
        retry();
      }, delay);
      return undefined;
    }
    this.attemptsThisRound += 1;
    if (this.preferred) {
      const preferred = this.preferred;
      this.preferred = undefined;
      return preferred;
    }
    const server = this.servers[this.index % this.servers.length];
    this.index = (this.index + 1) % this.servers.length;
    return server;
  }

  /** A session was established: the next failure starts a fresh round without backoff. */
  succeeded(): void {
    this.attemptsThisRound = 0;
    this.failedRounds = 0;
  }

  /** Try `server` first next time (a read-write server found while on a read-only one). */
  prefer(server: ServerAddress): void {
    this.preferred = server;
  }

  stop(): void {
    clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
  }
}

function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
