// Unit test of what the Marketplace and VS Code read from package.json besides commands: the icon is a
// real 128×128 PNG inside the package, the walkthrough's steps point at files and commands that exist,
// keybindings name contributed commands, and nothing is a placeholder.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packaged as packagedBy } from './vscodeignore';

const root = join(__dirname, '..', '..', '..');

interface Step { id: string; title: string; description: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }
interface Manifest {
  displayName: string;
  icon?: string;
  categories: string[];
  keywords?: string[];
  repository?: { url: string };
  scripts: Record<string, string>;
  capabilities?: { untrustedWorkspaces?: { supported: boolean | string }; virtualWorkspaces?: unknown };
  contributes: {
    views: Record<string, { id: string }[]>;
    viewsContainers: Record<string, { id: string; icon: string }[]>;
    commands: { command: string }[];
    keybindings: { command: string; key: string; mac?: string; when?: string }[];
    walkthroughs?: { id: string; title: string; steps: Step[] }[];
  };
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
/** A `%key%` of package.json as VS Code shows it in English. */
const text = (value: string) => value.replace(/^%([^%]+)%$/, (_, key: string) => nls[key] ?? value);
const commandIds = new Set(manifest.contributes.commands.map((c) => c.command));
// The Marketplace's own category list (vsce refuses others).
const MARKETPLACE_CATEGORIES = new Set([
  'Azure', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps', 'Language Packs',
  'Linters', 'Machine Learning', 'Notebooks', 'Other', 'Programming Languages', 'SCM Providers', 'Snippets',
  'Testing', 'Themes', 'Visualization', 'Chat', 'AI',
]);

/** True when `file` goes into the .vsix (by .vscodeignore, read as vsce reads it). */
const packaged = (file: string): boolean => packagedBy(root, file);

/** Keys that appear twice in one object of a JSON text (JSON.parse silently keeps the last). */
function duplicateKeys(text: string): string[] {
  const found: string[] = [];
  let i = 0;
  const ws = () => {
    while (/\s/.test(text[i])) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (where: string): void => {
    ws();
    if (text[i] === '{') {
      i++;
      const seen = new Set<string>();
      for (ws(); text[i] !== '}'; ws()) {
        if (text[i] === ',') i++;
        ws();
        const key = str();
        if (seen.has(key)) found.push(`${where}/${key}`);
        seen.add(key);
        ws();
        i++; // ':'
        value(`${where}/${key}`);
      }
      i++;
    } else if (text[i] === '[') {
      i++;
      for (let n = 0; (ws(), text[i] !== ']'); n++) {
        if (text[i] === ',') i++;
        value(`${where}[${n}]`);
      }
      i++;
    } else if (text[i] === '"') str();
    else while (i < text.length && !/[,}\]\s]/.test(text[i])) i++;
  };
  value('');
  return found;
}

