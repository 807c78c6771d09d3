// ZkClient: one ZooKeeper session as promises. Every request has a deadline, every failure is a
// ZkError with a message a user can act on, data is bytes (Uint8Array) end to end, stats are
// decoded, paths are relative to the chroot, and a read-only connection refuses writes here, in
// the domain layer, whatever the UI shows.
import { EventEmitter } from 'node:events';
import { parseConnectString, formatServer, type ServerAddress } from './connectString';
import {
  CREATE_FLAGS,
  DEFAULTS,
  ZkMultiError,
  stateName,
  type CreateOptions,
  type CreateResult,
  type MultiOp,
  type MultiResult,
  type RemoveWatchType,
  type Watcher,
  type ZkClientOptions,
  type ZkState,
} from './clientTypes';
import {
  asBytes,
  createParts,
  deleteRequest,
  existsRequest,
  getChildrenRequest,
  getDataRequest,
  isTtlMode,
  multiRequest,
  pathRequest,
  reconfigRequest,
  setAclRequest,
  setDataRequest,
  toBuffer,
} from './clientRequests';
import type { ZkAcl } from './acl';
import { ClientErrors } from './clientErrors';
import { ClientWatchers } from './clientWatchers';
import { sessionStepOf } from './connection/authStep';
import type { AuthFailure } from './postHandshakeStep';
import { ZkError, isZkError } from './errors';
import { assertValidPath } from './paths';
import { ServerCapabilities } from './serverCapabilities';
import type { ZnodeStat } from './stat';
import { OP, STATES, ZkTransport, type ReplyCallback, type TransportState, type WireRequest } from './transport';
import { isWrite } from './wire/opcodes';
import { multiReadPayload, readMultiRead, toReadResults, type MultiReadPart, type ReadOp, type ReadResult } from './wire/multiRead';
import type { ClientInfo, GetAclReply, GetChildrenReply, GetDataReply, MultiPartReply, StatReply } from './wire/replies';
import { request as wireRequest, requestBytes } from './wire/requests';
import { RequestSlots } from './requestSlots';
import { assertDirectWriteAllowed } from './systemNodes';
import { msg } from './message';

