// The reconfig request on the wire, the server's refusals explained, and following a new config
// until every member reports it, with members answered by a fake `conf`/`srvr` (the real ensemble
// is in reconfig.itest.ts).
import * as assert from 'node:assert/strict';
import { ZkError } from '../../src/zk/errors';
import { MAX_PROBED_MEMBERS, ReconfigRefused, clientAddressOf, describeProgress, explainedRefusal, followReconfig, membersServing, runReconfig } from '../../src/zk/reconfig';
import { marking, untranslated } from './markingTranslate';
import { parseDynamicConfig, propose } from '../../src/zk/reconfigProposal';
import { reconfigRequest } from '../../src/zk/clientRequests';
import { OP } from '../../src/zk/wire/opcodes';
import { REPLY_DECODERS, readGetData } from '../../src/zk/wire/replies';

const CONFIG = parseDynamicConfig(
  ['server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181', 'server.2=127.0.0.1:2889:3889:participant;127.0.0.2:2182', 'server.3=127.0.0.1:2890:3890:observer', 'version=200000005'].join('\n'),
);

const jString = (s: string | null) => {
  if (s === null) return Buffer.from([0xff, 0xff, 0xff, 0xff]);
  const b = Buffer.from(s, 'utf8');
  const n = Buffer.alloc(4);
  n.writeInt32BE(b.length);
  return Buffer.concat([n, b]);
};

