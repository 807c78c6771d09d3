import * as assert from 'node:assert/strict';
import { describeHidden, displayName, FSI, hiddenCharacters, isolate, PDI } from '../../src/zk/displayText';

describe('displayName (server strings as shown)', () => {
  it('leaves ordinary names as they are', () => {
    for (const s of ['config', 'settings.json', 'with space', '100%', '<img src=x onerror=alert(1)>', '/a/b-c_d.e', 'lock-0000000001']) {
      assert.equal(displayName(s), s, s);
    }
  });

  it('leaves CJK, accents, combining marks and emoji as they are', () => {
    for (const s of ['日本語のノード', 'ünïcödé 日本', 'e\u0301te\u0301', '한국어', 'ok 😀', '👨‍👩‍👧', '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}', '❤️']) {
      assert.equal(displayName(s), s, JSON.stringify(s));
      assert.deepEqual(hiddenCharacters(s), [], JSON.stringify(s));
    }
  });

  it('shows bidi overrides and isolates as escapes, so nothing after them is reordered', () => {
    assert.equal(displayName('\u202Ertl'), '\\u202Ertl');
    assert.equal(displayName('a\u202Db\u202Ac\u202Bd\u202Ce'), 'a\\u202Db\\u202Ac\\u202Bd\\u202Ce');
    assert.equal(displayName('x\u2066y\u2067z\u2068w\u2069'), 'x\\u2066y\\u2067z\\u2068w\\u2069');
    assert.equal(displayName('\u200Eleft\u200F\u061C'), '\\u200Eleft\\u200F\\u061C');
    for (const s of ['\u202Ertl', 'a\u2067b', 'x\u200F']) assert.doesNotMatch(displayName(s), /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/, JSON.stringify(s));
  });

  it('shows zero-width and invisible characters, so look-alike names differ', () => {
    assert.equal(displayName('ad\u200Bmin'), 'ad\\u200Bmin');
    assert.equal(displayName('ad\u200Dmin'), 'ad\\u200Dmin');
    assert.equal(displayName('ad\u200Cmin'), 'ad\\u200Cmin');
    assert.equal(displayName('\uFEFFconfig'), '\\uFEFFconfig');
    assert.equal(displayName('soft\u00ADhyphen'), 'soft\\u00ADhyphen');
    assert.equal(displayName('word\u2060joiner'), 'word\\u2060joiner');
    assert.equal(displayName('hangul\u3164filler'), 'hangul\\u3164filler');
    assert.notEqual(displayName('ad\u200Bmin'), displayName('admin'));
  });

  it('shows line and paragraph separators and spaces that look like others', () => {
    assert.equal(displayName('a\u2028b'), 'a\\u2028b');
    assert.equal(displayName('a\u2029b'), 'a\\u2029b');
    assert.equal(displayName('no\u00A0break'), 'no\\u00A0break');
    assert.equal(displayName('em\u2003space'), 'em\\u2003space');
    // A space is visible between words, not at either end.
    assert.equal(displayName('with space'), 'with space');
    assert.equal(displayName('config '), 'config\\u0020');
    assert.equal(displayName(' '), '\\u0020');
  });

  it('shows C0 and C1 control characters', () => {
    assert.equal(displayName('a\u0000b'), 'a\\u0000b');
    assert.equal(displayName('line\nbreak\r\t'), 'line\\u000Abreak\\u000D\\u0009');
    assert.equal(displayName('del\u007F'), 'del\\u007F');
    assert.equal(displayName('nel\u0085csi\u009B'), 'nel\\u0085csi\\u009B');
    assert.equal(displayName('\u001B[31mred'), '\\u001B[31mred');
    assert.equal(displayName('lone\uD800'), 'lone\\uD800');
    assert.equal(displayName('tag\u{E0041}'), 'tag\\u{E0041}');
  });

  it('never shows two different names the same way, even when a name spells an escape', () => {
    const names = ['a\u200Bb', 'a\\u200Bb', 'a\\\u200Bb', 'a\\\\u200Bb', 'a\\b', 'a\\\\b', 'ab', 'C:\\data'];
    const shown = names.map(displayName);
    assert.equal(new Set(shown).size, names.length, shown.join(' | '));
    // A backslash alone (no escape anywhere) stays single.
    assert.equal(displayName('C:\\data'), 'C:\\data');
  });

  it('keeps the joiners that spelling needs (Persian, Devanagari) and emoji sequences', () => {
    for (const s of ['می\u200Cخواهم', 'क्\u200Dष', '👩\u200D💻']) assert.deepEqual(hiddenCharacters(s), [], JSON.stringify(s));
    assert.equal(displayName('👩\u200D💻'), '👩\u200D💻');
  });

  it('isolates right-to-left text so that it cannot reorder what follows', () => {
    assert.equal(displayName('שלום'), `${FSI}שלום${PDI}`);
    assert.equal(displayName('مرحبا-0000000001'), `${FSI}مرحبا-0000000001${PDI}`);
    // An override made visible and the RTL letters after it: escaped and isolated.
    assert.equal(displayName('\u202Eשלום'), `${FSI}\\u202Eשלום${PDI}`);
    assert.equal(isolate('\u202Ertl'), `${FSI}\u202Ertl${PDI}`);
  });

  it('names the hidden characters for a tooltip', () => {
    assert.equal(describeHidden('\u202Ertl\u200B\u202E'), 'U+202E, U+200B');
    assert.equal(describeHidden('plain'), undefined);
  });

  it('works on paths as on names', () => {
    assert.equal(displayName('/hostile/\u202Ertl'), '/hostile/\\u202Ertl');
    assert.equal(displayName('/a b/c'), '/a b/c');
  });
});
