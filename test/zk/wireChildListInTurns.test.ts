// A huge child list is decoded a slice of names per turn of the event loop (issue 15: the longest
// block while expanding a node with 100,000 children), with the decoder's bounds kept at every name.
import * as assert from 'node:assert/strict';
import { ChildListInTurns, NAMES_PER_SLICE, type NextTurn } from '../../src/zk/wire/childListInTurns';
import { ProtocolViolation } from '../../src/zk/wire/reader';
import { readGetChildren2 } from '../../src/zk/wire/replies';
import { WireReader } from '../../src/zk/wire/reader';
import { int32, stat, ustring } from './hostilePeer';

const AFTER_HEADER = 16;
const header = Buffer.alloc(AFTER_HEADER);
const body = (names: string[], tail: Buffer = stat(0, names.length)) => Buffer.concat([header, int32(names.length), ...names.map(ustring), tail]);

/** A turn that records how many names were decoded before it (decoding in slices shows as growing counts). */
function countingTurns(): { turn: NextTurn; turns: () => number } {
  let turns = 0;
  return { turn: async () => void turns++, turns: () => turns };
}

describe('ChildListInTurns', () => {
  const names = Array.from({ length: 20_000 }, (_, i) => `member-${String(i).padStart(10, '0')}`).concat(['é名', '']);

  it('decodes what readGetChildren2 decodes, one slice per turn', async () => {
    const frame = body(names);
    const list = ChildListInTurns.ifLong(frame, AFTER_HEADER);
    assert.ok(list, 'a list longer than one slice is decoded in turns');
    const { turn, turns } = countingTurns();
    const reply = await list.decode(() => true, turn);
    assert.deepEqual(reply, readGetChildren2(new WireReader(frame, AFTER_HEADER)));
    assert.equal(turns(), Math.ceil(names.length / NAMES_PER_SLICE) - 1);
  });

  it('a list of one slice or less is left to readGetChildren2 (no turn to wait for)', () => {
    assert.equal(ChildListInTurns.ifLong(body(names.slice(0, NAMES_PER_SLICE)), AFTER_HEADER), undefined);
    assert.equal(ChildListInTurns.ifLong(body(['a', 'b']), AFTER_HEADER), undefined);
    assert.equal(ChildListInTurns.ifLong(Buffer.alloc(AFTER_HEADER + 2), AFTER_HEADER), undefined);
  });

  it('refuses a count the frame cannot hold before allocating anything', () => {
    const hostile = Buffer.concat([header, int32(0x7fffffff), int32(-4)]);
    assert.throws(() => ChildListInTurns.ifLong(hostile, AFTER_HEADER), (e: unknown) => e instanceof ProtocolViolation && /the child list count 2147483647 exceeds the 4 bytes left/.test(e.message));
  });

  it('a null or overlong name in a later slice fails the whole reply at that name', async () => {
    const nullAt = Buffer.concat([header, int32(names.length), ...names.slice(0, 15_000).map(ustring), int32(-1), ...names.slice(15_001).map(ustring), stat()]);
    await assert.rejects(ChildListInTurns.ifLong(nullAt, AFTER_HEADER)!.decode(() => true, countingTurns().turn), /^ProtocolViolation: the child list\[15000\] is null$/);
    const cut = body(names, Buffer.alloc(10));
    await assert.rejects(ChildListInTurns.ifLong(cut, AFTER_HEADER)!.decode(() => true, countingTurns().turn), /a Stat needs 68 bytes but 10 are left/);
  });

  it('stops when the connection it came on is gone (nothing delivered)', async () => {
    let wanted = true;
    const list = ChildListInTurns.ifLong(body(names), AFTER_HEADER)!;
    const reply = await list.decode(
      () => wanted,
      async () => {
        wanted = false;
      },
    );
    assert.equal(reply, undefined);
  });
});
