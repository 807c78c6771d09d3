import * as assert from 'node:assert/strict';
import { decodeStat, isEphemeral, longToHex } from '../../src/zk/stat';

const long = (v: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
};

describe('stat', () => {
  it('decodes zxids and session ids as hex, times as dates', () => {
    const s = decodeStat({
      czxid: long(0x100000002n),
      mzxid: long(0x100000005n),
      pzxid: long(0x100000007n),
      ctime: long(1700000000123n),
      mtime: long(1700000001123n),
      version: 3,
      cversion: 1,
      aversion: 0,
      ephemeralOwner: long(0x10000070e1f0000n),
      dataLength: 12,
      numChildren: 2,
    });
    assert.equal(s.czxid, '0x100000002');
    assert.equal(s.pzxid, '0x100000007');
    assert.equal(s.ctime.toISOString(), '2023-11-14T22:13:20.123Z');
    assert.equal(s.ephemeralOwner, '0x10000070e1f0000');
    assert.ok(isEphemeral(s));
    assert.equal(longToHex(long(-1n)), '0xffffffffffffffff');
  });
});
