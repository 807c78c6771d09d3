import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  classifyData,
  decodeUtf8Strict,
  detectLanguage,
  detectLanguageFromContent,
  firstInvalidUtf8Offset,
  formatBase64,
  formatHex,
  hexDump,
  isValidUtf8,
  parseBase64,
  parseHex,
} from '../../src/zk/codecs';
import { messageOfError, renderMessage, type Message } from '../../src/zk/message';
import type { Translate } from '../../src/zk/localize';
import { marking, untranslated } from './markingTranslate';

const b = (...bytes: number[]) => new Uint8Array(bytes);
const u = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
/** Why the bytes are not text, worded through `t` (English by default). */
function reasonOf(data: Uint8Array, t?: Translate): string {
  const c = classifyData(data);
  assert.equal(c.kind, 'binary');
  return renderMessage((c as { reason: Message }).reason, t);
}

describe('codecs: UTF-8', () => {
  it('accepts exactly what a fatal TextDecoder accepts, and finds the first bad byte', () => {
    const cases: [Uint8Array, number][] = [
      [u('plain ascii'), -1],
      [u('ünïcödé 日本 😀'), -1],
      [b(0xff), 0],
      [b(0x41, 0xc0, 0x80), 1], // overlong NUL
      [b(0x41, 0x42, 0xe0, 0x80, 0x80), 2], // overlong 3-byte
      [b(0xed, 0xa0, 0x80), 0], // surrogate U+D800
      [b(0xf4, 0x90, 0x80, 0x80), 0], // above U+10FFFF
      [b(0xe6, 0x97), 0], // truncated
      [b(0x61, 0xe6, 0x97, 0xa5, 0x80), 4], // stray continuation
      [b(0xf0, 0x9f, 0x98, 0x80), -1],
    ];
    for (const [bytes, at] of cases) {
      assert.equal(isValidUtf8(bytes), at === -1, Buffer.from(bytes).toString('hex'));
      assert.equal(firstInvalidUtf8Offset(bytes), at, Buffer.from(bytes).toString('hex'));
    }
    assert.throws(() => decodeUtf8Strict(b(0x41, 0xc3)), /offset 1/);
  });

  it('agrees with TextDecoder on random bytes', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(1 + (i % 12));
      let valid = true;
      try {
        fatal.decode(bytes);
      } catch {
        valid = false;
      }
      assert.equal(firstInvalidUtf8Offset(bytes) === -1, valid, bytes.toString('hex'));
    }
  });

  it('classifies only what the text editor saves back byte for byte as text', () => {
    assert.deepEqual(classifyData(u('a\nb\n')), { kind: 'text', text: 'a\nb\n', bom: false, eol: 'lf' });
    assert.equal((classifyData(u('a\r\nb\r\n')) as { eol: string }).eol, 'crlf');
    assert.equal((classifyData(u('\ufeff{"a":1}')) as { bom: boolean }).bom, true);
    assert.equal(classifyData(new Uint8Array(0)).kind, 'text');
    assert.equal(reasonOf(b(0x61, 0xff)), 'the data is not valid UTF-8 (first invalid byte 0xff at offset 1)');
    assert.equal(reasonOf(u('a\u0000b')), 'the data contains a NUL byte (offset 1), which VS Code treats as binary');
    assert.equal(reasonOf(u('a\r\nb\nc')), 'the data mixes CRLF (1) and LF (1) line endings, which the text editor would make uniform');
    assert.equal(reasonOf(u('a\rb')), 'the data contains a lone carriage return (offset 1), which the text editor would turn into a line break');
  });

  it("says why bytes are not text in the user's language (every word through the Translate, the numbers kept)", () => {
    const reasons = [reasonOf(b(0x61, 0xff), marking), reasonOf(u('a\u0000b'), marking), reasonOf(u('a\r\nb\nc'), marking), reasonOf(u('a\rb'), marking)];
    for (const r of reasons) assert.equal(untranslated(r), '', r);
    assert.equal(reasons[0], '«the data is «not valid UTF-8 (first invalid byte 0xff at offset 1)»»');
    assert.equal(reasons[2], '«the data mixes CRLF (1) and LF (1) line endings, which the text editor would make uniform»');
    assert.throws(() => decodeUtf8Strict(b(0xc3)), (e: Error & { localized?: Message }) => renderMessage(e.localized!, marking) === '«not valid UTF-8 (first invalid byte 0xc3 at offset 0)»');
  });
});

