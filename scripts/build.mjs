// One build for the extension host bundle and every webview entry.
// Usage: node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Every `import * as vscode from 'vscode'` became its own __toESM(require('vscode')), which copies
// each of the API's properties as a getter: fifty-odd copies at every activation. All of them
// import one bundled module that re-exports 'vscode' instead, so the API is copied once.
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

const extension = {
  entryPoints: ['src/extension.ts'],
  plugins: [vscodeOnce],
  outfile: 'dist/extension.js',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

// Each top-level webview/<name>.ts (not a module under a sub-folder) is one panel's entry, except
// the modules the panels share (toolkit.ts: the one wrapper of @vscode/webview-ui-toolkit).
const sharedWebviewModules = new Set(['toolkit.ts']);
const webviewEntries = existsSync('webview')
  ? readdirSync('webview').filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !sharedWebviewModules.has(f)).map((f) => join('webview', f))
  : [];
const webview = {
  entryPoints: webviewEntries,
  outdir: 'dist/webview',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

const configs = webviewEntries.length > 0 ? [extension, webview] : [extension];
if (watch) {
  for (const c of configs) {
    const ctx = await esbuild.context(c);
    await ctx.watch();
  }
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
}
