// The bounds of the reply decoder that the project owns (src/zk/wire): every length and count from
// the peer is checked against the bytes left before anything is allocated or looped over.
import * as assert from 'node:assert/strict';
import { FrameSplitter } from '../../src/zk/wire/frames';
import { OP, WRITE_OPCODES, isWrite } from '../../src/zk/wire/opcodes';
import { ProtocolViolation, WireReader } from '../../src/zk/wire/reader';
import {
  REPLY_DECODERS,
  decodeReply,
  readAclVector,
  readConnectResponse,
  readGetChildren2,
  readMulti,
  readReplyHeader,
  readStat,
  readWatcherEvent,
  readWhoAmI,
} from '../../src/zk/wire/replies';
import { frame, int32, int64, replyHeader, stat, ustring } from './hostilePeer';

const reader = (...parts: Buffer[]) => new WireReader(Buffer.concat(parts));
const violation = (fn: () => unknown, message: RegExp) => assert.throws(fn, (e: unknown) => e instanceof ProtocolViolation && message.test(e.message));

describe('WireReader bounds', () => {
  it('reads ints, booleans and longs only when their bytes are there', () => {
    const r = reader(int32(-7), Buffer.from([1]), int64(0x1_2345_6789), Buffer.from([0, 0, 0]));
    assert.equal(r.int(), -7);
    assert.equal(r.bool(), true);
    assert.equal(r.longHex(), '0x123456789');
    violation(() => r.int('the event type'), /^the event type needs 4 bytes but 3 are left$/);
    violation(() => reader(Buffer.alloc(7)).longHex(), /needs 8 bytes but 7 are left/);
    violation(() => reader().bool(), /needs 1 bytes but 0 are left/);
  });

  it('decodes longs as hex (unsigned) and as numbers (signed), without BigInt', () => {
    const minusOne = Buffer.alloc(8, 0xff);
    assert.equal(reader(minusOne).longHex(), '0xffffffffffffffff');
    assert.equal(reader(minusOne).longNumber(), -1);
    assert.equal(reader(int64(1_700_000_000_123)).longNumber(), 1_700_000_000_123);
    assert.equal(reader(int64(0x1_0000_0001)).longHex(), '0x100000001');
    assert.equal(reader(int64(0)).longHex(), '0x0');
  });

  it('strings and buffers: -1 is null, a length up to the bytes left is read, anything else is a violation', () => {
    assert.equal(reader(int32(-1)).string(), null);
    assert.equal(reader(int32(-1)).buffer(), null);
    assert.equal(reader(int32(3), Buffer.from('abc')).string(), 'abc');
    assert.equal(reader(int32(0)).string(), '');
    violation(() => reader(int32(4), Buffer.from('abc')).string('the path'), /^the path length 4 exceeds the 3 bytes left$/);
    violation(() => reader(int32(-4), Buffer.alloc(8)).string('the path'), /^the path length -4 exceeds the 8 bytes left$/);
    violation(() => reader(int32(0x7ffffff0), Buffer.alloc(8)).buffer('the data'), /^the data length 2147483632 exceeds the 8 bytes left$/);
    violation(() => reader(int32(-2)).buffer(), /length -2/);
    violation(() => reader(int32(-1)).requiredString('the event path'), /^the event path is null$/);
    violation(() => reader(Buffer.from([0, 0])).string('the path'), /^the length of the path needs 4 bytes but 2 are left$/);
  });

  it('copies buffers, so a value does not keep (or change with) the frame', () => {
    const bytes = Buffer.concat([int32(2), Buffer.from('hi')]);
    const data = new WireReader(bytes).buffer();
    bytes[4] = 0x58;
    assert.equal(data?.toString(), 'hi');
    assert.notEqual(data?.buffer, bytes.buffer);
  });

  it('vector counts: -1, or at most the bytes left over the smallest element', () => {
    assert.equal(reader(int32(-1)).vectorCount(4), -1);
    assert.equal(reader(int32(3), Buffer.alloc(12)).vectorCount(4), 3);
    assert.equal(reader(int32(1), Buffer.alloc(12)).vectorCount(12), 1);
    violation(() => reader(int32(4), Buffer.alloc(12)).vectorCount(4, 'the child list'), /^the child list count 4 exceeds the 12 bytes left$/);
    violation(() => reader(int32(2), Buffer.alloc(23)).vectorCount(12), /count 2 exceeds the 23 bytes left/);
    violation(() => reader(int32(-2), Buffer.alloc(12)).vectorCount(4), /count -2/);
    violation(() => reader(int32(0x7fffffff), int32(-4)).vectorCount(4), /count 2147483647 exceeds the 4 bytes left/);
  });

  it('string vectors: every element bounded, none null, a null vector is empty', () => {
    assert.deepEqual(reader(int32(2), ustring('a'), ustring('bé')).stringVector('the child list'), ['a', 'bé']);
    assert.deepEqual(reader(int32(-1)).stringVector('the child list'), []);
    violation(() => reader(int32(2), ustring('a'), int32(-1)).stringVector('the child list'), /^the child list\[1\] is null$/);
    violation(() => reader(int32(2), ustring('a'), int32(9), Buffer.alloc(4)).stringVector('the child list'), /^the child list\[1\] length 9 exceeds the 4 bytes left$/);
    violation(() => reader(int32(2), ustring('abcdef'), Buffer.alloc(2)).stringVector('the child list'), /^the length of the child list\[1\] needs 4 bytes but 2 are left$/);
  });
});

