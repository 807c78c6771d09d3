// The connection form and the notice about user-only settings a workspace sets are in the user's
// language (on the fake vscode, with a marking l10n.t).
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { fakeExtensionContext, l10n, registeredCommands, setWorkspaceConfiguration, window } from '../fakes/vscode';
import { registerConnectionCommands } from '../../src/connections/connectionCommands';
import { noticeIgnoredWorkspaceSettings } from '../../src/connections/userOnlySettings';
import type { ConnectionRegistry } from '../../src/connections/connectionRegistry';
import { marking, untranslated } from '../zk/markingTranslate';

describe("connections: texts in the user's language", () => {
  const fake = l10n as unknown as { t: typeof l10n.t };
  const win = window as unknown as { createInputBox: unknown; showWarningMessage: unknown; showQuickPick: unknown };
  const original = { t: fake.t, createInputBox: win.createInputBox, showWarningMessage: win.showWarningMessage, showQuickPick: win.showQuickPick };
  beforeEach(() => {
    fake.t = marking as unknown as typeof l10n.t;
  });
  afterEach(() => {
    fake.t = original.t;
    win.createInputBox = original.createInputBox;
    win.showWarningMessage = original.showWarningMessage;
    win.showQuickPick = original.showQuickPick;
    setWorkspaceConfiguration('zookeeper.connections', undefined);
    setWorkspaceConfiguration('zookeeper.health.adminServerPorts', undefined);
  });

  it('the Add Connection form: its title and the name checks', async () => {
    const boxes: { title?: string; validationMessage?: string; value: string; accept(): void; hide(): void }[] = [];
    win.createInputBox = () => {
      const handlers: Record<string, (() => void)[]> = {};
      const on = (name: string) => (f: () => void) => ((handlers[name] ??= []).push(f), { dispose() {} });
      const box = {
        value: '',
        title: undefined as string | undefined,
        validationMessage: undefined as string | undefined,
        onDidChangeValue: on('change'),
        onDidAccept: on('accept'),
        onDidHide: on('hide'),
        show() {},
        dispose() {},
        accept: () => handlers.accept?.forEach((f) => f()),
        hide: () => handlers.hide?.forEach((f) => f()),
      };
      boxes.push(box);
      return box;
    };
    const context = fakeExtensionContext(process.cwd());
    const registry = { configs: () => [{ name: 'prod', connectString: '127.0.0.1:2181' }] } as unknown as ConnectionRegistry;
    registerConnectionCommands(context as never, registry);
    const running = registeredCommands.get('zookeeper.addConnection')?.();
    const box = boxes[0];
    assert.equal(box.title, '«Add ZooKeeper Connection»');
    const messages: string[] = [];
    for (const value of ['', 'prod', 'a/b']) {
      box.value = value;
      box.accept();
      messages.push(box.validationMessage ?? '');
    }
    assert.deepEqual(messages, ['«Enter a name»', '«"prod" is already used by another connection»', '«A name cannot contain "/"»']);
    box.hide();
    await running;
    for (const d of context.subscriptions) d.dispose();
  });

  it('the connection commands ask which connection with a title in the user language', async () => {
    const titles: string[] = [];
    const details: (string | undefined)[] = [];
    win.showQuickPick = async (items: { detail?: string }[], options: { title?: string }) => {
      titles.push(options.title ?? '');
      details.push(...items.map((i) => i.detail));
    };
    const context = fakeExtensionContext(process.cwd());
    const configs = [{ name: 'prod', connectString: '127.0.0.1:2181' }, { name: 'test', connectString: '127.0.0.1:2182' }];
    const registry = { configs: () => configs, get: (n: string) => (n === 'prod' ? { getStatus: () => ({ state: 'connected' }) } : undefined) } as unknown as ConnectionRegistry;
    registerConnectionCommands(context as never, registry);
    for (const id of ['editConnection', 'removeConnection', 'connect', 'disconnect', 'reconnect']) await registeredCommands.get(`zookeeper.${id}`)?.();
    assert.deepEqual(titles, ['«Edit Connection»', '«Remove Connection»', '«Connect»', '«Disconnect»', '«Reconnect»']);
    assert.deepEqual(details.slice(0, 2), ['«connected»', undefined], 'the state is named as the tree names it');
    for (const d of context.subscriptions) d.dispose();
  });

  it('the notice about user-only settings a workspace sets, for one setting and for two', async () => {
    const shown: string[] = [];
    win.showWarningMessage = async (m: string) => void shown.push(m);
    const state = { value: undefined as unknown, get() { return this.value; }, async update(_k: string, v: unknown) { this.value = v; } };
    const log = { warn: () => undefined };
    setWorkspaceConfiguration('zookeeper.connections', [{ name: 'x', connectString: 'h:1' }]);
    const one = await noticeIgnoredWorkspaceSettings(state as never, log as never);
    setWorkspaceConfiguration('zookeeper.health.adminServerPorts', { x: 8080 });
    const two = await noticeIgnoredWorkspaceSettings(state as never, log as never);
    for (const m of [one, two]) {
      assert.match(m ?? '', /^«This workspace sets /);
      assert.equal(untranslated(m ?? ''), '', m);
    }
    assert.match(two ?? '', /sets «zookeeper\.connections and zookeeper\.health\.adminServerPorts»\./);
  });
});
