import * as assert from 'node:assert/strict';
import { digestId, flagsToPerms, formatAcl, permsToFlags, PERMS } from '../../src/zk/acl';

describe('acl', () => {
  it('converts permission flags both ways, as zkCli.sh prints them', () => {
    assert.equal(permsToFlags(PERMS.ALL), 'cdrwa');
    assert.equal(permsToFlags(PERMS.READ | PERMS.WRITE), 'rw');
    assert.equal(flagsToPerms('cdrwa'), 31);
    assert.equal(flagsToPerms('ra'), PERMS.READ | PERMS.ADMIN);
    assert.throws(() => flagsToPerms('rx'), /Unknown permission flag "x"/);
    assert.equal(formatAcl({ scheme: 'world', id: 'anyone', perms: 31 }), 'world:anyone:cdrwa');
  });

  it('makes the digest id ZooKeeper stores (DigestAuthenticationProvider)', () => {
    // Value from ZooKeeper's documentation example: super:test
    assert.equal(digestId('super', 'test'), 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
  });
});
