// Reading and changing quotas on a live ensemble, the way zkCli's listquota, setquota and delquota
// do, with the rules zkCli enforces: the path must exist, and no quota may be set on a path whose
// ancestor or descendant already has one (the server counts each node towards one quota only).
// Every byte read from /zookeeper/quota is untrusted: walks are bounded, text is parsed strictly.
import type { CreateOptions, MultiOp } from '../client';
import { ZkError, isZkError } from '../errors';
import { ancestors, parentPath } from '../paths';
import type { ZnodeStat } from '../stat';
import {
  LIMITS_NODE,
  QUOTA_ROOT,
  STATS_NODE,
  limitsMessage,
  formatStatsTrack,
  limitUses,
  limitsPath,
  limitsProblem,
  parseStatsTrack,
  quotaNodePath,
  quotaPathProblem,
  statsPath,
  usesMessage,
  type Quota,
  type QuotaLimits,
} from './quotas';
import { joinMessages, messageOfError, msg, type Message } from '../message';

/** What these functions need of a client (ZkClient has it; tests may pass a real one). */
export interface QuotaClient {
  exists(path: string): Promise<ZnodeStat | undefined>;
  getData(path: string): Promise<{ data: Uint8Array; stat: ZnodeStat }>;
  getChildren(path: string): Promise<{ children: string[]; stat: ZnodeStat }>;
  create(path: string, data?: Uint8Array, opts?: CreateOptions): Promise<unknown>;
  setData(path: string, data: Uint8Array, version: number): Promise<ZnodeStat>;
  remove(path: string, version: number): Promise<void>;
  multi(ops: readonly MultiOp[]): Promise<unknown>;
}

/** Nodes of /zookeeper/quota visited at most by one listing (the tree is untrusted). */
export const MAX_QUOTA_NODES = 5000;

export interface QuotaListing {
  quotas: Quota[];
  /** Set when the walk stopped at MAX_QUOTA_NODES. */
  truncated: boolean;
}

const utf8 = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const bytes = (s: string) => Buffer.from(s, 'utf8');
const absent = (e: unknown) => isZkError(e, 'NONODE');

/** The quota on exactly this path, or undefined when there is none. */
export async function readQuota(client: QuotaClient, path: string): Promise<Quota | undefined> {
  let limitsText: string;
  try {
    limitsText = utf8((await client.getData(limitsPath(path))).data);
  } catch (e) {
    if (absent(e)) return undefined;
    throw e;
  }
  const limits = parseStatsTrack(limitsText);
  const q: Quota = { path, limits: limits.values };
  const problems: Message[] = [];
  if (limits.problem) problems.push(msg('limits {0}', limits.problem));
  try {
    const stats = parseStatsTrack(utf8((await client.getData(statsPath(path))).data));
    if (stats.problem) problems.push(msg('usage {0}', stats.problem));
    q.usage = { count: stats.values.count ?? 0, bytes: stats.values.bytes ?? 0 };
  } catch (e) {
    if (!absent(e)) throw e;
    problems.push(msg('no {0} node: the server has not counted this subtree', STATS_NODE));
  }
  if (problems.length > 0) q.problem = joinMessages(problems);
  return q;
}

/** Every quota of the ensemble (a bounded walk of /zookeeper/quota), in path order. */
export async function listQuotas(client: QuotaClient, maxNodes = MAX_QUOTA_NODES): Promise<QuotaListing> {
  const found: string[] = [];
  const queue = [QUOTA_ROOT];
  let visited = 0;
  let truncated = false;
  while (queue.length > 0) {
    if (visited >= maxNodes) {
      truncated = true;
      break;
    }
    const node = queue.shift()!;
    visited++;
    let children: string[];
    try {
      children = (await client.getChildren(node)).children;
    } catch (e) {
      if (absent(e)) continue; // removed meanwhile, or no quota was ever set
      throw e;
    }
    if (node !== QUOTA_ROOT && children.includes(LIMITS_NODE)) found.push(node.slice(QUOTA_ROOT.length));
    for (const c of [...children].sort()) if (c !== LIMITS_NODE && c !== STATS_NODE) queue.push(`${node}/${c}`);
  }
  const quotas: Quota[] = [];
  for (const p of found.sort()) {
    const q = await readQuota(client, p);
    if (q) quotas.push(q);
  }
  return { quotas, truncated };
}

/** The quota that counts this path: on it or on its nearest ancestor (the server's rule). */
export async function quotaCovering(client: QuotaClient, path: string): Promise<Quota | undefined> {
  for (const p of [path, ...ancestors(path).reverse()]) {
    if (p === '/' || quotaPathProblem(p) !== undefined) continue;
    const q = await readQuota(client, p);
    if (q) return q;
  }
  return undefined;
}

/** Why a new quota on `path` would clash with an existing one (zkCli's two checks), or undefined. */
export async function quotaConflict(client: QuotaClient, path: string): Promise<Message | undefined> {
  for (const a of ancestors(path)) {
    if (a === '/') continue;
    if (await client.exists(limitsPath(a))) return msg('{0} has a parent {1} which has a quota: remove that quota first, or change it instead', path, a);
  }
  // Descendants: any zookeeper_limits below /zookeeper/quota<path> other than its own.
  const queue = [quotaNodePath(path)];
  let visited = 0;
  while (queue.length > 0 && visited++ < MAX_QUOTA_NODES) {
    const node = queue.shift()!;
    let children: string[];
    try {
      children = (await client.getChildren(node)).children;
    } catch (e) {
      if (absent(e)) continue;
      throw e;
    }
    if (node !== quotaNodePath(path) && children.includes(LIMITS_NODE)) return msg('{0} has a child {1} which has a quota: remove that quota first', path, node.slice(QUOTA_ROOT.length));
    for (const c of children) if (c !== LIMITS_NODE && c !== STATS_NODE) queue.push(`${node}/${c}`);
  }
  return undefined;
}

