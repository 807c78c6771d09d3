// Reconnect after an authentication failure (adapter, fake vscode, scripted peers): a refused SASL
// password is forgotten so that connecting asks again; a server without SASL is not the
// password's fault, so the stored password is kept and not asked for again.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { commands, fakeExtensionContext, setConfiguration, window } from '../fakes/vscode';
import { ConnectionRegistry } from '../../src/connections/connectionRegistry';
import { registerConnectionCommands } from '../../src/connections/connectionCommands';
import type { ConnectionConfig } from '../../src/zk/config';
import { passwordKey } from '../../src/zk/passwordKey';
import { frame, int32, replyHeader, startHostilePeer, type HostilePeer } from '../zk/hostilePeer';

type Win = { showErrorMessage: unknown; showInputBox: unknown };

describe('Reconnect after a SASL failure', () => {
  const win = window as unknown as Win;
  const original = { ...win };
  let peer: HostilePeer | undefined;
  let registry: ConnectionRegistry | undefined;
  let prompts: string[];

  beforeEach(() => {
    prompts = [];
    win.showErrorMessage = async () => undefined;
    win.showInputBox = async (o: { title?: string }) => {
      prompts.push(o.title ?? '');
      return 'typed-again';
    };
  });
  afterEach(async () => {
    registry?.dispose();
    registry = undefined;
    await peer?.close();
    peer = undefined;
    Object.assign(win, original);
    setConfiguration('zookeeper.connections', []);
  });

  /** A registry with one SASL connection to a peer answering SetSASL with `err` and a null token. */
  async function setUp(err: number) {
    peer = await startHostilePeer((r) => r.socket.write(frame(replyHeader(r.xid, err), int32(-1))));
    const config: ConnectionConfig = { name: 'secured', connectString: peer.address, connectTimeoutMs: 1000, auth: { scheme: 'sasl', mechanism: 'DIGEST-MD5', user: 'alice' } };
    setConfiguration('zookeeper.connections', [config]);
    const context = fakeExtensionContext(process.cwd());
    registry = new ConnectionRegistry(context.secrets as never, window.createOutputChannel('ZooKeeper') as never, context.workspaceState as never);
    await registry.reload();
    registerConnectionCommands(context as never, registry);
    await context.secrets.store(passwordKey(config)!, 'stored-password');
    await registry.open('secured');
    assert.equal(registry.get('secured')?.state, 'authFailed');
    return { key: passwordKey(config)!, secrets: context.secrets };
  }

  it('a refused password (AUTHFAILED) is forgotten and asked for again', async () => {
    const { key, secrets } = await setUp(-115);
    assert.equal(registry!.get('secured')?.getStatus().authFailure, 'rejected');
    await commands.executeCommand('zookeeper.reconnect', 'secured');
    assert.equal(prompts.length, 1, 'asked once for the password');
    assert.equal(await secrets.get(key), 'typed-again');
  });

  it('a server without SASL keeps the stored password and asks nothing', async () => {
    const { key, secrets } = await setUp(0);
    assert.equal(registry!.get('secured')?.getStatus().authFailure, 'noSaslOnServer');
    await commands.executeCommand('zookeeper.reconnect', 'secured');
    assert.deepEqual(prompts, []);
    assert.equal(await secrets.get(key), 'stored-password');
    assert.equal(registry!.get('secured')?.getStatus().authFailure, 'noSaslOnServer');
  });
});
