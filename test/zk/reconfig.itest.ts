// Dynamic reconfiguration against a real 3-node ensemble (reconfigEnabled=true, a super digest):
// grown to 4 by a new observer the test starts, the observer promoted to participant, a member
// removed; each change followed until every member's `conf` reports the new version. Refusals: a
// session that is not the super user (NOAUTH, with the fix), a stale config version (BADVERSION),
// and a proposal that would lose the quorum, refused before anything is sent.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ZkClient } from '../../src/zk/client';
import { isZkError } from '../../src/zk/errors';
import { parseMemberLine } from '../../src/zk/health/fourLetterWords';
import { renderMessage } from '../../src/zk/message';
import { ReconfigRefused, followReconfig, membersServing, readDynamicConfig, runReconfig, type ReconfigClient } from '../../src/zk/reconfig';
import { parseDynamicConfig, propose, quorumOf } from '../../src/zk/reconfigProposal';
import { ZkCluster } from '../harness/zookeeper';

/** Retries `get` (errors included) until `ok`, for up to 15 s. */
async function eventually<T>(get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const v = await get();
      if (ok(v) || Date.now() > deadline) return v;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const SUPER_PASSWORD = 'reconfig-test';
const superDigest = `super:${createHash('sha1').update(`super:${SUPER_PASSWORD}`).digest('base64')}`;

describe('dynamic reconfiguration (real ensemble)', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let admin: ZkClient;
  const clients: ZkClient[] = [];

  async function connect(auth: boolean): Promise<ZkClient> {
    // Never on server.3, which the last test kills.
    const c = new ZkClient({ connectString: `${cluster.server(1).address},${cluster.server(2).address}`, auth: auth ? [{ scheme: 'digest', auth: `super:${SUPER_PASSWORD}` }] : [] });
    clients.push(c);
    await c.connect();
    return c;
  }

  before(async function () {
    this.timeout(90_000);
    cluster = await ZkCluster.startEnsemble(3, { reconfig: { superDigest }, startTimeoutMs: 60_000 });
    admin = await connect(true);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await cluster?.close();
  });

  it('reads the dynamic config: three participants with their client addresses, and its version', async () => {
    const config = await readDynamicConfig(admin);
    assert.deepEqual(config.members.map((m) => [m.id, m.type, m.clientPort]), [1, 2, 3].map((id) => [id, 'participant', cluster.server(id).clientPort]));
    assert.match(config.version ?? '', /^[0-9a-f]+$/);
  });

  it('says what is missing when the session is not authorised (NOAUTH: super digest or skipACL=yes)', async () => {
    const plain = await connect(false);
    const config = await readDynamicConfig(plain);
    const p = propose(config, { kind: 'remove', id: 3 });
    await assert.rejects(runReconfig(plain, p), (e: unknown) => {
      assert.ok(e instanceof ReconfigRefused, String(e));
      assert.equal(e.code, 'NOAUTH');
      assert.equal(e.configLine, 'skipACL=yes');
      assert.match(e.message, /superDigest=super:<digest>/);
      return true;
    });
    assert.equal((await readDynamicConfig(admin)).version, config.version, 'nothing changed');
  });

  it('is refused on a read-only connection before it is sent', async () => {
    const readOnly = new ZkClient({ connectString: cluster.server(1).address, readOnly: true, auth: [{ scheme: 'digest', auth: `super:${SUPER_PASSWORD}` }] });
    clients.push(readOnly);
    await readOnly.connect();
    const config = await readDynamicConfig(readOnly);
    await assert.rejects(runReconfig(readOnly, propose(config, { kind: 'remove', id: 3 })), (e: unknown) => isZkError(e, 'READ_ONLY_GUARD'));
    assert.equal((await readDynamicConfig(admin)).version, config.version, 'nothing changed');
  });

  let grownFrom: Awaited<ReturnType<typeof readDynamicConfig>>;

  it('grows to four: a new observer started with the config joins by reconfig, and every member reports it', async () => {
    const before = await readDynamicConfig(admin);
    grownFrom = before;
    const observer = await cluster.startNewMember('observer');
    const member = parseMemberLine(observer.memberLine);
    assert.ok(member);
    const p = propose(before, { kind: 'add', member }, await membersServing(before));
    assert.deepEqual(p.refusals, []);
    assert.deepEqual([p.after.voters, p.after.observers], [3, 1]);
    const after = await runReconfig(admin, p);
    assert.deepEqual(after.members.map((m) => [m.id, m.type]), [[1, 'participant'], [2, 'participant'], [3, 'participant'], [4, 'observer']]);
    assert.notEqual(after.version, before.version);
    const followed = await followReconfig(after, { timeoutMs: 20_000, intervalMs: 200 });
    assert.ok(followed.done, JSON.stringify(followed.members));
    assert.equal(followed.members.length, 4);
    assert.match(await cluster.fourLetter(4, 'srvr'), /Mode: observer/);
  });

  it('refuses a stale config version on the server (BADVERSION) and says to read it again', async () => {
    const stale = propose(grownFrom, { kind: 'remove', id: 3 });
    assert.deepEqual(stale.refusals, []);
    await assert.rejects(runReconfig(admin, stale), (e: unknown) => {
      assert.ok(e instanceof ReconfigRefused, String(e));
      assert.equal(e.code, 'BADVERSION');
      assert.match(e.message, new RegExp(`since it was read \\(version ${grownFrom.version}\\).*Read it again`));
      return true;
    });
    assert.equal((await readDynamicConfig(admin)).members.length, 4, 'nothing removed');
  });

  it('promotes the observer to participant: four voters, majority three', async () => {
    const config = await readDynamicConfig(admin);
    const p = propose(config, { kind: 'changeRole', id: 4, role: 'participant' }, await membersServing(config));
    assert.deepEqual(p.refusals, []);
    const after = await runReconfig(admin, p);
    assert.equal(after.members.find((m) => m.id === 4)?.type, 'participant');
    assert.deepEqual(quorumOf(after.members), { voters: 4, majority: 3, survives: 1, observers: 0 });
    const followed = await followReconfig(after, { timeoutMs: 20_000, intervalMs: 200 });
    assert.ok(followed.done, JSON.stringify(followed.members));
    assert.match(await cluster.fourLetter(4, 'srvr'), /Mode: (follower|leader)/);
  });

  it('removes a member: the others report a config without it', async () => {
    const config = await readDynamicConfig(admin);
    const p = propose(config, { kind: 'remove', id: 4 }, await membersServing(config));
    assert.deepEqual(p.refusals, []);
    const after = await runReconfig(admin, p);
    assert.deepEqual(after.members.map((m) => m.id), [1, 2, 3]);
    const followed = await followReconfig(after, { timeoutMs: 20_000, intervalMs: 200 });
    assert.ok(followed.done, JSON.stringify(followed.members));
    assert.doesNotMatch(await cluster.fourLetter(1, 'conf'), /^server\.4=/m);
  });

  it('refuses before sending a proposal that would lose the quorum with the members serving now', async () => {
    const config = await readDynamicConfig(admin);
    await cluster.kill(3);
    // Server 3 may have led: the others elect again before they serve.
    const up = await eventually(() => membersServing(config), (s) => s.size === 2);
    assert.deepEqual([...up].sort(), [1, 2]);
    // Without server.1 the voters are 2 and 3, and only 2 serves: no majority.
    const p = propose(config, { kind: 'remove', id: 1 }, up);
    assert.match(p.refusals.map((m) => renderMessage(m)).join(' '), /would lose the quorum/);
    let sent = 0;
    const counting: ReconfigClient = { getData: (path) => admin.getData(path), reconfig: (...args) => (sent++, admin.reconfig(...args)) };
    await assert.rejects(runReconfig(counting, p), (e: unknown) => isZkError(e, 'INVALID_ARGUMENT') && /not sent: .*would lose the quorum/.test(e.message));
    assert.equal(sent, 0);
    const now = await eventually(() => readDynamicConfig(admin), () => true);
    assert.equal(now.version, config.version);
  });
});

