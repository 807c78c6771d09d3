// The wire layer: one session's connection, ours end to end (socket, handshake, request queue,
// frames, replies); no part of node-zookeeper-client is used here.
//  - frames are split here, and a reply code or event type nobody knows is passed on as a number;
//  - requests are encoded by src/zk/wire/requests.ts, replies decoded by our bounds-checked decoders
//    (src/zk/wire/replies.ts), and frames over a size limit are refused as soon as their length
//    arrives; any violation fails the requests on the wire with a protocol error and drops the
//    connection, which reconnects;
//  - the socket can be TLS, and socket errors (refused, DNS, TLS) are reported, not swallowed;
//  - after a handshake, an optional post-handshake step (SASL) runs first; then auth and watch
//    re-registration go out before requests already waiting;
//  - a liveness check drops a connection whose server stopped answering (frozen, black-holed);
//  - reconnect attempts back off after every server was tried.
// Chroot is handled by the client above: this layer only sees full server paths.
import { EventEmitter } from 'node:events';
import type * as net from 'node:net';
import { nodeNet, nodeTls } from './lazyBuiltins';
import { formatServer, type ServerAddress } from './connectString';
import { ListeningClock } from './connection/listeningClock';
import { OneShotWatches } from './connection/oneShotWatches';
import { askIsro, ReadWriteProbe } from './connection/readOnlyProbe';
import { RepliesInTurns } from './connection/repliesInTurns';
import { RequestQueue, type Packet, type ReplyCallback, type ReplyFailure } from './connection/requestQueue';
import { ServerRotation } from './connection/serverRotation';
import { SoonOnce, writeBatched } from './connection/writeBatch';
import { SessionIdentity, type PostHandshakeStep, type SessionChannel } from './connection/session';
import { AuthFailure, SASL_REQUIRED_MESSAGE } from './postHandshakeStep';
import { noAnswerError, notReadOnlyError, type SocketError } from './socketErrors';
import { FAIL, STATES, XID, type TransportState } from './connection/states';
import { ADD_WATCH_MODE, type AddWatchMode, type TransportEvents, type TransportOptions, type WatcherEventFrame } from './connection/transportTypes';
import { DEFAULT_MAX_REPLY_BYTES, FrameSplitter } from './wire/frames';
import { OP } from './wire/opcodes';
import { ProtocolViolation, WireReader } from './wire/reader';
import { ChildListInTurns } from './wire/childListInTurns';
import { REPLY_DECODERS, REPLY_HEADER_BYTES, readConnectResponse, readGetChildren2, readReplyHeader, readWatcherEvent, type ReplyHeader } from './wire/replies';
import { authRecord, encodeConnectFrame, encodeFrame, request, setWatchesRecord, type WireRequest } from './wire/requests';

export { OP, STATES };
export { ADD_WATCH_MODE, type AddWatchMode, type TransportEvents, type TransportOptions, type WatcherEventFrame } from './connection/transportTypes';
export type { ReplyCallback, ReplyFailure, TransportState, WireRequest, PostHandshakeStep, SessionChannel };

const noop: ReplyCallback = () => undefined;

/** One ZooKeeper session's connection: it composes a request queue, the one-shot watch registry and the session identity. */
export class ZkTransport {
  readonly events = new EventEmitter<TransportEvents>();
  /** One-shot watches, fired by notifications and re-registered on every new connection. */
  readonly oneShot = new OneShotWatches();
  /** Persistent watches by full path, re-registered with SetWatches2 after every reconnect. */
  readonly persistentWatches = new Map<string, AddWatchMode>();
  currentServer: ServerAddress | undefined;
  readOnlyServer = false;
  lastSocketError: SocketError | undefined;
  private stateValue: TransportState = STATES.DISCONNECTED;
  private readonly topts: TransportOptions;
  private readonly rotation: ServerRotation;
  private readonly frames: FrameSplitter;
  private readonly requests = new RequestQueue();
  private readonly inTurns = new RepliesInTurns();
  private readonly flushSoon = new SoonOnce(() => this.flush());
  private readonly session: SessionIdentity;
  private readonly rwProbe: ReadWriteProbe;
  private readonly credentials: { scheme: string; auth: Buffer }[] = [];
  private socket: net.Socket | undefined;
  /** The last zxid a server reported to this session: sent back in the handshake and SetWatches. */
  private zxid = 0n;
  private negotiatedTimeoutMs: number;
  private connectTimeoutMs: number;
  private pingTimeoutMs = 0;
  private connectTimer: NodeJS.Timeout | undefined;
  private lastHeardAt = 0;
  private livenessTimer: NodeJS.Timeout | undefined;
  /** The server the session handshake went to, until it answers. */
  private handshakeTo: ServerAddress | undefined;
  /** The post-handshake step is running on this socket: only its own requests go out. */
  private inPostHandshake = false;
  /** Why the session ended in AUTHENTICATION_FAILED, when it was more than a refused digest. */
  authFailure: AuthFailure | undefined;

