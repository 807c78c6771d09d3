import * as assert from 'node:assert/strict';
import { connectStringProblem, formatServer, parseConnectString } from '../../src/zk/connectString';

describe('connectString', () => {
  it('parses hosts, default ports, chroot and IPv6', () => {
    assert.deepEqual(parseConnectString('127.0.0.1:2181'), { servers: [{ host: '127.0.0.1', port: 2181 }], chroot: undefined });
    assert.deepEqual(parseConnectString(' zk1, zk2:2182 /kafka/prod '), {
      servers: [
        { host: 'zk1', port: 2181 },
        { host: 'zk2', port: 2182 },
      ],
      chroot: '/kafka/prod',
    });
    assert.deepEqual(parseConnectString('[::1]:2181,[fe80::1]/app'), {
      servers: [
        { host: '::1', port: 2181 },
        { host: 'fe80::1', port: 2181 },
      ],
      chroot: '/app',
    });
    assert.equal(parseConnectString('h:1/').chroot, undefined);
    assert.equal(formatServer({ host: '::1', port: 5 }), '[::1]:5');
  });

  it('explains what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['', /host:port/],
      ['host:abc', /port must be a number/],
      ['host:70000', /between 1 and 65535/],
      ['::1:2181', /brackets/],
      ['[::1:2181', /missing "]"/],
      ['a,,b', /empty entry/],
      ['h:1/a//b', /chroot/],
      ['bad host:1', /not a valid host/],
    ];
    for (const [s, re] of cases) assert.match(connectStringProblem(s) ?? 'no problem found', re, s);
    assert.throws(() => parseConnectString('h:0'), /between 1 and 65535/);
  });
});
