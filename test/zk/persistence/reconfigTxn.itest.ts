// A dynamic reconfiguration as the members of a real 3-node ensemble log it. ZooKeeper logs a reconfig
// as a record of type 16 (OpCode.reconfig) whose body is a SetDataTxn on /zookeeper/config: the new
// config text (QuorumVerifier.toString: the server lines, then version=<the reconfig's own zxid>)
// and version -1 (PrepRequestProcessor). Two reconfigs (a follower demoted to observer, then
// removed) are read from the leader's and the other follower's logs with our reader, compared record
// by record with ZooKeeper's TxnLogToolkit, and found by the history of /zookeeper/config and the
// timeline's type and path filters.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { ZkClient } from '../../../src/zk/client';
import { listDataDir, nodeHistory, readTimelinePage, TXN_OP, TxnLogReader, txnTypeName, type TxnEntry } from '../../../src/zk/persistence';
import { CONFIG_NODE, membersServing, readDynamicConfig, runReconfig, type ReadConfig } from '../../../src/zk/reconfig';
import { parseDynamicConfig, propose } from '../../../src/zk/reconfigProposal';
import { ZkCluster } from '../../harness/zookeeper';
import { txnLogToolkit } from './zkTools';

const SUPER_PASSWORD = 'reconfig-txn-test';
const superDigest = `super:${createHash('sha1').update(`super:${SUPER_PASSWORD}`).digest('base64')}`;

async function readLog(file: string): Promise<TxnEntry[]> {
  const reader = await TxnLogReader.open(file);
  const entries: TxnEntry[] = [];
  for await (const e of reader.entries()) entries.push(e);
  assert.equal(reader.damage, undefined, `${basename(file)}: ${reader.damage?.message}`);
  return entries;
}

/** Our reading of one log against TxnLogToolkit's, record by record; the reconfig records' bodies in full. */
async function compareWithToolkit(file: string): Promise<TxnEntry[]> {
  const theirs = await txnLogToolkit(file);
  const ours = await readLog(file);
  assert.equal(ours.length, theirs.txns.length, `${basename(file)}: record count`);
  if (theirs.eofCount !== undefined) assert.equal(ours.length, theirs.eofCount);
  ours.forEach((e, i) => {
    const j = theirs.txns[i];
    const where = `${basename(file)} record ${i} (zxid 0x${j.zxid.toString(16)})`;
    assert.deepEqual(
      [e.header.zxid, BigInt.asUintN(64, e.header.clientId), e.header.cxid, txnTypeName(e.header.type).toLowerCase()],
      [j.zxid, j.session, j.cxid, j.type.toLowerCase()],
      where,
    );
    if (j.type === 'reconfig' || j.type === 'setData') {
      // Both bodies are a SetDataTxn, which TxnLogToolkit prints as "path,data,version" (new lines kept).
      const op = e.op;
      assert.ok(op.type === j.type, `${where}: decoded as ${op.type}`);
      assert.equal(j.rest.trimEnd(), `${op.path},${op.data.toString('utf8')},${op.version}`, where);
    }
  });
  return ours;
}

