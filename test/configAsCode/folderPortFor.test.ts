// A folder on the extension host's disk (file:) is pulled and planned through the domain's node:fs
// port (a worker writes and reads in batches); any other scheme through vscode.workspace.fs.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Uri, workspace } from '../fakes/vscode';
import { folderPortFor } from '../../src/configAsCode/workspaceFolderPort';

describe('config as code: the folder port for a URI', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'zk-port-for-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a file: folder is written on disk without vscode.workspace.fs', async () => {
    const fs = workspace as unknown as { fs: unknown };
    const original = fs.fs;
    const touched: string[] = [];
    fs.fs = new Proxy({}, { get: (_t, name) => (touched.push(String(name)), () => Promise.reject(new Error('not this way'))) });
    try {
      const port = folderPortFor(Uri.file(dir) as never);
      assert.equal(port.description, dir);
      await port.mkdir('a');
      await port.write('a/b', new Uint8Array([7, 8]));
      assert.deepEqual([...readFileSync(join(dir, 'a', 'b'))], [7, 8]);
      assert.deepEqual(await port.list('a'), [{ name: 'b', kind: 'file' }]);
      assert.deepEqual(touched, []);
    } finally {
      fs.fs = original;
    }
  });

  it('another scheme goes through vscode.workspace.fs', async () => {
    const fs = workspace as unknown as { fs: unknown };
    const original = fs.fs;
    const written: string[] = [];
    fs.fs = { writeFile: async (uri: { toString(): string }) => void written.push(uri.toString()) };
    try {
      const port = folderPortFor(Uri.parse('vscode-vfs://github/o/r') as never);
      assert.equal(port.description, 'vscode-vfs://github/o/r');
      await port.write('x', new Uint8Array([1]));
      assert.equal(written.length, 1);
      assert.match(written[0], /^vscode-vfs:\/\/github\/o\/r\/x$/);
    } finally {
      fs.fs = original;
    }
  });
});