const invalid = (message: Message, path: string) => new ZkError('INVALID_ARGUMENT', message, { path, op: 'setQuota' });

/**
 * Sets (or replaces) the quota on `path`: all four limits as given (absent = no limit). A new quota
 * gets its limits and stats nodes in one transaction; the server then counts the subtree into the
 * stats node. Resolves to the quota as read back.
 */
export async function setQuota(client: QuotaClient, path: string, limits: QuotaLimits): Promise<Quota> {
  const pathProblem = quotaPathProblem(path);
  if (pathProblem) throw invalid(pathProblem, path);
  const limitProblem = limitsProblem(limits);
  if (limitProblem) throw invalid(limitProblem, path);
  if (!(await client.exists(path))) throw new ZkError('NONODE', msg('{0} does not exist: a quota can only be set on an existing node', path), { path, op: 'setQuota' });
  const text = bytes(formatStatsTrack(limits));
  const existing = await client.exists(limitsPath(path));
  if (existing) {
    await client.setData(limitsPath(path), text, existing.version);
  } else {
    const conflict = await quotaConflict(client, path);
    if (conflict) throw invalid(conflict, path);
    // The folders from /zookeeper/quota down to the path's (zkCli makes them the same way: open ACL).
    for (const folder of [...ancestors(quotaNodePath(path)).filter((a) => a.length >= QUOTA_ROOT.length), quotaNodePath(path)]) {
      try {
        await client.create(folder);
      } catch (e) {
        if (!isZkError(e, 'NODEEXISTS')) throw e;
      }
    }
    await client.multi([
      { type: 'create', path: limitsPath(path), data: text },
      { type: 'create', path: statsPath(path), data: bytes(formatStatsTrack({ count: 0, bytes: 0 })) },
    ]);
  }
  const q = await readQuota(client, path);
  if (!q) throw new ZkError('NONODE', msg('The quota on {0} was removed by someone else right after it was set', path), { path, op: 'setQuota' });
  return q;
}

/**
 * Removes the quota on `path` (its limits and stats nodes), then the folders of /zookeeper/quota
 * it leaves empty, like delquota. Only those two nodes and empty folders are deleted: another
 * quota's nodes are never touched. Resolves to false when there was no quota.
 */
export async function removeQuota(client: QuotaClient, path: string): Promise<boolean> {
  const limits = await client.exists(limitsPath(path));
  if (!limits) return false;
  const stats = await client.exists(statsPath(path));
  const ops: MultiOp[] = [{ type: 'delete', path: limitsPath(path), version: limits.version }];
  if (stats) ops.unshift({ type: 'delete', path: statsPath(path), version: stats.version });
  await client.multi(ops);
  for (let folder = quotaNodePath(path); folder.length > QUOTA_ROOT.length; folder = parentPath(folder)) {
    try {
      const { children, stat } = await client.getChildren(folder);
      if (children.length > 0) break;
      await client.remove(folder, stat.version);
    } catch (e) {
      // Another quota below it appeared, or someone trimmed it first: either way, stop.
      if (isZkError(e, 'NOTEMPTY') || isZkError(e, 'NONODE') || isZkError(e, 'BADVERSION')) break;
      throw e;
    }
  }
  return true;
}

/**
 * What to say when the server refused a write under `path` with QUOTAEXCEEDED: which quota, its
 * limits and usage, and how to raise it. Never rejects (falls back to the server's bare answer).
 */
export async function explainQuotaExceeded(client: QuotaClient, path: string | undefined): Promise<Message> {
  const raise = msg('Raise it with Set Quota… on that node (or zkCli: setquota -N/-B), or remove it with Remove Quota.');
  if (!path) return msg('The server refused the write: a quota is exceeded (it enforces quotas: enforceQuota=true). {0}', raise);
  let q: Quota | undefined;
  try {
    q = await quotaCovering(client, path);
  } catch {
    q = undefined;
  }
  if (!q) return msg('The server refused the write to {0}: a quota is exceeded (enforceQuota=true), but its quota node could not be read. {1}', path, raise);
  const over = limitUses(q).filter((u) => u.kind === 'hard');
  const usage = over.length > 0 ? usesMessage(over) : q.usage ? msg('{0} nodes, {1} bytes used', q.usage.count, q.usage.bytes) : msg('usage unknown');
  return msg('The server refused the write to {0}: it would exceed the hard quota on {1} ({2}; now {3}). {4}', path, q.path, limitsMessage(q.limits), usage, raise);
}

/** An error's message for the user, as a Message when it can be translated; a QUOTAEXCEEDED refusal is explained (explainQuotaExceeded). */
export async function quotaAwareMessage(e: unknown, client: QuotaClient | undefined): Promise<Message | string> {
  if (client && isZkError(e, 'QUOTAEXCEEDED')) return await explainQuotaExceeded(client, e.path);
  return messageOfError(e);
}
