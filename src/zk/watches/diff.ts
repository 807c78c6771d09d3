// The heart of "every change, in order, with what changed": compares what was known about a node
// (its snapshot) with what a read found now, and says which changes happened in between. Versions
// do the counting (each setData adds 1 to version, each child created or deleted adds 1 to
// cversion, a re-created node has a new czxid), so changes that were never notified one by one —
// one-shot watches not yet re-armed, a reconnect, an expired session — are counted, not lost.
import { msg, type Message } from '../message';
import type { ChangeEvent, ChangeType, CatchUpCause, DataHead, NodeSnapshot, Observation } from './types';

export interface DiffContext {
  connection: string;
  path: string;
  time: number;
  /** Notifications that led to this read (empty for a comparison after a reconnect). */
  triggers: ReadonlySet<ChangeType>;
  /** How many dataChanged notifications were merged into this read (counts changes when no baseline is known). */
  dataNotifications: number;
  /** The node's children are watched (a node watch): report children changes. */
  children: boolean;
  catchUp?: CatchUpCause;
  /** Names listed per side in a children change (default 5). */
  maxNames?: number;
}

/** Set difference of two sorted name lists. */
export function diffNames(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { added: after.filter((n) => !b.has(n)), removed: before.filter((n) => !a.has(n)) };
}

/** The snapshot to keep after an observation: what was read replaces what was known. */
export function nextSnapshot(prev: NodeSnapshot | undefined, obs: Observation, keepChildren: boolean): NodeSnapshot {
  const counters: Partial<NodeSnapshot> = {};
  if (prev?.dataNotified !== undefined) counters.dataNotified = prev.dataNotified;
  if (prev?.dataAccounted !== undefined) counters.dataAccounted = prev.dataAccounted;
  if (!obs.exists) return { exists: false, ...counters };
  const sameNode = prev?.exists === true && prev.czxid !== undefined && prev.czxid === obs.czxid;
  const base: NodeSnapshot = sameNode ? { ...prev } : { exists: true, ...counters };
  const next: NodeSnapshot = { ...base, exists: true };
  for (const k of ['czxid', 'mzxid', 'pzxid', 'version', 'cversion', 'ephemeralOwner', 'numChildren', 'data'] as const) {
    if (obs[k] !== undefined) (next as unknown as Record<string, unknown>)[k] = obs[k];
  }
  if (!keepChildren || obs.childrenOverLimit) delete next.children;
  else if (obs.children !== undefined) next.children = obs.children;
  // Data read at an older version than the stat we hold now (data and stat came from two reads):
  // keep it, the next read corrects it.
  return next;
}

const owner = (o: string | undefined) => (o && o !== '0x0' ? o : undefined);

/**
 * The change lines implied by going from `prev` to `obs`. Deleted comes before created (a
 * re-created node), data before children. Returns nothing when nothing changed.
 */
