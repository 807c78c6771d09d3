import * as assert from 'node:assert/strict';
import { digestId, PERMS } from '../../src/zk/acl';
import { ACK_WINDOW_MS, NodeDocument, maxDataBytes, type WriteOutcome } from '../../src/zk/nodeDocument';
import { FakeDocumentClient } from './fakeDocumentClient';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const str = (b: Uint8Array) => Buffer.from(b).toString('utf8');

/** Opens a document the way the editor does: stat, read, and the first read becomes the base. */
async function open(client: FakeDocumentClient, path: string, view: 'text' | 'base64' | 'hex' | 'acl' = 'text', now?: () => number) {
  const doc = new NodeDocument('local', path, view, now);
  await doc.stat(client);
  const snap = await doc.read(client);
  doc.adopt(snap);
  return { doc, snap };
}

describe('NodeDocument: reading', () => {
  it('reports the znode mtime and data length, and mtimes only move forward', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', '{"x":1}');
    const { doc, snap } = await open(c, '/a');
    assert.equal(snap.size, 7);
    assert.equal(snap.mtime, c.stat('/a').mtime.getTime());
    assert.equal(str(snap.content), '{"x":1}');
    // Two changes in the same millisecond (or a server clock going back) still advance the mtime.
    c.change('/a', '{"x":2}', 0);
    const s1 = await doc.stat(c);
    assert.ok(s1!.mtime > snap.mtime);
    c.change('/a', '{"x":3}', -5000);
    const s2 = await doc.stat(c);
    assert.ok(s2!.mtime > s1!.mtime);
    assert.equal((await doc.stat(c))!.mtime, s2!.mtime, 'the same state reports the same mtime');
    c.remove('/a');
    assert.equal(await doc.stat(c), undefined);
  });

  it('shows data that is not text as a read-only dump, never as text', async () => {
    const c = new FakeDocumentClient();
    c.put('/bin', new Uint8Array([0x00, 0xff, 0x41]));
    const { doc, snap } = await open(c, '/bin');
    assert.match(snap.readOnlyReason!, /not text: the data is not valid UTF-8 \(first invalid byte 0xff at offset 1\)/);
    assert.match(str(snap.content), /00000000  00 ff 41 +\|\.\.A\|/);
    assert.equal((await doc.stat(c))!.readOnlyReason, snap.readOnlyReason);
    assert.throws(() => doc.prepare(bytes('edited'), c), /this view is read-only because it is not text/);
    // The stat of a new state says whether it is read-only before the editor reads it.
    c.change('/bin', 'now text');
    assert.equal((await doc.stat(c))!.readOnlyReason, undefined);
  });

  it('base64 and hex views save exactly the bytes entered, and refuse what does not parse', async () => {
    const c = new FakeDocumentClient();
    const raw = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x0a, 0xff]);
    c.put('/bin', raw);
    const b64 = (await open(c, '/bin', 'base64')).doc;
    assert.equal(str(b64.lastRead!.content), '3q2+7wAK/w==\n');
    const out = await b64.commit(c, b64.prepare(bytes('3q2+7w\nAK/w==\n'), c), b64.plan()!.version);
    assert.equal(out.kind, 'saved');
    assert.throws(() => b64.prepare(bytes('3q2+7wAK/w='), c), /not saved: Invalid base64.*Nothing was written/);
    const hex = (await open(c, '/bin', 'hex')).doc;
    assert.equal(str(hex.lastRead!.content), 'de ad be ef 00 0a ff\n');
    const next = new Uint8Array([1, 2, 3, 0xfe]);
    const saved = await hex.commit(c, hex.prepare(bytes('01 02 03 FE\n'), c), hex.plan()!.version);
    assert.equal(saved.kind, 'saved');
    assert.deepEqual(c.nodes.get('/bin')!.data, next);
  });

  it('refuses editor bytes that are not UTF-8 in the text view', async () => {
    const c = new FakeDocumentClient();
    c.put('/t', 'text');
    const { doc } = await open(c, '/t');
    assert.throws(() => doc.prepare(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), c), /not valid UTF-8.*files\.encoding/);
  });

  it('refuses data over the request limit before sending, with the limit and the size', async () => {
    const c = new FakeDocumentClient();
    c.put('/big', '');
    const { doc } = await open(c, '/big');
    const max = maxDataBytes(c, '/big');
    assert.equal(max, 0xfffff - 20 - 4);
    assert.equal(doc.prepare(new Uint8Array(max), c).kind, 'data');
    const tooBig = new Uint8Array(max + 1).fill(0x61);
    assert.throws(
      () => doc.prepare(tooBig, c),
      (e: Error & { code?: string }) =>
        e.code === 'DATA_TOO_LARGE' &&
        /1,048,552 bytes/.test(e.message) &&
        /at most 1,048,551 bytes/.test(e.message) &&
        /jute\.maxbuffer, is 1,048,575 bytes/.test(e.message) &&
        /at least 1 bytes smaller/.test(e.message),
    );
    c.chroot = '/some/chroot';
    assert.equal(maxDataBytes(c, '/big'), max - '/some/chroot'.length);
  });
});

