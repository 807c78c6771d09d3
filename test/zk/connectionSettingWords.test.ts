// What is wrong with an entry of zookeeper.connections (the warning when settings are ignored), in
// the user's language: every word through the Translate, the setting's keys and values as they are.
import * as assert from 'node:assert/strict';
import { connectionConfigProblems, readConnections } from '../../src/zk/config';
import { marking, untranslated } from './markingTranslate';

describe("zookeeper.connections problems in the user's language", () => {
  const bad: unknown[] = [
    'not an object',
    { connectString: '127.0.0.1:2181' },
    { name: 'a', connectString: '127.0.0.1:2181' },
    { name: 'a', connectString: '127.0.0.1:2181' },
    { name: 'b', connectString: 'h:abc', sessionTimeoutMs: -1, maxReplyBytes: 1 },
    { name: 'c', connectString: 'h:1', auth: { scheme: 'kerberos' } },
    { name: 'd', connectString: 'h:1', auth: { scheme: 'sasl', user: 'u', mechanism: 'PLAIN' } },
  ];

  it('every problem is worded through the Translate', () => {
    const { connections, problems } = readConnections(bad, marking);
    assert.deepEqual(connections.map((c) => c.name), ['a']);
    assert.equal(problems.length, 6, problems.join('\n'));
    for (const p of problems) {
      const words = p.replace(/^zookeeper\.connections\[\d+\]( \("[^"]*"\))?: /, '').replace(/"connectString": /g, '');
      assert.equal(untranslated(words), '', p);
    }
    assert.match(problems[2], /: «the name "a" is used twice»$/);
  });

  it('in English by default, as before', () => {
    assert.deepEqual(connectionConfigProblems(bad[4]), [
      '"connectString": "h:abc": the port must be a number',
      '"sessionTimeoutMs" must be a positive number of milliseconds',
      '"maxReplyBytes" must be a whole number of bytes from 1,114,112 to 268,435,456',
    ]);
    assert.equal(readConnections([{ connectString: 'h:1', auth: { scheme: 'x' } }]).problems[0], 'zookeeper.connections[0]: "name" is missing; "auth.scheme" must be "digest" or "sasl"; "auth.user" is missing');
  });
});
