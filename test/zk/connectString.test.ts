import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONNECT_STRING_PATTERN, connectStringProblem, formatServer, parseConnectString } from '../../src/zk/connectString';
import { renderMessage } from '../../src/zk/message';
import { marking, untranslated } from './markingTranslate';

/** The problem in English, or undefined. */
const problemText = (s: string): string | undefined => {
  const m = connectStringProblem(s);
  return m && renderMessage(m);
};

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
    for (const [s, re] of cases) assert.match(problemText(s) ?? 'no problem found', re, s);
    assert.throws(() => parseConnectString('h:0'), /between 1 and 65535/);
  });

  it("says what is wrong in the user's language, quoting what was typed as it is", () => {
    const inputs = ['', 'host:abc', 'host:70000', '::1:2181', '[::1:2181', '[::1]x', '[zz]:1', 'a,,b', ',', 'h:1/a//b', 'h:1/a b', 'bad host:1', ':1'];
    for (const s of inputs) {
      const m = connectStringProblem(s);
      assert.ok(m, s);
      const text = renderMessage(m, marking);
      assert.match(text, /^«/, text);
      assert.equal(untranslated(text), '', text);
    }
    assert.equal(renderMessage(connectStringProblem('host:abc')!, marking), '«"host:abc": the port must be a number»');
  });
});

// Issue 14 item 4: the settings schema's pattern and the validator of Add Connection and of the
// parser accept exactly the same strings.
describe('connectString: the settings schema and the validator agree', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { items: { properties: { connectString: { pattern: string } } } }> } };
  };
  const schemaPattern = pkg.contributes.configuration.properties['zookeeper.connections'].items.properties.connectString.pattern;
  // VS Code compiles a schema pattern with the `u` flag, falling back to none: both must agree.
  const schemas = [new RegExp(schemaPattern, 'u'), new RegExp(schemaPattern)];

  const TABLE: [string, boolean][] = [
    ['127.0.0.1:2181', true],
    ['zk1:2181/bad path', false],
    ['zk1:2181/bad\tpath', false],
    ['zk1:2181/bad\u00a0path', false],
    ['zk1:2181/bad\u2028path', false],
    ['zk1:2181/app', true],
    ['zk1:2181/app/', false],
    ['zk1:2181/', true],
    ['zk1:2181/a//b', false],
    ['zk1:2181/.', false],
    ['zk1:2181/a/..', false],
    ['zk1:2181/a/.../b', true],
    ['zk1:2181/caf\u00e9/\u4e2d\u6587', true],
    ['zk1:2181/emoji\u{1F600}', false],
    ['zk1:2181/private\ue000', false],
    ['zk1:2181/special\ufff0', false],
    ['zk1:2181/ctl\u0001', false],
    ['zk1:2181/ctl\u0085', false],
    [' zk1, zk2:2182 /kafka/prod ', true],
    ['zk1,zk2,zk3', true],
    ['zk1 :2181', false],
    ['zk1: 2181', false],
    ['zk1:', false],
    [':2181', false],
    ['zk1:0', false],
    ['zk1:1', true],
    ['zk1:65535', true],
    ['zk1:65536', false],
    ['zk1:99999', false],
    ['zk1:02181', true],
    ['zk1:2181:1', false],
    ['::1:2181', false],
    ['[::1]:2181', true],
    ['[::1]', true],
    ['[fe80::1%eth0]:2181', false],
    ['[::1:2181', false],
    ['[]:2181', false],
    ['[::1]x', false],
    ['a,,b', false],
    ['a,', false],
    [',a', false],
    ['bad host:1', false],
    ['h\u00e9:1', false],
    ['host_name:1', true],
    ['', false],
    ['   ', false],
    ['zk1:2181/app\n', true],
  ];

  it('accepts and refuses the same strings on a table of inputs', () => {
    for (const [input, valid] of TABLE) {
      assert.equal(connectStringProblem(input) === undefined, valid, `validator on ${JSON.stringify(input)}: ${problemText(input)}`);
      for (const re of schemas) assert.equal(re.test(input), valid, `schema /${re.flags}/ on ${JSON.stringify(input)}`);
      if (valid) assert.doesNotThrow(() => parseConnectString(input), JSON.stringify(input));
      else assert.throws(() => parseConnectString(input), Error, JSON.stringify(input));
    }
  });

  it('agrees on many generated strings', () => {
    const alphabet = ['a', 'z', '1', '0', '9', ':', ',', '/', ' ', '.', '[', ']', '-', '_', '\t', '\u00e9', '\u{1F600}', '\u0001', '\ue000', '%'];
    let seed = 14;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const prefix = ['', 'h:1', 'h', '[::1]:5', 'h:1/'][rand(5)];
      let s = prefix;
      for (let k = rand(12); k > 0; k--) s += alphabet[rand(alphabet.length)];
      const valid = connectStringProblem(s) === undefined;
      if (valid) accepted++;
      for (const re of schemas) assert.equal(re.test(s), valid, `schema /${re.flags}/ and validator (${problemText(s) ?? 'valid'}) disagree on ${JSON.stringify(s)}`);
    }
    assert.ok(accepted > 1000, `the generated strings include valid ones (${accepted})`);
  });

  it('package.json carries the pattern the domain defines', () => {
    assert.equal(schemaPattern, CONNECT_STRING_PATTERN);
  });
});
