// `npm test`: installs what is missing, builds once, then runs each suite with mocha and ends with one
// line "N passed, N failed" over all of them. Usage: node scripts/test.mjs [unit|integration|setup|e2e ...]
//   unit         out/test/**/*.test.js   plain Node, no servers
//   setup        out/test/setup/*.setup.js  the e2e set-up itself, run as `npm test` runs it
//   integration  out/test/**/*.itest.js  real ZooKeeper servers started by test/harness
//   e2e          out/test/e2e/**/*.e2e.js  the packaged extension in code-server, driven in Chromium
// Works as the first command on a fresh clone: `npm ci` when node_modules is missing or stale,
// Debian's zookeeper when the integration suite needs it, the e2e set-up (code-server, Chromium,
// playwright-core) before the suites that drive a browser.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { globSync } from './glob.mjs';
import { REPO, cleanEnv, ensureNodeModules, ensureZooKeeper, withSetupErrors } from './bootstrap.mjs';

process.chdir(REPO);
const all = ['unit', 'setup', 'integration', 'e2e'];
const asked = process.argv.slice(2).filter((a) => all.includes(a));
const suites = asked.length ? asked : all;
const patterns = {
  unit: (f) => f.endsWith('.test.js'),
  integration: (f) => f.endsWith('.itest.js'),
  setup: (f) => f.startsWith(join('out', 'test', 'setup')) && f.endsWith('.setup.js'),
  e2e: (f) => f.startsWith(join('out', 'test', 'e2e')) && f.endsWith('.e2e.js'),
};

function run(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return r.status ?? 1;
}

await withSetupErrors(() => {
  ensureNodeModules();
  if (suites.includes('integration') || suites.includes('e2e')) ensureZooKeeper();
});

if (run('npm', ['run', '--silent', 'build']) !== 0 || run('npx', ['tsc', '-p', 'tsconfig.json']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
let skipped = 0;
let e2eReady;
/** The e2e set-up, once: the integration suite's webview tests and the e2e suite need its Chromium. */
function e2eSetup() {
  e2eReady ??= spawnSync(process.execPath, ['scripts/e2e-setup.mjs'], { stdio: 'inherit', env: cleanEnv() }).status === 0;
  return e2eReady;
}
mkdirSync(join('out', 'totals'), { recursive: true });
for (const suite of suites) {
  const files = globSync('out/test').filter(patterns[suite]).sort();
  if (files.length === 0) {
    console.log(`\n[${suite}] no test files`);
    continue;
  }
  if (suite === 'integration' || suite === 'e2e') {
    if (!e2eSetup()) {
      console.log(`[${suite}] the e2e set-up failed (see above)`);
      failed += 1;
      continue;
    }
  }
  console.log(`\n===== ${suite} suite (${files.length} files) =====`);
  const totals = join('out', 'totals', `${suite}.json`);
  rmSync(totals, { force: true });
  // A real browser on a 2-core machine: an end-to-end test that fails is run once more before it
  // counts (a test that fails twice fails); the other suites get no second chance.
  const retries = suite === 'e2e' ? ['--retries', '1'] : [];
  const code = run('npx', ['mocha', '--config', '.mocharc.json', '--reporter', './scripts/mocha-totals-reporter.cjs', ...retries, ...files], {
    ZK_TEST_TOTALS_FILE: totals,
    ZK_TEST_SUITE: suite,
  });
  if (existsSync(totals)) {
    const t = JSON.parse(readFileSync(totals, 'utf8'));
    passed += t.passed;
    failed += t.failed;
    skipped += t.pending ?? 0;
    if (code !== 0 && t.failed === 0) failed += 1; // crashed outside a test (a hook, or the process)
  } else {
    failed += 1;
  }
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);

