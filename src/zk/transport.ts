// The wire layer: node-zookeeper-client's ConnectionManager (socket, session handshake, packet
// queues, jute records) with the parts that failed us replaced, in one place:
//  - frames are split here, and a reply code or event type the library does not know is passed on
//    as a number instead of throwing inside the socket handler (which killed the whole process);
//  - replies to ZooKeeper 3.5+ opcodes (create2, container, TTL, addWatch, ...) are decoded;
//  - the socket can be TLS, and socket errors (refused, DNS, TLS) are reported, not swallowed;
//  - after a reconnect, auth and watch re-registration go out before requests already waiting;
//  - a liveness check drops a connection whose server stopped answering (frozen, black-holed);
//  - reconnect attempts back off after every server was tried.
// Chroot is handled by the client above: this layer only sees full server paths.
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as util from 'node:util';
import type { ServerAddress } from './connectString';

/* eslint-disable @typescript-eslint/no-explicit-any */
const ConnectionManager: any = require('node-zookeeper-client/lib/ConnectionManager');
export const jute: any = require('node-zookeeper-client/lib/jute');
/* eslint-enable @typescript-eslint/no-explicit-any */

export const STATES = ConnectionManager.STATES as {
  DISCONNECTED: 0;
  CONNECTING: 1;
  CONNECTED: 2;
  CONNECTED_READ_ONLY: 3;
  CLOSING: -1;
  CLOSED: -2;
  SESSION_EXPIRED: -3;
  AUTHENTICATION_FAILED: -4;
};

export const OP = {
  NOTIFICATION: 0,
  CREATE: 1,
  DELETE: 2,
  EXISTS: 3,
  GET_DATA: 4,
  SET_DATA: 5,
  GET_ACL: 6,
  SET_ACL: 7,
  GET_CHILDREN: 8,
  SYNC: 9,
  PING: 11,
  GET_CHILDREN2: 12,
  CHECK: 13,
  MULTI: 14,
  CREATE2: 15,
  RECONFIG: 16,
  CHECK_WATCHES: 17,
  REMOVE_WATCHES: 18,
  CREATE_CONTAINER: 19,
  DELETE_CONTAINER: 20,
  CREATE_TTL: 21,
  MULTI_READ: 22,
  AUTH: 100,
  SET_WATCHES: 101,
  SASL: 102,
  GET_EPHEMERALS: 103,
  GET_ALL_CHILDREN_NUMBER: 104,
  SET_WATCHES2: 105,
  ADD_WATCH: 106,
  WHO_AM_I: 107,
  CREATE_SESSION: -10,
  CLOSE_SESSION: -11,
  ERROR: -1,
} as const;

const XID_NOTIFICATION = -1;
const XID_PING = -2;
const XID_AUTHENTICATION = -4;
const XID_SET_WATCHES = -8;

