// A small bounded breadth-first walk for the watch manager: seeding a small subtree's snapshots and
// finding nodes changed while disconnected. It stops at `limit` nodes and never holds more than
// the frontier; nodes that vanish mid-walk are skipped.
import { isZkError } from '../errors';
import { joinPath } from '../paths';
import type { ZnodeStat } from '../stat';

export interface WalkClient {
  getChildren(path: string): Promise<{ children: string[]; stat: ZnodeStat }>;
  getData(path: string): Promise<{ data: Uint8Array; stat: ZnodeStat }>;
}

export interface WalkVisit {
  path: string;
  stat: ZnodeStat;
  data?: Uint8Array;
}

/** Visits up to `limit` nodes under (and including) root; resolves with the number visited and whether it stopped early. */
export async function boundedWalk(
  client: WalkClient,
  root: string,
  opts: { limit: number; concurrency: number; withData?: boolean; onNode: (n: WalkVisit) => void },
): Promise<{ visited: number; truncated: boolean }> {
  let frontier: string[] = [root];
  let head = 0;
  let visited = 0;
  let truncated = false;
  let inFlight = 0;
  return new Promise((resolve, reject) => {
    let failed = false;
    const visit = async (path: string) => {
      let listed: { children: string[]; stat: ZnodeStat };
      let data: { data: Uint8Array; stat: ZnodeStat } | undefined;
      try {
        [listed, data] = await Promise.all([client.getChildren(path), opts.withData ? client.getData(path) : undefined]);
      } catch (e) {
        if (path !== root && isZkError(e, 'NONODE')) return;
        throw e;
      }
      if (failed) return;
      if (visited >= opts.limit) {
        truncated = true;
        return;
      }
      visited++;
      opts.onNode({ path, stat: data?.stat ?? listed.stat, data: data?.data });
      for (const c of listed.children) {
        if (visited + (frontier.length - head) + (inFlight - 1) >= opts.limit) {
          truncated = true;
          break;
        }
        frontier.push(joinPath(path, c));
      }
    };
    const pump = () => {
      while (!failed && inFlight < opts.concurrency && head < frontier.length) {
        const p = frontier[head++];
        inFlight++;
        visit(p).then(
          () => {
            inFlight--;
            pump();
          },
          (e: unknown) => {
            failed = true;
            reject(e);
          },
        );
      }
      if (head > 4096 && head * 2 > frontier.length) {
        frontier = frontier.slice(head);
        head = 0;
      }
      if (!failed && inFlight === 0 && head >= frontier.length) resolve({ visited, truncated });
    };
    pump();
  });
}