describe('reconfig transactions in the logs of a real ensemble', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let session: bigint;
  /** The config after each reconfig, as the server answered it. */
  const answers: ReadConfig[] = [];
  let target: number;
  let leader: number;
  let other: number;

  before(async function () {
    this.timeout(100_000);
    cluster = await ZkCluster.startEnsemble(3, { reconfig: { superDigest }, startTimeoutMs: 60_000 });
    leader = (await cluster.leaderId()) ?? 1;
    // A follower goes: the leader stays, so no election runs in between.
    target = [1, 2, 3].find((id) => id !== leader)!;
    other = [1, 2, 3].find((id) => id !== leader && id !== target)!;
    const admin = new ZkClient({
      connectString: `${cluster.server(leader).address},${cluster.server(other).address}`,
      auth: [{ scheme: 'digest', auth: `super:${SUPER_PASSWORD}` }],
    });
    try {
      await admin.connect();
      session = BigInt(admin.sessionId);
      await admin.create('/before', Buffer.from('a change before the reconfigs'));
      let config = await readDynamicConfig(admin);
      for (const change of [{ kind: 'changeRole', id: target, role: 'observer' }, { kind: 'remove', id: target }] as const) {
        const p = propose(config, change, await membersServing(config));
        assert.deepEqual(p.refusals, []);
        config = await runReconfig(admin, p);
        answers.push(config);
      }
      await admin.setData('/before', Buffer.from('a change after them'), -1);
    } finally {
      await admin.close();
    }
    // Stopped, so the logs are complete and nothing is appended while both readers read them.
    await Promise.all([1, 2, 3].map((id) => cluster.stop(id)));
  });

  after(async () => {
    await cluster?.close();
  });

  async function logsOf(id: number): Promise<string[]> {
    return (await listDataDir(cluster.server(id).dataDir)).filter((f) => f.kind === 'log').map((f) => f.path);
  }

  it('the leader\'s and a follower\'s logs match TxnLogToolkit record by record, reconfigs included', async () => {
    for (const id of [leader, other]) {
      const entries: TxnEntry[] = [];
      for (const log of await logsOf(id)) entries.push(...(await compareWithToolkit(log)));
      const reconfigs = entries.filter((e) => e.header.type === TXN_OP.reconfig);
      assert.equal(reconfigs.length, 2, `server ${id}: ${entries.map((e) => txnTypeName(e.header.type)).join(' ')}`);
    }
  });

  it('each reconfig is decoded: type 16, the admin session, a SetDataTxn on /zookeeper/config with the new config, version -1', async () => {
    const entries: TxnEntry[] = [];
    for (const log of await logsOf(leader)) entries.push(...(await readLog(log)));
    const reconfigs = entries.filter((e) => e.header.type === TXN_OP.reconfig);
    assert.equal(reconfigs.length, answers.length);
    reconfigs.forEach((e, i) => {
      assert.equal(e.header.clientId, session);
      assert.ok(e.header.time > 0 && e.header.time <= Date.now());
      const op = e.op;
      assert.ok(op.type === 'reconfig', `decoded as ${op.type}`);
      assert.equal(op.path, CONFIG_NODE);
      assert.equal(op.version, -1);
      assert.equal(op.dataLength, op.data.length);
      // The body is the config the server answered, and its version is the reconfig's own zxid.
      assert.equal(op.data.toString('utf8'), answers[i].text);
      assert.equal(parseDynamicConfig(op.data.toString('utf8')).version, e.header.zxid.toString(16));
    });
    assert.deepEqual(answers[0].members.map((m) => [m.id, m.type]).sort(), [1, 2, 3].map((id) => [id, id === target ? 'observer' : 'participant']));
    assert.deepEqual(answers[1].members.map((m) => m.id).sort(), [leader, other].sort());
    // The changes around them keep their order: the create before, the setData after.
    const touching = entries.filter((e) => 'path' in e.op && e.op.path === '/before').map((e) => [e.op.type, e.header.zxid > reconfigs[1].header.zxid, e.header.zxid < reconfigs[0].header.zxid]);
    assert.deepEqual(touching, [[touching[0]?.[0], false, true], ['setData', true, false]]);
    assert.match(String(touching[0][0]), /^create2?$/);
  });

  it('the history of /zookeeper/config lists both reconfigs, newest first, with the config after each', async () => {
    const h = await nodeHistory(await logsOf(other), CONFIG_NODE);
    assert.deepEqual(h.damages, []);
    assert.deepEqual(
      h.versions.map((v) => [v.change, v.session, v.expectedVersion, parseDynamicConfig(v.data?.toString('utf8') ?? '').version]),
      [answers[1], answers[0]].map((a) => ['reconfig', session, -1, a.version]),
    );
    assert.deepEqual(h.versions.map((v) => v.zxid.toString(16)), [answers[1].version, answers[0].version]);
  });

  it('the timeline finds them by type and by the /zookeeper path prefix', async () => {
    const logs = await logsOf(leader);
    const byType = await readTimelinePage(logs, { fileIndex: 0 }, { types: ['reconfig'] }, 100);
    assert.deepEqual(byType.rows.map((r) => [r.entry.header.zxid.toString(16), r.paths, r.dataBytes > 0]), [answers[0], answers[1]].map((a) => [a.version, [CONFIG_NODE], true]));
    const byPath = await readTimelinePage(logs, { fileIndex: 0 }, { pathPrefix: '/zookeeper' }, 100);
    assert.deepEqual(byPath.rows.map((r) => r.entry.header.zxid), byType.rows.map((r) => r.entry.header.zxid));
  });
});
