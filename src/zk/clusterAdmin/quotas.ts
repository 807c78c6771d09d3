// ZooKeeper quotas as data: the server keeps a quota on path P in two nodes,
// `/zookeeper/quota<P>/zookeeper_limits` (what the operator set) and `…/zookeeper_stats` (what the
// server counts: nodes in the subtree, the root included, and the bytes of their data). Both hold
// StatsTrack text: `count=5,bytes=100` before 3.7, and since 3.7 the hard limits after a `=;` that
// keeps older parsers working: `count=5,bytes=-1=;byteHardLimit=50;countHardLimit=-1`. -1 means
// "no limit". Soft limits are only logged by the server; hard limits refuse writes (QUOTAEXCEEDED)
// when it runs with enforceQuota=true. Pure: parsing, formatting, usage and the alerts.

import { english, type Translate } from '../localize';
import { joinMessages, msg, renderMessage, type Message } from '../message';

export const QUOTA_ROOT = '/zookeeper/quota';
export const LIMITS_NODE = 'zookeeper_limits';
export const STATS_NODE = 'zookeeper_stats';

/** Limits of a quota; absent = no limit (the server's -1). */
export interface QuotaLimits {
  count?: number;
  bytes?: number;
  countHard?: number;
  bytesHard?: number;
}

/** What the server counted under the quota's path. */
export interface QuotaUsage {
  count: number;
  bytes: number;
}

export interface Quota {
  /** The path the quota is on (as the server sees it, without /zookeeper/quota). */
  path: string;
  limits: QuotaLimits;
  /** Absent when the stats node is missing or unreadable. */
  usage?: QuotaUsage;
  /** Why the limits or stats could not be read as they are (hostile or foreign text). */
  problem?: Message;
}

/** Longest StatsTrack text we parse: the server writes a few dozen bytes. */
const MAX_STATS_TEXT = 1024;
const KEYS: Record<string, keyof QuotaLimits> = { count: 'count', bytes: 'bytes', countHardLimit: 'countHard', byteHardLimit: 'bytesHard' };

export interface ParsedStatsTrack {
  values: QuotaLimits;
  /** Set when some part was not understood (then it is ignored, never guessed). */
  problem?: Message;
}

/** Parses StatsTrack text (either form); values of -1 (or empty) are "no limit". */
export function parseStatsTrack(text: string): ParsedStatsTrack {
  if (text.length > MAX_STATS_TEXT) return { values: {}, problem: msg('too long ({0} characters) for quota text', text.length) };
  const values: QuotaLimits = {};
  const odd: string[] = [];
  // The server splits on runs of ',' and ';' and reads "key=value" (a trailing '=' is its trick for old parsers).
  for (const pair of text.trim().split(/[,;]+/)) {
    if (pair === '') continue;
    const m = /^([A-Za-z]+)=(-?\d*)=?$/.exec(pair);
    if (!m) {
      odd.push(pair);
      continue;
    }
    const key = KEYS[m[1]];
    if (!key) continue; // a field of a newer server: not ours to interpret
    const n = m[2] === '' ? -1 : Number(m[2]);
    if (!Number.isSafeInteger(n) || n < -1) {
      odd.push(pair);
      continue;
    }
    if (n >= 0) values[key] = n;
  }
  // The parts not understood are the server's (or someone's) text, quoted as they are.
  return odd.length > 0 ? { values, problem: msg('not understood: {0}', odd.slice(0, 3).join(', ')) } : { values };
}

/** StatsTrack text as the 3.7+ server and zkCli write it (readable by older servers too). */
export function formatStatsTrack(l: QuotaLimits): string {
  const v = (n: number | undefined) => (n === undefined ? -1 : n);
  const base = `count=${v(l.count)},bytes=${v(l.bytes)}`;
  if (l.countHard === undefined && l.bytesHard === undefined) return base;
  // Same order as the server's (keys sorted): byteHardLimit, countHardLimit.
  return `${base}=;byteHardLimit=${v(l.bytesHard)};countHardLimit=${v(l.countHard)}`;
}

/** `/zookeeper/quota/a/b` for `/a/b`. */
export function quotaNodePath(path: string): string {
  return path === '/' ? QUOTA_ROOT : `${QUOTA_ROOT}${path}`;
}