  constructor(opts: TransportOptions) {
    this.topts = opts;
    this.rotation = new ServerRotation(opts.servers, opts);
    this.frames = new FrameSplitter(opts.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES);
    const resume = opts.sessionId && opts.sessionPassword ? { id: opts.sessionId, password: opts.sessionPassword } : undefined;
    this.session = new SessionIdentity(opts.canBeReadOnly === true, resume);
    this.rwProbe = new ReadWriteProbe({ firstDelayMs: opts.rwProbeMs ?? 1000, timeoutMs: opts.connectTimeoutMs, tls: opts.tls });
    this.negotiatedTimeoutMs = opts.sessionTimeoutMs;
    this.connectTimeoutMs = opts.connectTimeoutMs;
    this.updateTimeout(opts.sessionTimeoutMs);
  }

  // --- state and session --------------------------------------------------------------------

  get state(): TransportState {
    return this.stateValue;
  }

  setState(state: TransportState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.events.emit('state', state);
  }

  private get connected(): boolean {
    return this.stateValue === STATES.CONNECTED || this.stateValue === STATES.CONNECTED_READ_ONLY;
  }

  getSessionId(): Buffer {
    return this.session.current.id;
  }

  getSessionPassword(): Buffer {
    return this.session.current.password;
  }

  /** The negotiated session timeout (the requested one before the first handshake). */
  getSessionTimeout(): number {
    return this.negotiatedTimeoutMs;
  }

  /** The last zxid a server reported to this session (0n before any): sent back on reconnect. */
  get lastZxid(): bigint {
    return this.zxid;
  }

  /** This end of the current socket (address and port as the server sees them on loopback), when connected. */
  get localEndpoint(): { address: string; port: number } | undefined {
    const socket = this.socket;
    if (!socket || socket.destroyed || socket.localPort === undefined || socket.localAddress === undefined) return undefined;
    return { address: socket.localAddress, port: socket.localPort };
  }

  private updateTimeout(sessionTimeout: number): void {
    this.negotiatedTimeoutMs = sessionTimeout;
    this.connectTimeoutMs = this.topts.connectTimeoutMs;
    // Ping well inside the liveness window, and at least three times per session timeout.
    this.pingTimeoutMs = Math.max(200, Math.min(Math.floor(sessionTimeout / 3), Math.floor(this.topts.livenessTimeoutMs / 3)));
  }

  /** Adds credentials; re-sent on every new connection. Sent at once when connected. */
  addAuthInfo(scheme: string, auth: Buffer): void {
    if (!scheme) throw new Error('scheme must be a non-empty string.');
    this.credentials.push({ scheme, auth });
    if (this.connected) this.queue(this.authRequest(scheme, auth), noop);
  }

  private authRequest(scheme: string, auth: Buffer): WireRequest {
    return request(OP.AUTH, authRecord(scheme, auth));
  }

  // --- requests -----------------------------------------------------------------------------

  /** Queues a request; it goes out at once when connected, else on the next connection of the session. */
  queue(req: WireRequest, callback: ReplyCallback, fixedXid?: number): void {
    const packet: Packet = { request: req, callback, fixedXid: fixedXid ?? (req.opcode === OP.AUTH ? XID.AUTHENTICATION : undefined) };
    switch (this.stateValue) {
      case STATES.CLOSING:
        if (req.opcode !== OP.CLOSE_SESSION) return callback({ code: FAIL.CONNECTION_LOSS });
        break;
      case STATES.CLOSED:
        return callback({ code: FAIL.CONNECTION_LOSS });
      case STATES.SESSION_EXPIRED:
        return callback({ code: FAIL.SESSION_EXPIRED });
      case STATES.AUTHENTICATION_FAILED:
        return callback({ code: FAIL.AUTH_FAILED });
      default:
        break;
    }
    this.requests.enqueue(packet);
    this.flushSoon.request();
  }

