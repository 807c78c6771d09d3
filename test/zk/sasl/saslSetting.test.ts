// The `auth` of a connection with the sasl scheme: validated in the domain, and the settings schema
// in package.json offers the same schemes and mechanisms.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectionConfigProblems } from '../../../src/zk/config';
import { passwordKey } from '../../../src/zk/passwordKey';
import { SASL_MECHANISMS } from '../../../src/zk/sasl/saslExchange';

const base = { name: 'a', connectString: '127.0.0.1:2181' };

describe('sasl auth setting', () => {
  it('accepts sasl with a mechanism and a user, and says what is wrong otherwise', () => {
    assert.deepEqual(connectionConfigProblems({ ...base, auth: { scheme: 'sasl', mechanism: 'DIGEST-MD5', user: 'alice' } }), []);
    assert.deepEqual(connectionConfigProblems({ ...base, auth: { scheme: 'sasl', mechanism: 'GSSAPI', user: 'zk@EXAMPLE.COM' } }), [], 'GSSAPI is refused when connecting, with why');
    assert.deepEqual(connectionConfigProblems({ ...base, auth: { scheme: 'sasl', user: 'alice' } }), ['"auth.mechanism" must be "DIGEST-MD5" or "GSSAPI" for the sasl scheme']);
    assert.deepEqual(connectionConfigProblems({ ...base, auth: { scheme: 'sasl', mechanism: 'PLAIN', user: 'alice' } }), ['"auth.mechanism" must be "DIGEST-MD5" or "GSSAPI" for the sasl scheme']);
    assert.deepEqual(connectionConfigProblems({ ...base, auth: { scheme: 'kerberos', user: 'alice' } }), ['"auth.scheme" must be "digest" or "sasl"']);
    assert.deepEqual(connectionConfigProblems({ ...base, auth: { scheme: 'sasl', mechanism: 'DIGEST-MD5', user: '' } }), ['"auth.user" is missing']);
  });

  it('keeps a SASL password apart from a digest one for the same user', () => {
    const digest = passwordKey({ ...base, auth: { scheme: 'digest', user: 'alice' } });
    const sasl = passwordKey({ ...base, auth: { scheme: 'sasl', mechanism: 'DIGEST-MD5', user: 'alice' } });
    assert.ok(digest && sasl && digest !== sasl);
  });

  it('the settings schema has the same schemes and mechanisms', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'));
    const auth = manifest.contributes.configuration.properties['zookeeper.connections'].items.properties.auth;
    assert.deepEqual(auth.properties.scheme.enum, ['digest', 'sasl']);
    assert.deepEqual(auth.properties.mechanism.enum, [...SASL_MECHANISMS]);
    assert.deepEqual(auth.then.required, ['mechanism']);
  });
});
