import * as assert from 'node:assert/strict';
import { marking, untranslated } from './markingTranslate';
import { renderMessage } from '../../src/zk/message';
import { digestId, PERMS, type ZkAcl } from '../../src/zk/acl';
import {
  AclSyntaxError,
  digestFromUserPassword,
  describePerms,
  effectiveAccess,
  idProblemMessage,
  entryMatches,
  formatAclDocument,
  invalidAclHint,
  ipMatches,
  lockOutCheck,
  parseAclDocument,
  parseAclEntry,
  sessionIdentities,
} from '../../src/zk/aclEdit';

const alice = digestId('alice', 'secret');

const hint = (acl: Parameters<typeof invalidAclHint>[0]) => renderMessage(invalidAclHint(acl));

describe('aclEdit: text form', () => {
  it('parses entries the way zkCli.sh does (scheme to the first colon, perms after the last)', () => {
    assert.deepEqual(parseAclEntry('world:anyone:cdrwa'), { scheme: 'world', id: 'anyone', perms: PERMS.ALL });
    assert.deepEqual(parseAclEntry(`digest:${alice}:ra`), { scheme: 'digest', id: alice, perms: PERMS.READ | PERMS.ADMIN });
    assert.deepEqual(parseAclEntry('auth::crwda'), { scheme: 'auth', id: '', perms: PERMS.ALL });
    assert.deepEqual(parseAclEntry('ip:10.0.0.0/8:r'), { scheme: 'ip', id: '10.0.0.0/8', perms: PERMS.READ });
    assert.deepEqual(parseAclEntry('ip:2001:db8::1:r'), { scheme: 'ip', id: '2001:db8::1', perms: PERMS.READ });
    assert.deepEqual(parseAclEntry('x509:CN=client,O=Example:rw'), { scheme: 'x509', id: 'CN=client,O=Example', perms: PERMS.READ | PERMS.WRITE });
    assert.deepEqual(parseAclEntry('sasl:zk@EXAMPLE.COM:r'), { scheme: 'sasl', id: 'zk@EXAMPLE.COM', perms: PERMS.READ });
    assert.deepEqual(parseAclEntry('myplugin:whatever:r'), { scheme: 'myplugin', id: 'whatever', perms: PERMS.READ });
  });

  it('says what is wrong with an entry', () => {
    assert.throws(() => parseAclEntry('world:anyone'), /not scheme:id:permissions/);
    assert.throws(() => parseAclEntry('world:anyone:rx'), /Unknown permission flag "x"/);
    assert.throws(() => parseAclEntry('world:anyone:rr'), /repeat/);
    assert.throws(() => parseAclEntry('world:anyone:'), /grants no permissions/);
    assert.throws(() => parseAclEntry('world:everyone:r'), /only the id "anyone"/);
    assert.throws(() => parseAclEntry('digest:alice:secret:r'), /looks like a password/);
    assert.throws(() => parseAclEntry('digest:alice:r'), /user:hash/);
    assert.throws(() => parseAclEntry('ip:10.0.0.300:r'), /not an IP address/);
    assert.throws(() => parseAclEntry('ip:10.0.0.0/33:r'), /prefix length/);
    assert.throws(() => parseAclEntry('sasl::r'), /cannot be empty/);
  });

  it('round-trips a document and reports every problem with its line', () => {
    const acl: ZkAcl[] = [
      { scheme: 'world', id: 'anyone', perms: PERMS.READ },
      { scheme: 'digest', id: alice, perms: PERMS.ALL },
      { scheme: 'sasl', id: 'svc/host@REALM', perms: PERMS.READ | PERMS.WRITE },
    ];
    const text = formatAclDocument(acl, { path: '/a', connection: 'local' });
    assert.match(text, /^# ACL of \/a on "local"/);
    assert.deepEqual(parseAclDocument(text), acl);
    assert.deepEqual(parseAclDocument(text.replace(/\n/g, '\r\n')), acl);
    try {
      parseAclDocument('# c\nworld:anyone:r\nbad\nworld:anyone:w\n');
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof AclSyntaxError);
      assert.deepEqual(e.problems.map((p) => p.line), [3, 4]);
      assert.match(e.message, /line 4: world:anyone is already on line 2/);
    }
    assert.throws(() => parseAclDocument('# nothing\n'), /at least one entry/);
  });

  it('explains why a server may refuse an ACL', () => {
    assert.match(hint([{ scheme: 'sasl', id: 'zk@R', perms: 1 }]), /sasl:zk@R:r: the sasl scheme needs its authentication provider enabled/);
    assert.match(hint([{ scheme: 'x509', id: 'CN=a', perms: 1 }, { scheme: 'sasl', id: 'b', perms: 1 }]), /x509 and sasl schemes need their.*TLS client port/);
    assert.match(hint([{ scheme: 'auth', id: '', perms: 31 }]), /auth: is accepted only when this session has authenticated/);
    assert.match(hint([{ scheme: 'world', id: 'anyone', perms: 1 }]), /check each entry/);
  });

  it('makes the digest form from user:password', () => {
    assert.equal(digestFromUserPassword('alice:secret'), alice);
    assert.equal(digestFromUserPassword('bob:pa:ss'), digestId('bob', 'pa:ss'));
    assert.throws(() => digestFromUserPassword('nopassword'), /user:password/);
    assert.equal(describePerms(PERMS.READ | PERMS.ADMIN), 'read, admin');
  });

  it("words an id's problem as a Message the adapter translates (Add ACL Entry's input box)", () => {
    const cases: [string, string][] = [['world', 'someone'], ['digest', 'alice'], ['digest', 'alice:secret'], ['ip', 'nope'], ['ip', '10.0.0.0/99'], ['sasl', ' ']];
    for (const [scheme, id] of cases) {
      const m = idProblemMessage(scheme, id);
      assert.ok(m, `${scheme}:${id}`);
      assert.equal(untranslated(renderMessage(m, marking)), '', renderMessage(m));
    }
    assert.equal(idProblemMessage('world', 'anyone'), undefined);
  });

  it('words why a server may refuse an ACL as a Message the adapter translates', () => {
    const cases = [[{ scheme: 'sasl', id: 'zk@R', perms: 1 }], [{ scheme: 'x509', id: 'CN=a', perms: 1 }, { scheme: 'sasl', id: 'b', perms: 1 }], [{ scheme: 'x509', id: 'CN=a', perms: 1 }], [{ scheme: 'sasl', id: 'a', perms: 1 }, { scheme: 'sasl', id: 'b', perms: 1 }, { scheme: 'plug', id: 'c', perms: 1 }], [{ scheme: 'auth', id: '', perms: 31 }], [{ scheme: 'world', id: 'anyone', perms: 1 }]];
    for (const acl of cases) {
      const shown = renderMessage(invalidAclHint(acl), marking);
      assert.equal(untranslated(shown), '', shown);
    }
  });

  it("words an ACL document's problems as a Message the adapter translates", () => {
    for (const text of ['bad\n', 'world:anyone:r\nworld:anyone:w\n', 'x y:z:r\nworld:anyone:\nworld:anyone:rr\nworld:nobody:r\n', '# nothing\n']) {
      try {
        parseAclDocument(text);
        assert.fail('should throw');
      } catch (e) {
        assert.ok(e instanceof AclSyntaxError);
        const shown = renderMessage(e.localized, marking);
        assert.match(shown, /^«/, shown);
        assert.equal(untranslated(shown), '', shown);
        assert.equal(renderMessage(e.localized), e.message, 'the English text is the message');
      }
    }
  });

  it('words the permissions through the Translate it is given', () => {
    assert.equal(describePerms(PERMS.READ | PERMS.WRITE | PERMS.ADMIN, marking), '«««read», «write»», «admin»»');
    assert.equal(describePerms(0, marking), '«no permissions»');
    assert.equal(describePerms(PERMS.ALL), 'create, delete, read, write, admin');
  });
});

