// The save decisions on the fake vscode module: what the user is asked when a save cannot simply
// go through, and what each answer means. A conflict opens the comparison (the server's version on
// the left, with its version in the title) and says what each side is based on; only Overwrite
// overwrites (closing the comparison), anything else cancels. A deleted node is recreated only on
// Recreate, saying an ephemeral comes back persistent and with which ACL. A lock-out is saved only
// on Save Anyway.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { commands, l10n, Uri, window } from '../fakes/vscode';
import { marking, untranslated } from '../zk/markingTranslate';
import { stat } from '../fakes/fakeRegistry';
import { SnapshotStore, createSavePrompts } from '../../src/editors/prompts';
import { NodeDocument, type Snapshot } from '../../src/zk/nodeDocument';
import { PERMS } from '../../src/zk/acl';
import { msg } from '../../src/zk/message';

type Shown = { message: string; options: unknown; items: string[] };

describe('save decisions', () => {
  const win = window as unknown as { showWarningMessage: unknown };
  const cmds = commands as unknown as { executeCommand: (id: string, ...args: unknown[]) => Promise<unknown> };
  const original = { warn: win.showWarningMessage, exec: cmds.executeCommand };
  let shown: Shown[];
  let answer: string | undefined;
  let executed: { id: string; args: unknown[] }[];
  const uri = Uri.from({ scheme: 'zk', authority: 'prod', path: '/app/config.json' });
  const doc = new NodeDocument('prod', '/app/config.json', 'text');
  const theirs: Snapshot = { key: 'k', version: 7, stat: stat({ version: 7 }), data: new Uint8Array(), content: Buffer.from('{"theirs":1}'), mtime: 0, size: 12 };

  beforeEach(() => {
    shown = [];
    executed = [];
    answer = undefined;
    win.showWarningMessage = async (message: string, ...rest: unknown[]) => {
      const options = typeof rest[0] === 'object' ? rest.shift() : undefined;
      shown.push({ message, options, items: rest as string[] });
      return answer;
    };
    cmds.executeCommand = async (id: string, ...args: unknown[]) => void executed.push({ id, args });
  });
  afterEach(() => {
    win.showWarningMessage = original.warn;
    cmds.executeCommand = original.exec;
  });

  it('a conflict shows both versions; only Overwrite overwrites', async () => {
    const snapshots = new SnapshotStore();
    const conflictShown: string[] = [];
    const prompts = createSavePrompts(snapshots, (u) => conflictShown.push(u.toString()))(uri as never);

    answer = 'Overwrite';
    assert.equal(await prompts.conflict({ doc, expectedVersion: 5, theirs }), 'overwrite');
    const diff = executed.find((e) => e.id === 'vscode.diff');
    assert.ok(diff, 'the comparison is opened');
    const [left, right, title] = diff.args as [Uri, Uri, string];
    assert.equal(right, uri, "the user's document on the right, still editable");
    assert.equal(left.scheme, 'zk-server');
    assert.equal(snapshots.provideTextDocumentContent(left as never), '{"theirs":1}', "the server's version on the left");
    assert.equal(title, 'config.json: server, version 7 ↔ yours');
    assert.match(shown[0].message, /your edit is based on version 5, the server has version 7/);
    assert.match(shown[0].message, /Nothing has been saved/);
    assert.deepEqual(shown[0].items, ['Overwrite', 'Cancel']);
    assert.deepEqual(conflictShown, [uri.toString()], 'the quieter server-change notice steps aside');

    answer = 'Cancel';
    assert.equal(await prompts.conflict({ doc, expectedVersion: 5, theirs }), 'cancel');
    answer = undefined; // dismissed
    assert.equal(await prompts.conflict({ doc, expectedVersion: -1, theirs }), 'cancel');
    assert.match(shown[2].message, /you expected it not to exist/);
  });

  it('a deleted node is recreated only on Recreate, with what it comes back as', async () => {
    const prompts = createSavePrompts(new SnapshotStore())(uri as never);
    const acl = [{ perms: PERMS.ALL, scheme: 'world', id: 'anyone' }];
    answer = 'Recreate';
    assert.equal(await prompts.deleted({ doc, acl, wasEphemeral: true }), 'recreate');
    const q = shown[0];
    assert.match(q.message, /was deleted on "prod" while you were editing it/);
    assert.deepEqual(q.options, { modal: true, detail: 'It was an ephemeral node of another session; it will be recreated as a persistent node.\nIts ACL will be: world:anyone:cdrwa.' });
    answer = undefined;
    assert.equal(await prompts.deleted({ doc, acl, wasEphemeral: false }), 'cancel');
    assert.equal((shown[1].options as { detail: string }).detail, 'Its ACL will be: world:anyone:cdrwa.');
  });

  it('an ACL that locks the session out is saved only on Save Anyway', async () => {
    const prompts = createSavePrompts(new SnapshotStore())(uri as never);
    const report = { missing: ['admin' as const], message: 'Nobody you log in as keeps ADMIN.', localized: msg('Nobody you log in as keeps ADMIN.') };
    answer = 'Save Anyway';
    assert.equal(await prompts.lockOut({ doc, report }), true);
    assert.match((shown[0].options as { detail: string }).detail, /^Nobody you log in as keeps ADMIN\.\n/);
    assert.equal((shown[0].options as { modal: boolean }).modal, true);
    answer = undefined;
    assert.equal(await prompts.lockOut({ doc, report }), false);
  });

  it("words the conflict, the comparison and the recreate question in the user's language, and Overwrite works in it", async () => {
    const fake = l10n as unknown as { t: typeof l10n.t };
    const originalT = fake.t;
    fake.t = marking as unknown as typeof l10n.t;
    try {
      const snapshots = new SnapshotStore();
      const prompts = createSavePrompts(snapshots)(uri as never);
      const aclDoc = new NodeDocument('prod', '/app/config.json', 'acl');
      answer = '«Overwrite»';
      assert.equal(await prompts.conflict({ doc, expectedVersion: 5, theirs }), 'overwrite', 'the translated button overwrites');
      assert.equal(await prompts.conflict({ doc: aclDoc, expectedVersion: -1, theirs }), 'overwrite');
      for (const m of shown) assert.equal(untranslated(m.message), '', m.message);
      const titles = executed.filter((e) => e.id === 'vscode.diff').map((e) => e.args[2] as string);
      assert.deepEqual(titles, ['«config.json: server, «version 7» ↔ «yours»»', '««config.json (ACL)»: server, «ACL version 7» ↔ «yours»»']);
      const gone = Uri.from({ scheme: 'zk-server', authority: 'prod', path: '/x', query: 'id=999' });
      assert.equal(untranslated(snapshots.provideTextDocumentContent(gone as never).trim()), '');
      answer = undefined;
      await prompts.deleted({ doc, acl: [{ perms: PERMS.READ, scheme: 'world', id: 'anyone' }], wasEphemeral: true });
      const detail = (shown[shown.length - 1].options as { detail: string }).detail;
      for (const line of detail.split('\n')) assert.equal(untranslated(line), '', line);
      await prompts.lockOut({ doc, report: { missing: ['admin'], message: 'You would lose ADMIN.', localized: msg('You would lose ADMIN.') } });
      const lockOut = (shown[shown.length - 1].options as { detail: string }).detail;
      assert.match(lockOut, /^««You would lose ADMIN\.»\n/, 'the lock-out report in the user language');
      assert.equal(untranslated(lockOut), '', lockOut);
    } finally {
      fake.t = originalT;
    }
  });
});
