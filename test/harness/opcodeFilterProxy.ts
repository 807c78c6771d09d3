// A TCP proxy in front of a real ZooKeeper server that answers chosen opcodes the way a server
// without them does (UNIMPLEMENTED, error -6), e.g. getAllChildrenNumber (104) as on servers
// before 3.6. Everything else goes through unchanged. Minimal: one client connection per proxied
// socket, loopback only. (A general "older server" proxy may replace it.)
//
// Framing: every packet is a 4-byte big-endian length and a body. The first packet each way is
// the connect request/response; after that a request starts with xid and type, a reply with xid,
// zxid and err. The server answers requests in order and the client checks that order, so a
// made-up reply is held back until every request sent before it has its answer.
import * as net from 'node:net';

export const UNIMPLEMENTED = -6;

export interface OpcodeFilterProxy {
  readonly port: number;
  /** 127.0.0.1:<port> */
  readonly address: string;
  /** Requests answered by the proxy itself, per opcode. */
  readonly refused: Map<number, number>;
  close(): Promise<void>;
}

/** Splits a byte stream into length-prefixed frames. */
class Frames {
  private buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.buf.length >= 4) {
      const len = this.buf.readInt32BE(0);
      if (len < 0 || len > 64 * 1024 * 1024) throw new Error(`bad frame length ${len}`);
      if (this.buf.length < 4 + len) break;
      out.push(this.buf.subarray(0, 4 + len));
      this.buf = this.buf.subarray(4 + len);
    }
    return out;
  }
}

export async function startOpcodeFilterProxy(target: { host: string; port: number }, opcodes: readonly number[]): Promise<OpcodeFilterProxy> {
  const filtered = new Set(opcodes);
  const refused = new Map<number, number>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const fromClient = new Frames();
    const fromServer = new Frames();
    let clientConnected = false;
    let serverConnected = false;
    let lastZxid = 0n;
    /** In request order: a request the server will answer, or a reply made up here. */
    const queue: ({ kind: 'server' } | { kind: 'fake'; frame: Buffer })[] = [];
    const flush = () => {
      while (queue.length > 0 && queue[0].kind === 'fake') {
        const f = queue.shift() as { kind: 'fake'; frame: Buffer };
        f.frame.writeBigInt64BE(lastZxid, 8);
        client.write(f.frame);
      }
    };
    const fail = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = fromClient.push(chunk);
      } catch {
        return fail();
      }
      for (const frame of frames) {
        if (!clientConnected) {
          clientConnected = true;
          upstream.write(frame);
          continue;
        }
        const xid = frame.readInt32BE(4);
        const type = frame.readInt32BE(8);
        if (filtered.has(type)) {
          refused.set(type, (refused.get(type) ?? 0) + 1);
          const reply = Buffer.alloc(4 + 16);
          reply.writeInt32BE(16, 0);
          reply.writeInt32BE(xid, 4);
          reply.writeInt32BE(UNIMPLEMENTED, 16);
          queue.push({ kind: 'fake', frame: reply });
          flush();
          continue;
        }
        queue.push({ kind: 'server' });
        upstream.write(frame);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = fromServer.push(chunk);
      } catch {
        return fail();
      }
      for (const frame of frames) {
        if (!serverConnected) {
          serverConnected = true;
          client.write(frame);
          continue;
        }
        const xid = frame.readInt32BE(4);
        const zxid = frame.readBigInt64BE(8);
        if (zxid > lastZxid) lastZxid = zxid;
        client.write(frame);
        if (xid === -1) continue; // a watch notification: not an answer to a request
        if (queue[0]?.kind === 'server') queue.shift();
        flush();
      }
    });
    client.on('close', () => {
      upstream.destroy();
      sockets.delete(client);
    });
    upstream.on('close', () => {
      client.destroy();
      sockets.delete(upstream);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    refused,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
