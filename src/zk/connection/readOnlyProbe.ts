// Read-only servers (ZooKeeper's read-only mode: a member that lost its quorum serves reads). While
// the session is on one, the others are asked with the `isro` four-letter word until one serves
// writes again; the session then moves there.
import type * as tls from 'node:tls';
import { nodeNet, nodeTls } from '../lazyBuiltins';
import type { ServerAddress } from '../connectString';

/** `isro` on its own connection: 'rw', 'ro', or undefined when the server did not say. */
export function askIsro(server: ServerAddress, timeoutMs: number, tlsOptions?: tls.ConnectionOptions): Promise<'rw' | 'ro' | undefined> {
  return new Promise((resolve) => {
    const socket = tlsOptions ? nodeTls().connect({ host: server.host, port: server.port, ...tlsOptions }) : nodeNet().connect({ host: server.host, port: server.port });
    let answer = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const a = answer.trim();
      resolve(a === 'rw' || a === 'ro' ? a : undefined);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on(tlsOptions ? 'secureConnect' : 'connect', () => socket.write('isro'));
    socket.on('data', (b: Buffer) => {
      answer += b.toString('latin1');
      if (answer.length > 16) done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

export interface ReadWriteProbeOptions {
  /** First pause between two rounds (doubles up to 60 s). */
  firstDelayMs: number;
  timeoutMs: number;
  tls?: tls.ConnectionOptions;
}

/** Rounds of `isro` over the other servers while `stillReadOnly()`; calls `found` with the first serving writes. */
export class ReadWriteProbe {
  private timer: NodeJS.Timeout | undefined;
  private delay = 0;

  constructor(private readonly opts: ReadWriteProbeOptions) {}

  start(servers: readonly ServerAddress[], current: ServerAddress | undefined, stillReadOnly: () => boolean, found: (server: ServerAddress) => void): void {
    this.stop();
    this.delay = this.opts.firstDelayMs;
    this.schedule(servers, current, stillReadOnly, found);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(servers: readonly ServerAddress[], current: ServerAddress | undefined, stillReadOnly: () => boolean, found: (server: ServerAddress) => void): void {
    this.timer = setTimeout(async () => {
      if (!stillReadOnly()) return;
      for (const server of servers) {
        if (server === current) continue;
        const answer = await askIsro(server, this.opts.timeoutMs, this.opts.tls);
        if (!stillReadOnly()) return;
        if (answer === 'rw') {
          found(server);
          return;
        }
      }
      this.delay = Math.min(60_000, this.delay * 2);
      this.schedule(servers, current, stillReadOnly, found);
    }, this.delay);
    this.timer.unref?.();
  }
}
