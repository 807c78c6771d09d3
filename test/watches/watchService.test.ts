// The watch service on the fake vscode module, with connections that are not open: the list the
// user made is saved and restored (bad entries dropped), a watch on a closed connection waits and
// says so, the managers follow the registry's connection objects, and the tree's decorations mark
// watched nodes (also under a lowercased authority) and the nodes inside a watched subtree.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { fakeExtensionContext, l10n, Uri } from '../fakes/vscode';
import { marking } from '../zk/markingTranslate';
import { FakeRegistry } from '../fakes/fakeRegistry';
import { WatchDecorations, WatchService } from '../../src/watches/watchService';
import type { WatchLogEvent } from '../../src/zk/watches';
import { renderMessage } from '../../src/zk/message';

/** An ensemble connection that is not open (the client throws, as EnsembleConnection's does). */
class ClosedHost extends EventEmitter {
  readonly state = 'idle';
  constructor(
    readonly name: string,
    readonly connectString = '127.0.0.1:2181',
  ) {
    super();
  }
  get client(): never {
    throw new Error(`"${this.name}" is not connected`);
  }
}

describe('watch service', () => {
  let registry: FakeRegistry;
  let context: ReturnType<typeof fakeExtensionContext>;
  let events: WatchLogEvent[];
  let service: WatchService;

  beforeEach(() => {
    registry = new FakeRegistry().set({ name: 'Prod', connectString: '127.0.0.1:2181' }, new ClosedHost('Prod'));
    context = fakeExtensionContext(process.cwd());
    events = [];
    service = new WatchService(registry.asRegistry(), context.workspaceState as never, (e) => events.push(e));
  });
  afterEach(() => service.dispose());

  it('saves the watches the user made; a second one of the same kind is not added', async () => {
    service.restore();
    assert.equal(await service.watch({ connection: 'Prod', path: '/app', kind: 'node' }), true);
    assert.equal(await service.watch({ connection: 'Prod', path: '/app', kind: 'node' }), false);
    assert.equal(await service.watch({ connection: 'Prod', path: '/app', kind: 'subtree' }), true);
    assert.deepEqual(context.workspaceState.get('zookeeper.watches'), [
      { connection: 'Prod', path: '/app', kind: 'node' },
      { connection: 'Prod', path: '/app', kind: 'subtree' },
    ]);
    // Not open: the watch waits for the connection, and says so.
    assert.deepEqual(service.list().map((e) => e.active), [false, false]);
    assert.ok(events.some((e) => e.kind === 'notice' && /once connected/.test(renderMessage(e.message))), JSON.stringify(events));

    assert.equal(await service.unwatch('Prod', '/app', 'node'), 1);
    assert.equal(await service.unwatch('Prod', '/nothing'), 0);
    assert.deepEqual(service.kindsAt('Prod', '/app'), ['subtree']);
    assert.equal(await service.unwatchAll('Prod'), 1);
    assert.deepEqual(context.workspaceState.get('zookeeper.watches'), []);
  });

  it('restores the saved list, dropping entries that are not watches', async () => {
    await context.workspaceState.update('zookeeper.watches', [
      { connection: 'Prod', path: '/a', kind: 'node' },
      { connection: 'Prod', path: 'relative', kind: 'node' },
      { connection: 'Prod', path: '/b', kind: 'everything' },
      'junk',
      { connection: 'Gone', path: '/c', kind: 'subtree' },
    ]);
    service.restore();
    assert.deepEqual(
      service.list().map((e) => `${e.connection}:${e.path}:${e.kind}:${e.active}`),
      ['Prod:/a:node:false', 'Gone:/c:subtree:false'],
    );
  });

  it('follows the connection objects of the registry: a replaced connection gets a new manager', async () => {
    service.restore();
    const first = registry.get('Prod') as ClosedHost;
    await service.watch({ connection: 'Prod', path: '/app', kind: 'node' });
    assert.equal(first.listenerCount('watchEvent'), 1, 'a manager listens to the connection');
    const second = new ClosedHost('Prod');
    registry.set({ name: 'Prod', connectString: '127.0.0.1:2181' }, second);
    assert.equal(first.listenerCount('watchEvent'), 0, 'the old manager let go');
    assert.equal(second.listenerCount('watchEvent'), 1, 'the watch carries on with the new connection');
    registry.remove('Prod');
    assert.equal(second.listenerCount('watchEvent'), 0);
    assert.deepEqual(service.list().map((e) => e.path), ['/app'], 'the list is kept for when the connection comes back');
  });

  it('decorates watched nodes and the nodes of a watched subtree', async () => {
    service.restore();
    await service.watch({ connection: 'Prod', path: '/app', kind: 'subtree' });
    const decorations = new WatchDecorations(service);
    try {
      const at = (authority: string, path: string) => decorations.provideFileDecoration(Uri.from({ scheme: 'zk', authority, path }) as never);
      const root = at('Prod', '/app');
      assert.equal(root?.badge, 'W');
      assert.equal(root?.tooltip, 'Watched: subtree (set when the connection opens)');
      assert.equal(at('prod', '/app')?.badge, 'W', 'VS Code may lowercase the authority');
      assert.equal(at('Prod', '/app/x/y')?.tooltip, 'Watched: inside the subtree /app');
      assert.equal(at('Prod', '/other'), undefined);
      assert.equal(decorations.provideFileDecoration(Uri.from({ scheme: 'file', path: '/app' }) as never), undefined);
    } finally {
      decorations.dispose();
    }
  });

  it("says what is watched in the user's language", async () => {
    service.restore();
    await service.watch({ connection: 'Prod', path: '/app', kind: 'subtree' });
    const fake = l10n as unknown as { t: typeof l10n.t };
    const original = fake.t;
    fake.t = marking as unknown as typeof l10n.t;
    const decorations = new WatchDecorations(service);
    try {
      const at = (path: string) => decorations.provideFileDecoration(Uri.from({ scheme: 'zk', authority: 'Prod', path }) as never)?.tooltip;
      assert.equal(at('/app'), '««Watched: subtree» (set when the connection opens)»');
      assert.equal(at('/app/x'), '«Watched: inside the subtree /app»');
    } finally {
      fake.t = original;
      decorations.dispose();
    }
  });
});