describe('reply decoders', () => {
  it('a reply header needs its 16 bytes; a zero zxid is reported as none', () => {
    const h = readReplyHeader(replyHeader(7, -101, 0x42));
    assert.deepEqual({ xid: h.xid, err: h.err, zxid: h.zxid?.toString('hex') }, { xid: 7, err: -101, zxid: '0000000000000042' });
    assert.equal(readReplyHeader(replyHeader(1, 0, 0)).zxid, undefined);
    violation(() => readReplyHeader(Buffer.alloc(15)), /a reply header needs 16 bytes but the frame has 15/);
  });

  it('a Stat decodes to the shown form and needs its 68 bytes', () => {
    const s = readStat(reader(stat(5, 2)));
    assert.deepEqual(s, {
      czxid: '0x1',
      mzxid: '0x2',
      pzxid: '0x3',
      ctime: new Date(1_700_000_000_000),
      mtime: new Date(1_700_000_000_000),
      version: 0,
      cversion: 0,
      aversion: 0,
      ephemeralOwner: '0x0',
      dataLength: 5,
      numChildren: 2,
    });
    violation(() => readStat(reader(stat().subarray(0, 67))), /a Stat needs 68 bytes but 67 are left/);
  });

  it('ACL vectors count at least 12 bytes an entry and refuse null schemes', () => {
    const entry = Buffer.concat([int32(31), ustring('world'), ustring('anyone')]);
    assert.deepEqual(readAclVector(reader(int32(1), entry)), [{ perms: 31, scheme: 'world', id: 'anyone' }]);
    violation(() => readAclVector(reader(int32(2), Buffer.alloc(23))), /the ACL list count 2 exceeds the 23 bytes left/);
    violation(() => readAclVector(reader(int32(1), int32(1), int32(-1), int32(0))), /the scheme of ACL entry 0 is null/);
  });

  it('a 100,000-child listing decodes; its count is checked against the frame', () => {
    const names = Array.from({ length: 100_000 }, (_, i) => ustring(`node-${i}`));
    const body = Buffer.concat([replyHeader(3), int32(names.length), ...names, stat(0, names.length)]);
    const reply = decodeReply(OP.GET_CHILDREN2, body) as { children: string[] };
    assert.equal(reply.children.length, 100_000);
    assert.equal(reply.children[99_999], 'node-99999');
    violation(() => readGetChildren2(reader(int32(3), ustring('a'), ustring('b'))), /the child list count 3 exceeds the 10 bytes left/);
  });

  it('watch events, who-am-I and connect responses are bounded too', () => {
    assert.deepEqual(readWatcherEvent(reader(int32(3), int32(3), ustring('/a'))), { type: 3, state: 3, path: '/a' });
    violation(() => readWatcherEvent(reader(int32(3), int32(3), int32(-1))), /the event path is null/);
    assert.deepEqual(readWhoAmI(reader(int32(1), ustring('ip'), ustring('127.0.0.1'))), { clientInfo: [{ authScheme: 'ip', user: '127.0.0.1' }] });
    violation(() => readWhoAmI(reader(int32(2), Buffer.alloc(15))), /the client info list count 2 exceeds the 15 bytes left/);
    const connect = Buffer.concat([int32(0), int32(4000), int64(0x77), int32(16), Buffer.alloc(16, 1)]);
    const c = readConnectResponse(Buffer.concat([connect, Buffer.from([1])]));
    assert.deepEqual({ timeOut: c.timeOut, id: c.sessionId.toString('hex'), passwd: c.passwd.length, ro: c.readOnly }, { timeOut: 4000, id: '0000000000000077', passwd: 16, ro: true });
    assert.equal(readConnectResponse(connect).readOnly, false);
    violation(() => readConnectResponse(Buffer.concat([int32(0), int32(4000), int64(1), int32(1 << 30)])), /the session password length 1073741824 exceeds the 0 bytes left/);
  });

  it('multi replies: parts up to the closing header, which must be there; unknown parts refused', () => {
    const header = (type: number, done = false, err = 0) => Buffer.concat([int32(type), Buffer.from([done ? 1 : 0]), int32(err)]);
    const parts = readMulti(
      reader(header(OP.CREATE2), ustring('/a'), stat(), header(OP.SET_DATA), stat(1), header(OP.DELETE), header(OP.CHECK), header(OP.ERROR), int32(-101), header(-1, true, -1)),
    );
    assert.deepEqual(parts.map((p) => [p.type, p.err, p.path]), [[OP.CREATE2, 0, '/a'], [OP.SET_DATA, 0, undefined], [OP.DELETE, 0, undefined], [OP.CHECK, 0, undefined], [OP.ERROR, -101, undefined]]);
    violation(() => readMulti(reader(header(OP.DELETE))), /a multi reply ends without its closing header \(0 bytes left\)/);
    violation(() => readMulti(reader(header(99), header(-1, true))), /a multi reply has a part of unknown type 99/);
  });

  it('has a decoder for every opcode this client sends that has a reply body', () => {
    for (const op of [OP.CREATE, OP.CREATE2, OP.CREATE_CONTAINER, OP.CREATE_TTL, OP.EXISTS, OP.GET_DATA, OP.SET_DATA, OP.GET_ACL, OP.SET_ACL, OP.GET_CHILDREN2, OP.SYNC, OP.MULTI, OP.GET_EPHEMERALS, OP.GET_ALL_CHILDREN_NUMBER, OP.WHO_AM_I]) {
      assert.ok(REPLY_DECODERS[op], `opcode ${op}`);
    }
  });
});

