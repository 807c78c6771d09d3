// Integration tests of znode documents (src/zk/nodeDocument.ts, nodeWatch.ts, aclEdit.ts) against
// real ZooKeeper servers, with independent clients checking what was written: zkCli.sh for text
// and ACLs, and the official Java client (test/fixtures/ZkBytes.java) for exact bytes.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { digestId, PERMS } from '../../src/zk/acl';
import { digestFromUserPassword, lockOutCheck, parseAclDocument, sessionIdentities } from '../../src/zk/aclEdit';
import { ZkClient } from '../../src/zk/client';
import { EnsembleConnection } from '../../src/zk/ensembleConnection';
import { NodeDocument, contentText, maxDataBytes, type Snapshot, type ViewKind, type WriteOutcome } from '../../src/zk/nodeDocument';
import { NodeWatchSet, type NodeChange } from '../../src/zk/nodeWatch';
import { ZkCluster, zkCli } from '../harness/zookeeper';
import { expireSession, rejectsWith, waitUntil } from '../helpers';
import { javaGet, zkBytes } from './zkBytes';

const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('znode documents against a real server', function () {
  this.timeout(120_000);
  let cluster: ZkCluster | undefined;
  let server: string;
  const clients: ZkClient[] = [];
  const connections: EnsembleConnection[] = [];

  async function client(opts: { readOnly?: boolean; auth?: string } = {}): Promise<ZkClient> {
    const c = new ZkClient({ connectString: cluster!.connectString, readOnly: opts.readOnly, auth: opts.auth ? [{ scheme: 'digest', auth: opts.auth }] : undefined });
    await c.connect();
    clients.push(c);
    return c;
  }

  async function cli(...args: string[]): Promise<string> {
    const r = await zkCli(server, args);
    return `${r.stdout}\n${r.stderr}`;
  }

  /** Opens like the editor: read, and the first read is the base. */
  async function open(zk: ZkClient, path: string, view: ViewKind = 'text'): Promise<{ doc: NodeDocument; snap: Snapshot }> {
    const doc = new NodeDocument('local', path, view);
    await doc.stat(zk);
    const snap = await doc.read(zk);
    doc.adopt(snap);
    return { doc, snap };
  }

  before(async function () {
    cluster = await ZkCluster.startStandalone();
    server = cluster.servers[0].address;
  });

  after(async () => {
    for (const c of connections) await c.dispose().catch(() => undefined);
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await cluster?.close();
  });

  it('open, edit, save: zkCli.sh reads the new value; the version read is what is sent', async () => {
    const zk = await client();
    assert.match(await cli('create', '/app', ''), /Created \/app/);
    assert.match(await cli('create', '/app/settings.json', '{"port": 8080}'), /Created/);
    const { doc, snap } = await open(zk, '/app/settings.json');
    assert.equal(contentText(snap.content), '{"port": 8080}');
    assert.equal(snap.version, 0);
    const out = await doc.commit(zk, doc.prepare(text('{"port": 9090, "name": "ünïcødé 😀"}'), zk), doc.plan()!.version);
    assert.equal(out.kind, 'saved');
    assert.match(await cli('get', '/app/settings.json'), /\{"port": 9090, "name": "ünïcødé 😀"\}/);
    assert.match(await cli('stat', '/app/settings.json'), /dataVersion = 1/);
  });

  it('a change by zkCli.sh between read and save is a conflict: nothing is overwritten; Overwrite goes against the version shown', async () => {
    const zk = await client();
    await cli('create', '/conflict', 'base');
    const { doc } = await open(zk, '/conflict');
    await cli('set', '/conflict', 'theirs');
    const prepared = doc.prepare(text('mine'), zk);
    const out = (await doc.commit(zk, prepared, doc.plan()!.version)) as Extract<WriteOutcome, { kind: 'conflict' }>;
    assert.equal(out.kind, 'conflict');
    assert.equal(out.expectedVersion, 0);
    assert.equal(out.theirs.version, 1);
    assert.equal(contentText(out.theirs.content), 'theirs');
    assert.match(await cli('get', '/conflict'), /\btheirs\b/, 'their change is intact');
    // A third change before the user decides: overwriting what they were shown is a new conflict.
    await cli('set', '/conflict', 'theirs again');
    const again = await doc.commit(zk, prepared, out.theirs.version);
    assert.equal(again.kind, 'conflict');
    assert.match(await cli('get', '/conflict'), /theirs again/);
    const theirs2 = (again as Extract<WriteOutcome, { kind: 'conflict' }>).theirs;
    assert.equal((await doc.commit(zk, prepared, theirs2.version)).kind, 'saved');
    assert.match(await cli('get', '/conflict'), /\bmine\b/);
  });

  it('binary data written by the Java client opens as a read-only dump and round-trips byte for byte through base64 and hex', async () => {
    const zk = await client();
    const original = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(300)]);
    const created = await zkBytes(server, ['create', '/bin', original.toString('hex')]);
    assert.equal(created.code, 0, created.stderr);
    const textView = await open(zk, '/bin');
    assert.match(textView.snap.readOnlyReason!, /not valid UTF-8|NUL byte/);
    assert.match(contentText(textView.snap.content), /^# \/bin: 556 bytes, shown as a read-only hex dump/);
    assert.throws(() => textView.doc.prepare(text('anything'), zk), /read-only/);

    const b64 = await open(zk, '/bin', 'base64');
    assert.deepEqual(Buffer.from(contentText(b64.snap.content).replace(/\s/g, ''), 'base64'), original);
    // Saving the view unchanged writes exactly the same bytes.
    assert.equal((await b64.doc.commit(zk, b64.doc.prepare(b64.snap.content, zk), b64.doc.plan()!.version)).kind, 'saved');
    assert.deepEqual(await javaGet(server, '/bin'), original);
    const edited = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), randomBytes(1000), Buffer.from([0x0d, 0x0a, 0x0d])]);
    const b64text = edited.toString('base64').replace(/(.{76})/g, '$1\n');
    assert.equal((await b64.doc.commit(zk, b64.doc.prepare(text(b64text), zk), b64.doc.plan()!.version)).kind, 'saved');
    assert.deepEqual(await javaGet(server, '/bin'), edited, 'the Java client reads exactly the bytes entered as base64');

    const hex = await open(zk, '/bin', 'hex');
    assert.deepEqual(Buffer.from(contentText(hex.snap.content).replace(/\s/g, ''), 'hex'), edited);
    const viaHex = Buffer.from([0x00, 0x80, 0xc0, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]); // NUL, lone continuation, surrogate, > U+10FFFF
    assert.equal((await hex.doc.commit(zk, hex.doc.prepare(text(viaHex.toString('hex').toUpperCase()), zk), hex.doc.plan()!.version)).kind, 'saved');
    assert.deepEqual(await javaGet(server, '/bin'), viaHex);

    // Text with every kind of line ending the editor would change is shown as bytes too.
    await zkBytes(server, ['set', '/bin', Buffer.from('a\r\nb\nc').toString('hex')]);
    const mixed = await open(zk, '/bin');
    assert.match(mixed.snap.readOnlyReason!, /mixes CRLF \(1\) and LF \(1\)/);
  });

  it('text written by zkCli.sh (unicode, CRLF, a BOM) is shown and saved back exactly', async () => {
    const zk = await client();
    await cli('create', '/u', 'zkCli: ünïcødé 日本 😀');
    const { doc, snap } = await open(zk, '/u');
    assert.equal(snap.readOnlyReason, undefined);
    assert.equal(contentText(snap.content), 'zkCli: ünïcødé 日本 😀');
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('line 1\r\nline 2\r\n')]);
    await doc.commit(zk, doc.prepare(withBom, zk), doc.plan()!.version);
    assert.deepEqual(await javaGet(server, '/u'), withBom);
    assert.equal((await open(zk, '/u')).snap.readOnlyReason, undefined);
  });

  it('the size boundary: the largest data ZooKeeper accepts is saved; one byte more is refused before sending, with both numbers', async () => {
    const zk = await client();
    await cli('create', '/big', '');
    const { doc } = await open(zk, '/big');
    const max = maxDataBytes(zk, '/big');
    assert.equal(max, 1_048_551, 'jute.maxbuffer 1,048,575 minus the request header, path and lengths');
    const fits = Buffer.alloc(max, 0x61);
    assert.equal((await doc.commit(zk, doc.prepare(fits, zk), doc.plan()!.version)).kind, 'saved');
    assert.match(await cli('stat', '/big'), /dataLength = 1048551/);
    const err = await rejectsWith(Promise.resolve().then(() => doc.prepare(Buffer.alloc(max + 1, 0x62), zk)), 'DATA_TOO_LARGE');
    assert.match(err.message, /the data is 1,048,552 bytes and ZooKeeper accepts at most 1,048,551 bytes/);
    assert.match(err.message, /jute\.maxbuffer, is 1,048,575 bytes/);
    // Nothing was sent: the session is fine, and the node still has the data that fit.
    assert.equal(zk.state, 'connected');
    assert.equal((await zk.exists('/big'))?.dataLength, max);
    // The server really refuses one byte more: a client without the check loses its connection.
    const unchecked = new ZkClient({ connectString: cluster!.connectString, maxRequestBytes: 4 << 20, requestTimeoutMs: 5000 });
    clients.push(unchecked);
    await unchecked.connect();
    await assert.rejects(unchecked.setData('/big', Buffer.alloc(max + 1, 0x62), -1));
    assert.match(await cli('stat', '/big'), /dataLength = 1048551/);
  });

  it('a read-only connection refuses to save before sending anything', async () => {
    const ro = await client({ readOnly: true });
    await cli('create', '/ro', 'keep');
    const { doc } = await open(ro, '/ro');
    await rejectsWith(doc.commit(ro, doc.prepare(text('changed'), ro), doc.plan()!.version), 'READ_ONLY_GUARD', /is read-only: refused to write \/ro/);
    assert.match(await cli('get', '/ro'), /\bkeep\b/);
  });

  it('a node deleted while open: the watch reports it, a save says so, and recreate restores data and ACL', async () => {
    const zk = await client({ auth: 'alice:secret' });
    const conn = new EnsembleConnection({ name: 'local', connectString: cluster!.connectString });
    connections.push(conn);
    await conn.open();
    const acl = `digest:${digestId('alice', 'secret')}:cdrwa`;
    await zk.create('/gone', text('before'), { acl: parseAclDocument(`${acl}\nworld:anyone:rw\n`) });
    const { doc } = await open(zk, '/gone');
    const watches = new NodeWatchSet(() => conn);
    const seen: NodeChange[] = [];
    const sub = watches.watch('local', '/gone', (c) => seen.push(c));
    try {
      await waitUntil(() => watches.isArmed('local', '/gone'), 10_000, 'the watch set');
      await cli('set', '/gone', 'changed by zkCli');
      await waitUntil(() => seen.length === 1, 10_000, 'change notified');
      assert.equal(seen[0].kind, 'changed');
      await cli('delete', '/gone');
      await waitUntil(() => seen.length === 2, 10_000, 'deletion notified');
      assert.equal(seen[1].kind, 'deleted');
      const prepared = doc.prepare(text('my text'), zk);
      assert.deepEqual(await doc.commit(zk, prepared, doc.plan()!.version), { kind: 'deleted' });
      const out = await doc.recreate(zk, prepared);
      assert.equal(out.kind, 'saved');
      await waitUntil(() => seen.length === 3, 10_000, 'creation notified');
      assert.equal(seen[2].kind, 'created');
      assert.deepEqual(await javaGet(server, '/gone'), Buffer.from('my text'));
      const acls = await cli('getAcl', '/gone');
      assert.match(acls, /'digest,'alice:/);
      assert.match(acls, /'world,'anyone\s+: rw/);
    } finally {
      sub.dispose();
      watches.dispose();
    }
  });

  it('watches are set again after the session expires, and what changed meanwhile is reported', async () => {
    const conn = new EnsembleConnection({ name: 'local', connectString: cluster!.connectString });
    connections.push(conn);
    await conn.open();
    await cli('create', '/expiry', 'v0');
    const watches = new NodeWatchSet(() => conn);
    const seen: NodeChange[] = [];
    watches.watch('local', '/expiry', (c) => seen.push(c));
    try {
      await waitUntil(() => watches.isArmed('local', '/expiry'), 10_000, 'the watch set');
      const renewed = new Promise((r) => conn.once('sessionRenewed', r));
      const expired = new Promise((r) => conn.once('sessionExpired', r));
      await expireSession(cluster!.connectString, conn.client, expired, () => cli('set', '/expiry', 'changed while the session was expiring'));
      await renewed;
      await waitUntil(() => seen.length === 1, 10_000, 'catch-up change');
      assert.equal(seen[0].kind, 'changed');
      await cli('set', '/expiry', 'v2');
      await waitUntil(() => seen.length === 2, 10_000, 'change on the new session');
      assert.equal(seen[1].stat?.version, 2);
    } finally {
      watches.dispose();
    }
  });

  it('ACL edit with the ACL version; digest login works; conflicts and lock-out are caught', async () => {
    const admin = await client({ auth: 'alice:secret' });
    await admin.create('/secured', text('secret data'));
    const { doc, snap } = await open(admin, '/secured', 'acl');
    assert.match(contentText(snap.content), /\nworld:anyone:cdrwa\n$/);
    const bob = digestFromUserPassword('bob:bobs password');
    const edited = contentText(snap.content).replace('world:anyone:cdrwa', `auth::cdrwa\ndigest:${bob}:r`);
    const who = sessionIdentities(await admin.whoAmI(), { user: 'alice', password: 'secret' });
    const acl = (doc.prepare(text(edited), admin) as { acl: Parameters<typeof lockOutCheck>[0] }).acl;
    assert.equal(lockOutCheck(acl, who), undefined, 'alice keeps read and admin through auth:');
    const saved = await doc.commit(admin, doc.prepare(text(edited), admin), doc.plan()!.version);
    assert.equal(saved.kind, 'saved');
    const stored = (saved as Extract<WriteOutcome, { kind: 'saved' }>).storedAcl!;
    assert.deepEqual(
      stored.map((a) => `${a.scheme}:${a.id}:${a.perms}`).sort(),
      [`digest:${digestId('alice', 'secret')}:${PERMS.ALL}`, `digest:${bob}:${PERMS.READ}`].sort(),
      'auth: became the session identity',
    );
    // zkCli.sh without credentials is refused; the Java client logged in as bob reads, and cannot write.
    assert.match(await cli('get', '/secured'), /Insufficient permission|NoAuth/i);
    assert.deepEqual(await javaGet(server, '/secured', 'bob:bobs password'), Buffer.from('secret data'));
    const write = await zkBytes(server, ['--auth', 'bob:bobs password', 'set', '/secured', '00']);
    assert.match(write.stderr, /NOAUTH/);
    const wrong = await zkBytes(server, ['--auth', 'bob:wrong', 'get', '/secured']);
    assert.match(wrong.stderr, /NOAUTH/);

    // An ACL change by someone else between read and save: a conflict on the ACL version.
    assert.match(await cli('stat', '/secured'), /aclVersion = 1/);
    const other = await client({ auth: 'alice:secret' });
    await other.setACL('/secured', [...stored, { scheme: 'world', id: 'anyone', perms: PERMS.READ }], 1);
    const conflict = await doc.commit(admin, doc.prepare(text(`auth::cdrwa\n`), admin), doc.plan()!.version);
    assert.equal(conflict.kind, 'conflict');
    assert.match(contentText((conflict as Extract<WriteOutcome, { kind: 'conflict' }>).theirs.content), /world:anyone:r/);
    assert.match(await cli('getAcl', '/secured'), /'world,'anyone/);

    // Entries this server has no provider for are shown, and refused with the reason.
    const fresh = await open(admin, '/secured', 'acl');
    await rejectsWith(
      fresh.doc.commit(admin, fresh.doc.prepare(text(`${contentText(fresh.snap.content)}sasl:zk@EXAMPLE.COM:r\n`), admin), fresh.doc.plan()!.version),
      'INVALIDACL',
      /refused the ACL of \/secured \(nothing was changed\): sasl:zk@EXAMPLE\.COM:r: the sasl scheme needs its authentication provider/,
    );
    assert.doesNotMatch(await cli('getAcl', '/secured'), /sasl/);

    // Lock-out: an ACL without alice would leave this session unable to read or change it back.
    assert.deepEqual(lockOutCheck(parseAclDocument(`digest:${bob}:r\n`), who)?.missing, ['read', 'admin']);
    assert.deepEqual(lockOutCheck(parseAclDocument(`digest:${bob}:r\nworld:anyone:r\n`), who)?.missing, ['admin']);
    const anonymous = sessionIdentities(await (await client()).whoAmI(), undefined);
    assert.deepEqual(lockOutCheck(parseAclDocument(`digest:${bob}:cdrwa\n`), anonymous)?.missing, ['read', 'admin']);
    assert.match(lockOutCheck(parseAclDocument('ip:10.1.2.3:cdrwa\n'), anonymous)!.message, /ip:127\.0\.0\.1/);
  });
});