export * from './clientTypes';
export type { ClientInfo } from './wire/replies';

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
  readonly options: Required<Omit<ZkClientOptions, 'tls' | 'auth' | 'name' | 'livenessTimeoutMs' | 'session' | 'postHandshake' | 'afterHandshake'>> &
    Pick<ZkClientOptions, 'tls' | 'name'> & { livenessTimeoutMs: number };
  readonly servers: ServerAddress[];
  readonly chroot: string | undefined;
  private readonly transport: ZkTransport;
  private readonly slots: RequestSlots;
  private readonly errors: ClientErrors;
  private readonly watchers: ClientWatchers;
  private closed = false;
  private everConnected = false;
  /** Request types this connection's servers refused (older ZooKeeper): failed at once, never re-sent. */
  readonly capabilities = new ServerCapabilities(() => {
    // Disconnected first: requests made from now on wait for the next connection instead of being lost.
    this.transport.setState(STATES.DISCONNECTED);
    this.transport.dropConnection();
  });

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
    this.errors = new ClientErrors({
      name: options.name,
      requestTimeoutMs: this.options.requestTimeoutMs,
      maxInFlight: this.options.maxInFlight,
      usingTls: options.tls !== undefined,
      servers: parsed.servers,
      state: () => this.state,
      currentServer: () => this.currentServer,
      lastSocketError: () => this.transport.lastSocketError,
      isClosed: () => this.closed,
      authFailure: () => this.transport.authFailure,
    });
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
      postHandshake: options.postHandshake ?? (options.afterHandshake ? sessionStepOf(options.afterHandshake) : undefined),
    });
    this.watchers = new ClientWatchers(this.transport, this, (err) => this.emit('watcherError', err), (op, path, build) => this.request(op, path, build));
    for (const a of options.auth ?? []) this.transport.addAuthInfo(a.scheme, toBuffer(a.auth));
    const ev = this.transport.events;
    ev.on('state', (s) => this.onTransportState(s));
    ev.on('notification', (e) => this.watchers.notified(e, (event) => this.emit('watchEvent', event)));
    ev.on('socketError', (err: Error, server: ServerAddress) => this.emit('socketError', err, server));
    ev.on('connectedTo', (server: ServerAddress, ro: boolean) => this.emit('connectedTo', server, ro));
    ev.on('livenessTimeout', (server: ServerAddress, ms: number) => this.emit('livenessTimeout', server, ms));
    ev.on('protocolError', (err: Error) => this.emit('protocolError', err));
    // A close this side causes says nothing about what the server supports.
    ev.on('connectedTo', () => this.capabilities.connected());
    for (const local of ['livenessTimeout', 'protocolError', 'readWriteServerFound'] as const) ev.on(local, () => this.capabilities.closingHere());
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

  /** Why authentication failed, when it was SASL or a server that requires SASL (undefined for a refused digest). */
  get authFailure(): AuthFailure | undefined {
    return this.transport.authFailure;
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
    if (this.closed) return Promise.reject(this.errors.closed('connect'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(this.errors.connectFailure(deadlineMs));
      }, deadlineMs);
      const onState = (s: ZkState) => {
        if (s === 'connected' || s === 'connectedReadOnly') {
          cleanup();
          resolve();
        } else if (s === 'authFailed' || s === 'expired' || s === 'closed') {
          cleanup();
          reject(this.errors.terminal(s, 'connect'));
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
      if (this.state === 'authFailed') throw this.errors.terminal('authFailed', 'addAuth');
      throw e;
    }
  }

  private lastEmittedState: ZkState | undefined;

  private onTransportState(s: TransportState): void {
    const name = stateName(s);
    if (name === this.lastEmittedState) return;
    this.lastEmittedState = name;
    if (name === 'connected' || name === 'connectedReadOnly') this.everConnected = true;
    this.emit('state', name);
  }

  // --- reads --------------------------------------------------------------------------------

  /** The node's Stat, or undefined when it does not exist. With a watcher: created/deleted/dataChanged. */
  exists(path: string, watcher?: Watcher): Promise<ZnodeStat | undefined> {
    return this.request(
      'look up',
      path,
      (full) => existsRequest(full, watcher !== undefined && !this.watchers.servedByPersistent(path)),
      {
        // A watch is set when the node exists (data watch) and when it does not (existence watch).
        onReply: watcher && ((code) => this.watchers.register(code === 0 ? 'data' : code === -101 ? 'exists' : undefined, path, watcher)),
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
      (full) => getDataRequest(full, watcher !== undefined && !this.watchers.servedByPersistent(path)),
      { onReply: watcher && ((code) => this.watchers.register(code === 0 ? 'data' : undefined, path, watcher)) },
    )) as GetDataReply;
    return { data: asBytes(body.data), stat: body.stat };
  }

  /** Children names (unsorted, as the server sends them) and the parent's Stat. */
  async getChildren(path: string, watcher?: Watcher): Promise<{ children: string[]; stat: ZnodeStat }> {
    const body = (await this.request(
      'list the children of',
      path,
      (full) => getChildrenRequest(full, watcher !== undefined && !this.watchers.servedByPersistent(path)),
      { onReply: watcher && ((code) => this.watchers.register(code === 0 ? 'child' : undefined, path, watcher)) },
    )) as GetChildrenReply;
    return body;
  }

  async getACL(path: string): Promise<{ acl: ZkAcl[]; stat: ZnodeStat }> {
    const body = (await this.request('read the ACL of', path, (full) =>
      pathRequest(OP.GET_ACL, full),
    )) as GetAclReply;
    return body;
  }

  /** Number of descendants (not counting the node), ZooKeeper 3.6+. */
  async getAllChildrenNumber(path: string): Promise<number> {
    const body = (await this.request('count the descendants of', path, (full) =>
      pathRequest(OP.GET_ALL_CHILDREN_NUMBER, full),
    )) as { totalNumber: number };
    return body.totalNumber;
  }

  /** Paths of this session's ephemeral nodes under a prefix, ZooKeeper 3.6+. */
  async getEphemerals(prefixPath = '/'): Promise<string[]> {
    const body = (await this.request('list the ephemerals under', prefixPath, (full) =>
      pathRequest(OP.GET_EPHEMERALS, full),
    )) as { ephemerals?: string[] };
    return (body.ephemerals ?? []).map((p) => this.fromServerPath(p) ?? p);
  }

  /** The identities the server associates with this session, ZooKeeper 3.7+. */
  async whoAmI(): Promise<ClientInfo[]> {
    const body = (await this.request('ask who am I', undefined, () => wireRequest(OP.WHO_AM_I))) as {
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
    const build = () => wireRequest(OP.MULTI_READ, multiReadPayload(wireOps), { decode: (r) => readMultiRead(r, wireOps), failOversizedReply: true });
    const parts = (await this.request('read', ops[0].path, build, { skipPathCheck: true })) as MultiReadPart[];
    return toReadResults(parts, ops);
  }

  /** Waits until the server this session is on has caught up with the leader for this path. */
  async sync(path = '/'): Promise<void> {
    await this.request('sync', path, (full) => pathRequest(OP.SYNC, full));
  }

  // --- writes -------------------------------------------------------------------------------

  async create(path: string, data: Uint8Array = new Uint8Array(0), opts: CreateOptions = {}): Promise<CreateResult> {
    const mode = opts.mode ?? 'persistent';
    if (CREATE_FLAGS[mode] === undefined) throw new ZkError('INVALID_ARGUMENT', msg('Unknown create mode "{0}"', mode), { path, op: 'create' });
    const isTtl = isTtlMode(mode);
    if (isTtl && !(Number.isInteger(opts.ttlMs) && (opts.ttlMs ?? 0) > 0)) {
      throw new ZkError('INVALID_ARGUMENT', msg('A TTL node needs a positive whole number of milliseconds'), { path, op: 'create' });
    }
    const send = () =>
      this.request('create', path, (full) => {
        const { opcode, body } = createParts(full, data, mode, opts.acl, opts.ttlMs, this.createOpcode());
        return wireRequest(opcode, body);
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
    if (!stat) throw new ZkError('NONODE', msg('Node {0} was created but deleted by someone else before its Stat could be read', created), { path: created, op: 'create' });
    return { path: created, stat };
  }

  /** create2 (3.5+), or plain create on a server known to refuse create2 (3.4), whose reply has no Stat. */
  private createOpcode(): number {
    return this.capabilities.lacks(OP.CREATE2, this.currentServer) ? OP.CREATE : OP.CREATE2;
  }

  /** Writes data if the node is still at `version` (-1 = any version: only when the user chose to overwrite). */
  async setData(path: string, data: Uint8Array, version: number): Promise<ZnodeStat> {
    assertDirectWriteAllowed(this.toServerPath(path), 'setData');
    const body = (await this.versioned('write', path, version, (full) =>
      setDataRequest(full, data, version),
    )) as StatReply;
    return body.stat;
  }

  async remove(path: string, version: number): Promise<void> {
    await this.versioned('delete', path, version, (full) =>
      deleteRequest(full, version),
    );
  }

  async setACL(path: string, acl: readonly ZkAcl[], aclVersion: number): Promise<ZnodeStat> {
    const body = (await this.versioned('change the ACL of', path, aclVersion, (full) =>
      setAclRequest(full, acl, aclVersion),
    )) as StatReply;
    return body.stat;
  }

  /** Runs ops atomically: all are applied, or none (ZkMultiError says which op failed). */
  async multi(ops: readonly MultiOp[]): Promise<MultiResult[]> {
    if (ops.length === 0) return [];
    for (const op of ops) {
      assertValidPath(op.path, op.type);
      if (op.type === 'setData') assertDirectWriteAllowed(this.toServerPath(op.path), 'setData');
    }
    const run = () => this.request('run a transaction on', ops[0].path, () => multiRequest(ops, (p) => this.toServerPath(p), this.createOpcode()), { skipPathCheck: true });
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

  /** Incremental reconfig (3.5+, reconfigEnabled); reconfig.ts checks, explains and follows it. Returns the new config. */
  async reconfig(joining: readonly string[], leaving: readonly number[], fromConfig: bigint): Promise<{ data: Uint8Array; stat: ZnodeStat }> {
    const body = (await this.request('reconfigure the ensemble', undefined, () => reconfigRequest(joining, leaving, fromConfig))) as GetDataReply;
    return { data: asBytes(body.data), stat: body.stat };
  }

  /** Adds a persistent (optionally recursive) watch, ZooKeeper 3.6+; events arrive as 'watchEvent'. */
  addWatch(path: string, recursive: boolean): Promise<void> {
    return this.watchers.addWatch(path, recursive);
  }

  /** Removes watches of a kind from a path on the server (one-shot and persistent alike). */
  removeWatches(path: string, type: RemoveWatchType = 'any'): Promise<void> {
    return this.watchers.removeWatches(path, type);
  }

  /**
   * Removes this session's persistent watch on a path. One-shot watches that other parts of the
   * extension hold on the same path (the tree's child watch) are set again on the server.
   */
  removePersistentWatch(path: string): Promise<void> {
    return this.watchers.removePersistentWatch(path);
  }

  /** Zxid of the last change this session has seen (hex), for "what changed since" comparisons. */
  get lastZxid(): string {
    return '0x' + this.transport.lastZxid.toString(16);
  }

  // --- plumbing -----------------------------------------------------------------------------

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
        if (this.closed) throw this.errors.closed(op, path);
        if (path !== undefined && !flags.skipPathCheck) assertValidPath(path, op);
        const request = build(path === undefined ? '/' : this.toServerPath(path));
        // Decided by what goes on the wire (the opcode), whatever the request is called here.
        if (this.options.readOnly && isWrite(request.opcode, request.multiParts)) {
          throw this.errors.readOnlyGuard(op, path);
        }
        const terminal = this.errors.terminalState();
        if (terminal) throw this.errors.terminal(terminal, op, path);
        const refused = this.capabilities.refusal(request.opcode, this.currentServer, op, path);
        if (refused) throw refused;
        const size = requestBytes(request);
        if (size > this.options.maxRequestBytes) {
          throw new ZkError(
            'DATA_TOO_LARGE',
            msg(
              "Cannot {0}: the request is {1} bytes and ZooKeeper's limit (jute.maxbuffer) is {2} bytes; make it at least {3} bytes smaller",
              `${op}${path ? ' ' + path : ''}`,
              size.toLocaleString('en'),
              this.options.maxRequestBytes.toLocaleString('en'),
              (size - this.options.maxRequestBytes).toLocaleString('en'),
            ),
            { path, op },
          );
        }
        this.slots.acquire(
          started,
          () => this.send(request, op, path, started, resolve, reject, flags.onReply),
          () => reject(this.errors.deadline(op, path, false)),
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
      if (settle()) reject(this.errors.deadline(op, path, !wasQueued));
    }, left);
    const newer = this.capabilities.sent(request.opcode, this.currentServer);
    const callback: ReplyCallback = (err, body) => {
      // Runs inside the socket handler, before the next frame: a watch must be registered before
      // an event for it that came in the same chunk is dispatched.
      if (onReply && !settled) onReply(err ? err.code : 0);
      if (!settle()) return;
      const refused = newer && this.capabilities.replied(newer, err ? err.code : 0, op, path);
      if (refused) reject(refused);
      else if (err) reject(this.errors.reply(err, op, path));
      else resolve(body);
    };
    this.transport.queue(request, callback);
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

}