describe('FrameSplitter', () => {
  const collect = (splitter: FrameSplitter, ...chunks: Buffer[]) => {
    const frames: string[] = [];
    for (const c of chunks) splitter.push(c, (f) => frames.push(f.toString()) > 0);
    return frames;
  };

  it('refuses an oversized length as soon as its 4 bytes arrive, and a negative one', () => {
    const s = new FrameSplitter(1000);
    violation(() => s.push(int32(1001), () => true), /^a frame of 1,001 bytes exceeds the limit of 1,000 bytes \("maxReplyBytes" in the connection's settings\)$/);
    violation(() => new FrameSplitter(1000).push(Buffer.concat([frame(Buffer.from('ok')), int32(-16)]), () => true), /^frame length -16 is invalid$/);
    // The length split over two chunks is judged when its last byte comes.
    const t = new FrameSplitter(1000);
    t.push(Buffer.from([0x7f, 0xff]), () => true);
    violation(() => t.push(Buffer.from([0xff, 0xf0]), () => true), /a frame of 2,147,483,632 bytes/);
  });

  it('reassembles frames split anywhere, several in one chunk, and one exactly at the limit', () => {
    const all = Buffer.concat([frame(Buffer.from('one')), frame(Buffer.from('two')), frame(Buffer.from('three'))]);
    const bytes = [...all].map((b) => Buffer.from([b]));
    assert.deepEqual(collect(new FrameSplitter(5), ...bytes), ['one', 'two', 'three']);
    assert.deepEqual(collect(new FrameSplitter(5), all), ['one', 'two', 'three']);
  });

  it('stops when the consumer says so (the socket was dropped)', () => {
    const s = new FrameSplitter(100);
    const seen: string[] = [];
    s.push(Buffer.concat([frame(Buffer.from('a')), frame(Buffer.from('b'))]), (f) => {
      seen.push(f.toString());
      return false;
    });
    assert.deepEqual(seen, ['a']);
  });
});

describe('write opcodes', () => {
  it('are exactly the ones that change znodes, ACLs or the ensemble', () => {
    const writes: number[] = [OP.CREATE, OP.CREATE2, OP.CREATE_CONTAINER, OP.CREATE_TTL, OP.DELETE, OP.DELETE_CONTAINER, OP.SET_DATA, OP.SET_ACL, OP.RECONFIG];
    assert.deepEqual([...WRITE_OPCODES].sort((a, b) => a - b), writes.sort((a, b) => a - b));
    for (const op of Object.values(OP)) {
      if (op === OP.MULTI) continue;
      assert.equal(isWrite(op), writes.includes(op), `opcode ${op}`);
    }
  });

  it('a multi is a write when any part is; one of version checks only is a read', () => {
    assert.equal(isWrite(OP.MULTI, [OP.CHECK, OP.CHECK]), false);
    assert.equal(isWrite(OP.MULTI, [OP.CHECK, OP.DELETE]), true);
    assert.equal(isWrite(OP.MULTI), true, 'parts unknown: a write');
  });
});
