// Znode path rules, checked before anything is sent so that a bad name gets a reason, not a
// BADARGUMENTS from the server (the same rules as ZooKeeper's PathUtils).
import { ZkError } from './errors';

/** Why a path is refused, or undefined when it is valid. */
export function pathProblem(path: string): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return 'a path cannot be empty';
  if (path[0] !== '/') return 'a path must start with "/"';
  if (path.length === 1) return undefined;
  if (path.endsWith('/')) return 'a path must not end with "/"';
  const segments = path.slice(1).split('/');
  for (const s of segments) {
    const p = segmentProblem(s);
    if (p) return p;
  }
  return undefined;
}

/** Why one node name is refused, or undefined when it is valid. */
export function segmentProblem(name: string): string | undefined {
  if (name.length === 0) return 'a path must not contain empty segments ("//")';
  if (name === '.' || name === '..') return `"${name}" is not allowed as a node name`;
  if (name.includes('/')) return 'a node name cannot contain "/"';
  for (const ch of name) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0) return 'a node name cannot contain the null character';
    if ((c > 0 && c < 0x20) || (c >= 0x7f && c <= 0x9f)) {
      return `a node name cannot contain control characters (U+${hex4(c)})`;
    }
    if (c > 0xffff || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff)) {
      // ZooKeeper refuses surrogates (so every emoji), the private use area and U+FFF0-U+FFFF.
      return `ZooKeeper does not accept the character "${ch}" (U+${hex4(c)}) in node names`;
    }
  }
  return undefined;
}

const hex4 = (c: number) => c.toString(16).toUpperCase().padStart(4, '0');

export function assertValidPath(path: string, op = 'use'): void {
  const problem = pathProblem(path);
  if (problem) throw new ZkError('INVALID_PATH', `Cannot ${op} "${path}": ${problem}`, { path, op });
}

export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
}

/** Ancestors from the root down, excluding '/' and the path itself: /a/b/c -> [/a, /a/b]. */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  let i = path.indexOf('/', 1);
  while (i > 0) {
    out.push(path.slice(0, i));
    i = path.indexOf('/', i + 1);
  }
  return out;
}

/** The 10-digit counter ZooKeeper appends to sequential nodes, when the name ends with one. */
export function sequenceSuffix(name: string): number | undefined {
  const m = /(\d{10})$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/**
 * Natural order: digit runs compare as numbers, so lock-0000000009 sorts before lock-0000000010
 * and broker 10 after broker 9.
 */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
