// Unit tests of the WatchManager against the in-memory ZooKeeper of fakeZk.ts: every event type,
// version accounting under bursts (persistent and one-shot), order, bounded cost, reconnects,
// session expiry, fallback without persistent watches, watches removed behind our back.
import * as assert from 'node:assert/strict';
import { WatchManager, formatWatchEvent, type ChangeEvent, type WatchLogEvent, type WatchManagerOptions } from '../../../src/zk/watches';
import { FakeHost, FakeZk } from './fakeZk';
import { renderMessage } from '../../../src/zk/message';
import { assertWordedForTranslation } from './wordedForTranslation';

interface Rig {
  zk: FakeZk;
  host: FakeHost;
  mgr: WatchManager;
  events: WatchLogEvent[];
  changes: () => ChangeEvent[];
  lines: () => string[];
  settle: () => Promise<void>;
}

function rig(opts: Partial<WatchManagerOptions> = {}, setup?: (zk: FakeZk) => void): Rig {
  const zk = new FakeZk();
  setup?.(zk);
  const host = new FakeHost(zk);
  const events: WatchLogEvent[] = [];
  emitted.push(events);
  const mgr = new WatchManager(host, (e) => events.push(e), opts);
  const settle = async () => {
    for (let quiet = 0, i = 0; quiet < 3 && i < 100_000; i++) {
      await new Promise((r) => setImmediate(r));
      await mgr.whenEstablished();
      quiet = host.current.busy || mgr.stats().pending > 0 ? 0 : quiet + 1;
    }
  };
  return {
    zk,
    host,
    mgr,
    events,
    changes: () => events.filter((e): e is ChangeEvent => e.kind === 'change'),
    lines: () => events.map((e) => formatWatchEvent(e, { utc: true }).slice(13)),
    settle,
  };
}

const typesOf = (cs: ChangeEvent[]) => cs.map((c) => `${c.type} ${c.path}`);

/** Sum of changes per (path, type) and whether the data versions chain without gaps. */
function dataAccounting(cs: ChangeEvent[], path: string): { total: number; chained: boolean; last?: number } {
  let total = 0;
  let chained = true;
  let last: number | undefined;
  for (const c of cs) {
    if (c.path !== path || c.type !== 'dataChanged') continue;
    total += c.changes ?? 1;
    if (last !== undefined && c.prevVersion !== last) chained = false;
    if (c.prevVersion !== undefined && c.version !== undefined && c.version - c.prevVersion !== c.changes) chained = false;
    last = c.version;
  }
  return { total, chained, last };
}

/** Every rig's events, checked after each test: notices and notes all reach the adapter's Translate. */
const emitted: WatchLogEvent[][] = [];

