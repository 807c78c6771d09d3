// Why a config-as-code folder cannot be read (INVALID_FOLDER) is a Message: the apply and pull
// commands show it in the user's language (a marking Translate here), the English stays as it was.
import * as assert from 'node:assert/strict';
import type { ConfigTree } from '../../../src/zk/configAsCode/configTree';
import { readFolder, writeFolder } from '../../../src/zk/configAsCode/folderLayout';
import type { FolderPort } from '../../../src/zk/configAsCode/folderPort';
import { isZkError } from '../../../src/zk/errors';
import { messageOfError, renderMessage } from '../../../src/zk/message';
import { marking, untranslated } from '../markingTranslate';
import { MemoryFolder } from './memoryFolder';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

function tree(): ConfigTree {
  return {
    source: { connection: 'staging', root: '/config', pulledAt: '2026-12-02T08:00:00.000Z' },
    nodes: [
      { rel: '/', data: bytes('{"root":true}'), meta: { mode: 'persistent', version: 3, aversion: 0 } },
      { rel: '/app', data: new Uint8Array(0), meta: { mode: 'persistent', version: 0 } },
      { rel: '/app/logging', data: bytes('level: INFO\n'), meta: { mode: 'persistent', version: 0 } },
    ],
  };
}

type Meta = Record<string, unknown> & { node: Record<string, unknown>; files: Record<string, Record<string, unknown>> };

/** A pulled folder changed by `edit`; `meta` edits the top .znode.json. */
async function folder(edit: (port: MemoryFolder, meta: Meta) => Promise<void> | void): Promise<MemoryFolder> {
  const port = new MemoryFolder();
  await writeFolder(tree(), port);
  const meta = JSON.parse(port.text('.znode.json')) as Meta;
  await edit(port, meta);
  if (port.entries.has('.znode.json')) await port.write('.znode.json', bytes(JSON.stringify(meta)));
  return port;
}

/** The error readFolder throws for `port`: INVALID_FOLDER, with its English message and its Message. */
async function refusal(port: FolderPort, maxFileBytes?: number): Promise<{ english: string; marked: string }> {
  try {
    await readFolder(port, maxFileBytes === undefined ? {} : { maxFileBytes });
  } catch (e) {
    assert.ok(isZkError(e, 'INVALID_FOLDER'), String(e));
    return { english: e.message, marked: renderMessage(messageOfError(e), marking) };
  }
  throw new Error('the folder was read');
}

describe("config as code: why a folder cannot be read, in the user's language", () => {
  const N = '.znode.json ("node")';
  const cases: [string, (port: MemoryFolder, meta: Meta) => Promise<void> | void, string][] = [
    ['a bad mode', (_, m) => void (m.node.mode = 'weird'), `${N}: "mode" is "weird": expected "persistent", "ephemeral", "container" or "ttl"`],
    ['a version that is not an integer', (_, m) => void (m.node.version = 1.5), `${N}: "version" must be an integer ≥ -1 (it is 1.5)`],
    ['a ttl node without ttlMs', (_, m) => void (m.node.mode = 'ttl'), `${N}: a "ttl" node needs "ttlMs"`],
    ['a bad session id', (_, m) => void (m.node.ephemeralOwner = 'me'), `${N}: "ephemeralOwner" must be a session id like "0x1000a2b3c4d0000"`],
    ['an empty ACL', (_, m) => void (m.node.acl = []), `${N}: "acl" must be a non-empty array of { "perms", "scheme", "id" }`],
    ['an ACL entry with bad perms', (_, m) => void (m.node.acl = [{ perms: 99, scheme: 'world', id: 'anyone' }]), `${N}: ACL entry {"perms":99,"scheme":"world","id":"anyone"}: perms 99 is not a permission mask (1-31: c=4, d=8, r=1, w=2, a=16)`],
    ['a digest entry holding a password', (_, m) => void (m.node.acl = [{ perms: 1, scheme: 'digest', id: 'alice:secret' }]), `${N}: ACL entry {"perms":1,"scheme":"digest","id":"alice:secret"}: "secret" is not a digest hash (base64 of SHA-1, 28 characters ending in "="): it looks like a password, not its digest; use Add ACL Entry… to compute it`],
    ['another format', (_, m) => void (m.format = 'other'), '.znode.json: "format" is "other", expected "zookeeper-explorer/folder"'],
    ['a newer version', (_, m) => void (m.version = 2), '.znode.json: format version 2 is not supported (this version reads 1); update the extension'],
    ['files that are not an object', (_, m) => void (m.files = [] as unknown as Meta['files']), '.znode.json: "files" must be an object'],
    ['a bad node name', (_, m) => void (m.node.name = 'a/b'), '.znode.json: "node.name" "a/b" is not a valid node name'],
    ['a bad data file name', (_, m) => void (m.node.dataFile = 'x'), '.znode.json: "node.dataFile" must be a file name starting with ".znode-data"'],
    ['a bad source', (_, m) => void (m.source = 1), '.znode.json: "source" must be { "connection", "root", "pulledAt" }'],
    ['two files for one node', (port) => port.write('app/logging', bytes('dup')), 'app/logging.yaml: stands for the node "logging", like app/logging: keep one'],
    ['a file that cannot be a node', (port) => port.write('app/%2F', bytes('x')), 'app/%2F: cannot be a node: a node name cannot contain "/"'],
    ['a second data file', (port) => port.write('.znode-data.txt', bytes('x')), '.znode-data.txt: the folder\'s data is in .znode-data.json (see .znode.json); remove this file or rename it'],
  ];
  for (const [what, edit, english] of cases) {
    it(`${what}: the English as before, every word through the Translate`, async () => {
      const { english: said, marked } = await refusal(await folder(edit));
      assert.equal(said, english);
      assert.equal(untranslated(marked), '', marked);
      assert.ok(marked.startsWith('«') && marked.indexOf('«', 1) > 0, `the reason is translated on its own: ${marked}`);
    });
  }

  it('metadata that is not JSON quotes the parser as it is', async () => {
    const port = await folder(() => undefined);
    await port.write('app/.znode.json', bytes('{ nope'));
    const { english, marked } = await refusal(port);
    assert.match(english, /^app\/\.znode\.json: not JSON \(.+\); fix it, or delete it to treat the folder as new nodes$/);
    assert.match(marked, /^«app\/\.znode\.json: «not JSON \(.+\); fix it, or delete it to treat the folder as new nodes»»$/);
  });

  it('a missing folder and a file too large for a node', async () => {
    const gone: FolderPort = { description: 'memory:gone', list: async () => undefined, read: async () => new Uint8Array(0), write: async () => undefined, mkdir: async () => undefined };
    assert.deepEqual(await refusal(gone), { english: 'memory:gone: the folder does not exist', marked: '«memory:gone: «the folder does not exist»»' });
    const big = await refusal(await folder(() => undefined), 4);
    assert.equal(big.marked, '«.znode-data.json: «13 bytes: more than a node can hold (4)»»');
    assert.equal(big.english, '.znode-data.json: 13 bytes: more than a node can hold (4)');
  });
});
