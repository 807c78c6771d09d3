// The README's screenshots: each is a small PNG in media/screenshots/ that an end-to-end scenario
// takes (test/e2e/readmeScreenshots.ts), none is packaged into the .vsix (the Marketplace shows only
// https images), and the README that goes into the .vsix (scripts/packagedReadme.mjs) links no image
// by relative path, which vsce refuses without a repository.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { README_SCREENSHOTS, README_SCREENSHOT_DIR } from '../e2e/readmeScreenshots';
import { packaged } from './vscodeignore';

const root = join(__dirname, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const names = Object.keys(README_SCREENSHOTS) as (keyof typeof README_SCREENSHOTS)[];
const MAX_BYTES = 300 * 1024;

interface PackagedReadme {
  withoutScreenshots(readme: string): string;
  relativeImages(markdown: string): string[];
}
const packagedReadme = (): Promise<PackagedReadme> => import(pathToFileURL(join(root, 'scripts', 'packagedReadme.mjs')).href) as Promise<PackagedReadme>;

/** Width and height from a PNG's IHDR; throws when the file is not a PNG. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file}: PNG signature`);
  assert.equal(png.toString('ascii', 12, 16), 'IHDR', `${file}: IHDR`);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('README screenshots', () => {
  it('shows every screenshot the e2e suite takes, and only those, each a small PNG', () => {
    const linked = [...readme.matchAll(/!\[[^\]]+\]\((media\/screenshots\/[^)\s]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(linked.sort(), names.map((n) => `media/screenshots/${n}.png`).sort());
    for (const name of names) {
      const file = join(root, README_SCREENSHOT_DIR, `${name}.png`);
      assert.ok(existsSync(file), `${file} exists (ZK_E2E_SCREENSHOTS=1 and the e2e scenario take it)`);
      const { width, height } = pngSize(file);
      assert.ok(width <= 1600 && height <= 1000, `${name}.png is ${width}×${height}`);
      assert.ok(readFileSync(file).length <= MAX_BYTES, `${name}.png is at most ${MAX_BYTES} bytes`);
    }
  });

  it('has each one taken by the e2e scenario that reaches its state', () => {
    for (const name of names) {
      const scenario = README_SCREENSHOTS[name].split(':')[0];
      const source = readFileSync(join(root, 'test', 'e2e', scenario), 'utf8');
      assert.match(source, new RegExp(`readmeScreenshot\\(w, '${name}'\\)`), `${scenario} takes ${name}`);
    }
  });

  it('keeps the screenshots out of the .vsix, the icon and walkthrough in', () => {
    for (const name of names) assert.equal(packaged(root, `${README_SCREENSHOT_DIR}/${name}.png`), false, `${name}.png is not packaged`);
    assert.ok(packaged(root, 'media/icon.png'));
    assert.ok(packaged(root, 'media/walkthrough/connect.md'));
    assert.equal(packaged(root, 'README.md'), false, 'the README is the one package.mjs hands vsce (--readme-path), not a second copy');
  });

  it('packages a README without relative images when package.json names no repository', async () => {
    const { withoutScreenshots, relativeImages } = await packagedReadme();
    assert.deepEqual(relativeImages(readme).sort(), names.map((n) => `media/screenshots/${n}.png`).sort(), 'the check itself');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { repository?: unknown };
    if (manifest.repository) return; // vsce rewrites relative links into the repository's URLs
    const packagedText = withoutScreenshots(readme);
    assert.deepEqual(relativeImages(packagedText), []);
    assert.ok(packagedText.includes('## What it does'), 'the rest of the README is kept');
    assert.ok(packagedText.includes('## Compared with'));
    assert.throws(() => withoutScreenshots('a <!-- /screenshots --> b <!-- screenshots -->'), /expected one/);
  });
});
