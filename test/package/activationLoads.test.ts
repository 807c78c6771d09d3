// Activation loads no heavy Node built-in (issue 15: activation time). node:crypto, node:net and
// node:fs/promises pull in node:stream; tls, http, zlib and perf_hooks more on top: required at
// the top of their modules they were most of the bundle's require time, for features a session
// uses only later (a connection, SASL, a health panel, a snapshot). A fresh Node process
// activates the extension on the fake vscode module and lists the built-ins it loaded.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const HEAVY = ['crypto', 'net', 'tls', 'http', 'https', 'zlib', 'stream', 'perf_hooks', 'fs/promises', 'internal/fs/promises', 'worker_threads'];

const CHILD = `
const [fakes, extension, root] = process.argv.slice(1);
const { installFakeVscode, setConfiguration, fakeExtensionContext, registeredCommands } = require(fakes);
installFakeVscode();
setConfiguration('zookeeper.connections', [
  { name: 'a', connectString: '127.0.0.1:2181' },
  { name: 'b', connectString: '127.0.0.2:2181,127.0.0.3:2181,127.0.0.4:2181' },
  { name: 'c', connectString: '127.0.0.5:2181/chroot' },
]);
const before = new Set(process.moduleLoadList);
require(extension).activate(fakeExtensionContext(root)).then(() => {
  const loaded = process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  require('node:fs').writeSync(1, JSON.stringify({ loaded, commands: registeredCommands.size }));
  process.exit(0);
}, (e) => { require('node:fs').writeSync(2, String(e && e.stack)); process.exit(1); });
`;

describe('activation', () => {
  it('loads none of the heavy Node built-ins (they load on first use)', function () {
    this.timeout(30_000);
    const out = join(__dirname, '..', '..');
    const stdout = execFileSync(process.execPath, ['-e', CHILD, join(out, 'test', 'fakes', 'vscode.js'), join(out, 'src', 'extension.js'), join(out, '..')], { encoding: 'utf8' });
    const { loaded, commands } = JSON.parse(stdout) as { loaded: string[]; commands: number };
    assert.ok(commands > 0, 'activate() registered the commands');
    assert.deepEqual(
      loaded.filter((m) => HEAVY.includes(m)),
      [],
      `built-ins loaded by require + activate(): ${loaded.join(', ')}`,
    );
  });
});
