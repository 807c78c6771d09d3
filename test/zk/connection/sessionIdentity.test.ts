// SessionIdentity: which session a connection offers each server across a quorum loss. CI caught
// the read-only mode test (readOnlyMode.itest.ts) with a new session after the quorum came back:
// the survivor, read-only a moment before, was read-write again and was offered a new session
// because it had refused the global one while read-only. The user's session, and its ephemeral
// nodes, would have been left to expire.
import * as assert from 'node:assert/strict';
import { SessionIdentity, type SessionKeys } from '../../../src/zk/connection/session';
import type { ServerAddress } from '../../../src/zk/connectString';

const keys = (id: number): SessionKeys => {
  const k = { id: Buffer.alloc(8), password: Buffer.alloc(16, id) };
  k.id.writeUInt32BE(id, 4);
  return k;
};
const idOf = (k: SessionKeys) => k.id.readBigUInt64BE().toString(16);

describe('SessionIdentity (read-only servers)', () => {
  const survivor: ServerAddress = { host: '127.0.0.1', port: 2181 };
  const other: ServerAddress = { host: '127.0.0.1', port: 2182 };

  it('offers the global session again to a server whose read-only connection ended', () => {
    const s = new SessionIdentity(true);
    assert.equal(idOf(s.offerTo(survivor)), '0', 'a new session at first');
    s.accepted(keys(0x1234), false, survivor);

    // Quorum lost: the survivor is read-only and refuses the global session...
    assert.equal(idOf(s.offerTo(survivor)), '1234');
    assert.ok(s.offeredGlobalTo(survivor));
    assert.equal(s.refuse(survivor), false);
    // ...so it is asked for a read-only session, and gives one.
    assert.equal(idOf(s.offerTo(survivor)), '0', 'a new local session from the read-only server');
    s.accepted(keys(0x5678), true, survivor);

    // Quorum back: the survivor closes its read-only connections and is read-write again.
    const next = s.offerTo(survivor);
    assert.equal(idOf(next), '1234', 'the global session, not a new one');
    assert.ok(s.offeredGlobalTo(survivor));
  });

  it('still asks a server that refused it, and is still read-only, for a read-only session (no loop)', () => {
    const s = new SessionIdentity(true);
    s.offerTo(survivor);
    s.accepted(keys(0x1234), false, survivor);
    s.offerTo(survivor);
    s.refuse(survivor);
    s.offerTo(survivor);
    s.accepted(keys(0x5678), true, survivor);
    s.offerTo(survivor); // the global one again, after the read-only connection ended
    assert.equal(s.refuse(survivor), false, 'refused once more: a first refusal since the read-only session');
    assert.equal(idOf(s.offerTo(survivor)), '0', 'then a read-only session, not the global one over and over');
    assert.equal(idOf(s.offerTo(other)), '1234', 'another server gets the global session');
  });

  it('a read-write server always gets the global session once one was given', () => {
    const s = new SessionIdentity(true);
    s.offerTo(other);
    s.accepted(keys(0x42), false, other);
    assert.equal(idOf(s.offerTo(other)), '42');
    assert.equal(idOf(s.offerTo(survivor)), '42');
  });
});
