// Config as code's questions (on the fake vscode) are in the user's language: the path asked for a
// pull, and the path asked for a compare or an apply, go through vscode.l10n.t (here a marking one).
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { Uri, l10n, registeredCommands, window } from '../fakes/vscode';
import { registerConfigAsCode } from '../../src/configAsCode';
import type { ConnectionRegistry } from '../../src/connections/connectionRegistry';
import { marking, untranslated } from '../zk/markingTranslate';

describe('config as code: questions through l10n (adapter)', () => {
  const fake = l10n as unknown as { t: typeof l10n.t };
  const win = window as unknown as { showInputBox: unknown; showOpenDialog: unknown };
  const originalT = fake.t;
  const originalInput = win.showInputBox;
  const originalOpen = win.showOpenDialog;
  const subscriptions: { dispose(): unknown }[] = [];
  const asked: string[] = [];

  before(() => {
    const connection = { name: 'prod', state: 'connected', client: { options: {} } };
    const registry = { get: () => connection, open: async () => connection, configs: () => [{ name: 'prod' }] } as unknown as ConnectionRegistry;
    const context = { subscriptions, globalState: { get: () => undefined, update: async () => undefined } };
    registerConfigAsCode(context as never, registry);
  });
  beforeEach(() => {
    asked.length = 0;
    fake.t = marking as unknown as typeof l10n.t;
    win.showInputBox = async (o: { title?: string }) => (asked.push(o.title ?? ''), undefined);
    win.showOpenDialog = async () => [Uri.file('/tmp/no-such-pulled-folder')];
  });
  afterEach(() => {
    fake.t = originalT;
    win.showInputBox = originalInput;
    win.showOpenDialog = originalOpen;
  });
  after(() => {
    for (const s of subscriptions) s.dispose();
  });

  it('asks which subtree to pull, which path to compare with and which to apply to, in the user\'s language', async () => {
    await registeredCommands.get('zookeeper.pullSubtreeToFolder')?.({ connectionName: 'prod' });
    await registeredCommands.get('zookeeper.compareFolderWithSubtree')?.({ connectionName: 'prod' });
    await registeredCommands.get('zookeeper.applyFolderToSubtree')?.({ connectionName: 'prod' });
    assert.deepEqual(asked, [
      '«Pull which subtree of "prod"?»',
      '««Compare Folder with Subtree»: no-such-pulled-folder with which path on "prod"?»',
      '««Apply Folder to Subtree»: no-such-pulled-folder with which path on "prod"?»',
    ]);
    for (const title of asked) assert.equal(untranslated(title), '');
  });
});
