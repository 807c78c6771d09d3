// Znode path rules, checked before anything is sent so that a bad name gets a reason, not a
// BADARGUMENTS from the server (the same rules as ZooKeeper's PathUtils).
import { ZkError } from './errors';
import { msg, type Message } from './message';

// The reasons are Messages: an input box's validation shows them translated (renderMessage with
// vscode.l10n.t); renderMessage(reason) is the English text.

/** Why a path is refused, or undefined when it is valid. */
export function pathProblem(path: string): Message | undefined {
  if (typeof path !== 'string' || path.length === 0) return msg('a path cannot be empty');
  if (path[0] !== '/') return msg('a path must start with "/"');
  if (path.length === 1) return undefined;
  if (path.endsWith('/')) return msg('a path must not end with "/"');
  const segments = path.slice(1).split('/');
  for (const s of segments) {
    const p = segmentProblem(s);
    if (p) return p;
  }
  return undefined;
}

/** Why one node name is refused, or undefined when it is valid. */
export function segmentProblem(name: string): Message | undefined {
  if (name.length === 0) return msg('a path must not contain empty segments ("//")');
  if (name === '.' || name === '..') return msg('"{0}" is not allowed as a node name', name);
  if (name.includes('/')) return msg('a node name cannot contain "/"');
  for (const ch of name) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0) return msg('a node name cannot contain the null character');
    if ((c > 0 && c < 0x20) || (c >= 0x7f && c <= 0x9f)) {
      return msg('a node name cannot contain control characters (U+{0})', hex4(c));
    }
    if (c > 0xffff || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff)) {
      // ZooKeeper refuses surrogates (so every emoji), the private use area and U+FFF0-U+FFFF.
      return msg('ZooKeeper does not accept the character "{0}" (U+{1}) in node names', ch, hex4(c));
    }
  }
  return undefined;
}

const hex4 = (c: number) => c.toString(16).toUpperCase().padStart(4, '0');

export function assertValidPath(path: string, op = 'use'): void {
  const problem = pathProblem(path);
  if (problem) throw new ZkError('INVALID_PATH', msg('Cannot {0} "{1}": {2}', op, path, problem), { path, op });
}

export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** The server path of `rel` ('/' or '/a/b', relative to a subtree) under `root`. */
export function pathUnder(root: string, rel: string): string {
  if (rel === '/') return root;
  return root === '/' ? rel : root + rel;
}

/** `path` relative to the subtree at `root` ('/' for the root itself); the inverse of pathUnder. */
export function relativePath(root: string, path: string): string {
  if (path === root) return '/';
  return root === '/' ? path : path.slice(root.length);
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

/**
 * Natural order: digit runs compare as numbers, so lock-0000000009 sorts before lock-0000000010
 * and broker 10 after broker 9; everything else by code unit. Hand-written because
 * Intl.Collator took ~250 ms for 100k names, long enough to freeze the extension host.
 */
export function compareNames(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  let i = 0;
  let j = 0;
  while (i < la && j < lb) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      // Skip leading zeros, then the longer run is the larger number; equal lengths compare by digits.
      let si = i;
      let sj = j;
      while (si < la && a.charCodeAt(si) === 48) si++;
      while (sj < lb && b.charCodeAt(sj) === 48) sj++;
      let ei = si;
      let ej = sj;
      while (ei < la && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < lb && isDigit(b.charCodeAt(ej))) ej++;
      const lenA = ei - si;
      const lenB = ej - sj;
      if (lenA !== lenB) return lenA - lenB;
      for (let k = 0; k < lenA; k++) {
        const d = a.charCodeAt(si + k) - b.charCodeAt(sj + k);
        if (d !== 0) return d;
      }
      // Same value: fewer leading zeros first, so the order is total.
      const za = si - i;
      const zb = sj - j;
      if (za !== zb) return za - zb;
      i = ei;
      j = ej;
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return la - i - (lb - j);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
