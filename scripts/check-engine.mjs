#!/usr/bin/env node
// Checks that the extension only uses what the lowest VS Code in `engines.vscode` has: src/ is
// typechecked against @types/vscode at exactly that version and against the @types/node of the Node
// that VS Code's extension host runs (its Electron's), both installed into a folder outside the clone
// (the repository's node_modules is not touched). The language level is the repository's tsconfig's
// (lib ES2022), so a newer JavaScript built-in fails there already.
//
// Usage: node scripts/check-engine.mjs [--vscode 1.85.0] [--quiet]
// Env: ZK_ENGINE_TYPES_DIR (where the types are installed; default $TMPDIR/zk-engine-types).
// Exits 0 when src/ compiles; 1 with the compiler's errors when it does not; 2 when the types cannot be installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './bootstrap.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const log = (msg) => quiet || console.log(`[check-engine] ${msg}`);

const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const claimed = args.includes('--vscode') ? args[args.indexOf('--vscode') + 1] : lowestVersion(pkg.engines?.vscode);
if (!claimed) {
  console.error(`[check-engine] engines.vscode is ${JSON.stringify(pkg.engines?.vscode)}: expected a range such as ^1.85.0`);
  process.exit(2);
}
const node = extensionHostNode(claimed);

/** The lowest version a `^x.y.z` / `>=x.y.z` / `x.y.z` range admits. */
function lowestVersion(range) {
  const m = /^\s*(?:\^|>=|~)?\s*(\d+\.\d+\.\d+)\s*$/.exec(range ?? '');
  return m?.[1];
}

/**
 * The Node.js major of VS Code's extension host at a VS Code version (the Node of its Electron):
 * 1.82-1.89 run Electron 25-28 with Node 18; 1.90 moved to Electron 29 with Node 20; 1.101 to Electron 35
 * with Node 22. Older versions than 1.82 are not supported by this table.
 */
function extensionHostNode(version) {
  const minor = Number(version.split('.')[1]);
  if (minor < 82) throw new Error(`VS Code ${version} is older than this check knows (1.82)`);
  if (minor < 90) return 18;
  if (minor < 101) return 20;
  return 22;
}

const typesDir = resolve(process.env.ZK_ENGINE_TYPES_DIR || join(os.tmpdir(), 'zk-engine-types'), `vscode-${claimed}-node${node}`);
const vscodeTypes = join(typesDir, 'node_modules', '@types', 'vscode');
const nodeTypes = join(typesDir, 'node_modules', '@types', 'node');
const installedVersion = (dir) => (existsSync(join(dir, 'package.json')) ? JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version : undefined);

if (installedVersion(vscodeTypes) !== claimed || !installedVersion(nodeTypes)?.startsWith(`${node}.`)) {
  log(`installing @types/vscode@${claimed} and @types/node@${node} into ${typesDir}`);
  mkdirSync(typesDir, { recursive: true });
  writeFileSync(join(typesDir, 'package.json'), '{ "private": true }\n');
  const r = spawnSync(
    'npm',
    ['install', '--prefix', typesDir, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `@types/vscode@${claimed}`, `@types/node@${node}`],
    { stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', env: cleanEnv() },
  );
  if (r.status !== 0 || installedVersion(vscodeTypes) !== claimed) {
    console.error(`[check-engine] could not install @types/vscode@${claimed} (npm exited ${r.status ?? r.signal}): is it published?`);
    process.exit(2);
  }
}

// The repository's compiler options, with `vscode` and the Node types taken from the folder above:
// `paths` makes `import 'vscode'` resolve there, `typeRoots` keeps the repository's @types/node out.
const base = JSON.parse(readFileSync(join(repo, 'tsconfig.json'), 'utf8')).compilerOptions;
const tsconfig = {
  compilerOptions: {
    ...base,
    noEmit: true,
    sourceMap: false,
    rootDir: repo,
    outDir: undefined,
    types: ['node'],
    typeRoots: [join(typesDir, 'node_modules', '@types')],
    paths: { vscode: [join(vscodeTypes, 'index.d.ts')] },
  },
  include: [join(repo, 'src', '**', '*.ts')],
};
const tsconfigFile = join(typesDir, 'tsconfig.json');
writeFileSync(tsconfigFile, `${JSON.stringify(tsconfig, null, 2)}\n`);

log(`typechecking src/ against VS Code ${claimed} (engines.vscode ${pkg.engines.vscode}) and Node ${node} (its extension host)`);
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', tsconfigFile, '--pretty', 'false'], { encoding: 'utf8', cwd: repo });
const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
if (r.status !== 0) {
  console.error(output);
  console.error(`[check-engine] FAILED: src/ uses what VS Code ${claimed} (or its Node ${node}) does not have; raise engines.vscode or avoid the newer API`);
  process.exit(1);
}
log(`OK: every API src/ uses exists in VS Code ${claimed} and Node ${node}`);

// The bundle (with its dependencies, which the typecheck does not see): no built-in that the
// extension host's Node lacks. Names only, so a hit is checked by hand; none is there today.
const NEWER_THAN_NODE_18 = [
  /\.(toSorted|toReversed|toSpliced)\(/, // Array, Node 20
  /\.(isWellFormed|toWellFormed)\(/, // String, Node 20
  /\b(Object|Map)\.groupBy\(/, // Node 21
  /\bPromise\.withResolvers\(/, // Node 22
  /\bArray\.fromAsync\(/, // Node 22
  /\bAbortSignal\.any\(/, // Node 20.3
  /\.(union|intersection|symmetricDifference|isSubsetOf|isSupersetOf|isDisjointFrom)\(new Set/, // Set, Node 22
  /\bimport\.meta\.(dirname|filename)\b/, // Node 20.11
  /\b(styleText|getBuiltinModule|globSync)\(/, // util / process / fs, Node 20.12-22
];
const bundle = join(repo, 'dist', 'extension.js');
if (node === 18 && existsSync(bundle)) {
  const code = readFileSync(bundle, 'utf8');
  const found = NEWER_THAN_NODE_18.filter((re) => re.test(code)).map((re) => `${re.source}: ${code.match(re)[0]}`);
  if (found.length > 0) {
    console.error(`[check-engine] FAILED: dist/extension.js uses what Node ${node} does not have:\n  ${found.join('\n  ')}`);
    process.exit(1);
  }
  log(`OK: dist/extension.js names no built-in newer than Node ${node}`);
} else if (!existsSync(bundle)) {
  log('dist/extension.js not built: run `npm run build` to check the bundle too');
}