describe('WatchManager (against an in-memory ZooKeeper)', () => {
  afterEach(() => {
    const all = emitted.splice(0).flat();
    assertWordedForTranslation(all);
  });

  for (const mode of ['persistent', 'oneShot'] as const) {
    describe(`node watch, ${mode}`, () => {
      it('reports every event type with what changed', async () => {
        const r = rig({ mode }, (zk) => zk.mkdirp('/app/config', 'timeout=30'));
        await r.mgr.add('/app/config', 'node');
        await r.settle();
        assert.match(r.lines()[0], /\/app\/config: watching node \(data and children\), .*v0 · 10 B · 0 children/);

        r.zk.set('/app/config', 'timeout=45');
        await r.settle();
        r.zk.create('/app/config/a', 'x');
        await r.settle();
        r.zk.create('/app/config/e', 'leader', '0xabc');
        await r.settle();
        r.zk.remove('/app/config/a');
        await r.settle();
        r.zk.remove('/app/config/e');
        await r.settle();
        r.zk.remove('/app/config');
        await r.settle();
        r.zk.create('/app/config', 'back');
        await r.settle();

        assert.deepEqual(typesOf(r.changes()), [
          'dataChanged /app/config',
          'childrenChanged /app/config',
          'childrenChanged /app/config',
          'childrenChanged /app/config',
          'childrenChanged /app/config',
          'deleted /app/config',
          'created /app/config',
        ]);
        const lines = r.lines().slice(1);
        assert.match(lines[0], /data changed \/app\/config · v0→v1 · 10 B · "timeout=30" → "timeout=45"$/);
        assert.match(lines[1], /children changed \/app\/config · \+1 -0 · added: a · 0→1 child$/);
        assert.match(lines[2], /added: e \(session 0xabc\)/);
        assert.match(lines[3], /\+0 -1 · removed: a/);
        assert.match(lines[5], /deleted \/app\/config · was v1 · 10 B · "timeout=45"/);
        assert.match(lines[6], /created \/app\/config · v0 · 4 B · "back"/);
        r.mgr.dispose();
      });

      it('a node that does not exist yet: its creation is reported', async () => {
        const r = rig({ mode });
        await r.mgr.add('/later', 'node');
        await r.settle();
        assert.match(r.lines()[0], /does not exist yet: its creation will be reported/);
        r.zk.create('/later', 'hello', '0x99');
        await r.settle();
        assert.match(r.lines()[1], /created \/later · v0 · 5 B · "hello" · ephemeral, session 0x99$/);
        r.mgr.dispose();
      });

      for (const chunked of [false, true]) it(`1,000 rapid updates: every version accounted for, delivered or coalesced${chunked ? ' (replies and notifications in one socket read)' : ''}`, async () => {
        const r = rig({ mode, verifyIntervalMs: 0 }, (zk) => {
          zk.create('/hot', 'v0');
          zk.chunked = chunked;
        });
        await r.mgr.add('/hot', 'node');
        await r.settle();
        for (let i = 1; i <= 1000; i++) {
          r.zk.set('/hot', `v${i}`);
          if (i % 7 === 0) await new Promise((res) => setImmediate(res)); // the writer is not always faster
        }
        await r.settle();
        const acc = dataAccounting(r.changes(), '/hot');
        assert.equal(acc.total, 1000);
        assert.equal(acc.last, 1000);
        assert.ok(acc.chained, 'each line starts where the previous one ended');
        const coalesced = r.changes().filter((c) => (c.changes ?? 1) > 1).length;
        assert.ok(coalesced > 0, 'a burst is coalesced');
        assert.ok(r.host.current.calls.getData! < 1000, `reads are coalesced too (${r.host.current.calls.getData})`);
        r.mgr.dispose();
      });
    });
  }

  it('one-shot: changes between the event and the re-arm are found by version and reported as coalesced', async () => {
    const r = rig({ mode: 'oneShot' }, (zk) => zk.create('/n', 'a'));
    await r.mgr.add('/n', 'node');
    await r.settle();
    r.zk.set('/n', 'b'); // fires the one-shot watch
    r.zk.set('/n', 'c'); // no watch set: not notified
    r.zk.set('/n', 'd');
    await r.settle();
    const [c] = r.changes();
    assert.equal(c.changes, 3);
    assert.match(r.lines()[1], /v0→v3 · 3 changes since last event \(coalesced\) · 1 B · "a" → "d"/);
    r.zk.set('/n', 'e'); // re-armed
    await r.settle();
    assert.equal(r.changes().length, 2);
    r.mgr.dispose();
  });

  it('keeps the order of notifications across paths, whatever order reads finish in', async () => {
    const r = rig({}, (zk) => {
      zk.mkdirp('/s/a');
      zk.mkdirp('/s/b');
    });
    await r.mgr.add('/s', 'subtree');
    await r.settle();
    const expected: string[] = [];
    for (let i = 0; i < 50; i++) {
      const p = i % 2 ? '/s/a' : '/s/b';
      r.zk.set(p, String(i));
      r.zk.create(`/s/n${i}`);
      expected.push(`dataChanged ${p}`, `created /s/n${i}`);
      await new Promise((res) => setImmediate(res));
    }
    await r.settle();
    const got = typesOf(r.changes());
    // Coalescing may merge a path's changes into its first line, never reorder them.
    const firstIndex = (s: string) => got.indexOf(s);
    for (let i = 0; i < 50; i++) assert.ok(firstIndex(`created /s/n${i}`) >= 0, `created /s/n${i}`);
    const createdOrder = got.filter((g) => g.startsWith('created')).map((g) => Number(g.slice('created /s/n'.length)));
    assert.deepEqual(createdOrder, [...createdOrder].sort((a, b) => a - b));
    r.mgr.dispose();
  });

  describe('subtree watch', () => {
    it('persistent recursive: created, data changed, deleted at any depth; no children-changed noise', async () => {
      const r = rig({}, (zk) => zk.mkdirp('/svc'));
      await r.mgr.add('/svc', 'subtree');
      await r.settle();
      assert.match(r.lines()[0], /watching subtree, persistent recursive watch/);
      assert.deepEqual(r.host.current.persistent.get('/svc'), true);
      r.zk.create('/svc/a', 'one');
      r.zk.create('/svc/a/b', 'deep', '0x55');
      await r.settle();
      r.zk.set('/svc/a/b', 'deeper');
      await r.settle();
      r.zk.remove('/svc/a/b');
      await r.settle();
      assert.deepEqual(typesOf(r.changes()), ['created /svc/a', 'created /svc/a/b', 'dataChanged /svc/a/b', 'deleted /svc/a/b']);
      assert.match(r.lines()[3], /data changed \/svc\/a\/b · v0→v1 · 4 B→6 B · "deep" → "deeper" · ephemeral, session 0x55/);
      assert.match(r.lines()[4], /deleted \/svc\/a\/b · was v1 · 6 B · "deeper" · ephemeral, session 0x55/);
      r.mgr.dispose();
    });

    it('a large subtree is not read: only changed nodes are, and the snapshots kept are bounded', async () => {
      const r = rig({ lruSize: 50, seedLimit: 100 }, (zk) => {
        zk.mkdirp('/big');
        for (let i = 0; i < 2000; i++) zk.create(`/big/n${i}`, 'x');
      });
      await r.mgr.add('/big', 'subtree');
      await r.settle();
      const s = r.host.current;
      assert.equal(s.calls.getChildren ?? 0, 0, 'no listing of a subtree over the seed limit');
      for (let i = 0; i < 300; i++) r.zk.set(`/big/n${i}`, 'y');
      await r.settle();
      assert.equal(r.changes().length, 300);
      assert.ok(r.mgr.stats().lruSize <= 50);
      assert.ok((s.calls.getData ?? 0) <= 300 + 1);
      // The first change of a node never seen before says so.
      assert.equal(r.changes()[0].firstSeen, true);
      r.mgr.dispose();
    });

    for (const chunked of [false, true]) {
      it(`a burst on nodes never seen before (large subtree, not read): every change counted${chunked ? ' (replies and notifications in one socket read)' : ''}`, async () => {
        const r = rig({ seedLimit: 1, verifyIntervalMs: 0 }, (zk) => {
          zk.mkdirp('/un');
          for (let i = 0; i < 50; i++) zk.create(`/un/n${i}`, '0');
          zk.chunked = chunked;
        });
        await r.mgr.add('/un', 'subtree');
        await r.settle();
        for (let round = 1; round <= 25; round++) {
          for (let i = 0; i < 50; i++) {
            r.zk.set(`/un/n${i}`, String(round));
            if ((round * 50 + i) % 13 === 0) await new Promise((res) => setImmediate(res));
          }
        }
        await r.settle();
        for (let i = 0; i < 50; i++) {
          const lines = r.changes().filter((c) => c.path === `/un/n${i}`);
          const total = lines.reduce((n, c) => n + (c.changes ?? 0), 0);
          assert.equal(total, 25, `/un/n${i}: ${lines.map((c) => formatWatchEvent(c)).join('\n')}`);
          assert.equal(lines.at(-1)!.version, 25);
          assert.equal(lines[0].firstSeen, true);
        }
        r.mgr.dispose();
      });
    }

    it('a small subtree is read once when the watch starts, so first changes have a before', async () => {
      const r = rig({}, (zk) => zk.mkdirp('/small/x', 'before'));
      await r.mgr.add('/small', 'subtree');
      await r.settle();
      r.zk.set('/small/x', 'after');
      await r.settle();
      assert.match(r.lines().at(-1)!, /data changed \/small\/x · v0→v1 · 6 B→5 B · "before" → "after"/);
      r.mgr.dispose();
    });

    it('one-shot fallback: every node armed (up to the limit), new nodes followed, changes coalesced by version', async () => {
      const r = rig({ mode: 'oneShot' }, (zk) => zk.mkdirp('/t/a/b', 'b0'));
      await r.mgr.add('/t', 'subtree');
      await r.settle();
      r.zk.create('/t/a/c', 'c0');
      await r.settle();
      r.zk.create('/t/a/c/d', 'd0');
      await r.settle();
      r.zk.set('/t/a/b', 'b1');
      r.zk.set('/t/a/b', 'b2');
      await r.settle();
      r.zk.remove('/t/a/c/d');
      await r.settle();
      assert.deepEqual(typesOf(r.changes()), ['created /t/a/c', 'created /t/a/c/d', 'dataChanged /t/a/b', 'deleted /t/a/c/d']);
      assert.equal(r.changes()[2].changes, 2);
      r.mgr.dispose();
    });

    it('one-shot fallback stops arming at the limit and says so', async () => {
      const r = rig({ mode: 'oneShot', oneShotSubtreeLimit: 10 }, (zk) => {
        zk.mkdirp('/w');
        for (let i = 0; i < 30; i++) zk.create(`/w/n${i}`);
      });
      await r.mgr.add('/w', 'subtree');
      await r.settle();
      assert.ok(r.lines().some((l) => /more than 10 nodes: nodes beyond them are not watched/.test(l)));
      assert.ok((r.host.current.calls.getData ?? 0) <= 10);
      r.mgr.dispose();
    });

    it('a node watched with its subtree shares one recursive watch and still reports children changes', async () => {
      const r = rig({}, (zk) => zk.mkdirp('/both'));
      await r.mgr.add('/both', 'subtree');
      await r.mgr.add('/both', 'node');
      await r.settle();
      assert.equal(r.host.current.persistent.get('/both'), true);
      r.zk.create('/both/k');
      await r.settle();
      assert.deepEqual(typesOf(r.changes()), ['created /both/k', 'childrenChanged /both']);
      await r.mgr.remove('/both', 'subtree');
      await r.settle();
      assert.equal(r.host.current.persistent.get('/both'), false, 'the node watch alone: a plain persistent watch');
      r.mgr.dispose();
    });
  });

  describe('connection trouble', () => {
    it('reconnect: changes made while disconnected are found and marked', async () => {
      const r = rig({}, (zk) => {
        zk.mkdirp('/cfg', 'a');
        zk.mkdirp('/tree/x', 'x0');
      });
      await r.mgr.add('/cfg', 'node');
      await r.mgr.add('/tree', 'subtree');
      await r.settle();
      r.zk.set('/tree/x', 'x1'); // seen before the disconnect
      await r.settle();
      r.host.disconnect();
      r.zk.set('/cfg', 'b');
      r.zk.set('/cfg', 'c');
      r.zk.create('/cfg/kid');
      r.zk.set('/tree/x', 'x2');
      r.zk.create('/tree/y', 'new');
      r.zk.create('/tree/x/z', 'deeper');
      await r.settle();
      r.host.reconnect();
      await r.settle();
      const after = r.changes().filter((c) => c.catchUp);
      assert.deepEqual(typesOf(after).sort(), ['childrenChanged /cfg', 'created /tree/x/z', 'created /tree/y', 'dataChanged /cfg', 'dataChanged /tree/x'].sort());
      assert.ok(after.every((c) => c.catchUp === 'reconnect'));
      const cfg = after.find((c) => c.path === '/cfg' && c.type === 'dataChanged')!;
      assert.deepEqual([cfg.prevVersion, cfg.version, cfg.changes], [0, 2, 2]);
      assert.ok(r.lines().some((l) => /data changed \/cfg · v0→v2 · 2 changes since last event \(coalesced\) · 1 B · "a" → "c" \[while disconnected\]/.test(l)));
      // And the watches keep working.
      r.zk.set('/cfg', 'd');
      await r.settle();
      assert.equal(r.changes().at(-1)!.catchUp, undefined);
      assert.equal(r.changes().at(-1)!.version, 3);
      r.mgr.dispose();
    });

    it('session expiry: watches set again on the new session, changes while down reported and marked', async () => {
      for (const mode of ['persistent', 'oneShot'] as const) {
        const r = rig({ mode }, (zk) => {
          zk.mkdirp('/e/n', 'v0');
          zk.mkdirp('/e/gone', 'bye');
        });
        await r.mgr.add('/e/n', 'node');
        await r.mgr.add('/e', 'subtree');
        await r.settle();
        const oldSession = r.host.current;
        r.host.expire();
        r.zk.set('/e/n', 'v1');
        r.zk.create('/e/n/c');
        r.zk.remove('/e/gone');
        r.zk.create('/e/fresh', 'f');
        await r.settle();
        r.host.connectNew();
        await r.settle();
        assert.notEqual(r.host.current, oldSession);
        if (mode === 'persistent') assert.equal(r.host.current.persistent.get('/e'), true);
        const after = r.changes().filter((c) => c.catchUp === 'sessionExpired');
        const got = new Set(typesOf(after));
        for (const want of ['dataChanged /e/n', 'childrenChanged /e/n', 'deleted /e/gone', 'created /e/fresh']) assert.ok(got.has(want), `${mode}: ${want} in ${[...got].join(', ')}`);
        assert.ok(r.lines().some((l) => /session 0x1001 expired; setting 2 watches again on session 0x1002/.test(l)), mode);
        r.zk.set('/e/fresh', 'g');
        await r.settle();
        assert.equal(r.changes().at(-1)!.path, '/e/fresh');
        assert.equal(r.changes().at(-1)!.catchUp, undefined);
        r.mgr.dispose();
      }
    });

    it('a notified change whose read fails with the connection is read again when it is back: one line, with details, in its place', async () => {
      const r = rig({}, (zk) => {
        zk.create('/f', '1');
        zk.create('/g', 'a');
      });
      await r.mgr.add('/f', 'node');
      await r.mgr.add('/g', 'node');
      await r.settle();
      r.zk.set('/f', '2'); // the notification arrives...
      await new Promise((res) => setImmediate(res));
      r.host.disconnect(); // ...but the read fails
      r.zk.set('/g', 'b'); // not notified: found by the comparison
      await r.settle();
      assert.deepEqual(r.changes(), [], 'nothing while the connection is down');
      r.host.reconnect();
      await r.settle();
      const cs = r.changes();
      assert.deepEqual(cs.map((c) => [c.path, c.version, c.catchUp]), [
        ['/f', 1, undefined],
        ['/g', 1, 'reconnect'],
      ]);
      assert.match(formatWatchEvent(cs[0]), /data changed \/f · v0→v1 · 1 B · "1" → "2"$/);
      r.mgr.dispose();
    });

    it('the same after a session expiry: the pending read is done on the new session', async () => {
      const r = rig({}, (zk) => zk.create('/h', '1'));
      await r.mgr.add('/h', 'node');
      await r.settle();
      r.zk.set('/h', '2');
      await new Promise((res) => setImmediate(res));
      r.host.expire();
      r.zk.set('/h', '3');
      await r.settle();
      r.host.connectNew();
      await r.settle();
      const cs = r.changes();
      assert.deepEqual(cs.map((c) => [c.version, c.changes, c.catchUp]), [[2, 2, undefined]]);
      r.mgr.dispose();
    });
  });

  it('falls back to one-shot watches when the server has no addWatch (UNIMPLEMENTED)', async () => {
    const r = rig({}, (zk) => {
      zk.noPersistent = true;
      zk.create('/old', 'a');
    });
    await r.mgr.add('/old', 'node');
    await r.settle();
    assert.ok(r.lines().some((l) => /does not support persistent watches/.test(l)));
    assert.equal(r.mgr.list()[0].mode, 'oneShot');
    r.zk.set('/old', 'b');
    await r.settle();
    assert.deepEqual(typesOf(r.changes()), ['dataChanged /old']);
    r.mgr.dispose();
  });

  it('a watch removed by another part of the session is set again and compared', async () => {
    const r = rig({}, (zk) => zk.create('/r', 'a'));
    await r.mgr.add('/r', 'node');
    await r.settle();
    r.host.current.removeBySomeoneElse('/r');
    await r.settle();
    assert.ok(r.lines().some((l) => /removed on the server by another part of this session; setting it again/.test(l)));
    assert.equal(r.host.current.persistent.get('/r'), false);
    r.zk.set('/r', 'b');
    await r.settle();
    assert.deepEqual(typesOf(r.changes()), ['dataChanged /r']);
    r.mgr.dispose();
  });

  for (const mode of ['persistent', 'oneShot'] as const) {
    it(`${mode}: a watch dropped silently (the tree collapsing the node) is found by the periodic check, and what it missed is reported`, async () => {
      const r = rig({ mode, verifyIntervalMs: 0 }, (zk) => zk.create('/col', 'a'));
      await r.mgr.add('/col', 'node');
      await r.settle();
      r.host.current.removeChildWatchesSilently('/col');
      r.zk.create('/col/missed');
      await r.settle();
      assert.deepEqual(r.changes(), [], 'no notification: nothing yet');
      await r.mgr.verify();
      await r.settle();
      assert.deepEqual(typesOf(r.changes()), ['childrenChanged /col']);
      assert.equal(r.changes()[0].catchUp, 'rearmed');
      assert.match(r.lines().at(-1)!, /children changed \/col · \+1 -0 · added: missed · 0→1 child \[while the watch was not set\]/);
      r.zk.create('/col/next');
      await r.settle();
      assert.equal(r.changes().length, 2, 'the watch works again');
      assert.equal(r.changes()[1].catchUp, undefined);
      await r.mgr.verify();
      await r.settle();
      assert.equal(r.changes().length, 2, 'a check that finds nothing new says nothing');
      r.mgr.dispose();
    });
  }

  it('unwatch removes the server watch; nothing is reported afterwards', async () => {
    const r = rig({}, (zk) => zk.create('/u', 'a'));
    await r.mgr.add('/u', 'node');
    await r.settle();
    assert.equal(await r.mgr.remove('/u'), true);
    await r.settle();
    assert.equal(r.host.current.persistent.has('/u'), false);
    r.zk.set('/u', 'b');
    await r.settle();
    assert.deepEqual(r.changes(), []);
    assert.match(r.lines().at(-1)!, /\/u: stopped watching node/);
    assert.equal(await r.mgr.remove('/u'), false);
    r.mgr.dispose();
  });

  it('watches added while disconnected are set when the connection opens', async () => {
    const r = rig({}, (zk) => zk.create('/p', 'a'));
    r.host.state = 'idle';
    const mgr2 = new WatchManager(r.host, (e) => r.events.push(e));
    await mgr2.add('/p', 'node');
    assert.match(formatWatchEvent(r.events[0]), /will watch node once connected/);
    r.host.state = 'connected';
    r.host.emit('status', { state: 'connected' });
    await r.settle();
    await mgr2.whenIdle();
    r.zk.set('/p', 'b');
    await r.settle();
    await mgr2.whenIdle();
    assert.deepEqual(typesOf(r.changes()), ['dataChanged /p']);
    mgr2.dispose();
    r.mgr.dispose();
  });

  it('a watch added while the connection is down is set when it comes back', async () => {
    const r = rig({}, (zk) => zk.create('/d', 'a'));
    r.host.disconnect();
    await r.mgr.add('/d', 'node');
    assert.match(r.lines()[0], /will watch node once connected/);
    r.host.reconnect();
    await r.settle();
    assert.equal(r.host.current.persistent.get('/d'), false);
    r.zk.set('/d', 'b');
    await r.settle();
    assert.deepEqual(typesOf(r.changes()), ['dataChanged /d']);
    r.mgr.dispose();
  });

  it('overload: past maxPending, subtree events are still listed, without details', async () => {
    const r = rig({ maxPending: 20, readConcurrency: 2 }, (zk) => zk.mkdirp('/o'));
    await r.mgr.add('/o', 'subtree');
    await r.settle();
    for (let i = 0; i < 200; i++) r.zk.create(`/o/n${i}`);
    await r.settle();
    const cs = r.changes();
    assert.equal(cs.length, 200, 'every event has its line');
    assert.ok(cs.some((c) => /details not read/.test(renderMessage(c.note ?? ''))));
    assert.ok(r.mgr.stats().skippedDetails > 0);
    r.mgr.dispose();
  });

  it('reads in flight stay within the concurrency bound', async () => {
    const r = rig({ readConcurrency: 4 }, (zk) => zk.mkdirp('/c'));
    await r.mgr.add('/c', 'subtree');
    await r.settle();
    for (let i = 0; i < 100; i++) r.zk.create(`/c/n${i}`);
    await r.settle();
    assert.ok(r.host.current.maxInFlight <= 4 + 1, `max in flight ${r.host.current.maxInFlight}`);
    assert.equal(r.changes().length, 100);
    r.mgr.dispose();
  });
});
