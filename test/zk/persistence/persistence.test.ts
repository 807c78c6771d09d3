// Unit checks of the pieces the real-server test cannot aim at: Adler-32 against known values,
// hostile Jute lengths and counts, and file names in a data directory.
import * as assert from 'node:assert/strict';
import { adler32, Adler32, classifyName } from '../../../src/zk/persistence';
import { JuteCursor, MalformedRecord, OutOfBytes } from '../../../src/zk/persistence/juteCursor';
import { readTxnBody } from '../../../src/zk/persistence/txnBody';
import { TXN_OP } from '../../../src/zk/persistence/txnTypes';

describe('persistence building blocks', () => {
  it('Adler-32 matches java.util.zip.Adler32 (known values) and is the same in pieces', () => {
    assert.equal(adler32(Buffer.from('Wikipedia')), 0x11e60398);
    assert.equal(adler32(Buffer.alloc(0)), 1);
    const big = Buffer.alloc(100_000, 0xff); // sums past the 5552-byte reduction window
    assert.equal(adler32(big), new Adler32().update(big, 0, 7).update(big, 7, 60_000).update(big, 60_000).value());
    assert.equal(adler32(big), 0x149a302c); // Python's zlib.adler32(b'\xff' * 100000)
  });

  it('a string declaring 2 GB is malformed, not allocated; a short window is "out of bytes"', () => {
    const b = Buffer.from([0x7f, 0xff, 0xff, 0xff, 0x41]);
    assert.throws(() => new JuteCursor(b, 0, b.length, 1 << 20).string(), MalformedRecord);
    const s = Buffer.from([0, 0, 0, 5, 0x41]);
    assert.throws(() => new JuteCursor(s, 0, s.length, 1 << 20).string(), OutOfBytes);
    const neg = Buffer.from([0xff, 0xff, 0xff, 0xf0]);
    assert.throws(() => new JuteCursor(neg, 0, neg.length, 1 << 20).bufferView(), /negative buffer length/);
  });

  it('a multi whose part count is absurd, or that nests a multi, is malformed', () => {
    const huge = Buffer.from([0x10, 0, 0, 0]);
    assert.throws(() => readTxnBody(new JuteCursor(huge, 0, 4, 64), TXN_OP.multi, { keepData: true }), MalformedRecord);
    const nested = Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.from([0, 0, 0, TXN_OP.multi]), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0])]);
    assert.throws(() => readTxnBody(new JuteCursor(nested, 0, nested.length, 64), TXN_OP.multi, { keepData: true }), /multi inside a multi/);
  });

  it('a setData body cut short is malformed (the record length said it was whole)', () => {
    const b = Buffer.from([0, 0, 0, 2, 0x2f, 0x61, 0, 0, 0, 9, 1]);
    assert.throws(() => readTxnBody(new JuteCursor(b, 0, b.length, 64), TXN_OP.setData, { keepData: true }), /setData body is \d+ byte\(s\) short/);
  });

  it('names: snapshot.<hex>[.gz|.snappy] and log.<hex>; anything else is neither', () => {
    assert.deepEqual(classifyName('/d/version-2/snapshot.1a2b'), { path: '/d/version-2/snapshot.1a2b', kind: 'snapshot', zxid: 0x1a2bn });
    assert.equal(classifyName('/d/snapshot.10.gz')?.kind, 'snapshot');
    assert.equal(classifyName('/d/log.100000001')?.zxid, 0x100000001n);
    assert.equal(classifyName('/d/log.1.gz'), undefined);
    assert.equal(classifyName('/d/myid'), undefined);
    assert.equal(classifyName('/d/snapshot.xyz'), undefined);
  });
});