describe('codecs: views', () => {
  it('hex dump shows offsets, hex and printable ASCII', () => {
    const dump = hexDump(u('{"a": 1}\n\u00ff'));
    assert.equal(dump, '00000000  7b 22 61 22 3a 20 31 7d  0a c3 bf                 |{"a": 1}...|\n');
    assert.equal(hexDump(new Uint8Array(0)), '');
    assert.equal(hexDump(new Uint8Array(33)).split('\n').length, 4);
  });

  it('base64 and hex round-trip every byte sequence exactly', () => {
    for (const len of [0, 1, 2, 3, 4, 56, 57, 58, 100, 1000, 4097]) {
      const data = new Uint8Array(randomBytes(len));
      assert.deepEqual(parseBase64(formatBase64(data)), data, `base64 ${len}`);
      assert.deepEqual(parseHex(formatHex(data)), data, `hex ${len}`);
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.deepEqual(parseBase64(formatBase64(all)), all);
    assert.deepEqual(parseHex(formatHex(all)), all);
    assert.ok(formatBase64(all).split('\n').every((l) => l.length <= 76));
    assert.equal(formatHex(b(0xde, 0xad, 0xbe, 0xef)), 'de ad be ef\n');
  });

  it('parses what a user types, ignoring whitespace but nothing else', () => {
    assert.deepEqual(parseBase64('  AAEC\r\n/w==\n'), b(0, 1, 2, 0xff));
    assert.deepEqual(parseHex('DEAD beef\n00'), b(0xde, 0xad, 0xbe, 0xef, 0));
    assert.deepEqual(parseBase64(''), b());
    assert.deepEqual(parseHex('\n'), b());
  });

  it('refuses ambiguous or damaged base64 and hex instead of guessing', () => {
    assert.throws(() => parseBase64('AAE'), /not a multiple of 4/);
    assert.throws(() => parseBase64('AA-_'), /URL-safe alphabet/);
    assert.throws(() => parseBase64('AA\nA*'), /unexpected character "\*" at line 2, column 2/);
    assert.throws(() => parseBase64('A=AA'), /padding may only appear at the very end/);
    assert.throws(() => parseBase64('AB=='), /non-zero padding bits/); // Node would quietly give 0x00
    assert.throws(() => parseHex('abc'), /odd number/);
    assert.throws(() => parseHex('0xab'), /unexpected character "x" at line 1, column 2/);
    assert.throws(() => parseHex('ab\ncd g'), /line 2, column 4/);
  });

  it("says why base64 or hex does not parse in the user's language (the character and position as they are)", () => {
    const inputs: [(t: string) => Uint8Array, string][] = [
      [parseBase64, 'AAE'],
      [parseBase64, 'AA-_'],
      [parseBase64, 'AA\nA*'],
      [parseBase64, 'A=AA'],
      [parseBase64, 'AB=='],
      [parseHex, 'abc'],
      [parseHex, '0xab'],
    ];
    const texts = inputs.map(([parse, text]) => {
      try {
        parse(text);
      } catch (e) {
        return renderMessage(messageOfError(e), marking);
      }
      return 'parsed';
    });
    for (const text of texts) assert.equal(untranslated(text), '', text);
    assert.equal(texts[2], '«Invalid base64: unexpected character "*" at «line 2, column 2»»');
  });
});

describe('codecs: languages', () => {
  it('uses the node name first', () => {
    assert.equal(detectLanguage('settings.json', 'not json'), 'json');
    assert.equal(detectLanguage('app.YML', ''), 'yaml');
    assert.equal(detectLanguage('log4j.properties', ''), 'properties');
    assert.equal(detectLanguage('zoo.cfg', ''), 'properties');
    assert.equal(detectLanguage('pom.xml', ''), 'xml');
    assert.equal(detectLanguage('notes.txt', '{"a":1}'), 'plaintext');
    assert.equal(detectLanguage('.hidden', '{"a":1}'), 'json'); // a leading dot is not an extension
  });

  it('sniffs the content when the name says nothing', () => {
    const cases: [string, string][] = [
      ['{"version":1,"brokerid":0}', 'json'],
      ['[1, 2, 3]', 'json'],
      ['  \n{"a": {"b": [true, null]}}\n', 'json'],
      ['{not: json', 'plaintext'],
      ['<?xml version="1.0"?><a/>', 'xml'],
      ['<configuration>\n  <property/>\n</configuration>', 'xml'],
      ['<!-- c --><a/>', 'xml'],
      ['---\nfoo: 1\n', 'yaml'],
      ['server:\n  port: 8080\n  hosts:\n    - a\n    - b\n', 'yaml'],
      ['- one\n- two\n', 'plaintext'],
      ['name: x\n', 'yaml'],
      ['# comment\nkey=value\nother.key = 2\n', 'properties'],
      ['a=1\nmulti=line \\\n  continued\n', 'properties'],
      ['just some words', 'plaintext'],
      ['42', 'plaintext'],
      ['', 'plaintext'],
      ['a=1\nthis is not a property\n', 'plaintext'],
    ];
    for (const [text, lang] of cases) assert.equal(detectLanguageFromContent(text), lang, JSON.stringify(text));
  });
});
