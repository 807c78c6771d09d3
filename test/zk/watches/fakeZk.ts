// An in-memory ZooKeeper for the watch manager's unit tests. It models what the manager relies on:
// - one ordered "wire" per session: replies and notifications are delivered one per macrotask in
//   the order the server produced them (a client sees a change's notification before any reply
//   that reflects the change);
// - one-shot data/exist/child watches (consumed when they fire) and persistent / persistent
//   recursive watches (addWatch; recursive ones deliver no childrenChanged), one notification per
//   change per session;
// - versions, cversion, czxid/mzxid/pzxid, ephemeral owners;
// - disconnects (notifications are lost; on reconnect one-shot watches are re-set with SetWatches
//   semantics, persistent ones without events), session expiry (a new client, no watches).
// "Another client" changes nodes with set/create/remove, synchronously.
import { EventEmitter } from 'node:events';
import type { Watcher, WatchEvent } from '../../../src/zk/client';
import type { ConnectionState, ConnectionStatus } from '../../../src/zk/ensembleConnection';
import { ZkError } from '../../../src/zk/errors';
import { parentPath } from '../../../src/zk/paths';
import type { ZnodeStat } from '../../../src/zk/stat';
import type { WatchClient, WatchHost } from '../../../src/zk/watches';

interface FakeNode {
  data: Uint8Array;
  version: number;
  cversion: number;
  czxid: bigint;
  mzxid: bigint;
  pzxid: bigint;
  ephemeralOwner: string;
  children: Set<string>;
}

const hex = (n: bigint) => '0x' + n.toString(16);

export class FakeZk {
  nodes = new Map<string, FakeNode>();
  zxid = 1n;
  sessions = new Set<FakeSession>();
  /** Answer addWatch with UNIMPLEMENTED (a 3.5 server). */
  noPersistent = false;
  /**
   * Deliver everything waiting on a session's wire in one macrotask, as one socket read does: a
   * notification can then be handled before the continuation of a reply that came just before it.
   */
  chunked = false;

  constructor() {
    this.nodes.set('/', this.newNode(new Uint8Array(0), '0x0'));
  }

  private newNode(data: Uint8Array, owner: string): FakeNode {
    const z = this.zxid;
    return { data, version: 0, cversion: 0, czxid: z, mzxid: z, pzxid: z, ephemeralOwner: owner, children: new Set() };
  }

  stat(path: string): ZnodeStat | undefined {
    const n = this.nodes.get(path);
    if (!n) return undefined;
    return {
      czxid: hex(n.czxid),
      mzxid: hex(n.mzxid),
      pzxid: hex(n.pzxid),
      ctime: new Date(0),
      mtime: new Date(0),
      version: n.version,
      cversion: n.cversion,
      aversion: 0,
      ephemeralOwner: n.ephemeralOwner,
      dataLength: n.data.length,
      numChildren: n.children.size,
    };
  }

  // --- "another client" ---------------------------------------------------------------------------

  create(path: string, data: string | Uint8Array = '', owner = '0x0'): void {
    if (this.nodes.has(path)) throw new Error(`fake: ${path} exists`);
    const parent = this.nodes.get(parentPath(path));
    if (!parent) throw new Error(`fake: no parent for ${path}`);
    this.zxid++;
    this.nodes.set(path, this.newNode(bytes(data), owner));
    parent.children.add(path.slice(path.lastIndexOf('/') + 1));
    parent.cversion++;
    parent.pzxid = this.zxid;
    this.trigger(path, 'created');
    this.trigger(parentPath(path), 'childrenChanged');
  }

  set(path: string, data: string | Uint8Array): number {
    const n = this.nodes.get(path);
    if (!n) throw new Error(`fake: no ${path}`);
    this.zxid++;
    n.data = bytes(data);
    n.version++;
    n.mzxid = this.zxid;
    this.trigger(path, 'dataChanged');
    return n.version;
  }

  remove(path: string): void {
    const n = this.nodes.get(path);
    if (!n) throw new Error(`fake: no ${path}`);
    if (n.children.size > 0) throw new Error(`fake: ${path} not empty`);
    this.zxid++;
    this.nodes.delete(path);
    const parent = this.nodes.get(parentPath(path))!;
    parent.children.delete(path.slice(path.lastIndexOf('/') + 1));
    parent.cversion++;
    parent.pzxid = this.zxid;
    this.trigger(path, 'deleted');
    this.trigger(parentPath(path), 'childrenChanged');
  }

  /** Creates the node and its missing parents. */
  mkdirp(path: string, data = ''): void {
    const parts = path.split('/').filter(Boolean);
    let at = '';
    for (let i = 0; i < parts.length; i++) {
      at += '/' + parts[i];
      if (!this.nodes.has(at)) this.create(at, i === parts.length - 1 ? data : '');
    }
  }

