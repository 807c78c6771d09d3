// Our request encoding (src/zk/wire/requests.ts) against node-zookeeper-client's jute records,
// byte for byte: the transport no longer uses the library, so this pins the frames it sends.
import * as assert from 'node:assert/strict';
import { OP } from '../../src/zk/wire/opcodes';
import {
  authRecord,
  createRecord,
  encodeConnectFrame,
  encodeFrame,
  multiRecord,
  pathIntRecord,
  pathRecord,
  pathWatchRecord,
  request,
  requestBytes,
  setAclRecord,
  setDataRecord,
  setWatchesRecord,
} from '../../src/zk/wire/requests';
import { jute } from './libraryJute';

const long = (v: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v);
  return b;
};
/* eslint-disable @typescript-eslint/no-explicit-any */
const theirs = (xid: number, type: number, payload: any) => new jute.Request(new jute.protocol.RequestHeader(xid, type), payload).toBuffer();
const acl = [
  { perms: 31, scheme: 'world', id: 'anyone' },
  { perms: 1, scheme: 'digest', id: 'ü:x=' },
];
const theirAcl = acl.map((a) => new jute.data.ACL(a.perms, new jute.data.Id(a.scheme, a.id)));

describe('wire request encoding', () => {
  const path = '/a/ü/b';
  const data = Buffer.from([0, 1, 2, 255]);

  it('encodes each record as the jute records do', () => {
    const cases: [number, Buffer, any][] = [
      [OP.EXISTS, pathWatchRecord(path, true), new jute.protocol.ExistsRequest(path, true)],
      [OP.GET_DATA, pathWatchRecord(path, false), new jute.protocol.GetDataRequest(path, false)],
      [OP.GET_CHILDREN2, pathWatchRecord(path, true), new jute.protocol.GetChildren2Request(path, true)],
      [OP.GET_ACL, pathRecord(path), new jute.protocol.GetACLRequest(path)],
      [OP.CREATE2, createRecord(path, data, acl, 3), new jute.protocol.CreateRequest(path, data, theirAcl, 3)],
      [OP.CREATE, createRecord(path, Buffer.alloc(0), [], 0), new jute.protocol.CreateRequest(path, Buffer.alloc(0), [], 0)],
      [OP.SET_DATA, setDataRecord(path, data, 7), new jute.protocol.SetDataRequest(path, data, 7)],
      [OP.DELETE, pathIntRecord(path, -1), new jute.protocol.DeleteRequest(path, -1)],
      [OP.CHECK, pathIntRecord(path, 4), new jute.protocol.CheckVersionRequest(path, 4)],
      [OP.SET_ACL, setAclRecord(path, acl, 2), new jute.protocol.SetACLRequest(path, theirAcl, 2)],
      [OP.AUTH, authRecord('digest', Buffer.from('u:p')), new jute.protocol.AuthPacket(0, 'digest', Buffer.from('u:p'))],
    ];
    for (const [opcode, body, record] of cases) {
      const frame = encodeFrame(12, request(opcode, body));
      assert.deepEqual(frame, theirs(12, opcode, record), `opcode ${opcode}`);
      assert.equal(requestBytes(request(opcode, body)), frame.length - 4);
    }
    assert.deepEqual(encodeFrame(-2, request(OP.PING)), theirs(-2, OP.PING, null));
  });

  it('encodes createTTL with its TTL as a trailing long', () => {
    const body = createRecord(path, data, acl, 5, 60_000n);
    const plain = createRecord(path, data, acl, 5);
    assert.deepEqual(body.subarray(0, plain.length), plain);
    assert.equal(body.readBigInt64BE(plain.length), 60_000n);
  });

  it('encodes a multi as its parts behind MultiHeaders, closed by (-1, done, -1)', () => {
    const ours = multiRecord([
      { opcode: OP.CREATE2, body: createRecord(path, data, acl, 0) },
      { opcode: OP.CHECK, body: pathIntRecord('/c', 1) },
    ]);
    const parts = [
      new jute.protocol.MultiHeader(OP.CREATE2, false, -1),
      new jute.protocol.CreateRequest(path, data, theirAcl, 0),
      new jute.protocol.MultiHeader(OP.CHECK, false, -1),
      new jute.protocol.CheckVersionRequest('/c', 1),
      new jute.protocol.MultiHeader(-1, true, -1),
    ];
    const payload = {
      byteLength: () => parts.reduce((n, p) => n + p.byteLength(), 0),
      serialize: (b: Buffer, o: number) => parts.reduce((n, p) => n + p.serialize(b, o + n), 0),
    };
    assert.deepEqual(encodeFrame(3, request(OP.MULTI, ours)), theirs(3, OP.MULTI, payload));
  });

  it('encodes SetWatches as the library did, and SetWatches2 with the persistent lists after it', () => {
    const set = { data: ['/d'], exist: ['/e', '/f'], child: [], persistent: ['/p'], persistentRecursive: ['/r'] };
    const zxid = 0x1_0000_0005n;
    const old = new jute.protocol.SetWatches();
    old.relativeZxid = long(zxid);
    old.dataWatches = set.data;
    old.existWatches = set.exist;
    old.childWatches = set.child;
    assert.deepEqual(encodeFrame(9, request(OP.SET_WATCHES, setWatchesRecord(zxid, set, false))), theirs(9, OP.SET_WATCHES, old));
    const two = setWatchesRecord(zxid, set, true);
    const one = setWatchesRecord(zxid, set, false);
    assert.deepEqual(two.subarray(0, one.length), one);
    assert.deepEqual(two.subarray(one.length), Buffer.from([0, 0, 0, 1, 0, 0, 0, 2, 0x2f, 0x70, 0, 0, 0, 1, 0, 0, 0, 2, 0x2f, 0x72]));
  });

  it('encodes the handshake as the ConnectRequest record, with the read-only flag appended when asked', () => {
    const id = long(0x1234n);
    const passwd = Buffer.alloc(16, 7);
    const zxid = 0xffff_ffff_ffff_fff0n; // above 2^63: a hostile or very old server's zxid still encodes
    const record = new jute.protocol.ConnectRequest(0, long(zxid), 30_000, id, passwd);
    const plain = new jute.Request(null, record).toBuffer();
    assert.deepEqual(encodeConnectFrame({ lastZxidSeen: zxid, timeoutMs: 30_000, sessionId: id, password: passwd }), plain);
    const ro = encodeConnectFrame({ lastZxidSeen: zxid, timeoutMs: 30_000, sessionId: id, password: passwd, readOnly: true });
    assert.equal(ro.readInt32BE(0), plain.length - 4 + 1);
    assert.deepEqual(ro.subarray(4, plain.length), plain.subarray(4));
    assert.equal(ro[ro.length - 1], 1);
  });
});
