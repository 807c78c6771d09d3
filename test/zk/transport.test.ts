// The wire layer against a scripted peer that sends what a real server rarely does: error codes
// and event types nobody knows, replies split into single bytes, several replies in one chunk, and
// garbage. None of it may throw out of the socket handler (that killed the extension host).
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { ZkClient, type WatchEvent } from '../../src/zk/client';
import { jute } from '../../src/zk/transport';
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
});
