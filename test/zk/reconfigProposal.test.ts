// Reconfiguration proposals checked before sending: the new quorum in words, unsafe proposals
// refused (no voter left, quorum lost with the members that answer now, id or port clashes, no
// config version), the incremental reconfig as zkCli writes it, and the server's refusals explained.
import * as assert from 'node:assert/strict';
import { renderMessage } from '../../src/zk/message';
import { marking, untranslated } from './markingTranslate';
import { describeQuorum, explainReconfigRefusal, refusalsMessage, memberLine, parseDynamicConfig, propose, quorumOf, reconfigCommand } from '../../src/zk/reconfigProposal';

const CONFIG = parseDynamicConfig(
  ['server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181', 'server.2=127.0.0.1:2889:3889:participant;0.0.0.0:2182', 'server.3=127.0.0.1:2890:3890:participant;0.0.0.0:2183', 'version=100000000'].join('\n'),
);
const ALL_UP = new Set([1, 2, 3]);

describe('reconfiguration proposals', () => {
  it('reads the dynamic config and its version', () => {
    assert.equal(CONFIG.members.length, 3);
    assert.equal(CONFIG.version, '100000000');
    assert.equal(memberLine(CONFIG.members[0]), 'server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181');
    assert.equal(describeQuorum(quorumOf(CONFIG.members)), '3 voters, majority 2, survives 1 failure');
  });

  it('adds an observer: same quorum, the -add line guarded by the version', () => {
    const p = propose(CONFIG, { kind: 'add', member: { id: 4, host: '127.0.0.1', quorumPort: 2891, electionPort: 3891, type: 'observer', clientPort: 2184 } }, ALL_UP);
    assert.deepEqual(p.refusals, []);
    assert.equal(describeQuorum(p.after), '3 voters, majority 2, survives 1 failure, 1 observer');
    assert.equal(reconfigCommand(p), `reconfig -add server.4=127.0.0.1:2891:3891:observer;2184 -v ${0x100000000}`);
  });

  it('promotes the observer: four voters, a warning that an even count survives no more', () => {
    const four = parseDynamicConfig([...CONFIG.members.map(memberLine), 'server.4=127.0.0.1:2891:3891:observer;2184', 'version=100000003'].join('\n'));
    const p = propose(four, { kind: 'changeRole', id: 4, role: 'participant' }, new Set([1, 2, 3, 4]));
    assert.deepEqual(p.refusals, []);
    assert.equal(describeQuorum(p.after), '4 voters, majority 3, survives 1 failure');
    assert.deepEqual(p.joining, ['server.4=127.0.0.1:2891:3891:participant;2184']);
    assert.match(p.warnings.map((m) => renderMessage(m)).join(' '), /4 voters survive no more failures than 3/);
  });

  it('refuses a proposal that would lose the quorum with the members that answer now', () => {
    // server.3 is down: removing server.1 leaves voters 2 and 3, of which only 2 answers (majority 2).
    const p = propose(CONFIG, { kind: 'remove', id: 1 }, new Set([1, 2]));
    assert.match(p.refusals.map((m) => renderMessage(m)).join(' '), /would lose the quorum: 1 of the new 2 voters answer now, and 2 are needed/);
    const ok = propose(CONFIG, { kind: 'remove', id: 3 }, new Set([1, 2]));
    assert.deepEqual(ok.refusals, []);
    assert.equal(reconfigCommand(ok), `reconfig -remove 3 -v ${0x100000000}`);
  });

  it('refuses: no participant left, no quorum now, clashes, unknown members, no version', () => {
    const one = parseDynamicConfig('server.1=h:1:2:participant;3\nserver.2=h:4:5:observer;6\nversion=1');
    assert.match(propose(one, { kind: 'changeRole', id: 1, role: 'observer' }).refusals.map((m) => renderMessage(m)).join(' '), /leaves no participant/);
    assert.match(propose(CONFIG, { kind: 'remove', id: 3 }, new Set([1])).refusals.map((m) => renderMessage(m)).join(' '), /Only 1 of 3 voters answer now/);
    assert.match(propose(CONFIG, { kind: 'add', member: { id: 2, host: '127.0.0.1', quorumPort: 2888, electionPort: 3999, type: 'observer', clientPort: 1 } }).refusals.map((m) => renderMessage(m)).join(' '), /server\.2 is already a member[\s\S]*clash with server\.1/);
    assert.match(propose(CONFIG, { kind: 'remove', id: 9 }).refusals.map((m) => renderMessage(m)).join(' '), /server\.9 is not a member/);
    assert.match(propose(parseDynamicConfig('server.1=h:1:2;3\nserver.2=h:4:5;6\nserver.3=h:7:8;9'), { kind: 'remove', id: 3 }).refusals.map((m) => renderMessage(m)).join(' '), /no version/);
  });

  it("explains the server's refusals with the line that fixes them", () => {
    assert.deepEqual(explainReconfigRefusal('RECONFIGDISABLED').configLine, 'reconfigEnabled=true');
    assert.match(renderMessage(explainReconfigRefusal('NOAUTH').text), /superDigest[\s\S]*skipACL=yes/);
    assert.match(renderMessage(explainReconfigRefusal('BADVERSION', '100000000').text), /changed since it was read \(version 100000000\)/);
  });

  it('words the quorum, the refusals and the warnings through the Translate it is given', () => {
    const quorums = [quorumOf(CONFIG.members), quorumOf([CONFIG.members[0]]), quorumOf([]), quorumOf([...CONFIG.members, { id: 4, host: 'h', type: 'observer' }, { id: 5, host: 'h', type: 'observer' }])];
    for (const q of quorums) {
      const text = describeQuorum(q, marking);
      assert.match(text, /^«/, text);
      assert.equal(untranslated(text), '', text);
    }
    assert.equal(describeQuorum(quorums[3]), '3 voters, majority 2, survives 1 failure, 2 observers');
    assert.equal(describeQuorum(quorums[1]), '1 voter, majority 1, survives 0 failures');
    const refused = propose(parseDynamicConfig('server.1=h:1:2:participant;3\nserver.2=h:4:5:participant;6'), { kind: 'remove', id: 1 }, new Set([2]));
    const warned = propose(parseDynamicConfig('server.1=h:1:2:participant;3\nserver.2=h:4:5:participant;6\nserver.3=h:7:8:participant;9\nversion=1'), { kind: 'remove', id: 3 });
    assert.ok(refused.refusals.length >= 2 && warned.warnings.length >= 1);
    for (const m of [...refused.refusals, ...warned.warnings, refusalsMessage(refused)]) {
      const text = renderMessage(m, marking);
      assert.equal(untranslated(text), '', text);
    }
    assert.match(renderMessage(refusalsMessage(refused)), /Only 1 of 2 voters answer now[\s\S]*; The config has no version/);
  });
});