export function diffSnapshot(prev: NodeSnapshot | undefined, obs: Observation, ctx: DiffContext): ChangeEvent[] {
  const out: ChangeEvent[] = [];
  const maxNames = ctx.maxNames ?? 5;
  const line = (type: ChangeType, fields: Partial<ChangeEvent>): ChangeEvent => {
    const e: ChangeEvent = { kind: 'change', time: ctx.time, connection: ctx.connection, type, path: ctx.path, ...fields };
    if (ctx.catchUp) e.catchUp = ctx.catchUp;
    for (const k of Object.keys(e) as (keyof ChangeEvent)[]) if (e[k] === undefined) delete e[k];
    return e;
  };
  const deletedLine = (p: NodeSnapshot | undefined, note?: Message) =>
    line('deleted', {
      prevVersion: p?.version,
      before: p?.data,
      ephemeralOwner: owner(p?.ephemeralOwner),
      prevNumChildren: ctx.children ? p?.numChildren : undefined,
      note,
    });
  const createdLine = (note?: Message) => {
    const later = obs.version ?? 0;
    return line('created', {
      version: obs.version,
      after: obs.data,
      zxid: obs.mzxid,
      ephemeralOwner: owner(obs.ephemeralOwner),
      numChildren: ctx.children ? obs.numChildren : undefined,
      changes: later > 0 ? 1 + later : undefined,
      note: note ?? (later === 1 ? msg('data changed 1 more time since it was created') : later > 1 ? msg('data changed {0} more times since it was created', later) : undefined),
    });
  };

  if (!obs.exists) {
    if (prev?.exists) {
      // Changes notified but never read (the node went first): counted, not shown.
      const unread = (prev.dataNotified ?? 0) - (prev.dataAccounted ?? 0);
      if (prev.dataNotified !== undefined && unread > 0) {
        out.push(
          line('dataChanged', {
            prevVersion: prev.version,
            version: prev.version !== undefined ? prev.version + unread : undefined,
            changes: unread,
            before: prev.data,
            ephemeralOwner: owner(prev.ephemeralOwner),
            note: msg('the new data could not be read: the node was deleted right after'),
          }),
        );
      }
      out.push(deletedLine(prev));
    } else if (prev === undefined) {
      // Nothing known before: say what the notifications said, and that it is gone now.
      if (ctx.triggers.has('created')) out.push(line('created', { note: msg('deleted again before it could be read') }));
      if (ctx.triggers.has('dataChanged')) out.push(line('dataChanged', { changes: Math.max(1, ctx.dataNotifications), firstSeen: true, note: msg('deleted before it could be read') }));
      if (ctx.triggers.size > 0) out.push(deletedLine(undefined));
    } else if (ctx.triggers.has('created')) {
      // Known missing, created and deleted again between the notification and the read.
      out.push(line('created', { note: msg('deleted again before it could be read') }));
      out.push(deletedLine(undefined));
    }
    return out;
  }

  const recreated = prev?.exists === true && prev.czxid !== undefined && obs.czxid !== undefined && prev.czxid !== obs.czxid;
  // Notified as deleted, yet here: deleted and created again before the read.
  const backAgain = prev === undefined && ctx.triggers.has('deleted');
  if (recreated) out.push(deletedLine(prev, msg('deleted and created again since the last event')));
  else if (backAgain) out.push(deletedLine(undefined));
  if (recreated || backAgain || prev?.exists === false || (prev === undefined && ctx.triggers.has('created'))) {
    out.push(createdLine());
    return out;
  }

  if (prev === undefined) {
    // A node of a large subtree seen for the first time: its earlier versions are unknown, so the
    // notifications count the changes.
    if (ctx.triggers.has('dataChanged')) {
      out.push(
        line('dataChanged', {
          version: obs.version,
          after: obs.data,
          zxid: obs.mzxid,
          changes: ctx.dataNotifications > 0 ? ctx.dataNotifications : undefined,
          firstSeen: true,
          ephemeralOwner: owner(obs.ephemeralOwner),
        }),
      );
    }
    if (ctx.children && ctx.triggers.has('childrenChanged')) {
      out.push(line('childrenChanged', { version: obs.cversion, numChildren: obs.numChildren, firstSeen: true }));
    }
    return out;
  }

  // The same node as before: count by versions.
  if (obs.version !== undefined && prev.version !== undefined && obs.version > prev.version) {
    let changes = obs.version - prev.version;
    let note: Message | undefined;
    // (Not for a comparison after a disconnect: those changes were never notified.)
    if (!ctx.catchUp && prev.countByNotifications && prev.dataNotified !== undefined && prev.dataAccounted !== undefined) {
      const uncounted = Math.max(0, prev.dataNotified - prev.dataAccounted);
      if (uncounted < changes) {
        changes = uncounted;
        note = changes === 0 ? msg('already counted in the line before') : msg('{0} of them already counted in the line before', obs.version - prev.version - changes);
      }
    }
    out.push(
      line('dataChanged', {
        prevVersion: prev.version,
        version: obs.version,
        changes,
        note,
        before: prev.data,
        after: obs.data,
        zxid: obs.mzxid,
        ephemeralOwner: owner(obs.ephemeralOwner),
      }),
    );
  }
  if (ctx.children && obs.cversion !== undefined && prev.cversion !== undefined && obs.cversion > prev.cversion) {
    const fields: Partial<ChangeEvent> = {
      prevVersion: prev.cversion,
      version: obs.cversion,
      changes: obs.cversion - prev.cversion,
      numChildren: obs.numChildren,
      prevNumChildren: prev.numChildren,
    };
    if (prev.children && obs.children) {
      const { added, removed } = diffNames(prev.children, obs.children);
      fields.added = added.slice(0, maxNames);
      fields.removed = removed.slice(0, maxNames);
      fields.addedCount = added.length;
      fields.removedCount = removed.length;
    }
    out.push(line('childrenChanged', fields));
  }
  return out;
}

/** How many data changes these lines stand for (what a snapshot's dataAccounted counts). */
export function dataChangesIn(lines: readonly ChangeEvent[]): number {
  let n = 0;
  for (const l of lines) {
    if (l.type === 'dataChanged') n += l.changes ?? (l.firstSeen ? 0 : 1);
    else if (l.type === 'created' && l.changes !== undefined) n += l.changes - 1;
  }
  return n;
}

/** Reads that a change of these kinds calls for (the data, the children), persistent watches. */
export function readsFor(triggers: ReadonlySet<ChangeType>): { data: boolean; children: boolean } {
  return {
    data: triggers.has('created') || triggers.has('dataChanged'),
    children: triggers.has('created') || triggers.has('childrenChanged'),
  };
}

export function sameHead(a: DataHead | undefined, b: DataHead | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.size !== b.size || a.head.length !== b.head.length) return false;
  for (let i = 0; i < a.head.length; i++) if (a.head[i] !== b.head[i]) return false;
  return true;
}
