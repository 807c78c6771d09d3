// One-shot watches a WatchManager arms by reading (servers without persistent watches, and node
// watches there): which are believed set on each path, and the read that sets them again. A watch
// counts as set only if nothing fired between asking for it and its reply.
import type { Watcher } from '../client';
import { isZkError } from '../errors';
import type { ZnodeStat } from '../stat';
import { dataDigest } from './savedState';
import type { ChangeType, Observation } from './types';
import type { WatchClient } from './watchOptions';

/** One-shot watches believed set on a path, and how many times each kind fired. */
export interface ArmState {
  data: boolean;
  child: boolean;
  dataFired: number;
  childFired: number;
}

/** Watchers for one-shot watches: events are taken from the connection's 'watchEvent' stream. */
const ARM: Watcher = () => undefined;

export class Arming {
  private readonly armed = new Map<string, ArmState>();

  constructor(
    private readonly options: { readonly previewBytes: number; readonly maxTrackedChildren: number },
    private readonly counters: { reads: number },
  ) {}

  /** What is believed set on a path (nothing when unknown). */
  stateOf(path: string): ArmState {
    return this.armed.get(path) ?? { data: false, child: false, dataFired: 0, childFired: 0 };
  }

  forget(path: string): void {
    this.armed.delete(path);
  }

  clear(): void {
    this.armed.clear();
  }

  /** A notification consumed the one-shot watches it fired. */
  consume(path: string, type: ChangeType): void {
    const a = this.armed.get(path);
    if (!a) return;
    if (type === 'created' || type === 'dataChanged' || type === 'deleted') {
      a.data = false;
      a.dataFired++;
    }
    if (type === 'childrenChanged' || type === 'deleted') {
      a.child = false;
      a.childFired++;
    }
  }

  /** One read of a node (data, children, both), setting one-shot watches when asked. */
  async observe(
    client: WatchClient,
    path: string,
    needData: boolean,
    needChildren: boolean,
    arm: { data: boolean; child: boolean; exists: boolean } | undefined,
  ): Promise<Observation> {
    this.counters.reads++;
    let armed = this.armed.get(path);
    if (arm && !armed) this.armed.set(path, (armed = { data: false, child: false, dataFired: 0, childFired: 0 }));
    // A watch set by this read may fire before its reply is processed (the notification can come
    // in the same socket read): a watch counts as set only if nothing fired since it was asked for.
    const dataFired = armed?.dataFired ?? 0;
    const childFired = armed?.childFired ?? 0;
    const dataRead = needData
      ? client.getData(path, arm?.data ? ARM : undefined).then(
          (r) => r,
          (e: unknown) => {
            if (isZkError(e, 'NONODE')) return undefined;
            throw e;
          },
        )
      : Promise.resolve(undefined);
    const childRead = needChildren
      ? client.getChildren(path, arm?.child ? ARM : undefined).then(
          (r) => r,
          (e: unknown) => {
            if (isZkError(e, 'NONODE')) return undefined;
            throw e;
          },
        )
      : Promise.resolve(undefined);
    const [d, c] = await Promise.all([dataRead, childRead]);
    let obs: Observation;
    if (needData && !d) {
      obs = { exists: false };
      if (arm?.exists && armed) {
        // Missing: an exists watch reports its creation (it is a data watch once the node exists).
        const fired = armed.dataFired;
        const stat = await client.exists(path, ARM);
        if (armed.dataFired === fired) armed.data = true;
        if (stat) obs = this.observation(stat, undefined);
      } else if (armed) {
        armed.data = false;
      }
    } else if (d) {
      obs = this.observation(d.stat, d.data);
      if (arm?.data && armed && armed.dataFired === dataFired) armed.data = true;
    } else {
      obs = c ? this.observation(c.stat, undefined) : { exists: false };
    }
    if (c && obs.exists) {
      obs.cversion = c.stat.cversion;
      obs.numChildren = c.stat.numChildren;
      obs.pzxid = c.stat.pzxid;
      if (c.children.length <= this.options.maxTrackedChildren) obs.children = c.children.slice().sort();
      else obs.childrenOverLimit = true;
      if (arm?.child && armed && armed.childFired === childFired) armed.child = true;
    } else if (needChildren && !c && armed) {
      armed.child = false;
    }
    if (!c && obs.exists) {
      // Children not listed: their counters come with the listing, or a children change would be
      // recorded without its names.
      delete obs.cversion;
      delete obs.pzxid;
      delete obs.numChildren;
    }
    return obs;
  }

  observation(stat: ZnodeStat, data: Uint8Array | undefined): Observation {
    const obs: Observation = {
      exists: true,
      czxid: stat.czxid,
      mzxid: stat.mzxid,
      pzxid: stat.pzxid,
      version: stat.version,
      cversion: stat.cversion,
      ephemeralOwner: stat.ephemeralOwner,
      numChildren: stat.numChildren,
    };
    if (data) {
      // A copy of the start only: never keep the reply buffer (up to 1 MiB) alive.
      obs.data = { head: new Uint8Array(data.subarray(0, this.options.previewBytes)), size: data.length, digest: dataDigest(data) };
    }
    return obs;
  }
}
