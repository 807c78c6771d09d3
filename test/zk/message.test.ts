// A domain message kept as template and arguments (src/zk/message.ts): English by default, through
// the Translate it is given otherwise, nested messages included; an error's message is taken as its
// Message when it has one.
import * as assert from 'node:assert/strict';
import { ZkError } from '../../src/zk/errors';
import type { Translate } from '../../src/zk/localize';
import { joinMessages, messageOfError, msg, renderMessage } from '../../src/zk/message';

describe('domain messages (msg, renderMessage)', () => {
  const upper: Translate = (m, ...args) => m.toUpperCase().replace(/\{(\d+)\}/g, (_, i: string) => `<${String(args[Number(i)])}>`);

  it('renders English with its arguments, or through a Translate, inner messages translated too', () => {
    const m = msg('Cannot {0} {1}: {2}', 'delete', '/a', msg('{0} nodes are', 3));
    assert.equal(renderMessage(m), 'Cannot delete /a: 3 nodes are');
    assert.equal(renderMessage(m, upper), 'CANNOT <delete> </a>: <<3> NODES ARE>');
    assert.equal(renderMessage('plain'), 'plain');
  });

  it("an error's message: the ZkError's Message, or the plain text of anything else", () => {
    const e = new ZkError('NONODE', msg('Node {0} does not exist', '/x'));
    assert.equal(e.message, 'Node /x does not exist');
    assert.deepEqual(messageOfError(e), { template: 'Node {0} does not exist', args: ['/x'] });
    assert.equal(messageOfError(new ZkError('INTERNAL', 'internal text')), 'internal text');
    assert.equal(messageOfError(new Error('boom')), 'boom');
    assert.equal(messageOfError('text'), 'text');
    assert.equal(renderMessage(messageOfError(ZkError.fromServer(-110, 'create', '/n')), upper), 'NODE </n> ALREADY EXISTS');
  });

  it('joins a list into one Message, each part and each separator translated; an empty list is a mistake', () => {
    const parts = [msg('{0} is down', 'a'), msg('{0} is down', 'b'), msg('no quorum')];
    assert.equal(renderMessage(joinMessages(parts)), 'a is down; b is down; no quorum');
    assert.equal(renderMessage(joinMessages(parts, ',')), 'a is down, b is down, no quorum');
    assert.equal(renderMessage(joinMessages([parts[2]]), upper), 'NO QUORUM');
    assert.equal(renderMessage(joinMessages(parts.slice(0, 2)), upper), '<<a> IS DOWN>; <<b> IS DOWN>');
    assert.throws(() => joinMessages([]), RangeError);
  });
});
