// ConnectionPool against a real server: what happens when the settings change while a password
// prompt is open (the prompt is the one await in open() that can take minutes).
import * as assert from 'node:assert/strict';
import { ConnectionPool } from '../../src/zk/connectionPool';
import type { ConnectionConfig } from '../../src/zk/config';
import type { ConnectionStatus } from '../../src/zk/ensembleConnection';
import { ZkCluster } from '../harness/zookeeper';

describe('ConnectionPool: settings changed during the password prompt', function () {
  this.timeout(60_000);
  let cluster: ZkCluster;
  let pool: ConnectionPool | undefined;

  before(async () => {
    cluster = await ZkCluster.startStandalone();
  });
  after(async () => {
    await cluster?.close();
  });
  afterEach(async () => {
    await pool?.dispose();
    pool = undefined;
  });

  /** A pool whose password prompt waits until the test answers it. */
  function poolWithPrompt() {
    let answer: (password: string | undefined) => void = () => undefined;
    const asked: ConnectionConfig[] = [];
    const p = new ConnectionPool((config) => {
      asked.push(config);
      return new Promise((r) => (answer = r));
    });
    const statuses: ConnectionStatus[] = [];
    p.on('status', (_name: string, s: ConnectionStatus) => statuses.push(s));
    return { pool: p, asked, statuses, answer: (pw: string | undefined) => answer(pw) };
  }

  const sessionsOnServer = async () => {
    const cons = await cluster.fourLetter(1, 'cons');
    return cons.split('\n').filter((l) => /sid=0x/.test(l)).length;
  };

  it('the connect string changes while the password is asked: nothing connects, and the user is told', async () => {
    const p = poolWithPrompt();
    pool = p.pool;
    const auth = { scheme: 'digest' as const, user: 'ops' };
    await pool.update([{ name: 'prod', connectString: cluster.connectString, auth }]);
    const before = await sessionsOnServer();
    const opening = pool.open('prod');
    await new Promise((r) => setImmediate(r));
    assert.equal(p.asked.length, 1);
    // The workspace or the user edits the connection while the prompt is open.
    await pool.update([{ name: 'prod', connectString: `${cluster.connectString}/elsewhere`, auth }]);
    p.answer('secret-for-the-old-config');
    await assert.rejects(opening, /settings of "prod" changed while its password was asked for: nothing was sent/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(pool.get('prod')?.state, 'idle', 'the pool\'s connection was not opened with the old password');
    assert.ok(!p.statuses.some((s) => s.state === 'connected'), `nothing connected: ${p.statuses.map((s) => s.state).join(', ')}`);
    assert.equal(await sessionsOnServer(), before, 'no session was left on the server');
  });

  it('the connection is removed while the password is asked: nothing connects', async () => {
    const p = poolWithPrompt();
    pool = p.pool;
    await pool.update([{ name: 'prod', connectString: cluster.connectString, auth: { scheme: 'digest', user: 'ops' } }]);
    const opening = pool.open('prod');
    await new Promise((r) => setImmediate(r));
    await pool.update([]);
    p.answer('pw');
    await assert.rejects(opening, /changed while its password was asked for/);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!p.statuses.some((s) => s.state === 'connected' || s.state === 'connecting'), p.statuses.map((s) => s.state).join(', '));
  });

  it('an unchanged connection opens with the answered password', async () => {
    const p = poolWithPrompt();
    pool = p.pool;
    await pool.update([{ name: 'prod', connectString: cluster.connectString, auth: { scheme: 'digest', user: 'ops' } }]);
    const opening = pool.open('prod');
    await new Promise((r) => setImmediate(r));
    p.answer('pw');
    const c = await opening;
    assert.equal(c, pool.get('prod'));
    assert.equal(c.state, 'connected');
  });
});
