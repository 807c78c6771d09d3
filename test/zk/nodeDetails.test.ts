import * as assert from 'node:assert/strict';
import { digestId, PERMS } from '../../src/zk/acl';
import { sessionIdentities } from '../../src/zk/aclEdit';
import { formatNodeDetails } from '../../src/zk/nodeDetails';
import { md } from '../../src/zk/markdown';
import type { ZnodeStat } from '../../src/zk/stat';
import { marking, untranslated } from './markingTranslate';
import { msg } from '../../src/zk/message';

const stat: ZnodeStat = {
  czxid: '0x1a',
  mzxid: '0x2f',
  pzxid: '0x30',
  ctime: new Date(Date.UTC(2024, 4, 1, 10, 0, 0, 123)),
  mtime: new Date(Date.UTC(2024, 4, 2, 11, 30, 0, 0)),
  version: 3,
  cversion: 2,
  aversion: 1,
  ephemeralOwner: '0x0',
  dataLength: 1234,
  numChildren: 5,
};

describe('formatNodeDetails', () => {
  it('puts the Stat in words and the ACL with who it applies to', () => {
    const text = formatNodeDetails({
      connection: 'local',
      path: '/app/config',
      stat,
      acl: [
        { scheme: 'world', id: 'anyone', perms: PERMS.READ },
        { scheme: 'digest', id: digestId('alice', 'pw'), perms: PERMS.ALL },
      ],
      who: sessionIdentities([{ authScheme: 'ip', user: '127.0.0.1' }], undefined),
    });
    assert.match(text, /^# \/app\/config/);
    assert.match(text, /\| Kind \| persistent \|/);
    assert.match(text, /1,234 bytes, version 3 \(changed 3 times since it was created\)/);
    assert.match(text, /Created \| 2024-05-01 10:00:00\.123 UTC \(zxid `0x1a`, 26\)/);
    assert.match(text, /5 children; child list version 2/);
    assert.match(text, /\| world \| `anyone` \| read \| `r` \| yes \|/);
    assert.match(text, /\| digest \| `alice:[^`]+` \| create, delete, read, write, admin \| `cdrwa` \| no \|/);
    assert.match(text, /It may: \*\*read\*\*/);
  });

  it('names the owner of an ephemeral node and escapes what came from the server', () => {
    const text = formatNodeDetails({
      connection: 'x',
      path: '/<img src=x>',
      stat: { ...stat, ephemeralOwner: '0x100000abc' },
      sessionId: '0x100000abc',
      aclError: 'Not authorized',
    });
    assert.match(text, /ephemeral, owned by session `0x100000abc` \(this session\)/);
    assert.ok(text.includes('# /\\<img src=x\\>'), 'HTML is escaped');
    assert.match(text, /The ACL could not be read: Not authorized/);
    assert.equal(md('a*b_[c](d)'), 'a\\*b\\_\\[c\\]\\(d\\)');
  });

  it('words its headings, row names and sentences through the Translate it is given; ids and numbers stay as they are', () => {
    const base = { connection: 'local', path: '/app/config', who: sessionIdentities([], undefined), t: marking };
    const persistent = formatNodeDetails({ ...base, stat, acl: [{ scheme: 'world', id: 'anyone', perms: PERMS.READ }] });
    assert.match(persistent, /^## «Stat»$/m);
    assert.match(persistent, /\| «Kind» \| «persistent» \|/);
    assert.match(persistent, /\| «Data» \| ««1,234 bytes», version 3 \(«changed 3 times» since it was created\)» \|/);
    assert.match(persistent, /\| «Created» \| «2024-05-01 10:00:00\.123 UTC \(zxid `0x1a`, 26\)» \|/);
    assert.match(persistent, /\| «Scheme» \| «Id» \| «Permissions» \| «Flags» \| «Applies to this session» \|/);
    assert.match(persistent, /\| world \| `anyone` \| «read» \| `r` \| «yes» \|/);
    assert.match(persistent, /«It may: \*\*«read»\*\*\.»/);
    const ephemeral = formatNodeDetails({ ...base, stat: { ...stat, ephemeralOwner: '0x1' }, aclError: 'Not authorized' });
    assert.match(ephemeral, /«ephemeral, owned by session `0x1`: deleted when that session ends»/);
    assert.match(ephemeral, /«The ACL could not be read: Not authorized»/);
    const owned = formatNodeDetails({
      ...base,
      stat: { ...stat, ephemeralOwner: '0x1' },
      acl: [],
      owner: { found: false, sessionId: '0x1', allAnswered: true, servers: [{ label: 'server.1 (127.0.0.1:2181)', answered: true, reason: msg('not among its {0} sessions', 2) }] },
    });
    assert.match(owned, /\| «Owner» \| «not connected to any server right now .*«not among its 2 sessions»».*its client may be between servers/);
    for (const text of [persistent, ephemeral, owned]) {
      assert.doesNotMatch(untranslated(text), /[a-z]{3,} [a-z]{3,}/i, `no English outside the translated parts: ${untranslated(text)}`);
    }
  });
});
