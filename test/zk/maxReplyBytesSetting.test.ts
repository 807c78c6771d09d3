// The per-connection limit on inbound messages (`maxReplyBytes` in zookeeper.connections): validated
// like the other numbers, and its schema in package.json agrees with the code's bounds and default.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_MAX_REPLY_BYTES, connectionConfigProblems } from '../../src/zk/config';
import { DEFAULT_MAX_REPLY_BYTES, MIN_MAX_REPLY_BYTES } from '../../src/zk/wire/frames';

const base = { name: 'a', connectString: '127.0.0.1:2181' };

describe('maxReplyBytes setting', () => {
  it('accepts whole numbers of bytes within its bounds, and says what is wrong otherwise', () => {
    assert.deepEqual(connectionConfigProblems({ ...base, maxReplyBytes: MIN_MAX_REPLY_BYTES }), []);
    assert.deepEqual(connectionConfigProblems({ ...base, maxReplyBytes: MAX_MAX_REPLY_BYTES }), []);
    for (const bad of [MIN_MAX_REPLY_BYTES - 1, MAX_MAX_REPLY_BYTES + 1, 2.5e6 + 0.5, '4194304', -1]) {
      assert.deepEqual(connectionConfigProblems({ ...base, maxReplyBytes: bad }), ['"maxReplyBytes" must be a whole number of bytes from 1,114,112 to 268,435,456'], String(bad));
    }
  });

  it('the settings schema has the same bounds and default', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const schema = manifest.contributes.configuration.properties['zookeeper.connections'].items.properties.maxReplyBytes;
    assert.deepEqual([schema.minimum, schema.maximum, schema.default], [MIN_MAX_REPLY_BYTES, MAX_MAX_REPLY_BYTES, DEFAULT_MAX_REPLY_BYTES]);
  });
});
