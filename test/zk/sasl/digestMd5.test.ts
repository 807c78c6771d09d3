import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DigestMd5Client, DigestMd5Error, digestMd5Bytes, parseDirectives, ZOOKEEPER_DIGEST_URI } from '../../../src/zk/sasl/digestMd5';

// RFC 2831 section 4, the IMAP example: the response and rspauth values printed in the RFC.
const RFC_CHALLENGE = 'realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8';
const rfcClient = () =>
  new DigestMd5Client({ user: 'chris', password: digestMd5Bytes('secret') }, { digestUri: 'imap/elwood.innosoft.com', cnonce: 'OA6MHXh6VqTrRk' });

describe('DIGEST-MD5 client (RFC 2831)', () => {
  it('answers the RFC\'s example challenge with the RFC\'s response and accepts its rspauth', () => {
    const c = rfcClient();
    const response = parseDirectives(c.respond(Buffer.from(RFC_CHALLENGE)).toString('utf8'));
    assert.equal(response.get('response')?.[0], 'd388dad90d4bbd760a152321f2143af7');
    assert.equal(response.get('username')?.[0], 'chris');
    assert.equal(response.get('realm')?.[0], 'elwood.innosoft.com');
    assert.equal(response.get('nonce')?.[0], 'OA6MG9tEQGm2hh');
    assert.equal(response.get('cnonce')?.[0], 'OA6MHXh6VqTrRk');
    assert.equal(response.get('nc')?.[0], '00000001');
    assert.equal(response.get('qop')?.[0], 'auth');
    assert.equal(response.get('digest-uri')?.[0], 'imap/elwood.innosoft.com');
    assert.equal(response.get('charset')?.[0], 'utf-8');
    assert.equal(c.complete, false);
    c.verify(Buffer.from('rspauth=ea40f60335c427b5527b84dbabcdfffd'));
    assert.equal(c.complete, true);
  });

  it('refuses an rspauth that does not prove the password', () => {
    const c = rfcClient();
    c.respond(Buffer.from(RFC_CHALLENGE));
    assert.throws(() => c.verify(Buffer.from('rspauth=ea40f60335c427b5527b84dbabcdfffe')), /rspauth does not match/);
    assert.equal(c.complete, false);
    assert.throws(() => rfcClient().verify(Buffer.from('rspauth=ea40f60335c427b5527b84dbabcdfffd')), /before a challenge/);
    const d = rfcClient();
    d.respond(Buffer.from(RFC_CHALLENGE));
    assert.throws(() => d.verify(Buffer.from('nothing=here')), /no rspauth/);
  });

  it('uses ZooKeeper\'s digest-uri by default and a random cnonce each time', () => {
    const a = new DigestMd5Client({ user: 'u', password: digestMd5Bytes('p') });
    const b = new DigestMd5Client({ user: 'u', password: digestMd5Bytes('p') });
    const challenge = Buffer.from('realm="zk-sasl-md5",nonce="abc",charset=utf-8,algorithm=md5-sess');
    const ra = parseDirectives(a.respond(challenge).toString());
    const rb = parseDirectives(b.respond(challenge).toString());
    assert.equal(ra.get('digest-uri')?.[0], ZOOKEEPER_DIGEST_URI);
    assert.equal(ZOOKEEPER_DIGEST_URI, 'zookeeper/zk-sasl-md5');
    assert.notEqual(ra.get('cnonce')?.[0], rb.get('cnonce')?.[0]);
    assert.equal(ra.get('realm')?.[0], 'zk-sasl-md5');
  });

  it('hashes with the password given, so another password gives another response', () => {
    const challenge = Buffer.from(RFC_CHALLENGE);
    const other = new DigestMd5Client({ user: 'chris', password: digestMd5Bytes('secreT') }, { digestUri: 'imap/elwood.innosoft.com', cnonce: 'OA6MHXh6VqTrRk' });
    assert.notEqual(parseDirectives(other.respond(challenge).toString()).get('response')?.[0], 'd388dad90d4bbd760a152321f2143af7');
  });

  it('never puts the password in its message', () => {
    const c = new DigestMd5Client({ user: 'alice', password: digestMd5Bytes('hunter2-pass') });
    const text = c.respond(Buffer.from('realm="zk-sasl-md5",nonce="n",charset=utf-8,algorithm=md5-sess')).toString();
    assert.ok(!text.includes('hunter2-pass'));
  });

  it('refuses hostile or unusable challenges with a reason', () => {
    const respond = (t: string | Buffer) => new DigestMd5Client({ user: 'u', password: digestMd5Bytes('p') }).respond(Buffer.isBuffer(t) ? t : Buffer.from(t));
    assert.throws(() => respond(''), /empty challenge/);
    assert.throws(() => respond(Buffer.alloc(4096, 0x61)), /4096 bytes/);
    assert.throws(() => respond('realm="r",algorithm=md5-sess'), /no nonce/);
    assert.throws(() => respond('nonce="a",nonce="b",algorithm=md5-sess'), /"nonce" 2 times/);
    assert.throws(() => respond('nonce="a"'), /algorithm "\(none\)"/);
    assert.throws(() => respond('nonce="a",algorithm=md5-sess,qop="auth-conf"'), /qop auth-conf/);
    assert.throws(() => respond('nonce="a,algorithm=md5-sess'), /unterminated/);
    assert.throws(() => respond('nonce'), /no value/);
    assert.throws(() => respond('nonce="a",algorithm=md5-sess,charset=iso-8859-1'), /charset/);
    const twice = new DigestMd5Client({ user: 'u', password: digestMd5Bytes('p') });
    twice.respond(Buffer.from('nonce="a",algorithm=md5-sess'));
    assert.throws(() => twice.respond(Buffer.from('nonce="a",algorithm=md5-sess')), DigestMd5Error);
  });

  it('parses quoted values with escapes and several realms', () => {
    const d = parseDirectives(' realm="a\\"b" , realm="c",nonce=xyz,\tqop="auth,auth-int"');
    assert.deepEqual(d.get('realm'), ['a"b', 'c']);
    assert.deepEqual(d.get('nonce'), ['xyz']);
    assert.deepEqual(d.get('qop'), ['auth,auth-int']);
  });

  it('hashes ISO 8859-1 text as ISO 8859-1 and anything else as UTF-8 (RFC 2831 2.1.2.1)', () => {
    assert.deepEqual(digestMd5Bytes('pässword'), Buffer.from('pässword', 'latin1'));
    assert.deepEqual(digestMd5Bytes('пароль'), Buffer.from('пароль', 'utf8'));
    // A1's inner hash for a Latin-1 user, realm and password is over their ISO 8859-1 bytes.
    const c = new DigestMd5Client({ user: 'jöe', password: digestMd5Bytes('pässword') }, { cnonce: 'c' });
    const got = parseDirectives(c.respond(Buffer.from('realm="zk-sasl-md5",nonce="n",charset=utf-8,algorithm=md5-sess')).toString('utf8'));
    const inner = createHash('md5').update(Buffer.from('jöe:zk-sasl-md5:pässword', 'latin1')).digest();
    const ha1 = createHash('md5').update(Buffer.concat([inner, Buffer.from(':n:c')])).digest('hex');
    const ha2 = createHash('md5').update('AUTHENTICATE:zookeeper/zk-sasl-md5').digest('hex');
    const expected = createHash('md5').update(`${ha1}:n:00000001:c:auth:${ha2}`).digest('hex');
    assert.equal(got.get('response')?.[0], expected);
    assert.equal(got.get('username')?.[0], 'jöe');
  });
});
