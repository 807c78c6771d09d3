// ZkClient: one ZooKeeper session as promises. Every request has a deadline, every failure is a
// ZkError with a message a user can act on, data is bytes (Uint8Array) end to end, stats are
// decoded, paths are relative to the chroot, and a read-only connection refuses writes here, in
// the domain layer, whatever the UI shows.
import { EventEmitter } from 'node:events';
import * as tls from 'node:tls';
import { OPEN_ACL_UNSAFE, type ZkAcl } from './acl';
import { parseConnectString, formatServer, type ServerAddress } from './connectString';
import { ZkError, isZkError } from './errors';
import { assertValidPath } from './paths';
import { ServerCapabilities } from './serverCapabilities';
import type { ZnodeStat } from './stat';
import {
  ADD_WATCH_MODE,
  OP,
  STATES,
  ZkTransport,
  jute,
  records,
  type ReplyCallback,
  type WatcherEventFrame,
  type ReplyFailure,
  type WireRequest,
} from './transport';
import { DEFAULT_MAX_REPLY_BYTES } from './wire/frames';
import { isWrite } from './wire/opcodes';
import { multiReadPayload, readMultiRead, toReadResults, type MultiReadPart, type ReadOp, type ReadResult } from './wire/multiRead';
import type { ClientInfo, GetAclReply, GetChildrenReply, GetDataReply, MultiPartReply, StatReply } from './wire/replies';
import { RequestSlots } from './requestSlots';

export type { ClientInfo } from './wire/replies';

export type ZkState =
  | 'connecting'
  | 'connected'
  | 'connectedReadOnly'
  | 'disconnected'
  | 'expired'
  | 'authFailed'
  | 'closed';

export interface ZkClientOptions {
  /** host:port[,host:port...][/chroot] */
  connectString: string;
  sessionTimeoutMs?: number;
  /** One attempt at one server. */
  connectTimeoutMs?: number;
  /** Deadline of every request, from the call to the reply (including time spent queued). */
  requestTimeoutMs?: number;
  /** A connected server that is silent this long is dropped and the next one tried. */
  livenessTimeoutMs?: number;
  /** Refuse every write in this layer (production guard). */
  readOnly?: boolean;
  tls?: tls.ConnectionOptions;
  auth?: { scheme: string; auth: string | Uint8Array }[];
  /** Requests on the wire at once; more wait in line (the library's queue degrades past ~16k). */
  maxInFlight?: number;
  /** Largest request frame the server accepts (its jute.maxbuffer, 0xfffff by default). */
  maxRequestBytes?: number;
  /** Largest inbound frame accepted from a server; a longer one is a protocol error that drops the connection. */
  maxReplyBytes?: number;
  spinDelayMs?: number;
  maxBackoffMs?: number;
  /** A label for messages ("production"): which connection refused or failed. */
  name?: string;
  /** Resume an existing session (tests use it to force an expiry from a second client). */
  session?: { id: Buffer; password: Buffer };
  /**
   * Accept a server in read-only mode (it lost its quorum; readonlymode.enabled): reads work,
   * writes fail with NOTREADONLY, and the session moves to a read-write server once one answers.
   */
  canBeReadOnly?: boolean;
}

export const DEFAULTS = {
  sessionTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  maxInFlight: 1_000,
  maxRequestBytes: 0xfffff,
  maxReplyBytes: DEFAULT_MAX_REPLY_BYTES,
  spinDelayMs: 250,
  maxBackoffMs: 10_000,
};

export type CreateMode =
  | 'persistent'
  | 'ephemeral'
  | 'persistentSequential'
  | 'ephemeralSequential'
  | 'container'
  | 'persistentTtl'
  | 'persistentSequentialTtl';

const CREATE_FLAGS: Record<CreateMode, number> = {
  persistent: 0,
  ephemeral: 1,
  persistentSequential: 2,
  ephemeralSequential: 3,
  container: 4,
  persistentTtl: 5,
  persistentSequentialTtl: 6,
};

export interface CreateOptions {
  mode?: CreateMode;
  acl?: readonly ZkAcl[];
  /** Required for the TTL modes. */
  ttlMs?: number;
}

export interface CreateResult {
  /** Actual path (with the sequence suffix for sequential nodes). */
  path: string;
  stat: ZnodeStat;
}

export type WatchEventType =
  | 'created'
  | 'deleted'
  | 'dataChanged'
  | 'childrenChanged'
  | 'childWatchRemoved'
  | 'dataWatchRemoved'
  | 'persistentWatchRemoved'
  | `unknown(${number})`;

export interface WatchEvent {
  type: WatchEventType;
  /** Path relative to the chroot. */
  path: string;
}

export type Watcher = (event: WatchEvent) => void;

const EVENT_TYPES: Record<number, WatchEventType> = {
  1: 'created',
  2: 'deleted',
  3: 'dataChanged',
  4: 'childrenChanged',
  5: 'childWatchRemoved',
  6: 'dataWatchRemoved',
  7: 'persistentWatchRemoved',
};