describe('aclEdit: who may do what', () => {
  const who = sessionIdentities(
    [
      { authScheme: 'ip', user: '127.0.0.1' },
      { authScheme: 'digest', user: 'alice' },
    ],
    { user: 'alice', password: 'secret' },
  );

  it('builds identities from whoAmI and the digest credentials', () => {
    assert.deepEqual(who.identities, [
      { scheme: 'ip', id: '127.0.0.1' },
      { scheme: 'digest', id: alice },
    ]);
    assert.deepEqual(sessionIdentities(undefined, { user: 'alice', password: 'secret' }), { identities: [{ scheme: 'digest', id: alice }], fromServer: false });
  });

  it('matches entries like the server does', () => {
    assert.equal(entryMatches({ scheme: 'world', id: 'anyone', perms: 1 }, who), 'yes');
    assert.equal(entryMatches({ scheme: 'digest', id: alice, perms: 1 }, who), 'yes');
    assert.equal(entryMatches({ scheme: 'digest', id: digestId('alice', 'other'), perms: 1 }, who), 'no');
    assert.equal(entryMatches({ scheme: 'digest', id: digestId('bob', 'x'), perms: 1 }, who), 'no');
    assert.equal(entryMatches({ scheme: 'auth', id: '', perms: 1 }, who), 'yes');
    assert.equal(entryMatches({ scheme: 'ip', id: '127.0.0.0/8', perms: 1 }, who), 'yes');
    assert.equal(entryMatches({ scheme: 'ip', id: '10.0.0.1', perms: 1 }, who), 'no');
    assert.equal(entryMatches({ scheme: 'sasl', id: 'x', perms: 1 }, who), 'no');
    const userOnly = sessionIdentities([{ authScheme: 'digest', user: 'alice' }], undefined);
    assert.equal(entryMatches({ scheme: 'digest', id: alice, perms: 1 }, userOnly), 'unknown');
    const anonymous = sessionIdentities([{ authScheme: 'ip', user: '127.0.0.1' }], undefined);
    assert.equal(entryMatches({ scheme: 'auth', id: '', perms: 1 }, anonymous), 'no');
    const noWhoAmI = sessionIdentities(undefined, undefined);
    assert.equal(entryMatches({ scheme: 'ip', id: '127.0.0.1', perms: 1 }, noWhoAmI), 'unknown');
  });

  it('knows the SASL user a connection authenticated as, with or without whoAmI, for the lock-out check', () => {
    // An older server (no whoAmI): the configured SASL user is the session's identity.
    const saslOnly = sessionIdentities(undefined, undefined, 'alice');
    assert.deepEqual(saslOnly.identities, [{ scheme: 'sasl', id: 'alice' }]);
    assert.equal(entryMatches({ scheme: 'sasl', id: 'alice', perms: 1 }, saslOnly), 'yes');
    assert.equal(entryMatches({ scheme: 'sasl', id: 'bob', perms: 1 }, saslOnly), 'no');
    assert.equal(entryMatches({ scheme: 'auth', id: '', perms: 1 }, saslOnly), 'yes');
    // whoAmI reports it too: one identity, not two.
    const both = sessionIdentities([{ authScheme: 'ip', user: '127.0.0.1' }, { authScheme: 'sasl', user: 'alice' }], undefined, 'alice');
    assert.deepEqual(both.identities.filter((i) => i.scheme === 'sasl'), [{ scheme: 'sasl', id: 'alice' }]);
    // Keeping sasl:alice with read and admin is no lock-out; giving the node to bob is, and says who we are.
    assert.equal(lockOutCheck([{ scheme: 'sasl', id: 'alice', perms: PERMS.READ | PERMS.ADMIN }], saslOnly), undefined);
    const report = lockOutCheck([{ scheme: 'sasl', id: 'bob', perms: PERMS.ALL }], saslOnly);
    assert.deepEqual(report?.missing, ['read', 'admin']);
    assert.match(report?.message ?? '', /this session \(sasl:alice\) could no longer read this node or change its ACL again/);
  });

  it('matches IP ranges bit by bit, IPv4 and IPv6', () => {
    assert.ok(ipMatches('192.168.1.0/24', '192.168.1.77'));
    assert.ok(!ipMatches('192.168.1.0/24', '192.168.2.1'));
    assert.ok(ipMatches('10.0.0.0/9', '10.127.255.255'));
    assert.ok(!ipMatches('10.0.0.0/9', '10.128.0.0'));
    assert.ok(ipMatches('0.0.0.0/0', '8.8.8.8'));
    assert.ok(ipMatches('2001:db8::/32', '2001:db8:ffff::1'));
    assert.ok(!ipMatches('2001:db8::/32', '2001:db9::1'));
    assert.ok(ipMatches('::1', '0:0:0:0:0:0:0:1'));
    assert.ok(!ipMatches('127.0.0.1', '::1'));
  });

  it('refuses quietly nothing: a change that removes read or admin from this session is reported', () => {
    assert.equal(lockOutCheck([{ scheme: 'world', id: 'anyone', perms: PERMS.ALL }], who), undefined);
    assert.equal(lockOutCheck([{ scheme: 'digest', id: alice, perms: PERMS.READ | PERMS.ADMIN }], who), undefined);
    const noAdmin = lockOutCheck([{ scheme: 'world', id: 'anyone', perms: PERMS.READ }], who);
    assert.deepEqual(noAdmin?.missing, ['admin']);
    assert.match(noAdmin!.message, /could no longer change its ACL again/);
    const other = lockOutCheck([{ scheme: 'digest', id: digestId('bob', 'x'), perms: PERMS.ALL }], who);
    assert.deepEqual(other?.missing, ['read', 'admin']);
    assert.match(other!.message, /ip:127\.0\.0\.1, digest:alice/);
    const userOnly = sessionIdentities([{ authScheme: 'digest', user: 'alice' }], undefined);
    const unsure = lockOutCheck([{ scheme: 'digest', id: alice, perms: PERMS.ALL }], userOnly);
    assert.match(unsure!.message, /may apply to you, but this cannot be checked/);
    // For the user: every word through the Translate, the identities and ACL entries as they are.
    const anonymous = sessionIdentities([], undefined);
    for (const r of [noAdmin!, other!, unsure!, lockOutCheck([{ scheme: 'digest', id: alice, perms: PERMS.READ }], anonymous)!]) {
      const text = renderMessage(r.localized, marking);
      assert.equal(untranslated(text), '', text);
      assert.equal(renderMessage(r.localized), r.message);
    }
    assert.equal(renderMessage(noAdmin!.localized, marking), '«With this ACL, this session (ip:127.0.0.1, digest:alice) could no longer «change its ACL again».»');
    assert.equal(effectiveAccess([{ scheme: 'auth', id: '', perms: PERMS.READ }, { scheme: 'world', id: 'anyone', perms: PERMS.WRITE }], who).perms, PERMS.READ | PERMS.WRITE);
  });
});
