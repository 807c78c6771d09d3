// Formatting of the panel's figures: pure functions (no DOM), so they are unit-tested in Node.
import { t } from './l10n';
import type { HealthLevel, ServerRow, ZxidLag } from '../../src/protocol/health';

const NONE = '—';

export function num(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return NONE;
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export function ms(n: number | undefined): string {
  return n === undefined ? NONE : `${num(n)} ms`;
}

/** Latency min/avg/max in one cell. */
export function latency(r: Pick<ServerRow, 'latencyMin' | 'latencyAvg' | 'latencyMax'>): string {
  if (r.latencyMin === undefined && r.latencyAvg === undefined && r.latencyMax === undefined) return NONE;
  return `${num(r.latencyMin)} / ${num(r.latencyAvg)} / ${num(r.latencyMax)}`;
}

export function bytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n) || n < 0) return NONE;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function duration(msValue: number | undefined): string {
  if (msValue === undefined || !Number.isFinite(msValue) || msValue < 0) return NONE;
  const s = Math.floor(msValue / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function fds(r: Pick<ServerRow, 'openFds' | 'maxFds'>): string {
  if (r.openFds === undefined) return NONE;
  return r.maxFds !== undefined ? `${num(r.openFds)} / ${num(r.maxFds)}` : num(r.openFds);
}

export function lag(l: ZxidLag | undefined): string {
  if (!l) return NONE;
  if (l.txns === 0) return t('in step');
  const txns = l.txns === 1 ? t('1 txn') : t('{0} txns', num(l.txns));
  return l.epochs > 0 ? t('{0} (older epoch)', txns) : txns;
}

export function leaderFigures(r: Pick<ServerRow, 'learners' | 'syncedFollowers' | 'pendingSyncs'>): string {
  if (r.learners === undefined && r.syncedFollowers === undefined && r.pendingSyncs === undefined) return NONE;
  return `${num(r.learners)} / ${num(r.syncedFollowers)} / ${num(r.pendingSyncs)}`;
}

export function reachText(r: Pick<ServerRow, 'reach' | 'notServing'>): string {
  switch (r.reach) {
    case 'up':
      return r.notServing ? t('up, not serving') : t('up');
    case 'down':
      return t('down');
    case 'timeout':
      return t('no answer');
    case 'pending':
      return t('checking…');
    case 'notPolled':
      return t('not polled');
  }
}

/** 'ok' | 'warn' | 'bad' | 'muted': the class of the state cell. */
export function reachTone(r: Pick<ServerRow, 'reach' | 'notServing'>): 'ok' | 'warn' | 'bad' | 'muted' {
  if (r.reach === 'up') return r.notServing ? 'bad' : 'ok';
  if (r.reach === 'down' || r.reach === 'timeout') return 'bad';
  return 'muted';
}

export function levelText(l: HealthLevel): string {
  return { healthy: t('Healthy'), degraded: t('Degraded'), down: t('Down'), unknown: t('Checking') }[l];
}

export function sourceText(s: ServerRow['source']): string {
  return { fourLetterWords: '4lw', adminServer: 'AdminServer', both: '4lw + AdminServer', none: NONE }[s];
}

/** "3 s ago" style age for "updated" cells. */
export function age(at: number | undefined, now: number): string {
  if (at === undefined) return NONE;
  const s = Math.max(0, Math.round((now - at) / 1000));
  return s < 2 ? t('now') : s < 120 ? t('{0} s ago', s) : t('{0} min ago', Math.round(s / 60));
}

/** "12s ago", "3m 5s ago" for a past moment (a clock ahead of ours gives "just now"). */
export function ago(at: number | undefined, now: number): string {
  if (at === undefined || !Number.isFinite(at)) return NONE;
  return now - at < 1000 ? t('just now') : t('{0} ago', duration(now - at));
}

/** Packets received / sent by a client. */
export function receivedSent(r: { received?: number; sent?: number }): string {
  if (r.received === undefined && r.sent === undefined) return NONE;
  return `${num(r.received)} / ${num(r.sent)}`;
}

/** "1,234 connections (via the AdminServer)" for a server's Clients section. */
export function clientsCaption(c: { total: number; via?: 'cons' | 'adminServer' }): string {
  const n = c.total === 1 ? t('1 connection') : t('{0} connections', num(c.total));
  return c.via === 'adminServer' ? t('{0} (from the AdminServer; cons is not whitelisted)', n) : n;
}

/** "and 20 more (the 100 with the most requests are shown)", or '' when every connection is shown. */
export function moreText(c: { more: number; rows: readonly unknown[] }): string {
  return c.more > 0 ? t('and {0} more (the {1} with the most requests are shown)', num(c.more), num(c.rows.length)) : '';
}