describe('package.json: what the Marketplace shows', () => {
  it('has no key twice in one object (a merge once left two "explorer/context" menus, and one was lost)', () => {
    assert.deepEqual(duplicateKeys('{"a": {"b": 1, "c": [1, {"d": "x\\"y"}], "b": 2}}'), ['/a/b'], 'the check itself');
    assert.deepEqual(duplicateKeys(readFileSync(join(root, 'package.json'), 'utf8')), []);
  });

  it('has a 128×128 PNG icon that goes into the .vsix', () => {
    assert.ok(manifest.icon, 'icon is set');
    const png = readFileSync(join(root, manifest.icon));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.equal(png.toString('ascii', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(packaged(manifest.icon), `${manifest.icon} is re-included in .vscodeignore`);
  });

  it('uses Marketplace categories, keeps the "ZooKeeper Explorer" name distinct, and has no placeholder repository', () => {
    assert.ok(manifest.categories.length > 0);
    for (const c of manifest.categories) assert.ok(MARKETPLACE_CATEGORIES.has(c), `category ${c}`);
    assert.notEqual(text(manifest.displayName), 'ZooKeeper Explorer', 'the plain name is taken on the Marketplace');
    assert.match(text(manifest.displayName), /ZooKeeper/);
    assert.ok(!manifest.repository || !/example\.invalid|placeholder/.test(manifest.repository.url), 'repository is real or absent');
    assert.equal(manifest.scripts.package, 'node scripts/package.mjs');
    if (!manifest.repository) assert.match(readFileSync(join(root, 'scripts', 'package.mjs'), 'utf8'), /--allow-missing-repository/, 'vsce must not stop to ask');
    assert.ok((manifest.keywords ?? []).includes('zookeeper'));
  });

  it('ships the English and Chinese strings of package.json', () => {
    assert.ok(packaged('package.nls.json'));
    assert.ok(packaged('package.nls.zh-cn.json'));
  });

  it('keeps the ZooKeeper side bar to its one Connections view; other views have containers of their own', () => {
    // A second view in the container halves the tree, moves its title actions into a pane header and
    // changes the side bar's title (seen twice: the search results, then Snapshots and Logs).
    assert.deepEqual(manifest.contributes.views.zookeeper.map((v) => v.id), ['zookeeper.explorer']);
    for (const container of manifest.contributes.viewsContainers.activitybar) {
      assert.ok(existsSync(join(root, container.icon)), `${container.id}: ${container.icon}`);
      assert.ok(packaged(container.icon), `${container.icon} goes into the .vsix`);
    }
  });

  it('ships a CHANGELOG', () => {
    assert.ok(existsSync(join(root, 'CHANGELOG.md')));
    assert.ok(packaged('CHANGELOG.md'));
  });

  it('declares how it behaves in restricted and virtual workspaces', () => {
    assert.ok(manifest.capabilities?.untrustedWorkspaces, 'untrustedWorkspaces');
    assert.notEqual(manifest.capabilities?.virtualWorkspaces, undefined, 'virtualWorkspaces');
  });

  it('binds keys only to contributed commands, in the Ctrl+Alt+Z chord that VS Code leaves free', () => {
    const ours = manifest.contributes.keybindings.filter((k) => k.command !== 'zookeeper.saveZnode');
    assert.deepEqual(ours.map((k) => k.command).sort(), ['zookeeper.goToZnode', 'zookeeper.refresh', 'zookeeper.watchNode']);
    for (const k of ours) {
      assert.ok(commandIds.has(k.command), k.command);
      assert.match(k.key, /^ctrl\+alt\+z [a-z]$/, k.key);
      assert.match(k.mac ?? '', /^cmd\+alt\+z [a-z]$/, `${k.command} mac`);
    }
    assert.equal(new Set(ours.map((k) => k.key)).size, ours.length, 'no two commands on one key');
  });

  it('has a Getting Started walkthrough whose steps exist and complete on real commands', () => {
    const walkthroughs = manifest.contributes.walkthroughs ?? [];
    assert.equal(walkthroughs.length, 1);
    const steps = walkthroughs[0].steps;
    assert.deepEqual(steps.map((s) => s.id), ['addConnection', 'browse', 'openAndSave', 'watch', 'health']);
    for (const step of steps) {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && existsSync(join(root, media)), `${step.id}: ${media} exists`);
      assert.ok(packaged(media), `${media} goes into the .vsix`);
      assert.ok(step.completionEvents?.length, `${step.id} completes on something`);
      for (const event of step.completionEvents ?? []) {
        const command = /^onCommand:(.+)$/.exec(event)?.[1];
        if (command) assert.ok(commandIds.has(command), `${step.id}: ${command} is contributed`);
        else assert.match(event, /^onContext:/, `${step.id}: ${event}`);
      }
      for (const [, command] of text(step.description).matchAll(/\(command:([\w.]+)\)/g)) assert.ok(commandIds.has(command), `${step.id} links ${command}`);
    }
  });
});

describe('package.json: the lowest VS Code it claims', () => {
  // `npm run typecheck` compiles src/ against the @types/vscode the lock file installs: pinned to the
  // engines.vscode minimum, an API newer than that minimum fails the typecheck (and so CI).
  // scripts/check-engine.mjs checks the same minimum with the Node types of that VS Code's extension host.
  it('compiles against @types/vscode at exactly the engines.vscode minimum', () => {
    const engine = /^\^(\d+\.\d+\.\d+)$/.exec((manifest as unknown as { engines: { vscode: string } }).engines.vscode)?.[1];
    assert.ok(engine, 'engines.vscode is a ^x.y.z range');
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    assert.equal(lock.packages['node_modules/@types/vscode']?.version, engine, 'package-lock.json installs @types/vscode at the minimum');
    const devDependencies = (manifest as unknown as { devDependencies: Record<string, string> }).devDependencies;
    assert.equal(devDependencies['@types/vscode'], engine, '@types/vscode is pinned in package.json (a ^ range would let an update move it)');
  });
});
