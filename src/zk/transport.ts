// The wire layer: node-zookeeper-client's ConnectionManager (socket, session handshake, packet
// queues, jute records) with the parts that failed us replaced, in one place:
//  - frames are split here, and a reply code or event type the library does not know is passed on
//    as a number instead of throwing inside the socket handler (which killed the whole process);
//  - replies are decoded by our own bounds-checked decoders (src/zk/wire/), 3.5+ opcodes included,
//    and frames over a size limit are refused as soon as their length arrives; any violation fails
//    the requests on the wire with a protocol error and drops the connection, which reconnects;
//  - the socket can be TLS, and socket errors (refused, DNS, TLS) are reported, not swallowed;
//  - after a reconnect, auth and watch re-registration go out before requests already waiting;
//  - a liveness check drops a connection whose server stopped answering (frozen, black-holed);
//  - reconnect attempts back off after every server was tried.
// Chroot is handled by the client above: this layer only sees full server paths.
import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as util from 'node:util';
import { formatServer, type ServerAddress } from './connectString';
import { DEFAULT_MAX_REPLY_BYTES, FrameSplitter } from './wire/frames';
import { OP } from './wire/opcodes';
import { ProtocolViolation, WireReader } from './wire/reader';
import { REPLY_DECODERS, REPLY_HEADER_BYTES, readConnectResponse, readReplyHeader, readWatcherEvent, type ReplyDecoder } from './wire/replies';

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

export { OP };

const XID_NOTIFICATION = -1;
const XID_PING = -2;
const XID_AUTHENTICATION = -4;
const XID_SET_WATCHES = -8;

/** The library's record base class, to define request records for opcodes it lacks. */
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

