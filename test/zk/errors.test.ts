import * as assert from 'node:assert/strict';
import { SERVER_CODES, ZkError, isZkError } from '../../src/zk/errors';

describe('ZkError', () => {
  it('names known server codes and says what to do', () => {
    const e = ZkError.fromServer(-101, 'read', '/a/b');
    assert.equal(e.code, 'NONODE');
    assert.equal(e.serverCode, -101);
    assert.equal(e.path, '/a/b');
    assert.equal(e.message, 'Node /a/b does not exist');
    const v = ZkError.fromServer(-103, 'write', '/x', { expectedVersion: 3, actualVersion: 4 });
    assert.equal(v.message, 'Version conflict: /x was changed by someone else (expected 3, now 4)');
    assert.match(ZkError.fromServer(-102, 'write', '/p').message, /Not authorized to write \/p/);
    assert.match(ZkError.fromServer(-125, 'create', '/q').message, /Quota exceeded under \/q/);
  });

  it('keeps a code it has never heard of, as a ZkError', () => {
    const e = ZkError.fromServer(-999, 'read', '/z');
    assert.ok(isZkError(e));
    assert.equal(e.code, 'UNKNOWN');
    assert.equal(e.serverCode, -999);
    assert.match(e.message, /-999/);
  });

  it('names every server code it knows by a code of the closed union', () => {
    for (const [n, name] of Object.entries(SERVER_CODES)) {
      const e = ZkError.fromServer(Number(n), 'read', '/z');
      assert.equal(e.code, name);
      assert.equal(e.serverCode, Number(n));
    }
    // No error is named after success.
    assert.equal(ZkError.fromServer(0, 'read', '/z').code, 'UNKNOWN');
  });
});
