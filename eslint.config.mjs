// ESLint flat config: typescript-eslint's recommended rules, plus the architectural rules: the
// domain layer (src/zk) must never import 'vscode' (it runs in plain Node), nor an adapter, the
// webview protocol (src/protocol) or the webview: they depend on it, never the other way.
import tseslint from 'typescript-eslint';

const DOMAIN_MESSAGE = 'src/zk is the domain layer: it must not depend on VS Code, an adapter, src/protocol or the webview.';
const ADAPTERS = '(tree|editors|connections|health|holders|watches|search|protocol|extension)(\\.ts)?(/|$)';

/** The imports a domain file `depth` folders below src/zk may not make (paths are not resolved: by depth). */
function domainImports(depth) {
  const up = '\\.\\./'.repeat(depth + 1);
  return {
    paths: [{ name: 'vscode', message: DOMAIN_MESSAGE }],
    patterns: [
      { regex: `^${up}${ADAPTERS}`, message: DOMAIN_MESSAGE },
      { regex: `^${up}\\.\\./`, message: DOMAIN_MESSAGE }, // out of src: webview/, test/, …
    ],
  };
}

// --- the extension host's rooms ------------------------------------------------------------------
// src/zk is the domain (above). Shared rooms may import only the rooms listed; a feature folder is
// any other folder of src/ and may import its own files and every shared room, never another
// feature (what two features share goes to src/ui or src/zk). New feature folders are covered
// without editing this file.
const SHARED_ROOMS = {
  protocol: ['zk'],
  ui: ['zk'],
  connections: ['zk', 'ui'],
};
const FEATURE_MAY_IMPORT = ['zk', ...Object.keys(SHARED_ROOMS)];
const FEATURE_MESSAGE =
  'A feature folder imports only src/zk, src/connections, src/ui (the adapter kit) and src/protocol: never another feature folder or extension.ts. Move what features share to src/ui (VS Code helpers) or src/zk (logic).';
const roomMessage = (room, allowed) => `src/${room} is shared by the features: it imports only ${allowed.map((r) => `src/${r}`).join(', ')} (never a feature folder or extension.ts).`;
const WEBVIEW_PATTERN = { regex: '^(\\.\\./)+webview(/|$)', message: 'The extension host never imports webview/: use the typed protocol in src/protocol.' };

/**
 * One config per depth below `folder` (paths are not resolved: `../` counted from the file): an
 * import that climbs to src/ and names a room outside `allowed` is refused (a feature's own room is
 * reached with ./ and ../ inside it; `allowed` undefined: the shared rooms).
 */
function byDepth(folder, allowed, message) {
  const may = allowed ?? FEATURE_MAY_IMPORT;
  return [1, 2, 3].map((depth) => ({
    files: [`${folder}/${'*/'.repeat(depth - 1)}*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          WEBVIEW_PATTERN,
          { regex: `^${'\\.\\./'.repeat(depth)}(?!(${may.join('|')})(/|$))[^./]`, message },
        ],
      }],
    },
  }));
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'artifacts/**', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  { files: ['src/zk/*.ts'], rules: { 'no-restricted-imports': ['error', domainImports(0)] } },
  { files: ['src/zk/*/*.ts'], rules: { 'no-restricted-imports': ['error', domainImports(1)] } },
  { files: ['src/zk/*/*/*.ts'], rules: { 'no-restricted-imports': ['error', domainImports(2)] } },
  {
    files: ['src/zk/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']",
        message: 'src/zk is the domain layer: it must not depend on VS Code.',
      }],
    },
  },
  // Adapters talk to the panels only through src/protocol: never to the browser code itself.
  { files: ['src/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [WEBVIEW_PATTERN] }] } },
  // The shared rooms of the extension host, each with what it may import.
  ...Object.entries(SHARED_ROOMS).flatMap(([room, allowed]) => byDepth(`src/${room}`, [room, ...allowed], roomMessage(room, allowed))),
  // Every other folder of src/ is a feature (tree, editors, watches, …, and any new one): it imports
  // the shared rooms, never another feature.
  ...byDepth(`src/!(${['zk', ...Object.keys(SHARED_ROOMS)].join('|')})`, undefined, FEATURE_MESSAGE),
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Webview code runs in the browser and cannot use the vscode API module.' }],
      }],
    },
  },
);
