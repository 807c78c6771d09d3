// SASL DIGEST-MD5 against real secured servers (issue 20): a standalone server and a 3-node
// ensemble with a JAAS Server section written by the harness, a server without SASL, and one that
// requires SASL (zookeeper.sessionRequireClientSASLAuth=true). Each refusal has its own kind and
// message on the connection; a member killed and a session expired both authenticate again.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMS, type ZkAcl } from '../../src/zk/acl';
import type { ConnectionConfig } from '../../src/zk/config';
import { EnsembleConnection, type ConnectionStatus } from '../../src/zk/ensembleConnection';
import { ZkCluster, writeClientJaas, zkCli } from '../harness/zookeeper';
import { expireSession, rejectsWith, text, waitUntil } from '../helpers';

const SESSION_TIMEOUT_MS = 6000;
const USERS = { alice: `alice-${process.pid}-secret`, bob: `bob-${process.pid}-secret` };
const ALICE_ONLY: ZkAcl[] = [{ scheme: 'sasl', id: 'alice', perms: PERMS.ALL }];
const open: EnsembleConnection[] = [];

function connection(connectString: string, auth?: ConnectionConfig['auth'], password?: string): EnsembleConnection {
  const c = new EnsembleConnection(
    { name: `sasl-${open.length}`, connectString, sessionTimeoutMs: SESSION_TIMEOUT_MS, requestTimeoutMs: 4000, connectTimeoutMs: 2000, auth },
    { password },
  );
  open.push(c);
  return c;
}

const alice = (cs: string, password = USERS.alice) => connection(cs, { scheme: 'sasl', mechanism: 'DIGEST-MD5', user: 'alice' }, password);

/** Every status text a connection showed, for the "password never in output" checks. */
function statusLog(c: EnsembleConnection): ConnectionStatus[] {
  const log: ConnectionStatus[] = [];
  c.on('status', (s: ConnectionStatus) => log.push(s));
  return log;
}

async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
}

