import * as assert from 'node:assert/strict';
import { SoonOnce, WRITE_BATCH_BYTES, writeBatched } from '../../src/zk/connection/writeBatch';

/** `n` frames of `size` bytes each, the i-th filled with i, handed out one by one. */
function frames(n: number, size: number, lastAt = -1): () => { frame: Buffer; last: boolean } | undefined {
  let i = 0;
  return () => (i < n ? { frame: Buffer.alloc(size, i), last: i++ === lastAt } : undefined);
}

describe('writeBatched', () => {
  it('joins small frames into one write, in order', () => {
    const writes: Buffer[] = [];
    writeBatched((b) => (writes.push(b), true), frames(3, 2));
    assert.deepEqual(writes, [Buffer.from([0, 0, 1, 1, 2, 2])]);
  });

  it('cuts batches at about WRITE_BATCH_BYTES and stops at back pressure, leaving the rest untaken', () => {
    const size = WRITE_BATCH_BYTES / 4;
    const writes: number[] = [];
    const next = frames(12, size);
    writeBatched((b) => (writes.push(b.length), false), next);
    assert.deepEqual(writes, [WRITE_BATCH_BYTES]);
    assert.equal(next()?.frame[0], 4, 'the fifth frame is still to be sent (on drain)');
  });

  it('sends nothing after the last frame (closeSession)', () => {
    const writes: Buffer[] = [];
    const next = frames(5, 1, 1);
    writeBatched((b) => (writes.push(b), true), next);
    assert.deepEqual(writes, [Buffer.from([0, 1])]);
    assert.equal(next()?.frame[0], 2);
  });
});

describe('SoonOnce', () => {
  it('runs once after the code running now, however often asked', async () => {
    const log: string[] = [];
    const soon = new SoonOnce(() => log.push('run'));
    soon.request();
    soon.request();
    log.push('sync');
    assert.deepEqual(log, ['sync']);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['sync', 'run']);
    soon.request();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['sync', 'run', 'run']);
  });
});
