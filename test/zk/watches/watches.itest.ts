// Integration tests of the watch log against a real ZooKeeper 3.8 server, with other real clients
// (zkCli.sh, or a separate session) making the changes: every event type, 1,000 rapid updates
// with every version accounted for, a burst across a subtree, a large subtree that is not read,
// one-shot watches, a watch dropped by the tree, unwatch, restoring watches after a restart, and
// reporting what changed while VS Code was closed from the state saved by the earlier run.
import * as assert from 'node:assert/strict';
import { ZkClient, type MultiOp } from '../../../src/zk/client';
import { EnsembleConnection } from '../../../src/zk/ensembleConnection';
import { WatchManager, formatWatchEvent, readSavedWatchState, readSavedWatches, type WatchManagerOptions } from '../../../src/zk/watches';
import { ZkCluster, zkCli } from '../../harness/zookeeper';
import { waitUntil } from '../../helpers';
import { LogRecorder } from './logRecorder';

describe('watch log against a real server (standalone)', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let writer: ZkClient;
  const managers: WatchManager[] = [];
  const connections: EnsembleConnection[] = [];

  before(async () => {
    cluster = await ZkCluster.startStandalone();
    writer = new ZkClient({ connectString: cluster.connectString, name: 'writer' });
    await writer.connect();
  });

  after(async () => {
    for (const m of managers) m.dispose();
    for (const c of connections) await c.dispose();
    await writer?.close();
    await cluster?.close();
  });

  async function watcher(opts: Partial<WatchManagerOptions> = {}, name = 'it'): Promise<{ conn: EnsembleConnection; mgr: WatchManager; log: LogRecorder }> {
    const conn = new EnsembleConnection({ name, connectString: cluster.connectString });
    connections.push(conn);
    await conn.open();
    const log = new LogRecorder();
    const mgr = new WatchManager(conn, log.push, opts);
    managers.push(mgr);
    return { conn, mgr, log };
  }

  async function cli(...args: string[]): Promise<void> {
    const r = await zkCli(cluster.servers[0].address, args);
    assert.ok(!/Exception|Node does not exist|already exists/.test(r.stdout + r.stderr), `zkCli ${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
  }

  it('reports every event type made by zkCli.sh and by another session, with what changed and ephemeral owners', async () => {
    const { mgr, log } = await watcher();
    await writer.create('/types');
    await mgr.add('/types/cfg', 'node');
    await mgr.add('/types', 'subtree');
    await mgr.whenIdle();
    assert.match(log.lines().find((l) => l.includes('/types/cfg: watching node'))!, /does not exist yet: its creation will be reported/);

    await cli('create', '/types/cfg', 'timeout=30');
    await waitUntil(() => log.changes((c) => c.path === '/types/cfg' && c.type === 'created').length === 1, 10_000, 'created');
    await cli('set', '/types/cfg', 'timeout=45');
    await waitUntil(() => log.changes((c) => c.type === 'dataChanged').length === 1, 10_000, 'data changed');
    await cli('create', '/types/cfg/child', 'c');
    await waitUntil(() => log.changes((c) => c.type === 'childrenChanged').length === 1, 10_000, 'children changed');

    const other = new ZkClient({ connectString: cluster.connectString, name: 'owner' });
    await other.connect();
    await other.create('/types/cfg/leader', Buffer.from('me'), { mode: 'ephemeral' });
    await waitUntil(() => log.changes((c) => c.type === 'childrenChanged').length === 2, 10_000, 'ephemeral child');
    await other.close(); // the ephemeral node goes with its session
    await waitUntil(() => log.changes((c) => c.path === '/types/cfg/leader' && c.type === 'deleted').length === 1, 10_000, 'ephemeral deleted');
    await cli('delete', '/types/cfg/child');
    await waitUntil(() => log.changes((c) => c.path === '/types/cfg/child' && c.type === 'deleted').length === 1, 10_000, 'child deleted');
    await cli('delete', '/types/cfg');
    await waitUntil(() => log.changes((c) => c.path === '/types/cfg' && c.type === 'deleted').length >= 1, 10_000, 'deleted');
    await mgr.whenIdle();

    const lines = log.lines().join('\n');
    const s = other.sessionId;
    assert.match(lines, /\[it\] created \/types\/cfg · v0 · 10 B · "timeout=30"/);
    assert.match(lines, /\[it\] data changed \/types\/cfg · v0→v1 · 10 B · "timeout=30" → "timeout=45"/);
    assert.match(lines, /\[it\] children changed \/types\/cfg · \+1 -0 · added: child · 0→1 child/);
    assert.match(lines, new RegExp(`children changed /types/cfg · \\+1 -0 · added: leader \\(session ${s}\\) · 1→2 children`));
    assert.match(lines, new RegExp(`created /types/cfg/leader · v0 · 2 B · "me" · ephemeral, session ${s}`));
    assert.match(lines, new RegExp(`deleted /types/cfg/leader · was v0 · 2 B · "me" · ephemeral, session ${s}`));
    assert.match(lines, /children changed \/types\/cfg · \+0 -1 · removed: leader · 2→1 child/);
    assert.match(lines, /deleted \/types\/cfg · was v1 · 10 B · "timeout=45"/);
    // The node watch and the subtree watch both see /types/cfg: one line per change, not two.
    assert.equal(log.changes((c) => c.path === '/types/cfg' && c.type === 'dataChanged').length, 1);
  });

  for (const mode of ['persistent', 'oneShot'] as const) {
    it(`${mode}: 1,000 rapid updates to one node, every version accounted for (delivered or coalesced)`, async () => {
      const { mgr, log } = await watcher({ mode });
      const path = `/rapid-${mode}`;
      await writer.create(path, Buffer.from('0'));
      await mgr.add(path, 'node');
      await mgr.whenIdle();
      const writes: Promise<unknown>[] = [];
      for (let i = 1; i <= 1000; i++) writes.push(writer.setData(path, Buffer.from(String(i)), -1));
      await Promise.all(writes);
      await waitUntil(() => (log.accounted(path).last ?? 0) >= 1000, 20_000, `version 1000 of ${path}`);
      const acc = log.accounted(path);
      assert.equal(acc.total, 1000, log.dump());
      assert.ok(acc.chained, `versions chain without gaps:\n${log.dump()}`);
      const lines = log.changes((c) => c.path === path);
      assert.ok(lines.length < 1000, `coalesced into ${lines.length} lines`);
      assert.match(formatWatchEvent(lines.at(-1)!), /→ "1000"$/, 'the last line shows the last value, and was notified (not found by the periodic check)');
      if (mode === 'oneShot') assert.ok(lines.some((c) => (c.changes ?? 1) > 1), 'one-shot gaps are reported as coalesced');
    });
  }

  it('a burst across a subtree: every created, changed and deleted node accounted for', async () => {
    const { mgr, log } = await watcher();
    const root = '/burst';
    await writer.create(root);
    const names = Array.from({ length: 200 }, (_, i) => `${root}/n${String(i).padStart(3, '0')}`);
    await writer.multi(names.map((p): MultiOp => ({ type: 'create', path: p, data: Buffer.from('0') })));
    await mgr.add(root, 'subtree');
    await mgr.whenIdle();
    const writes: Promise<unknown>[] = [];
    for (let round = 1; round <= 25; round++) for (const p of names) writes.push(writer.setData(p, Buffer.from(String(round)), -1));
    for (let i = 0; i < 100; i++) writes.push(writer.create(`${root}/new${i}`, Buffer.from('x')));
    await Promise.all(writes);
    await Promise.all(names.slice(0, 50).map((p) => writer.remove(p, -1)));
    await waitUntil(() => log.changes((c) => c.type === 'deleted').length >= 50, 30_000, '50 deletions');
    await mgr.whenIdle();
    for (const p of names.slice(50)) {
      const acc = log.accounted(p);
      assert.equal(acc.total, 25, `${p}: ${acc.total} changes accounted\n${log.changes((c) => c.path === p).map((c) => formatWatchEvent(c)).join('\n')}`);
      assert.ok(acc.chained, p);
    }
    for (const p of names.slice(0, 50)) {
      const acc = log.accounted(p);
      assert.equal(acc.total, 25, p);
      assert.equal(log.changes((c) => c.path === p && c.type === 'deleted').length, 1, `${p} deleted once`);
    }
    assert.equal(log.changes((c) => c.type === 'created').length, 100);
    assert.ok(!log.lines().some((l) => /dropped|details not read/.test(l)));
  });

  it('a subtree of 20,000 nodes is not read: only the nodes that change are', async () => {
    const { mgr, log } = await watcher();
    const root = '/big';
    await writer.create(root);
    for (let i = 0; i < 20_000; i += 1000) {
      await writer.multi(Array.from({ length: 1000 }, (_, j): MultiOp => ({ type: 'create', path: `${root}/n${i + j}` })));
    }
    await mgr.add(root, 'subtree');
    await mgr.whenIdle();
    const readsAtStart = mgr.stats().reads;
    assert.ok(readsAtStart <= 2, `reads when the watch started: ${readsAtStart}`);
    assert.match(log.lines().find((l) => l.includes('/big: watching subtree'))!, /20,001 nodes in the subtree/);
    for (let i = 0; i < 20; i++) await writer.setData(`${root}/n${i * 997}`, Buffer.from('changed'), -1);
    await waitUntil(() => log.changes((c) => c.path.startsWith(root + '/')).length === 20, 10_000, '20 lines');
    assert.ok(mgr.stats().reads - readsAtStart <= 20);
    assert.match(formatWatchEvent(log.changes()[0]), /data changed \/big\/n0 · now v1 · 1 change notified; earlier versions not seen · 7 B · "changed"/);
  });

  it('one-shot watches on a subtree (servers without addWatch): nested nodes followed, gaps coalesced by version', async () => {
    const { mgr, log } = await watcher({ mode: 'oneShot' });
    await writer.create('/os');
    await writer.create('/os/a', Buffer.from('a0'));
    await mgr.add('/os', 'subtree');
    await mgr.whenIdle();
    await writer.create('/os/a/b', Buffer.from('b0'));
    await waitUntil(() => log.changes((c) => c.path === '/os/a/b').length === 1, 10_000, '/os/a/b created');
    await mgr.whenIdle();
    await writer.create('/os/a/b/c', Buffer.from('c0'));
    await waitUntil(() => log.changes((c) => c.path === '/os/a/b/c').length === 1, 10_000, '/os/a/b/c created');
    await mgr.whenIdle();
    const writes: Promise<unknown>[] = [];
    for (let i = 1; i <= 50; i++) writes.push(writer.setData('/os/a/b/c', Buffer.from(`c${i}`), -1));
    await Promise.all(writes);
    await waitUntil(() => (log.accounted('/os/a/b/c').last ?? 0) >= 50, 10_000, 'version 50');
    assert.equal(log.accounted('/os/a/b/c').total, 50);
    assert.ok(log.accounted('/os/a/b/c').chained);
    await writer.remove('/os/a/b/c', -1);
    await waitUntil(() => log.changes((c) => c.path === '/os/a/b/c' && c.type === 'deleted').length === 1, 10_000, 'deleted');
  });

  it('the tree collapsing a watched node (removeWatches children) leaves the persistent watch whole: the change is notified, not found later', async () => {
    const { conn, mgr, log } = await watcher({ verifyIntervalMs: 300 });
    await writer.create('/collapse');
    await mgr.add('/collapse', 'node');
    await mgr.whenIdle();
    await conn.client.getChildren('/collapse', () => undefined); // the tree expands the node
    await conn.client.removeWatches('/collapse', 'children'); // and collapses it
    await writer.create('/collapse/x');
    await waitUntil(() => log.changes((c) => c.path === '/collapse').length === 1, 10_000, 'the change');
    const [change] = log.changes((c) => c.path === '/collapse');
    assert.equal(change.catchUp, undefined, 'notified by the server, not found by the periodic check');
    assert.match(formatWatchEvent(change), /children changed \/collapse · \+1 -0 · added: x/);
    assert.match(await cluster.fourLetter(1, 'wchp'), /^\/collapse$/m);
  });

  it('unwatch removes the watch on the server (wchp) and nothing more is reported', async () => {
    const { mgr, log } = await watcher({ verifyIntervalMs: 0 });
    await writer.create('/unw');
    await mgr.add('/unw', 'subtree');
    await mgr.whenIdle();
    assert.match(await cluster.fourLetter(1, 'wchp'), /^\/unw$/m);
    await mgr.remove('/unw');
    await waitUntil(async () => !/^\/unw$/m.test(await cluster.fourLetter(1, 'wchp')), 5000, 'the watch gone from wchp');
    await writer.create('/unw/x');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(log.changes((c) => c.path.startsWith('/unw')).length, 0);
  });

  it('restoring watches after a restart: the saved list is set when the connection opens, not before', async () => {
    const saved = JSON.parse(JSON.stringify([
      { connection: 'restored', path: '/restore/n', kind: 'node' },
      { connection: 'restored', path: '/restore', kind: 'subtree' },
    ])) as unknown;
    await writer.create('/restore');
    await writer.create('/restore/n', Buffer.from('a'));
    // A new "VS Code": a connection not opened yet, and the saved list.
    const conn = new EnsembleConnection({ name: 'restored', connectString: cluster.connectString });
    connections.push(conn);
    const log = new LogRecorder();
    const mgr = new WatchManager(conn, log.push);
    managers.push(mgr);
    for (const spec of readSavedWatches(saved, (p) => p.startsWith('/'))) await mgr.add(spec.path, spec.kind);
    assert.equal(conn.state, 'idle', 'restoring does not connect');
    assert.equal(log.lines().filter((l) => /will watch (node|subtree) once connected/.test(l)).length, 2);
    await writer.setData('/restore/n', Buffer.from('b'), -1); // made while "VS Code" was not connected
    await conn.open();
    await waitUntil(() => mgr.list().every((w) => w.active), 10_000, 'watches set');
    await mgr.whenIdle();
    await cli('set', '/restore/n', 'c');
    await cli('create', '/restore/m', 'm');
    await waitUntil(() => log.changes().length >= 2, 10_000, 'two changes');
    await mgr.whenIdle();
    assert.deepEqual(log.changes().map((c) => `${c.type} ${c.path}`), ['dataChanged /restore/n', 'created /restore/m']);
    assert.match(formatWatchEvent(log.changes()[0]), /v1→v2 · 1 B · "b" → "c"/);
  });

  it('changes made while VS Code was closed are reported when the saved state is restored, each once, marked', async () => {
    await writer.create('/closed');
    await writer.create('/closed/cfg', Buffer.from('v1'));
    await writer.create('/closed/old', Buffer.from('old'));
    await writer.create('/closed/quiet', Buffer.from('q1'));
    // First run: watches set, one change seen live, then the state saved and "VS Code" closed.
    const first = await watcher({}, 'closed');
    await first.mgr.add('/closed/cfg', 'node');
    await first.mgr.add('/closed', 'subtree');
    await first.mgr.whenEstablished();
    await first.mgr.whenIdle();
    await writer.setData('/closed/cfg', Buffer.from('v2'), -1);
    await waitUntil(() => first.log.changes((c) => c.path === '/closed/cfg').length === 1, 10_000, 'the live change');
    await first.mgr.whenIdle();
    const saved = JSON.parse(JSON.stringify(first.mgr.saveState())) as unknown;
    first.mgr.dispose();
    await first.conn.close();

    // While closed.
    await writer.setData('/closed/cfg', Buffer.from('v3'), -1);
    await writer.create('/closed/new', Buffer.from('fresh'));
    await writer.remove('/closed/old', -1);
    await writer.setData('/closed/quiet', Buffer.from('q2'), -1);

    // Second run: the saved list and state, the connection opened later.
    const state = readSavedWatchState(saved);
    assert.ok(state, 'the saved state reads back');
    const conn = new EnsembleConnection({ name: 'closed', connectString: cluster.connectString });
    connections.push(conn);
    const log = new LogRecorder();
    const mgr = new WatchManager(conn, log.push);
    managers.push(mgr);
    mgr.restoreState(state);
    await mgr.add('/closed/cfg', 'node');
    await mgr.add('/closed', 'subtree');
    assert.deepEqual(mgr.saveState(), state, 'not connected yet: the saved state still stands');
    await conn.open();
    await waitUntil(() => mgr.list().every((w) => w.active), 10_000, 'watches set');
    await mgr.whenEstablished();
    await mgr.whenIdle();
    const changes = log.changes().map((c) => `${c.type} ${c.path} ${c.catchUp}`).sort();
    assert.deepEqual(
      changes,
      ['created /closed/new restored', 'dataChanged /closed/cfg restored', 'dataChanged /closed/quiet restored', 'deleted /closed/old restored'],
      log.dump(),
    );
    const text = log.lines().join('\n');
    // The saved state keeps sizes and digests, never data: no "before" excerpt for offline changes.
    assert.match(text, /data changed \/closed\/cfg · v1→v2 · 2 → 2 bytes · now "v3" \[while VS Code was not watching\]/);
    assert.match(text, /deleted \/closed\/old · was v0 · 3 B \[while VS Code was not watching\]/);
    assert.doesNotMatch(JSON.stringify(saved), /djI|"v2"|b2xk/, 'no data (nor its base64) in the saved state');
    assert.match(text, /\/closed\/cfg: node watch restored: comparing with its state saved at/);

    // Once reported, not again: a later live change is reported on its own.
    await writer.setData('/closed/cfg', Buffer.from('v4'), -1);
    await waitUntil(() => log.changes((c) => c.path === '/closed/cfg').length === 2, 10_000, 'the next live change');
    await mgr.whenIdle();
    assert.equal(log.changes((c) => c.path === '/closed/cfg')[1].catchUp, undefined);
    assert.equal(log.changes().length, 5);
    if (process.env.ZK_TEST_VERBOSE) console.log(log.dump());
  });

  it('a saved state ahead of the ensemble (another ensemble, or its data reset) is not compared, and says so', async () => {
    await writer.create('/elsewhere', Buffer.from('x'));
    const conn = new EnsembleConnection({ name: 'elsewhere', connectString: cluster.connectString });
    connections.push(conn);
    const log = new LogRecorder();
    const mgr = new WatchManager(conn, log.push);
    managers.push(mgr);
    mgr.restoreState({
      version: 2,
      savedAt: Date.now() - 60_000,
      zxid: '0x7fffffff00000000',
      watches: [{ path: '/elsewhere', kind: 'node' }],
      snapshots: [['/elsewhere', { exists: true, czxid: '0x1', mzxid: '0x1', version: 7, size: 1 }]],
    });
    await mgr.add('/elsewhere', 'node');
    await conn.open();
    await waitUntil(() => mgr.list().every((w) => w.active), 10_000, 'watch set');
    await mgr.whenEstablished();
    await mgr.whenIdle();
    assert.equal(log.changes().length, 0, log.dump());
    assert.match(log.lines().join('\n'), /is ahead of this ensemble .*changes made since then are not listed/);
    assert.match(log.lines().join('\n'), /\/elsewhere: watching node/);
  });
});
