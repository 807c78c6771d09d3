// The import graph of src/ between its top-level rooms (zk, protocol, ui, connections and each
// feature folder) has no cycle: lint forbids the arrows one by one; this checks the whole graph,
// including arrows lint allows, so that no two rooms can come to depend on each other.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = join(__dirname, '..', '..', ...(__dirname.includes(join('out', 'test')) ? ['..'] : []));
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** The room of a file under src/: its top folder, or the file itself for src/*.ts. */
function roomOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? parts[0].replace(/\.ts$/, '') : parts[0];
}

/** Relative module specifiers of every import, export … from, import() and require() in `text`. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const re = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) found.push(m[1]);
  return found;
}

/** Room → the rooms it imports. */
export function roomGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = roomOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC + sep)) continue;
      const to = roomOf(target);
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** A cycle in the graph as a list of rooms (first = last), or undefined. */
export function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    if (state.get(n) === 'done') return undefined;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return undefined;
}

describe('import graph: no cycle between the rooms of src/', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    const g = new Map([
      ['editors', new Set(['holders', 'zk'])],
      ['holders', new Set(['editors'])],
      ['zk', new Set<string>()],
    ]);
    assert.deepEqual(findCycle(g), ['editors', 'holders', 'editors']);
    assert.equal(findCycle(new Map([['a', new Set(['b'])], ['b', new Set<string>()]])), undefined);
  });

  it('src/ has none, and the domain depends on no other room', () => {
    const graph = roomGraph();
    assert.ok(graph.has('zk') && graph.has('ui') && graph.has('tree'), `rooms found: ${[...graph.keys()].join(', ')}`);
    const cycle = findCycle(graph);
    assert.equal(cycle, undefined, `a cycle between rooms: ${cycle?.join(' → ')}`);
    assert.deepEqual([...(graph.get('zk') ?? [])], [], 'src/zk imports no other room');
    assert.deepEqual([...(graph.get('ui') ?? [])].filter((r) => r !== 'zk'), [], 'src/ui imports only src/zk');
  });
});
