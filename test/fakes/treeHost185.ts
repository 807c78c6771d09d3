// A stand-in for VS Code 1.85's extension-host tree view (extHostTreeViews.ts as shipped in 1.85,
// read from code-server 4.20.0), reduced to what makes it throw "Element with id … is already
// registered": one map of every registered handle ('1/' + TreeItem.id); a fetch of a row's children
// first forgets the children it knows, takes the row's node as it is when the fetch starts, and
// registers the answer when it comes, whether or not the row was refreshed meanwhile (newer versions, e.g. 1.139, drop
// such an outdated answer); a handle registered twice throws. Refreshing a row forgets what is
// below it, gives it a new node and, when the row is expanded, the UI fetches its children again,
// after the UI's requests under way (1.85's AsyncDataTree chains a refresh after a pending one).
// A refresh of the whole tree cancels every pending fetch. Deterministic like treeHost.ts: the
// UI's work after a refresh runs on the next microtask; `settle()` lets what is under way run.
import type * as vscode from 'vscode';

interface Node {
  handle: string;
  children?: Node[];
}

export class FakeTreeHost185<T> {
  /** What VS Code logs or throws: "No tree item with id …", "Element with id … is already registered". */
  readonly errors: string[] = [];
  private readonly elements = new Map<string, T>();
  private readonly nodes = new Map<T, Node>();
  private roots: Node[] | undefined;
  private readonly expanded = new Set<string>();
  private generation = 0;
  private readonly uiPending = new Set<Promise<unknown>>();
  private readonly subscription: { dispose(): unknown };

  constructor(private readonly provider: vscode.TreeDataProvider<T>) {
    this.subscription = provider.onDidChangeTreeData!((e) => this.changed(e));
  }

  /** The user expands a row (undefined: the root) and gets its children's handles. */
  async expand(handle?: string): Promise<string[]> {
    if (handle !== undefined) this.expanded.add(handle);
    return this.uiGetChildren(handle);
  }

  /** The handles VS Code shows under a row now (undefined when it has not got them). */
  shown(handle?: string): string[] | undefined {
    const node = handle === undefined ? undefined : this.nodeOf(handle);
    return (handle === undefined ? this.roots : node?.children)?.map((n) => n.handle);
  }

  /** Runs what is under way without timers or I/O (microtasks and immediates already queued). */
  settle(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  dispose(): void {
    this.subscription.dispose();
  }

  /** The UI asks for a row's children: errors are logged, as VS Code does, and give no rows. */
  private uiGetChildren(handle?: string): Promise<string[]> {
    const request = this.uiRequest(handle);
    this.uiPending.add(request);
    void request.finally(() => this.uiPending.delete(request));
    return request;
  }

  private async uiRequest(handle?: string): Promise<string[]> {
    try {
      const children = await this.getChildren(handle);
      // Rows that were expanded before they were drawn again are expanded again.
      for (const h of children) if (this.expanded.has(h) && !this.shown(h)) queueMicrotask(() => void this.uiGetChildren(h));
      return children;
    } catch (e) {
      this.errors.push((e as Error).message);
      return [];
    }
  }

  private nodeOf(handle: string): Node | undefined {
    const element = this.elements.get(handle);
    return element === undefined ? undefined : this.nodes.get(element);
  }

  private async getChildren(handle?: string): Promise<string[]> {
    const element = handle === undefined ? undefined : this.elements.get(handle);
    if (handle !== undefined && element === undefined) {
      this.errors.push(`No tree item with id '${handle}' found.`);
      return [];
    }
    const known = element === undefined ? this.roots : this.nodes.get(element)?.children;
    if (known) return known.map((n) => n.handle);
    return (await this.fetch(element)) ?? [];
  }

  private async fetch(element: T | undefined): Promise<string[] | undefined> {
    this.forgetChildren(element);
    const generation = this.generation;
    const parent = element === undefined ? undefined : this.nodes.get(element);
    const children = (await this.provider.getChildren(element)) ?? [];
    if (generation !== this.generation) return undefined; // cancelled by a refresh of the whole tree
    const items = await Promise.all(children.map((c) => this.provider.getTreeItem(c)));
    if (generation !== this.generation) return undefined;
    return items.map((item, i) => {
      const h = `1/${item.id ?? String(item.label)}`;
      if (item.id && this.elements.has(h)) throw new Error(`Element with id ${item.id} is already registered`);
      const node: Node = { handle: h };
      this.elements.set(h, children[i]);
      this.nodes.set(children[i], node);
      if (parent) (parent.children ??= []).push(node);
      else if (element === undefined) (this.roots ??= []).push(node);
      return h;
    });
  }

  private changed(e: T | T[] | undefined | null | void): void {
    if (e === undefined || e === null) {
      this.generation++;
      this.roots = undefined;
      this.elements.clear();
      this.nodes.clear();
      queueMicrotask(() => void this.uiGetChildren(undefined));
      return;
    }
    for (const element of Array.isArray(e) ? e : [e as T]) {
      const old = this.nodes.get(element);
      if (!old) continue; // a row VS Code does not know: nothing to refresh
      this.forgetChildren(element);
      // A new node for the row, in its parent's list: a fetch that started before keeps the old one.
      const node: Node = { handle: old.handle };
      this.nodes.set(element, node);
      for (const list of [this.roots, ...[...this.nodes.values()].map((n) => n.children)]) {
        const i = list?.indexOf(old) ?? -1;
        if (list && i >= 0) list[i] = node;
      }
      if (this.expanded.has(old.handle)) this.askAgain(old.handle);
    }
  }

  /** The UI asks for a refreshed row's children once no request of its is under way (one at a time). */
  private askAgain(handle: string): void {
    if (this.uiPending.size > 0) void Promise.allSettled([...this.uiPending]).then(() => this.askAgain(handle));
    else void this.uiGetChildren(handle);
  }

  private forgetChildren(element: T | undefined): void {
    if (element === undefined) {
      // Fetching the roots forgets everything (1.85's clearAll).
      this.roots = undefined;
      this.elements.clear();
      this.nodes.clear();
      return;
    }
    const node = this.nodes.get(element);
    for (const child of node?.children ?? []) {
      const e = this.elements.get(child.handle);
      if (e !== undefined) this.forget(e);
    }
    if (node) node.children = undefined;
  }

  private forget(element: T): void {
    this.forgetChildren(element);
    const node = this.nodes.get(element);
    if (node) this.elements.delete(node.handle);
    this.nodes.delete(element);
  }
}
