// multiRead (opcode 22) on the wire: the request bytes exactly as ZooKeeper's MultiOperationRecord
// reads them, and a reply decoder that trusts nothing (truncated replies, wrong part counts, parts of
// another type than asked, lengths past the frame).
import * as assert from 'node:assert/strict';
import { FrameSplitter } from '../../src/zk/wire/frames';
import { OP } from '../../src/zk/wire/opcodes';
import { ProtocolViolation, WireReader } from '../../src/zk/wire/reader';
import { multiReadBodyBytes, multiReadPayload, readMultiRead, writeMultiReadBody, type MultiReadOp } from '../../src/zk/wire/multiRead';
import { int32, stat, ustring } from './hostilePeer';

const header = (type: number, done = false, err = 0) => Buffer.concat([int32(type), Buffer.from([done ? 1 : 0]), int32(err)]);
const END = header(-1, true, -1);
const reader = (...parts: Buffer[]) => new WireReader(Buffer.concat(parts));
const violation = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof ProtocolViolation && message.test(e.message), `expected a ProtocolViolation matching ${message}`);

const asked: MultiReadOp[] = [
  { type: 'getChildren', path: '/a' },
  { type: 'getData', path: '/a' },
  { type: 'getData', path: '/é' },
];

describe('multiRead on the wire', () => {
  it('encodes each part as MultiHeader {type, false, -1} + {path, watch false}, then the closing header', () => {
    const want = Buffer.concat([
      header(OP.GET_CHILDREN, false, -1), ustring('/a'), Buffer.from([0]),
      header(OP.GET_DATA, false, -1), ustring('/a'), Buffer.from([0]),
      header(OP.GET_DATA, false, -1), ustring('/é'), Buffer.from([0]),
      END,
    ]);
    assert.equal(multiReadBodyBytes(asked), want.length);
    const buf = Buffer.alloc(want.length + 3, 0xee);
    assert.equal(writeMultiReadBody(asked, buf, 3), want.length);
    assert.deepEqual(buf.subarray(3), want);
    assert.deepEqual(multiReadPayload(asked), want, 'the record the request carries');
  });

  it('decodes children, data with its Stat, and error parts, in the order asked', () => {
    const parts = readMultiRead(
      reader(header(OP.GET_CHILDREN), int32(2), ustring('x'), ustring('y'), header(OP.GET_DATA), int32(3), Buffer.from('abc'), stat(3, 2), header(OP.ERROR, false, -101), int32(-101), END),
      asked,
    );
    assert.equal(parts.length, 3);
    assert.deepEqual(parts[0], { type: 'getChildren', children: ['x', 'y'] });
    assert.equal(parts[1].type, 'getData');
    if (parts[1].type === 'getData') {
      assert.equal(parts[1].data?.toString(), 'abc');
      assert.equal(parts[1].stat.dataLength, 3);
      assert.equal(parts[1].stat.numChildren, 2);
    }
    assert.deepEqual(parts[2], { type: 'error', err: -101 });
    // Null data (length -1) is kept as null, not a crash.
    const nul = readMultiRead(reader(header(OP.GET_DATA), int32(-1), stat(), END), [{ type: 'getData', path: '/n' }]);
    assert.equal(nul[0].type === 'getData' && nul[0].data, null);
  });

  it('refuses a truncated reply, wherever it is cut', () => {
    const full = Buffer.concat([header(OP.GET_CHILDREN), int32(1), ustring('x'), header(OP.GET_DATA), int32(3), Buffer.from('abc'), stat(3), header(OP.ERROR), int32(-102), END]);
    for (let cut = 0; cut < full.length; cut++) {
      assert.throws(() => readMultiRead(new WireReader(full.subarray(0, cut)), asked), ProtocolViolation, `cut at ${cut}`);
    }
    assert.equal(readMultiRead(new WireReader(full), asked).length, 3);
  });

  it('refuses a reply with fewer or more parts than asked', () => {
    violation(() => readMultiRead(reader(header(OP.GET_CHILDREN), int32(0), END), asked), /has 1 parts, 3 were asked/);
    violation(() => readMultiRead(reader(END), asked), /has 0 parts, 3 were asked/);
    const one: MultiReadOp[] = [{ type: 'getData', path: '/a' }];
    violation(() => readMultiRead(reader(header(OP.GET_DATA), int32(0), stat(), header(OP.GET_DATA), int32(0), stat(), END), one), /more than the 1 parts asked/);
    violation(() => readMultiRead(reader(header(OP.ERROR), int32(-101), header(OP.ERROR), int32(-101), END), one), /more than the 1 parts asked/);
  });

  it('refuses a part of another type than asked, and an error part without a code', () => {
    violation(() => readMultiRead(reader(header(OP.GET_DATA), int32(0), stat(), END), [{ type: 'getChildren', path: '/a' }]), /part 0 has type 4, getChildren \(8\) was asked/);
    violation(() => readMultiRead(reader(header(OP.CREATE2), ustring('/a'), stat(), END), [{ type: 'getData', path: '/a' }]), /part 0 has type 15/);
    violation(() => readMultiRead(reader(header(OP.ERROR), int32(0), END), [{ type: 'getData', path: '/a' }]), /error part without an error code/);
  });

  it('refuses lengths and counts past the frame before allocating anything', () => {
    violation(() => readMultiRead(reader(header(OP.GET_DATA), int32(1 << 30), END), [{ type: 'getData', path: '/a' }]), /the data of multiRead part 0 length 1073741824 exceeds/);
    violation(() => readMultiRead(reader(header(OP.GET_CHILDREN), int32(1_000_000), END), [{ type: 'getChildren', path: '/a' }]), /the child list of multiRead part 0 count 1000000 exceeds/);
    violation(() => readMultiRead(reader(header(OP.GET_CHILDREN), int32(1), int32(-1), END), [{ type: 'getChildren', path: '/a' }]), /is null/);
  });
});

