// A hostile server must not freeze or exhaust the extension host (issue 13, item 2). A scripted peer
// completes the handshake, then answers one request with a lie about a length: a vector count of
// 0x7fffffff whose strings claim length -4 (the library's decoder looped forever without advancing),
// a buffer length of 0x7ffffff0 (it allocated 2 GiB), or a 2 GiB frame trickled in (buffered whole).
// Each time the request fails within seconds with a protocol error naming the server, the event loop
// is never blocked over 100 ms, memory stays flat, and the session goes on on a new connection.
import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ZkClient } from '../../src/zk/client';
import { DEFAULT_MAX_REPLY_BYTES, MIN_MAX_REPLY_BYTES } from '../../src/zk/wire/frames';
import { OP } from '../../src/zk/wire/opcodes';
import { rejectsWith, waitUntil } from '../helpers';
import { frame, int32, replyHeader, startHostilePeer, stat, ustring, type HostilePeer, type PeerRequest } from './hostilePeer';

const MiB = 1024 * 1024;

interface Footprint {
  elapsedMs: number;
  maxLoopDelayMs: number;
  rssGrowthMiB: number;
  heapGrowthMiB: number;
}

/** Runs fn while watching the event loop's longest block and the peak RSS and heap growth. */
async function footprint(fn: () => Promise<unknown>): Promise<Footprint> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 10);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  try {
    await fn();
  } finally {
    loop.disable();
    clearInterval(sampler);
    sample();
  }
  return {
    elapsedMs: performance.now() - started,
    maxLoopDelayMs: loop.max / 1e6,
    rssGrowthMiB: (peakRss - before.rss) / MiB,
    heapGrowthMiB: (peakHeap - before.heapUsed) / MiB,
  };
}

function assertBounded(f: Footprint): void {
  assert.ok(f.elapsedMs < 3000, `the request failed after ${Math.round(f.elapsedMs)} ms (wanted: within a few seconds)`);
  assert.ok(f.maxLoopDelayMs < 100, `the event loop was blocked for ${f.maxLoopDelayMs.toFixed(1)} ms`);
  assert.ok(f.rssGrowthMiB < 64, `RSS grew by ${f.rssGrowthMiB.toFixed(1)} MiB`);
  assert.ok(f.heapGrowthMiB < 64, `the heap grew by ${f.heapGrowthMiB.toFixed(1)} MiB`);
}

/** The first connection gets `hostile`; later ones are answered like a server with an empty /x. */
function script(hostile: (r: PeerRequest) => void): (r: PeerRequest) => void {
  return (r) => {
    if (r.connection === 0) return hostile(r);
    if (r.opcode === OP.GET_CHILDREN2) r.socket.write(frame(replyHeader(r.xid), int32(1), ustring('child'), stat(0, 1)));
    else if (r.opcode === OP.GET_DATA) r.socket.write(frame(replyHeader(r.xid), int32(2), Buffer.from('ok'), stat(2)));
    else r.socket.write(frame(replyHeader(r.xid), stat()));
  };
}