describe('reconfig request and its follow-up', () => {
  it('encodes ReconfigRequest: joining lines, leaving ids, no new members, the guarding version', () => {
    const r = reconfigRequest(['server.4=h:1:2:observer;3', 'server.5=h:4:5:participant;6'], [1, 2], 0x200000005n);
    assert.equal(r.opcode, OP.RECONFIG);
    const version = Buffer.alloc(8);
    version.writeBigInt64BE(0x200000005n);
    assert.deepEqual(r.body, Buffer.concat([jString('server.4=h:1:2:observer;3,server.5=h:4:5:participant;6'), jString('1,2'), jString(null), version]));
    const removeOnly = reconfigRequest([], [3], -1n);
    assert.deepEqual(removeOnly.body?.subarray(0, 4), Buffer.from([0xff, 0xff, 0xff, 0xff]), 'no joining: a null string');
    assert.equal(REPLY_DECODERS[OP.RECONFIG], readGetData, 'the reply is the new config and its Stat');
  });

  it('explains each refusal with what to change, keeping the code', () => {
    const cases: [number, string, RegExp, string | undefined][] = [
      [-123, 'RECONFIGDISABLED', /reconfigEnabled=true/, 'reconfigEnabled=true'],
      [-102, 'NOAUTH', /superDigest=super:<digest>.*skipACL=yes/, 'skipACL=yes'],
      [-103, 'BADVERSION', /since it was read \(version 200000005\)/, undefined],
      [-13, 'NEWCONFIGNOQUORUM', /must be running and connected to the leader/, undefined],
      [-14, 'RECONFIGINPROGRESS', /Another reconfiguration is in progress/, undefined],
    ];
    for (const [server, code, text, line] of cases) {
      const e = explainedRefusal(ZkError.fromServer(server, 'reconfigure the ensemble'), '200000005');
      assert.ok(e instanceof ReconfigRefused, code);
      assert.equal(e.code, code);
      assert.match(e.message, text);
      assert.equal(e.configLine, line);
    }
    const other = ZkError.fromServer(-4, 'reconfigure the ensemble');
    assert.equal(explainedRefusal(other), other, 'connection loss is not a refusal');
  });

  it('never sends a proposal with refusals', async () => {
    let sent = 0;
    const client = { getData: () => Promise.reject(new Error('unused')), reconfig: () => (sent++, Promise.reject(new Error('sent'))) };
    const p = propose(CONFIG, { kind: 'remove', id: 1 }, new Set([1]));
    assert.notEqual(p.refusals.length, 0);
    await assert.rejects(runReconfig(client, p), /not sent: Only 1 of 2 voters answer now/);
    assert.equal(sent, 0);
  });

  it('asks a member at its client address (a wildcard one means its peer host)', () => {
    assert.deepEqual(clientAddressOf(CONFIG.members[0]), { host: '127.0.0.1', port: 2181 });
    assert.deepEqual(clientAddressOf(CONFIG.members[1]), { host: '127.0.0.2', port: 2182 });
    assert.equal(clientAddressOf(CONFIG.members[2]), undefined);
  });

  it('follows until every member reports the version and serves; says why the others did not', async () => {
    const two = parseDynamicConfig(['server.1=127.0.0.1:1:2;127.0.0.1:2181', 'server.2=127.0.0.1:3:4;127.0.0.1:2182', 'version=200000005'].join('\n'));
    let round = 0;
    const ask = async (_host: string, port: number, word: 'conf' | 'srvr') => {
      if (word === 'srvr') return port === 2182 && round < 3 ? 'This ZooKeeper instance is not currently serving requests\n' : 'Mode: follower\n';
      if (port === 2181) round++;
      return port === 2182 && round < 2 ? 'version=200000004\n' : 'version=200000005\n';
    };
    const seen: string[] = [];
    const result = await followReconfig(two, { timeoutMs: 5000, intervalMs: 1, ask, onProgress: (p) => seen.push(p.map((m) => m.state).join(',')) });
    assert.ok(result.done);
    assert.deepEqual(seen, ['reports,behind', 'reports,syncing', 'reports,reports']);

    const refused = await followReconfig(two, { timeoutMs: 0, ask: async () => 'conf is not executed because it is not in the whitelist.' });
    assert.equal(refused.done, false);
    assert.match(JSON.stringify(refused.members), /add conf to 4lw.commands.whitelist/);
  });

  it("says how far each member is in the user's language (ids, versions and socket errors as they are)", async () => {
    const three = parseDynamicConfig(['server.1=127.0.0.1:1:2;127.0.0.1:2181', 'server.2=127.0.0.1:3:4;127.0.0.1:2182', 'server.3=127.0.0.1:5:6;127.0.0.1:2183', 'server.4=127.0.0.1:7:8', 'version=5'].join('\n'));
    const ask = async (_host: string, port: number, word: 'conf' | 'srvr') => {
      if (port === 2183) throw new Error('connect ECONNREFUSED');
      if (word === 'srvr') return port === 2182 ? 'This ZooKeeper instance is not currently serving requests\n' : 'Mode: follower\n';
      return 'version=5\n';
    };
    const { members } = await followReconfig(three, { timeoutMs: 0, ask });
    const lines = members.map((m) => describeProgress(m, marking));
    assert.deepEqual(lines, [
      '«server.1: reports version 5»',
      '«server.2: has version 5, not serving yet»',
      '«server.3: not read (connect ECONNREFUSED)»',
      '«server.4: not read («the config gives no client address for it»)»',
    ]);
    assert.equal(describeProgress({ id: 9, state: 'behind' }, marking), '«server.9: has not reported the new config yet»');
    assert.equal(describeProgress({ id: 9, state: 'behind', version: '4' }), 'server.9: still at version 4');
    const refused = await followReconfig(three, { timeoutMs: 0, ask: async () => 'conf is not executed because it is not in the whitelist.' });
    for (const m of refused.members) assert.equal(untranslated(describeProgress(m, marking)), '');
  });

  it('probes at most MAX_PROBED_MEMBERS members of a hostile config', async () => {
    const many = parseDynamicConfig([...Array.from({ length: 300 }, (_, i) => `server.${i}=10.0.0.1:${1000 + i}:${3000 + i};${5000 + i}`), 'version=1'].join('\n'));
    let probes = 0;
    const ask = async () => (probes++, 'version=1\nMode: follower\n');
    const result = await followReconfig(many, { timeoutMs: 0, ask });
    assert.equal(probes, MAX_PROBED_MEMBERS * 2);
    assert.equal(result.done, false);
    assert.equal(result.members.filter((m) => m.state === 'unreadable').length, 300 - MAX_PROBED_MEMBERS);
    probes = 0;
    assert.equal((await membersServing(many, 10, ask)).size, MAX_PROBED_MEMBERS);
    assert.equal(probes, MAX_PROBED_MEMBERS);
  });

  it('counts as up only the members that serve in an ensemble', async () => {
    const replies: Record<number, string> = { 2181: 'Mode: leader\n', 2182: 'This ZooKeeper instance is not currently serving requests\n' };
    const up = await membersServing(CONFIG, 100, async (_h, port) => replies[port] ?? Promise.reject(new Error('refused')));
    assert.deepEqual([...up], [1]);
  });
});
