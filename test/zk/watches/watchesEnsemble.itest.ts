// Integration tests of the watch log against a real 3-member ensemble: the server the watches are
// on is killed mid-stream (the session moves to another member), and the session is forced to
// expire while changes are made; in both cases every change is reported, the ones found after the
// fact marked as such.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../../src/zk/client';
import { EnsembleConnection } from '../../../src/zk/ensembleConnection';
import { WatchManager, formatWatchEvent } from '../../../src/zk/watches';
import { ZkCluster } from '../../harness/zookeeper';
import { waitUntil } from '../../helpers';
import { LogRecorder, sessionBuffer } from './logRecorder';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watch log against a real ensemble', function () {
  this.timeout(180_000);
  let cluster: ZkCluster;
  const cleanup: (() => Promise<void> | void)[] = [];

  before(async () => {
    cluster = await ZkCluster.startEnsemble(3);
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  after(async () => {
    await cluster?.close();
  });

  const memberAt = (address: string | undefined) => cluster.servers.find((s) => s.address === address);

  async function client(connectString: string, name: string): Promise<ZkClient> {
    const c = new ZkClient({ connectString, name, maxBackoffMs: 500 });
    await c.connect();
    cleanup.push(() => c.close());
    return c;
  }

  /** setData that rides out a leader election (CONNECTIONLOSS: applied or not, the version tells). */
  async function setData(zk: ZkClient, path: string, data: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await zk.setData(path, Buffer.from(data), -1);
        return;
      } catch (e) {
        if (attempt > 50) throw e;
        await sleep(100);
      }
    }
  }

  it('the server the watches are on dies mid-stream: the session moves on, every version and every new node is reported', async () => {
    const conn = new EnsembleConnection({ name: 'ens', connectString: cluster.connectString, sessionTimeoutMs: 10_000 }, { clientOverrides: { maxBackoffMs: 500 } });
    await conn.open();
    cleanup.push(() => conn.dispose());
    const log = new LogRecorder();
    const mgr = new WatchManager(conn, log.push, { verifyIntervalMs: 0 });
    cleanup.push(() => mgr.dispose());
    const victim = memberAt(conn.getStatus().server)!;
    const writer = await client(cluster.servers.filter((s) => s !== victim).map((s) => s.address).join(','), 'writer');
    await writer.create('/stream');
    await writer.create('/stream/n', Buffer.from('0'));
    await mgr.add('/stream/n', 'node');
    await mgr.add('/stream', 'subtree');
    await mgr.whenIdle();

    const created: string[] = [];
    for (let i = 1; i <= 400; i++) {
      await setData(writer, '/stream/n', String(i));
      if (i % 10 === 0) {
        const p = `/stream/c${i}`;
        for (let attempt = 0; ; attempt++) {
          try {
            await writer.create(p);
            break;
          } catch (e) {
            if ((e as { code?: string }).code === 'NODEEXISTS') break;
            if (attempt > 50) throw e;
            await sleep(100);
          }
        }
        created.push(p);
      }
      if (i === 150) {
        await cluster.kill(victim.id);
        cleanup.push(() => (cluster.server(victim.id).running() ? undefined : cluster.start(victim.id)));
      }
    }
    const final = (await writer.exists('/stream/n'))!.version;
    await waitUntil(() => (log.accounted('/stream/n').last ?? 0) >= final, 30_000, `version ${final} reported`);
    await waitUntil(() => created.every((p) => log.changes((c) => c.path === p && c.type === 'created').length === 1), 30_000, 'every new node reported').catch((e: Error) => {
      const wrong = created.map((p) => [p, log.changes((c) => c.path === p).map((c) => formatWatchEvent(c))] as const).filter(([, ls]) => ls.length !== 1);
      throw new Error(`${e.message}: ${JSON.stringify(wrong, null, 1)}\n${log.lines().filter((l) => !/\/stream\/n ·/.test(l)).join('\n')}`);
    });
    await mgr.whenIdle();
    const acc = log.accounted('/stream/n');
    assert.equal(acc.total, final, log.dump());
    assert.ok(acc.chained, `versions chain without gaps:\n${log.dump()}`);
    assert.notEqual(conn.getStatus().server, victim.address, 'the session moved to another member');
    assert.equal(conn.state, 'connected');
    // Every line is either notified or found after the reconnect, never lost; none twice.
    const createdLines = log.changes((c) => c.type === 'created' && c.path.startsWith('/stream/c'));
    assert.equal(createdLines.length, created.length);
    assert.ok(!log.lines().some((l) => /dropped/.test(l)));
  });

  it('a forced session expiry with changes made while it was down: the watches are set on the new session and the changes reported, marked', async () => {
    const [a, b] = cluster.servers;
    // The watching connection knows only member A; the writer and the hijacker use B.
    const conn = new EnsembleConnection({ name: 'exp', connectString: a.address, sessionTimeoutMs: 8000 }, { clientOverrides: { maxBackoffMs: 500 } });
    await conn.open();
    cleanup.push(() => conn.dispose());
    const log = new LogRecorder();
    // seedLimit 1: the subtree's nodes are not read when the watch starts, so /exp/other is a node
    // never seen and can only be found by its zxid.
    const mgr = new WatchManager(conn, log.push, { verifyIntervalMs: 0, seedLimit: 1 });
    cleanup.push(() => mgr.dispose());
    const writer = await client(b.address, 'writer');
    await writer.create('/exp');
    for (const [p, d] of [['/exp/n', 'n0'], ['/exp/seen', 's0'], ['/exp/other', 'o0'], ['/exp/gone', 'g0']]) await writer.create(p, Buffer.from(d));
    await mgr.add('/exp/n', 'node');
    await mgr.add('/exp', 'subtree');
    await mgr.whenIdle();
    await setData(writer, '/exp/seen', 's1'); // seen before the expiry: it has a snapshot
    await setData(writer, '/exp/gone', 'g1');
    await waitUntil(() => log.changes().length === 2, 10_000, 'two changes seen');
    await mgr.whenIdle();

    const oldSession = conn.client.sessionId;
    const password = Buffer.from(conn.client.sessionPassword);
    await cluster.kill(a.id);
    cleanup.push(() => (cluster.server(a.id).running() ? undefined : cluster.start(a.id)));
    await waitUntil(() => conn.state !== 'connected', 10_000, 'the watching connection down');

    // Changes while the watches are down.
    await setData(writer, '/exp/n', 'n1');
    await setData(writer, '/exp/n', 'n2');
    await writer.create('/exp/n/kid');
    await setData(writer, '/exp/seen', 's2');
    await writer.remove('/exp/gone', -1);
    await writer.create('/exp/fresh', Buffer.from('f'));
    await setData(writer, '/exp/other', 'o1');

    // Expire the session: take it over from another member, then close it.
    const hijacker = new ZkClient({ connectString: b.address, session: { id: sessionBuffer(oldSession), password } });
    await hijacker.connect();
    await hijacker.close();

    await cluster.start(a.id);
    await waitUntil(() => conn.state === 'connected' && conn.client.sessionId !== oldSession, 60_000, 'a new session');
    const expected = ['dataChanged /exp/n', 'childrenChanged /exp/n', 'dataChanged /exp/seen', 'deleted /exp/gone', 'created /exp/fresh', 'created /exp/n/kid', 'dataChanged /exp/other'];
    const found = () => new Set(log.changes((c) => c.catchUp === 'sessionExpired').map((c) => `${c.type} ${c.path}`));
    await waitUntil(() => expected.every((x) => found().has(x)), 30_000, `catch-up lines: ${expected.join(', ')}`).catch((e: Error) => {
      throw new Error(`${e.message}\n${log.dump(40)}`);
    });
    await mgr.whenIdle();
    const lines = log.lines().join('\n');
    assert.match(lines, new RegExp(`session ${oldSession} expired; setting 2 watches again on session 0x[0-9a-f]+`));
    assert.match(lines, /data changed \/exp\/n · v0→v2 · 2 changes since last event \(coalesced\) · 2 B · "n0" → "n2" \[while disconnected \(session expired\)\]/);
    assert.match(lines, /children changed \/exp\/n · \+1 -0 · added: kid · 0→1 child \[while disconnected \(session expired\)\]/);
    assert.match(lines, /data changed \/exp\/seen · v1→v2 · 2 B · "s1" → "s2" \[while disconnected \(session expired\)\]/);
    assert.match(lines, /deleted \/exp\/gone · was v1 · 2 B · "g1" \[while disconnected \(session expired\)\]/);
    assert.match(lines, /data changed \/exp\/other · now v1 · earlier versions not seen · 2 B · "o1" \[while disconnected \(session expired\)\]/);
    // Nothing reported twice.
    assert.equal(log.changes((c) => c.path === '/exp/n' && c.type === 'dataChanged').length, 1, log.dump(40));

    // The watches work on the new session.
    await setData(writer, '/exp/n', 'n3');
    await writer.create('/exp/after');
    await waitUntil(() => log.changes((c) => !c.catchUp && (c.path === '/exp/after' || (c.path === '/exp/n' && c.version === 3))).length === 2, 10_000, 'changes after the renewal');
    assert.match(formatWatchEvent(log.changes((c) => c.path === '/exp/n' && c.version === 3)[0]), /v2→v3 · 2 B · "n2" → "n3"$/);
  });
});
