// The connection registry on the fake vscode module: what the adapters ask of it (names, configs,
// connections, the connection count for the welcome view), settings problems told once, and
// passwords kept per name, connect string and user, never under the old name-only key.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { commands, fakeExtensionContext, setConfiguration, window } from '../fakes/vscode';
import { ConnectionRegistry } from '../../src/connections/connectionRegistry';
import { LEGACY_PASSWORD_PREFIX } from '../../src/zk/passwordKey';

describe('connection registry', () => {
  const win = window as unknown as { showWarningMessage: unknown };
  const cmds = commands as unknown as { executeCommand: (id: string, ...args: unknown[]) => Promise<unknown> };
  const original = { warn: win.showWarningMessage, exec: cmds.executeCommand };
  let warnings: string[];
  let contexts: [string, unknown][];
  let registry: ConnectionRegistry;
  let context: ReturnType<typeof fakeExtensionContext>;

  beforeEach(() => {
    warnings = [];
    contexts = [];
    win.showWarningMessage = async (m: string) => void warnings.push(m);
    cmds.executeCommand = async (id: string, ...args: unknown[]) => {
      if (id === 'setContext') contexts.push([args[0] as string, args[1]]);
      return undefined;
    };
    context = fakeExtensionContext(process.cwd());
    registry = new ConnectionRegistry(context.secrets as never, (window.createOutputChannel as (name: string, o: unknown) => unknown)('test', { log: true }) as never, context.workspaceState as never);
  });
  afterEach(() => {
    registry.dispose();
    win.showWarningMessage = original.warn;
    cmds.executeCommand = original.exec;
    setConfiguration('zookeeper.connections', []);
  });

  it('answers names, configs and connections from the settings, and counts them for the welcome view', async () => {
    let changes = 0;
    registry.onDidChangeConnections(() => changes++);
    setConfiguration('zookeeper.connections', [
      { name: 'prod', connectString: '127.0.0.1:2181', readOnly: true },
      { name: 'dev', connectString: '127.0.0.1:2182/app' },
    ]);
    await registry.reload();
    assert.deepEqual(registry.names(), ['prod', 'dev']);
    assert.deepEqual(registry.configs().map((c) => c.name), ['prod', 'dev']);
    assert.equal(registry.config('dev')?.connectString, '127.0.0.1:2182/app');
    assert.equal(registry.config('nope'), undefined);
    assert.deepEqual(registry.connections().map((c) => c.name), ['prod', 'dev']);
    assert.equal(registry.get('prod')?.state, 'idle', 'nothing is opened by reading the settings');
    assert.equal(registry.get('prod')?.readOnly, true);
    assert.deepEqual(contexts.at(-1), ['zookeeper.connectionCount', 2]);
    assert.ok(changes > 0);

    setConfiguration('zookeeper.connections', [{ name: 'dev', connectString: '127.0.0.1:2182/app' }]);
    await registry.reload();
    assert.deepEqual(registry.names(), ['dev']);
    assert.equal(registry.get('prod'), undefined);
    assert.deepEqual(contexts.at(-1), ['zookeeper.connectionCount', 1]);
  });

  it('tells about ignored connections once, not at every reload', async () => {
    setConfiguration('zookeeper.connections', [{ name: 'ok', connectString: '127.0.0.1:2181' }, { name: 'bad' }]);
    await registry.reload();
    await registry.reload();
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(warnings[0], /ignored/);
    assert.deepEqual(registry.names(), ['ok']);
  });

  it('keeps a password for name, connect string and user; a changed connect string does not get it', async () => {
    const config = { name: 'sec', connectString: '127.0.0.1:2181', auth: { scheme: 'digest' as const, user: 'alice' } };
    setConfiguration('zookeeper.connections', [config]);
    await registry.reload();
    await context.secrets.store(LEGACY_PASSWORD_PREFIX + 'sec', 'old');
    await registry.storePassword(config, 's3cret');
    assert.equal(await registry.passwordOf('sec'), 's3cret');
    assert.equal(await context.secrets.get(LEGACY_PASSWORD_PREFIX + 'sec'), undefined, 'the name-only key is gone');

    setConfiguration('zookeeper.connections', [{ ...config, connectString: 'evil.example:2181' }]);
    await registry.reload();
    assert.equal(await registry.passwordOf('sec'), undefined, 'another server does not get the password');

    await registry.deletePassword(config);
    setConfiguration('zookeeper.connections', [config]);
    await registry.reload();
    assert.equal(await registry.passwordOf('sec'), undefined);
    await registry.resetCredentials('sec'); // a connection that never logged in: nothing to forget, no error
  });
});