/** Request records (encoding only: replies are decoded by src/zk/wire/replies.ts). */
export const records = {
  CreateTTLRequest: defineRecord([
    { name: 'path', type: 'ustring' },
    { name: 'data', type: 'buffer' },
    { name: 'acl', type: 'vector<data.ACL>' },
    { name: 'flags', type: 'int' },
    { name: 'ttl', type: 'long' },
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
  SetWatches2: defineRecord([
    { name: 'relativeZxid', type: 'long' },
    { name: 'dataWatches', type: 'vector<ustring>' },
    { name: 'existWatches', type: 'vector<ustring>' },
    { name: 'childWatches', type: 'vector<ustring>' },
    { name: 'persistentWatches', type: 'vector<ustring>' },
    { name: 'persistentRecursiveWatches', type: 'vector<ustring>' },
  ]),
  MultiHeader: jute.protocol.MultiHeader,
};

/** A request that failed: the server's code, or (code -4) the protocol violation that dropped the connection. */
export interface ReplyFailure {
  code: number;
  protocol?: { server: string; what: string };
  /** The reply was over maxReplyBytes and was skipped (requests with failOversizedReply only). */
  tooLarge?: { bytes: number; limit: number };
}

/** What a pending request's callback receives: the failure (null = ok) and the decoded body. */
export type ReplyCallback = (err: ReplyFailure | null, body?: unknown) => void;

export interface WireRequest {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  header: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload: any;
  /** Decoder for a successful reply (defaults to REPLY_DECODERS, by opcode). */
  decode?: ReplyDecoder;
  /** A multi's part opcodes (the read-only guard tells a check-only multi from a write). */
  multiParts?: readonly number[];
  /** Decode the body even when the reply code is an error (multi carries per-op results). */
  decodeOnError?: boolean;
  /**
   * A reply over maxReplyBytes fails this request alone (tooLarge), its bytes skipped, instead of
   * dropping the connection: for requests whose caller can ask again in smaller pieces (multiRead).
   */
  failOversizedReply?: boolean;
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
  /** Largest inbound frame accepted (bytes); a longer one is a protocol error. */
  maxReplyBytes?: number;
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
  private readonly frames: FrameSplitter;
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
    this.frames = new FrameSplitter(opts.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES);
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
    this.frames.reset();
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

  /** The last zxid a server reported to this session (0n before any): sent back on reconnect. */
  get lastZxid(): bigint {
    return (this.zxid as Buffer).readBigUInt64BE(0);
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

  /** Overrides ConnectionManager. */
  onSocketData(chunk: Buffer): void {
    this.lastHeardAt = Date.now();
    const socket = this.socket;
    try {
      this.frames.push(
        chunk,
        (frame) => {
          this.handleFrame(frame);
          return this.socket === socket && !socket.destroyed;
        },
        (size, head) => this.failOversized(size, head),
      );
    } catch (err) {
      this.failProtocol(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /**
   * The server sent what no valid reply looks like: every request on the wire fails with the
   * violation (their replies can no longer be told apart), and the connection is dropped; the
   * session goes on on a new one, where requests not yet sent then go out.
   */
  private failProtocol(err: Error): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    const server = this.currentServer ? formatServer(this.currentServer) : 'the server';
    const what = err instanceof ProtocolViolation ? err.message : `a reply could not be decoded (${err.message})`;
    this.events.emit('protocolError', new ProtocolViolation(`Protocol error from ${server}: ${what}; the connection was dropped`));
    // Nothing more goes out on this socket: queued requests wait for the next connection.
    if (this.state === STATES.CONNECTED || this.state === STATES.CONNECTED_READ_ONLY) this.setState(STATES.DISCONNECTED);
    const pending = this.pendingQueue as { callback?: ReplyCallback }[];
    this.pendingQueue = [];
    for (const p of pending) p.callback?.({ code: -4, protocol: { server, what } });
    socket.destroy();
  }

  /** A reply over maxReplyBytes: fails its request alone when that request allows it (failOversizedReply). */
  private failOversized(size: number, head: Buffer): boolean {
    if (this.state === STATES.CONNECTING) return false;
    const header = readReplyHeader(head);
    const pending = this.pendingQueue[0] as { request: WireRequest; callback: ReplyCallback } | undefined;
    if (!pending?.request.failOversizedReply || pending.request.header.xid !== header.xid) return false;
    this.pendingQueue.shift();
    if (header.zxid) header.zxid.copy(this.zxid);
    pending.callback({ code: header.err !== 0 ? header.err : -1, tooLarge: { bytes: size, limit: this.frames.maxFrameBytes } });
    return true;
  }

  private handleFrame(frame: Buffer): void {
    if (this.state === STATES.CONNECTING) {
      this.handleConnectResponse(frame);
      return;
    }
    const header = readReplyHeader(frame);
    switch (header.xid) {
      case XID_PING:
        return;
      case XID_AUTHENTICATION:
        if (header.err === -115) {
          this.setState(STATES.AUTHENTICATION_FAILED);
          this.events.emit('authFailed');
        }
        return;
      case XID_NOTIFICATION:
        this.deliverNotification(readWatcherEvent(new WireReader(frame, REPLY_HEADER_BYTES)));
        return;
      default:
        break;
    }
    const pending = this.pendingQueue[0] as { request: WireRequest; callback: ReplyCallback } | undefined;
    if (!pending || pending.request.header.xid !== header.xid) {
      // A reply we did not ask for: the stream is out of step; start over on a new socket.
      throw new ProtocolViolation(`a reply with xid ${header.xid} arrived, ${pending ? `${pending.request.header.xid} was expected` : 'none was expected'}`);
    }
    const { request, callback } = pending;
    // A failed multi carries its parts' results, unless the server refused it whole (an older server's
    // MARSHALLINGERROR, for instance): then the reply is the header alone.
    const bodyless = header.err !== 0 && (!request.decodeOnError || frame.length <= REPLY_HEADER_BYTES);
    const decode = bodyless ? undefined : request.decode ?? REPLY_DECODERS[request.header.type];
    // Decoded while still pending: a violation fails it with the others on the wire.
    const body = decode ? decode(new WireReader(frame, REPLY_HEADER_BYTES)) : undefined;
    this.pendingQueue.shift();
    if (header.zxid) header.zxid.copy(this.zxid);
    callback(header.err === 0 ? null : { code: header.err }, body);
  }

  private handleConnectResponse(frame: Buffer): void {
    this.handshakeTo = undefined;
    if (frame.length === 16 && frame.readInt32BE(12) === -119 && this.currentServer) {
      // A read-only server without local sessions answers NOTREADONLY instead of a ConnectResponse.
      this.refuseGlobal(this.currentServer, 'it needs localSessionsEnabled=true for read-only sessions');
      return;
    }
    const response = readConnectResponse(frame);
    clearTimeout(this.connectTimeoutHandler);
    if (response.timeOut <= 0 && response.readOnly && this.currentServer && this.attemptWithGlobal) {
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
    this.readOnlyServer = response.readOnly;
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

function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const noop: ReplyCallback = () => undefined;
