// The layering rules of eslint.config.mjs fail on a violation: the domain (src/zk) imports no
// VS Code, no adapter, no src/protocol and no webview code; a feature folder imports only the
// shared rooms (src/zk, src/connections, src/ui, src/protocol), never another feature.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', ...(__dirname.includes(join('out', 'test')) ? ['..'] : []));

async function lint(filePath: string, code: string): Promise<string[]> {
  const { ESLint } = (await import('eslint')) as typeof import('eslint');
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint: the domain layer imports no adapter, protocol or webview', function () {
  this.timeout(60_000);

  it('refuses each kind of violation, at both depths of src/zk', async () => {
    const bad: [string, string][] = [
      ['src/zk/scratch.ts', "import * as vscode from 'vscode';"],
      ['src/zk/scratch.ts', "import type { HostToWebview } from '../protocol/health';"],
      ['src/zk/scratch.ts', "import { ZnodeTreeProvider } from '../tree/znodeTreeProvider';"],
      ['src/zk/scratch.ts', "import { readHealthSettings } from '../health/settings';"],
      ['src/zk/scratch.ts', "import { x } from '../../webview/health/format';"],
      ['src/zk/health/scratch.ts', "import type { HealthSnapshot } from '../../protocol/health';"],
      ['src/zk/health/scratch.ts', "import { adminPortFor } from '../../health/settings';"],
      ['src/zk/watches/scratch.ts', "import { WatchService } from '../../watches/watchService';"],
      ['src/zk/watches/scratch.ts', "import { x } from '../../../webview/health/app';"],
      ['src/zk/search/scratch.ts', "import { SearchResultsView } from '../../search/searchResultsView';"],
    ];
    for (const [file, code] of bad) {
      const messages = await lint(file, `${code}\nexport const used = 1;\n`);
      assert.ok(messages.some((m) => /src\/zk is the domain layer/.test(m)), `${file}: ${code} → ${JSON.stringify(messages)}`);
    }
  });

  it('refuses webview code in the extension host (adapters use src/protocol)', async () => {
    for (const [file, code] of [
      ['src/health/scratch.ts', "import { x } from '../../webview/health/format';"],
      ['src/extension.scratch.ts', "import { x } from '../webview/health/app';"],
    ]) {
      const messages = await lint(file, `${code}\nexport const used = 1;\n`);
      assert.ok(messages.some((m) => /never imports webview/.test(m)), `${file}: ${code} → ${JSON.stringify(messages)}`);
    }
    assert.deepEqual(await lint('src/health/scratch.ts', "import type { HostToWebview } from '../protocol/health';\nexport const used = 1;\n"), []);
  });

  it('allows the domain to import itself', async () => {
    const ok: [string, string][] = [
      ['src/zk/scratch.ts', "import { adminCommand } from './health/adminServer';"],
      ['src/zk/health/scratch.ts', "import { parseConnectString } from '../connectString';"],
      ['src/zk/health/scratch.ts', "import type { HealthSnapshot } from './healthTypes';"],
      ['src/zk/watches/scratch.ts', "import { isZkError } from '../errors';"],
    ];
    for (const [file, code] of ok) assert.deepEqual(await lint(file, `${code}\nexport const used = 1;\n`), [], `${file}: ${code}`);
  });
});

describe('lint: feature folders import only the shared rooms, not each other', function () {
  this.timeout(60_000);
  const FEATURE = /A feature folder imports only/;

  it('refuses one feature importing another, at every depth, also in a folder lint has never heard of', async () => {
    const bad: [string, string][] = [
      // the violation fixed by the kit: editors and holders imported each other
      ['src/holders/scratch.ts', "import { askNode } from '../editors/commands';"],
      ['src/editors/scratch.ts', "import { HOLDERS_SCHEME } from '../holders/index';"],
      ['src/search/scratch.ts', "import { editorUri } from '../editors/uris';"],
      ['src/tree/scratch.ts', "import { WatchService } from '../watches/watchService';"],
      ['src/health/scratch.ts', "import { registerTree } from '../tree';"],
      ['src/tree/scratch.ts', "import { activate } from '../extension';"],
      // new feature folders are covered without editing eslint.config.mjs
      ['src/admin/scratch.ts', "import { ZnodeTreeProvider } from '../tree/znodeTreeProvider';"],
      ['src/history/parts/scratch.ts', "import type { SavePrompts } from '../../editors/znodeFileSystemProvider';"],
      ['src/config/a/b/scratch.ts', "import { HealthPanel } from '../../../health/healthPanel';"],
    ];
    for (const [file, code] of bad) {
      const messages = await lint(file, `${code}\nexport const used = 1;\n`);
      assert.ok(messages.some((m) => FEATURE.test(m)), `${file}: ${code} → ${JSON.stringify(messages)}`);
    }
  });

  it('keeps the shared rooms below the features: src/ui imports only src/zk, src/connections also src/ui', async () => {
    const cases: [string, string, RegExp][] = [
      ['src/ui/scratch.ts', "import type { ConnectionRegistry } from '../connections/connectionRegistry';", /src\/ui is shared/],
      ['src/ui/scratch.ts', "import { registerTree } from '../tree';", /src\/ui is shared/],
      ['src/connections/scratch.ts', "import { registerTree } from '../tree/index';", /src\/connections is shared/],
      ['src/protocol/scratch.ts', "import { COMMANDS } from '../ui/commandIds';", /src\/protocol is shared/],
    ];
    for (const [file, code, message] of cases) {
      const messages = await lint(file, `${code}\nexport const used = 1;\n`);
      assert.ok(messages.some((m) => message.test(m)), `${file}: ${code} → ${JSON.stringify(messages)}`);
    }
  });

  it('allows a feature its own files and the shared rooms', async () => {
    const ok: [string, string][] = [
      ['src/tree/scratch.ts', "import { ZnodeTreeProvider } from './znodeTreeProvider';"],
      ['src/tree/scratch.ts', "import { COMMANDS } from '../ui/commandIds';"],
      ['src/tree/scratch.ts', "import type { ConnectionRegistry } from '../connections/connectionRegistry';"],
      ['src/health/scratch.ts', "import type { HostToWebview } from '../protocol/health';"],
      ['src/admin/parts/scratch.ts', "import { x } from '../adminCommands';"],
      ['src/admin/parts/scratch.ts', "import { isZkError } from '../../zk/errors';"],
      ['src/connections/scratch.ts', "import { registerCommand } from '../ui/registerCommand';"],
      ['src/ui/scratch.ts', "import { ZnodeUri } from '../zk/znodeUri';"],
      ['src/extension.scratch.ts', "import { registerTree } from './tree';"],
    ];
    for (const [file, code] of ok) assert.deepEqual(await lint(file, `${code}\nexport const used = 1;\n`), [], `${file}: ${code}`);
  });
});
