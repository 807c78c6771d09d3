// The health panel's Dynamic configuration section: each member of /zookeeper/config next to what
// the server reports in the panel's reading, bounded, and a sentence when there is no dynamic config.
import * as assert from 'node:assert/strict';
import { MAX_MEMBER_ROWS, dynamicConfigReading } from '../../../src/zk/health/dynamicConfigSection';
import type { ServerRow } from '../../../src/zk/health/healthTypes';

const row = (over: Partial<ServerRow>): ServerRow => ({ key: 'k', label: 'l', host: '127.0.0.1', origin: 'connectString', reach: 'up', notServing: false, source: 'fourLetterWords', ...over });

describe('health panel: dynamic configuration section', () => {
  it('shows version, quorum, each member with its ports and client address, and what it reports', () => {
    const text = ['server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181', 'server.2=127.0.0.1:2889:3889:participant;2182', 'server.3=[::1]:2890:3890:observer;[::1]:2183', 'version=100000003'].join('\n');
    const r = dynamicConfigReading(text, [row({ id: 1, clientPort: 2181, role: 'leader' }), row({ clientPort: 2182, reach: 'down', error: 'connection refused' })], 5);
    assert.equal(r.version, '100000003');
    assert.equal(r.quorum, '2 voters, majority 2, survives 0 failures, 1 observer');
    assert.deepEqual(
      r.members.map((m) => [m.id, m.role, m.peer, m.client, m.reports]),
      [
        [1, 'participant', '127.0.0.1:2888:3888', '127.0.0.1:2181', 'leader'],
        [2, 'participant', '127.0.0.1:2889:3889', '127.0.0.1:2182', 'down: connection refused'],
        [3, 'observer', '[::1]:2890:3890', '[::1]:2183', 'not polled'],
      ],
    );
  });

  it('says there is no dynamic config for a standalone server, and bounds a hostile one', () => {
    assert.match(dynamicConfigReading('clientPort=2181\n', []).problem ?? '', /no dynamic configuration/);
    const many = Array.from({ length: 500 }, (_, i) => `server.${i}=10.0.0.1:${1000 + i}:${3000 + i}`).join('\n');
    assert.equal(dynamicConfigReading(many, []).members.length, MAX_MEMBER_ROWS);
  });

  it('words its sentences through the Translate it is given', () => {
    const t = (m: string) => `«${m}»`;
    assert.equal(dynamicConfigReading('clientPort=2181\n', [], 5, t).problem, '«The ensemble has no dynamic configuration: a standalone server, or ZooKeeper before 3.5.»');
    assert.equal(dynamicConfigReading('server.1=127.0.0.1:2888:3888;2181\n', [], 5, t).members[0].reports, '«not polled»');
  });
});
