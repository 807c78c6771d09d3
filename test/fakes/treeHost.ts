// A stand-in for what VS Code keeps of a tree between its UI and a TreeDataProvider (the extension
// host's tree view: extHostTreeViews.ts), reduced to the part that logs "No tree item with id …":
// rows are known by handle ('1/' + TreeItem.id) once getChildren produced them; refreshing a row
// forgets its descendants at once, and they are known again only when the row's children have been
// fetched again (the UI asks for them right after the refresh when the row is expanded). The UI
// asking for the children of a handle that is not known logs the error and gets no rows.
// Deterministic: the UI's request after a refresh is made on the next microtask; a test makes the
// user act after everything already under way without a timer or I/O (`settle()`).
import type * as vscode from 'vscode';

interface Row<T> {
  element: T;
  children?: string[];
}

export class FakeTreeHost<T> {
  readonly errors: string[] = [];
  private readonly rows = new Map<string, Row<T>>();
  private readonly handles = new Map<T, string>();
  private readonly expanded = new Set<string>();
  private readonly subscription: { dispose(): unknown };

  constructor(private readonly provider: vscode.TreeDataProvider<T>) {
    this.subscription = provider.onDidChangeTreeData!((e) => this.changed(e));
  }

  /** The UI expands a row (undefined: the root) and gets its children's handles. */
  async expand(handle?: string): Promise<string[]> {
    if (handle !== undefined) this.expanded.add(handle);
    return this.getChildren(handle);
  }

  /** Runs what is under way without timers or I/O (microtasks and immediates already queued). */
  settle(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  handleOf(label: (element: T) => boolean): string {
    for (const [h, row] of this.rows) if (label(row.element)) return h;
    throw new Error('no such row');
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async getChildren(handle?: string): Promise<string[]> {
    const parent = handle === undefined ? undefined : this.rows.get(handle);
    if (handle !== undefined && !parent) {
      this.errors.push(`No tree item with id '${handle}' found.`);
      return [];
    }
    if (parent?.children) return parent.children;
    if (parent) this.forgetChildren(parent);
    const elements = (await this.provider.getChildren(parent?.element)) ?? [];
    const children: string[] = [];
    for (const element of elements) {
      const item = await this.provider.getTreeItem(element);
      const h = `1/${item.id ?? String(item.label)}`;
      this.rows.set(h, { element });
      this.handles.set(element, h);
      children.push(h);
    }
    if (parent) parent.children = children;
    return children;
  }

  private changed(e: T | T[] | undefined | null | void): void {
    const elements = e === undefined || e === null ? [] : Array.isArray(e) ? e : [e as T];
    for (const element of elements) {
      const h = this.handles.get(element);
      const row = h === undefined ? undefined : this.rows.get(h);
      if (!row || !h) continue; // a row VS Code does not know: nothing to refresh
      this.forgetChildren(row);
      if (this.expanded.has(h)) queueMicrotask(() => void this.getChildren(h));
    }
  }

  private forgetChildren(row: Row<T>): void {
    for (const h of row.children ?? []) {
      const child = this.rows.get(h);
      if (child) this.forgetChildren(child);
      this.rows.delete(h);
    }
    row.children = undefined;
  }
}
