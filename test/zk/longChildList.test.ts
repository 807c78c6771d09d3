// The transport decodes a huge child list a slice per turn (issue 15) and holds the socket's later
// frames meanwhile: they are read after the list is delivered, in order, and nothing stalls; a list
// that breaks a bound in a later slice still drops the connection with a protocol error.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { ChildListInTurns, NAMES_PER_SLICE } from '../../src/zk/wire/childListInTurns';
import { OP } from '../../src/zk/wire/opcodes';
import { rejectsWith, waitUntil } from '../helpers';
import { frame, int32, replyHeader, startHostilePeer, stat, ustring, type HostilePeer } from './hostilePeer';

const NAMES = Array.from({ length: 3 * NAMES_PER_SLICE + 5 }, (_, i) => `member-${String(i).padStart(10, '0')}`);
const listBytes = (names: Buffer[]) => Buffer.concat([int32(names.length), ...names]);

describe('a huge child list on the wire', function () {
  this.timeout(20_000);
  let peer: HostilePeer | undefined;
  let zk: ZkClient | undefined;
  const realStep = ChildListInTurns.prototype.step;
  let steps = 0;
  beforeEach(() => {
    steps = 0;
    ChildListInTurns.prototype.step = function (this: ChildListInTurns) {
      steps++;
      return realStep.call(this);
    };
  });
  afterEach(async () => {
    ChildListInTurns.prototype.step = realStep;
    await zk?.close();
    await peer?.close();
    zk = peer = undefined;
  });

  it('is decoded a slice per turn; the frames behind it follow in order (event, next reply)', async () => {
    const encoded = NAMES.map(ustring);
    peer = await startHostilePeer((r) => {
      if (r.opcode === OP.GET_CHILDREN2) {
        // The list, then a child event on the same node, in one write.
        const event = frame(replyHeader(-1, 0, 6), int32(4), int32(3), ustring('/big'));
        r.socket.write(Buffer.concat([frame(replyHeader(r.xid), listBytes(encoded), stat(0, NAMES.length)), event]));
      } else r.socket.write(frame(replyHeader(r.xid), stat(7)));
    });
    zk = new ZkClient({ connectString: peer.address, requestTimeoutMs: 10_000 });
    await zk.connect();
    const order: string[] = [];
    let fired = 0;
    const listing = zk.getChildren('/big', () => void fired++).then((l) => (order.push('list'), l));
    const exists = zk.exists('/x').then((s) => (order.push('exists'), s));
    const [list, after] = await Promise.all([listing, exists]);
    assert.deepEqual(list.children, NAMES);
    assert.equal(list.stat.numChildren, NAMES.length);
    assert.equal(after?.dataLength, 7);
    assert.deepEqual(order, ['list', 'exists']);
    await waitUntil(() => fired === 1, 5000, 'the child event behind the list');
    assert.equal(steps, Math.ceil(NAMES.length / NAMES_PER_SLICE), 'one decoding step per slice of names');
  });

  it('a null name in a later slice: protocol error, and the session goes on on a new connection', async () => {
    const encoded = NAMES.map(ustring);
    encoded[2 * NAMES_PER_SLICE + 1] = int32(-1);
    peer = await startHostilePeer((r) => {
      if (r.opcode !== OP.GET_CHILDREN2) return void r.socket.write(frame(replyHeader(r.xid), stat()));
      if (r.connection === 0) r.socket.write(frame(replyHeader(r.xid), listBytes(encoded), stat()));
      else r.socket.write(frame(replyHeader(r.xid), int32(1), ustring('child'), stat(0, 1)));
    });
    zk = new ZkClient({ connectString: peer.address, requestTimeoutMs: 10_000, spinDelayMs: 50 });
    await zk.connect();
    await rejectsWith(
      zk.getChildren('/big'),
      'PROTOCOL',
      new RegExp(`^Protocol error from 127\\.0\\.0\\.1:\\d+ during list the children of /big: the child list\\[${2 * NAMES_PER_SLICE + 1}\\] is null; the connection was dropped$`),
    );
    assert.ok(steps >= 3, `decoded in slices up to the bad name (${steps} steps)`);
    const client = zk;
    await waitUntil(() => peer!.connections >= 2 && client.state === 'connected', 5000, 'a new connection');
    assert.deepEqual((await client.getChildren('/big')).children, ['child']);
  });
});
