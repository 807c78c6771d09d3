// Test helper: what a WatchManager emitted, as lines and as change events, with version accounting.
import { formatWatchEvent, type ChangeEvent, type WatchLogEvent } from '../../../src/zk/watches';

/** The watch log of one WatchManager, as lines would be written. */
export class LogRecorder {
  events: WatchLogEvent[] = [];
  readonly push = (e: WatchLogEvent) => {
    this.events.push(e);
  };
  changes(filter: (c: ChangeEvent) => boolean = () => true): ChangeEvent[] {
    return this.events.filter((e): e is ChangeEvent => e.kind === 'change' && filter(e));
  }
  lines(): string[] {
    return this.events.map((e) => formatWatchEvent(e));
  }
  /** Sum of the changes that data-changed lines of `path` stand for, and whether versions chain. */
  accounted(path: string): { total: number; chained: boolean; last?: number } {
    let total = 0;
    let chained = true;
    let last: number | undefined;
    for (const c of this.changes((c) => c.path === path && c.type === 'dataChanged')) {
      total += c.changes ?? 1;
      if (last !== undefined && c.prevVersion !== last) chained = false;
      if (c.prevVersion === undefined || c.version === undefined || c.version - c.prevVersion !== c.changes) chained = false;
      last = c.version;
    }
    return { total, chained, last };
  }
  dump(n = 30): string {
    return this.lines().slice(-n).join('\n');
  }
}

export const sessionBuffer = (hex: string) => Buffer.from(hex.slice(2).padStart(16, '0'), 'hex');
