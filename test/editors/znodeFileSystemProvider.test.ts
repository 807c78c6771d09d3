// Unit tests of the zk: FileSystemProvider against a fake `vscode` and an in-memory ZooKeeper.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Watcher } from '../../src/zk/client';
import { Disposable, FileChangeType, FilePermission, FileSystemError, TextDocumentSaveReason, Uri, l10n, window, workspace, type FakeTextDocument } from '../fakes/vscode';
import { marking, untranslated } from '../zk/markingTranslate';
import { ZnodeFileSystemProvider, type SavePrompts } from '../../src/editors/znodeFileSystemProvider';
import type { ConflictQuestion } from '../../src/zk/saveSession';
import { editorUri } from '../../src/ui/znodeUris';
import { FakeDocumentClient } from '../zk/fakeDocumentClient';
import { waitUntil } from '../helpers';

class WatchableClient extends FakeDocumentClient {
  readonly watchers = new Map<string, Watcher[]>();
  override async exists(path: string, watcher?: Watcher) {
    if (watcher) this.watchers.set(path, [...(this.watchers.get(path) ?? []), watcher]);
    return super.exists(path);
  }
  async getChildren(_path: string) {
    return { children: ['b', 'a'] };
  }
  fire(path: string): void {
    const ws = this.watchers.get(path) ?? [];
    this.watchers.delete(path);
    for (const w of ws) w({ type: 'dataChanged', path });
  }
}

class FakeConnection extends EventEmitter {
  state = 'connected';
  readOnly = false;
  constructor(readonly client: WatchableClient) {
    super();
  }
  getStatus() {
    return { state: this.state };
  }
}

function setup(opts: { readOnly?: boolean; name?: string } = {}) {
  const name = opts.name ?? 'Local';
  const client = new WatchableClient();
  const connection = new FakeConnection(client);
  connection.readOnly = opts.readOnly ?? false;
  const registry = {
    configs: () => [{ name }],
    get: (n: string) => (n === name ? connection : undefined),
    open: async (n: string) => (n === name ? connection : undefined),
    pool: { config: () => ({ name }) },
  };
  const asked: string[] = [];
  const answers: { conflict: 'overwrite' | 'cancel'; deleted: 'recreate' | 'cancel'; lockOut: boolean } = { conflict: 'cancel', deleted: 'cancel', lockOut: false };
  const conflicts: ConflictQuestion[] = [];
  const prompts: SavePrompts = () => ({
    conflict: async (info) => {
      asked.push('conflict');
      conflicts.push(info);
      return answers.conflict;
    },
    deleted: async () => {
      asked.push('deleted');
      return answers.deleted;
    },
    lockOut: async () => {
      asked.push('lockOut');
      return answers.lockOut;
    },
  });
  const dirtyChanges: string[] = [];
  const provider = new ZnodeFileSystemProvider(
    registry as never,
    prompts,
    async () => undefined,
    { changedWhileDirty: (uri) => dirtyChanges.push(uri.toString()), readOnlyChanged: () => undefined },
  );
  const fired: { type: number; uri: string }[] = [];
  provider.onDidChangeFile((events) => fired.push(...events.map((e) => ({ type: e.type, uri: e.uri.toString() }))));
  return { name, client, connection, provider, asked, answers, conflicts, dirtyChanges, fired };
}

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

/** An open editor for the URI (what workspace.textDocuments shows). */
function openEditor(uri: Uri, content: string): FakeTextDocument {
  const doc = { uri, isDirty: false, text: content, getText() {
    return this.text;
  } };
  workspace.textDocuments.push(doc);
  return doc;
}

