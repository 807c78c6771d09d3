// What `npm start`, `npm test` and `npm run bench` do before anything else, so that each of them works as
// the first command on a fresh clone of a fresh machine: install the npm dependencies when they are
// missing or older than package-lock.json, install Debian's packages that are missing, and run nested
// installs in an environment that cannot inherit the outer npm's settings.
//
// A step that cannot succeed ends the process with one line that says what to do (`SetupError`),
// never with a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const REPO = resolve(new URL('..', import.meta.url).pathname);

/** A failure the user can act on: its message is the one line printed. */
export class SetupError extends Error {}

export function say(msg) {
  console.log(`[setup] ${msg}`);
}

/**
 * This process's environment without what an outer `npm run`/`npm test` puts into it: every `npm_*`
 * variable (`npm_config_user_agent` tells code-server's postinstall which Node runs it, and would name
 * the outer Node; `npm_config_prefix` redirects `--prefix` installs; `npm_lifecycle_*` and
 * `npm_package_*` describe the outer package), `INIT_CWD`, `NODE`, and the PATH entries npm prepends
 * (`node_modules/.bin` folders and its `node-gyp-bin`), so a nested install runs as if typed in a shell.
 */
export function cleanEnv(env = process.env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE') continue;
    out[k] = v;
  }
  if (out.PATH) {
    out.PATH = out.PATH.split(delimiter)
      .filter((p) => p && !/[\\/]node_modules[\\/]\.bin[\\/]?$/.test(p) && !/[\\/]node-gyp-bin[\\/]?$/.test(p))
      .join(delimiter);
  }
  return out;
}

/** Runs a command with its output shown; throws a SetupError naming `what` when it fails. */
export function run(cmd, args, what, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: cleanEnv(), ...opts });
  if (r.error) throw new SetupError(`${what}: could not run ${cmd} (${r.error.message})`);
  if (r.status !== 0) throw new SetupError(`${what}: \`${cmd} ${args.join(' ')}\` exited with ${r.status ?? r.signal}`);
}

/**
 * Why `npm ci` is needed in `repo`, or undefined when node_modules is current: it is missing, or npm's
 * record of the install (node_modules/.package-lock.json) is missing or older than package-lock.json.
 */
export function npmInstallReason(repo = REPO) {
  const lock = join(repo, 'package-lock.json');
  const record = join(repo, 'node_modules', '.package-lock.json');
  if (!existsSync(join(repo, 'node_modules'))) return 'node_modules is missing';
  if (!existsSync(record)) return 'node_modules was not installed by npm ci';
  if (existsSync(lock) && statSync(lock).mtimeMs > statSync(record).mtimeMs) return 'package-lock.json is newer than node_modules';
  return undefined;
}

export function ensureNodeModules(repo = REPO) {
  const reason = npmInstallReason(repo);
  if (!reason) return;
  say(`npm ci (${reason})`);
  try {
    run('npm', ['ci', '--no-audit', '--no-fund'], 'installing the npm dependencies', { cwd: repo });
  } catch (e) {
    throw new SetupError(`${e.message}. Check that the npm registry is reachable, then run \`npm ci\` in ${repo}.`);
  }
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export function aptMissing(pkgs) {
  return pkgs.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || r.stdout.trim() !== 'install ok installed';
  });
}

/**
 * Installs the Debian packages of `pkgs` that are missing (`apt-get update` only when one is), waiting
 * up to 10 minutes for another apt to finish instead of failing on its lock. Not root: `sudo -n` when it
 * needs no password, else a SetupError with the command to run.
 */
export function ensureApt(pkgs, why) {
  const missing = aptMissing(pkgs);
  if (missing.length === 0) return;
  const cmd = `apt-get install -y ${missing.join(' ')}`;
  let prefix = [];
  if (!isRoot) {
    const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
    if (sudo.status !== 0) throw new SetupError(`${missing.join(' ')} (${why}) is not installed; run \`sudo ${cmd}\`, then try again.`);
    prefix = ['sudo', '-n'];
  }
  say(`${cmd} (${why})`);
  const env = { ...cleanEnv(), DEBIAN_FRONTEND: 'noninteractive' };
  const quiet = { env, stdio: ['ignore', 'ignore', 'inherit'] }; // errors only: apt's progress is noise
  const apt = (args, what) => {
    const [c, ...rest] = [...prefix, 'apt-get', '-o', 'DPkg::Lock::Timeout=600', ...args];
    try {
      run(c, rest, what, quiet);
    } catch (e) {
      throw new SetupError(`${e.message}. Run \`${isRoot ? '' : 'sudo '}${cmd}\` yourself (Debian's package servers must be reachable), then try again.`);
    }
  };
  apt(['update', '-qq'], 'apt-get update');
  apt(['install', '-y', '-qq', '--no-install-recommends', ...missing], `apt-get install ${missing.join(' ')}`);
  const still = aptMissing(missing);
  if (still.length) throw new SetupError(`${still.join(' ')} still missing after apt-get install; run \`${cmd}\` and read its errors.`);
}

/** ZooKeeper for the sandbox, the integration tests and the benchmarks: Debian's package, unless one is configured. */
export function ensureZooKeeper() {
  if (process.env.ZOOKEEPER_HOME || process.env.ZK_CLASSPATH) return;
  const pkgs = ['zookeeper'];
  if (spawnSync('sh', ['-c', 'command -v java'], { stdio: 'ignore' }).status !== 0) pkgs.push('default-jre-headless');
  ensureApt(pkgs, 'the ZooKeeper servers that the sandbox and the tests start');
}

/** Runs `main`; a SetupError ends the process with its one line and exit code 1. */
export async function withSetupErrors(main) {
  try {
    await main();
  } catch (e) {
    if (e instanceof SetupError) {
      console.error(`\n[setup] ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}
