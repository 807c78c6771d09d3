// The wire layer against a scripted peer that sends what a real server rarely does: error codes
// and event types nobody knows, replies split into single bytes, several replies in one chunk, and
// garbage. None of it may throw out of the socket handler (that killed the extension host).
import { AuthFailure } from '../../src/zk/postHandshakeStep';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { ZkClient, type WatchEvent } from '../../src/zk/client';
import { OP } from '../../src/zk/wire/opcodes';
import { pathRecord, request } from '../../src/zk/wire/requests';
import { jute } from './libraryJute';
import { rejectsWith, waitUntil } from '../helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */
function frame(...records: any[]): Buffer {
  const size = records.reduce((n, r) => n + r.byteLength(), 0);
  const b = Buffer.alloc(size + 4);
  b.writeInt32BE(size, 0);
  let at = 4;
  for (const r of records) at += r.serialize(b, at);
  return b;
}
const long = (v: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(v));
  return b;
};

interface Script {
  /** Called with each request (xid, opcode); returns the bytes to send back. */
  onRequest(xid: number, type: number): Buffer[];
  /** Sends the bytes in chunks of this size (1 = byte by byte). */
  chunk?: number;
  /** Called with each handshake's record (after the length). */
  onConnect?(record: Buffer): void;
}

