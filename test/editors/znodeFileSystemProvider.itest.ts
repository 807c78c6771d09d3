// The zk: FileSystemProvider with real connections to two real servers (VS Code itself is the
// fake of test/fakes/vscode.ts; test/e2e drives the real one). zkCli.sh checks.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { FileChangeType, FilePermission, TextDocumentSaveReason, Uri, workspace, type FileSystemError } from '../fakes/vscode';
import { ZnodeFileSystemProvider, type SavePrompts } from '../../src/editors/znodeFileSystemProvider';
import { editorUri } from '../../src/ui/znodeUris';
import type { ConnectionConfig } from '../../src/zk/config';
import { EnsembleConnection } from '../../src/zk/ensembleConnection';
import { ZkCluster, zkCli } from '../harness/zookeeper';
import { waitUntil } from '../helpers';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const str = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('zk: file system provider against real servers', function () {
  this.timeout(120_000);
  let A: ZkCluster | undefined;
  let B: ZkCluster | undefined;
  /** Killed and restarted by one test: its connection has short deadlines. */
  let C: ZkCluster | undefined;
  const connections = new Map<string, EnsembleConnection>();
  const answers: { conflict: 'overwrite' | 'cancel'; deleted: 'recreate' | 'cancel' } = { conflict: 'cancel', deleted: 'cancel' };
  const asked: string[] = [];
  const dirty: string[] = [];
  const fired: { type: number; uri: string }[] = [];
  let provider: ZnodeFileSystemProvider;

  const cli = async (cluster: ZkCluster, ...args: string[]) => {
    const r = await zkCli(cluster.servers[0].address, args);
    return `${r.stdout}\n${r.stderr}`;
  };

  before(async function () {
    [A, B, C] = await Promise.all([ZkCluster.startStandalone(), ZkCluster.startStandalone(), ZkCluster.startStandalone()]);
    const configs: ConnectionConfig[] = [
      { name: 'Cluster A', connectString: A.connectString },
      { name: 'cluster b', connectString: B.connectString },
      { name: 'A read-only', connectString: A.connectString, readOnly: true },
      { name: 'killable', connectString: C.connectString, requestTimeoutMs: 2000, connectTimeoutMs: 1000, sessionTimeoutMs: 30_000 },
    ];
    for (const c of configs) connections.set(c.name, new EnsembleConnection(c));
    const registry = {
      configs: () => configs,
      get: (n: string) => connections.get(n),
      open: async (n: string) => {
        const c = connections.get(n);
        await c?.open();
        return c;
      },
      config: (n: string) => configs.find((c) => c.name === n),
    };
    const prompts: SavePrompts = () => ({
      conflict: async () => (asked.push('conflict'), answers.conflict),
      deleted: async () => (asked.push('deleted'), answers.deleted),
      lockOut: async () => (asked.push('lockOut'), false),
    });
    provider = new ZnodeFileSystemProvider(registry as never, prompts, async () => undefined, {
      changedWhileDirty: (uri) => dirty.push(uri.toString()),
      readOnlyChanged: () => undefined,
    });
    provider.onDidChangeFile((events) => fired.push(...events.map((e) => ({ type: e.type, uri: e.uri.toString() }))));
  });

  afterEach(() => {
    workspace.textDocuments.length = 0;
    asked.length = 0;
  });

  after(async () => {
    provider?.dispose();
    for (const c of connections.values()) await c.dispose().catch(() => undefined);
    await Promise.all([A?.close(), B?.close(), C?.close()]);
  });

  /** What VS Code does to open a document: stat, read, and the document appears. */
  async function open(uri: Uri, initialText?: string) {
    await provider.stat(uri as never);
    const content = str(await provider.readFile(uri as never));
    const doc = { uri, isDirty: false, text: initialText ?? content, getText() {
      return this.text;
    } };
    workspace.textDocuments.push(doc);
    const watch = provider.track(uri as never);
    return { doc, content, watch };
  }

  it('opens (connecting on demand), edits and saves; zkCli.sh reads the value; stat has mtime and size', async () => {
    await cli(A!, 'create', '/app.json', '{"a": 1}');
    const uri = editorUri('Cluster A', '/app.json') as unknown as Uri;
    const { doc, content, watch } = await open(uri);
    try {
      assert.equal(content, '{"a": 1}');
      const st = await provider.stat(uri as never);
      assert.equal(st.size, 8);
      assert.equal(st.permissions, undefined);
      doc.isDirty = true;
      provider.willSave(uri as never, TextDocumentSaveReason.Manual as never);
      await provider.writeFile(uri as never, bytes('{"a": 2}'), { create: true, overwrite: true });
      assert.match(await cli(A!, 'get', '/app.json'), /\{"a": 2\}/);
      doc.isDirty = false; // VS Code marks the editor saved
      const after = await provider.stat(uri as never);
      assert.ok(after.mtime > st.mtime);
    } finally {
      watch.dispose();
    }
  });

  it('a concurrent change by zkCli.sh: Cancel leaves it, Overwrite replaces exactly that version', async () => {
    await cli(A!, 'create', '/race', 'base');
    const uri = editorUri('Cluster A', '/race') as unknown as Uri;
    const { doc, watch } = await open(uri);
    try {
      doc.isDirty = true;
      await cli(A!, 'set', '/race', 'their change');
      answers.conflict = 'cancel';
      provider.willSave(uri as never, TextDocumentSaveReason.Manual as never);
      await assert.rejects(provider.writeFile(uri as never, bytes('my change'), { create: true, overwrite: true }), /Not saved: you kept the server's version of \/race/);
      assert.match(await cli(A!, 'get', '/race'), /their change/);
      // An automatic save never asks and never writes over it.
      provider.willSave(uri as never, TextDocumentSaveReason.AfterDelay as never);
      await assert.rejects(provider.writeFile(uri as never, bytes('my change'), { create: true, overwrite: true }), /Save with Ctrl\+S/);
      answers.conflict = 'overwrite';
      provider.willSave(uri as never, TextDocumentSaveReason.Manual as never);
      await provider.writeFile(uri as never, bytes('my change'), { create: true, overwrite: true });
      assert.match(await cli(A!, 'get', '/race'), /my change/);
      assert.match(await cli(A!, 'stat', '/race'), /dataVersion = 2/);
      assert.deepEqual(asked, ['conflict', 'conflict']);
      await waitUntil(() => dirty.includes(uri.toString()), 10_000, 'the dirty document was marked when zkCli changed the node');
    } finally {
      watch.dispose();
    }
  });

  it('a read-only connection opens read-only with the reason, and refuses to save', async () => {
    await cli(A!, 'create', '/prod', 'do not touch');
    const uri = editorUri('A read-only', '/prod');
    const st = await provider.stat(uri);
    assert.equal(st.permissions, FilePermission.Readonly);
    assert.match(provider.readOnlyReason(uri)!, /connection "A read-only" is read-only/);
    await assert.rejects(provider.writeFile(uri, bytes('touched'), { create: true, overwrite: true }), /Not saved: connection "A read-only" is read-only/);
    assert.match(await cli(A!, 'get', '/prod'), /do not touch/);
  });

  it('deleted while open: VS Code is told, a save asks, and Recreate brings it back', async () => {
    await cli(A!, 'create', '/deleted', 'here');
    const uri = editorUri('Cluster A', '/deleted') as unknown as Uri;
    const { doc, watch } = await open(uri);
    try {
      await waitUntil(() => provider.watches.isArmed('Cluster A', '/deleted'), 10_000, 'the watch set');
      doc.isDirty = true;
      await cli(A!, 'delete', '/deleted');
      await waitUntil(() => fired.some((f) => f.uri === uri.toString() && f.type === FileChangeType.Deleted), 10_000, 'Deleted event');
      await assert.rejects(provider.stat(uri as never), (e: FileSystemError) => e.code === 'FileNotFound');
      answers.deleted = 'recreate';
      provider.willSave(uri as never, TextDocumentSaveReason.Manual as never);
      await provider.stat(uri as never); // VS Code's check before writing
      await provider.writeFile(uri as never, bytes('back again'), { create: true, overwrite: true });
      assert.deepEqual(asked, ['deleted']);
      assert.match(await cli(A!, 'get', '/deleted'), /back again/);
    } finally {
      watch.dispose();
    }
  });

  it('compares across ensembles: each side reads its own server (and a lowercased name still resolves)', async () => {
    await cli(A!, 'create', '/same', 'on A');
    await cli(B!, 'create', '/same', 'on B, longer');
    const left = editorUri('Cluster A', '/same');
    const right = Uri.from({ scheme: 'zk', authority: 'cluster b', path: '/same' });
    assert.equal(str(await provider.readFile(left)), 'on A');
    assert.equal(str(await provider.readFile(right as never)), 'on B, longer');
    assert.equal((await provider.stat(right as never)).size, 12);
    const lower = Uri.from({ scheme: 'zk', authority: 'cluster a', path: '/same' });
    assert.equal(str(await provider.readFile(lower as never)), 'on A');
  });

  it('binary data opens read-only in the text view and is edited through the base64 view', async () => {
    const original = Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x80]);
    await provider.stat(editorUri('Cluster A', '/')); // connected
    await connections.get('Cluster A')!.client.create('/blob', original);
    const uri = editorUri('Cluster A', '/blob');
    assert.equal((await provider.stat(uri)).permissions, FilePermission.Readonly);
    assert.match(str(await provider.readFile(uri)), /read-only hex dump/);
    assert.match(provider.readOnlyReason(uri)!, /not text/);
    const b64 = editorUri('Cluster A', '/blob', 'base64');
    assert.equal(str(await provider.readFile(b64)), original.toString('base64') + '\n');
    assert.equal((await provider.stat(b64)).permissions, undefined);
    await provider.writeFile(b64, bytes(Buffer.from([9, 8, 7, 0, 0xff]).toString('base64')), { create: true, overwrite: true });
    const { data } = await connections.get('Cluster A')!.client.getData('/blob');
    assert.deepEqual(Buffer.from(data), Buffer.from([9, 8, 7, 0, 0xff]));
  });

  it('the server killed before a save: the save fails saying why and writes nothing; once it is back, the same save goes through', async () => {
    await cli(C!, 'create', '/svc.properties', 'port=1');
    const uri = editorUri('killable', '/svc.properties') as unknown as Uri;
    const { doc, content, watch } = await open(uri);
    try {
      assert.equal(content, 'port=1');
      const id = C!.servers[0].id;
      await C!.kill(id);
      doc.isDirty = true;
      provider.willSave(uri as never, TextDocumentSaveReason.Manual as never);
      const failed = await provider.writeFile(uri as never, bytes('port=2'), { create: true, overwrite: true }).then(
        () => undefined,
        (e: unknown) => e as FileSystemError,
      );
      assert.ok(failed, 'the save failed');
      // VS Code shows this and keeps the edit in the dirty document.
      assert.match(failed.message, /no connection to ZooKeeper|connection refused|is ZooKeeper running/i, failed.message);
      assert.deepEqual(asked, [], 'no conflict or deletion prompt for a server that is down');
      console.log(`      the failed save says: ${failed.message}`);
      await C!.start(id);
      const c = connections.get('killable')!;
      await waitUntil(() => c.state === 'connected', 30_000, 'connected again');
      assert.match(await cli(C!, 'get', '/svc.properties'), /port=1/, 'nothing was written while the server was down');
      provider.willSave(uri as never, TextDocumentSaveReason.Manual as never);
      await provider.writeFile(uri as never, bytes('port=2'), { create: true, overwrite: true });
      assert.match(await cli(C!, 'get', '/svc.properties'), /port=2/);
    } finally {
      watch.dispose();
    }
  });
});