describe('NodeDocument: saving', () => {
  it('writes with the version that was read', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'v0');
    const { doc } = await open(c, '/a');
    assert.deepEqual(doc.plan(), { version: 0, why: 'base' });
    const out = await doc.commit(c, doc.prepare(bytes('v1'), c), 0);
    assert.equal(out.kind, 'saved');
    assert.deepEqual(doc.plan(), { version: 1, why: 'base' });
    assert.deepEqual(c.calls.filter((x) => x.startsWith('setData')), ['setData /a v0']);
  });

  it('a concurrent change is a conflict: nothing is written, and theirs is reported', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'base');
    const { doc } = await open(c, '/a');
    c.change('/a', 'theirs'); // same size as what the user saves: the editor cannot notice by itself
    const out = (await doc.commit(c, doc.prepare(bytes('mine!!'), c), doc.plan()!.version)) as Extract<WriteOutcome, { kind: 'conflict' }>;
    assert.equal(out.kind, 'conflict');
    assert.equal(out.expectedVersion, 0);
    assert.equal(out.theirs.version, 1);
    assert.equal(str(out.theirs.content), 'theirs');
    assert.equal(str(c.nodes.get('/a')!.data), 'theirs', 'nothing was overwritten');
    // The user chose Overwrite: the write goes against the version they were shown, never -1.
    const again = await doc.commit(c, doc.prepare(bytes('mine!!'), c), out.theirs.version);
    assert.equal(again.kind, 'saved');
    assert.equal(str(c.nodes.get('/a')!.data), 'mine!!');
    assert.ok(!c.calls.some((x) => x.endsWith('v-1')), 'never version -1');
  });

  it('an overwrite against a state that changed again is a new conflict', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'base');
    const { doc } = await open(c, '/a');
    c.change('/a', 'theirs 1');
    const first = await doc.commit(c, doc.prepare(bytes('mine'), c), 0);
    assert.equal(first.kind, 'conflict');
    c.change('/a', 'theirs 2');
    const second = await doc.commit(c, doc.prepare(bytes('mine'), c), (first as { theirs: { version: number } }).theirs.version);
    assert.equal(second.kind, 'conflict');
    assert.equal(str(c.nodes.get('/a')!.data), 'theirs 2');
  });

  it("reading the server's state for a conflict does not count as the editor having seen it", async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'base');
    const { doc } = await open(c, '/a');
    c.change('/a', 'a much longer value');
    const out = await doc.commit(c, doc.prepare(bytes('mine'), c), doc.plan()!.version);
    assert.equal(out.kind, 'conflict');
    await doc.read(c);
    assert.deepEqual(doc.plan(), { version: 0, why: 'base' }, 'the next save is a conflict again, not an overwrite');
  });

  it('a read for another purpose does not move the base; a clean editor showing it does', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'one');
    const { doc } = await open(c, '/a');
    c.change('/a', 'two');
    await doc.read(c); // e.g. the editor's comparison of a dirty document
    assert.equal(doc.plan()!.version, 0);
    assert.equal(doc.adoptIfShowing('one, edited'), false);
    assert.equal(doc.plan()!.version, 0);
    assert.equal(doc.adoptIfShowing('two'), true); // reverted or reloaded: the editor shows "two"
    assert.equal(doc.plan()!.version, 1);
  });

  it('while the editor has unsaved changes, stat reports the state it last saw; the write still goes against the base', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'short');
    const doc = new NodeDocument('local', '/a', 'text');
    const seen = (await doc.stat(c))!;
    doc.adopt(await doc.read(c));
    c.change('/a', 'a longer value');
    const dirty = (await doc.stat(c, true))!;
    assert.deepEqual([dirty.mtime, dirty.size], [seen.mtime, seen.size], 'no later mtime and other size: the editor does not decide the conflict');
    assert.equal(dirty.version, 1, 'the real state is still known');
    assert.deepEqual(doc.plan(), { version: 0, why: 'base' }, 'a stat never turns a write into an overwrite');
    const clean = (await doc.stat(c, false))!;
    assert.ok(clean.mtime > seen.mtime);
    assert.equal(clean.size, 14);
  });

  it('a node deleted meanwhile is reported, and can be recreated with its ACL', async () => {
    const c = new FakeDocumentClient();
    const acl = [{ scheme: 'digest', id: digestId('alice', 'pw'), perms: PERMS.ALL }];
    c.put('/app', '');
    c.put('/app/cfg', 'v0', acl);
    const { doc } = await open(c, '/app/cfg');
    c.remove('/app/cfg');
    const prepared = doc.prepare(bytes('mine'), c);
    assert.deepEqual(await doc.commit(c, prepared, doc.plan()!.version), { kind: 'deleted' });
    assert.equal(doc.originInfo?.ephemeral, false);
    const out = await doc.recreate(c, prepared);
    assert.equal(out.kind, 'saved');
    assert.equal(str(c.nodes.get('/app/cfg')!.data), 'mine');
    assert.deepEqual(c.nodes.get('/app/cfg')!.acl, acl);
    assert.deepEqual(doc.plan(), { version: 0, why: 'base' });
    // Created again by someone else in between: that is a conflict with their node.
    c.remove('/app/cfg');
    c.put('/app/cfg', 'someone else');
    const clash = await doc.recreate(c, prepared);
    assert.equal(clash.kind, 'conflict');
    // The parent went too: say so.
    c.remove('/app/cfg');
    c.remove('/app');
    await assert.rejects(doc.recreate(c, prepared), /parent no longer exists/);
  });

  it('without a document session, a write goes against the state stat reported just before', async () => {
    let now = 0;
    const c = new FakeDocumentClient();
    c.put('/a', 'x');
    const doc = new NodeDocument('local', '/a', 'text', () => now);
    assert.equal(doc.plan(), undefined);
    await doc.stat(c);
    assert.deepEqual(doc.plan(), { version: 0, why: 'observed' });
    now += ACK_WINDOW_MS + 1;
    assert.equal(doc.plan(), undefined);
  });
});