describe('a hostile server', function () {
  this.timeout(20_000);
  let peer: HostilePeer | undefined;
  let zk: ZkClient | undefined;
  afterEach(async () => {
    await zk?.close();
    await peer?.close();
    zk = undefined;
    peer = undefined;
  });

  async function connect(options: { maxReplyBytes?: number } = {}): Promise<ZkClient> {
    zk = new ZkClient({ connectString: peer!.address, requestTimeoutMs: 10_000, spinDelayMs: 50, ...options });
    await zk.connect();
    return zk;
  }

  /** After the drop the session is resumed on a new connection, where the same request works. */
  async function assertReconnected(client: ZkClient, again: () => Promise<unknown>): Promise<void> {
    await waitUntil(() => peer!.connections >= 2 && client.state === 'connected', 5000, 'a new connection');
    await again();
  }

  it('a vector count of 0x7fffffff with strings of length -4: protocol error, no loop', async () => {
    peer = await startHostilePeer(script((r) => r.socket.write(frame(replyHeader(r.xid), int32(0x7fffffff), int32(-4)))));
    const client = await connect();
    const protocolErrors: Error[] = [];
    client.on('protocolError', (e: Error) => protocolErrors.push(e));
    const f = await footprint(() =>
      rejectsWith(
        client.getChildren('/x'),
        'PROTOCOL',
        /^Protocol error from 127\.0\.0\.1:\d+ during list the children of \/x: the child list count 2147483647 exceeds the 4 bytes left; the connection was dropped$/,
      ),
    );
    assertBounded(f);
    assert.match(protocolErrors[0]?.message ?? '', /^Protocol error from 127\.0\.0\.1:\d+: the child list count 2147483647/);
    await assertReconnected(client, async () => assert.deepEqual((await client.getChildren('/x')).children, ['child']));
  });

  it('a buffer length of 0x7ffffff0: protocol error, nothing allocated', async () => {
    peer = await startHostilePeer(script((r) => r.socket.write(frame(replyHeader(r.xid), int32(0x7ffffff0), Buffer.alloc(8)))));
    const client = await connect();
    const f = await footprint(() =>
      rejectsWith(
        client.getData('/x'),
        'PROTOCOL',
        /^Protocol error from 127\.0\.0\.1:\d+ during read \/x: the data length 2147483632 exceeds the 8 bytes left; the connection was dropped$/,
      ),
    );
    assertBounded(f);
    await assertReconnected(client, async () => assert.equal(Buffer.from((await client.getData('/x')).data).toString(), 'ok'));
  });

  it('a 2 GiB frame trickled in: refused at its length, never buffered', async () => {
    let trickling: NodeJS.Timeout | undefined;
    let sentMiB = 0;
    peer = await startHostilePeer(
      script((r) => {
        r.socket.write(int32(0x7ffffff0));
        const chunk = Buffer.alloc(256 * 1024, 0x41);
        const started = Date.now();
        trickling = setInterval(() => {
          if (r.socket.destroyed || Date.now() - started > 5000) return clearInterval(trickling);
          r.socket.write(chunk);
          sentMiB += 0.25;
        }, 5);
      }),
    );
    const client = await connect();
    try {
      const f = await footprint(() =>
        rejectsWith(
          client.getData('/x'),
          'PROTOCOL',
          /^Protocol error from 127\.0\.0\.1:\d+ during read \/x: a frame of 2,147,483,632 bytes exceeds the limit of 4,194,304 bytes \("maxReplyBytes" in the connection's settings\); the connection was dropped$/,
        ),
      );
      assertBounded(f);
      assert.ok(sentMiB < 16, `the peer could send ${sentMiB} MiB before the connection was dropped`);
      await assertReconnected(client, () => client.getData('/x'));
    } finally {
      clearInterval(trickling);
    }
  });

  it('the limit is a connection setting: a reply over it is refused, one at it accepted', async () => {
    const limit = MIN_MAX_REPLY_BYTES;
    // getData replies of exactly `limit` bytes and of one byte more (header 16, length 4, Stat 68).
    const reply = (xid: number, frameBytes: number) => frame(replyHeader(xid), int32(frameBytes - 88), Buffer.alloc(frameBytes - 88, 0x42), stat(frameBytes - 88));
    let asked = 0;
    peer = await startHostilePeer((r) => r.socket.write(reply(r.xid, asked++ === 0 ? limit : limit + 1)));
    const client = await connect({ maxReplyBytes: limit });
    assert.equal((await client.getData('/fits')).data.byteLength, limit - 88);
    await rejectsWith(client.getData('/over'), 'PROTOCOL', new RegExp(`a frame of ${(limit + 1).toLocaleString('en')} bytes exceeds the limit of ${limit.toLocaleString('en')} bytes`));
    assert.ok(DEFAULT_MAX_REPLY_BYTES > 1.6 * MiB * 2, 'the default leaves room for a 100,000-child listing twice over');
  });
});
