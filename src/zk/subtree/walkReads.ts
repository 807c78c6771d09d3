// How the walk reads nodes: one node with its own pipelined requests (getChildren, getData, getACL),
// or many nodes in one multiRead request (ZooKeeper 3.6+: a getChildren and a getData per node, or
// a getChildren alone for a walk of names only).
// A multiRead saves the per-request cost on both sides (a request, a reply, a callback per read),
// which is most of a walk's time when nodes are small.
//
// Sizes: a multiRead reply holds every part's data and child names, and a reply over the client's
// maxReplyBytes cannot be read. Batches are sized by what the last batch's nodes weighed (siblings
// tend to look alike), within half of that limit; a reply that is too large anyway is skipped by
// the client (REPLY_TOO_LARGE, the connection stays up), its nodes are read one by one and the
// batches get smaller. A server without multiRead (UNIMPLEMENTED) gets one node at a time for the
// rest of the walk. Domain layer: no 'vscode' here.
import type { ZkAcl } from '../acl';
import { isZkError } from '../errors';
import type { ZnodeStat } from '../stat';
import { multiReadPartBytes, type ReadOp } from '../wire/multiRead';
import type { SubtreeClient } from './subtreeClient';

/** What the walk learns of one node. */
export interface NodeRead {
  children: string[];
  /**
   * From getData when the data was read (so that it matches the data), else from getChildren;
   * absent from a names-only batch (a multiRead getChildren carries no Stat).
   */
  stat?: ZnodeStat;
  data?: Uint8Array;
  acl?: ZkAcl[];
}

/** One node of a batch: read, or the error of its first failed read (NONODE, NOAUTH, …). */
export type NodeOutcome = { read: NodeRead; error?: undefined } | { error: unknown; read?: undefined };

export const MULTI_READ_DEFAULTS = {
  /** Most nodes in one multiRead (two reads each). */
  maxNodes: 128,
  /** Nodes of the first batches, before anything is known of their sizes. */
  firstNodes: 64,
  /** Bytes a node's reply parts take besides its data and names (headers, Stat, lengths). */
  nodeOverheadBytes: 128,
};

/** Reads one node with its own requests, sent together (pipelined). Throws the first failure. */
export async function readNode(client: SubtreeClient, path: string, withData: boolean, withAcl: boolean): Promise<NodeRead> {
  const [listed, data, acl] = await Promise.all([
    client.getChildren(path),
    withData ? client.getData(path) : undefined,
    withAcl ? client.getACL(path) : undefined,
  ]);
  const node: NodeRead = { children: listed.children, stat: data?.stat ?? listed.stat };
  if (data) node.data = data.data;
  if (acl) node.acl = acl.acl;
  return node;
}

/** Bytes a child list takes in a reply, at most (3 UTF-8 bytes per UTF-16 unit). */
function namesBytes(children: readonly string[]): number {
  let n = 0;
  for (const c of children) n += 4 + 3 * c.length;
  return n;
}

async function readNodesOneByOne(client: SubtreeClient, paths: readonly string[], withData: boolean, withAcl: boolean): Promise<NodeOutcome[]> {
  return Promise.all(
    paths.map((p) =>
      readNode(client, p, withData, withAcl).then(
        (read): NodeOutcome => ({ read }),
        (error: unknown): NodeOutcome => ({ error }),
      ),
    ),
  );
}

/**
 * Reads nodes with their data (or, `namesOnly`, only their children's names) in multiRead batches
 * for one walk, and decides how many go in the next batch. Falls back to one node at a time where
 * multiRead is missing or a reply too large.
 */
export class BatchedReader {
  /** False once the server refused multiRead: nodes are read one by one from then on. */
  active: boolean;
  /** True until a multiRead succeeded in this walk: the first one goes alone (an old server may drop the connection). */
  unproven = true;
  /** Nodes the next batch may hold, by the sizes seen last. */
  private nodesBySize = MULTI_READ_DEFAULTS.firstNodes;
  /** Upper bound after a too-large reply. */
  private cap = MULTI_READ_DEFAULTS.maxNodes;
  private readonly replyBudget: number;
  private readonly requestBudget: number;
  private readonly chrootBytes: number;
  /** Reply bytes of the heaviest node of the last batch. */
  private lastHeaviest = 0;

