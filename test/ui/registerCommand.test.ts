// The one command wrapper: a handler's error becomes one notification with its message (whatever
// was thrown), the user's own cancellation says nothing, and the registration is disposed with the
// extension.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { commands, formatL10n, l10n, registeredCommands, window } from '../fakes/vscode';
import { COMMANDS } from '../../src/ui/commandIds';
import { errorText, registerCommand } from '../../src/ui/registerCommand';
import { ZkMultiError } from '../../src/zk/clientTypes';
import { ZkError } from '../../src/zk/errors';
import { msg } from '../../src/zk/message';

describe('ui: registerCommand', () => {
  const win = window as unknown as { showErrorMessage: unknown };
  const original = win.showErrorMessage;
  let shown: string[];
  beforeEach(() => {
    shown = [];
    win.showErrorMessage = async (m: string) => void shown.push(m);
  });
  afterEach(() => {
    win.showErrorMessage = original;
  });

  it('shows what a handler throws as one error notification, with an optional prefix', async () => {
    const context = { subscriptions: [] as { dispose(): unknown }[] };
    let got: unknown[] = [];
    registerCommand(context, COMMANDS.refresh, async (...args: unknown[]) => {
      got = args;
      throw new Error('No connection named "x"');
    });
    registerCommand(context, COMMANDS.showClusterHealth, () => {
      throw new Error('boom');
    }, { errorPrefix: 'Cluster health' });
    await commands.executeCommand(COMMANDS.refresh, { connectionName: 'a' }, [1]);
    await commands.executeCommand(COMMANDS.showClusterHealth);
    assert.deepEqual(got, [{ connectionName: 'a' }, [1]], 'the arguments reach the handler');
    assert.deepEqual(shown, ['No connection named "x"', 'Cluster health: boom']);
    for (const d of context.subscriptions) d.dispose();
    assert.equal(registeredCommands.has(COMMANDS.refresh), false, 'disposed with the extension');
  });

  it('says nothing for a cancellation the user asked for; names what is not an Error', async () => {
    const context = { subscriptions: [] as { dispose(): unknown }[] };
    let thrown: unknown;
    registerCommand(context, COMMANDS.deleteNode, () => {
      throw thrown;
    });
    thrown = new ZkError('CANCELLED', 'Cancelled');
    await commands.executeCommand(COMMANDS.deleteNode);
    thrown = 'a plain string';
    await commands.executeCommand(COMMANDS.deleteNode);
    assert.deepEqual(shown, ['a plain string']);
    assert.equal(errorText(undefined), 'undefined');
    assert.equal(errorText(new Error('')), 'An unexpected error occurred');
    for (const d of context.subscriptions) d.dispose();
  });

  it("translates a domain error's message through vscode.l10n.t: its template, its arguments, the reasons inside it", async () => {
    const fake = l10n as unknown as { t: typeof l10n.t };
    const original = fake.t;
    const bundle: Record<string, string> = {
      'Node {0} does not exist': '节点 {0} 不存在',
      'Node {0} already exists': '节点 {0} 已存在',
      'Transaction failed at step {0}: {1}; nothing was applied': '事务在第 {0} 步失败：{1}；未应用任何内容',
      'An unexpected error occurred': '发生意外错误',
    };
    fake.t = ((m: string, ...args: unknown[]) => formatL10n(bundle[m] ?? m, args)) as typeof l10n.t;
    try {
      const context = { subscriptions: [] as { dispose(): unknown }[] };
      let thrown: unknown;
      // A feature's describeError that repeats the message (as the tree's quota-aware one does) keeps it translated.
      registerCommand(context, COMMANDS.deleteNode, () => {
        throw thrown;
      }, { errorPrefix: 'Delete', describeError: async (e) => (e as Error).message });
      thrown = ZkError.fromServer(-101, 'getData', '/app');
      await commands.executeCommand(COMMANDS.deleteNode);
      thrown = new ZkMultiError(1, ZkError.fromServer(-110, 'create', '/app/b'));
      await commands.executeCommand(COMMANDS.deleteNode);
      thrown = new ZkError('INTERNAL', msg('Not in the test bundle: {0}', 7));
      await commands.executeCommand(COMMANDS.deleteNode);
      assert.deepEqual(shown, ['Delete: 节点 /app 不存在', 'Delete: 事务在第 2 步失败：节点 /app/b 已存在；未应用任何内容', 'Delete: Not in the test bundle: 7']);
      assert.equal((thrown as ZkError).message, 'Not in the test bundle: 7', 'the message itself stays English (logs, tests)');
      assert.equal(ZkError.fromServer(-101, 'getData', '/app').message, 'Node /app does not exist');
      assert.equal(errorText(new Error('')), '发生意外错误');
      assert.equal(errorText(new Error('plain, not worded by the domain')), 'plain, not worded by the domain');
      for (const d of context.subscriptions) d.dispose();
    } finally {
      fake.t = original;
    }
  });

  it('lets a feature explain an error more fully from the command arguments, and falls back to the message', async () => {
    const context = { subscriptions: [] as { dispose(): unknown }[] };
    const describeError = async (e: unknown, [t]: unknown[]) =>
      (e as Error).message === 'quota' ? `Quota of ${(t as { path: string }).path} exceeded` : undefined;
    registerCommand(context, COMMANDS.createChild, (t: { path: string }) => {
      throw new Error(t.path === '/q' ? 'quota' : 'other');
    }, { describeError });
    await commands.executeCommand(COMMANDS.createChild, { path: '/q' });
    await commands.executeCommand(COMMANDS.createChild, { path: '/p' });
    registerCommand(context, COMMANDS.copyPath, () => {
      throw new Error('plain');
    }, { describeError: () => Promise.reject(new Error('lookup failed')) });
    await commands.executeCommand(COMMANDS.copyPath);
    assert.deepEqual(shown, ['Quota of /q exceeded', 'other', 'plain'], 'a failing explanation never hides the error');
    for (const d of context.subscriptions) d.dispose();
  });

  it('gives what the handler returns back to an executeCommand caller, and undefined after an error', async () => {
    const context = { subscriptions: [] as { dispose(): unknown }[] };
    registerCommand(context, COMMANDS.openSnapshot, async (file: string) => {
      if (file === 'bad') throw new Error('not a snapshot');
      return `source of ${file}`;
    });
    assert.equal(await commands.executeCommand(COMMANDS.openSnapshot, 'snapshot.1'), 'source of snapshot.1');
    assert.equal(await commands.executeCommand(COMMANDS.openSnapshot, 'bad'), undefined);
    assert.deepEqual(shown, ['not a snapshot']);
    for (const d of context.subscriptions) d.dispose();
  });
});
