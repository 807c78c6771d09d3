// Catch-up by zxid: after a watch was down (disconnect, new session, a watch dropped by someone
// else, a restored state), what is known is compared with the server, and nodes of a persistent
// subtree never seen are found by their zxids (created or changed after the last zxid seen),
// within a bounded walk.
import { isZkError } from '../errors';
import { messageOfError, msg, type Message } from '../message';
import { parentPath } from '../paths';
import type { ZnodeStat } from '../stat';
import type { EnqueueOptions } from './recordQueue';
import type { CatchUpCause, NoticeEvent, WatchLogEvent } from './types';
import { boundedWalk } from './walk';
import { compareZxid, within, type ActiveWatch, type WatchClient, type WatchManagerOptions } from './watchOptions';

export interface CatchUpHost {
  readonly options: WatchManagerOptions;
  readonly connection: string;
  client(): WatchClient | undefined;
  /** The watch is still wanted. */
  watching(w: ActiveWatch): boolean;
  /** Paths with a snapshot of their own (seen before), most recently used last. */
  seenPaths(): Iterable<string>;
  enqueue(path: string, opts: EnqueueOptions): void;
  notice(level: NoticeEvent['level'], message: Message, path?: string): void;
  resolved(lines: WatchLogEvent[]): void;
}

/** Compares what is known with the server after the watch was down, and sets one-shot watches again. */
export async function catchUpWatch(m: CatchUpHost, w: ActiveWatch, cause: CatchUpCause, zxid: string | undefined): Promise<void> {
  if (!m.watching(w) || !m.client()) return;
  if (w.kind === 'node') {
    m.enqueue(w.path, { catchUp: cause });
    return;
  }
  if (w.mode === 'oneShot') {
    for (const p of w.tracked ?? [w.path]) m.enqueue(p, { catchUp: cause });
    return;
  }
  // Persistent recursive: the nodes seen before, then the others by zxid.
  const known = new Set<string>([w.path]);
  m.enqueue(w.path, { catchUp: cause });
  for (const p of m.seenPaths()) {
    if (p !== w.path && within(p, w.path)) {
      known.add(p);
      m.enqueue(p, { catchUp: cause });
    }
  }
  const client = m.client()!;
  if (!zxid) {
    m.notice(
      'warn',
      msg('compared the {0} nodes seen before; other nodes of the subtree changed while disconnected cannot be found (the last zxid is unknown)', known.size.toLocaleString('en')),
      w.path,
    );
    return;
  }
  const count = await client.getAllChildrenNumber(w.path).catch(() => undefined);
  if (count !== undefined && count + 1 > m.options.catchUpWalkLimit) {
    m.notice(
      'warn',
      msg(
        'the subtree has {0} nodes, more than the {1} read after a disconnect: only the {2} nodes seen before were compared; other changes made while disconnected are not listed',
        (count + 1).toLocaleString('en'),
        m.options.catchUpWalkLimit.toLocaleString('en'),
        known.size.toLocaleString('en'),
      ),
      w.path,
    );
    return;
  }
  const changedParents = new Map<string, ZnodeStat>();
  const explained = new Set<string>();
  try {
    await boundedWalk(client, w.path, {
      concurrency: 16,
      limit: m.options.catchUpWalkLimit,
      onNode: (n) => {
        const createdSince = compareZxid(n.stat.czxid, zxid) > 0;
        if (!createdSince && compareZxid(n.stat.pzxid, zxid) > 0) changedParents.set(n.path, n.stat);
        if (known.has(n.path)) return;
        if (createdSince) {
          explained.add(parentPath(n.path));
          m.enqueue(n.path, { catchUp: cause, trigger: 'created' });
        } else if (compareZxid(n.stat.mzxid, zxid) > 0) {
          m.enqueue(n.path, { catchUp: cause, trigger: 'dataChanged', notified: 0 });
        }
      },
    });
  } catch (e) {
    if (!isZkError(e, 'NONODE')) m.notice('warn', msg('could not look for changes made while disconnected: {0}', messageOfError(e)), w.path);
    return;
  }
  // A parent whose children changed without a new child to show for it lost children.
  for (const [p, stat] of changedParents) {
    if (explained.has(p) || known.has(p)) continue;
    m.resolved([
      {
        kind: 'change',
        time: m.options.now(),
        connection: m.connection,
        type: 'childrenChanged',
        path: p,
        numChildren: stat.numChildren,
        catchUp: cause,
        note: msg('children deleted (names not known: they had not been seen)'),
      },
    ]);
  }
}
