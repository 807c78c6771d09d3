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
  {
    // Adapters talk to the panels only through src/protocol: never to the browser code itself.
    files: ['src/*.ts', 'src/!(zk)/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(\\.\\./)+webview(/|$)', message: 'The extension host never imports webview/: use the typed protocol in src/protocol.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Webview code runs in the browser and cannot use the vscode API module.' }],
      }],
    },
  },
);
