// Unit test of the contributions' localization (package.nls.json, package.nls.zh-cn.json): every
// user-visible string of package.json is a %key% with English text, every key has a Chinese
// translation, and a translation keeps what VS Code or the user acts on (command links, `code`,
// setting references) exactly as the English has it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const read = (name: string) => JSON.parse(readFileSync(join(root, name), 'utf8')) as Record<string, string>;

describe('package.json localization (English and zh-cn)', () => {
  it('leaves no plain user-visible string in package.json and no key without a zh-cn translation', () => {
    // The same walk `node scripts/nls.mjs` uses to move strings: --check only reports.
    const out = execFileSync(process.execPath, [join(root, 'scripts', 'nls.mjs'), '--check'], { encoding: 'utf8' });
    assert.match(out, /^\d+ strings localized/);
  });

  it('keeps command links, code spans and setting references identical in every translation', () => {
    const en = read('package.nls.json');
    const zh = read('package.nls.zh-cn.json');
    const kept = (s: string) => [...s.matchAll(/\(command:[^)]+\)|`[^`]+`|#[\w.]+#/g)].map((m) => m[0]).sort();
    for (const [key, english] of Object.entries(en)) {
      assert.deepEqual(kept(zh[key] ?? ''), kept(english), key);
      assert.notEqual((zh[key] ?? '').trim(), '', `${key} is translated`);
    }
  });

  it('translates: most zh-cn strings differ from the English (names such as ZooKeeper may stay)', () => {
    const en = read('package.nls.json');
    const zh = read('package.nls.zh-cn.json');
    const same = Object.keys(en).filter((k) => zh[k] === en[k]);
    for (const key of same) assert.match(en[key], /^ZooKeeper$/, `${key} is left in English`);
  });
});
