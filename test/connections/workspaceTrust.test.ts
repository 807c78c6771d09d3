// What a workspace (a repository's .vscode/settings.json) can do to the user's connections: nothing.
// Connections and AdminServer ports come from user settings only, passwords are keyed by name,
// connect string and user, and the extension hands no API to other extensions.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { fakeExtensionContext, outputLines, setConfiguration, setWorkspaceConfiguration, window } from '../fakes/vscode';
import { ConnectionRegistry } from '../../src/connections/connectionRegistry';
import { healthSettingsGetter } from '../../src/connections/userOnlySettings';
import { readHealthSettings } from '../../src/zk/health/healthSettings';
import { activate } from '../../src/extension';
import type { ConnectionConfig } from '../../src/zk/config';

type Win = { showWarningMessage: unknown; showErrorMessage: unknown; showInputBox: unknown };

describe('Workspace trust: connections and credentials', () => {
  const win = window as unknown as Win;
  const original = { ...win };
  let warnings: string[];
  let prompts: { title?: string }[];
  let registry: ConnectionRegistry | undefined;
  let context: ReturnType<typeof fakeExtensionContext>;

  beforeEach(() => {
    warnings = [];
    prompts = [];
    win.showWarningMessage = async (m: string) => void warnings.push(m);
    win.showErrorMessage = async () => undefined;
    win.showInputBox = async (o: { title?: string }) => void prompts.push(o);
    context = fakeExtensionContext(process.cwd());
  });
  afterEach(async () => {
    registry?.dispose();
    registry = undefined;
    Object.assign(win, original);
    setConfiguration('zookeeper.connections', []);
    setWorkspaceConfiguration('zookeeper.connections', undefined);
    setConfiguration('zookeeper.health.adminServerPorts', {});
    setWorkspaceConfiguration('zookeeper.health.adminServerPorts', undefined);
  });

  const makeRegistry = () => {
    registry = new ConnectionRegistry(context.secrets as never, window.createOutputChannel('ZooKeeper') as never, context.workspaceState as never);
    return registry;
  };
  const auth = { scheme: 'digest' as const, user: 'ops' };

  it('a workspace that redefines a user connection gets neither the connection nor its password, and the user is told', async () => {
    // The "attacker": a listener the workspace points the user's connection name at.
    const connections: net.Socket[] = [];
    const evil = net.createServer((s) => connections.push(s));
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    try {
      const user: ConnectionConfig = { name: 'prod', connectString: '127.0.0.1:1', auth, readOnly: true, connectTimeoutMs: 500 };
      setConfiguration('zookeeper.connections', [user]);
      setWorkspaceConfiguration('zookeeper.connections', [
        { name: 'prod', connectString: `127.0.0.1:${(evil.address() as net.AddressInfo).port}`, auth, readOnly: false, connectTimeoutMs: 500 },
      ]);
      const r = makeRegistry();
      await r.storePassword(user, 'the-users-password');
      await r.reload();
      assert.deepEqual(r.configs(), [user], 'the user\'s connection, read-only guard included');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /This workspace sets zookeeper\.connections\. ZooKeeper Explorer ignores it there/);
      assert.match(warnings[0], /stored passwords/);
      await r.open('prod');
      await new Promise((res) => setTimeout(res, 300));
      assert.equal(connections.length, 0, 'nothing connected to the workspace\'s server');
      assert.ok(outputLines.some((l) => /Ignored zookeeper\.connections from the workspace settings/.test(l)));
    } finally {
      for (const s of connections) s.destroy();
      evil.close();
    }
  });

  it('tells the user once per workspace value', async () => {
    setWorkspaceConfiguration('zookeeper.connections', [{ name: 'x', connectString: '127.0.0.1:2181' }]);
    const r = makeRegistry();
    await r.reload();
    await r.reload();
    assert.equal(warnings.length, 1);
    setWorkspaceConfiguration('zookeeper.connections', [{ name: 'y', connectString: '127.0.0.1:2181' }]);
    await r.reload();
    assert.equal(warnings.length, 2);
  });

  for (const [what, changed] of [
    ['connect string', { name: 'prod', connectString: '127.0.0.1:2', auth }],
    ['user', { name: 'prod', connectString: '127.0.0.1:1', auth: { scheme: 'digest', user: 'admin' } }],
  ] as const) {
    it(`a password stored for one ${what} is not used after the ${what} changes: it is asked again`, async () => {
      const before: ConnectionConfig = { name: 'prod', connectString: '127.0.0.1:1', auth };
      setConfiguration('zookeeper.connections', [before]);
      const r = makeRegistry();
      await r.reload();
      await r.storePassword(before, 'pw');
      assert.equal(await r.passwordOf('prod'), 'pw');
      setConfiguration('zookeeper.connections', [changed]);
      await r.reload();
      assert.equal(await r.passwordOf('prod'), undefined);
      assert.equal(await r.open('prod'), undefined);
      assert.equal(prompts.length, 1, 'the password was asked for');
      assert.match(prompts[0].title ?? '', new RegExp(`Password for ${changed.auth.user} on "prod" \\(${changed.connectString}\\)`));
    });
  }

  it('a password stored under the name alone (older versions) is not used', async () => {
    setConfiguration('zookeeper.connections', [{ name: 'prod', connectString: '127.0.0.1:1', auth }]);
    await context.secrets.store('zookeeper.password.prod', 'old');
    const r = makeRegistry();
    await r.reload();
    assert.equal(await r.passwordOf('prod'), undefined);
    await r.open('prod');
    assert.equal(prompts.length, 1);
  });

  it('AdminServer ports come from user settings only', () => {
    setConfiguration('zookeeper.health.adminServerPorts', { prod: 8081 });
    setWorkspaceConfiguration('zookeeper.health.adminServerPorts', { prod: 22 });
    assert.deepEqual(readHealthSettings(healthSettingsGetter()).adminServerPorts, { prod: 8081 });
  });

  it('activate() exports nothing to other extensions', async () => {
    const result = await activate(context as never);
    try {
      assert.equal(result, undefined);
    } finally {
      for (const d of context.subscriptions) d.dispose();
    }
  });
});
