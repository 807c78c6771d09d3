#!/usr/bin/env node
// `npm run package`: the production build, then `vsce package` into <name>.vsix.
// With a repository in package.json vsce rewrites the README's relative links (its screenshots) into
// the repository's URLs. Without one, the .vsix gets dist/README.md: the README without its
// screenshots block (scripts/packagedReadme.mjs says why), so no broken image is shown.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { relativeImages, withoutScreenshots } from './packagedReadme.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit' });
  if (r.error) {
    console.error(`[package] could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(process.execPath, [join(repo, 'scripts', 'build.mjs'), '--production']);

const vsceArgs = ['package', '--no-dependencies', '--out', `${pkg.name}.vsix`];
if (!pkg.repository) {
  const readme = withoutScreenshots(readFileSync(join(repo, 'README.md'), 'utf8'));
  const left = relativeImages(readme);
  if (left.length) {
    console.error(`[package] README.md links images by relative path outside the screenshots block (${left.join(', ')}): without a repository in package.json they cannot be shown`);
    process.exit(1);
  }
  mkdirSync(join(repo, 'dist'), { recursive: true });
  writeFileSync(join(repo, 'dist', 'README.md'), readme);
  vsceArgs.push('--allow-missing-repository', '--readme-path', 'dist/README.md');
}
run('vsce', vsceArgs);
