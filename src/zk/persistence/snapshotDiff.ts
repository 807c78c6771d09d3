// What changed between two snapshots of one ensemble: nodes created, deleted, and changed in data,
// ACL or mode (persistent, ephemeral, container, TTL), or deleted and created again in between.
// A snapshot lists nodes in the DataTree's child-set order, which is not sorted, so the two path lists
// are sorted and merged; the nodes themselves stay in the snapshots' slabs (only path references and
// the result are added).
import { sameAcl } from '../acl';
import { classifyName } from './dataDir';
import { ownerOf } from './describe';
import { snapshotAcl, type Snapshot, type SnapshotNode } from './snapshot';

export type NodeAspect = 'data' | 'acl' | 'mode' | 'recreated';

export interface ChangedNode {
  path: string;
  /** What differs, in this order: data, acl, mode, recreated (czxid differs). */
  aspects: NodeAspect[];
}

export interface SnapshotDiff {
  /** Paths only in the newer snapshot, sorted. */
  created: string[];
  /** Paths only in the older snapshot, sorted. */
  deleted: string[];
  /** Paths in both that differ, sorted. */
  changed: ChangedNode[];
  /** Paths in both that are the same. */
  unchanged: number;
}

export type DiffGroup = 'created' | 'deleted' | 'changed';

/** A node's mode as one word: the kind of owner, with the TTL (a changed TTL is a changed mode). */
export function nodeMode(node: SnapshotNode): string {
  const o = ownerOf(node.stat.ephemeralOwner);
  return o.kind === 'ttl' ? `ttl ${o.ttlMs} ms` : o.kind;
}

/** The aspects in which a node differs between the snapshots (empty: the same). */
export function nodeAspects(older: Snapshot, a: SnapshotNode, newer: Snapshot, b: SnapshotNode): NodeAspect[] {
  const aspects: NodeAspect[] = [];
  if (a.dataLength !== b.dataLength || !a.data.equals(b.data)) aspects.push('data');
  // ACL refs are per-snapshot cache keys: compare the lists they stand for
  if (!sameAcl(snapshotAcl(older, a), snapshotAcl(newer, b))) aspects.push('acl');
  if (nodeMode(a) !== nodeMode(b)) aspects.push('mode');
  if (a.stat.czxid !== b.stat.czxid) aspects.push('recreated');
  return aspects;
}

const byCodeUnit = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** Compares `older` with `newer` node by node. */
export function diffSnapshots(older: Snapshot, newer: Snapshot): SnapshotDiff {
  const left = [...older.nodes.keys()].sort(byCodeUnit);
  const right = [...newer.nodes.keys()].sort(byCodeUnit);
  const diff: SnapshotDiff = { created: [], deleted: [], changed: [], unchanged: 0 };
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const order = i === left.length ? 1 : j === right.length ? -1 : byCodeUnit(left[i], right[j]);
    if (order < 0) diff.deleted.push(left[i++]);
    else if (order > 0) diff.created.push(right[j++]);
    else {
      const path = left[i];
      const aspects = nodeAspects(older, older.nodes.get(path)!, newer, newer.nodes.get(path)!);
      if (aspects.length) diff.changed.push({ path, aspects });
      else diff.unchanged++;
      i++;
      j++;
    }
  }
  return diff;
}

/** The older of two snapshots first: by the zxid in the file name, else the digest's (3.6+), else as given. */
export function olderFirst(a: Snapshot, b: Snapshot): [Snapshot, Snapshot] {
  const zxid = (s: Snapshot) => classifyName(s.file)?.zxid ?? s.digest?.zxid;
  const za = zxid(a);
  const zb = zxid(b);
  return za !== undefined && zb !== undefined && za > zb ? [b, a] : [a, b];
}