export const limitsPath = (path: string): string => `${quotaNodePath(path)}/${LIMITS_NODE}`;
export const statsPath = (path: string): string => `${quotaNodePath(path)}/${STATS_NODE}`;

/** Why a quota cannot be put on this path, or undefined. */
export function quotaPathProblem(path: string): Message | undefined {
  if (path === '/') return msg('A quota cannot be set on the root: choose a node below it');
  if (path === '/zookeeper' || path.startsWith('/zookeeper/')) return msg("A quota cannot be set on {0}: /zookeeper is the server's own subtree (its quotas live there)", path);
  return undefined;
}

/** Why these limits cannot be set (validated as the user types), or undefined. */
export function limitsProblem(l: QuotaLimits): Message | undefined {
  const all = [l.count, l.bytes, l.countHard, l.bytesHard];
  if (all.every((v) => v === undefined)) return msg('Set at least one limit (or use Remove Quota)');
  for (const v of all) if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) return msg('Limits are whole numbers, 0 or more');
  if (l.count !== undefined && l.count > 2_147_483_647) return msg('The server keeps the soft node count as a 32-bit number: at most 2147483647');
  if (l.count !== undefined && l.countHard !== undefined && l.count > l.countHard) return msg('The soft node limit ({0}) is above the hard one ({1}): it would never warn first', l.count, l.countHard);
  if (l.bytes !== undefined && l.bytesHard !== undefined && l.bytes > l.bytesHard) return msg('The soft byte limit ({0}) is above the hard one ({1}): it would never warn first', l.bytes, l.bytesHard);
  return undefined;
}

/** One of the four limits with how much of it is used. */
export interface LimitUse {
  what: 'count' | 'bytes';
  kind: 'soft' | 'hard';
  limit: number;
  used: number;
  /** used / limit (Infinity for a limit of 0 with something used). */
  fraction: number;
}

export function limitUses(q: Quota): LimitUse[] {
  if (!q.usage) return [];
  const out: LimitUse[] = [];
  const add = (what: 'count' | 'bytes', kind: 'soft' | 'hard', limit: number | undefined) => {
    if (limit === undefined) return;
    const used = q.usage![what];
    out.push({ what, kind, limit, used, fraction: limit === 0 ? (used === 0 ? 0 : Infinity) : used / limit });
  };
  add('count', 'soft', q.limits.count);
  add('count', 'hard', q.limits.countHard);
  add('bytes', 'soft', q.limits.bytes);
  add('bytes', 'hard', q.limits.bytesHard);
  return out;
}

/** The fullest limit of a quota (what its bar shows), or undefined without usage or limits. */
export function fullest(q: Quota): LimitUse | undefined {
  let best: LimitUse | undefined;
  for (const u of limitUses(q)) if (!best || u.fraction > best.fraction) best = u;
  return best;
}

/** Quotas closest to (or furthest past) their limit first; those without usage last, by path. */
export function sortByCloseness(quotas: readonly Quota[]): Quota[] {
  return [...quotas].sort((a, b) => {
    const fa = fullest(a)?.fraction ?? -1;
    const fb = fullest(b)?.fraction ?? -1;
    return fb - fa || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  });
}

export interface QuotaAlert {
  path: string;
  severity: 'warning' | 'error';
  kind: 'quotaNearLimit' | 'quotaExceeded';
  title: string;
  detail: string;
}

const n = (v: number) => v.toLocaleString('en');

/** "3 of 10 nodes (soft limit, 30%)" as a Message: one template per unit and kind, so each reads whole. */
export function useMessage(u: LimitUse): Message {
  const used = n(u.used);
  const limit = n(u.limit);
  if (!Number.isFinite(u.fraction)) {
    if (u.what === 'count') return u.kind === 'soft' ? msg('{0} of {1} nodes (soft limit, over)', used, limit) : msg('{0} of {1} nodes (hard limit, over)', used, limit);
    return u.kind === 'soft' ? msg('{0} of {1} bytes (soft limit, over)', used, limit) : msg('{0} of {1} bytes (hard limit, over)', used, limit);
  }
  const pct = Math.round(u.fraction * 100);
  if (u.what === 'count') return u.kind === 'soft' ? msg('{0} of {1} nodes (soft limit, {2}%)', used, limit, pct) : msg('{0} of {1} nodes (hard limit, {2}%)', used, limit, pct);
  return u.kind === 'soft' ? msg('{0} of {1} bytes (soft limit, {2}%)', used, limit, pct) : msg('{0} of {1} bytes (hard limit, {2}%)', used, limit, pct);
}