  /** Removes a request that was not sent yet; true when it was still queued. */
  unqueue(req: WireRequest): boolean {
    return this.requests.withdraw(req);
  }

  /** Writes waiting requests while the connection may carry them, until the socket pushes back. */
  private flush(): void {
    if (!(this.connected || this.stateValue === STATES.CLOSING) || this.inPostHandshake) return;
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    // closeSession is the last thing sent; back pressure resumes on 'drain'.
    writeBatched(
      (bytes) => socket.write(bytes),
      () => {
        const packet = this.requests.takeNext();
        return packet && { frame: encodeFrame(this.requests.sent(packet), packet.request), last: packet.request.opcode === OP.CLOSE_SESSION };
      },
    );
  }

  // --- connecting ---------------------------------------------------------------------------

  connect(): void {
    if (this.stateValue === STATES.CLOSED || this.stateValue === STATES.CLOSING) return;
    this.setState(STATES.CONNECTING);
    this.tryNextServer();
  }

  /** Opens a socket to the next server, or waits for the rotation's backoff and tries again then. */
  private tryNextServer(): void {
    const server = this.rotation.next(() => {
      if (this.stateValue === STATES.CONNECTING) this.tryNextServer();
    });
    if (server) this.openSocket(server);
  }

  private openSocket(server: ServerAddress): void {
    this.currentServer = server;
    this.frames.reset();
    this.inPostHandshake = false;
    const socket: net.Socket = this.topts.tls
      ? nodeTls().connect({ host: server.host, port: server.port, ...this.topts.tls })
      : nodeNet().connect({ host: server.host, port: server.port });
    this.socket = socket;
    const mine = () => this.socket === socket;
    this.connectTimer = setTimeout(() => {
      if (!mine()) return;
      this.noteSocketError(noAnswerError(server, 'connect', this.connectTimeoutMs), server);
      socket.destroy();
    }, this.connectTimeoutMs);
    socket.setNoDelay(true);
    socket.on(this.topts.tls ? 'secureConnect' : 'connect', () => mine() && this.onSocketConnected(socket, server));
    socket.on('data', (b: Buffer) => mine() && this.onSocketData(socket, b));
    socket.on('drain', () => mine() && this.flush());
    socket.on('error', (err: Error) => mine() && this.noteSocketError(err, server));
    socket.on('close', () => mine() && this.onSocketClosed());
  }

  private noteSocketError(err: SocketError, server: ServerAddress): void {
    this.lastSocketError = err;
    this.events.emit('socketError', err, server);
  }

  private onSocketConnected(socket: net.Socket, server: ServerAddress): void {
    clearTimeout(this.connectTimer);
    this.lastHeardAt = Date.now();
    // A frozen server still accepts TCP connections: the handshake needs its own deadline.
    this.connectTimer = setTimeout(() => {
      if (this.socket !== socket || this.stateValue !== STATES.CONNECTING) return;
      this.noteSocketError(noAnswerError(server, 'handshake', this.connectTimeoutMs), server);
      socket.destroy();
    }, this.connectTimeoutMs);
    const offer = this.session.offerTo(server);
    this.handshakeTo = server;
    socket.write(
      encodeConnectFrame({
        lastZxidSeen: this.zxid,
        timeoutMs: this.negotiatedTimeoutMs,
        sessionId: offer.id,
        password: offer.password,
        readOnly: this.topts.canBeReadOnly,
      }),
    );
  }

  /** Auth and watch re-registration must reach the server before requests queued while disconnected. */
  private releaseQueue(): void {
    const first: Packet[] = this.credentials.map((c) => ({ request: this.authRequest(c.scheme, c.auth), callback: noop, fixedXid: XID.AUTHENTICATION }));
    const watches = this.setWatchesRequest();
    if (watches) first.push({ request: watches, callback: noop });
    this.requests.putFirst(first);
    this.flush();
  }

  private setWatchesRequest(): WireRequest | undefined {
    const persistent: string[] = [];
    const persistentRecursive: string[] = [];
    for (const [path, mode] of this.persistentWatches) {
      (mode === ADD_WATCH_MODE.PERSISTENT_RECURSIVE ? persistentRecursive : persistent).push(path);
    }
    const set = { data: this.oneShot.paths('data'), exist: this.oneShot.paths('exists'), child: this.oneShot.paths('child'), persistent, persistentRecursive };
    const total = set.data.length + set.exist.length + set.child.length + persistent.length + persistentRecursive.length;
    if (total === 0) return undefined;
    const withPersistent = persistent.length + persistentRecursive.length > 0;
    return request(withPersistent ? OP.SET_WATCHES2 : OP.SET_WATCHES, setWatchesRecord(this.zxid, set, withPersistent));
  }

