// The save conversation in plain Node: a fake ZooKeeper and a fake user (the SaveDecisions port).
import * as assert from 'node:assert/strict';
import { digestId, PERMS, OPEN_ACL_UNSAFE } from '../../src/zk/acl';
import { NodeDocument } from '../../src/zk/nodeDocument';
import { saveDocument, type ConflictQuestion, type DeletedQuestion, type SaveDecisions } from '../../src/zk/saveSession';
import { FakeDocumentClient } from './fakeDocumentClient';
import { marking, untranslated } from './markingTranslate';
import { msg } from '../../src/zk/message';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const str = (b: Uint8Array) => Buffer.from(b).toString('utf8');

class FakeUser implements SaveDecisions {
  readonly asked: string[] = [];
  readonly conflicts: ConflictQuestion[] = [];
  readonly deletions: DeletedQuestion[] = [];
  conflictAnswers: ('overwrite' | 'cancel')[] = [];
  deletedAnswer: 'recreate' | 'cancel' = 'cancel';
  lockOutAnswer = false;
  /** Runs while the conflict question is open (another writer acting meanwhile). */
  duringConflict: () => void = () => undefined;
  async conflict(q: ConflictQuestion) {
    this.asked.push('conflict');
    this.conflicts.push(q);
    this.duringConflict();
    return this.conflictAnswers.shift() ?? 'cancel';
  }
  async deleted(q: DeletedQuestion) {
    this.asked.push('deleted');
    this.deletions.push(q);
    return this.deletedAnswer;
  }
  async lockOut() {
    this.asked.push('lockOut');
    return this.lockOutAnswer;
  }
}

async function open(c: FakeDocumentClient, path: string, view: 'text' | 'acl' = 'text') {
  const doc = new NodeDocument('local', path, view);
  doc.adopt(await doc.read(c));
  return doc;
}
const setDatas = (c: FakeDocumentClient) => c.calls.filter((x) => x.startsWith('setData'));