export type MultiOp =
  | { type: 'create'; path: string; data?: Uint8Array; mode?: CreateMode; acl?: readonly ZkAcl[]; ttlMs?: number }
  | { type: 'delete'; path: string; version?: number }
  | { type: 'setData'; path: string; data: Uint8Array; version?: number }
  | { type: 'check'; path: string; version: number };

export type MultiResult =
  | { type: 'create'; path: string; stat?: ZnodeStat }
  | { type: 'delete' }
  | { type: 'setData'; stat: ZnodeStat }
  | { type: 'check' };

/** A multi that failed as a whole: which op failed, and why. */
export class ZkMultiError extends ZkError {
  constructor(
    readonly failedIndex: number,
    override readonly cause: ZkError,
  ) {
    super(cause.code, `Transaction failed at step ${failedIndex + 1}: ${cause.message}; nothing was applied`, {
      path: cause.path,
      op: 'multi',
      serverCode: cause.serverCode,
      cause,
    });
  }
}

export type RemoveWatchType = 'children' | 'data' | 'any';

interface RequestFlags {
  skipPathCheck?: boolean;
  /** Called synchronously with the reply code (0 = ok) before the promise settles. */
  onReply?: (code: number) => void;
}

/**
 * One session. When the session expires the object is spent (state 'expired'): a caller that
 * wants to go on makes a new ZkClient, which is what EnsembleConnection does.
 */
export class ZkClient extends EventEmitter {
  // No `auth`: credentials go to the transport (which must re-send them after a reconnect) and are not kept here.
  readonly options: Required<Omit<ZkClientOptions, 'tls' | 'auth' | 'name' | 'livenessTimeoutMs' | 'session'>> &
    Pick<ZkClientOptions, 'tls' | 'name'> & { livenessTimeoutMs: number };
  readonly servers: ServerAddress[];
  readonly chroot: string | undefined;
  private readonly transport: ZkTransport;
  private readonly slots: RequestSlots;
  private closed = false;
  private everConnected = false;
  /** Request types this connection's servers refused (older ZooKeeper): failed at once, never re-sent. */
  readonly capabilities = new ServerCapabilities(() => {
    // Disconnected first: requests made from now on wait for the next connection instead of being lost.
    this.transport.setState(STATES.DISCONNECTED);
    this.transport.dropConnection();
  });
  private readonly watcherWrappers = new WeakMap<Watcher, (event: { getType(): number; getPath(): string }) => void>();

  constructor(options: ZkClientOptions) {
    super();
    const parsed = parseConnectString(options.connectString);
    const sessionTimeoutMs = options.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs;
    this.options = {
      connectString: options.connectString,
      sessionTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      // A few seconds: long enough for a busy server, short enough to move before the session expires.
      livenessTimeoutMs: options.livenessTimeoutMs ?? Math.max(1500, Math.min(5000, Math.floor(sessionTimeoutMs / 3))),
      readOnly: options.readOnly ?? false,
      canBeReadOnly: options.canBeReadOnly ?? false,
      maxInFlight: options.maxInFlight ?? DEFAULTS.maxInFlight,
      maxRequestBytes: options.maxRequestBytes ?? DEFAULTS.maxRequestBytes,
      maxReplyBytes: options.maxReplyBytes ?? DEFAULTS.maxReplyBytes,
      spinDelayMs: options.spinDelayMs ?? DEFAULTS.spinDelayMs,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULTS.maxBackoffMs,
      tls: options.tls,
      name: options.name,
    };
    this.servers = parsed.servers;
    this.chroot = parsed.chroot;
    this.slots = new RequestSlots(this.options.maxInFlight, this.options.requestTimeoutMs);
    this.transport = new ZkTransport({
      servers: parsed.servers,
      sessionTimeoutMs,
      connectTimeoutMs: this.options.connectTimeoutMs,
      livenessTimeoutMs: this.options.livenessTimeoutMs,
      spinDelayMs: this.options.spinDelayMs,
      maxBackoffMs: this.options.maxBackoffMs,
      tls: options.tls,
      sessionId: options.session?.id,
      sessionPassword: options.session?.password,
      canBeReadOnly: this.options.canBeReadOnly,
      maxReplyBytes: this.options.maxReplyBytes,
    });
    for (const a of options.auth ?? []) this.transport.addAuthInfo(a.scheme, toBuffer(a.auth));
    const ev = this.transport.events;
    ev.on('state', (s: number) => this.onTransportState(s));
    ev.on('notification', (e: WatcherEventFrame) => this.onNotification(e));
    ev.on('socketError', (err: Error, server: ServerAddress) => this.emit('socketError', err, server));
    ev.on('connectedTo', (server: ServerAddress, ro: boolean) => this.emit('connectedTo', server, ro));
    ev.on('livenessTimeout', (server: ServerAddress, ms: number) => this.emit('livenessTimeout', server, ms));
    ev.on('protocolError', (err: Error) => this.emit('protocolError', err));
    // A close this side causes says nothing about what the server supports.
    ev.on('connectedTo', () => this.capabilities.connected());
    for (const local of ['livenessTimeout', 'protocolError', 'readWriteServerFound']) ev.on(local, () => this.capabilities.closingHere());
  }

  // --- session ------------------------------------------------------------------------------

  get state(): ZkState {
    return stateName(this.transport.state);
  }

