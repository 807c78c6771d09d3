// The command ids module and package.json agree: every contributed command has its constant, every
// constant of CONTRIBUTED is contributed, internal commands are not, and every menu entry and
// keybinding names a known command.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands, fakeExtensionContext } from '../fakes/vscode';
import { activate } from '../../src/extension';
import { COMMANDS, CONTRIBUTED, INTERNAL } from '../../src/ui/commandIds';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command?: string }[]>;
    keybindings?: { command: string }[];
  };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;
const contributed = manifest.contributes.commands.map((c) => c.command);

describe('command ids', () => {
  it('CONTRIBUTED is exactly package.json contributes.commands', () => {
    const ids = Object.values(CONTRIBUTED) as string[];
    assert.deepEqual(contributed.filter((c) => !ids.includes(c)), [], 'contributed in package.json but missing in src/ui/commandIds.ts');
    assert.deepEqual(ids.filter((c) => !contributed.includes(c)), [], 'in src/ui/commandIds.ts CONTRIBUTED but not contributed by package.json');
    assert.equal(new Set(ids).size, ids.length, 'no id twice');
  });

  it('internal commands are not contributed; every menu entry and keybinding names a known command', () => {
    for (const id of Object.values(INTERNAL)) assert.ok(!contributed.includes(id), `${id} is internal but contributed`);
    const known = new Set<string>(Object.values(COMMANDS));
    const used = [
      ...Object.values(manifest.contributes.menus).flatMap((entries) => entries.map((e) => e.command).filter((c): c is string => !!c)),
      ...(manifest.contributes.keybindings ?? []).map((k) => k.command),
    ];
    assert.deepEqual(used.filter((c) => !known.has(c)), [], 'menus or keybindings name commands unknown to src/ui/commandIds.ts');
  });

  it('registers every id exactly once when the extension activates', async () => {
    // On the fake vscode module: what activate() registers is COMMANDS, no more, no less.
    const registered: string[] = [];
    const fake = commands as unknown as { registerCommand: (id: string, fn: unknown) => { dispose(): unknown } };
    const original = fake.registerCommand;
    fake.registerCommand = (id, fn) => {
      registered.push(id);
      return original(id, fn);
    };
    const context = fakeExtensionContext(join(__dirname, '..', '..', '..'));
    try {
      await activate(context as never);
    } finally {
      fake.registerCommand = original;
      for (const d of context.subscriptions) d.dispose();
    }
    assert.deepEqual([...registered].sort(), (Object.values(COMMANDS) as string[]).sort());
  });
});
