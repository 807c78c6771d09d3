// Which request a closed connection is blamed on, and how long a refusal is remembered.
import * as assert from 'node:assert/strict';
import { ServerCapabilities } from '../../src/zk/serverCapabilities';

const S = '10.0.0.1:2181';
const WHO_AM_I = 107;
const ADD_WATCH = 106;
const COUNT = 104;
const TTL = 21;

describe('ServerCapabilities', () => {
  let now = 0;
  let closings = 0;
  let caps: ServerCapabilities;
  beforeEach(() => {
    now = 1_000;
    closings = 0;
    caps = new ServerCapabilities(() => closings++, () => now);
    caps.connected();
  });

  it('an UNIMPLEMENTED reply marks the type for that server only, says what it needs, and closes the connection', () => {
    const err = caps.replied(caps.sent(WHO_AM_I, S)!, -6, 'ask who am I');
    assert.equal(err?.code, 'UNIMPLEMENTED');
    assert.match(err!.message, /^The server 10\.0\.0\.1:2181 does not support asking the server who this session is \(whoAmI\) \(it needs ZooKeeper 3\.7\.0 or later\)$/);
    assert.equal(closings, 1);
    assert.ok(caps.lacks(WHO_AM_I, S));
    assert.ok(!caps.lacks(WHO_AM_I, '10.0.0.2:2181'));
    assert.match(caps.refusal(WHO_AM_I, S, 'ask who am I')!.message, /whoAmI/);
    now += 24 * 3600_000; // a refusal the server said is kept
    assert.ok(caps.lacks(WHO_AM_I, S));
  });

  it('a refused createTTL does not close the connection (3.5.3+ servers with TTL nodes off refuse it in order)', () => {
    const err = caps.replied(caps.sent(TTL, S)!, -6, 'create', '/t');
    assert.match(err!.message, /TTL nodes \(it needs ZooKeeper 3\.5\.3 or later\); a 3\.5\.3\+ server also needs extendedTypesEnabled=true/);
    assert.equal(closings, 0);
  });

  it('a closed connection is blamed on the first unanswered newer request, once, and the mark expires after 10 minutes', () => {
    const count = caps.sent(COUNT, S)!;
    const who = caps.sent(WHO_AM_I, S)!;
    const first = caps.replied(count, -4, 'count the descendants of', '/a');
    assert.match(first!.message, /counting all descendants .*3\.6\.0 or later; it closed the connection when asked, and is not asked again on this connection/);
    assert.equal(caps.replied(who, -4, 'ask who am I'), undefined, 'the other one only lost its connection');
    assert.ok(caps.lacks(COUNT, S));
    assert.ok(!caps.lacks(WHO_AM_I, S));
    now += 10 * 60_000 + 1;
    assert.ok(!caps.lacks(COUNT, S), 'asked again later: the close may have been a coincidence');
  });

  it('a close is not blamed on a type the server has answered, nor on anything when this side closed it', () => {
    caps.replied(caps.sent(ADD_WATCH, S)!, 0, 'watch', '/');
    assert.equal(caps.replied(caps.sent(ADD_WATCH, S)!, -4, 'watch', '/'), undefined);
    caps.connected();
    const who = caps.sent(WHO_AM_I, S)!;
    caps.closingHere(); // liveness timeout, Reconnect, close()
    assert.equal(caps.replied(who, -4, 'ask who am I'), undefined);
    assert.ok(!caps.lacks(WHO_AM_I, S));
    caps.connected();
    assert.ok(caps.replied(caps.sent(WHO_AM_I, S)!, -4, 'ask who am I'), 'a new connection is judged afresh');
  });

  it('request types every server knows are not tracked', () => {
    assert.equal(caps.sent(4 /* getData */, S), undefined);
    assert.equal(caps.sent(WHO_AM_I, undefined), undefined);
  });

  it('a multi refused as unreadable marks create2 unless the server has accepted create2', () => {
    assert.ok(caps.refusedInMulti(15, S));
    assert.ok(caps.lacks(15, S));
    assert.ok(!caps.refusedInMulti(15, S), 'already known');
    const other = '10.0.0.3:2181';
    caps.replied(caps.sent(15, other)!, 0, 'create', '/x');
    assert.ok(!caps.refusedInMulti(15, other));
  });
});
