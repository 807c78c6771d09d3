import * as assert from 'node:assert/strict';
import { shortReason } from '../../src/zk/errorReasons';
import { ZkError } from '../../src/zk/errors';

describe('errorReasons', () => {
  it('gives a short reason for the errors a tree row can show, none for others', () => {
    const noAuth = ZkError.fromServer(-102, 'list the children of', '/acc/secret');
    assert.match(noAuth.message, /^Not authorized to list the children of \/acc\/secret: /);
    assert.equal(shortReason(noAuth), 'not authorized');
    assert.equal(shortReason(ZkError.fromServer(-112, 'list the children of', '/a')), 'session expired');
    assert.equal(shortReason(new ZkError('REQUEST_DEADLINE', 'No reply to list /a within 4 s')), 'no answer in time');
    assert.equal(shortReason(new ZkError('CLOSED', 'Connection "x" is not open')), 'not connected');
    assert.equal(shortReason(new Error('something else')), undefined);
    assert.equal(shortReason(ZkError.fromServer(-999, 'list', '/a')), undefined);
  });
});
