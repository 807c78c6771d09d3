import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTooLargeError, nodeFolderPort } from '../../../src/zk/configAsCode/folderPort';

describe('config as code: the node:fs folder port', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zk-folder-port-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads files of every size around its first read (64 KiB) whole, byte for byte, each its own copy', async () => {
    const port = nodeFolderPort(dir);
    const sizes = [0, 1, 65_535, 65_536, 65_537, 300_000];
    const bytes = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + size) & 0xff));
    for (const size of sizes) writeFileSync(join(dir, `f${size}`), bytes(size));
    const read = await Promise.all(sizes.map((size) => port.read(`f${size}`, 1024 * 1024)));
    sizes.forEach((size, i) => assert.ok(Buffer.from(read[i]).equals(bytes(size)), `${size} bytes`));
    // Reused read buffers must not leak into results read earlier.
    const again = await Promise.all(sizes.map((size) => port.read(`f${size}`, 1024 * 1024)));
    sizes.forEach((size, i) => assert.ok(Buffer.from(read[i]).equals(Buffer.from(again[i])), `${size} bytes, after more reads`));
  });

  it('refuses a file larger than maxBytes, small or large, without returning part of it', async () => {
    const port = nodeFolderPort(dir);
    writeFileSync(join(dir, 'small'), Buffer.alloc(11, 1));
    writeFileSync(join(dir, 'large'), Buffer.alloc(200_000, 2));
    await assert.rejects(port.read('small', 10), (e) => e instanceof FileTooLargeError && e.size === 11 && e.maxBytes === 10);
    assert.equal((await port.read('small', 11)).byteLength, 11);
    await assert.rejects(port.read('large', 100_000), (e) => e instanceof FileTooLargeError && e.size === 200_000);
    await assert.rejects(port.read('missing', 10), /ENOENT/);
    await assert.rejects(port.read('../escape', 10), /Refused path outside the folder/);
  });

  it('writes whole files, replacing one that is there', async () => {
    const port = nodeFolderPort(dir);
    await port.write('a', new Uint8Array([1, 2, 3]));
    await port.write('a', new Uint8Array([4]));
    assert.deepEqual([...(await port.read('a', 10))], [4]);
  });

  it('reads many files at once (more than one batch of the disk reader), each with its own bytes and errors', async () => {
    const port = nodeFolderPort(dir);
    const names = Array.from({ length: 700 }, (_, i) => `n${i}`);
    names.forEach((n, i) => writeFileSync(join(dir, n), `${n}:${'x'.repeat(i % 40)}`));
    const reads = names.map((n, i) => (i % 100 === 99 ? port.read(`${n}-missing`, 1000) : port.read(n, 1000)));
    const settled = await Promise.allSettled(reads);
    settled.forEach((r, i) => {
      if (i % 100 === 99) assert.ok(r.status === 'rejected' && /ENOENT/.test(String(r.reason)), `${i}: ${r.status}`);
      else assert.equal(r.status === 'fulfilled' ? Buffer.from(r.value).toString('utf8') : r.reason, `n${i}:${'x'.repeat(i % 40)}`);
    });
  });

  it('writes many files at once (more than one batch of the disk worker), reads and writes mixed, each with its own bytes and errors', async () => {
    const port = nodeFolderPort(dir);
    await port.mkdir('sub');
    writeFileSync(join(dir, 'before'), 'there before');
    const names = Array.from({ length: 700 }, (_, i) => `sub/n${i}`);
    const bytes = (i: number) => Buffer.from(`${i}:${'y'.repeat(i % 50)}`);
    // Every hundredth goes into a folder that does not exist: that write fails alone.
    const writes = names.map((n, i) => port.write(i % 100 === 99 ? `missing/n${i}` : n, bytes(i)));
    const read = port.read('before', 100);
    const settled = await Promise.allSettled(writes);
    settled.forEach((r, i) => {
      if (i % 100 === 99) assert.ok(r.status === 'rejected' && (r.reason as NodeJS.ErrnoException).code === 'ENOENT', `${i}: ${r.status}`);
      else assert.equal(r.status, 'fulfilled', `${i}`);
    });
    assert.equal(Buffer.from(await read).toString('utf8'), 'there before');
    names.forEach((n, i) => {
      if (i % 100 !== 99) assert.ok(readFileSync(join(dir, ...n.split('/'))).equals(bytes(i)), n);
    });
  });
});