async function scriptedServer(script: Script): Promise<{ address: string; close(): void }> {
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    let connected = false;
    const send = (parts: Buffer[]) => {
      const all = Buffer.concat(parts);
      const n = script.chunk ?? all.length;
      for (let i = 0; i < all.length; i += n) socket.write(all.subarray(i, i + n));
    };
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const len = buf.readInt32BE(0);
        const body = buf.subarray(4, 4 + len);
        buf = buf.subarray(4 + len);
        if (!connected) {
          connected = true;
          script.onConnect?.(Buffer.from(body));
          send([frame(new jute.protocol.ConnectResponse(0, 10000, long(0x1234), Buffer.alloc(16)))]);
          continue;
        }
        const xid = body.readInt32BE(0);
        const type = body.readInt32BE(4);
        if (type === 11) {
          send([frame(new jute.protocol.ReplyHeader(-2, long(0), 0))]);
          continue;
        }
        send(script.onRequest(xid, type));
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`, close: () => server.close() };
}

const reply = (xid: number, err: number, ...payload: any[]) => frame(new jute.protocol.ReplyHeader(xid, long(5), err), ...payload);
const notification = (type: number, path: string) => frame(new jute.protocol.ReplyHeader(-1, long(0), 0), new jute.protocol.WatcherEvent(type, 3, path));
const stat = () => new jute.data.Stat(long(1), long(2), long(3), long(4), 1, 0, 0, long(0), 3, 0, long(1));

describe('transport against a scripted peer', () => {
  let peer: { address: string; close(): void } | undefined;
  let zk: ZkClient | undefined;
  afterEach(async () => {
    await zk?.close();
    peer?.close();
  });

  it('turns an unknown error code into a ZkError and keeps the session usable', async () => {
    peer = await scriptedServer({
      onRequest: (xid, type) => (type === 4 ? [reply(xid, -999)] : [reply(xid, 0, new jute.protocol.ExistsResponse(stat()))]),
    });
    zk = new ZkClient({ connectString: peer.address, requestTimeoutMs: 2000 });
    await zk.connect();
    const e = await rejectsWith(zk.getData('/x'), 'UNKNOWN', /ZooKeeper error UNKNOWN\(-999\) \(-999\) during read \/x/);
    assert.equal(e.serverCode, -999);
    assert.equal((await zk.exists('/x'))?.dataLength, 3);
  });

  it('passes on watch events of unknown types (5, 6, 7, 99) without throwing', async () => {
    peer = await scriptedServer({
      onRequest: (xid) => [reply(xid, 0, new jute.protocol.ExistsResponse(stat())), notification(6, '/x'), notification(99, '/y'), notification(7, '/z'), notification(3, '/x')],
    });
    zk = new ZkClient({ connectString: peer.address });
    const events: WatchEvent[] = [];
    zk.on('watchEvent', (ev: WatchEvent) => events.push(ev));
    await zk.connect();
    const fired: string[] = [];
    await zk.exists('/x', (ev) => fired.push(ev.type));
    await waitUntil(() => events.length === 4);
    assert.deepEqual(events.map((ev) => ev.type), ['dataWatchRemoved', 'unknown(99)', 'persistentWatchRemoved', 'dataChanged']);
    assert.deepEqual(fired, ['dataChanged']);
  });

  it('reassembles replies sent one byte at a time, and several replies in one chunk', async () => {
    peer = await scriptedServer({
      chunk: 1,
      onRequest: (xid) => [reply(xid, 0, new jute.protocol.GetDataResponse(Buffer.from('hello'), stat()))],
    });
    zk = new ZkClient({ connectString: peer.address });
    await zk.connect();
    const results = await Promise.all([zk.getData('/a'), zk.getData('/b'), zk.getData('/c')]);
    assert.deepEqual(results.map((r) => Buffer.from(r.data).toString()), ['hello', 'hello', 'hello']);
  });

  it('sends the requests asked in one turn of the event loop in one socket write, in order', async () => {
    const order: string[] = [];
    peer = await scriptedServer({ onRequest: (xid) => [reply(xid, 0, new jute.protocol.ExistsResponse(stat()))] });
    zk = new ZkClient({ connectString: peer.address });
    await zk.connect();
    const write = net.Socket.prototype.write;
    let writes = 0;
    const serverPort = Number(peer.address.split(':')[1]);
    net.Socket.prototype.write = function (this: net.Socket, ...args: any[]) {
      if (this.remotePort === serverPort) writes++; // the client's socket, not the peer's replies
      return (write as any).apply(this, args);
    } as typeof write;
    try {
      // A tree page asks its rows' stats at once: one write, not one per row.
      await Promise.all(Array.from({ length: 200 }, (_, i) => zk!.exists(`/n${i}`).then(() => order.push(`/n${i}`))));
    } finally {
      net.Socket.prototype.write = write;
    }
    assert.equal(writes, 1);
    assert.deepEqual(order, Array.from({ length: 200 }, (_, i) => `/n${i}`));
  });

  it('tracks the last zxid the server reported; a reply without one (zero) leaves it', async () => {
    let n = 0;
    peer = await scriptedServer({
      onRequest: (xid) => [frame(new jute.protocol.ReplyHeader(xid, long(n++ === 0 ? 0x1_0000_00ab : 0), 0), new jute.protocol.ExistsResponse(stat()))],
    });
    zk = new ZkClient({ connectString: peer.address });
    await zk.connect();
    assert.equal(zk.lastZxid, '0x0');
    await zk.exists('/a');
    assert.equal(zk.lastZxid, '0x1000000ab');
    await zk.exists('/b');
    assert.equal(zk.lastZxid, '0x1000000ab');
  });

  it('drops a connection that sends garbage, without throwing, and fails the request', async () => {
    peer = await scriptedServer({ onRequest: () => [Buffer.from([0xff, 0xff, 0xff, 0xf0, 1, 2, 3])] });
    zk = new ZkClient({ connectString: peer.address, requestTimeoutMs: 2000 });
    const protocolErrors: Error[] = [];
    zk.on('protocolError', (e: Error) => protocolErrors.push(e));
    await zk.connect();
    await rejectsWith(zk.getData('/x'), 'PROTOCOL', /^Protocol error from 127\.0\.0\.1:\d+ during read \/x: frame length -16 is invalid; the connection was dropped$/);
    assert.match(protocolErrors[0]?.message ?? '', /frame length -16 is invalid/);
  });

  it('runs the post-handshake step before anything queued, on every new connection; the session is connecting meanwhile', async () => {
    const seen: number[] = [];
    peer = await scriptedServer({
      onRequest: (xid, type) => {
        seen.push(type);
        return type === OP.SASL ? [reply(xid, 0)] : [reply(xid, 0, new jute.protocol.GetDataResponse(Buffer.from('v'), stat()))];
      },
    });
    let release: () => void = () => undefined;
    let steps = 0;
    const states: string[] = [];
    zk = new ZkClient({
      connectString: peer.address,
      requestTimeoutMs: 5000,
      postHandshake: async (channel) => {
        steps += 1;
        states.push(zk?.state ?? '');
        assert.equal(channel.readOnly, false);
        await channel.send(request(OP.SASL, pathRecord('token')));
        if (steps === 1) await new Promise<void>((r) => (release = r));
      },
    });
    const connected = zk.connect();
    const queued = zk.getData('/a');
    await waitUntil(() => seen.length === 1);
    assert.deepEqual(seen, [OP.SASL], 'nothing queued went out before the step ended');
    assert.equal(zk.state, 'connecting');
    release();
    await connected;
    assert.equal(Buffer.from((await queued).data).toString(), 'v');
    zk.dropConnection();
    await waitUntil(() => steps === 2 && zk?.state === 'connected');
    await zk.getData('/b');
    assert.deepEqual(seen, [OP.SASL, OP.GET_DATA, OP.SASL, OP.GET_DATA]);
    assert.deepEqual(states, ['connecting', 'connecting']);
  });

  it('fails the session as an authentication failure when the post-handshake step fails', async () => {
    peer = await scriptedServer({ onRequest: (xid) => [reply(xid, 0)] });
    zk = new ZkClient({
      connectString: peer.address,
      postHandshake: () => Promise.reject(new AuthFailure('rejected', 'SASL refused')),
    });
    const queued = zk.exists('/a');
    await rejectsWith(zk.connect(), 'AUTHFAILED');
    await rejectsWith(queued, 'AUTHFAILED');
    assert.equal(zk.state, 'authFailed');
  });

  it('sends back a zxid above 2^63 in the next handshake as the server sent it', async () => {
    const handshakes: Buffer[] = [];
    peer = await scriptedServer({
      onConnect: (record) => handshakes.push(record),
      onRequest: (xid) => [frame(new jute.protocol.ReplyHeader(xid, Buffer.from('fffffffffffffff0', 'hex'), 0), new jute.protocol.ExistsResponse(stat()))],
    });
    zk = new ZkClient({ connectString: peer.address });
    await zk.connect();
    await zk.exists('/a');
    assert.equal(zk.lastZxid, '0xfffffffffffffff0');
    zk.dropConnection();
    await waitUntil(() => handshakes.length === 2 && zk?.state === 'connected');
    assert.equal(handshakes[1].subarray(4, 12).toString('hex'), 'fffffffffffffff0');
  });
});
