// Reading for a record: the node is read as the record needs (data, children, both; one-shot
// watches armed by the same read), compared with its snapshot, and the lines it makes are returned.
// One-shot subtrees follow their new children here.
import { isZkError } from '../errors';
import { messageOfError, msg, type Message } from '../message';
import { joinPath } from '../paths';
import type { Arming } from './arming';
import type { Interest } from './interest';
import { dataChangesIn, diffNames, diffSnapshot, nextSnapshot, readsFor } from './diff';
import type { Lru } from './lru';
import { RETRY, type EnqueueOptions, type Rec } from './recordQueue';
import type { ChangeEvent, ChangeType, NodeSnapshot, NoticeEvent, Observation, WatchKind, WatchLogEvent } from './types';
import { watchKey, type ActiveWatch, type WatchClient, type WatchManagerOptions } from './watchOptions';

const CONNECTION_CODES = new Set(['CONNECTIONLOSS', 'SESSIONEXPIRED', 'REQUEST_DEADLINE', 'CLOSED', 'SESSIONMOVED']);


/** The manager's state a reader works on. */
export interface ReaderHost {
  readonly options: WatchManagerOptions;
  readonly connection: string;
  readonly watches: ReadonlyMap<string, ActiveWatch>;
  readonly pinned: Map<string, NodeSnapshot>;
  readonly lru: Lru<string, NodeSnapshot>;
  /** dataChanged notifications of nodes without a snapshot yet (persistent watches), by path. */
  readonly unseen: Map<string, number>;
  readonly counters: { reads: number; notifications: number; skippedDetails: number };
  readonly arming: Arming;
  client(): WatchClient | undefined;
  isUp(): boolean;
  unresolved(): number;
  interest(path: string): Interest;
  isPinned(path: string): boolean;
  snapshotOf(path: string): NodeSnapshot | undefined;
  store(path: string, snap: NodeSnapshot | undefined): void;
  enqueue(path: string, opts: EnqueueOptions): void;
  notice(level: NoticeEvent['level'], message: Message, path?: string): void;
  noticeEvent(level: NoticeEvent['level'], message: Message, path?: string): NoticeEvent;
}

export class RecordReader {
  constructor(private readonly m: ReaderHost) {}

  /** Reads the node as the record needs, compares with its snapshot, and returns the lines. */
  async execute(rec: Rec): Promise<WatchLogEvent[] | typeof RETRY> {
    const client = this.m.client();
    const path = rec.path;
    const i = this.m.interest(path);
    if (!client || (!i.data && !i.keepChildren)) return [];
    const prev = this.m.snapshotOf(path);

    // Overloaded: say what the notifications said, without reading (snapshots of nodes not
    // pinned are forgotten, the next read of such a node starts afresh).
    if (!i.pinned && !rec.baseline && !rec.catchUp && this.m.unresolved() > this.m.options.maxPending) {
      this.m.counters.skippedDetails++;
      this.m.lru.delete(path);
      this.m.unseen.delete(path);
      const note = msg('details not read: {0} events waiting', this.m.unresolved().toLocaleString('en'));
      return [...rec.triggers].map((type) => this.changeLine(rec, type, { note, changes: type === 'dataChanged' && rec.dataNotifications > 1 ? rec.dataNotifications : undefined }));
    }

    let needData: boolean;
    let needChildren: boolean;
    if (rec.baseline || rec.catchUp || i.oneShot) {
      needData = true;
      needChildren = i.keepChildren;
    } else {
      const r = readsFor(rec.triggers);
      needData = r.data;
      needChildren = r.children && i.keepChildren;
    }
    const armed = this.m.arming.stateOf(path);
    // After a disconnect or a dropped watch the flags cannot be trusted: set them all again.
    const force = rec.catchUp !== undefined;
    const arm = i.oneShot ? { data: force || !armed.data, child: i.keepChildren && (force || !armed.child), exists: i.armExists } : undefined;

    let obs: Observation;
    try {
      obs = needData || needChildren ? await this.m.arming.observe(client, path, needData, needChildren, arm) : { exists: false };
    } catch (e) {
      const connection = isZkError(e) && CONNECTION_CODES.has(e.code);
      if (client !== this.m.client() || (connection && (!this.m.isUp() || rec.attempts < 3))) return RETRY;
      const note = connection
        ? msg('details not read ({0}); compared again when the connection is back', messageOfError(e))
        : msg('could not read: {0}', messageOfError(e));
      if (rec.baseline === 'announce') return [this.m.noticeEvent('warn', msg('watch set, but its current state could not be read: {0}', messageOfError(e)), path)];
      return [...rec.triggers].map((type) => this.changeLine(rec, type, { note }));
    }
    if (client !== this.m.client()) return RETRY; // the session changed meanwhile: read on the new one

    const lines: WatchLogEvent[] = rec.baseline
      ? []
      : diffSnapshot(prev, obs, {
          connection: this.m.connection,
          path,
          time: rec.time,
          triggers: rec.triggers,
          dataNotifications: prev === undefined && this.m.unseen.has(path) ? this.m.unseen.get(path)! : rec.dataNotifications,
          children: i.nodeWatched,
          catchUp: rec.catchUp,
          maxNames: this.m.options.maxNames,
        });
    const next = nextSnapshot(prev, obs, i.keepChildren);
    if (!i.oneShot) {
      // Persistent: every data change is notified; count them from the first snapshot on.
      // A baseline, or a comparison after notifications may have been lost, starts counting afresh.
      const changeLines = lines.filter((l): l is ChangeEvent => l.kind === 'change');
      if (rec.baseline || rec.catchUp) {
        next.dataNotified = 0;
        next.dataAccounted = 0;
        delete next.countByNotifications;
      } else if (next.dataNotified === undefined) {
        // First snapshot of this node: the notifications so far were counted by its lines.
        next.dataNotified = this.m.unseen.get(path) ?? 0;
        next.dataAccounted = dataChangesIn(changeLines);
        if (changeLines.some((l) => l.firstSeen && l.type === 'dataChanged')) {
          next.countByNotifications = true;
          next.dataAccounted = next.dataNotified;
        }
      } else {
        next.dataAccounted = (next.dataAccounted ?? 0) + dataChangesIn(changeLines);
      }
    } else {
      delete next.dataNotified;
      delete next.dataAccounted;
      delete next.countByNotifications;
    }
    this.m.unseen.delete(path);
    this.m.store(path, next);

    if (rec.baseline === 'announce') lines.push(this.baselineNotice(path, obs, rec.announce ?? 'node'));
    if (i.nodeWatched) await this.lookUpOwners(client, path, lines);
    this.followSubtree(rec, path, prev, obs);
    return lines;
  }

