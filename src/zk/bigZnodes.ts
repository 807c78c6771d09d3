// Find Big Znodes: one walk of a subtree (stats only, no data read) and a report of what is big —
// the nodes with the most data, the most children, the largest subtrees by node count and by bytes,
// and ephemeral nodes per owner session — with how close each is to the limits that bite:
// jute.maxbuffer for a node's data (the server refuses a write over it, and Java clients a reply),
// and the reply limit for getChildren of a huge node (Java clients refuse a child list over
// jute.maxbuffer; this client over its maxReplyBytes). Memory: a few numbers per node while the
// walk runs (the subtree sums need every node's parent), then only the top lists.
// Domain layer: no 'vscode' here.
import { isEphemeral } from './stat';
import { walkSubtree, type SubtreeClient, type WalkOptions } from './subtree';
import { DEFAULT_MAX_REPLY_BYTES, JUTE_MAXBUFFER } from './wire/frames';

export interface BigZnodesOptions extends Pick<WalkOptions, 'signal' | 'concurrency' | 'maxNodes' | 'maxDepth' | 'onProgress'> {
  /** Entries in each top list (default 20). */
  top?: number;
  /** Sessions listed, with at most this many paths each (default 20 sessions, 10 paths). */
  pathsPerSession?: number;
}

export interface NodeSize {
  path: string;
  dataLength: number;
  numChildren: number;
  /** dataLength / jute.maxbuffer (1 = at the limit). */
  ofMaxBuffer: number;
}

export interface ChildListSize extends NodeSize {
  /** Bytes of its getChildren reply (names, counts, headers and Stat). */
  childListBytes: number;
  /** childListBytes / jute.maxbuffer: a Java client (zkCli.sh, Curator) refuses a reply over 1. */
  ofJavaClientLimit: number;
  /** childListBytes / this connection's maxReplyBytes: over 1, this client cannot list it either. */
  ofReplyLimit: number;
}

export interface SubtreeSize {
  path: string;
  /** Nodes in it, itself included. */
  nodes: number;
  /** Bytes of data in it, its own included. */
  dataBytes: number;
}

export interface SessionEphemerals {
  /** The owner session ('0x…'). */
  session: string;
  count: number;
  dataBytes: number;
  /** The first of its paths (at most pathsPerSession), in walk order. */
  paths: string[];
}

export interface BigZnodesReport {
  root: string;
  nodes: number;
  dataBytes: number;
  /** The limits the ratios are against. */
  limits: { juteMaxBuffer: number; maxReplyBytes: number };
  mostData: NodeSize[];
  mostChildren: ChildListSize[];
  /** Subtrees below the root (the root's own totals are `nodes` and `dataBytes`). */
  largestByNodes: SubtreeSize[];
  largestByBytes: SubtreeSize[];
  /** Sessions by how many ephemeral nodes they own, most first. */
  ephemeralsBySession: SessionEphemerals[];
  /** Nodes this session may not read (NOAUTH), with their subtrees: not counted. */
  unreadable: string[];
  /** Nodes deleted while walking. */
  vanished: number;
  ms: number;
}

/** Bytes of a getChildren2 reply besides the names: reply header (16), list count (4), Stat (68). */
const CHILD_LIST_OVERHEAD = 16 + 4 + 68;