/** The library's record base class, to define records for opcodes it lacks. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Record: any = Object.getPrototypeOf(jute.protocol.CreateRequest.prototype).constructor;
type Spec = { name: string; type: string }[];

/* eslint-disable @typescript-eslint/no-explicit-any */
function defineRecord(spec: Spec): new (...args: any[]) => any {
  function R(this: any, ...args: any[]) {
    Record.call(this, spec, args);
  }
  util.inherits(R, Record);
  return R as any;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const DATA_CLIENT_INFO: Spec = [
  { name: 'authScheme', type: 'ustring' },
  { name: 'user', type: 'ustring' },
];
jute.data.ClientInfo ??= defineRecord(DATA_CLIENT_INFO);

export const records = {
  CreateTTLRequest: defineRecord([
    { name: 'path', type: 'ustring' },
    { name: 'data', type: 'buffer' },
    { name: 'acl', type: 'vector<data.ACL>' },
    { name: 'flags', type: 'int' },
    { name: 'ttl', type: 'long' },
  ]),
  Create2Response: defineRecord([
    { name: 'path', type: 'ustring' },
    { name: 'stat', type: 'data.Stat' },
  ]),
  PathRequest: defineRecord([{ name: 'path', type: 'ustring' }]),
  PathModeRequest: defineRecord([
    { name: 'path', type: 'ustring' },
    { name: 'mode', type: 'int' },
  ]),
  RemoveWatchesRequest: defineRecord([
    { name: 'path', type: 'ustring' },
    { name: 'type', type: 'int' },
  ]),
  GetEphemeralsResponse: defineRecord([{ name: 'ephemerals', type: 'vector<ustring>' }]),
  GetAllChildrenNumberResponse: defineRecord([{ name: 'totalNumber', type: 'int' }]),
  WhoAmIResponse: defineRecord([{ name: 'clientInfo', type: 'vector<data.ClientInfo>' }]),
  SyncResponse: defineRecord([{ name: 'path', type: 'ustring' }]),
  SetWatches2: defineRecord([
    { name: 'relativeZxid', type: 'long' },
    { name: 'dataWatches', type: 'vector<ustring>' },
    { name: 'existWatches', type: 'vector<ustring>' },
    { name: 'childWatches', type: 'vector<ustring>' },
    { name: 'persistentWatches', type: 'vector<ustring>' },
    { name: 'persistentRecursiveWatches', type: 'vector<ustring>' },
  ]),
  MultiHeader: jute.protocol.MultiHeader,
  ErrorResponse: jute.protocol.ErrorResponse,
};

/** A decoded reply body: either a record or, for multi, our own decoder's result. */
export type ReplyDecoder = (frame: Buffer, offset: number) => unknown;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function recordDecoder(RecordClass: new () => any): ReplyDecoder {
  return (frame, offset) => {
    const r = new RecordClass();
    r.deserialize(frame, offset);
    return r;
  };
}

const NO_BODY: ReplyDecoder = () => undefined;

/** How to decode a successful reply, by the opcode of the request. */
export const REPLY_DECODERS: Record<number, ReplyDecoder> = {
  [OP.CREATE]: recordDecoder(jute.protocol.CreateResponse),
  [OP.CREATE2]: recordDecoder(records.Create2Response),
  [OP.CREATE_CONTAINER]: recordDecoder(records.Create2Response),
  [OP.CREATE_TTL]: recordDecoder(records.Create2Response),
  [OP.DELETE]: NO_BODY,
  [OP.EXISTS]: recordDecoder(jute.protocol.ExistsResponse),
  [OP.GET_DATA]: recordDecoder(jute.protocol.GetDataResponse),
  [OP.SET_DATA]: recordDecoder(jute.protocol.SetDataResponse),
  [OP.GET_ACL]: recordDecoder(jute.protocol.GetACLResponse),
  [OP.SET_ACL]: recordDecoder(jute.protocol.SetACLResponse),
  [OP.GET_CHILDREN2]: recordDecoder(jute.protocol.GetChildren2Response),
  [OP.SYNC]: recordDecoder(records.SyncResponse),
  [OP.SET_WATCHES]: NO_BODY,
  [OP.SET_WATCHES2]: NO_BODY,
  [OP.ADD_WATCH]: NO_BODY,
  [OP.REMOVE_WATCHES]: NO_BODY,
  [OP.CHECK_WATCHES]: NO_BODY,
  [OP.GET_EPHEMERALS]: recordDecoder(records.GetEphemeralsResponse),
  [OP.GET_ALL_CHILDREN_NUMBER]: recordDecoder(records.GetAllChildrenNumberResponse),
  [OP.WHO_AM_I]: recordDecoder(records.WhoAmIResponse),
  [OP.CLOSE_SESSION]: NO_BODY,
};

/** What a pending request's callback receives: the server's code (0 = ok) and the decoded body. */
export type ReplyCallback = (err: { code: number } | null, body?: unknown) => void;

export interface WireRequest {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  header: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload: any;
  /** Decoder for a successful reply (defaults to the table above, by opcode). */
  decode?: ReplyDecoder;
  /** Decode the body even when the reply code is an error (multi carries per-op results). */
  decodeOnError?: boolean;
  toBuffer(): Buffer;
}

export interface WatcherEventFrame {
  type: number;
  state: number;
  /** Full server path (chroot included). */
  path: string;
}

export interface TransportOptions {
  servers: ServerAddress[];
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  tls?: tls.ConnectionOptions;
  /** Max silence on a connected socket before it is dropped and another server is tried. */
  livenessTimeoutMs: number;
  /** Pause before another round over all servers; doubled per failed round up to maxBackoffMs. */
  spinDelayMs: number;
  maxBackoffMs: number;
  sessionId?: Buffer;
  sessionPassword?: Buffer;
  /**
   * Accept a server that lost its quorum and serves reads only (ZooKeeper's read-only mode,
   * readonlymode.enabled on the server). While on one, the others are asked with `isro` until
   * one serves writes again, and the session moves there.
   */
  canBeReadOnly?: boolean;
  /** First pause between two rounds of `isro` probes while on a read-only server (doubles up to 60 s). */
  rwProbeMs?: number;
}

/** Persistent watch modes of addWatch (ZooKeeper 3.6+). */
export const ADD_WATCH_MODE = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;

export interface TransportEvents {
  state: (state: number) => void;
  notification: (e: WatcherEventFrame) => void;
  socketError: (err: Error & { code?: string }, server: ServerAddress) => void;
  connectedTo: (server: ServerAddress, readOnly: boolean) => void;
  livenessTimeout: (server: ServerAddress, silentMs: number) => void;
  readWriteServerFound: (server: ServerAddress) => void;
  protocolError: (err: Error) => void;
  authFailed: () => void;
}

/**
 * One ZooKeeper session's connection. A subclass of the library's ConnectionManager: its packet
 * queues, xid bookkeeping, watcher manager and record encoders are reused as they are.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class ZkTransport extends (ConnectionManager as { new (...args: any[]): any }) {
  readonly events = new EventEmitter();
  private readonly topts: TransportOptions;
  private inbound: Buffer[] = [];
  private inboundLength = 0;
  private lastHeardAt = 0;
  private livenessTimer: NodeJS.Timeout | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private failedRounds = 0;
  private attemptsThisRound = 0;
  private serverIndex = 0;
  /** Persistent watches by full path, re-registered with SetWatches2 after every reconnect. */
  readonly persistentWatches = new Map<string, number>();
  currentServer: ServerAddress | undefined;
  readOnlyServer = false;
  lastSocketError: (Error & { code?: string }) | undefined;
  /**
   * The session a read-write server gave (or the one resumed). A read-only server refuses it
   * (ZooKeeper 3.6+ keeps global sessions for the quorum) and gets asked for a local read-only
   * session instead; read-write servers always get this one, so it survives a quorum loss
   * shorter than its timeout.
   */
  private globalSession: { id: Buffer; password: Buffer } | undefined;
  /** Servers that refused the global session because they are read-only. */
  private readonly refusedGlobal = new Set<ServerAddress>();
  /** This connection attempt offered the global session. */
  private attemptWithGlobal = false;
  /** The server the session handshake went to, until it answers. */
  private handshakeTo: ServerAddress | undefined;
  private rwProbeTimer: NodeJS.Timeout | undefined;
  private rwProbeDelay = 0;
  /** The server an `isro` probe found serving writes: tried next. */
  private preferredServer: ServerAddress | undefined;

  constructor(opts: TransportOptions) {
    // The library's own parser cannot read IPv6; it gets a placeholder and the servers are set here.
    super(
      '127.0.0.1:2181',
      {
        sessionTimeout: opts.sessionTimeoutMs,
        spinDelay: opts.spinDelayMs,
        sessionId: opts.sessionId,
        sessionPassword: opts.sessionPassword,
      },
      (state: number) => this.events.emit('state', state),
    );
    this.topts = opts;
    if (opts.sessionId && opts.sessionPassword) this.globalSession = { id: opts.sessionId, password: opts.sessionPassword };
    this.servers = shuffle(opts.servers.slice());
    this.chrootPath = undefined;
    this.updateTimeout(opts.sessionTimeoutMs);
  }

  // --- timeouts -----------------------------------------------------------------------------

  /** Overrides ConnectionManager. */
  updateTimeout(sessionTimeout: number): void {
    this.sessionTimeout = sessionTimeout;
    this.connectTimeout = this.topts?.connectTimeoutMs ?? Math.floor(sessionTimeout / Math.max(1, this.servers.length));
    // Ping well inside the liveness window, and at least three times per session timeout.
    const liveness = this.topts?.livenessTimeoutMs ?? sessionTimeout;
    this.pingTimeout = Math.max(200, Math.min(Math.floor(sessionTimeout / 3), Math.floor(liveness / 3)));
  }

  // --- connecting ---------------------------------------------------------------------------

  /** Overrides ConnectionManager. */
  connect(): void {
    if (this.state === STATES.CLOSED || this.state === STATES.CLOSING) return;
    this.setState(STATES.CONNECTING);
    const server = this.nextServer();
    if (server === undefined) return; // waiting for the backoff timer
    this.openSocket(server);
  }

  /** The next server to try now, or undefined after arming a backoff timer that calls connect(). */
  private nextServer(): ServerAddress | undefined {
    if (this.attemptsThisRound >= this.servers.length) {
      this.attemptsThisRound = 0;
      this.failedRounds += 1;
      const base = Math.min(this.topts.maxBackoffMs, this.topts.spinDelayMs * 2 ** (this.failedRounds - 1));
      const delay = Math.round(base * (0.5 + Math.random() * 0.5));
      this.backoffTimer = setTimeout(() => {
        this.backoffTimer = undefined;
        if (this.state === STATES.CONNECTING) {
          const s = this.nextServer();
          if (s) this.openSocket(s);
        }
      }, delay);
      return undefined;
    }
    this.attemptsThisRound += 1;
    if (this.preferredServer) {
      const preferred = this.preferredServer;
      this.preferredServer = undefined;
      return preferred;
    }
    const server = this.servers[this.serverIndex % this.servers.length];
    this.serverIndex = (this.serverIndex + 1) % this.servers.length;
    return server;
  }

  private openSocket(server: ServerAddress): void {
    this.currentServer = server;
    this.inbound = [];
    this.inboundLength = 0;
    const socket: net.Socket = this.topts.tls
      ? tls.connect({ host: server.host, port: server.port, ...this.topts.tls })
      : net.connect({ host: server.host, port: server.port });
    this.socket = socket;
    const mine = () => this.socket === socket;
    this.connectTimeoutHandler = setTimeout(() => {
      if (!mine()) return;
      const err: Error & { code?: string } = new Error(
        `no answer from ${server.host}:${server.port} within ${this.connectTimeout} ms`,
      );
      err.code = 'ETIMEDOUT';
      this.noteSocketError(err, server);
      socket.destroy();
    }, this.connectTimeout);
    socket.setNoDelay(true);
    socket.on(this.topts.tls ? 'secureConnect' : 'connect', () => mine() && this.onSocketConnected());
    socket.on('data', (b: Buffer) => mine() && this.onSocketData(b));
    socket.on('drain', () => mine() && this.onSocketDrain());
    socket.on('error', (err: Error) => mine() && this.noteSocketError(err, server));
    socket.on('close', () => mine() && this.onSocketClosed());
  }

  /** This end of the current socket (address and port as the server sees them on loopback), when connected. */
  get localEndpoint(): { address: string; port: number } | undefined {
    const socket = this.socket as net.Socket | undefined;
    if (!socket || socket.destroyed || socket.localPort === undefined || socket.localAddress === undefined) return undefined;
    return { address: socket.localAddress, port: socket.localPort };
  }

  private noteSocketError(err: Error & { code?: string }, server: ServerAddress): void {
    this.lastSocketError = err;
    this.events.emit('socketError', err, server);
  }

  /** Overrides ConnectionManager. */
  onSocketConnected(): void {
    clearTimeout(this.connectTimeoutHandler);
    this.lastHeardAt = Date.now();
    // A frozen server still accepts TCP connections: the handshake needs its own deadline.
    const socket = this.socket;
    const server = this.currentServer;
    this.connectTimeoutHandler = setTimeout(() => {
      if (this.socket !== socket || this.state !== STATES.CONNECTING || !server) return;
      const err: Error & { code?: string } = new Error(
        `no answer from ${server.host}:${server.port} to the session handshake within ${this.connectTimeout} ms`,
      );
      err.code = 'ETIMEDOUT';
      this.noteSocketError(err, server);
      socket.destroy();
    }, this.connectTimeout);
    const session = !this.topts.canBeReadOnly
      ? { id: this.sessionId, password: this.sessionPassword }
      : server && this.refusedGlobal.has(server)
        ? { id: Buffer.alloc(8), password: Buffer.alloc(16) } // a new local session: nothing of a read-only one is worth resuming
        : this.globalSession ?? { id: Buffer.alloc(8), password: Buffer.alloc(16) };
    this.attemptWithGlobal = this.topts.canBeReadOnly === true && this.globalSession !== undefined && session === this.globalSession;
    this.handshakeTo = server;
    const connectRequest = new jute.Request(
      null,
      new jute.protocol.ConnectRequest(jute.PROTOCOL_VERSION, this.zxid, this.sessionTimeout, session.id, session.password),
    );
    let bytes: Buffer = connectRequest.toBuffer();
    if (this.topts.canBeReadOnly) {
      // The library's ConnectRequest has no readOnly field: append the boolean and fix the length.
      bytes = Buffer.concat([bytes, Buffer.from([1])]);
      bytes.writeInt32BE(bytes.length - 4, 0);
    }
    this.socket.write(bytes);
    // Auth and watch re-registration must reach the server before any request that was queued
    // while disconnected, or those fail with NOAUTH or miss events: put them at the queue's head.
    const first: { request: unknown; callback: ReplyCallback }[] = [];
    for (const credential of this.credentials as { scheme: string; auth: Buffer }[]) {
      const header = new jute.protocol.RequestHeader(XID_AUTHENTICATION, OP.AUTH);
      const payload = new jute.protocol.AuthPacket(0, credential.scheme, credential.auth);
      first.push({ request: new jute.Request(header, payload), callback: noop });
    }
    const watches = this.setWatchesRequest();
    if (watches) first.push({ request: watches, callback: noop });
    this.packetQueue.queue.unshift(...first);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private setWatchesRequest(): any {
    const wm = this.watcherManager;
    const dataWatches: string[] = wm.getDataWatcherPaths();
    const existWatches: string[] = wm.getExistenceWatcherPaths();
    const childWatches: string[] = wm.getChildWatcherPaths();
    const persistent: string[] = [];
    const recursive: string[] = [];
    for (const [path, mode] of this.persistentWatches) {
      (mode === ADD_WATCH_MODE.PERSISTENT_RECURSIVE ? recursive : persistent).push(path);
    }
    const total = dataWatches.length + existWatches.length + childWatches.length + persistent.length + recursive.length;
    if (total === 0) return undefined;
    if (persistent.length + recursive.length === 0) {
      const header = new jute.protocol.RequestHeader(XID_SET_WATCHES, OP.SET_WATCHES);
      const payload = new jute.protocol.SetWatches();
      payload.relativeZxid = this.zxid;
      payload.dataWatches = dataWatches;
      payload.existWatches = existWatches;
      payload.childWatches = childWatches;
      return new jute.Request(header, payload);
    }
    const header = new jute.protocol.RequestHeader(XID_SET_WATCHES, OP.SET_WATCHES2);
    const payload = new records.SetWatches2(this.zxid, dataWatches, existWatches, childWatches, persistent, recursive);
    return new jute.Request(header, payload);
  }

  // --- receiving ----------------------------------------------------------------------------

  /** Splits the byte stream into frames; a large reply is copied once, when it is complete. */
  /** Overrides ConnectionManager. */
  onSocketData(chunk: Buffer): void {
    this.lastHeardAt = Date.now();
    this.inbound.push(chunk);
    this.inboundLength += chunk.length;
    const socket = this.socket;
    while (this.inboundLength >= 4 && this.socket === socket) {
      if (this.inbound[0].length < 4) this.coalesce();
      const size = this.inbound[0].readInt32BE(0);
      if (size < 0) {
        this.failProtocol(new Error(`invalid frame length ${size}`));
        return;
      }
      if (this.inboundLength < size + 4) return;
      if (this.inbound[0].length < size + 4) this.coalesce();
      const head = this.inbound[0];
      const frame = head.subarray(4, size + 4);
      const rest = head.subarray(size + 4);
      if (rest.length > 0) this.inbound[0] = rest;
      else this.inbound.shift();
      this.inboundLength -= size + 4;
      try {
        this.handleFrame(frame);
      } catch (err) {
        this.failProtocol(err instanceof Error ? err : new Error(String(err)));
        return;
      }
    }
  }

  private coalesce(): void {
    this.inbound = [Buffer.concat(this.inbound, this.inboundLength)];
  }

  private failProtocol(err: Error): void {
    this.events.emit('protocolError', err);
    this.socket?.destroy();
  }

  private handleFrame(frame: Buffer): void {
    if (this.state === STATES.CONNECTING) {
      this.handleConnectResponse(frame);
      return;
    }
    const header = new jute.protocol.ReplyHeader();
    const offset = header.deserialize(frame, 0);
    switch (header.xid) {
      case XID_PING:
        return;
      case XID_AUTHENTICATION:
        if (header.err === -115) {
          this.setState(STATES.AUTHENTICATION_FAILED);
          this.events.emit('authFailed');
        }
        return;
      case XID_NOTIFICATION: {
        const event = new jute.protocol.WatcherEvent();
        event.deserialize(frame, offset);
        this.deliverNotification({ type: event.type, state: event.state, path: event.path });
        return;
      }
      default:
        break;
    }
    const pending = this.pendingQueue.shift() as { request: WireRequest; callback: ReplyCallback } | undefined;
    if (!pending || pending.request.header.xid !== header.xid) {
      // A reply we did not ask for: the stream is out of step; start over on a new socket.
      throw new Error(`unexpected reply xid ${header.xid}`);
    }
    if (!isZeroLong(header.zxid)) this.zxid = header.zxid;
    const { request, callback } = pending;
    if (header.err !== 0 && !request.decodeOnError) {
      callback({ code: header.err });
      return;
    }
    const decode = request.decode ?? REPLY_DECODERS[request.header.type] ?? NO_BODY;
    let body: unknown;
    try {
      body = decode(frame, offset);
    } catch (err) {
      // The reply could not be decoded: fail this request only, keep the connection.
      callback({ code: header.err !== 0 ? header.err : -5 });
      this.events.emit('protocolError', err instanceof Error ? err : new Error(String(err)));
      return;
    }
    callback(header.err === 0 ? null : { code: header.err }, body);
  }

  private handleConnectResponse(frame: Buffer): void {
    this.handshakeTo = undefined;
    if (frame.length === 16 && frame.readInt32BE(12) === -119 && this.currentServer) {
      // A read-only server without local sessions answers NOTREADONLY instead of a ConnectResponse.
      this.refuseGlobal(this.currentServer, 'it needs localSessionsEnabled=true for read-only sessions');
      return;
    }
    const response = new jute.protocol.ConnectResponse();
    const used = response.deserialize(frame, 0);
    clearTimeout(this.connectTimeoutHandler);
    const readOnly = frame.length > used && frame[used] !== 0;
    if (response.timeOut <= 0 && readOnly && this.currentServer && this.attemptWithGlobal) {
      // A read-only server does not know global sessions (the quorum does): not an expiry. That
      // server gets asked for a read-only session next; the global one is kept for when the quorum is back.
      this.refuseGlobal(this.currentServer);
      return;
    }
    if (response.timeOut <= 0) {
      // The server no longer knows this session: it expired while we were away.
      this.setState(STATES.SESSION_EXPIRED);
      this.failAllQueued(-112);
      return;
    }
    this.readOnlyServer = frame.length > used && frame[used] !== 0;
    this.attemptsThisRound = 0;
    this.failedRounds = 0;
    this.sessionId = response.sessionId;
    this.sessionPassword = response.passwd;
    if (!this.readOnlyServer) {
      this.globalSession = { id: response.sessionId, password: response.passwd };
      this.refusedGlobal.clear();
    }
    this.updateTimeout(response.timeOut);
    this.setState(this.readOnlyServer ? STATES.CONNECTED_READ_ONLY : STATES.CONNECTED);
    if (this.currentServer) this.events.emit('connectedTo', this.currentServer, this.readOnlyServer);
    this.onPacketQueueReadable();
    this.armLiveness();
    clearTimeout(this.rwProbeTimer);
    if (this.readOnlyServer) {
      this.rwProbeDelay = this.topts.rwProbeMs ?? 1000;
      this.scheduleRwProbe();
    }
  }

  // --- read-only servers --------------------------------------------------------------------

  private refuseGlobal(server: ServerAddress, why = 'asking it for a read-only session'): void {
    const again = this.refusedGlobal.has(server);
    this.refusedGlobal.add(server);
    const err: Error & { code?: string } = new Error(`${server.host}:${server.port} is in read-only mode (no quorum) and cannot carry this session; ${again ? why : 'asking it for a read-only session'}`);
    err.code = 'NOTREADONLY';
    this.noteSocketError(err, server);
    this.socket?.destroy();
  }

  /** While on a read-only server: asks the others with `isro` and moves to one serving writes. */
  private scheduleRwProbe(): void {
    const socket = this.socket;
    this.rwProbeTimer = setTimeout(async () => {
      if (this.socket !== socket || this.state !== STATES.CONNECTED_READ_ONLY) return;
      for (const server of this.servers as ServerAddress[]) {
        if (server === this.currentServer) continue;
        const answer = await askIsro(server, this.connectTimeout, this.topts.tls);
        if (this.socket !== socket || this.state !== STATES.CONNECTED_READ_ONLY) return;
        if (answer === 'rw') {
          this.preferredServer = server;
          this.events.emit('readWriteServerFound', server);
          socket.destroy();
          return;
        }
      }
      this.rwProbeDelay = Math.min(60_000, this.rwProbeDelay * 2);
      this.scheduleRwProbe();
    }, this.rwProbeDelay);
    this.rwProbeTimer.unref?.();
  }

  private deliverNotification(e: WatcherEventFrame): void {
    // One-shot watchers (types 1-4) go through the library's watcher manager, which forgets them
    // once fired; every event, including types it does not know (5-7: watch removed), goes out
    // to our listeners.
    if (e.type >= 1 && e.type <= 4) this.watcherManager.emit({ type: e.type, state: e.state, path: e.path });
    this.events.emit('notification', e);
  }

  // --- liveness -----------------------------------------------------------------------------

  private armLiveness(): void {
    clearInterval(this.livenessTimer);
    const socket = this.socket;
    const tick = Math.max(100, Math.min(this.pingTimeout, Math.floor(this.topts.livenessTimeoutMs / 4)));
    this.livenessTimer = setInterval(() => {
      if (this.socket !== socket || (this.state !== STATES.CONNECTED && this.state !== STATES.CONNECTED_READ_ONLY)) {
        clearInterval(this.livenessTimer);
        return;
      }
      const silent = Date.now() - this.lastHeardAt;
      if (silent >= this.topts.livenessTimeoutMs) {
        // The server accepted our bytes but stopped answering (frozen, black hole): move on
        // while the session is still valid on the others.
        clearInterval(this.livenessTimer);
        if (this.currentServer) this.events.emit('livenessTimeout', this.currentServer, silent);
        socket.destroy();
        return;
      }
      if (silent >= this.pingTimeout) this.sendPing();
    }, tick);
  }

  private sendPing(): void {
    const header = new jute.protocol.RequestHeader(XID_PING, OP.PING);
    this.socket.write(new jute.Request(header, null).toBuffer());
  }

  // The library re-arms a ping on socket idle; our liveness timer replaces that.
  /** Overrides ConnectionManager. */
  onSocketTimeout(): void {}

  // --- closing ------------------------------------------------------------------------------

  /** Overrides ConnectionManager. */
  onSocketClosed(): void {
    clearTimeout(this.connectTimeoutHandler);
    clearTimeout(this.rwProbeTimer);
    const unanswered = this.state === STATES.CONNECTING ? this.handshakeTo : undefined;
    this.handshakeTo = undefined;
    if (unanswered && this.attemptWithGlobal && !this.refusedGlobal.has(unanswered)) {
      // A read-only server closes the connection on a global session without a word ("Refusing
      // global session reconnection in RO mode"): ask it, and if so, ask it for a read-only session next.
      void askIsro(unanswered, this.connectTimeout, this.topts.tls).then((answer) => {
        if (answer === 'ro' && this.state === STATES.CONNECTING && !this.refusedGlobal.has(unanswered)) {
          this.refusedGlobal.add(unanswered);
          const err: Error & { code?: string } = new Error(
            `${unanswered.host}:${unanswered.port} is in read-only mode (no quorum) and refused this session; asking it for a read-only session`,
          );
          err.code = 'NOTREADONLY';
          this.noteSocketError(err, unanswered);
        }
      });
    }
    clearInterval(this.livenessTimer);
    let code: number;
    let retry = false;
    switch (this.state) {
      case STATES.CLOSING:
      case STATES.CLOSED:
        code = -4;
        break;
      case STATES.SESSION_EXPIRED:
        code = -112;
        break;
      case STATES.AUTHENTICATION_FAILED:
        code = -115;
        break;
      default:
        code = -4;
        retry = true;
    }
    // Requests on the wire may or may not have been applied: they fail. Requests not yet sent
    // stay queued and go out on the next connection of the same session.
    this.cleanupPendingQueue(code);
    if (retry) {
      this.setState(STATES.DISCONNECTED);
      this.connect();
      return;
    }
    this.failAllQueued(code);
    if (this.state !== STATES.SESSION_EXPIRED && this.state !== STATES.AUTHENTICATION_FAILED) {
      this.setState(STATES.CLOSED);
    }
  }

  /** Overrides ConnectionManager. */
  cleanupPendingQueue(code: number): void {
    const pending = this.pendingQueue as { callback?: ReplyCallback }[];
    this.pendingQueue = [];
    for (const p of pending) p.callback?.({ code });
  }

  /** Fails every request not yet sent (used when the session can never carry them). */
  failAllQueued(code: number): void {
    const queued = this.packetQueue.queue as { callback?: ReplyCallback }[];
    this.packetQueue.queue = [];
    for (const p of queued) p.callback?.({ code });
  }

  /** Removes a request that was not sent yet; true when it was still queued. */
  unqueue(request: unknown): boolean {
    const q = this.packetQueue.queue as { request: unknown }[];
    const i = q.findIndex((p) => p.request === request);
    if (i < 0) return false;
    q.splice(i, 1);
    return true;
  }

  /** Ends the session (closeSession when connected), then the socket; never reconnects. */
  shutdown(graceMs = 1000): Promise<void> {
    clearTimeout(this.backoffTimer);
    clearTimeout(this.rwProbeTimer);
    clearInterval(this.livenessTimer);
    return new Promise((resolve) => {
      const socket: net.Socket | undefined = this.socket;
      const connected = this.state === STATES.CONNECTED || this.state === STATES.CONNECTED_READ_ONLY;
      const finish = () => {
        clearTimeout(timer);
        socket?.destroy();
        this.cleanupPendingQueue(-4);
        this.failAllQueued(-4);
        this.setState(STATES.CLOSED);
        resolve();
      };
      const timer = setTimeout(finish, connected ? graceMs : 0);
      if (connected && socket) {
        socket.once('close', finish);
        this.close(); // queues closeSession; the server then closes the socket
      } else {
        this.setState(STATES.CLOSING);
      }
    });
  }

  /** Drops the current socket (tests and "Reconnect"): the session moves to the next server. */
  dropConnection(): void {
    this.socket?.destroy();
  }
}

/** `isro` on its own connection: 'rw', 'ro', or undefined when the server did not say. */
function askIsro(server: ServerAddress, timeoutMs: number, tlsOptions?: tls.ConnectionOptions): Promise<'rw' | 'ro' | undefined> {
  return new Promise((resolve) => {
    const socket = tlsOptions ? tls.connect({ host: server.host, port: server.port, ...tlsOptions }) : net.connect({ host: server.host, port: server.port });
    let answer = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const a = answer.trim();
      resolve(a === 'rw' || a === 'ro' ? a : undefined);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on(tlsOptions ? 'secureConnect' : 'connect', () => socket.write('isro'));
    socket.on('data', (b: Buffer) => {
      answer += b.toString('latin1');
      if (answer.length > 16) done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

function isZeroLong(b: Buffer | undefined): boolean {
  if (!b) return true;
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const noop: ReplyCallback = () => undefined;
