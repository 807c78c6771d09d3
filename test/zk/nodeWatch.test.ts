import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Watcher } from '../../src/zk/client';
import { NodeWatchSet, compare, type NodeChange } from '../../src/zk/nodeWatch';
import type { ZnodeStat } from '../../src/zk/stat';
import { waitUntil } from '../helpers';

function stat(version: number, czxid = '0x1'): ZnodeStat {
  return {
    czxid,
    mzxid: '0x' + (16 + version).toString(16),
    pzxid: czxid,
    ctime: new Date(0),
    mtime: new Date(version),
    version,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: '0x0',
    dataLength: 1,
    numChildren: 0,
  };
}

/** A connection whose one-shot watches the test fires by hand, like a server would. */
class FakeConnection extends EventEmitter {
  state = 'connected';
  nodes = new Map<string, ZnodeStat>();
  watchers = new Map<string, Watcher[]>();
  existsCalls = 0;
  fail = false;
  readonly client = {
    exists: async (path: string, watcher?: Watcher) => {
      this.existsCalls++;
      if (this.fail) throw new Error('connection loss');
      if (watcher) this.watchers.set(path, [...(this.watchers.get(path) ?? []), watcher]);
      return this.nodes.get(path);
    },
  };

  fire(path: string, type: 'dataChanged' | 'deleted' | 'created'): void {
    const ws = this.watchers.get(path) ?? [];
    this.watchers.delete(path);
    for (const w of ws) w({ type, path });
  }
}

describe('NodeWatchSet', () => {
  it('tells what changed, re-arms after each notification, and shares one watch per node', async () => {
    const conn = new FakeConnection();
    conn.nodes.set('/a', stat(0));
    const set = new NodeWatchSet(() => conn);
    const seen: NodeChange[] = [];
    const other: NodeChange[] = [];
    const w1 = set.watch('c', '/a', (ch) => seen.push(ch));
    const w2 = set.watch('c', '/a', (ch) => other.push(ch));
    await waitUntil(() => conn.watchers.get('/a')?.length === 1, 2000, 'armed once');
    conn.nodes.set('/a', stat(1));
    conn.fire('/a', 'dataChanged');
    await waitUntil(() => seen.length === 1, 2000, 'change seen');
    assert.equal(seen[0].kind, 'changed');
    assert.equal(seen[0].stat?.version, 1);
    assert.equal(other.length, 1);
    await waitUntil(() => conn.watchers.get('/a')?.length === 1, 2000, 're-armed');
    conn.nodes.delete('/a');
    conn.fire('/a', 'deleted');
    await waitUntil(() => seen.length === 2, 2000, 'deletion seen');
    assert.equal(seen[1].kind, 'deleted');
    w2.dispose();
    conn.nodes.set('/a', stat(0, '0x99'));
    conn.fire('/a', 'created');
    await waitUntil(() => seen.length === 3, 2000, 'creation seen');
    assert.equal(seen[2].kind, 'created');
    assert.equal(other.length, 2, 'a disposed listener hears nothing more');
    w1.dispose();
    assert.equal(set.size, 0);
    assert.equal(conn.listenerCount('status'), 0, 'no listeners left on the connection');
  });

  it('after a new session, re-arms and reports what changed while no watch was set', async () => {
    const conn = new FakeConnection();
    conn.nodes.set('/a', stat(0));
    const set = new NodeWatchSet(() => conn);
    const seen: NodeChange[] = [];
    set.watch('c', '/a', (ch) => seen.push(ch));
    await waitUntil(() => conn.watchers.size === 1, 2000, 'armed');
    conn.watchers.clear(); // the old session's watches are gone
    conn.nodes.set('/a', stat(3));
    conn.emit('sessionRenewed', { previousSessionId: '0x1', sessionId: '0x2' });
    await waitUntil(() => seen.length === 1, 2000, 'catch-up change');
    assert.equal(seen[0].stat?.version, 3);
    assert.equal(conn.watchers.get('/a')?.length, 1);
    set.dispose();
  });

  it('arms once the connection is usable, and retries after a failure', async () => {
    const conn = new FakeConnection();
    conn.state = 'idle';
    conn.nodes.set('/a', stat(0));
    const errors: unknown[] = [];
    const set = new NodeWatchSet(() => conn, (e) => errors.push(e));
    set.watch('c', '/a', () => undefined);
    assert.equal(conn.existsCalls, 0);
    conn.state = 'connected';
    conn.fail = true;
    conn.emit('status', { state: 'connected' });
    await waitUntil(() => errors.length === 1, 2000, 'failure reported');
    conn.fail = false;
    conn.emit('status', { state: 'connected' });
    await waitUntil(() => conn.watchers.get('/a')?.length === 1, 2000, 'armed after retry');
    set.dispose();
  });

  it('a notification that arrives before the first read completes still yields the change', async () => {
    const conn = new FakeConnection();
    conn.nodes.set('/a', stat(0));
    const set = new NodeWatchSet(() => conn);
    const seen: NodeChange[] = [];
    set.watch('c', '/a', (ch) => seen.push(ch));
    // The watch is registered, its read has not completed, and the node changes.
    conn.nodes.set('/a', stat(1));
    conn.fire('/a', 'dataChanged');
    await waitUntil(() => seen.length === 1, 2000, 'change seen');
    assert.equal(seen[0].stat?.version, 1);
    set.dispose();
  });

  it("a change between the caller's read and the watch being set is reported against the caller's baseline", async () => {
    const conn = new FakeConnection();
    conn.nodes.set('/a', stat(1));
    const set = new NodeWatchSet(() => conn);
    const seen: NodeChange[] = [];
    set.watch('c', '/a', (ch) => seen.push(ch), stat(0));
    await waitUntil(() => seen.length === 1, 2000, 'change against the baseline');
    assert.equal(seen[0].kind, 'changed');
    assert.ok(set.isArmed('c', '/a'));
    set.dispose();
  });

  it('compare() names the change', () => {
    assert.equal(compare(null, undefined), undefined);
    assert.equal(compare(null, stat(0)), 'created');
    assert.equal(compare(stat(0), undefined), 'deleted');
    assert.equal(compare(stat(0), stat(0)), undefined);
    assert.equal(compare(stat(0), stat(1)), 'changed');
    assert.equal(compare(stat(4), stat(0, '0x2')), 'created');
  });
});
