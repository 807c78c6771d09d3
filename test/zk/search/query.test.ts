// Find in Subtree's matcher and the text it searches (plain Node, no server).
import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { isZkError } from '../../../src/zk/errors';
import { renderMessage } from '../../../src/zk/message';
import { compileQuery, globToRegExpSource, MAX_LINE_CHARS, queryProblem, type SearchQuery } from '../../../src/zk/search/query';
import { searchableText } from '../../../src/zk/search/searchableText';

const q = (text: string, over: Partial<SearchQuery> = {}): SearchQuery => ({ text, mode: 'substring', caseSensitive: false, target: 'all', ...over });

describe('search query', () => {
  it('finds a substring on every line with its line and column, ignoring case by default', () => {
    const m = compileQuery(q('broker')).inText('a=1\nBroker.id=3\r\nx broker broker', 10);
    assert.deepEqual(m, [
      { line: 1, column: 0, length: 6 },
      { line: 2, column: 2, length: 6 },
      { line: 2, column: 9, length: 6 },
    ]);
  });

  it('respects case when asked', () => {
    assert.equal(compileQuery(q('Broker', { caseSensitive: true })).inText('broker Broker', 10).length, 1);
  });

  it('whole word: letters, digits and underscores in any script bound a word', () => {
    const c = compileQuery(q('id', { mode: 'word' }));
    assert.deepEqual(c.inText('id broker_id id2 (id) идid', 10).map((m) => m.column), [0, 18]);
  });

  it('regular expressions, with a clear message for an invalid one', () => {
    assert.deepEqual(compileQuery(q('port=\\d+', { mode: 'regex' })).inText('host=a\nport=2181', 5), [{ line: 1, column: 0, length: 9 }]);
    assert.match(renderMessage(queryProblem(q('a(b', { mode: 'regex' }))!), /^Not a valid regular expression/);
    assert.throws(() => compileQuery(q('a(b', { mode: 'regex' })), (e: unknown) => isZkError(e, 'INVALID_ARGUMENT'));
  });

  it('an empty-matching regular expression does not stop or loop', () => {
    assert.deepEqual(compileQuery(q('x*', { mode: 'regex' })).inText('abxx', 10), [{ line: 0, column: 2, length: 2 }]);
  });

  it('globs match whole names, and are refused for data', () => {
    const c = compileQuery(q('lock-*[0-9]', { mode: 'glob', target: 'names' }));
    assert.equal(c.inName('lock-0000000001').length, 1);
    assert.equal(c.inName('a-lock-1').length, 0);
    assert.equal(compileQuery(q('[!a]?', { mode: 'glob', target: 'names' })).inName('bc').length, 1);
    assert.match(renderMessage(queryProblem(q('*', { mode: 'glob', target: 'data' }))!), /glob .* names or paths/);
    assert.equal(globToRegExpSource('a.b[x'), 'a\\.b\\[x');
  });

  it('caps matches per text and reads at most MAX_LINE_CHARS of one line', () => {
    assert.equal(compileQuery(q('a')).inText('a'.repeat(500), 7).length, 7);
    const long = 'x'.repeat(MAX_LINE_CHARS) + 'needle';
    assert.equal(compileQuery(q('needle')).inText(long, 5).length, 0);
  });

  it('says what is wrong with an empty or huge query', () => {
    assert.match(renderMessage(queryProblem(q(''))!), /Type something/);
    assert.match(renderMessage(queryProblem(q('x'.repeat(1001)))!), /1,000/);
  });
});

describe('searchable text', () => {
  it('UTF-8 with a BOM is searched as the editor shows it (no BOM)', () => {
    const t = searchableText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x62]));
    assert.deepEqual(t, { text: 'ab', as: 'utf-8' });
  });

  it('gzip data is decompressed, within a bound', () => {
    const data = gzipSync(Buffer.from('compressed needle'));
    assert.deepEqual(searchableText(data), { text: 'compressed needle', as: 'gzip' });
    const big = gzipSync(Buffer.alloc(64 * 1024, 0x61));
    assert.equal(searchableText(big, { maxGunzipBytes: 1024 }), undefined, 'over the bound: binary, skipped');
  });

  it('binary data is skipped unless hex or base64 is asked for', () => {
    const bin = new Uint8Array([0xff, 0x00, 0x10]);
    assert.equal(searchableText(bin), undefined);
    assert.deepEqual(searchableText(bin, { binary: 'hex' }), { text: 'ff 00 10\n', as: 'hex' });
    assert.equal(searchableText(bin, { binary: 'base64' })?.text.trim(), '/wAQ');
  });

  it('another encoding only when configured', () => {
    const cp1252 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]); // "café" in windows-1252, not UTF-8
    assert.equal(searchableText(cp1252), undefined);
    assert.deepEqual(searchableText(cp1252, { fallbackEncoding: 'windows-1252' }), { text: 'café', as: 'windows-1252' });
  });
});
