// A scripted ZooKeeper peer on loopback for hostile-server tests: it completes the session handshake
// like a real server, answers pings, and hands every other request to a script that writes whatever
// bytes it likes (or nothing). Frames are built by hand, so nothing here trusts the code under test.
import * as net from 'node:net';

export const int32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v | 0);
  return b;
};
export const int64 = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(v));
  return b;
};
export const ustring = (s: string): Buffer => Buffer.concat([int32(Buffer.byteLength(s)), Buffer.from(s)]);

/** A frame: the 4-byte length, then the parts. */
export const frame = (...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([int32(body.length), body]);
};

/** ReplyHeader: xid, zxid, err. */
export const replyHeader = (xid: number, err = 0, zxid = 5): Buffer => Buffer.concat([int32(xid), int64(zxid), int32(err)]);

/** A valid Stat (68 bytes). */
export const stat = (dataLength = 0, numChildren = 0): Buffer =>
  Buffer.concat([int64(1), int64(2), int64(1_700_000_000_000), int64(1_700_000_000_000), int32(0), int32(0), int32(0), int64(0), int32(dataLength), int32(numChildren), int64(3)]);

export interface PeerRequest {
  xid: number;
  opcode: number;
  /** Which accepted connection (0 = the first) the request came on. */
  connection: number;
  socket: net.Socket;
}

export interface HostilePeer {
  address: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Requests seen (pings excluded), in order. */
  readonly requests: { xid: number; opcode: number; connection: number }[];
  close(): Promise<void>;
}

/** Starts a peer; `onRequest` answers (or not) by writing to the socket. */
export async function startHostilePeer(onRequest: (r: PeerRequest) => void): Promise<HostilePeer> {
  const sockets = new Set<net.Socket>();
  const requests: { xid: number; opcode: number; connection: number }[] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    const connection = connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let handshaken = false;
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const body = buf.subarray(4, 4 + buf.readInt32BE(0));
        buf = buf.subarray(4 + body.length);
        if (!handshaken) {
          handshaken = true;
          // ConnectResponse: protocol version, timeout, session id, password.
          socket.write(frame(int32(0), int32(10_000), int64(0x1234 + connection), int32(16), Buffer.alloc(16)));
          continue;
        }
        const xid = body.readInt32BE(0);
        const opcode = body.readInt32BE(4);
        if (opcode === 11) {
          socket.write(frame(replyHeader(-2, 0, 0)));
          continue;
        }
        if (opcode === 100 || opcode === 101 || opcode === 105) continue; // auth, SetWatches: no answer needed
        requests.push({ xid, opcode, connection });
        onRequest({ xid, opcode, connection, socket });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    get connections() {
      return connections;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