  private trigger(path: string, type: WatchEvent['type']): void {
    for (const s of this.sessions) s.serverTrigger(path, type);
  }
}

function bytes(d: string | Uint8Array): Uint8Array {
  return typeof d === 'string' ? Buffer.from(d, 'utf8') : d;
}

/** One session: the server's watches for it and its ordered wire. */
export class FakeSession implements WatchClient {
  readonly sessionId: string;
  dataWatches = new Set<string>();
  existWatches = new Set<string>();
  childWatches = new Set<string>();
  persistent = new Map<string, boolean>(); // path -> recursive
  /** Persistent watches whose children part was removed (removeWatches(path, 'children')). */
  persistentNoChildren = new Set<string>();
  connected = true;
  expired = false;
  lastZxidSeen = 0n;
  private wire: (() => void)[] = [];
  private scheduled = false;
  readonly events = new EventEmitter();
  calls: Record<string, number> = {};
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly zk: FakeZk,
    id: number,
  ) {
    this.sessionId = '0x' + id.toString(16);
    zk.sessions.add(this);
  }

  /** Replies or notifications still on their way. */
  get busy(): boolean {
    return this.wire.length > 0 || this.inFlight > 0;
  }

  get lastZxid(): string {
    return hex(this.lastZxidSeen);
  }

  private send(fn: () => void): void {
    this.wire.push(fn);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.deliverOne());
    }
  }

  private deliverOne(): void {
    if (this.zk.chunked) {
      const all = this.wire.splice(0);
      for (const fn of all) fn();
    }
    const fn = this.wire.shift();
    if (fn) fn();
    if (this.wire.length > 0) setImmediate(() => this.deliverOne());
    else this.scheduled = false;
  }

  serverTrigger(path: string, type: WatchEvent['type']): void {
    if (this.expired) return;
    let fire = false;
    const consume = (set: Set<string>) => {
      if (set.delete(path)) fire = true;
    };
    if (type === 'created') consume(this.existWatches);
    if (type === 'dataChanged' || type === 'deleted') consume(this.dataWatches);
    if (type === 'childrenChanged' || type === 'deleted') consume(this.childWatches);
    if (this.persistent.has(path) && !(type === 'childrenChanged' && (this.persistent.get(path) === true || this.persistentNoChildren.has(path)))) fire = true;
    if (type !== 'childrenChanged') {
      for (const [p, recursive] of this.persistent) {
        if (recursive && p !== path && (p === '/' || path.startsWith(p + '/'))) fire = true;
      }
    }
    if (!fire) return;
    if (!this.connected) return; // lost with the connection
    const zxid = this.zk.zxid;
    this.send(() => {
      if (!this.connected) return;
      if (zxid > this.lastZxidSeen) this.lastZxidSeen = zxid;
      this.events.emit('watchEvent', { type, path } satisfies WatchEvent);
    });
  }

  private request<T>(op: string, fn: () => T): Promise<T> {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise<T>((resolve, reject) => {
      if (this.expired) {
        this.inFlight--;
        reject(new ZkError('SESSIONEXPIRED', 'expired'));
        return;
      }
      if (!this.connected) {
        this.inFlight--;
        reject(new ZkError('CONNECTIONLOSS', 'connection lost'));
        return;
      }
      // The server handles the request on its turn; the reply follows what it produced before.
      setImmediate(() => {
        let result: { ok: T } | { err: unknown };
        try {
          result = { ok: fn() };
        } catch (e) {
          result = { err: e };
        }
        const zxid = this.zk.zxid;
        this.send(() => {
          this.inFlight--;
          if (!this.connected) {
            // The connection dropped with the request in flight.
            reject(new ZkError('CONNECTIONLOSS', 'connection lost'));
            return;
          }
          if (zxid > this.lastZxidSeen) this.lastZxidSeen = zxid;
          if ('ok' in result) resolve(result.ok);
          else reject(result.err);
        });
      });
    });
  }

  private noNode(path: string, op: string): never {
    throw ZkError.fromServer(-101, op, path);
  }

  exists(path: string, watcher?: Watcher): Promise<ZnodeStat | undefined> {
    return this.request('exists', () => {
      const st = this.zk.stat(path);
      if (watcher) (st ? this.dataWatches : this.existWatches).add(path);
      return st;
    });
  }

  getData(path: string, watcher?: Watcher): Promise<{ data: Uint8Array; stat: ZnodeStat }> {
    return this.request('getData', () => {
      const n = this.zk.nodes.get(path);
      if (!n) this.noNode(path, 'read');
      if (watcher) this.dataWatches.add(path);
      return { data: n.data, stat: this.zk.stat(path)! };
    });
  }

  getChildren(path: string, watcher?: Watcher): Promise<{ children: string[]; stat: ZnodeStat }> {
    return this.request('getChildren', () => {
      const n = this.zk.nodes.get(path);
      if (!n) this.noNode(path, 'list the children of');
      if (watcher) this.childWatches.add(path);
      return { children: [...n.children], stat: this.zk.stat(path)! };
    });
  }

  addWatch(path: string, recursive: boolean): Promise<void> {
    return this.request('addWatch', () => {
      if (this.zk.noPersistent) throw ZkError.fromServer(-6, 'watch', path);
      this.persistent.set(path, recursive);
      this.persistentNoChildren.delete(path);
    });
  }

  removeWatches(path: string): Promise<void> {
    return this.request('removeWatches', () => {
      const had = this.persistent.delete(path) || this.dataWatches.delete(path) || this.childWatches.delete(path) || this.existWatches.delete(path);
      this.dataWatches.delete(path);
      this.childWatches.delete(path);
      this.existWatches.delete(path);
      if (!had) throw ZkError.fromServer(-121, 'remove the watches of', path);
    });
  }

  getAllChildrenNumber(path: string): Promise<number> {
    return this.request('getAllChildrenNumber', () => {
      if (!this.zk.nodes.has(path)) this.noNode(path, 'count');
      let n = 0;
      for (const p of this.zk.nodes.keys()) if (p !== path && (path === '/' ? p !== '/' : p.startsWith(path + '/'))) n++;
      return n;
    });
  }

  /** Another part of this session removes a watch (the tree collapsing a node): the server says so. */
  removeBySomeoneElse(path: string): void {
    this.persistent.delete(path);
    this.childWatches.delete(path);
    this.send(() => this.events.emit('watchEvent', { type: 'childWatchRemoved', path } satisfies WatchEvent));
  }

  /**
   * What ZooKeeper 3.8 does when another part of the session calls removeWatches(path, 'children')
   * (the tree collapsing a node): one-shot child watches go, and so does the children part of a
   * persistent watch, without any notification.
   */
  removeChildWatchesSilently(path: string): void {
    this.childWatches.delete(path);
    if (this.persistent.get(path) === false) this.persistentNoChildren.add(path);
  }

  disconnect(): void {
    this.connected = false;
  }

  /** Reconnects: one-shot watches are set again the way SetWatches does it; persistent ones silently. */
  reconnect(): void {
    this.connected = true;
    const rel = this.lastZxidSeen;
    const fire = (type: WatchEvent['type'], path: string) =>
      this.send(() => this.events.emit('watchEvent', { type, path } satisfies WatchEvent));
    for (const p of [...this.dataWatches]) {
      const n = this.zk.nodes.get(p);
      if (!n) {
        this.dataWatches.delete(p);
        fire('deleted', p);
      } else if (n.mzxid > rel) {
        this.dataWatches.delete(p);
        fire('dataChanged', p);
      }
    }
    for (const p of [...this.existWatches]) {
      if (this.zk.nodes.has(p)) {
        this.existWatches.delete(p);
        fire('created', p);
      }
    }
    for (const p of [...this.childWatches]) {
      const n = this.zk.nodes.get(p);
      if (!n) {
        this.childWatches.delete(p);
        fire('deleted', p);
      } else if (n.pzxid > rel) {
        this.childWatches.delete(p);
        fire('childrenChanged', p);
      }
    }
  }

  expire(): void {
    this.expired = true;
    this.connected = false;
    this.zk.sessions.delete(this);
  }
}