  /** Session id as hex ('0x…'), as it appears in ephemeralOwner and in `cons`. */
  get sessionId(): string {
    const b: Buffer = this.transport.getSessionId();
    return '0x' + b.readBigUInt64BE(0).toString(16);
  }

  get sessionPassword(): Buffer {
    return this.transport.getSessionPassword();
  }

  /** Negotiated session timeout (ms), once connected. */
  get sessionTimeout(): number {
    return this.transport.getSessionTimeout();
  }

  get currentServer(): string | undefined {
    return this.transport.currentServer ? formatServer(this.transport.currentServer) : undefined;
  }

  /** This end of the connection (what the server's `cons` lists for this session), when connected. */
  get localEndpoint(): { address: string; port: number } | undefined {
    return this.transport.localEndpoint;
  }

  get lastSocketError(): (Error & { code?: string }) | undefined {
    return this.transport.lastSocketError;
  }

  /**
   * Starts the session and resolves once connected. Rejects with a ZkError that says why when no
   * server could be reached within `deadlineMs` (the client keeps trying until close()), or at
   * once when the credentials are refused.
   */
  connect(deadlineMs = this.options.connectTimeoutMs * Math.max(1, this.servers.length) + 1000): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError('connect'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(this.connectFailure(deadlineMs));
      }, deadlineMs);
      const onState = (s: ZkState) => {
        if (s === 'connected' || s === 'connectedReadOnly') {
          cleanup();
          resolve();
        } else if (s === 'authFailed' || s === 'expired' || s === 'closed') {
          cleanup();
          reject(this.terminalError(s, 'connect'));
        }
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.off('state', onState);
      };
      this.on('state', onState);
      if (this.transport.state === STATES.DISCONNECTED && !this.everConnected) this.transport.connect();
      else onState(this.state);
    });
  }

  /** Explains why connecting failed, from the last socket error seen. */
  private connectFailure(waitedMs: number): ZkError {
    const err = this.transport.lastSocketError;
    const where = this.servers.map(formatServer).join(', ');
    const reason = describeSocketError(err, this.options.tls !== undefined);
    return new ZkError('CONNECT_FAILED', `Cannot connect to ${where} within ${waitedMs} ms: ${reason}`, {
      op: 'connect',
      cause: err,
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.capabilities.closingHere();
    await this.transport.shutdown();
  }

  /** Drops the socket; the session continues on the next server (Reconnect, and tests). */
  dropConnection(): void {
    this.capabilities.closingHere();
    this.transport.dropConnection();
  }

  /** Adds credentials to the session; resolves once the server has processed them. */
  async addAuth(scheme: string, auth: string | Uint8Array): Promise<void> {
    this.transport.addAuthInfo(scheme, toBuffer(auth));
    // The auth reply has no xid of its own to wait on; a round trip after it proves it was taken.
    try {
      await this.exists('/');
    } catch (e) {
      if (this.state === 'authFailed') throw this.terminalError('authFailed', 'addAuth');
      throw e;
    }
  }

  private lastEmittedState: ZkState | undefined;

  private onTransportState(s: number): void {
    const name = stateName(s);
    if (name === this.lastEmittedState) return;
    this.lastEmittedState = name;
    if (name === 'connected' || name === 'connectedReadOnly') this.everConnected = true;
    this.emit('state', name);
  }

  private onNotification(e: WatcherEventFrame): void {
    const path = this.fromServerPath(e.path);
    if (path === undefined) return;
    this.emit('watchEvent', { type: EVENT_TYPES[e.type] ?? `unknown(${e.type})`, path } satisfies WatchEvent);
    // A recursive watch reports a child's creation or deletion but never "children changed": a
    // local child watcher on the parent, served by that watch, hears it as one.
    if (e.type === 1 || e.type === 2) {
      const parent = e.path.slice(0, Math.max(1, e.path.lastIndexOf('/')));
      const wm = this.transport.watcherManager;
      if (this.transport.persistentWatches.get(parent) === ADD_WATCH_MODE.PERSISTENT_RECURSIVE && wm.childWatchers[parent]) {
        wm.emit({ type: 4, state: e.state, path: parent });
      }
    }
  }

  // --- reads --------------------------------------------------------------------------------

  /** The node's Stat, or undefined when it does not exist. With a watcher: created/deleted/dataChanged. */
  exists(path: string, watcher?: Watcher): Promise<ZnodeStat | undefined> {
    return this.request(
      'look up',
      path,
      (full) => {
        const payload = new jute.protocol.ExistsRequest(full, false);
        payload.watch = watcher !== undefined && !this.servedByPersistent(path);
        return this.wire(OP.EXISTS, payload);
      },
      {
        // A watch is set when the node exists (data watch) and when it does not (existence watch).
        onReply: watcher && ((code) => this.registerWatcher(code === 0 ? 'data' : code === -101 ? 'exists' : undefined, path, watcher)),
      },
    ).then(
      (body) => (body as StatReply).stat,
      (e: unknown) => {
        if (e instanceof ZkError && e.code === 'NONODE') return undefined;
        throw e;
      },
    );
  }

  async getData(path: string, watcher?: Watcher): Promise<{ data: Uint8Array; stat: ZnodeStat }> {
    const body = (await this.request(
      'read',
      path,
      (full) => this.wire(OP.GET_DATA, new jute.protocol.GetDataRequest(full, watcher !== undefined && !this.servedByPersistent(path))),
      { onReply: watcher && ((code) => this.registerWatcher(code === 0 ? 'data' : undefined, path, watcher)) },
    )) as GetDataReply;
    return { data: asBytes(body.data), stat: body.stat };
  }

  /** Children names (unsorted, as the server sends them) and the parent's Stat. */
  async getChildren(path: string, watcher?: Watcher): Promise<{ children: string[]; stat: ZnodeStat }> {
    const body = (await this.request(
      'list the children of',
      path,
      (full) => this.wire(OP.GET_CHILDREN2, new jute.protocol.GetChildren2Request(full, watcher !== undefined && !this.servedByPersistent(path))),
      { onReply: watcher && ((code) => this.registerWatcher(code === 0 ? 'child' : undefined, path, watcher)) },
    )) as GetChildrenReply;
    return body;
  }

  async getACL(path: string): Promise<{ acl: ZkAcl[]; stat: ZnodeStat }> {
    const body = (await this.request('read the ACL of', path, (full) =>
      this.wire(OP.GET_ACL, new jute.protocol.GetACLRequest(full)),
    )) as GetAclReply;
    return body;
  }

  /** Number of descendants (not counting the node), ZooKeeper 3.6+. */
  async getAllChildrenNumber(path: string): Promise<number> {
    const body = (await this.request('count the descendants of', path, (full) =>
      this.wire(OP.GET_ALL_CHILDREN_NUMBER, new records.PathRequest(full)),
    )) as { totalNumber: number };
    return body.totalNumber;
  }

  /** Paths of this session's ephemeral nodes under a prefix, ZooKeeper 3.6+. */
  async getEphemerals(prefixPath = '/'): Promise<string[]> {
    const body = (await this.request('list the ephemerals under', prefixPath, (full) =>
      this.wire(OP.GET_EPHEMERALS, new records.PathRequest(full)),
    )) as { ephemerals?: string[] };
    return (body.ephemerals ?? []).map((p) => this.fromServerPath(p) ?? p);
  }

  /** The identities the server associates with this session, ZooKeeper 3.7+. */
  async whoAmI(): Promise<ClientInfo[]> {
    const body = (await this.request('ask who am I', undefined, () => this.wire(OP.WHO_AM_I, null))) as {
      clientInfo?: ClientInfo[];
    };
    return (body.clientInfo ?? []).map((c) => ({ authScheme: c.authScheme, user: c.user }));
  }

  /**
   * Many getData/getChildren in one request, ZooKeeper 3.6+ (older servers: UNIMPLEMENTED). Not a
   * transaction: a part that fails is an error result, the others still answer. A reply over
   * maxReplyBytes fails with REPLY_TOO_LARGE and the connection stays up: ask for less at once.
   */
  async multiRead(ops: readonly ReadOp[]): Promise<ReadResult[]> {
    if (ops.length === 0) return [];
    for (const op of ops) assertValidPath(op.path, 'read');
    const wireOps = ops.map((op) => ({ type: op.type, path: this.toServerPath(op.path) }));
    const build = () => {
      const request = this.wire(OP.MULTI_READ, multiReadPayload(wireOps));
      request.decode = (r) => readMultiRead(r, wireOps);
      request.failOversizedReply = true;
      return request;
    };
    const parts = (await this.request('read', ops[0].path, build, { skipPathCheck: true })) as MultiReadPart[];
    return toReadResults(parts, ops);
  }

  /** Waits until the server this session is on has caught up with the leader for this path. */
  async sync(path = '/'): Promise<void> {
    await this.request('sync', path, (full) => this.wire(OP.SYNC, new records.PathRequest(full)));
  }

  // --- writes -------------------------------------------------------------------------------

  async create(path: string, data: Uint8Array = new Uint8Array(0), opts: CreateOptions = {}): Promise<CreateResult> {
    const mode = opts.mode ?? 'persistent';
    const flags = CREATE_FLAGS[mode];
    if (flags === undefined) throw new ZkError('INVALID_ARGUMENT', `Unknown create mode "${mode}"`, { path, op: 'create' });
    const isTtl = mode === 'persistentTtl' || mode === 'persistentSequentialTtl';
    if (isTtl && !(Number.isInteger(opts.ttlMs) && (opts.ttlMs ?? 0) > 0)) {
      throw new ZkError('INVALID_ARGUMENT', `A TTL node needs a positive whole number of milliseconds`, { path, op: 'create' });
    }
    const send = () =>
      this.request('create', path, (full) => {
        const acl = aclRecords(opts.acl ?? OPEN_ACL_UNSAFE);
        if (isTtl) {
          const ttl = Buffer.alloc(8);
          ttl.writeBigInt64BE(BigInt(opts.ttlMs ?? 0));
          return this.wire(OP.CREATE_TTL, new records.CreateTTLRequest(full, toBuffer(data), acl, flags, ttl));
        }
        return this.wire(mode === 'container' ? OP.CREATE_CONTAINER : this.createOpcode(), new jute.protocol.CreateRequest(full, toBuffer(data), acl, flags));
      });
    // ZooKeeper 3.4 has no create2: it refuses it (nothing created), and plain create is used from
    // then on. A server that closes the connection after the refusal loses what is sent before the
    // close: a harmless read first lets the retry wait for the next connection.
    const retry = async (e: unknown) => {
      if (!(isZkError(e, 'UNIMPLEMENTED') && !isTtl && mode !== 'container' && this.createOpcode() === OP.CREATE)) throw e;
      await this.exists('/').catch(() => undefined);
      return send();
    };
    const body = (await send().catch(retry)) as { path: string; stat?: ZnodeStat };
    const created = this.fromServerPath(body.path) ?? body.path;
    if (body.stat) return { path: created, stat: body.stat };
    const stat = await this.exists(created);
    if (!stat) throw new ZkError('NONODE', `Node ${created} was created but deleted by someone else before its Stat could be read`, { path: created, op: 'create' });
    return { path: created, stat };
  }

  /** create2 (3.5+), or plain create on a server known to refuse create2 (3.4), whose reply has no Stat. */
  private createOpcode(): number {
    return this.capabilities.lacks(OP.CREATE2, this.currentServer) ? OP.CREATE : OP.CREATE2;
  }

  /** Writes data if the node is still at `version` (-1 = any version: only when the user chose to overwrite). */
  async setData(path: string, data: Uint8Array, version: number): Promise<ZnodeStat> {
    const body = (await this.versioned('write', path, version, (full) =>
      this.wire(OP.SET_DATA, new jute.protocol.SetDataRequest(full, toBuffer(data), version)),
    )) as StatReply;
    return body.stat;
  }

  async remove(path: string, version: number): Promise<void> {
    await this.versioned('delete', path, version, (full) =>
      this.wire(OP.DELETE, new jute.protocol.DeleteRequest(full, version)),
    );
  }

  async setACL(path: string, acl: readonly ZkAcl[], aclVersion: number): Promise<ZnodeStat> {
    const body = (await this.versioned('change the ACL of', path, aclVersion, (full) =>
      this.wire(OP.SET_ACL, new jute.protocol.SetACLRequest(full, aclRecords(acl), aclVersion)),
    )) as StatReply;
    return body.stat;
  }

  /** Runs ops atomically: all are applied, or none (ZkMultiError says which op failed). */
  async multi(ops: readonly MultiOp[]): Promise<MultiResult[]> {
    if (ops.length === 0) return [];
    for (const op of ops) assertValidPath(op.path, op.type);
    const run = () => this.request('run a transaction on', ops[0].path, () => this.multiRequest(ops), { skipPathCheck: true });
    // ZooKeeper 3.4 cannot read a create2 inside a multi and refuses the whole multi (nothing applied).
    const plainCreate = ops.some((op) => op.type === 'create' && (op.mode ?? 'persistent') !== 'container' && !op.mode?.endsWith('Ttl'));
    const on34 = (e: unknown) =>
      plainCreate && isZkError(e, 'MARSHALLINGERROR') && this.capabilities.refusedInMulti(OP.CREATE2, this.currentServer) ? run() : Promise.reject(e);
    const results = (await run().catch(on34)) as MultiPartReply[];
    const failed = results.findIndex((r) => r.err !== undefined && r.err !== 0);
    if (failed >= 0) {
      const firstReal = results.findIndex((r) => r.err !== undefined && r.err !== 0 && r.err !== -2);
      const index = firstReal >= 0 ? firstReal : failed;
      throw new ZkMultiError(index, ZkError.fromServer(results[index].err ?? -1, ops[index].type, ops[index].path));
    }
    return results.map((r, i): MultiResult => {
      switch (ops[i].type) {
        case 'create':
          return { type: 'create', path: this.fromServerPath(r.path ?? '') ?? r.path ?? '', stat: r.stat };
        case 'setData':
          return { type: 'setData', stat: r.stat as ZnodeStat };
        default:
          return { type: ops[i].type } as MultiResult;
      }
    });
  }

  /** Adds a persistent (optionally recursive) watch, ZooKeeper 3.6+; events arrive as 'watchEvent'. */
  async addWatch(path: string, recursive: boolean): Promise<void> {
    const mode = recursive ? ADD_WATCH_MODE.PERSISTENT_RECURSIVE : ADD_WATCH_MODE.PERSISTENT;
    await this.request('watch', path, (full) => this.wire(OP.ADD_WATCH, new records.PathModeRequest(full, mode)));
    this.transport.persistentWatches.set(this.toServerPath(path), mode);
  }

  /** Removes watches of a kind from a path on the server (one-shot and persistent alike). */
  async removeWatches(path: string, type: RemoveWatchType = 'any'): Promise<void> {
    const code = { children: 1, data: 2, any: 3 }[type];
    const full = this.toServerPath(path);
    // Forget them locally too, or the next reconnect would register them again (SetWatches).
    const wm = this.transport.watcherManager;
    if (type !== 'data') delete wm.childWatchers[full];
    if (type !== 'children') {
      delete wm.dataWatchers[full];
      delete wm.existenceWatchers[full];
    }
    if (type !== 'any' && this.transport.persistentWatches.has(full)) {
      // Up to ZooKeeper 3.8 a session holds one watch per path (ZOOKEEPER-4466): the persistent
      // watch is what serves this kind here, and removing the kind would silently cut it.
      return;
    }
    if (type === 'any') this.transport.persistentWatches.delete(full);
    await this.request('remove the watches of', path, (f) =>
      this.wire(OP.REMOVE_WATCHES, new records.RemoveWatchesRequest(f, code)),
    );
    // The removal may have taken other parts of this session's interest in the path with it
    // (the tree's child watch when the watch log unwatches): set again what is still wanted.
    await this.rearmOneShot(path).catch(() => undefined);
  }

  /**
   * Removes this session's persistent watch on a path. One-shot watches that other parts of the
   * extension hold on the same path (the tree's child watch) are set again on the server.
   */
  async removePersistentWatch(path: string): Promise<void> {
    const full = this.toServerPath(path);
    if (!this.transport.persistentWatches.delete(full)) return;
    try {
      await this.request('remove the watch of', path, (f) => this.wire(OP.REMOVE_WATCHES, new records.RemoveWatchesRequest(f, 3)));
    } catch (e) {
      if (!(e instanceof ZkError && e.code === 'NOWATCHER')) throw e;
    }
    await this.rearmOneShot(path).catch(() => undefined);
  }

  /** Sends watch requests for the one-shot watchers still registered locally on a path. */
  private async rearmOneShot(path: string): Promise<void> {
    const full = this.toServerPath(path);
    const wm = this.transport.watcherManager;
    const pending: Promise<unknown>[] = [];
    if (wm.childWatchers[full]) {
      pending.push(this.request('list the children of', path, (f) => this.wire(OP.GET_CHILDREN2, new jute.protocol.GetChildren2Request(f, true))));
    }
    if (wm.dataWatchers[full] || wm.existenceWatchers[full]) {
      pending.push(this.request('look up', path, (f) => this.wire(OP.EXISTS, new jute.protocol.ExistsRequest(f, true))).catch(() => undefined));
    }
    await Promise.all(pending);
  }

  /** Zxid of the last change this session has seen (hex), for "what changed since" comparisons. */
  get lastZxid(): string {
    return '0x' + this.transport.lastZxid.toString(16);
  }

  /**
   * Whether a one-shot watch on this path must not be sent to the server: a persistent watch of
   * this session on the same path already delivers its events (and a one-shot request would
   * downgrade it on ZooKeeper 3.8, ZOOKEEPER-4466).
   */
  private servedByPersistent(path: string): boolean {
    return this.transport.persistentWatches.has(this.toServerPath(path));
  }


  // --- plumbing -----------------------------------------------------------------------------

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private wire(opcode: number, payload: any): WireRequest {
    const header = new jute.protocol.RequestHeader();
    header.type = opcode;
    return new jute.Request(header, payload);
  }

  /** A write with an expected version: a conflict reports the version the node has now. */
  private async versioned(op: string, path: string, version: number, build: (full: string) => WireRequest) {
    try {
      return await this.request(op, path, build);
    } catch (e) {
      if (!(e instanceof ZkError) || e.code !== 'BADVERSION') throw e;
      let actual: number | undefined;
      try {
        const stat = await this.exists(path);
        actual = op === 'change the ACL of' ? stat?.aversion : stat?.version;
      } catch {
        // The conflict stands; only the detail is missing.
      }
      throw ZkError.fromServer(e.serverCode ?? -103, op, path, { expectedVersion: version, actualVersion: actual });
    }
  }

  /**
   * Sends one request with a deadline and a bounded number in flight. A request still queued at
   * its deadline is withdrawn, so it can never be applied later behind the caller's back.
   */
  private request(
    op: string,
    path: string | undefined,
    build: (fullPath: string) => WireRequest,
    flags: RequestFlags = {},
  ): Promise<unknown> {
    const started = RequestSlots.now();
    return new Promise((resolve, reject) => {
      try {
        if (this.closed) throw this.closedError(op, path);
        if (path !== undefined && !flags.skipPathCheck) assertValidPath(path, op);
        const request = build(path === undefined ? '/' : this.toServerPath(path));
        // Decided by what goes on the wire (the opcode), whatever the request is called here.
        if (this.options.readOnly && isWrite(request.header.type, request.multiParts)) {
          throw new ZkError(
            'READ_ONLY_GUARD',
            `${this.label()} is read-only: refused to ${op}${path ? ' ' + path : ''}. Clear "readOnly" in its settings to allow writes.`,
            { path, op },
          );
        }
        const terminal = this.terminalState();
        if (terminal) throw this.terminalError(terminal, op, path);
        const refused = this.capabilities.refusal(request.header.type, this.currentServer, op, path);
        if (refused) throw refused;
        const size = request.header.byteLength() + (request.payload ? request.payload.byteLength() : 0);
        if (size > this.options.maxRequestBytes) {
          throw new ZkError(
            'DATA_TOO_LARGE',
            `Cannot ${op}${path ? ' ' + path : ''}: the request is ${size.toLocaleString('en')} bytes and ZooKeeper's limit ` +
              `(jute.maxbuffer) is ${this.options.maxRequestBytes.toLocaleString('en')} bytes; ` +
              `make it at least ${(size - this.options.maxRequestBytes).toLocaleString('en')} bytes smaller`,
            { path, op },
          );
        }
        this.slots.acquire(
          started,
          () => this.send(request, op, path, started, resolve, reject, flags.onReply),
          () => reject(this.deadlineError(op, path, false)),
        );
      } catch (e) {
        reject(e);
      }
    });
  }

  private send(
    request: WireRequest,
    op: string,
    path: string | undefined,
    started: number,
    resolve: (v: unknown) => void,
    reject: (e: unknown) => void,
    onReply?: (code: number) => void,
  ): void {
    let settled = false;
    const settle = () => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      this.slots.release();
      return true;
    };
    const left = Math.max(1, this.options.requestTimeoutMs - (RequestSlots.now() - started));
    const timer = setTimeout(() => {
      const wasQueued = this.transport.unqueue(request);
      if (settle()) reject(this.deadlineError(op, path, !wasQueued));
    }, left);
    const newer = this.capabilities.sent(request.header.type, this.currentServer);
    const callback: ReplyCallback = (err, body) => {
      // Runs inside the socket handler, before the next frame: a watch must be registered before
      // an event for it that came in the same chunk is dispatched.
      if (onReply && !settled) onReply(err ? err.code : 0);
      if (!settle()) return;
      const refused = newer && this.capabilities.replied(newer, err ? err.code : 0, op, path);
      if (refused) reject(refused);
      else if (err) reject(this.replyError(err, op, path));
      else resolve(body);
    };
    this.transport.queue(request, callback);
  }

  private replyError(failure: ReplyFailure, op: string, path: string | undefined): ZkError {
    const code = failure.code;
    if (failure.protocol) {
      const { server, what } = failure.protocol;
      return new ZkError('PROTOCOL', `Protocol error from ${server} during ${op}${path ? ' ' + path : ''}: ${what}; the connection was dropped`, { op, path });
    }
    if (failure.tooLarge) {
      const { bytes, limit } = failure.tooLarge;
      return new ZkError(
        'REPLY_TOO_LARGE',
        `The reply to ${op}${path ? ' ' + path : ''} is ${bytes.toLocaleString('en')} bytes, over the limit of ${limit.toLocaleString('en')} bytes ` +
          '("maxReplyBytes" in the connection\'s settings); it was skipped and the connection kept: ask for less at once',
        { op, path },
      );
    }
    if (code === -112 || code === -115) return this.terminalError(code === -112 ? 'expired' : 'authFailed', op, path);
    if (code === -4 && this.closed) return this.closedError(op, path);
    return ZkError.fromServer(code, op, path);
  }

  private deadlineError(op: string, path: string | undefined, sent: boolean): ZkError {
    const what = `${op}${path ? ' ' + path : ''}`;
    const secs = (this.options.requestTimeoutMs / 1000).toString();
    return new ZkError(
      'REQUEST_DEADLINE',
      sent
        ? `No reply to ${what} within ${secs} s from ${this.currentServer ?? 'the server'}: it may or may not have been applied`
        : this.state === 'connected' || this.state === 'connectedReadOnly'
          ? `Could not ${what} within ${secs} s: ${this.options.maxInFlight.toLocaleString('en')} requests were already waiting for replies (the in-flight limit); nothing was sent`
          : `Could not ${what} within ${secs} s: no connection to ZooKeeper (${this.state}); nothing was sent`,
      { path, op },
    );
  }

  private terminalState(): ZkState | undefined {
    const s = this.state;
    return s === 'expired' || s === 'authFailed' || s === 'closed' ? s : undefined;
  }

  private terminalError(state: ZkState, op: string, path?: string): ZkError {
    if (state === 'expired') return ZkError.fromServer(-112, op, path);
    if (state === 'authFailed') {
      return new ZkError(
        'AUTHFAILED',
        `Authentication failed for ${this.label()}: the server rejected the credentials; check the user and password`,
        { op, path, serverCode: -115 },
      );
    }
    return this.closedError(op, path);
  }

  private closedError(op: string, path?: string): ZkError {
    return new ZkError('CLOSED', `Cannot ${op}${path ? ' ' + path : ''}: ${this.label()} is closed`, { op, path });
  }

  private label(): string {
    return this.options.name ? `Connection "${this.options.name}"` : 'The connection';
  }

  private registerWatcher(kind: 'data' | 'exists' | 'child' | undefined, path: string, watcher: Watcher): void {
    if (!kind) return;
    const full = this.toServerPath(path);
    // The same wrapper for the same watcher: the library registers a function once per path, and a
    // new wrapper per request added a listener per listing until the watch fired (a leak).
    let wrapped = this.watcherWrappers.get(watcher);
    if (!wrapped) this.watcherWrappers.set(watcher, (wrapped = this.wrapWatcher(watcher)));
    if (kind === 'data') this.transport.registerDataWatcher(full, wrapped);
    else if (kind === 'exists') this.transport.registerExistenceWatcher(full, wrapped);
    else this.transport.registerChildWatcher(full, wrapped);
  }

  private wrapWatcher(watcher: Watcher): (event: { getType(): number; getPath(): string }) => void {
    return (event) => {
      const path = this.fromServerPath(event.getPath());
      if (path === undefined) return;
      try {
        watcher({ type: EVENT_TYPES[event.getType()] ?? `unknown(${event.getType()})`, path });
      } catch (err) {
        this.emit('watcherError', err);
      }
    };
  }

  toServerPath(path: string): string {
    if (!this.chroot) return path;
    return path === '/' ? this.chroot : this.chroot + path;
  }

  /** Path relative to the chroot, or undefined when it lies outside it. */
  fromServerPath(full: string): string | undefined {
    if (!this.chroot) return full;
    if (full === this.chroot) return '/';
    if (full.startsWith(this.chroot + '/')) return full.slice(this.chroot.length);
    return undefined;
  }

  private multiRequest(ops: readonly MultiOp[]): WireRequest {
    const parts: { byteLength(): number; serialize(b: Buffer, o: number): number }[] = [];
    const opcodes: number[] = [];
    const header = (opcode: number) => {
      opcodes.push(opcode);
      return new records.MultiHeader(opcode, false, -1);
    };
    for (const op of ops) {
      const full = this.toServerPath(op.path);
      switch (op.type) {
        case 'create': {
          const mode = op.mode ?? 'persistent';
          const flags = CREATE_FLAGS[mode];
          const acl = aclRecords(op.acl ?? OPEN_ACL_UNSAFE);
          const data = toBuffer(op.data ?? new Uint8Array(0));
          if (mode === 'persistentTtl' || mode === 'persistentSequentialTtl') {
            const ttl = Buffer.alloc(8);
            ttl.writeBigInt64BE(BigInt(op.ttlMs ?? 0));
            parts.push(header(OP.CREATE_TTL), new records.CreateTTLRequest(full, data, acl, flags, ttl));
          } else {
            const opcode = mode === 'container' ? OP.CREATE_CONTAINER : this.createOpcode();
            parts.push(header(opcode), new jute.protocol.CreateRequest(full, data, acl, flags));
          }
          break;
        }
        case 'delete':
          parts.push(header(OP.DELETE), new jute.protocol.DeleteRequest(full, op.version ?? -1));
          break;
        case 'setData':
          parts.push(
            header(OP.SET_DATA),
            new jute.protocol.SetDataRequest(full, toBuffer(op.data), op.version ?? -1),
          );
          break;
        case 'check':
          parts.push(header(OP.CHECK), new jute.protocol.CheckVersionRequest(full, op.version));
          break;
      }
    }
    parts.push(new records.MultiHeader(-1, true, -1));
    const payload = {
      byteLength: () => parts.reduce((n, p) => n + p.byteLength(), 0),
      serialize: (b: Buffer, o: number) => parts.reduce((n, p) => n + p.serialize(b, o + n), 0),
      setChrootPath: () => undefined,
    };
    const request = this.wire(OP.MULTI, payload);
    request.multiParts = opcodes;
    request.decodeOnError = true;
    return request;
  }
}

