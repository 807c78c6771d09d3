// One line per event, for the "ZooKeeper Watches" channel: time, connection, what happened, path,
// and what changed. A pure function of the event, so it is tested on its own. Its fixed words, a
// notice's message and a change's note go through the Translate in the options (the adapter passes
// vscode.l10n.t; English by default).
import { english, localizable, type Translate } from '../localize';
import { renderMessage } from '../message';
import { formatSize, previewChange, previewOne, safeName, type PreviewOptions } from './preview';
import type { CatchUpCause, ChangeEvent, ChangeType, WatchLogEvent } from './types';

export interface FormatOptions extends PreviewOptions {
  /** Time zone of the timestamp (default: local time). */
  utc?: boolean;
}

const TYPE_LABELS: Record<ChangeType, string> = {
  created: localizable('created'),
  deleted: localizable('deleted'),
  dataChanged: localizable('data changed'),
  childrenChanged: localizable('children changed'),
};

const CATCH_UP_LABELS: Record<CatchUpCause, string> = {
  reconnect: localizable('while disconnected'),
  sessionExpired: localizable('while disconnected (session expired)'),
  reopened: localizable('while the connection was closed'),
  rearmed: localizable('while the watch was not set'),
  restored: localizable('while VS Code was not watching'),
};

export function catchUpLabel(cause: CatchUpCause, t: Translate = english): string {
  return t(CATCH_UP_LABELS[cause]);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatTime(ms: number, utc = false): string {
  const d = new Date(ms);
  return utc
    ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
    : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

const count = (n: number) => n.toLocaleString('en');
/** "1 child" / "3 children": both forms are bundle keys (a language may word them alike). */
const children = (t: Translate, n: number) => (n === 1 ? t('1 child') : t('{0} children', count(n)));
const changes = (t: Translate, n: number) => (n === 1 ? t('1 change') : t('{0} changes', count(n)));

function names(t: Translate, list: string[], total: number, owners?: Record<string, string>): string {
  const shown = list.map((n) => (owners?.[n] ? t('{0} (session {1})', safeName(n), owners[n]) : safeName(n))).join(', ');
  return total > list.length ? `${shown}, … ${t('{0} more', count(total - list.length))}` : shown;
}

function changeDetails(e: ChangeEvent, opts: FormatOptions): string[] {
  const t = opts.t ?? english;
  const parts: string[] = [];
  const coalesced = (e.changes ?? 1) > 1;
  switch (e.type) {
    case 'created':
      if (e.version !== undefined) parts.push(`v${e.version}`);
      if (e.after) parts.push(formatSize(e.after.size), previewOne(e.after, opts));
      if (e.numChildren !== undefined && e.numChildren > 0) parts.push(children(t, e.numChildren));
      break;
    case 'deleted': {
      const was: string[] = [];
      if (e.prevVersion !== undefined) was.push(`v${e.prevVersion}`);
      if (e.before) was.push(formatSize(e.before.size), ...(e.before.sizeOnly ? [] : [previewOne(e.before, opts)]));
      if (was.length > 0) parts.push(t('was {0}', was.join(' · ')));
      break;
    }
    case 'dataChanged':
      if (e.firstSeen) {
        if (e.version !== undefined) parts.push(t('now v{0}', e.version));
        parts.push(e.changes !== undefined ? t('{0} notified; earlier versions not seen', changes(t, e.changes)) : t('earlier versions not seen'));
      } else {
        if (e.prevVersion !== undefined && e.version !== undefined) parts.push(`v${e.prevVersion}→v${e.version}`);
        else if (e.version !== undefined) parts.push(`v${e.version}`);
        if (coalesced) parts.push(t('{0} since last event (coalesced)', changes(t, e.changes!)));
      }
      if (e.before?.sizeOnly && e.after) {
        // From a saved state: its data was never stored, only its size and digest.
        const same = e.before.digest !== undefined && e.before.digest === e.after.digest;
        parts.push(`${count(e.before.size)} → ${e.after.size === 1 ? t('1 byte') : t('{0} bytes', count(e.after.size))}`);
        parts.push(same ? t('the same bytes as before') : t('now {0}', previewOne(e.after, opts)));
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
        if (e.addedCount > 0) parts.push(t('added: {0}', names(t, e.added ?? [], e.addedCount, e.addedOwners)));
        if (e.removedCount > 0) parts.push(t('removed: {0}', names(t, e.removed ?? [], e.removedCount)));
        const unexplained = (e.changes ?? 0) - e.addedCount - e.removedCount;
        if (unexplained > 0) {
          parts.push(unexplained === 1 ? t('1 more change in between (created and deleted again, coalesced)') : t('{0} more changes in between (created and deleted again, coalesced)', count(unexplained)));
        }
      } else if (e.firstSeen) {
        parts.push(t('first change seen on this node'));
      } else if (e.prevVersion !== undefined && e.version !== undefined) {
        parts.push(`cversion ${e.prevVersion}→${e.version}`);
        if (coalesced) parts.push(t('{0} since last event (coalesced)', changes(t, e.changes!)));
      }
      if (e.numChildren !== undefined) {
        parts.push(
          e.prevNumChildren !== undefined && e.prevNumChildren !== e.numChildren
            ? `${count(e.prevNumChildren)}→${children(t, e.numChildren)}`
            : children(t, e.numChildren),
        );
      }
      break;
    }
  }
  if (e.ephemeralOwner) parts.push(t('ephemeral, session {0}', e.ephemeralOwner));
  if (e.note) parts.push(renderMessage(e.note, t));
  return parts;
}

/** The line for one event (no trailing newline, never more than one line). */
export function formatWatchEvent(e: WatchLogEvent, opts: FormatOptions = {}): string {
  const head = `${formatTime(e.time, opts.utc)} [${safeName(e.connection)}]`;
  const t = opts.t ?? english;
  if (e.kind === 'notice') {
    return `${head} ${e.path ? safeName(e.path) + ': ' : ''}${oneLine(renderMessage(e.message, t))}`;
  }
  const details = changeDetails(e, opts);
  const tail = e.catchUp ? ` [${t(CATCH_UP_LABELS[e.catchUp])}]` : '';
  return `${head} ${t(TYPE_LABELS[e.type])} ${safeName(e.path)}${details.length ? ' · ' + details.join(' · ') : ''}${tail}`;
}

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, ' ⏎ ');
}
