import * as assert from 'node:assert/strict';
import { segmentProblem } from '../../../src/zk/paths';
import { collisionKey, decodeName, escapeName, isShortened, MAX_FILE_NAME_BYTES, siblingFileNames } from '../../../src/zk/configAsCode/nameEscape';

/** What no OS may see in a file name (Windows is the strictest), checked on every generated name. */
function fileNameProblem(f: string): string | undefined {
  if (f === '' || f === '.' || f === '..') return 'empty or dot name';
  if (/[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/.test(f)) return 'reserved or control character';
  if (/[ .]$/.test(f)) return 'trailing space or dot';
  const stem = f.split('.')[0].replace(/ +$/, '');
  if (/^(con|prn|aux|nul|conin\$|conout\$|clock\$|com[0-9¹²³]|lpt[0-9¹²³])$/i.test(stem)) return 'device name';
  if (Buffer.byteLength(f, 'utf8') > 255) return 'too long';
  if (f.toLowerCase().startsWith('.znode')) return 'reserved by the layout';
  return undefined;
}

/** A small deterministic generator (no Math.random: a failure must be reproducible). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  'CON', 'con', 'nul', 'COM1', 'lpt²', 'aux', 'a', 'B', 'z', 'é', 'e\u0301', 'É', 'ß', 'SS', 'K', '\u212A', 'ı', 'İ', '日本', '%', '%41', '%2', '%zz',
  ':', '\\', '/', '|', '?', '*', '"', '<', '>', ' ', '.', '..', '\u0001', '\u001f', '\u007f', '\u0085', '\u200b', '\u202e', '~', '.znode', '.znode.json',
  '.git', 'Thumbs.db', '.DS_Store', 'x'.repeat(60), '\uFFEF', '-', '_', '0',
];

function hostileName(next: () => number): string {
  const n = 1 + Math.floor(next() * 5);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

describe('config as code: name escape', () => {
  it('escapes what some OS refuses, and decodes back exactly', () => {
    const cases: [string, string][] = [
      ['plain', 'plain'],
      ['a:b', 'a%3Ab'],
      ['back\\slash', 'back%5Cslash'],
      ['CON', '%43ON'],
      ['con.txt', '%63on.txt'],
      ['COM1', '%43OM1'],
      ['trailing ', 'trailing%20'],
      ['dots...', 'dots..%2E'],
      ['...', '..%2E'],
      ['100%', '100%25'],
      ['tab\there', 'tab%09here'],
      ['.znode.json', '%2Eznode.json'],
      ['.git', '%2Egit'],
      ['ünïcödé 日本', 'ünïcödé 日本'],
      ['<img src=x onerror=alert(1)>', '%3Cimg src=x onerror=alert(1)%3E'],
    ];
    for (const [name, file] of cases) {
      assert.equal(escapeName(name), file, name);
      assert.equal(decodeName(file), name, file);
    }
  });

  it('a fold-safe escape leaves only lowercase ASCII and escapes', () => {
    assert.equal(escapeName('Config', { foldSafe: true }), '%43onfig');
    assert.equal(escapeName('é', { foldSafe: true }), '%C3%A9');
    assert.equal(decodeName('%43onfig'), 'Config');
    assert.equal(decodeName('%C3%A9'), 'é');
  });

  it('leaves a "%" that is not an escape of UTF-8 as it is (a file named by hand)', () => {
    assert.equal(decodeName('100%'), '100%');
    assert.equal(decodeName('%zz'), '%zz');
    assert.equal(decodeName('%FF%FE'), '%FF%FE');
  });

  it('shortens a name too long for a file system, with a hash that tells names apart', () => {
    const a = 'x'.repeat(300) + 'a';
    const b = 'x'.repeat(300) + 'b';
    const fa = escapeName(a);
    assert.ok(Buffer.byteLength(fa) <= MAX_FILE_NAME_BYTES);
    assert.ok(isShortened(fa));
    assert.notEqual(fa, escapeName(b));
    assert.equal(escapeName('x'.repeat(200)), 'x'.repeat(200), 'the sample data\'s 200-character name fits as it is');
    const wide = '日'.repeat(100); // 300 bytes
    assert.ok(Buffer.byteLength(escapeName(wide)) <= MAX_FILE_NAME_BYTES);
  });

  it('round-trips 20,000 generated hostile names; each file name is valid on every OS', () => {
    const next = rng(19);
    let checked = 0;
    for (let i = 0; i < 20_000; i++) {
      const name = hostileName(next);
      if (segmentProblem(name)) continue; // the server would refuse it: it cannot be pulled
      for (const foldSafe of [false, true]) {
        const file = escapeName(name, { foldSafe });
        assert.equal(fileNameProblem(file), undefined, `${JSON.stringify(name)} -> ${JSON.stringify(file)}`);
        if (!isShortened(file)) assert.equal(decodeName(file), name, `${JSON.stringify(name)} -> ${JSON.stringify(file)}`);
      }
      checked++;
    }
    assert.ok(checked > 12_000, `${checked} names checked`);
  });

  it('siblings get file names that stay distinct on case-insensitive and normalising file systems', () => {
    const next = rng(7);
    for (let round = 0; round < 300; round++) {
      const names = new Set<string>(['Config', 'config', 'CONFIG', 'é', 'e\u0301', 'K', '\u212A', 'k', 'ß', 'ss', 'SS', 'settings', 'settings.json']);
      while (names.size < 40) {
        const n = hostileName(next);
        if (!segmentProblem(n)) names.add(n);
      }
      const list = [...names];
      // Like the layout: JSON leaves get '.json' when their name has none.
      const files = siblingFileNames(list, (name, escaped) => (name.includes('.') ? escaped : escaped + '.json'));
      const keys = new Map<string, string>();
      for (const name of list) {
        const file = files.get(name) as string;
        assert.equal(fileNameProblem(file), undefined, file);
        const key = collisionKey(file);
        assert.ok(!keys.has(key), `${JSON.stringify(name)} and ${JSON.stringify(keys.get(key))} collide as ${file}`);
        keys.set(key, name);
        const base = file.endsWith('.json') && !name.endsWith('.json') ? file.slice(0, -5) : file;
        if (!isShortened(base)) assert.equal(decodeName(base), name);
      }
    }
  });

  it('only the colliding siblings are escaped fold-safe', () => {
    const files = siblingFileNames(['Config', 'config', 'Other']);
    assert.equal(files.get('Config'), '%43onfig');
    assert.equal(files.get('config'), 'config');
    assert.equal(files.get('Other'), 'Other');
  });
});
