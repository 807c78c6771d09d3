// Znode names as file names, reversibly. ZooKeeper accepts names that no file system does
// (`a:b`, `back\slash`, `CON`, `x.` and `x ` on Windows) and names that collide only on a
// case-insensitive or normalising file system (`Config` and `config`, `é` composed and decomposed).
//
// The escape is percent-encoding of UTF-8 bytes (`%3A` for ':'), and decoding is plain
// percent-decoding: `%` itself is always encoded, so every file name decodes to exactly one node
// name. Which characters get encoded is a choice that decoding does not need to know:
//  - always: '%', control characters, the characters Windows refuses (<>:"/\|?*);
//  - a trailing space or dot (Windows strips them); the first character of a Windows device name
//    (CON, NUL, COM1, LPT¹, ... also with an extension: `con.txt`); the leading dot of a name this
//    layout reserves or that tools treat as their own (`.znode*`, `.git`, `.DS_Store`, ...);
//  - for siblings whose names would collide on a case-insensitive or normalising file system:
//    every letter that has a case and every non-ASCII character, so what is left is lowercase
//    ASCII and those siblings stay distinct however the file system folds them.
// A name whose escape is too long for a file name (255 bytes on most file systems) is shortened
// with a hash: that one is not decodable, and the layout records the real name in the metadata.
// Domain layer: no 'vscode' here.
import { nodeCrypto } from '../lazyBuiltins';

/** Longest file name written, in UTF-8 bytes (most file systems allow 255; room for an extension). */
export const MAX_FILE_NAME_BYTES = 240;

/** File names of the layout itself, in every folder (case-insensitively reserved). */
export const META_FILE = '.znode.json';
export const DATA_FILE_PREFIX = '.znode-data';

const WINDOWS_FORBIDDEN = new Set(['<', '>', ':', '"', '/', '\\', '|', '?', '*']);
const DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|clock\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;
/** Names that tools put in a folder (git, Finder, Explorer, VS Code): never a node of a pulled tree. */
export const TOOL_FILES = new Set(['.git', '.gitignore', '.gitattributes', '.gitkeep', '.ds_store', 'thumbs.db', 'desktop.ini', '.vscode', '.svn', '.hg']);

export interface EscapeOptions {
  /** Also encode letters with case and non-ASCII characters (siblings that would collide). */
  foldSafe?: boolean;
}

function encodeChar(ch: string): string {
  return Array.from(Buffer.from(ch, 'utf8'), (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

function mustEncode(ch: string, foldSafe: boolean): boolean {
  const c = ch.codePointAt(0) ?? 0;
  if (ch === '%' || c < 0x20 || (c >= 0x7f && c <= 0x9f) || WINDOWS_FORBIDDEN.has(ch)) return true;
  if (!foldSafe) return false;
  return c > 0x7e || (ch >= 'A' && ch <= 'Z');
}

/** Whether a (decoded) name must not be used as it is, whatever its characters: device and reserved names. */
function reservedStart(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.startsWith('.znode')) return true;
  if (TOOL_FILES.has(lower)) return true;
  const dot = name.indexOf('.');
  const stem = (dot < 0 ? name : name.slice(0, dot)).replace(/[ ]+$/, '');
  return DEVICE.test(stem);
}

/** The file name of a node name (no extension added); decodeName gives the name back unless it was shortened. */
export function escapeName(name: string, opts: EscapeOptions = {}): string {
  const foldSafe = opts.foldSafe === true;
  const chars = Array.from(name);
  const out = chars.map((ch) => (mustEncode(ch, foldSafe) ? encodeChar(ch) : ch));
  if (out.length > 0 && reservedStart(name) && out[0].length === 1) out[0] = encodeChar(out[0]);
  const last = out.length - 1;
  if (last >= 0 && (out[last] === ' ' || out[last] === '.')) out[last] = encodeChar(out[last]);
  const escaped = out.join('');
  return Buffer.byteLength(escaped, 'utf8') > MAX_FILE_NAME_BYTES ? shorten(out, name) : escaped;
}

/** A prefix of the escaped name (whole escapes only) and a hash of the full name. */
function shorten(parts: readonly string[], name: string): string {
  const hash = nodeCrypto().createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 16);
  const budget = MAX_FILE_NAME_BYTES - hash.length - 1;
  let prefix = '';
  let bytes = 0;
  for (const p of parts) {
    const b = Buffer.byteLength(p, 'utf8');
    if (bytes + b > budget) break;
    prefix += p;
    bytes += b;
  }
  // The prefix must not end in a space or dot either (it is followed by '~', but stay safe).
  return `${prefix}~${hash}`;
}

/** Whether escapeName had to shorten this name (then only the metadata knows the real name). */
export function isShortened(fileName: string): boolean {
  return /~[0-9a-f]{16}$/.test(fileName) && Buffer.byteLength(fileName, 'utf8') >= MAX_FILE_NAME_BYTES - 17;
}

/**
 * The node name of a file name: percent-decoding. A '%' not followed by two hex digits, or
 * escapes that are not UTF-8, stay as they are (a file the user named `100%`).
 */
export function decodeName(fileName: string): string {
  return fileName.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Buffer.from(run.replace(/%/g, ''), 'hex');
    const text = bytes.toString('utf8');
    return Buffer.from(text, 'utf8').equals(bytes) ? text : run;
  });
}

/**
 * The key under which two file names collide on a case-insensitive or normalising file system
 * (broader than any one file system: a false alarm only makes a name longer).
 */
export function collisionKey(fileName: string): string {
  return fileName.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * File names for sibling nodes (all children of one znode), distinct on every file system:
 * `wanted(name, escaped)` may add an extension to the escaped name; siblings whose names would
 * collide (with each other or with the layout's own files) are escaped fold-safe, without an
 * extension. Returns name -> file name.
 */
export function siblingFileNames(names: readonly string[], wanted: (name: string, escaped: string) => string = (_n, e) => e): Map<string, string> {
  const result = new Map<string, string>();
  const foldSafe = new Set<string>();
  for (let round = 0; round < 4; round++) {
    result.clear();
    const byKey = new Map<string, string[]>();
    for (const name of names) {
      const file = foldSafe.has(name) ? escapeName(name, { foldSafe: true }) : wanted(name, escapeName(name));
      result.set(name, file);
      const key = collisionKey(file);
      const group = byKey.get(key);
      if (group) group.push(name);
      else byKey.set(key, [name]);
    }
    let grew = false;
    for (const [key, group] of byKey) {
      const clashesWithLayout = key === META_FILE || key.startsWith(DATA_FILE_PREFIX);
      if (group.length < 2 && !clashesWithLayout) continue;
      for (const name of group) {
        if (!foldSafe.has(name)) {
          foldSafe.add(name);
          grew = true;
        }
      }
    }
    if (!grew) return result;
  }
  // Fold-safe names are lowercase ASCII apart from the escapes' hex digits: two of them can only
  // collide when their names are equal, and names of siblings are distinct.
  throw new Error(`Internal error: no distinct file names for ${names.length} sibling nodes`);
}