  changeLine(rec: Rec, type: ChangeType, fields: Partial<ChangeEvent>): ChangeEvent {
    const e: ChangeEvent = { kind: 'change', time: rec.time, connection: this.m.connection, type, path: rec.path };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) (e as unknown as Record<string, unknown>)[k] = v;
    if (rec.catchUp) e.catchUp = rec.catchUp;
    return e;
  }

  private baselineNotice(path: string, obs: Observation, kind: WatchKind): NoticeEvent {
    const w = this.m.watches.get(watchKey(kind, path));
    const node = kind === 'node';
    const sub = kind === 'subtree' ? w : undefined;
    const parts: (Message | string)[] = [];
    const how =
      w?.mode === 'oneShot'
        ? sub
          ? msg('one-shot watches, re-armed after each event (up to {0} nodes)', this.m.options.oneShotSubtreeLimit.toLocaleString('en'))
          : msg('one-shot watches, re-armed after each event')
        : sub
          ? msg('persistent recursive watch')
          : msg('persistent watch');
    if (!obs.exists) parts.push(msg('does not exist yet: its creation will be reported'));
    else {
      if (obs.version !== undefined) parts.push(`v${obs.version}`);
      if (obs.data) parts.push(`${obs.data.size.toLocaleString('en')} B`);
      if (node && obs.numChildren !== undefined) parts.push(obs.numChildren === 1 ? msg('1 child') : msg('{0} children', obs.numChildren.toLocaleString('en')));
      if (sub?.count !== undefined) parts.push(msg('{0} nodes in the subtree', (sub.count + 1).toLocaleString('en')));
      if (obs.ephemeralOwner && obs.ephemeralOwner !== '0x0') parts.push(msg('ephemeral, session {0}', obs.ephemeralOwner));
    }
    // The parts are joined as the log joins a line's details (" · "), each translated on its own.
    const watching = node ? msg('watching node (data and children), {0}', how) : msg('watching subtree, {0}', how);
    return this.m.noticeEvent('info', parts.reduce<Message>((line, part) => msg('{0} · {1}', line, part), watching), path);
  }

  /** One-shot subtrees: new children get watches (and are reported created), gone ones are dropped. */
  private followSubtree(rec: Rec, path: string, prev: NodeSnapshot | undefined, obs: Observation): void {
    for (const w of this.m.watches.values()) {
      if (w.kind !== 'subtree' || w.mode !== 'oneShot' || !w.tracked?.has(path)) continue;
      if (!obs.exists) {
        if (path !== w.path) {
          w.tracked.delete(path);
          if (!this.m.isPinned(path)) {
            this.m.pinned.delete(path);
            this.m.arming.forget(path);
          }
        }
        continue;
      }
      if (!obs.children) continue;
      const before = prev?.exists && prev.children ? prev.children : [];
      const added = rec.baseline ? obs.children : diffNames(before, obs.children).added;
      for (const name of added) {
        const child = joinPath(path, name);
        if (w.tracked.has(child)) continue;
        if (w.tracked.size >= this.m.options.oneShotSubtreeLimit) {
          if (!w.overLimitNoticed) {
            w.overLimitNoticed = true;
            this.m.notice('warn', msg('more than {0} nodes: nodes beyond them are not watched (this server has no persistent watches)', this.m.options.oneShotSubtreeLimit.toLocaleString('en')), w.path);
          }
          break;
        }
        w.tracked.add(child);
        if (rec.baseline) this.m.enqueue(child, { baseline: 'silent' });
        else this.m.enqueue(child, { trigger: 'created', catchUp: rec.catchUp });
      }
    }
  }

  private async lookUpOwners(client: WatchClient, path: string, lines: WatchLogEvent[]): Promise<void> {
    for (const line of lines) {
      if (line.kind !== 'change' || line.type !== 'childrenChanged' || !line.added?.length) continue;
      const names = line.added.slice(0, this.m.options.ownerLookups);
      const stats = await Promise.all(names.map((n) => client.exists(joinPath(path, n)).catch(() => undefined)));
      names.forEach((n, idx) => {
        const o = stats[idx]?.ephemeralOwner;
        if (o && o !== '0x0') (line.addedOwners ??= {})[n] = o;
      });
    }
  }
}