/** A limit's use in words, through `t` (the adapter passes vscode.l10n.t; English by default). */
export function describeUse(u: LimitUse, t?: Translate): string {
  return renderMessage(useMessage(u), t);
}

/** Several uses as one Message, "a; b". */
export function usesMessage(uses: readonly LimitUse[]): Message {
  return uses.length > 0 ? joinMessages(uses.map(useMessage)) : msg('usage unknown');
}

/**
 * Alerts: every exceeded limit (a soft one is only logged by the server, a hard one refuses writes
 * when it enforces quotas), and each quota whose fullest limit is at or above `thresholdPercent`.
 */
export function quotaAlerts(quotas: readonly Quota[], thresholdPercent: number, t: Translate = english): QuotaAlert[] {
  const out: QuotaAlert[] = [];
  for (const q of sortByCloseness(quotas)) {
    const uses = limitUses(q);
    const over = uses.filter((u) => u.used > u.limit);
    if (over.length > 0) {
      const hard = over.some((u) => u.kind === 'hard');
      out.push({
        path: q.path,
        severity: 'error',
        kind: 'quotaExceeded',
        title: t('Quota of {0} exceeded', q.path),
        detail: hard
          ? t('{0}. A hard limit: with enforceQuota=true the server refuses every write that would grow this subtree.', renderMessage(usesMessage(over), t))
          : t('{0}. A soft limit: the server only logs it; writes still succeed.', renderMessage(usesMessage(over), t)),
      });
      continue;
    }
    const top = uses.reduce<LimitUse | undefined>((a, u) => (!a || u.fraction > a.fraction ? u : a), undefined);
    if (top && top.fraction * 100 >= thresholdPercent) {
      out.push({ path: q.path, severity: 'warning', kind: 'quotaNearLimit', title: t('Quota of {0} nearly full', q.path), detail: t('{0}, at or above {1}%.', describeUse(top, t), thresholdPercent) });
    }
  }
  return out;
}

/** "nodes: soft 5 · bytes: soft 100, hard 200" as a Message: the limits in words. */
export function limitsMessage(l: QuotaLimits): Message {
  const part = (soft: number | undefined, hard: number | undefined, unit: 'nodes' | 'bytes'): Message | undefined => {
    if (soft !== undefined && hard !== undefined) return unit === 'nodes' ? msg('nodes: soft {0}, hard {1}', n(soft), n(hard)) : msg('bytes: soft {0}, hard {1}', n(soft), n(hard));
    if (soft !== undefined) return unit === 'nodes' ? msg('nodes: soft {0}', n(soft)) : msg('bytes: soft {0}', n(soft));
    if (hard !== undefined) return unit === 'nodes' ? msg('nodes: hard {0}', n(hard)) : msg('bytes: hard {0}', n(hard));
    return undefined;
  };
  const nodes = part(l.count, l.countHard, 'nodes');
  const bytes = part(l.bytes, l.bytesHard, 'bytes');
  if (nodes && bytes) return msg('{0} · {1}', nodes, bytes);
  return nodes ?? bytes ?? msg('no limits');
}

/** The limits in words, through `t` (the adapter passes vscode.l10n.t; English by default). */
export function describeLimits(l: QuotaLimits, t?: Translate): string {
  return renderMessage(limitsMessage(l), t);
}

/** Short text for a tree row: "quota 4/5 nodes" (the fullest limit), or "quota". */
export function shortQuotaText(q: Quota): string {
  const u = fullest(q);
  if (!u) return 'quota';
  return `quota ${u.used.toLocaleString('en')}/${u.limit.toLocaleString('en')} ${u.what === 'count' ? 'nodes' : 'B'}${u.kind === 'hard' ? ' hard' : ''}`;
}
