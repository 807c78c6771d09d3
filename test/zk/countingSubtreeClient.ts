// The client as the subtree walk sees it, counting its requests, with a hook before each multiRead
// is sent: the multiRead walk tests (with data, and names only) watch what the walk asks for.
import type { ZkClient } from '../../src/zk/client';
import type { SubtreeClient } from '../../src/zk/subtree';
import type { ReadOp } from '../../src/zk/wire/multiRead';

export interface CountingOptions {
  beforeMultiRead?: (ops: readonly ReadOp[]) => Promise<void>;
  /** How a batch is recorded in calls.batches (default: "type path" for every op). */
  recordBatch?: (ops: readonly ReadOp[]) => string[];
}

export function countingSubtreeClient(zk: ZkClient, opts: CountingOptions = {}) {
  const calls = { multiRead: 0, getChildren: 0, getData: 0, batches: [] as string[][] };
  const record = opts.recordBatch ?? ((ops: readonly ReadOp[]) => ops.map((o) => `${o.type} ${o.path}`));
  const client: SubtreeClient = {
    options: zk.options,
    chroot: zk.chroot,
    sessionId: zk.sessionId,
    getChildren: (p) => (calls.getChildren++, zk.getChildren(p)),
    getData: (p) => (calls.getData++, zk.getData(p)),
    getACL: (p) => zk.getACL(p),
    exists: (p) => zk.exists(p),
    create: (p, d, o) => zk.create(p, d, o),
    setData: (p, d, v) => zk.setData(p, d, v),
    setACL: (p, a, v) => zk.setACL(p, a, v),
    remove: (p, v) => zk.remove(p, v),
    multi: (ops) => zk.multi(ops),
    getAllChildrenNumber: (p) => zk.getAllChildrenNumber(p),
    multiRead: async (ops) => {
      calls.multiRead++;
      calls.batches.push(record(ops));
      await opts.beforeMultiRead?.(ops);
      return zk.multiRead(ops);
    },
  };
  return { client, calls };
}
