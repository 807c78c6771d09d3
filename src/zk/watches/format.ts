// One line per event, for the "ZooKeeper Watches" channel: time, connection, what happened, path,
// and what changed. A pure function of the event, so it is tested on its own.
import { formatSize, previewChange, previewOne, safeName, type PreviewOptions } from './preview';
import type { CatchUpCause, ChangeEvent, ChangeType, WatchLogEvent } from './types';

export interface FormatOptions extends PreviewOptions {
  /** Time zone of the timestamp (default: local time). */
  utc?: boolean;
}

const TYPE_LABELS: Record<ChangeType, string> = {
  created: 'created',
  deleted: 'deleted',
  dataChanged: 'data changed',
  childrenChanged: 'children changed',
};

const CATCH_UP_LABELS: Record<CatchUpCause, string> = {
  reconnect: 'while disconnected',
  sessionExpired: 'while disconnected (session expired)',
  reopened: 'while the connection was closed',
  rearmed: 'while the watch was not set',
  restored: 'while VS Code was not watching',
};

export function catchUpLabel(cause: CatchUpCause): string {
  return CATCH_UP_LABELS[cause];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatTime(ms: number, utc = false): string {
  const d = new Date(ms);
  return utc
    ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
    : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

const plural = (n: number, one: string, many = one + 's') => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

function names(list: string[], total: number, owners?: Record<string, string>): string {
  const shown = list.map((n) => (owners?.[n] ? `${safeName(n)} (session ${owners[n]})` : safeName(n))).join(', ');
  return total > list.length ? `${shown}, … ${plural(total - list.length, 'more', 'more')}` : shown;
}

function changeDetails(e: ChangeEvent, opts: FormatOptions): string[] {
  const parts: string[] = [];
  const coalesced = (e.changes ?? 1) > 1;
  switch (e.type) {
    case 'created':
      if (e.version !== undefined) parts.push(`v${e.version}`);
      if (e.after) parts.push(formatSize(e.after.size), previewOne(e.after, opts));
      if (e.numChildren !== undefined && e.numChildren > 0) parts.push(plural(e.numChildren, 'child', 'children'));
      break;
    case 'deleted': {
      const was: string[] = [];
      if (e.prevVersion !== undefined) was.push(`v${e.prevVersion}`);
      if (e.before) was.push(formatSize(e.before.size), ...(e.before.sizeOnly ? [] : [previewOne(e.before, opts)]));
      if (was.length > 0) parts.push(`was ${was.join(' · ')}`);
      break;
    }
    case 'dataChanged':
      if (e.firstSeen) {
        if (e.version !== undefined) parts.push(`now v${e.version}`);
        parts.push(e.changes !== undefined ? `${plural(e.changes, 'change')} notified; earlier versions not seen` : 'earlier versions not seen');
      } else {
        if (e.prevVersion !== undefined && e.version !== undefined) parts.push(`v${e.prevVersion}→v${e.version}`);
        else if (e.version !== undefined) parts.push(`v${e.version}`);
        if (coalesced) parts.push(`${plural(e.changes!, 'change')} since last event (coalesced)`);
      }
      if (e.before?.sizeOnly && e.after) {
        // From a saved state: its data was never stored, only its size and digest.
        const same = e.before.digest !== undefined && e.before.digest === e.after.digest;
        parts.push(`${e.before.size.toLocaleString('en')} → ${plural(e.after.size, 'byte')}`);
        parts.push(same ? 'the same bytes as before' : `now ${previewOne(e.after, opts)}`);
      } else if (e.before && e.after) {
        parts.push(e.before.size === e.after.size ? formatSize(e.after.size) : `${formatSize(e.before.size)}→${formatSize(e.after.size)}`);
        parts.push(previewChange(e.before, e.after, opts));
      } else if (e.after) {
        parts.push(formatSize(e.after.size), previewOne(e.after, opts));
      }
      break;
    case 'childrenChanged': {
      if (e.addedCount !== undefined && e.removedCount !== undefined) {
        parts.push(`+${e.addedCount} -${e.removedCount}`);
        if (e.addedCount > 0) parts.push(`added: ${names(e.added ?? [], e.addedCount, e.addedOwners)}`);
        if (e.removedCount > 0) parts.push(`removed: ${names(e.removed ?? [], e.removedCount)}`);
        const unexplained = (e.changes ?? 0) - e.addedCount - e.removedCount;
        if (unexplained > 0) parts.push(`${plural(unexplained, 'more change')} in between (created and deleted again, coalesced)`);
      } else if (e.firstSeen) {
        parts.push('first change seen on this node');
      } else if (e.prevVersion !== undefined && e.version !== undefined) {
        parts.push(`cversion ${e.prevVersion}→${e.version}`);
        if (coalesced) parts.push(`${plural(e.changes!, 'change')} since last event (coalesced)`);
      }
      if (e.numChildren !== undefined) {
        parts.push(
          e.prevNumChildren !== undefined && e.prevNumChildren !== e.numChildren
            ? `${e.prevNumChildren.toLocaleString('en')}→${plural(e.numChildren, 'child', 'children')}`
            : plural(e.numChildren, 'child', 'children'),
        );
      }
      break;
    }
  }
  if (e.ephemeralOwner) parts.push(`ephemeral, session ${e.ephemeralOwner}`);
  if (e.note) parts.push(e.note);
  return parts;
}

/** The line for one event (no trailing newline, never more than one line). */
export function formatWatchEvent(e: WatchLogEvent, opts: FormatOptions = {}): string {
  const head = `${formatTime(e.time, opts.utc)} [${safeName(e.connection)}]`;
  if (e.kind === 'notice') {
    return `${head} ${e.path ? safeName(e.path) + ': ' : ''}${oneLine(e.message)}`;
  }
  const details = changeDetails(e, opts);
  const tail = e.catchUp ? ` [${CATCH_UP_LABELS[e.catchUp]}]` : '';
  return `${head} ${TYPE_LABELS[e.type]} ${safeName(e.path)}${details.length ? ' · ' + details.join(' · ') : ''}${tail}`;
}

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, ' ⏎ ');
}