  // --- receiving ----------------------------------------------------------------------------

  private onSocketData(socket: net.Socket, chunk: Buffer): void {
    this.lastHeardAt = Date.now();
    try {
      this.frames.push(
        chunk,
        (frame) => {
          this.handleFrame(frame);
          return this.socket === socket && !socket.destroyed && !this.inTurns.holds(socket);
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
    if (this.connected) this.setState(STATES.DISCONNECTED);
    this.requests.failOnWire({ code: FAIL.CONNECTION_LOSS, protocol: { server, what } });
    socket.destroy();
  }

  /** A reply over maxReplyBytes: fails its request alone when that request allows it (failOversizedReply). */
  private failOversized(size: number, head: Buffer): boolean {
    if (this.stateValue === STATES.CONNECTING && !this.inPostHandshake) return false;
    const header = readReplyHeader(head);
    const expected = this.requests.expected();
    if (!expected?.packet.request.failOversizedReply || expected.xid !== header.xid) return false;
    this.requests.answered();
    if (header.zxid) this.zxid = header.zxid.readBigUInt64BE(0);
    expected.packet.callback({ code: header.err !== 0 ? header.err : -1, tooLarge: { bytes: size, limit: this.frames.maxFrameBytes } });
    return true;
  }

  private handleFrame(frame: Buffer): void {
    if (this.handshakeTo !== undefined && this.stateValue === STATES.CONNECTING) {
      this.handleConnectResponse(frame);
      return;
    }
    const header = readReplyHeader(frame);
    if (header.err === FAIL.SASL_REQUIRED && !this.inPostHandshake) {
      // To any request or ping: the server requires SASL and closes the session (during the step,
      // the same code is the step's to interpret).
      this.failAuthentication(new AuthFailure('saslRequired', SASL_REQUIRED_MESSAGE));
      return;
    }
    switch (header.xid) {
      case XID.PING:
        return;
      case XID.AUTHENTICATION:
        if (header.err === FAIL.AUTH_FAILED) {
          this.setState(STATES.AUTHENTICATION_FAILED);
          this.events.emit('authFailed');
        }
        return;
      case XID.NOTIFICATION:
        this.deliverNotification(readWatcherEvent(new WireReader(frame, REPLY_HEADER_BYTES)));
        return;
      default:
        break;
    }
    const expected = this.requests.expected();
    if (!expected || expected.xid !== header.xid) {
      // A reply we did not ask for: the stream is out of step; start over on a new socket.
      throw new ProtocolViolation(`a reply with xid ${header.xid} arrived, ${expected ? `${expected.xid} was expected` : 'none was expected'}`);
    }
    const { request: req, callback } = expected.packet;
    // A failed multi carries its parts' results, unless the server refused it whole (an older server's
    // MARSHALLINGERROR, for instance): then the reply is the header alone.
    const bodyless = header.err !== 0 && (!req.decodeOnError || frame.length <= REPLY_HEADER_BYTES);
    const decode = bodyless ? undefined : req.decode ?? REPLY_DECODERS[req.opcode];
    const longList = decode === readGetChildren2 ? ChildListInTurns.ifLong(frame, REPLY_HEADER_BYTES) : undefined;
    if (longList) {
      const socket = this.socket as net.Socket;
      const port = { current: () => this.socket === socket && !socket.destroyed, fail: (err: Error) => this.failProtocol(err), drain: () => this.onSocketData(socket, Buffer.alloc(0)) };
      return this.inTurns.answer(socket, longList, { ...port, deliver: (body) => this.answered(header, callback, body) });
    }
    // Decoded while still pending: a violation fails it with the others on the wire.
    this.answered(header, callback, decode ? decode(new WireReader(frame, REPLY_HEADER_BYTES)) : undefined);
  }

  private answered(header: ReplyHeader, callback: ReplyCallback, body: unknown): void {
    this.requests.answered();
    if (header.zxid) this.zxid = header.zxid.readBigUInt64BE(0);
    callback(header.err === 0 ? null : { code: header.err }, body);
  }

  private handleConnectResponse(frame: Buffer): void {
    const server = this.handshakeTo;
    this.handshakeTo = undefined;
    if (!server) return;
    if (frame.length === 16 && frame.readInt32BE(12) === FAIL.NOT_READ_ONLY) {
      // A read-only server without local sessions answers NOTREADONLY instead of a ConnectResponse.
      this.refuseGlobal(server, true);
      return;
    }
    const response = readConnectResponse(frame);
    clearTimeout(this.connectTimer);
    if (response.timeOut <= 0 && response.readOnly && this.session.offeredGlobalTo(server)) {
      // A read-only server does not know global sessions (the quorum does): not an expiry. That
      // server gets asked for a read-only session next; the global one is kept for when the quorum is back.
      this.refuseGlobal(server);
      return;
    }
    if (response.timeOut <= 0) {
      // The server no longer knows this session: it expired while we were away.
      this.setState(STATES.SESSION_EXPIRED);
      this.requests.failWaiting({ code: FAIL.SESSION_EXPIRED });
      return;
    }
    this.readOnlyServer = response.readOnly;
    this.rotation.succeeded();
    this.session.accepted({ id: response.sessionId, password: response.passwd }, response.readOnly, server);
    this.updateTimeout(response.timeOut);
    this.armLiveness();
    const step = this.topts.postHandshake;
    if (step) void this.runPostHandshake(step, server);
    else this.opened(server);
  }

  /** The connection carries the session's requests from now on. */
  private opened(server: ServerAddress): void {
    this.setState(this.readOnlyServer ? STATES.CONNECTED_READ_ONLY : STATES.CONNECTED);
    this.events.emit('connectedTo', server, this.readOnlyServer);
    this.releaseQueue();
    this.rwProbe.stop();
    if (this.readOnlyServer) {
      const socket = this.socket;
      const stillReadOnly = () => this.socket === socket && this.stateValue === STATES.CONNECTED_READ_ONLY;
      this.rwProbe.start(this.rotation.servers, this.currentServer, stillReadOnly, (rw) => {
        this.rotation.prefer(rw);
        this.events.emit('readWriteServerFound', rw);
        socket?.destroy();
      });
    }
  }

  private async runPostHandshake(step: PostHandshakeStep, server: ServerAddress): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    this.inPostHandshake = true;
    const channel: SessionChannel = {
      server,
      readOnly: this.readOnlyServer,
      send: (req) =>
        new Promise((resolve, reject) => {
          if (this.socket !== socket || socket.destroyed) return reject({ code: FAIL.CONNECTION_LOSS } satisfies ReplyFailure);
          const packet: Packet = { request: req, callback: (err, body) => (err ? reject(err) : resolve(body)) };
          socket.write(encodeFrame(this.requests.sent(packet), req));
        }),
    };
    // The handshake's deadline covers the step: a server that stops answering mid-step is left.
    this.connectTimer = setTimeout(() => {
      if (this.socket !== socket || !this.inPostHandshake) return;
      this.noteSocketError(noAnswerError(server, 'sasl', this.connectTimeoutMs), server);
      socket.destroy();
    }, this.connectTimeoutMs);
    try {
      await step(channel);
    } catch (err) {
      clearTimeout(this.connectTimer);
      // A connection lost meanwhile is no refusal: the session goes on on the next one.
      if (this.socket !== socket || socket.destroyed) return;
      this.inPostHandshake = false;
      // Only a verdict (the server refused, or cannot do SASL) ends the session's use; anything else
      // (a stray reply, silence) drops this connection and the next one runs the step again.
      if (err instanceof AuthFailure) this.failAuthentication(err);
      else socket.destroy();
      return;
    }
    clearTimeout(this.connectTimer);
    if (this.socket !== socket || socket.destroyed || this.stateValue !== STATES.CONNECTING) return;
    this.inPostHandshake = false;
    this.opened(server);
  }

  /** Ends the session's use: every request fails with AUTHFAILED and the failure's message. */
  private failAuthentication(failure: AuthFailure): void {
    this.authFailure = failure;
    this.setState(STATES.AUTHENTICATION_FAILED);
    this.events.emit('authFailed', failure);
    this.socket?.destroy();
  }

  // --- read-only servers --------------------------------------------------------------------

  private refuseGlobal(server: ServerAddress, needsLocalSessions = false): void {
    const again = this.session.refuse(server);
    this.noteSocketError(notReadOnlyError(server, again && needsLocalSessions ? 'needsLocalSessions' : 'cannotCarry'), server);
    this.socket?.destroy();
  }

  private deliverNotification(e: WatcherEventFrame): void {
    // One-shot watches fire on types 1-4 and are forgotten; every event, including types nobody
    // knows (5-7: watch removed), goes out to our listeners.
    this.oneShot.fire(e.type, e.path);
    this.events.emit('notification', e);
  }

  // --- liveness -----------------------------------------------------------------------------

  private armLiveness(): void {
    clearInterval(this.livenessTimer);
    const socket = this.socket;
    const tick = Math.max(100, Math.min(this.pingTimeoutMs, Math.floor(this.topts.livenessTimeoutMs / 4)));
    const clock = new ListeningClock(tick, Date.now(), this.lastHeardAt);
    this.livenessTimer = setInterval(() => {
      if (this.socket !== socket || !socket || !(this.connected || this.inPostHandshake)) {
        clearInterval(this.livenessTimer);
        return;
      }
      const silent = clock.silentMs(Date.now(), this.lastHeardAt);
      if (silent >= this.topts.livenessTimeoutMs) {
        // The server accepted our bytes but stopped answering (frozen, black hole): move on
        // while the session is still valid on the others.
        clearInterval(this.livenessTimer);
        if (this.currentServer) this.events.emit('livenessTimeout', this.currentServer, silent);
        socket.destroy();
        return;
      }
      if (silent >= this.pingTimeoutMs) socket.write(encodeFrame(XID.PING, request(OP.PING)));
    }, tick);
  }

  // --- closing ------------------------------------------------------------------------------

  private onSocketClosed(): void {
    clearTimeout(this.connectTimer);
    this.rwProbe.stop();
    this.inPostHandshake = false;
    const unanswered = this.stateValue === STATES.CONNECTING ? this.handshakeTo : undefined;
    this.handshakeTo = undefined;
    if (unanswered && this.session.offeredGlobalTo(unanswered)) this.askWhyRefused(unanswered);
    clearInterval(this.livenessTimer);
    let code: number;
    let retry = false;
    switch (this.stateValue) {
      case STATES.CLOSING:
      case STATES.CLOSED:
        code = FAIL.CONNECTION_LOSS;
        break;
      case STATES.SESSION_EXPIRED:
        code = FAIL.SESSION_EXPIRED;
        break;
      case STATES.AUTHENTICATION_FAILED:
        code = FAIL.AUTH_FAILED;
        break;
      default:
        code = FAIL.CONNECTION_LOSS;
        retry = true;
    }
    // Requests on the wire may or may not have been applied: they fail. Requests not yet sent
    // stay queued and go out on the next connection of the same session.
    this.requests.failOnWire({ code });
    if (retry) {
      this.setState(STATES.DISCONNECTED);
      this.connect();
      return;
    }
    this.requests.failWaiting({ code });
    if (this.stateValue !== STATES.SESSION_EXPIRED && this.stateValue !== STATES.AUTHENTICATION_FAILED) {
      this.setState(STATES.CLOSED);
    }
  }

  /**
   * A read-only server closes the connection on a global session without a word ("Refusing global
   * session reconnection in RO mode"): ask it, and if so, ask it for a read-only session next.
   */
  private askWhyRefused(server: ServerAddress): void {
    void askIsro(server, this.connectTimeoutMs, this.topts.tls).then((answer) => {
      if (answer === 'ro' && this.stateValue === STATES.CONNECTING && !this.session.hasRefused(server)) {
        this.session.refuse(server);
        this.noteSocketError(notReadOnlyError(server, 'refused'), server);
      }
    });
  }

  /** Ends the session (closeSession when connected), then the socket; never reconnects. */
  shutdown(graceMs = 1000): Promise<void> {
    this.rotation.stop();
    this.rwProbe.stop();
    clearInterval(this.livenessTimer);
    return new Promise((resolve) => {
      const socket = this.socket;
      const connected = this.connected;
      const finish = () => {
        clearTimeout(timer);
        socket?.destroy();
        this.requests.failOnWire({ code: FAIL.CONNECTION_LOSS });
        this.requests.failWaiting({ code: FAIL.CONNECTION_LOSS });
        this.setState(STATES.CLOSED);
        resolve();
      };
      const timer = setTimeout(finish, connected ? graceMs : 0);
      this.setState(STATES.CLOSING);
      if (connected && socket) {
        socket.once('close', finish);
        this.queue(request(OP.CLOSE_SESSION), noop); // the server then closes the socket
      }
    });
  }

  /** Drops the current socket (tests and "Reconnect"): the session moves to the next server. */
  dropConnection(): void {
    this.socket?.destroy();
  }
}
