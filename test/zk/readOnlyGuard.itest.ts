// The read-only guard decides by opcode (issue 13): every write opcode the client can send is refused
// on a read-only connection before it reaches the server, and the server is unchanged; the same call
// on a read-write connection is seen to send that opcode (so the table below cannot drift), and a
// multi of version checks only, which changes nothing, is still allowed.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { OPEN_ACL_UNSAFE } from '../../src/zk/acl';
import { OP, WRITE_OPCODES } from '../../src/zk/wire/opcodes';
import { ZkCluster } from '../harness/zookeeper';
import { rejectsWith, text } from '../helpers';

/** Records the opcode of every request the client hands to its transport. */
function spyOpcodes(c: ZkClient): number[] {
  const transport = (c as unknown as { transport: { queue(request: { opcode: number }, cb: unknown): void } }).transport;
  const seen: number[] = [];
  const queue = transport.queue.bind(transport);
  transport.queue = (request, cb) => {
    seen.push(request.opcode);
    queue(request, cb);
  };
  return seen;
}

/** Write opcodes no ZkClient method sends (plain create is always sent as create2); the unit test covers them. */
const NOT_SENT: number[] = [OP.CREATE, OP.DELETE_CONTAINER, OP.RECONFIG];

describe('read-only guard by opcode, against a real server', function () {
  this.timeout(60_000);
  let cluster: ZkCluster;
  let rw: ZkClient;
  let ro: ZkClient;

  before(async () => {
    cluster = await ZkCluster.startStandalone({ extraConfig: { extendedTypesEnabled: 'true' } });
    rw = new ZkClient({ connectString: cluster.connectString, requestTimeoutMs: 5000 });
    ro = new ZkClient({ connectString: cluster.connectString, requestTimeoutMs: 5000, readOnly: true, name: 'production' });
    await rw.connect();
    await ro.connect();
  });
  after(async () => {
    await rw?.close();
    await ro?.close();
    await cluster?.close();
  });

  it('refuses every write opcode, and the server never sees it', async () => {
    await rw.create('/guard', text('before'));
    await rw.create('/guard/victim', text('v'));
    const cases: { opcode: number; what: string; call: (c: ZkClient, n: number) => Promise<unknown> }[] = [
      { opcode: OP.CREATE2, what: 'create', call: (c, n) => c.create(`/guard/p${n}`) },
      { opcode: OP.CREATE_CONTAINER, what: 'create', call: (c, n) => c.create(`/guard/c${n}`, undefined, { mode: 'container' }) },
      { opcode: OP.CREATE_TTL, what: 'create', call: (c, n) => c.create(`/guard/t${n}`, undefined, { mode: 'persistentTtl', ttlMs: 60_000 }) },
      { opcode: OP.SET_DATA, what: 'write', call: (c) => c.setData('/guard', text('after'), -1) },
      { opcode: OP.SET_ACL, what: 'change the ACL of', call: (c) => c.setACL('/guard', OPEN_ACL_UNSAFE, -1) },
      { opcode: OP.DELETE, what: 'delete', call: (c, n) => (n === 0 ? c.remove('/guard/victim', -1) : c.remove('/guard/p0', -1)) },
      { opcode: OP.MULTI, what: 'run a transaction on', call: (c, n) => c.multi([{ type: 'check', path: '/guard', version: -1 }, { type: 'create', path: `/guard/m${n}` }]) },
    ];
    const covered = new Set<number>();
    for (const [i, k] of cases.entries()) {
      const before = await rw.getChildren('/guard');
      const beforeData = await rw.getData('/guard');
      await rejectsWith(k.call(ro, i + 1), 'READ_ONLY_GUARD', new RegExp(`^Connection "production" is read-only: refused to ${k.what} `));
      const after = await rw.getChildren('/guard');
      assert.deepEqual(after.stat, before.stat, `${k.what}: children of /guard unchanged`);
      assert.deepEqual((await rw.getData('/guard')).stat, beforeData.stat, `${k.what}: /guard unchanged`);
      // The same call on a read-write connection sends the opcode (and the server applies it).
      const sent = spyOpcodes(rw);
      await k.call(rw, 0);
      assert.ok(sent.includes(k.opcode), `${k.what} sent opcodes ${sent.join(',')}, expected ${k.opcode}`);
      for (const op of sent) if (WRITE_OPCODES.has(op)) covered.add(op);
    }
    const missing = [...WRITE_OPCODES].filter((op) => !covered.has(op) && !NOT_SENT.includes(op));
    assert.deepEqual(missing, [], 'every write opcode the client can send is exercised');
  });

  it('allows a multi of version checks only: it changes nothing', async () => {
    await rw.create('/guard-check', text('x')).catch(() => undefined);
    assert.deepEqual(await ro.multi([{ type: 'check', path: '/guard-check', version: 0 }]), [{ type: 'check' }]);
  });
});