/** The EnsembleConnection as the watch manager sees it. */
export class FakeHost extends EventEmitter implements WatchHost {
  state: ConnectionState = 'connected';
  current: FakeSession;
  private nextId = 1;

  constructor(
    readonly zk: FakeZk,
    readonly name = 'test',
  ) {
    super();
    this.current = this.newSession();
  }

  get client(): FakeSession {
    if (this.state === 'idle' || this.state === 'closed') throw new ZkError('CLOSED', 'not open');
    return this.current;
  }

  private newSession(): FakeSession {
    const s = new FakeSession(this.zk, 0x1000 + this.nextId++);
    s.events.on('watchEvent', (e: WatchEvent) => {
      if (s === this.current) this.emit('watchEvent', e);
    });
    return s;
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.emit('status', { state } satisfies ConnectionStatus);
  }

  disconnect(): void {
    this.current.disconnect();
    this.setState('reconnecting');
  }

  reconnect(): void {
    this.current.reconnect();
    this.setState('connected');
  }

  /** The session expires; a new one is made and connected. */
  expire(): void {
    const old = this.current;
    old.expire();
    if (this.state === 'connected') this.setState('reconnecting');
    this.emit('sessionExpired', old.sessionId);
    this.current = this.newSession();
    this.current.disconnect();
    this.setState('sessionExpired');
  }

  /** The new session (after expire()) connects. */
  connectNew(): void {
    const previous = this.current;
    previous.connected = true;
    this.setState('connected');
    this.emit('sessionRenewed', { previousSessionId: '?', sessionId: previous.sessionId });
  }
}