describe('NodeDocument: ACL view', () => {
  it('edits the ACL with its aversion, and handles conflicts the same way', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'data');
    const { doc, snap } = await open(c, '/a', 'acl');
    assert.match(str(snap.content), /\nworld:anyone:cdrwa\n$/);
    assert.equal(snap.version, 0);
    const edited = str(snap.content).replace('world:anyone:cdrwa', `world:anyone:r\ndigest:${digestId('alice', 'pw')}:cdrwa`);
    const out = await doc.commit(c, doc.prepare(bytes(edited), c), doc.plan()!.version);
    assert.equal(out.kind, 'saved');
    assert.deepEqual(c.calls.filter((x) => x.startsWith('setACL')), ['setACL /a a0']);
    assert.equal(c.nodes.get('/a')!.acl.length, 2);
    // Data changes do not touch the ACL's version: no conflict.
    c.change('/a', 'other data');
    assert.equal(doc.plan()!.version, 1);
    // Someone else changes the ACL: conflict, nothing written.
    await c.setACL('/a', [{ scheme: 'world', id: 'anyone', perms: PERMS.READ | PERMS.ADMIN }], 1);
    const conflict = await doc.commit(c, doc.prepare(bytes('world:anyone:cdrwa\n'), c), doc.plan()!.version);
    assert.equal(conflict.kind, 'conflict');
    assert.match(str((conflict as { theirs: { content: Uint8Array } }).theirs.content), /world:anyone:ra\n$/);
    assert.throws(() => doc.prepare(bytes('world:anyone:q\n'), c), /ACL line 1: Unknown permission flag "q"/);
  });

  it('reports ACL changes to the editor through mtime and size', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'data');
    const { doc, snap } = await open(c, '/a', 'acl');
    await c.setACL('/a', [{ scheme: 'world', id: 'anyone', perms: PERMS.READ }], 0);
    const after = await doc.stat(c);
    assert.ok(after!.mtime > snap.mtime);
    assert.notEqual(after!.size, snap.size);
    doc.invalidate();
    assert.ok((await doc.stat(c))!.mtime > after!.mtime, 'invalidate() makes the editor reload the same state');
  });
});
