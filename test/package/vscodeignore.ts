// What `.vscodeignore` lets into the .vsix, the way vsce reads it: a file is left out when it matches
// an ignore rule, and let in again when it matches any `!` rule, whatever the order of the rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A glob of .vscodeignore as a RegExp over a path relative to the extension's root (`*`, `**`). */
function globRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '§').replace(/\*/g, '[^/]*').replace(/§/g, '.*');
  return new RegExp(`^${body}$`);
}

/** True when `file` (relative to `root`) goes into the .vsix by `root`/.vscodeignore. */
export function packaged(root: string, file: string): boolean {
  const rules = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  // vsce also reads a rule whose last segment has no `*` as a folder (rule/**).
  const matches = (rule: string) => globRegExp(rule).test(file) || (!/(^|\/)[^/]*\*[^/]*$/.test(rule) && globRegExp(`${rule.replace(/\/$/, '')}/**`).test(file));
  const ignored = rules.filter((r) => !r.startsWith('!')).some(matches);
  return !ignored || rules.filter((r) => r.startsWith('!')).some((r) => matches(r.slice(1)));
}