function stateName(s: number): ZkState {
  switch (s) {
    case STATES.CONNECTING:
      return 'connecting';
    case STATES.CONNECTED:
      return 'connected';
    case STATES.CONNECTED_READ_ONLY:
      return 'connectedReadOnly';
    case STATES.SESSION_EXPIRED:
      return 'expired';
    case STATES.AUTHENTICATION_FAILED:
      return 'authFailed';
    case STATES.CLOSED:
    case STATES.CLOSING:
      return 'closed';
    default:
      return 'disconnected';
  }
}

/** Turns a socket error into the reason a user can act on. */
export function describeSocketError(err: (Error & { code?: string }) | undefined, usingTls: boolean): string {
  if (!err) return 'no server answered (is ZooKeeper running, and is this its client port?)';
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return `connection refused (${err.message.replace(/^connect ECONNREFUSED /, '')}): is ZooKeeper running on that port?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (DNS): ${err.message}`;
  if (code === 'ETIMEDOUT') return `${err.message} (a firewall, a wrong address, or a frozen server)`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `network unreachable: ${err.message}`;
  if (usingTls && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO|EPROTO/.test(code))) {
    return `TLS handshake failed (${code}: ${err.message}): check the CA, client certificate and key, and that this is the secureClientPort`;
  }
  if (code === 'NOTREADONLY') return err.message;
  if (code === 'ECONNRESET') {
    return usingTls
      ? `the server closed the connection during the TLS handshake (${err.message}): is this the secureClientPort?`
      : `the server closed the connection (${err.message}): is this a TLS-only port?`;
  }
  return `${code ? code + ': ' : ''}${err.message}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function aclRecords(acl: readonly ZkAcl[]): any[] {
  return acl.map((a) => new jute.data.ACL(a.perms, new jute.data.Id(a.scheme, a.id)));
}

function toBuffer(data: string | Uint8Array): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (!(data instanceof Uint8Array)) throw new ZkError('INVALID_ARGUMENT', 'Node data must be bytes (Uint8Array)');
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function asBytes(b: Buffer | undefined | null): Uint8Array {
  return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(0);
}

