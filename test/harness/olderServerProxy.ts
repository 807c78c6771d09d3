// A TCP proxy on 127.0.0.1 in front of a real (3.8) ZooKeeper server that answers like an older
// server for the request types that version lacks. Everything else passes both ways unchanged,
// including four-letter words (a connection whose first four bytes are lowercase letters).
//
// Which opcodes each version knows, from Apache ZooKeeper's git history (ZooDefs.OpCode and
// server/Request.isValid at the release tags release-3.4.14, release-3.5.0, release-3.5.1,
// release-3.5.3, release-3.5.10, release-3.6.0 and release-3.7.0):
//   3.4:    create 1, delete 2, exists 3, getData 4, setData 5, getACL 6, setACL 7, getChildren 8,
//           sync 9, ping 11, getChildren2 12, check 13, multi 14, auth 100, setWatches 101,
//           sasl 102, createSession -10, closeSession -11 (no create2: ZOOKEEPER-1297 is 3.5.0)
//   3.5.0:  + create2 15, reconfig 16, checkWatches 17, removeWatches 18
//   3.5.1:  + createContainer 19, deleteContainer 20
//   3.5.3:  + createTTL 21
//   3.6.0:  + multiRead 22, getEphemerals 103, getAllChildrenNumber 104, setWatches2 105, addWatch 106
//   3.7.0:  + whoAmI 107
// A real server meets an unknown type in ZooKeeperServer.submitRequest: UnimplementedRequestProcessor
// replies UNIMPLEMENTED (-6) and then closes the connection (sendCloseSession; the session itself
// lives on). Mode 'unimplementedThenClose' does exactly that; 'unimplemented' only replies (the
// connection stays up); 'drop' closes without a reply, as some builds and middleboxes do.
// A 3.4 multi whose sub-ops include a type it does not know fails as a whole with
// MARSHALLINGERROR (-5) and no body (MultiTransactionRecord.deserialize throws "Invalid type of
// op"; PrepRequestProcessor turns that into MARSHALLINGERROR).
//
// Replies keep the order of the requests: an answer the proxy makes itself waits until the
// server has answered every request sent before it (the client checks the xid order).
import * as net from 'node:net';
import { LOOPBACK } from './net';

export type OlderVersion = '3.4' | '3.5' | '3.6';
export type UnknownOpMode = 'unimplemented' | 'unimplementedThenClose' | 'drop';

const V34 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 100, 101, 102, -10, -11];
const V35 = [...V34, 15, 16, 17, 18, 19, 20, 21];
const V36 = [...V35, 22, 103, 104, 105, 106];
export const KNOWN_OPCODES: Record<OlderVersion, ReadonlySet<number>> = {
  '3.4': new Set(V34),
  '3.5': new Set(V35),
  '3.6': new Set(V36),
};
/** Sub-op types a multi accepts, per version (MultiTransactionRecord.deserialize). */
const MULTI_SUB_OPS: Record<OlderVersion, ReadonlySet<number>> = {
  '3.4': new Set([1, 2, 5, 13]),
  '3.5': new Set([1, 2, 5, 13, 15, 19, 21]),
  '3.6': new Set([1, 2, 5, 13, 15, 19, 21]),
};

const XID_NOTIFICATION = -1;
const XID_AUTH = -4;
const UNIMPLEMENTED = -6;
const MARSHALLINGERROR = -5;
const MAX_FRAME = 64 * 1024 * 1024;

export interface RefusedRequest {
  opcode: number;
  xid: number;
  /** The multi was refused for one of its sub-ops. */
  inMulti?: boolean;
}

export interface OlderServerProxyOptions {
  version: OlderVersion;
  mode: UnknownOpMode;
}

export class OlderServerProxy {
  /** Every request this proxy refused, in order (tests count them: no endless re-sends). */
  readonly refused: RefusedRequest[] = [];
  /** ZooKeeper connections (a session handshake; reconnects show up here). */
  connections = 0;
  /** Four-letter-word connections passed through (health probes, session lookups). */
  fourLetterWords = 0;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
    readonly options: OlderServerProxyOptions,
  ) {}

  get address(): string {
    return `${LOOPBACK}:${this.port}`;
  }

  static async start(targetPort: number, options: OlderServerProxyOptions): Promise<OlderServerProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: LOOPBACK, port: 0 }, () => resolve());
    });
    const proxy = new OlderServerProxy(server, (server.address() as net.AddressInfo).port, options);
    server.on('connection', (client: net.Socket) => proxy.accept(client, targetPort));
    return proxy;
  }

  refusedOps(opcode: number): number {
    return this.refused.filter((r) => r.opcode === opcode).length;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket, targetPort: number): void {
    const upstream = net.connect({ host: LOOPBACK, port: targetPort });
    this.sockets.add(client);
    this.sockets.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const counted = (kind: 'zookeeper' | 'fourLetterWord') => (kind === 'zookeeper' ? this.connections++ : this.fourLetterWords++);
    new ProxiedConnection(client, upstream, this.options, this.refused, end, counted).start();
  }
}

/** One client connection: frames in both directions, and the order of the replies. */
class ProxiedConnection {
  private fromClient = Buffer.alloc(0);
  private fromServer = Buffer.alloc(0);
  private raw = false;
  private closing = false;
  private handshakeSent = false;
  private handshakeAnswered = false;
  /** Requests awaiting a reply, in the order sent: forwarded (by xid) or answered here (a frame). */
  private readonly order: ({ xid: number } | { reply: Buffer; thenClose: boolean })[] = [];

  constructor(
    private readonly client: net.Socket,
    private readonly upstream: net.Socket,
    private readonly options: OlderServerProxyOptions,
    private readonly refused: RefusedRequest[],
    private readonly end: () => void,
    private readonly counted: (kind: 'zookeeper' | 'fourLetterWord') => void,
  ) {}