describe('FrameSplitter: an oversized reply its request can do without', () => {
  const frameOf = (body: Buffer) => Buffer.concat([int32(body.length), body]);
  const replyHead = (xid: number) => Buffer.concat([int32(xid), Buffer.alloc(8), int32(0)]);

  it('skips the frame without keeping it when the hook takes it, across chunks, then goes on', () => {
    const splitter = new FrameSplitter(64);
    const big = frameOf(Buffer.concat([replyHead(7), Buffer.alloc(1000, 0xab)]));
    const next = frameOf(Buffer.concat([replyHead(8), Buffer.from('ok')]));
    const stream = Buffer.concat([big, next]);
    const frames: Buffer[] = [];
    const asked: { size: number; xid: number }[] = [];
    // Fed in odd-sized chunks, the header itself split.
    for (let o = 0; o < stream.length; o += 13) {
      splitter.push(
        stream.subarray(o, o + 13),
        (f) => (frames.push(Buffer.from(f)), true),
        (size, head) => (asked.push({ size, xid: head.readInt32BE(0) }), true),
      );
    }
    assert.deepEqual(asked, [{ size: 1016, xid: 7 }]);
    assert.equal(frames.length, 1);
    assert.equal(frames[0].readInt32BE(0), 8);
    assert.equal(frames[0].subarray(16).toString(), 'ok');
  });

  it('refuses it as before when the hook does not take it, or without a hook', () => {
    const big = frameOf(Buffer.concat([replyHead(7), Buffer.alloc(100)]));
    violation(() => new FrameSplitter(64).push(big, () => true, () => false), /a frame of 116 bytes exceeds the limit of 64 bytes/);
    violation(() => new FrameSplitter(64).push(big, () => true), /a frame of 116 bytes exceeds the limit of 64 bytes/);
    violation(() => new FrameSplitter(64).push(int32(-5), () => true, () => true), /frame length -5 is invalid/);
  });
});
