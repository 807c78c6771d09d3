// A minimal display-language pack for the e2e workbench, made at run time (no marketplace, no
// network): an extension that contributes `localizations` for one language with an empty
// translation of VS Code itself. VS Code's own UI stays English (every key falls back), but the
// server then resolves the display language to that locale, so the extension host's
// vscode.env.language is it and our package.nls.<locale>.json and l10n bundle load.
//
// Why languagepacks.json is written here: code-server's server reads the language packs from
// <user-data-dir>/languagepacks.json when it resolves a locale (VS Code's resolveNLSConfiguration);
// that file is kept up to date by the running server's language pack service after an install from
// the UI, but `code-server --install-extension` (the CLI) does not write it.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PUBLISHER = 'zk-e2e';
const VERSION = '1.0.0';

/** Language names VS Code shows for a pack; only the languageId matters to the resolution. */
const LANGUAGE_NAMES: Record<string, { languageName: string; localizedLanguageName: string }> = {
  'zh-cn': { languageName: 'Chinese Simplified', localizedLanguageName: '中文(简体)' },
};

export interface LanguagePack {
  /** `publisher.name` of the pack extension. */
  id: string;
  folder: string;
  vsix: string;
}

/** Writes the pack's folder under `dir` and packages it with vsce (run by this Node) into a .vsix. */
export async function makeLanguagePack(dir: string, locale: string, vsce: string): Promise<LanguagePack> {
  const name = `language-pack-${locale.toLowerCase()}`;
  const folder = join(dir, name);
  mkdirSync(join(folder, 'translations'), { recursive: true });
  const names = LANGUAGE_NAMES[locale.toLowerCase()] ?? { languageName: locale, localizedLanguageName: locale };
  const manifest = {
    name,
    publisher: PUBLISHER,
    version: VERSION,
    displayName: `${locale} language pack (e2e, empty)`,
    description: 'Made by test/e2e/languagePack.ts: selects the display language, translates nothing of VS Code.',
    license: 'MIT',
    engines: { vscode: '^1.85.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [{ languageId: locale, ...names, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }],
    },
  };
  writeFileSync(join(folder, 'package.json'), JSON.stringify(manifest, undefined, 2));
  writeFileSync(join(folder, 'translations', 'main.i18n.json'), JSON.stringify({ version: VERSION, contents: {} }));
  writeFileSync(join(folder, 'README.md'), `# ${manifest.displayName}\n\n${manifest.description}\n`);
  const vsix = join(dir, `${name}.vsix`);
  await new Promise<void>((done, fail) =>
    execFile(
      process.execPath,
      [vsce, 'package', '--allow-missing-repository', '--skip-license', '--out', vsix],
      { cwd: folder, timeout: 120_000 },
      (err, stdout, stderr) => (err ? fail(new Error(`vsce package of the ${locale} language pack failed: ${err.message}\n${stdout}${stderr}`)) : done()),
    ),
  );
  return { id: `${PUBLISHER}.${name}`, folder, vsix };
}

/**
 * Registers the installed pack in <userDataDir>/languagepacks.json, as VS Code's language pack
 * service would: { [locale]: { hash, extensions, translations: { vscode: <file> }, label } }.
 */
export function registerLanguagePack(userDataDir: string, extensionsDir: string, pack: LanguagePack, locale: string): void {
  const installed = readdirSync(extensionsDir).find((d) => d.toLowerCase().startsWith(`${pack.id.toLowerCase()}-`));
  if (!installed) throw new Error(`the ${locale} language pack ${pack.id} is not in ${extensionsDir} after its install`);
  const translations = join(extensionsDir, installed, 'translations', 'main.i18n.json');
  if (!existsSync(translations)) throw new Error(`the installed ${locale} language pack has no ${translations}`);
  const hash = createHash('md5').update(pack.id).update(VERSION).digest('hex');
  const entry = {
    hash,
    extensions: [{ extensionIdentifier: { id: pack.id }, version: VERSION }],
    translations: { vscode: translations },
    label: LANGUAGE_NAMES[locale.toLowerCase()]?.localizedLanguageName ?? locale,
  };
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify({ [locale]: entry }));
}