  constructor(
    private readonly client: SubtreeClient,
    private readonly withAcl: boolean,
    private readonly namesOnly = false,
  ) {
    this.active = typeof client.multiRead === 'function';
    this.replyBudget = Math.floor((client.options.maxReplyBytes ?? 4 * 1024 * 1024) / 2);
    this.requestBudget = client.options.maxRequestBytes - 1024;
    this.chrootBytes = Buffer.byteLength(client.chroot ?? '', 'utf8');
  }

  /** How many of `paths` (from `from`) go in the next batch: at least one. */
  take(paths: readonly string[], from: number): number {
    const most = Math.min(this.cap, this.nodesBySize, paths.length - from);
    let bytes = 0;
    let n = 0;
    while (n < most) {
      const b = this.partsPerNode * (multiReadPartBytes(paths[from + n]) + this.chrootBytes);
      if (n > 0 && bytes + b > this.requestBudget) break;
      bytes += b;
      n++;
    }
    return Math.max(1, n);
  }

  /** Reads of one node in a batch: getChildren, and getData unless names only. */
  private get partsPerNode(): number {
    return this.namesOnly ? 1 : 2;
  }

  /** Reads the nodes: one outcome per path, in order. Throws only what fails the batch as a whole. */
  async read(paths: readonly string[]): Promise<NodeOutcome[]> {
    const multiRead = this.client.multiRead;
    const oneByOne = () => readNodesOneByOne(this.client, paths, !this.namesOnly, this.withAcl);
    if (!this.active || !multiRead) return oneByOne();
    const ops: ReadOp[] = [];
    for (const path of paths) {
      ops.push({ type: 'getChildren', path });
      if (!this.namesOnly) ops.push({ type: 'getData', path });
    }
    const acls = this.withAcl ? paths.map((p) => this.client.getACL(p).then((a) => a.acl, (e: unknown) => ({ failed: e }))) : undefined;
    let results;
    try {
      results = await multiRead.call(this.client, ops);
    } catch (e) {
      if (acls) await Promise.all(acls);
      if (isZkError(e, 'UNIMPLEMENTED')) {
        this.active = false;
        return oneByOne();
      }
      if (isZkError(e, 'REPLY_TOO_LARGE')) {
        this.cap = Math.max(1, Math.floor(paths.length / 2));
        this.nodesBySize = Math.min(this.nodesBySize, this.cap);
        return oneByOne();
      }
      throw e;
    }
    this.unproven = false;
    const aclOf = acls ? await Promise.all(acls) : undefined;
    const out: NodeOutcome[] = [];
    let heaviest = 0;
    for (let i = 0; i < paths.length; i++) {
      if (this.namesOnly) {
        const listed = results[i];
        if (listed.type === 'error') out.push({ error: listed.error });
        else if (listed.type !== 'getChildren') throw new Error('multiRead answered parts out of order'); // the decoder checks this
        else {
          out.push({ read: { children: listed.children } });
          heaviest = Math.max(heaviest, MULTI_READ_DEFAULTS.nodeOverheadBytes + namesBytes(listed.children));
        }
        continue;
      }
      const listed = results[2 * i];
      const data = results[2 * i + 1];
      // As a plain read: the listing's failure first, then the data's, then the ACL's.
      if (listed.type === 'error') out.push({ error: listed.error });
      else if (data.type === 'error') out.push({ error: data.error });
      else if (listed.type !== 'getChildren' || data.type !== 'getData') throw new Error('multiRead answered parts out of order'); // the decoder checks this
      else {
        const acl = aclOf?.[i];
        if (acl && !Array.isArray(acl)) {
          out.push({ error: acl.failed });
          continue;
        }
        const read: NodeRead = { children: listed.children, stat: data.stat, data: data.data };
        if (acl) read.acl = acl;
        out.push({ read });
        heaviest = Math.max(heaviest, MULTI_READ_DEFAULTS.nodeOverheadBytes + data.data.byteLength + namesBytes(listed.children));
      }
    }
    this.lastHeaviest = heaviest || MULTI_READ_DEFAULTS.nodeOverheadBytes;
    this.nodesBySize = Math.max(1, Math.min(MULTI_READ_DEFAULTS.maxNodes, Math.floor(this.replyBudget / this.lastHeaviest)));
    return out;
  }
}
