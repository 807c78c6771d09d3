// ConnectionPool: listeners of its events always see a pool whose names all have a config, also
// while a removed connection reports its last states (issue 14 item 1: the health status bar read
// `.name` of the config of a connection being removed while it was still connecting).
import * as assert from 'node:assert/strict';
import { closedPort } from '../harness/net';
import { ConnectionPool } from '../../src/zk/connectionPool';
import type { ConnectionStatus } from '../../src/zk/ensembleConnection';


describe('ConnectionPool', () => {
  it('is consistent (every name has its config) when a connection that is still connecting is removed', async () => {
    const port = await closedPort();
    const pool = new ConnectionPool(async () => undefined);
    try {
      await pool.update([
        { name: 'kept', connectString: `127.0.0.1:${port}` },
        { name: 'unreachable', connectString: `127.0.0.1:${port}`, connectTimeoutMs: 500 },
      ]);
      const unreachable = pool.get('unreachable')!;
      void pool.open('unreachable').catch(() => undefined); // keeps retrying in the background
      assert.equal(unreachable.state, 'connecting');

      const seen: { name: string; state: string; names: string[]; missing: string[] }[] = [];
      pool.on('status', (name: string, status: ConnectionStatus) => {
        const names = pool.names;
        seen.push({ name, state: status.state, names, missing: names.filter((n) => pool.config(n) === undefined) });
      });
      await pool.update([{ name: 'kept', connectString: `127.0.0.1:${port}` }]);

      const last = seen.filter((s) => s.name === 'unreachable');
      assert.ok(last.length > 0, 'the removed connection reported its closing');
      assert.deepEqual(last.map((s) => s.state).at(-1), 'closed');
      for (const s of seen) assert.deepEqual(s.missing, [], `at "${s.state}" of ${s.name} the pool listed ${JSON.stringify(s.names)} with no config for ${JSON.stringify(s.missing)}`);
      assert.deepEqual(pool.names, ['kept']);
    } finally {
      await pool.dispose();
    }
  });

  it('fires "changed" when connections are added, removed, replaced or reordered, and not for the same list read again', async () => {
    const port = await closedPort();
    const pool = new ConnectionPool(async () => undefined);
    let changes = 0;
    pool.on('changed', () => changes++);
    const a = { name: 'a', connectString: `127.0.0.1:${port}` };
    const b = { name: 'b', connectString: `127.0.0.1:${port}` };
    try {
      await pool.update([a]);
      assert.equal(changes, 1, 'added');
      // The Add Connection command reloads, and so does the settings change it makes: the second
      // read finds the pool as it is. A "changed" for it made the tree drop and fetch every row again.
      await pool.update([{ ...a }]);
      assert.equal(changes, 1, 'the same list again');
      await pool.update([a, b]);
      assert.equal(changes, 2, 'another added');
      await pool.update([b, a]);
      assert.equal(changes, 3, 'reordered');
      const replaced = pool.get('a');
      await pool.update([b, { ...a, readOnly: true }]);
      assert.equal(changes, 4, 'replaced');
      assert.notEqual(pool.get('a'), replaced);
      await pool.update([b]);
      assert.equal(changes, 5, 'removed');
      assert.deepEqual(pool.names, ['b']);
    } finally {
      await pool.dispose();
    }
  });
});
