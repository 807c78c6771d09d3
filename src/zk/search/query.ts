// What Find in Subtree looks for, compiled once into matchers for names, paths and lines of text.
// Matching is done on bounded input: a line longer than MAX_LINE_CHARS is matched on its first
// MAX_LINE_CHARS characters only, so a server's data cannot make one match call arbitrarily long.
import { ZkError } from '../errors';
import { msg, type Message } from '../message';
import { bytePrefilter, type BytePrefilter } from './bytePrefilter';

export type SearchMode = 'substring' | 'word' | 'regex' | 'glob';
/** Where to look: node names, full paths, the data, or all three. */
export type SearchTarget = 'names' | 'paths' | 'data' | 'all';

export interface SearchQuery {
  text: string;
  mode: SearchMode;
  caseSensitive: boolean;
  target: SearchTarget;
}

/** One match in a piece of text: 0-based line and column (UTF-16 units, as VS Code counts). */
export interface TextMatch {
  line: number;
  column: number;
  length: number;
}

export const MAX_LINE_CHARS = 10_000;

/** No matches: one frozen empty list shared by every name and result without any (most of them). */
export const NO_MATCHES: TextMatch[] = Object.freeze([]) as unknown as TextMatch[];

export interface CompiledQuery {
  readonly query: SearchQuery;
  /** Matches of the query in a name or path (one line); NO_MATCHES (frozen) when none. */
  inName(name: string): TextMatch[];
  /** Matches in multi-line text, at most `limit`. */
  inText(text: string, limit: number): TextMatch[];
  /**
   * The same matches as inText, each handed to `visit` with the text of its line (the line's
   * trailing CR dropped): a caller that wants the line has it without splitting the whole text.
   * Returns how many were visited.
   */
  forEachInText(text: string, limit: number, visit: (match: TextMatch, line: string) => void): number;
  readonly searchesNames: boolean;
  readonly searchesPaths: boolean;
  readonly searchesData: boolean;
  /** Rules out data matches from the raw bytes of UTF-8 text (substring and whole-word queries). */
  readonly bytes?: BytePrefilter;
}

/** Checks the query and builds its matchers; an invalid one throws a ZkError (INVALID_ARGUMENT) saying why. */
export function compileQuery(query: SearchQuery): CompiledQuery {
  const problem = queryProblem(query);
  if (problem) throw new ZkError('INVALID_ARGUMENT', problem, { op: 'search' });
  const re = toRegExp(query);
  const matchLine = (line: string, lineNo: number, out: TextMatch[], limit: number) => {
    const s = line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line;
    re.lastIndex = 0;
    for (let m = re.exec(s); m && out.length < limit; m = re.exec(s)) {
      if (m[0].length === 0) {
        re.lastIndex++; // an empty match (e.g. /x*/) must not stop the scan
        continue;
      }
      out.push({ line: lineNo, column: m.index, length: m[0].length });
    }
  };
  /** Matches line by line into `out` (at most `limit`), each visited with its line as it is found. */
  const scanLines = (text: string, limit: number, out: TextMatch[], visit: (match: TextMatch, line: string) => void): number => {
    let lineNo = 0;
    let start = 0;
    while (start <= text.length && out.length < limit) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      const before = out.length;
      matchLine(line, lineNo, out, limit);
      for (let i = before; i < out.length; i++) visit(out[i], line);
      lineNo++;
      start = end + 1;
    }
    return out.length;
  };
  return {
    query,
    searchesNames: query.target === 'names' || query.target === 'all',
    searchesPaths: query.target === 'paths' || query.target === 'all',
    searchesData: query.target === 'data' || query.target === 'all',
    bytes: bytePrefilter(query),
    inName(name) {
      if (query.mode === 'glob') return globMatches(re, name) ? [{ line: 0, column: 0, length: name.length }] : NO_MATCHES;
      const out: TextMatch[] = [];
      matchLine(name, 0, out, 100);
      return out.length > 0 ? out : NO_MATCHES;
    },
    inText(text, limit) {
      const out: TextMatch[] = [];
      scanLines(text, limit, out, () => undefined);
      return out;
    },
    forEachInText(text, limit, visit) {
      return scanLines(text, limit, [], visit);
    },
  };
}

/** Why a query cannot run, or undefined. */
export function queryProblem(query: SearchQuery): Message | undefined {
  if (query.text.length === 0) return msg('Type something to search for');
  if (query.text.length > 1000) return msg('The query is {0} characters long; the most is 1,000', query.text.length);
  if (query.mode === 'glob' && query.target !== 'names' && query.target !== 'paths') {
    return msg('A glob (* and ?) matches names or paths: search names or paths with it, or use a substring, whole word or regular expression for data');
  }
  if (query.mode === 'regex') {
    try {
      new RegExp(query.text, 'u');
    } catch (e) {
      // The engine's own reason stays as it says it (English).
      return msg('Not a valid regular expression: {0}', (e as Error).message.replace(/^Invalid regular expression: /, ''));
    }
  }
  return undefined;
}

function toRegExp(q: SearchQuery): RegExp {
  const flags = `gu${q.caseSensitive ? '' : 'i'}`;
  switch (q.mode) {
    case 'substring':
      return new RegExp(escapeRegExp(q.text), flags);
    case 'word':
      // \b is ASCII-only; words here are runs of letters, digits and underscores in any script.
      return new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(q.text)}(?![\\p{L}\\p{N}_])`, flags);
    case 'regex':
      return new RegExp(q.text, flags);
    case 'glob':
      return new RegExp(`^${globToRegExpSource(q.text)}$`, flags.replace('g', ''));
  }
}

function globMatches(re: RegExp, s: string): boolean {
  re.lastIndex = 0;
  return re.test(s.length > MAX_LINE_CHARS ? s.slice(0, MAX_LINE_CHARS) : s);
}

/** `*` any run, `?` one character, `[abc]`/`[!abc]` a class; everything else literal. */
export function globToRegExpSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else out += escapeRegExp(c);
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