describe('ZnodeFileSystemProvider', () => {
  afterEach(() => {
    workspace.textDocuments.length = 0;
  });

  it('stat reports the znode mtime and data length; read-only connections say why', async () => {
    const { client, provider, name } = setup();
    client.put('/cfg', '{"a":1}');
    const uri = editorUri(name, '/cfg') as unknown as Uri;
    const st = await provider.stat(uri as never);
    assert.equal(st.mtime, client.stat('/cfg').mtime.getTime());
    assert.equal(st.size, 7);
    assert.equal(st.permissions, undefined);
    await assert.rejects(provider.stat(editorUri(name, '/missing') as never), (e: FileSystemError) => e.code === 'FileNotFound');
    const ro = setup({ readOnly: true });
    ro.client.put('/cfg', 'x');
    const roUri = editorUri(ro.name, '/cfg');
    assert.equal((await ro.provider.stat(roUri)).permissions, FilePermission.Readonly);
    assert.match(ro.provider.readOnlyReason(roUri)!, /connection "Local" is read-only/);
    await assert.rejects(ro.provider.writeFile(roUri, bytes('y'), { create: false, overwrite: true }), /Not saved: connection "Local" is read-only/);
  });

  it('finds the connection when VS Code lowercased the authority', async () => {
    const { client, provider } = setup({ name: 'Prod' });
    client.put('/a', 'x');
    const lower = Uri.from({ scheme: 'zk', authority: 'prod', path: '/a' });
    assert.equal((await provider.stat(lower as never)).size, 1);
  });

  it('a save writes with the version read; a concurrent change is refused and nothing is written', async () => {
    const { client, provider, name, asked } = setup();
    client.put('/cfg', 'one');
    const uri = editorUri(name, '/cfg');
    await provider.stat(uri);
    assert.equal(text(await provider.readFile(uri)), 'one');
    const editor = openEditor(uri as unknown as Uri, 'one');
    editor.isDirty = true;
    client.change('/cfg', 'two'); // same size: VS Code's own check cannot see it
    // Not a save the user started (auto save, another extension): refused with the reason.
    await assert.rejects(provider.writeFile(uri, bytes('mine'), { create: false, overwrite: true }), /changed by someone else \(your edit is based on version 0, the server has version 1 now\)\. Nothing was written/);
    assert.equal(text(client.nodes.get('/cfg')!.data), 'two');
    assert.deepEqual(asked, []);
  });

  it('a conflict in a save the user started shows the comparison; Cancel keeps the server version', async () => {
    const { client, provider, name, asked, conflicts } = setup();
    client.put('/cfg', 'one');
    const uri = editorUri(name, '/cfg');
    await provider.readFile(uri);
    openEditor(uri as unknown as Uri, 'one').isDirty = true;
    client.change('/cfg', 'two');
    provider.willSave(uri, TextDocumentSaveReason.Manual as never);
    await assert.rejects(provider.writeFile(uri, bytes('mine'), { create: false, overwrite: true }), /Not saved: you kept the server's version of \/cfg; your changes are still in the editor/);
    assert.deepEqual(asked, ['conflict']);
    assert.equal(conflicts[0].expectedVersion, 0);
    assert.equal(text(conflicts[0].theirs.content), 'two');
    assert.equal(text(client.nodes.get('/cfg')!.data), 'two');
    assert.ok(!client.calls.some((c) => c.endsWith('v-1')));
  });

  it('Overwrite writes against the version that was shown, never -1', async () => {
    const { client, provider, name, answers } = setup();
    client.put('/cfg', 'one');
    const uri = editorUri(name, '/cfg');
    await provider.readFile(uri);
    openEditor(uri as unknown as Uri, 'one').isDirty = true;
    client.change('/cfg', 'two');
    answers.conflict = 'overwrite';
    provider.willSave(uri, TextDocumentSaveReason.Manual as never);
    await provider.writeFile(uri, bytes('mine'), { create: false, overwrite: true });
    assert.equal(text(client.nodes.get('/cfg')!.data), 'mine');
    assert.deepEqual(client.calls.filter((c) => c.startsWith('setData')), ['setData /cfg v0', 'setData /cfg v1']);
  });

  it('while the editor has unsaved changes, stat reports what it last saw: every conflict, of any size, reaches our prompt', async () => {
    const { client, provider, name, asked } = setup();
    client.put('/cfg', 'short');
    const uri = editorUri(name, '/cfg');
    const seen = await provider.stat(uri);
    await provider.readFile(uri);
    const editor = openEditor(uri as unknown as Uri, 'short');
    editor.isDirty = true;
    client.change('/cfg', 'a much longer value');
    // VS Code refuses a save itself (its "file is newer" prompt, without Cancel) when stat shows a
    // later mtime and another size: it must see the state it loaded.
    const during = await provider.stat(uri);
    assert.deepEqual([during.mtime, during.size], [seen.mtime, seen.size]);
    provider.willSave(uri, TextDocumentSaveReason.Manual as never);
    await assert.rejects(provider.writeFile(uri, bytes('mine'), { create: true, overwrite: true }), /you kept the server's version/);
    assert.deepEqual(asked, ['conflict']);
    assert.equal(text(client.nodes.get('/cfg')!.data), 'a much longer value');
    // Clean again (reverted): the editor is told about the new state.
    editor.isDirty = false;
    const clean = await provider.stat(uri);
    assert.ok(clean.mtime > seen.mtime);
    assert.equal(clean.size, 19);
  });

  describe('saveFromEditor (Ctrl+S)', () => {
    const shown: string[] = [];
    const calm: string[] = [];
    const original = { error: window.showErrorMessage, status: window.setStatusBarMessage };
    beforeEach(() => {
      shown.length = 0;
      calm.length = 0;
      window.showErrorMessage = (async (m: string) => void shown.push(m)) as never;
      window.setStatusBarMessage = ((m: string) => (calm.push(m), new Disposable())) as never;
    });
    afterEach(() => {
      window.showErrorMessage = original.error;
      window.setStatusBarMessage = original.status;
    });

    const editorFor = (uri: Uri, content: string, saves: number[]) => {
      const doc = openEditor(uri, content) as FakeTextDocument & { save(): Promise<boolean>; text: string };
      doc.isDirty = true;
      doc.save = async () => (saves.push(1), true);
      return doc;
    };

    it('Cancel in the conflict prompt: nothing written, no error, the editor stays dirty, one calm line', async () => {
      const { client, provider, name, asked } = setup();
      client.put('/cfg', 'one');
      const uri = editorUri(name, '/cfg');
      await provider.stat(uri);
      await provider.readFile(uri);
      const saves: number[] = [];
      const doc = editorFor(uri as unknown as Uri, 'mine', saves);
      client.change('/cfg', 'two');
      assert.equal(await provider.saveFromEditor(doc as never), false);
      assert.deepEqual(asked, ['conflict']);
      assert.deepEqual(saves, [], "VS Code's save (which would fail with an error) is not started");
      assert.deepEqual(shown, []);
      assert.equal(calm.length, 1);
      assert.match(calm[0], /Not saved: you kept the server's version of \/cfg/);
      assert.equal(text(client.nodes.get('/cfg')!.data), 'two');
    });

    it("Overwrite writes once; VS Code's save that follows writes nothing more", async () => {
      const { client, provider, name, answers } = setup();
      client.put('/cfg', 'one');
      const uri = editorUri(name, '/cfg');
      await provider.stat(uri);
      await provider.readFile(uri);
      const saves: number[] = [];
      const doc = editorFor(uri as unknown as Uri, 'mine', saves);
      client.change('/cfg', 'two, longer');
      answers.conflict = 'overwrite';
      assert.equal(await provider.saveFromEditor(doc as never), true);
      assert.deepEqual(saves, [1]);
      // VS Code's save: stat (the editor is still dirty), then writeFile with the same bytes.
      await provider.stat(uri);
      await provider.writeFile(uri, bytes('mine'), { create: false, overwrite: true });
      assert.deepEqual(client.calls.filter((c) => c.startsWith('setData')), ['setData /cfg v0', 'setData /cfg v1']);
      assert.equal(text(client.nodes.get('/cfg')!.data), 'mine');
    });

    it('data over the request limit: the extension says so in its own message, nothing is sent', async () => {
      const { client, provider, name } = setup();
      client.put('/big', '');
      const uri = editorUri(name, '/big');
      await provider.readFile(uri);
      const saves: number[] = [];
      const doc = editorFor(uri as unknown as Uri, 'a'.repeat(1_048_552), saves);
      assert.equal(await provider.saveFromEditor(doc as never), false);
      assert.equal(shown.length, 1);
      assert.match(shown[0], /^\/big was not saved: the data is 1,048,552 bytes and ZooKeeper accepts at most 1,048,551 bytes.*Nothing was sent\.$/);
      assert.deepEqual(saves, []);
      assert.deepEqual(client.calls.filter((c) => c.startsWith('setData')), []);
    });
  });

  it('a read while the document has unsaved changes does not move the base', async () => {
    const { client, provider, name } = setup();
    client.put('/cfg', 'one');
    const uri = editorUri(name, '/cfg');
    await provider.readFile(uri);
    const editor = openEditor(uri as unknown as Uri, 'one, edited');
    editor.isDirty = true;
    client.change('/cfg', 'two');
    assert.equal(text(await provider.readFile(uri)), 'two'); // e.g. VS Code's Compare
    await assert.rejects(provider.writeFile(uri, bytes('one, edited'), { create: false, overwrite: true }), /based on version 0/);
    // The user reverts: the editor is clean and shows "two": that is the new base.
    editor.isDirty = false;
    (editor as unknown as { text: string }).text = 'two';
    provider.documentChanged(editor as never);
    await provider.writeFile(uri, bytes('three'), { create: false, overwrite: true });
    assert.equal(text(client.nodes.get('/cfg')!.data), 'three');
  });

  it('saving a node deleted meanwhile asks whether to recreate it', async () => {
    const { client, provider, name, asked, answers } = setup();
    client.put('/cfg', 'one');
    const uri = editorUri(name, '/cfg');
    await provider.readFile(uri);
    openEditor(uri as unknown as Uri, 'one').isDirty = true;
    client.remove('/cfg');
    // Outside a save, the node is gone (VS Code marks the editor deleted).
    await assert.rejects(provider.stat(uri), (e: FileSystemError) => e.code === 'FileNotFound');
    provider.willSave(uri, TextDocumentSaveReason.Manual as never);
    // During the user's save it still "exists", so VS Code calls writeFile (where we ask).
    assert.equal((await provider.stat(uri)).size, 3);
    await assert.rejects(provider.writeFile(uri, bytes('mine'), { create: true, overwrite: true }), /Not saved: \/cfg stays deleted on "Local"/);
    assert.equal(client.nodes.has('/cfg'), false);
    answers.deleted = 'recreate';
    provider.willSave(uri, TextDocumentSaveReason.Manual as never);
    await provider.writeFile(uri, bytes('mine'), { create: true, overwrite: true });
    assert.equal(text(client.nodes.get('/cfg')!.data), 'mine');
    assert.deepEqual(asked, ['deleted', 'deleted']);
  });

  it('refuses data over the limit with the sizes, and bad base64 with the position', async () => {
    const { client, provider, name } = setup();
    client.put('/big', '');
    const uri = editorUri(name, '/big');
    await provider.readFile(uri);
    await assert.rejects(provider.writeFile(uri, new Uint8Array(1_048_552).fill(0x61), { create: false, overwrite: true }), /1,048,552 bytes.*at most 1,048,551 bytes/);
    const b64 = editorUri(name, '/big', 'base64');
    await provider.readFile(b64);
    await assert.rejects(provider.writeFile(b64, bytes('AA*A'), { create: false, overwrite: true }), /Invalid base64: unexpected character "\*" at line 1, column 3/);
    assert.deepEqual(client.calls.filter((c) => c.startsWith('setData')), []);
  });

  it('watches open nodes: reports changes, and marks documents with unsaved changes', async () => {
    const { client, provider, name, fired, dirtyChanges } = setup();
    client.put('/cfg', 'one');
    const uri = editorUri(name, '/cfg');
    await provider.readFile(uri);
    const editor = openEditor(uri as unknown as Uri, 'one');
    const sub = provider.track(uri);
    await waitUntil(() => (client.watchers.get('/cfg')?.length ?? 0) === 1, 2000, 'watch set');
    client.change('/cfg', 'two');
    client.fire('/cfg');
    await waitUntil(() => fired.length === 1, 2000, 'change reported');
    assert.deepEqual(fired[0], { type: FileChangeType.Changed, uri: uri.toString() });
    assert.deepEqual(dirtyChanges, [], 'a clean document just reloads');
    editor.isDirty = true;
    await waitUntil(() => (client.watchers.get('/cfg')?.length ?? 0) === 1, 2000, 're-armed');
    client.change('/cfg', 'three');
    client.fire('/cfg');
    await waitUntil(() => fired.length === 2, 2000, 'second change');
    assert.deepEqual(dirtyChanges, [uri.toString()]);
    await waitUntil(() => (client.watchers.get('/cfg')?.length ?? 0) === 1, 2000, 're-armed again');
    client.remove('/cfg');
    client.fire('/cfg');
    await waitUntil(() => fired.length === 3, 2000, 'deletion');
    assert.equal(fired[2].type, FileChangeType.Deleted);
    sub.dispose();
    assert.equal(provider.watches.size, 0);
  });

  it('notices when VS Code decoded a text view with another encoding than UTF-8', async () => {
    const { client, provider, name } = setup();
    client.put('/u', 'café');
    const uri = editorUri(name, '/u') as unknown as Uri;
    await provider.readFile(uri as never);
    assert.equal(provider.decodingProblem({ uri, isDirty: false, getText: () => 'café' } as never), undefined);
    assert.match(provider.decodingProblem({ uri, isDirty: false, getText: () => 'cafÃ©' } as never)!, /decoded \/u on "Local" with another encoding than UTF-8/);
  });

  it('lists children and refuses delete and rename with a pointer to the tree', async () => {
    const { provider, name } = setup();
    const root = editorUri(name, '/');
    assert.deepEqual(await provider.readDirectory(root), [
      ['a', 1],
      ['b', 1],
    ]);
    assert.throws(() => provider.delete(root), /ZooKeeper Explorer/);
    assert.throws(() => provider.rename(root), /no rename/);
  });

  it("shows data that is not text as a dump whose banner and read-only reason are in the user's language", async () => {
    const fake = l10n as unknown as { t: typeof l10n.t };
    const originalT = fake.t;
    fake.t = marking as unknown as typeof l10n.t;
    try {
      const { provider, client, name } = setup();
      client.put('/bin', Uint8Array.of(0x00, 0xff));
      const uri = editorUri(name, '/bin') as unknown as Uri;
      const text = Buffer.from(await provider.readFile(uri as never)).toString('utf8');
      const banner = text.slice(0, text.indexOf('\n\n')).split('\n');
      assert.equal(banner.length, 3, text);
      for (const line of banner) assert.equal(untranslated(line.replace(/^# /, '')), '', line);
      const reason = provider.readOnlyReason(uri as never)!;
      assert.match(reason, /^«it is not text: «the data is «not valid UTF-8/, reason);
      assert.equal(untranslated(reason), '', reason);
    } finally {
      fake.t = originalT;
    }
  });

  it("says why it refuses, and what VS Code decoded wrongly, in the user's language", async () => {
    const fake = l10n as unknown as { t: typeof l10n.t };
    const originalT = fake.t;
    fake.t = marking as unknown as typeof l10n.t;
    try {
      const ro = setup({ readOnly: true });
      ro.client.put('/cfg', 'café');
      const uri = editorUri(ro.name, '/cfg') as unknown as Uri;
      await ro.provider.stat(uri as never);
      const texts: string[] = [ro.provider.readOnlyReason(uri as never)!];
      await ro.provider.writeFile(uri as never, bytes('y'), { create: false, overwrite: true }).catch((e: Error) => texts.push(e.message));
      const rw = setup();
      rw.client.put('/u', 'café');
      const rwUri = editorUri(rw.name, '/u') as unknown as Uri;
      await rw.provider.readFile(rwUri as never);
      texts.push(rw.provider.decodingProblem({ uri: rwUri, isDirty: false, getText: () => 'cafÃ©' } as never)!);
      for (const call of [() => ro.provider.delete(uri as never), () => ro.provider.rename(uri as never)]) {
        try {
          call();
        } catch (e) {
          texts.push((e as Error).message);
        }
      }
      await ro.provider.connectionFor('Elsewhere').catch((e: Error) => texts.push(e.message));
      assert.equal(texts.length, 6, JSON.stringify(texts));
      for (const text of texts) {
        assert.match(text, /^«/, text);
        assert.equal(untranslated(text), '', text);
      }
    } finally {
      fake.t = originalT;
    }
  });
});