describe('SASL DIGEST-MD5: standalone server with a JAAS Server section', function () {
  this.timeout(90_000);
  let cluster: ZkCluster;

  before(async () => {
    cluster = await ZkCluster.startStandalone({ sasl: { users: USERS } });
  });
  after(async () => {
    await closeAll();
    await cluster?.close();
  });
  afterEach(closeAll);

  it('authenticates, then reads and writes a sasl:-protected node; the server knows the session as sasl:alice', async () => {
    const c = alice(cluster.connectString);
    const statuses = statusLog(c);
    await c.open();
    assert.equal(c.state, 'connected');
    assert.deepEqual(
      (await c.client.whoAmI()).filter((w) => w.authScheme === 'sasl'),
      [{ authScheme: 'sasl', user: 'alice' }],
    );
    await c.client.create('/sasl-rw', text('v1'), { acl: ALICE_ONLY });
    assert.deepEqual(await c.client.getACL('/sasl-rw').then((r) => r.acl), ALICE_ONLY);
    const { stat } = await c.client.getData('/sasl-rw');
    await c.client.setData('/sasl-rw', text('v2'), stat.version);
    assert.equal(Buffer.from((await c.client.getData('/sasl-rw')).data).toString(), 'v2');

    // Someone else cannot; bob authenticates but is not in the ACL.
    const anonymous = connection(cluster.connectString);
    await anonymous.open();
    await rejectsWith(anonymous.client.getData('/sasl-rw'), 'NOAUTH');
    const bob = connection(cluster.connectString, { scheme: 'sasl', mechanism: 'DIGEST-MD5', user: 'bob' }, USERS.bob);
    await bob.open();
    await rejectsWith(bob.client.getData('/sasl-rw'), 'NOAUTH');

    // Another SASL client (zkCli.sh with its own JAAS Client section) reads what we wrote.
    const flags = writeClientJaas(cluster.dir, 'alice', USERS.alice);
    const cli = await zkCli(cluster.connectString, ['get', '/sasl-rw'], { jvmFlags: flags });
    assert.match(cli.stdout, /^v2$/m, cli.stdout + cli.stderr);
    assert.ok(statuses.every((s) => !JSON.stringify(s).includes(USERS.alice)));
  });

  it('runs the exchange before requests queued while connecting (they would fail NOAUTH otherwise)', async () => {
    const setup = alice(cluster.connectString);
    await setup.open();
    await setup.client.create('/sasl-queued', text('early'), { acl: ALICE_ONLY }).catch(() => undefined);
    const c = alice(cluster.connectString);
    const opened = c.open();
    assert.equal(c.state, 'connecting');
    const early = c.client.getData('/sasl-queued'); // queued before the handshake
    await opened;
    assert.equal(Buffer.from((await early).data).toString(), 'early');
  });

  it('wrong password: its own state and message, no retry loop, and the password in no output', async () => {
    const wrong = `wrong-${process.pid}`;
    const c = alice(cluster.connectString, wrong);
    const statuses = statusLog(c);
    const err = await rejectsWith(c.open(), 'AUTHFAILED', /rejected SASL user "alice" or its password/);
    assert.equal(c.state, 'authFailed');
    assert.equal(c.getStatus().authFailure, 'rejected');
    assert.match(c.getStatus().detail ?? '', /rejected SASL user "alice" or its password.*edit the connection/);
    await rejectsWith(Promise.resolve().then(() => c.client.exists('/')), 'AUTHFAILED', /rejected SASL user "alice"/);
    const shown = JSON.stringify([statuses, err.message, c.getStatus()]);
    assert.ok(!shown.includes(wrong) && !shown.includes(USERS.alice), 'no password in what the connection shows');
    // It stays refused: no reconnect loop sending the password again and again.
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(c.state, 'authFailed');
    assert.equal(statuses.filter((s) => s.state === 'connecting').length, 1, JSON.stringify(statuses.map((s) => s.state)));
  });

  it('unknown user: refused the same way (ZooKeeper does not tell an unknown user from a wrong password)', async () => {
    const c = connection(cluster.connectString, { scheme: 'sasl', mechanism: 'DIGEST-MD5', user: 'mallory' }, 'whatever');
    await rejectsWith(c.open(), 'AUTHFAILED', /rejected SASL user "mallory" or its password/);
    assert.equal(c.getStatus().authFailure, 'rejected');
    // The server's own log is the only place that tells them apart.
    assert.match(readServerLogs(cluster), /User 'mallory' not found/);
  });

  it('GSSAPI (Kerberos) is refused before any traffic, saying why', async () => {
    const c = connection(cluster.connectString, { scheme: 'sasl', mechanism: 'GSSAPI', user: 'zk@EXAMPLE.COM' }, 'x');
    await rejectsWith(c.open(), 'AUTHFAILED', /GSSAPI \(Kerberos\) is not supported by this extension: it needs a native Kerberos library/);
    assert.equal(c.state, 'authFailed');
    assert.equal(c.getStatus().authFailure, 'unsupportedMechanism');
  });

  it('keeps no password string on the connection or its client, and zeroes a closed session\'s copy', async () => {
    const c = alice(cluster.connectString);
    await c.open();
    await c.client.exists('/');
    const strings = reachableStrings(c).filter((s) => s.includes(USERS.alice));
    assert.deepEqual(strings, []);
    const client = c.client;
    const copies = reachableBuffers(client).filter((b) => b.includes(Buffer.from(USERS.alice, 'latin1')));
    assert.ok(copies.length > 0, 'the session keeps its copy of the password bytes for the next connection');
    await c.close();
    for (const b of copies) assert.ok(b.every((x) => x === 0), 'the closed session\'s copy is zeroed');
  });
});

