// A subtree as config as code holds it in memory: every node's data, and what was pulled with it
// (ACL, mode, versions). Pull fills it from a server, the folder layout writes and reads it, the
// export JSON converts to and from it, and plan compares it with a server.
// Domain layer: no 'vscode' here.
import type { ZkAcl } from '../acl';
import type { ZnodeStat } from '../stat';
import { parentPath } from '../paths';

/** How a node was created: ephemeral nodes belong to a session and are never written back as persistent unless asked. */
export type NodeMode = 'persistent' | 'ephemeral' | 'container' | 'ttl';

/** What was known of a node when it was pulled; absent for a node added in the folder. */
export interface NodeMeta {
  mode: NodeMode;
  /** For 'ttl'. */
  ttlMs?: number;
  /** For 'ephemeral': the owning session ('0x…'). */
  ephemeralOwner?: string;
  /** Undefined: not known (new nodes get the default ACL, existing ones keep theirs). */
  acl?: ZkAcl[];
  /** Data version when pulled: a node whose version moved on since is a conflict. */
  version?: number;
  /** ACL version when pulled. */
  aversion?: number;
}

export interface ConfigNode {
  /** Relative to the tree's root: '/' is the root, '/a/b' below it. */
  rel: string;
  data: Uint8Array;
  meta?: NodeMeta;
}

/** Where a tree was pulled from (the top folder's metadata). */
export interface TreeSource {
  /** The connection's name. */
  connection?: string;
  /** The pulled path on that connection. */
  root: string;
  pulledAt: string;
}

export interface ConfigTree {
  source?: TreeSource;
  /** Parents before children. */
  nodes: ConfigNode[];
  /** Nodes (rel) left out because this session could not read them. */
  unreadable?: string[];
}

const CONTAINER_OWNER = 0x8000000000000000n;
const EXTENDED_MASK = 0xff00000000000000n;
const EXTENDED_TYPE = 0x00ffff0000000000n;
const TTL_VALUE = 0x000000ffffffffffn;

/**
 * The mode of a node from its ephemeralOwner: ZooKeeper stores containers and TTL nodes there too
 * (Long.MIN_VALUE, and 0xff… with the TTL in the low bits).
 */
export function modeOfOwner(ephemeralOwner: string): { mode: NodeMode; ttlMs?: number } {
  let owner: bigint;
  try {
    owner = BigInt(ephemeralOwner);
  } catch {
    return { mode: 'ephemeral' };
  }
  if (owner === 0n) return { mode: 'persistent' };
  if (owner === CONTAINER_OWNER) return { mode: 'container' };
  if ((owner & EXTENDED_MASK) === EXTENDED_MASK && (owner & EXTENDED_TYPE) === 0n) return { mode: 'ttl', ttlMs: Number(owner & TTL_VALUE) };
  return { mode: 'ephemeral' };
}

export function metaOfStat(stat: ZnodeStat, acl: ZkAcl[] | undefined): NodeMeta {
  const m = modeOfOwner(stat.ephemeralOwner);
  const meta: NodeMeta = { mode: m.mode, version: stat.version, aversion: stat.aversion };
  if (m.ttlMs !== undefined) meta.ttlMs = m.ttlMs;
  if (m.mode === 'ephemeral') meta.ephemeralOwner = stat.ephemeralOwner;
  if (acl) meta.acl = acl.map((a) => ({ perms: a.perms, scheme: a.scheme, id: a.id }));
  return meta;
}

export function relName(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}

export function relDepth(rel: string): number {
  return rel === '/' ? 0 : rel.split('/').length - 1;
}

/** Child names by parent rel, in tree order. */
export function childrenByParent(nodes: readonly ConfigNode[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of nodes) {
    if (n.rel === '/') continue;
    const p = parentPath(n.rel);
    const list = out.get(p);
    if (list) list.push(relName(n.rel));
    else out.set(p, [relName(n.rel)]);
  }
  return out;
}
