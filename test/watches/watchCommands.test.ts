// The watch commands on the fake vscode module: asked from the palette (no row), Watch Node and
// Watch Subtree ask for a path under a title in the user's language, not a fixed English one.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { commands, fakeExtensionContext, l10n, window } from '../fakes/vscode';
import { FakeRegistry } from '../fakes/fakeRegistry';
import { COMMANDS } from '../../src/ui/commandIds';
import { WatchController } from '../../src/watches';

class ClosedHost extends EventEmitter {
  readonly state = 'idle';
  constructor(readonly name: string) {
    super();
  }
  get client(): never {
    throw new Error(`"${this.name}" is not connected`);
  }
}

describe('watch commands', () => {
  const saved = { t: l10n.t, showInputBox: window.showInputBox };
  let controller: WatchController | undefined;
  afterEach(() => {
    Object.assign(l10n, { t: saved.t });
    Object.assign(window, { showInputBox: saved.showInputBox });
    controller?.service.dispose();
  });

  for (const [command, english] of [
    [COMMANDS.watchNode, 'Watch Node'],
    [COMMANDS.watchSubtree, 'Watch Subtree'],
  ] as const) {
    it(`${english} from the palette asks for the path under a translated title`, async () => {
      // A Translate that marks what it was given, so a title that skipped it shows.
      Object.assign(l10n, { t: (m: string, ...args: unknown[]) => `⟦${saved.t(m, ...args)}⟧` });
      const titles: (string | undefined)[] = [];
      Object.assign(window, {
        showInputBox: async (o: { title?: string }) => {
          titles.push(o.title);
          return undefined;
        },
      });
      const registry = new FakeRegistry().set({ name: 'Prod', connectString: '127.0.0.1:2181' }, new ClosedHost('Prod'));
      controller = new WatchController(fakeExtensionContext(process.cwd()) as never, registry.asRegistry());
      await commands.executeCommand(command);
      assert.deepEqual(titles, [`⟦⟦${english}⟧ on "Prod"⟧`]);
    });
  }
});
