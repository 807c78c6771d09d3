// The watch log as history against a real 3.8 server: a watched node is created and changed by
// another session; the zxids the watch recorded are the zxids of those transactions in the server's
// own logs, so merging the two gives each change once, seen in both; the changes made after the logs
// were copied are the watch's alone.
import * as assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZkClient } from '../../src/zk/client';
import { EnsembleConnection } from '../../src/zk/ensembleConnection';
import { listDataDir, nodeHistory } from '../../src/zk/persistence';
import { mergeHistory, WatchedChanges } from '../../src/zk/watchedHistory';
import { WatchManager } from '../../src/zk/watches';
import { ZkCluster } from '../harness/zookeeper';
import { waitUntil } from '../helpers';

const text = (s: string) => Buffer.from(s, 'utf8');

describe('the watch log as history, against a real server\'s logs', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let writer: ZkClient;
  let conn: EnsembleConnection;
  let mgr: WatchManager;
  let copy: string;

  before(async () => {
    cluster = await ZkCluster.startStandalone();
    writer = new ZkClient({ connectString: cluster.connectString, name: 'writer' });
    await writer.connect();
    copy = await mkdtemp(join(tmpdir(), 'zk-watched-'));
  });

  after(async () => {
    mgr?.dispose();
    await conn?.dispose();
    await writer?.close();
    await cluster?.close();
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it('records the zxids the logs hold; merged, each change appears once and says where it was seen', async () => {
    const watched = new WatchedChanges();
    conn = new EnsembleConnection({ name: 'local', connectString: cluster.connectString });
    await conn.open();
    mgr = new WatchManager(conn, (e) => watched.record(e));
    await mgr.add('/cfg', 'node');
    await mgr.whenIdle();
    await writer.create('/cfg', text('level=1'));
    await waitUntil(() => watched.versions('local', '/cfg').length === 1, 10_000, 'created');
    for (let i = 2; i <= 3; i++) {
      await writer.setData('/cfg', text(`level=${i}`), -1);
      await waitUntil(() => watched.versions('local', '/cfg').length === i, 10_000, `level=${i}`);
    }
    // the logs as they are now (a copy: the server keeps writing its own)
    await cp(cluster.servers[0].dataDir, copy, { recursive: true });
    await writer.setData('/cfg', text('level=4'), -1);
    await waitUntil(() => watched.versions('local', '/cfg').length === 4, 10_000, 'level=4');

    const logs = (await listDataDir(copy)).filter((f) => f.kind === 'log').map((f) => f.path);
    const fromLogs = await nodeHistory(logs, '/cfg');
    assert.deepEqual(fromLogs.versions.map((v) => v.data?.toString()), ['level=3', 'level=2', 'level=1']);
    const merged = mergeHistory(fromLogs.versions, watched.versions('local', '/cfg'));
    assert.deepEqual(
      merged.map((m) => [m.log ? 'log' : '', m.watched ? 'watch' : '', Buffer.from(m.log?.data ?? m.watched!.data).toString()]),
      [['', 'watch', 'level=4'], ['log', 'watch', 'level=3'], ['log', 'watch', 'level=2'], ['log', 'watch', 'level=1']],
    );
    for (const m of merged.slice(1)) assert.equal(m.watched!.zxid, m.log!.zxid);
    assert.deepEqual(merged.map((m) => m.watched!.change), ['setData', 'setData', 'setData', 'create']);
  });
});