  start(): void {
    this.client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    this.upstream.on('data', (chunk: Buffer) => this.onServerData(chunk));
  }

  private onClientData(chunk: Buffer): void {
    if (this.raw) {
      this.upstream.write(chunk);
      return;
    }
    this.fromClient = Buffer.concat([this.fromClient, chunk]);
    if (!this.handshakeSent && this.fromClient.length >= 4 && /^[a-z]{4}$/.test(this.fromClient.subarray(0, 4).toString('latin1'))) {
      // A four-letter word: not framed; the server answers and closes.
      this.raw = true;
      this.counted('fourLetterWord');
      this.upstream.write(this.fromClient);
      this.fromClient = Buffer.alloc(0);
      return;
    }
    for (;;) {
      if (this.fromClient.length < 4) return;
      const size = this.fromClient.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME) {
        this.end();
        return;
      }
      if (this.fromClient.length < 4 + size) return;
      const frame = this.fromClient.subarray(0, 4 + size);
      this.fromClient = this.fromClient.subarray(4 + size);
      if (!this.onRequest(frame)) return;
    }
  }

  /** Handles one client frame (length prefix included); false once the connection is gone. */
  private onRequest(frame: Buffer): boolean {
    if (this.closing) return false; // a server closing the connection reads nothing more
    if (!this.handshakeSent) {
      this.handshakeSent = true; // the ConnectRequest: no header
      this.counted('zookeeper');
      this.upstream.write(frame);
      return true;
    }
    if (frame.length < 12) {
      this.upstream.write(frame);
      return true;
    }
    const xid = frame.readInt32BE(4);
    const opcode = frame.readInt32BE(8);
    const known = KNOWN_OPCODES[this.options.version];
    if (!known.has(opcode)) return this.refuse(xid, opcode, UNIMPLEMENTED, false);
    if (opcode === 14 && this.multiHasUnknownSubOp(frame.subarray(12))) {
      // What a 3.4 server does with a multi it cannot parse: MARSHALLINGERROR, connection kept.
      return this.refuse(xid, opcode, MARSHALLINGERROR, true);
    }
    if (xid !== XID_AUTH) this.order.push({ xid });
    this.upstream.write(frame);
    return true;
  }

  private refuse(xid: number, opcode: number, code: number, inMulti: boolean): boolean {
    this.refused.push({ opcode, xid, ...(inMulti ? { inMulti } : {}) });
    if (this.options.mode === 'drop' && !inMulti) {
      this.end();
      return false;
    }
    const reply = Buffer.alloc(20);
    reply.writeInt32BE(16, 0);
    reply.writeInt32BE(xid, 4);
    reply.writeBigInt64BE(0n, 8); // zxid
    reply.writeInt32BE(code, 16);
    const thenClose = this.options.mode === 'unimplementedThenClose' && !inMulti;
    this.closing ||= thenClose;
    this.order.push({ reply, thenClose });
    return this.flush();
  }

  /** Sends the replies made here that have reached the head of the line; false when it closed. */
  private flush(): boolean {
    while (this.order.length > 0) {
      const head = this.order[0];
      if (!('reply' in head)) return true;
      this.order.shift();
      this.client.write(head.reply);
      if (head.thenClose) {
        this.client.end(() => this.end());
        return false;
      }
    }
    return true;
  }

  private multiHasUnknownSubOp(body: Buffer): boolean {
    const allowed = MULTI_SUB_OPS[this.options.version];
    const r = new Reader(body);
    try {
      for (;;) {
        const type = r.int();
        const done = r.byte() !== 0;
        r.int(); // err
        if (done) return false;
        if (!allowed.has(type)) return true;
        r.string(); // path
        if (type === 2 || type === 13) {
          r.int(); // version
        } else if (type === 5) {
          r.buffer();
          r.int();
        } else {
          r.buffer(); // data
          const acls = r.int();
          for (let i = 0; i < acls; i++) {
            r.int();
            r.string();
            r.string();
          }
          r.int(); // flags
          if (type === 21) r.long();
        }
      }
    } catch {
      return false; // let the server judge a frame we cannot read
    }
  }

  private onServerData(chunk: Buffer): void {
    if (this.raw) {
      this.client.write(chunk);
      return;
    }
    this.fromServer = Buffer.concat([this.fromServer, chunk]);
    for (;;) {
      if (this.fromServer.length < 4) return;
      const size = this.fromServer.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME) {
        this.end();
        return;
      }
      if (this.fromServer.length < 4 + size) return;
      const frame = this.fromServer.subarray(0, 4 + size);
      this.fromServer = this.fromServer.subarray(4 + size);
      this.client.write(frame);
      if (!this.handshakeAnswered) {
        this.handshakeAnswered = true;
        continue;
      }
      if (frame.length >= 8) {
        const xid = frame.readInt32BE(4);
        if (xid !== XID_NOTIFICATION && xid !== XID_AUTH) {
          const i = this.order.findIndex((o) => 'xid' in o && o.xid === xid);
          if (i >= 0) this.order.splice(i, 1);
        }
      }
      if (!this.flush()) return;
    }
  }
}

class Reader {
  private at = 0;
  constructor(private readonly b: Buffer) {}
  int(): number {
    const v = this.b.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
  long(): void {
    this.b.readBigInt64BE(this.at);
    this.at += 8;
  }
  byte(): number {
    const v = this.b.readUInt8(this.at);
    this.at += 1;
    return v;
  }
  buffer(): void {
    const n = this.int();
    if (n > 0) {
      if (this.at + n > this.b.length) throw new RangeError('short buffer');
      this.at += n;
    }
  }
  string(): void {
    this.buffer();
  }
}