describe('saveDocument: the save conversation', () => {
  it('refuses data for /zookeeper/config before sending (a reconfiguration changes it, not a write), but not its ACL', async () => {
    const c = new FakeDocumentClient();
    c.put('/zookeeper/config', 'server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\nversion=100000000');
    const doc = await open(c, '/zookeeper/config');
    await assert.rejects(saveDocument(doc, c, bytes('server.9=bogus\nversion=1'), new FakeUser(), { interactive: true }), (e: unknown) => e instanceof Error && /Add Member…, Remove Member… or Change Role…/.test(e.message));
    assert.deepEqual(setDatas(c), []);
    const acl = await open(c, '/zookeeper/config', 'acl');
    const r = await saveDocument(acl, c, bytes('world:anyone:cdrwa\n'), new FakeUser(), { interactive: true });
    assert.equal(r.kind, 'saved', 'an ACL save is not refused by the guard');
  });

  it('saves against the base without asking anything', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'v0');
    const doc = await open(c, '/a');
    const user = new FakeUser();
    const r = await saveDocument(doc, c, bytes('v1'), user, { interactive: true });
    assert.equal(r.kind, 'saved');
    assert.deepEqual(user.asked, []);
    assert.deepEqual(setDatas(c), ['setData /a v0']);
  });

  it('conflict + Cancel: nothing written, a calm notSaved (not an error)', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'base');
    const doc = await open(c, '/a');
    c.change('/a', 'theirs, of another length');
    const user = new FakeUser();
    const r = await saveDocument(doc, c, bytes('mine'), user, { interactive: true });
    assert.deepEqual(r, { kind: 'notSaved', reason: 'cancelled', message: "Not saved: you kept the server's version of /a; your changes are still in the editor." });
    assert.equal(user.conflicts[0].expectedVersion, 0);
    assert.equal(str(user.conflicts[0].theirs.content), 'theirs, of another length');
    assert.equal(str(c.nodes.get('/a')!.data), 'theirs, of another length');
  });

  it('conflict + Overwrite goes against the version shown; a third change in between is asked again', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'base');
    const doc = await open(c, '/a');
    c.change('/a', 'theirs 1');
    const user = new FakeUser();
    user.conflictAnswers = ['overwrite', 'overwrite'];
    let once = true;
    user.duringConflict = () => {
      if (once) c.change('/a', 'theirs 2');
      once = false;
    };
    const r = await saveDocument(doc, c, bytes('mine'), user, { interactive: true });
    assert.equal(r.kind, 'saved');
    assert.deepEqual(user.asked, ['conflict', 'conflict']);
    assert.deepEqual(
      user.conflicts.map((q) => q.theirs.version),
      [1, 2],
    );
    assert.deepEqual(setDatas(c), ['setData /a v0', 'setData /a v1', 'setData /a v2']);
    assert.equal(str(c.nodes.get('/a')!.data), 'mine');
    assert.ok(!c.calls.some((x) => x.endsWith('v-1')), 'never version -1');
  });

  it('a save the user did not start never asks and never writes over a newer version', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'base');
    const doc = await open(c, '/a');
    c.change('/a', 'theirs');
    const user = new FakeUser();
    const r = await saveDocument(doc, c, bytes('mine'), user, { interactive: false });
    assert.equal(r.kind, 'notSaved');
    assert.equal(r.kind === 'notSaved' && r.reason, 'conflict');
    assert.match(r.kind === 'notSaved' ? r.message : '', /based on version 0, the server has version 1 now\)\. Nothing was written\. Save with Ctrl\+S/);
    assert.deepEqual(user.asked, []);
  });

  it("says why nothing was saved in the user's language (paths, connections and versions as they are)", async () => {
    const messages: string[] = [];
    const notSaved = (r: Awaited<ReturnType<typeof saveDocument>>) => {
      assert.equal(r.kind, 'notSaved');
      if (r.kind === 'notSaved') messages.push(r.message);
    };
    const c = new FakeDocumentClient();
    c.put('/a', 'base');
    const doc = await open(c, '/a');
    c.change('/a', 'theirs');
    notSaved(await saveDocument(doc, c, bytes('mine'), new FakeUser(), { interactive: false, t: marking }));
    notSaved(await saveDocument(doc, c, bytes('mine'), new FakeUser(), { interactive: true, t: marking }));
    c.put('/acl', 'x');
    const aclDoc = await open(c, '/acl', 'acl');
    c.put('/gone', 'x');
    const gone = await open(c, '/gone');
    c.remove('/gone');
    notSaved(await saveDocument(gone, c, bytes('mine'), new FakeUser(), { interactive: false, t: marking }));
    notSaved(await saveDocument(gone, c, bytes('mine'), new FakeUser(), { interactive: true, t: marking }));
    c.remove('/acl');
    notSaved(await saveDocument(aclDoc, c, bytes('world:anyone:cdrwa\n'), new FakeUser(), { interactive: true, t: marking }));
    assert.equal(messages.length, 5);
    for (const m of messages) {
      assert.match(m, /^«Not saved: /, m);
      assert.equal(untranslated(m), '', m);
    }
    assert.equal(messages[0], '«Not saved: «/a on "local"» was changed by someone else (««your edit is based on version 0», the server has version 1 now»). Nothing was written. Save with Ctrl+S (Cmd+S) to compare the two and choose.»');
  });

  it('deleted: asks with the ACL a recreation sets; Cancel keeps it deleted, Recreate creates it persistent', async () => {
    const c = new FakeDocumentClient();
    const acl = [{ scheme: 'digest', id: digestId('alice', 'pw'), perms: PERMS.ALL }];
    c.put('/cfg', 'v0', acl);
    const doc = await open(c, '/cfg');
    c.remove('/cfg');
    const user = new FakeUser();
    const no = await saveDocument(doc, c, bytes('mine'), user, { interactive: true });
    assert.equal(no.kind === 'notSaved' && no.reason, 'recreateDeclined');
    assert.equal(c.nodes.has('/cfg'), false);
    assert.deepEqual(user.deletions[0].acl, acl);
    assert.equal(user.deletions[0].wasEphemeral, false);
    user.deletedAnswer = 'recreate';
    const yes = await saveDocument(doc, c, bytes('mine'), user, { interactive: true });
    assert.equal(yes.kind, 'saved');
    assert.equal(str(c.nodes.get('/cfg')!.data), 'mine');
    assert.deepEqual(c.nodes.get('/cfg')!.acl, acl);
  });

  it('deleted and recreated by someone else meanwhile: a conflict with their node', async () => {
    const c = new FakeDocumentClient();
    c.put('/cfg', 'v0');
    const doc = await open(c, '/cfg');
    c.remove('/cfg');
    const user = new FakeUser();
    user.deletedAnswer = 'recreate';
    const realDeleted = user.deleted.bind(user);
    user.deleted = async (q) => {
      c.put('/cfg', 'someone else');
      return realDeleted(q);
    };
    const r = await saveDocument(doc, c, bytes('mine'), user, { interactive: true });
    assert.equal(r.kind === 'notSaved' && r.reason, 'cancelled');
    assert.deepEqual(user.asked, ['deleted', 'conflict']);
    assert.equal(user.conflicts[0].expectedVersion, -1);
    assert.equal(str(c.nodes.get('/cfg')!.data), 'someone else');
  });

  it('an ACL that locks the session out is asked about; No writes nothing', async () => {
    const c = new FakeDocumentClient();
    c.put('/a', 'data');
    const doc = await open(c, '/a', 'acl');
    const user = new FakeUser();
    const report = { missing: ['admin' as const], message: 'You would lose ADMIN.', localized: msg('You would lose ADMIN.') };
    const r = await saveDocument(doc, c, bytes('world:anyone:r\n'), user, { interactive: true, checkLockOut: async () => report });
    assert.deepEqual(r, { kind: 'notSaved', reason: 'lockOutDeclined', message: 'Not saved: You would lose ADMIN. You chose not to save this ACL.' });
    assert.deepEqual(c.nodes.get('/a')!.acl, [...OPEN_ACL_UNSAFE]);
    user.lockOutAnswer = true;
    assert.equal((await saveDocument(doc, c, bytes('world:anyone:r\n'), user, { interactive: true, checkLockOut: async () => report })).kind, 'saved');
    assert.deepEqual(user.asked, ['lockOut', 'lockOut']);
  });

  it('refuses what cannot be sent before asking or sending anything', async () => {
    const c = new FakeDocumentClient();
    c.put('/big', '');
    const doc = await open(c, '/big');
    const user = new FakeUser();
    await assert.rejects(saveDocument(doc, c, new Uint8Array(1_048_552).fill(0x61), user, { interactive: true }), (e: Error & { code?: string }) => e.code === 'DATA_TOO_LARGE' && /Nothing was sent/.test(e.message));
    assert.deepEqual(user.asked, []);
    assert.deepEqual(setDatas(c), []);
  });

  it('without a document session: refuses to replace or create unless allowed', async () => {
    const c = new FakeDocumentClient();
    c.put('/there', 'x');
    const user = new FakeUser();
    await assert.rejects(saveDocument(new NodeDocument('local', '/there', 'text', () => 0), c, bytes('y'), user, { interactive: true }), /already exists/);
    await assert.rejects(saveDocument(new NodeDocument('local', '/new', 'text', () => 0), c, bytes('y'), user, { interactive: true }), /does not exist/);
    assert.equal((await saveDocument(new NodeDocument('local', '/new', 'text', () => 0), c, bytes('y'), user, { interactive: true, create: true })).kind, 'saved');
    assert.equal(str(c.nodes.get('/new')!.data), 'y');
  });
});
