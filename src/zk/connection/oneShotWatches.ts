// One-shot watches of a session, by kind and path: who to tell when the server reports an event,
// and what to re-register (SetWatches) on a new connection. A watch fires once and is forgotten.

export type OneShotKind = 'data' | 'exists' | 'child';
export type OneShotListener = (event: { type: number; path: string }) => void;

/** Which kinds an event type (1 created, 2 deleted, 3 data changed, 4 children changed) triggers. */
const TRIGGERS: Readonly<Record<number, readonly OneShotKind[]>> = {
  1: ['data', 'exists'],
  2: ['data', 'child'],
  3: ['data', 'exists'],
  4: ['child'],
};

export class OneShotWatches {
  private readonly tables: Record<OneShotKind, Map<string, Set<OneShotListener>>> = {
    data: new Map(),
    exists: new Map(),
    child: new Map(),
  };

  /** Registers a listener once per kind and path (the same function twice is one registration). */
  register(kind: OneShotKind, path: string, listener: OneShotListener): void {
    const table = this.tables[kind];
    let set = table.get(path);
    if (!set) table.set(path, (set = new Set()));
    set.add(listener);
  }

  has(kind: OneShotKind, path: string): boolean {
    return (this.tables[kind].get(path)?.size ?? 0) > 0;
  }

  forget(kind: OneShotKind, path: string): void {
    this.tables[kind].delete(path);
  }

  paths(kind: OneShotKind): string[] {
    return [...this.tables[kind]].filter(([, set]) => set.size > 0).map(([path]) => path);
  }

  /** Listeners per kind and path ("child:/a" → 2), for leak checks. */
  counts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const kind of ['data', 'exists', 'child'] as const) for (const [path, set] of this.tables[kind]) out.set(`${kind}:${path}`, set.size);
    return out;
  }

  /** Tells (and forgets) the watches an event fires; event types without one-shot watches (5-7) fire none. */
  fire(type: number, path: string): void {
    const fired: Set<OneShotListener>[] = [];
    for (const kind of TRIGGERS[type] ?? []) {
      const set = this.tables[kind].get(path);
      if (!set) continue;
      this.tables[kind].delete(path);
      fired.push(set);
    }
    for (const set of fired) for (const listener of set) listener({ type, path });
  }
}
