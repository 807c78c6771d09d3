// Every file below a folder, as relative paths (node 20 has no stable fs.glob).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function globSync(dir) {
  const out = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...globSync(p));
    else out.push(p);
  }
  return out;
}