describe('dynamic reconfiguration refused by a server without it (real standalone server)', function () {
  this.timeout(60_000);
  let server: ZkCluster | undefined;
  let client: ZkClient | undefined;
  after(async () => {
    await client?.close();
    await server?.close();
  });

  it('says the config has no members, and explains RECONFIGDISABLED with the zoo.cfg line', async () => {
    server = await ZkCluster.startStandalone();
    client = new ZkClient({ connectString: server.connectString });
    await client.connect();
    await assert.rejects(readDynamicConfig(client), /lists no members: the server runs standalone or predates dynamic reconfiguration/);
    // A proposal made elsewhere (the panel's config of another moment): the server is the judge.
    const config = parseDynamicConfig(`server.1=127.0.0.1:2888:3888:participant;${server.server(1).address}\nserver.2=127.0.0.1:2889:3889:participant;2182\nversion=100000000`);
    await assert.rejects(runReconfig(client, propose(config, { kind: 'remove', id: 2 })), (e: unknown) => {
      assert.ok(e instanceof ReconfigRefused, String(e));
      assert.equal(e.code, 'RECONFIGDISABLED');
      assert.equal(e.configLine, 'reconfigEnabled=true');
      assert.match(e.message, /set reconfigEnabled=true in every member's zoo.cfg/);
      return true;
    });
  });
});
