// What the subtree operations need of a client, their defaults, and their progress reports.
// Domain layer: no 'vscode' here.
import type { ZkAcl } from '../acl';
import type { CreateOptions, CreateResult, MultiOp, MultiResult } from '../client';
import type { ZnodeStat } from '../stat';
import type { ReadOp, ReadResult } from '../wire/multiRead';

/** What this module needs of a ZkClient (a ZkClient is one; tests can pass a fake). */
export interface SubtreeClient {
  readonly options: {
    readonly readOnly: boolean;
    readonly maxRequestBytes: number;
    readonly maxInFlight: number;
    /** Largest reply the client reads (default 4 MiB): bounds a multiRead batch. */
    readonly maxReplyBytes?: number;
    readonly name?: string;
  };
  readonly chroot?: string;
  /** This session's id ('0x…', as in ephemeralOwner); unknown: every ephemeral node counts as another session's. */
  readonly sessionId?: string;
  getChildren(path: string): Promise<{ children: string[]; stat: ZnodeStat }>;
  getData(path: string): Promise<{ data: Uint8Array; stat: ZnodeStat }>;
  getACL(path: string): Promise<{ acl: ZkAcl[]; stat: ZnodeStat }>;
  exists(path: string): Promise<ZnodeStat | undefined>;
  create(path: string, data?: Uint8Array, opts?: CreateOptions): Promise<CreateResult>;
  setData(path: string, data: Uint8Array, version: number): Promise<ZnodeStat>;
  setACL(path: string, acl: readonly ZkAcl[], aclVersion: number): Promise<ZnodeStat>;
  remove(path: string, version: number): Promise<void>;
  multi(ops: readonly MultiOp[]): Promise<MultiResult[]>;
  getAllChildrenNumber(path: string): Promise<number>;
  /** Many reads in one request (ZooKeeper 3.6+); without it, or on older servers, the walk reads node by node. */
  multiRead?(ops: readonly ReadOp[]): Promise<ReadResult[]>;
}

export const SUBTREE_DEFAULTS = {
  /** Nodes being listed at once by a walk. */
  walkConcurrency: 128,
  /** A walk reading data keeps one multiRead in flight per this many nodes of its window (128: 4). */
  nodesPerBatchWindow: 32,
  /** A walk stops (TOO_MANY_NODES) past this many nodes. */
  maxNodes: 1_000_000,
  /** Bytes of one multi request (the server's limit, jute.maxbuffer, is 1,048,575). */
  maxBatchBytes: 512 * 1024,
  /** Ops in one multi. */
  maxBatchOps: 1000,
  /** Re-walks of one node that keeps getting new children while it is being deleted. */
  maxRewalks: 20,
  /** Retries of one batch after a connection loss or a deadline. */
  transientRetries: 3,
  /** How long countSubtree waits for getAllChildrenNumber before walking instead (ms). */
  countTimeoutMs: 3000,
};

/** Progress of a long operation; `total` is known once the walk is done. */
export interface SubtreeProgress {
  phase: 'walk' | 'delete' | 'write' | 'acl';
  done: number;
  total?: number;
}