/** Walks the subtree under `root` and reports what is big (see the module comment). */
export async function findBigZnodes(client: SubtreeClient, root: string, opts: BigZnodesOptions = {}): Promise<BigZnodesReport> {
  const started = Date.now();
  const top = Math.max(1, opts.top ?? 20);
  const pathsPerSession = Math.max(0, opts.pathsPerSession ?? 10);
  const maxReplyBytes = client.options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  // Per node, in walk order (parents first): its parent's index, its data and its child list bytes.
  const paths: string[] = [];
  const parentOf: number[] = [];
  const dataLength: number[] = [];
  const numChildren: number[] = [];
  const listBytes: number[] = [];
  const indexOf = new Map<string, number>();
  const sessions = new Map<string, SessionEphemerals>();
  const nameBytes = (path: string) => 4 + Buffer.byteLength(path.slice(path.lastIndexOf('/') + 1), 'utf8');

  const walk = await walkSubtree(client, root, {
    signal: opts.signal,
    concurrency: opts.concurrency,
    maxNodes: opts.maxNodes,
    maxDepth: opts.maxDepth,
    onProgress: opts.onProgress,
    excludeSystem: true,
    skipUnreadable: true,
    collect: false,
    onNode: (node) => {
      const i = paths.length;
      const parent = node.depth === 0 ? -1 : (indexOf.get(node.path.slice(0, node.path.lastIndexOf('/')) || '/') ?? -1);
      paths.push(node.path);
      parentOf.push(parent);
      dataLength.push(node.stat.dataLength);
      numChildren.push(node.stat.numChildren);
      listBytes.push(CHILD_LIST_OVERHEAD);
      if (parent >= 0) listBytes[parent] += nameBytes(node.path);
      if (node.stat.numChildren > 0) indexOf.set(node.path, i);
      if (isEphemeral(node.stat)) {
        const owner = node.stat.ephemeralOwner;
        let s = sessions.get(owner);
        if (!s) sessions.set(owner, (s = { session: owner, count: 0, dataBytes: 0, paths: [] }));
        s.count++;
        s.dataBytes += node.stat.dataLength;
        if (s.paths.length < pathsPerSession) s.paths.push(node.path);
      }
    },
  });
  // Unreadable nodes are still names in their parent's child list.
  for (const p of walk.unreadable) {
    const parent = indexOf.get(p.slice(0, p.lastIndexOf('/')) || '/');
    if (parent !== undefined) listBytes[parent] += nameBytes(p);
  }

  // Subtree sums, children before parents (reverse walk order).
  const n = paths.length;
  const subNodes = new Array<number>(n).fill(1);
  const subBytes = dataLength.slice();
  for (let i = n - 1; i > 0; i--) {
    const p = parentOf[i];
    if (p < 0) continue;
    subNodes[p] += subNodes[i];
    subBytes[p] += subBytes[i];
  }

  const nodeSize = (i: number): NodeSize => ({ path: paths[i], dataLength: dataLength[i], numChildren: numChildren[i], ofMaxBuffer: dataLength[i] / JUTE_MAXBUFFER });
  const indices = Array.from({ length: n }, (_, i) => i);
  const topBy = (pool: number[], key: (i: number) => number) => pool.filter((i) => key(i) > 0).sort((a, b) => key(b) - key(a) || a - b).slice(0, top);
  const below = indices.slice(1).filter((i) => numChildren[i] > 0 || subNodes[i] > 1);
  const subtree = (i: number): SubtreeSize => ({ path: paths[i], nodes: subNodes[i], dataBytes: subBytes[i] });

  return {
    root,
    nodes: n,
    dataBytes: n > 0 ? subBytes[0] : 0,
    limits: { juteMaxBuffer: JUTE_MAXBUFFER, maxReplyBytes },
    mostData: topBy(indices, (i) => dataLength[i]).map(nodeSize),
    mostChildren: topBy(indices, (i) => numChildren[i]).map((i) => ({
      ...nodeSize(i),
      childListBytes: listBytes[i],
      ofJavaClientLimit: listBytes[i] / JUTE_MAXBUFFER,
      ofReplyLimit: listBytes[i] / maxReplyBytes,
    })),
    largestByNodes: topBy(below, (i) => subNodes[i]).map(subtree),
    largestByBytes: topBy(below, (i) => subBytes[i]).map(subtree),
    ephemeralsBySession: [...sessions.values()].sort((a, b) => b.count - a.count || b.dataBytes - a.dataBytes || (a.session < b.session ? -1 : 1)),
    unreadable: walk.unreadable,
    vanished: walk.vanished,
    ms: Date.now() - started,
  };
}
