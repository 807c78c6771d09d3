import * as assert from 'node:assert/strict';
import { ZnodeUri } from '../../src/zk/znodeUri';

describe('ZnodeUri', () => {
  it('round-trips names and paths with spaces, unicode and %', () => {
    const cases: [string, string][] = [
      ['prod', '/'],
      ['prod', '/config/app/settings.json'],
      ['my cluster', '/with space/ünïcödé 日本/100%'],
      ['50% off', '/a%20b'],
      ['kafka:prod', '/brokers/ids/1'],
      ['x', '/<img src=x onerror=alert(1)>'],
    ];
    for (const [connection, path] of cases) {
      const u = new ZnodeUri(connection, path);
      const back = ZnodeUri.parse(u.toString());
      assert.equal(back.connection, connection);
      assert.equal(back.path, path);
    }
    assert.equal(new ZnodeUri('my cluster', '/a b').toString(), 'zk://my%20cluster/a%20b');
  });

  it('explains what is wrong with a pasted URI', () => {
    assert.throws(() => ZnodeUri.parse('http://x/y'), /not a znode URI/);
    assert.throws(() => ZnodeUri.parse('zk:///a'), /needs a connection name/);
    assert.throws(() => ZnodeUri.parse('zk://c/a//b'), /empty segments/);
    assert.throws(() => ZnodeUri.parse('zk://c/%E0%A4%A'), /invalid %-escape/);
    assert.equal(ZnodeUri.parse('zk://c').path, '/');
    assert.equal(ZnodeUri.fromParts('c', '/a/').path, '/a');
  });
});
