// Matching a node's data without decoding it first where the raw bytes already rule a match out
// (bytePrefilter.ts), and building each match's preview from its line alone: both must find exactly
// what decoding every node and matching it line by line finds. Property-style: many generated
// inputs (UTF-8 with and without the BOM, CRLF, long lines, characters that fold to ASCII letters,
// gzip, invalid UTF-8, NUL, fallback encodings, hex and base64) against that reference.
import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { bytePrefilter } from '../../../src/zk/search/bytePrefilter';
import { matchNode, PREVIEW_CHARS, type NodeResult } from '../../../src/zk/search/nodeMatch';
import { compileQuery, MAX_LINE_CHARS, type CompiledQuery, type SearchMode, type SearchQuery } from '../../../src/zk/search/query';
import { searchableText, type TextOptions } from '../../../src/zk/search/searchableText';

/** The decoded path, as the search did before the prefilter: decode every node, match every line, split for previews. */
function reference(q: CompiledQuery, data: Uint8Array, opts: TextOptions & { maxMatchesPerNode: number }) {
  const text = searchableText(data, opts);
  if (!text) return { dataAs: undefined, binarySkipped: true, dataMatches: [] as NodeResult['dataMatches'] };
  const lines = text.text.split('\n');
  const dataMatches = q.inText(text.text, opts.maxMatchesPerNode).map((m) => {
    const line = (lines[m.line] ?? '').replace(/\r$/, '');
    if (line.length <= PREVIEW_CHARS) return { ...m, preview: line, previewColumn: m.column };
    const start = Math.max(0, Math.min(m.column - 40, line.length - PREVIEW_CHARS));
    return { ...m, preview: (start > 0 ? '…' : '') + line.slice(start, start + PREVIEW_CHARS), previewColumn: m.column - start + (start > 0 ? 1 : 0) };
  });
  return { dataAs: text.as, binarySkipped: false, dataMatches };
}

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] };
}

// Pieces text is made of: ASCII words in both cases, the letters that fold to s and k, accented and
// CJK letters, an emoji, word boundaries of every kind, line ends.
const PIECES = ['broker', 'BROKER', 'Broker', 'sk', 'SK', 'ſ', 'K', 'kafka', 'é', 'É', 'straße', '中文', '😀', '_', ' ', '-', '.', '1', '\n', '\r\n', '\r', 'id', 'ID', 'ıd', 'İd'];
const QUERIES = ['broker', 'Broker', 'sk', 'SK', 'k', 's', 'kafka', 'id', 'é', 'É', 'straße', 'STRASSE', '中', 'o', 'b.r', 'ſ', 'K', '\n', 'r\rk', 'x'];
const MODES: SearchMode[] = ['substring', 'word', 'regex'];

function text(r: ReturnType<typeof rng>): string {
  let s = '';
  const n = r.int(12);
  for (let i = 0; i < n; i++) s += r.pick(PIECES);
  if (r.int(20) === 0) s = 'x'.repeat(MAX_LINE_CHARS - 3) + s + 'broker'.repeat(3); // a match past the line's cut
  return s;
}

function bytesOf(r: ReturnType<typeof rng>, s: string): Uint8Array {
  const utf8 = Buffer.from(s, 'utf8');
  switch (r.int(8)) {
    case 0:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]); // BOM
    case 1:
      return gzipSync(utf8);
    case 2:
      return Buffer.concat([utf8, Buffer.from([0xff, 0xfe])]); // not UTF-8: binary, or the fallback encoding
    case 3:
      return Buffer.concat([utf8, Buffer.from([0])]); // NUL: binary
    case 4:
      return Uint8Array.from(utf8); // not a Buffer
    case 5:
      return Buffer.from(s, 'latin1'); // latin1 bytes: UTF-8 only when ASCII
    default:
      return utf8;
  }
}

describe('matchNode: byte prefilter and previews', () => {
  it('finds exactly what decoding every node finds, over many generated nodes and queries', () => {
    let compared = 0;
    let ruledOut = 0;
    for (let seed = 1; seed <= 4000; seed++) {
      const r = rng(seed);
      const query: SearchQuery = { text: r.pick(QUERIES), mode: r.pick(MODES), caseSensitive: r.int(2) === 0, target: 'data' };
      const q = compileQuery(query);
      const data = bytesOf(r, text(r));
      const opts = { maxMatchesPerNode: r.pick([1, 3, 100]), binary: r.pick(['skip', 'skip', 'hex', 'base64'] as const), fallbackEncoding: r.int(4) === 0 ? 'windows-1252' : undefined };
      const want = reference(q, data, opts);
      const got = matchNode(q, '/n', data, data.length, opts);
      const label = `seed ${seed}: ${JSON.stringify(query)} in ${JSON.stringify(Buffer.from(data).toString('latin1').slice(0, 80))}`;
      assert.deepEqual(got.result.dataMatches, want.dataMatches, label);
      assert.equal(got.binarySkipped, want.binarySkipped, label);
      if (got.found > 0 || want.dataMatches.length > 0) assert.equal(got.result.dataAs, want.dataAs, label);
      if (q.bytes && !q.bytes.mayMatch(data)) ruledOut++;
      compared++;
    }
    assert.equal(compared, 4000);
    assert.ok(ruledOut > 800, `the bytes ruled out ${ruledOut} nodes: the prefilter must spare most non-matching nodes their decoding`);
  });

  it('rules out plain UTF-8 from the bytes for substring and whole-word queries, in either case', () => {
    const data = Buffer.from('{"host": "zk-1", "port": 2181}\n');
    for (const mode of ['substring', 'word'] as const) {
      for (const caseSensitive of [true, false]) {
        const f = bytePrefilter({ text: 'broker', mode, caseSensitive, target: 'data' });
        assert.ok(f, `${mode}, case ${caseSensitive}: a prefilter`);
        assert.equal(f.mayMatch(data), false);
        assert.equal(f.mayMatch(Buffer.from('a BROKER here')), !caseSensitive);
      }
    }
    assert.equal(bytePrefilter({ text: 'b.*r', mode: 'regex', caseSensitive: false, target: 'data' }), undefined, 'a regular expression is matched on the decoded text');
    assert.equal(bytePrefilter({ text: 'straße', mode: 'substring', caseSensitive: false, target: 'data' }), undefined, 'non-ASCII case folding is matched on the decoded text');
  });

  it('a case-insensitive s or k may match ſ and the Kelvin sign, as the decoded match does', () => {
    for (const [query, data] of [
      ['ask', 'aſK'],
      ['S', 'ſ'],
      ['k', 'K'],
    ]) {
      const q = compileQuery({ text: query, mode: 'substring', caseSensitive: false, target: 'data' });
      const bytes = Buffer.from(data, 'utf8');
      assert.equal(q.bytes?.mayMatch(bytes), true, `${query} in ${data}`);
      assert.equal(matchNode(q, '/n', bytes, bytes.length, { maxMatchesPerNode: 10 }).found, 1, `${query} in ${data}`);
    }
  });

  it('a node whose bytes rule the query out is reported as UTF-8 when its name matches', () => {
    const q = compileQuery({ text: 'broker', mode: 'substring', caseSensitive: false, target: 'all' });
    const data = Buffer.from('nothing here');
    const { result, found } = matchNode(q, '/a/broker', data, data.length, { maxMatchesPerNode: 10 });
    assert.equal(found, 2);
    assert.equal(result.dataAs, 'utf-8');
    assert.deepEqual(result.dataMatches, []);
  });
});