describe('SASL DIGEST-MD5: a server without SASL, and one that requires it', function () {
  this.timeout(90_000);
  let plain: ZkCluster | undefined;
  let required: ZkCluster | undefined;

  after(async () => {
    await closeAll();
    await plain?.close();
    await required?.close();
  });
  afterEach(closeAll);

  it('a server without SASL configured: its own state, and the message names the JAAS Server section', async () => {
    plain = await ZkCluster.startStandalone();
    const c = alice(plain.connectString);
    await rejectsWith(c.open(), 'AUTHFAILED', /server has no SASL configured/);
    assert.equal(c.getStatus().authFailure, 'noSaslOnServer');
    assert.match(c.getStatus().detail ?? '', /java\.security\.auth\.login\.config.*Server section/);
    await plain.close();
  });

  it('a server that requires SASL: a connection without it gets its own state; with it, it works; a wrong password is refused', async () => {
    required = await ZkCluster.startStandalone({ sasl: { users: USERS, require: true } });
    const none = connection(required.connectString);
    await none.open().catch(() => undefined); // the handshake works; the first request (or ping) is refused
    await none.client.exists('/').catch(() => undefined);
    await waitUntil(() => none.state === 'authFailed', 5000, 'authFailed');
    await rejectsWith(Promise.resolve().then(() => none.client.exists('/')), 'AUTHFAILED', /requires SASL authentication/);
    assert.equal(none.getStatus().authFailure, 'saslRequired');
    assert.match(none.getStatus().detail ?? '', /requires SASL authentication.*choose SASL/);

    const digestOnly = connection(required.connectString, { scheme: 'digest', user: 'ops' }, 'pw');
    await digestOnly.open().catch(() => undefined);
    await digestOnly.client.exists('/').catch(() => undefined);
    await waitUntil(() => digestOnly.state === 'authFailed', 5000, 'digest-only refused');
    assert.equal(digestOnly.getStatus().authFailure, 'saslRequired');

    const c = alice(required.connectString);
    await c.open();
    await c.client.create('/required', text('ok'), { acl: ALICE_ONLY });
    assert.equal(Buffer.from((await c.client.getData('/required')).data).toString(), 'ok');

    const wrong = alice(required.connectString, 'nope');
    await rejectsWith(wrong.open(), 'AUTHFAILED', /requires SASL and rejected user "alice" or its password/);
    assert.equal(wrong.getStatus().authFailure, 'rejected');
  });
});

describe('SASL DIGEST-MD5: 3-node ensemble, member killed and session expired', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;

  before(async () => {
    cluster = await ZkCluster.startEnsemble(3, { sasl: { users: USERS } });
  });
  after(async () => {
    await closeAll();
    await cluster?.close();
  });

  it('authenticates again on the next member after a kill, and on the new session after an expiry', async () => {
    const c = alice(cluster.connectString);
    await c.open();
    await c.client.create('/ens-sasl', text('protected'), { acl: ALICE_ONLY });
    const read = async () => Buffer.from((await c.client.getData('/ens-sasl')).data).toString();
    assert.equal(await read(), 'protected');

    // Kill the member the session is on: the session moves, and SASL runs on the new connection
    // (the server keeps auth per connection: without it the read would be NOAUTH).
    const first = c.getStatus().server!;
    const victim = cluster.servers.find((s) => s.address === first)!;
    await cluster.kill(victim.id);
    await waitUntil(() => c.state === 'connected' && c.getStatus().server !== first, 20_000, 'moved to another member');
    assert.equal(await read(), 'protected');
    assert.ok((await c.client.whoAmI()).some((w) => w.authScheme === 'sasl' && w.user === 'alice'));

    // Expire the session: the new session authenticates before its first request.
    const oldSession = c.client.sessionId;
    const renewed = new Promise<void>((r) => c.once('sessionRenewed', () => r()));
    const expired = new Promise<void>((r) => c.once('sessionExpired', () => r()));
    const live = cluster.servers.filter((s) => s.id !== victim.id).map((s) => s.address).join(',');
    await expireSession(live, c.client, expired);
    await renewed;
    assert.notEqual(c.client.sessionId, oldSession);
    assert.equal(await read(), 'protected');
    assert.ok((await c.client.whoAmI()).some((w) => w.authScheme === 'sasl' && w.user === 'alice'));
  });
});

function readServerLogs(cluster: ZkCluster): string {
  return readdirSync(cluster.dir)
    .filter((d) => d.startsWith('server-'))
    .map((d) => {
      try {
        return readFileSync(join(cluster.dir, d, 'server.log'), 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
}

function* reachable(root: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    yield v;
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v) || ArrayBuffer.isView(v)) continue;
    seen.add(v);
    if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
    else if (v instanceof Set) for (const x of v) stack.push(x);
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d && 'value' in d) stack.push(d.value);
    }
  }
}

const reachableStrings = (root: unknown): string[] => [...reachable(root)].filter((v): v is string => typeof v === 'string');
const reachableBuffers = (root: unknown): Buffer[] => [...reachable(root)].filter((v): v is Buffer => Buffer.isBuffer(v));
