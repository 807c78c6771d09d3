// `npm run bench`: builds, then runs every benchmark case (out/bench/run.js) against real ZooKeeper
// servers it starts and stops itself, prints a table of ratios and writes bench/results.json.
//  1. installs what is missing (scripts/bootstrap.mjs: npm ci, Debian's zookeeper);
//  2. `npm run build` and `tsc` (the cases are TypeScript under bench/);
//  3. node --expose-gc out/bench/run.js (the activation case runs `npm run package` itself);
//  4. `npm run build` again, so dist/ is left as the development build, not the packaged one.
// Usage: npm run bench [-- --quick]   (--quick: smaller cases, to try the script itself)
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ensureNodeModules, ensureZooKeeper, withSetupErrors } from './bootstrap.mjs';

const started = Date.now();
const root = resolve(new URL('..', import.meta.url).pathname);
process.chdir(root);

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
}

await withSetupErrors(() => {
  ensureNodeModules();
  ensureZooKeeper();
});
console.log('Building…');
sh('npm', ['run', '--silent', 'build']);
sh('npx', ['tsc', '-p', 'tsconfig.json']);
console.log(`Built in ${Math.round((Date.now() - started) / 1000)} s.\n`);

const run = spawnSync(process.execPath, ['--expose-gc', 'out/bench/run.js', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, BENCH_STARTED_AT: String(started) },
});
spawnSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`npm run bench: ${Math.round((Date.now() - started) / 1000)} s in all.`);
process.exit(run.status ?? 1);
