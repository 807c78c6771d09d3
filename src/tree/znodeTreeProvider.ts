// ZnodeTreeProvider: the sidebar tree. Lazy (one level per expand), paged ("Load more…"), live
// (a child watch on each expanded node only, dropped on collapse), and errors are shown on the
// row that caused them instead of as pop-ups.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { STATE_LABELS } from '../connections/connectionStatusBar';
import { pageOf } from '../zk/childListing';
import { CoalescedListings } from '../zk/coalescedListing';
import type { ConnectionState } from '../zk/ensembleConnection';
import { isZkError } from '../zk/errors';
import { baseName, joinPath, parentPath, ancestors, sequenceSuffix } from '../zk/paths';
import { isEphemeral, type ZnodeStat } from '../zk/stat';
import { formatAcl } from '../zk/acl';
import { holdersByName } from '../zk/recipes';
import { ZnodeUri } from '../zk/znodeUri';
import { nodeKey, type ConnectionNode, type ContainerNode, type TreeNode, type ZnodeNode } from './treeNodes';
import { formatBytes } from './subtreeMessages';

/** Rows whose stats are fetched together (and refreshed together when they arrive). */
const STAT_CHUNK = 100;

/** Least time between two listings of one node (a node under churn is not listed back to back). */
const LISTING_GAP_MS = 300;

/** What the tree remembers about an expanded node. */
interface Listing {
  /** Children as the server sent them (unsorted: only the page shown is put in order). */
  names: string[];
  limit: number;
  stats: Map<string, ZnodeStat>;
  /** Set while a child watch is armed for this node. */
  watching: boolean;
  /** Bumped on every refresh: a watch from an older listing is ignored. */
  generation: number;
  /** The children that hold a lock or lead an election, by name (made when a row first needs it). */
  holders?: { role: 'holder' | 'leader'; names: Set<string> } | null;
}

export class ZnodeTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly connectionNodes = new Map<string, ConnectionNode>();
  private readonly znodes = new Map<string, ZnodeNode>();
  private readonly listings = new Map<string, Listing>();
  private readonly filters = new Map<string, string>();
  private readonly pinned = new Map<string, Set<string>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly childListings = new CoalescedListings<{ children: string[]; stat: ZnodeStat; generation: number }>({ minGapMs: LISTING_GAP_MS });
  private generations = 0;

  constructor(private readonly registry: ConnectionRegistry) {
    this.disposables.push(
      this.changed,
      registry.onDidChangeConnections(() => {
        // Connections replaced: their sessions, listings and watches are new.
        for (const name of [...this.connectionNodes.keys()]) if (!registry.get(name)) this.forgetConnection(name);
        this.changed.fire(undefined);
      }),
      registry.onDidChangeStatus(({ name, status }) => {
        const node = this.connectionNodes.get(name);
        if (!node) return;
        // A refresh of the row also re-lists its children: only when the state or server changed,
        // not for every reason shown while reconnecting.
        const key = `${status.state}|${status.server ?? ''}`;
        if (this.lastStatus.get(name) === key) return;
        this.lastStatus.set(name, key);
        if (status.state === 'connected' && this.renewed.delete(name)) this.dropListings(name);
        this.changed.fire(node);
      }),
    );
    for (const c of registry.pool.all()) this.followSessions(c.name);
    this.disposables.push(registry.onDidChangeConnections(() => registry.pool.all().forEach((c) => this.followSessions(c.name))));
  }

  private readonly lastStatus = new Map<string, string>();
  /** Connections whose session was renewed: their listings (and watches) must be rebuilt. */
  private readonly renewed = new Set<string>();
  private readonly followed = new WeakSet<object>();

  private followSessions(name: string): void {
    const c = this.registry.get(name);
    if (!c || this.followed.has(c)) return;
    this.followed.add(c);
    c.on('sessionRenewed', () => {
      this.renewed.add(name);
      this.dropListings(name);
      const node = this.connectionNodes.get(name);
      if (node) this.changed.fire(node);
    });
  }

  // --- nodes ---------------------------------------------------------------------------------

  connectionNode(name: string): ConnectionNode {
    let n = this.connectionNodes.get(name);
    if (!n) {
      n = { kind: 'connection', connectionName: name, path: '/' };
      this.connectionNodes.set(name, n);
    }
    return n;
  }

  /** The node object for a path (made on demand, so that reveal can walk up with getParent). */
  znode(connectionName: string, path: string): ZnodeNode {
    const key = nodeKey(connectionName, path);
    let n = this.znodes.get(key);
    if (!n) {
      const parentP = parentPath(path);
      const parent: ContainerNode = parentP === '/' ? this.connectionNode(connectionName) : this.znode(connectionName, parentP);
      n = { kind: 'znode', connectionName, path, parent };
      this.znodes.set(key, n);
    }
    return n;
  }

  // --- TreeDataProvider ------------------------------------------------------------------------

  getParent(element: TreeNode): TreeNode | undefined {
    return element.kind === 'connection' ? undefined : element.parent;
  }

  async getChildren(element?: TreeNode): Promise<TreeNode[]> {
    if (!element) return this.registry.configs().map((c) => this.connectionNode(c.name));
    if (element.kind !== 'connection' && element.kind !== 'znode') return [];
    const connection = this.registry.get(element.connectionName);
    if (!connection) return [];
    if (element.kind === 'connection' && (connection.state === 'idle' || connection.state === 'closed')) {
      // Expanding a disconnected ensemble connects it.
      const opened = await this.registry.open(element.connectionName);
      if (!opened) return [this.message(element, `Not connected: ${connection.getStatus().detail ?? 'see the ZooKeeper log'}`, true)];
    }
    if (connection.state === 'authFailed') return [this.message(element, connection.getStatus().detail ?? 'Authentication failed', true)];
    try {
      return await this.list(element);
    } catch (e) {
      return [this.message(element, (e as Error).message, true)];
    }
  }

  private async list(parent: ContainerNode): Promise<TreeNode[]> {
    const key = nodeKey(parent.connectionName, parent.path);
    const client = this.registry.get(parent.connectionName)!.client;
    // Coalesced: a node under churn is listed at most once at a time, plus one queued.
    const { children, stat, generation } = await this.childListings.list(key, async () => {
      const generation = ++this.generations;
      return { ...(await client.getChildren(parent.path, () => this.onChildrenChanged(parent, generation))), generation };
    });
    const prev = this.listings.get(key);
    let listing: Listing;
    if (prev && prev.generation > generation) {
      listing = prev; // a newer listing was kept meanwhile: show that one
    } else {
      if (parent.kind === 'znode') parent.stat = stat;
      listing = {
        names: children,
        limit: prev?.limit ?? this.pageSize(),
        // Stats already known for children still there are kept: a refresh costs one request.
        stats: prev?.stats ?? new Map(),
        watching: true,
        generation,
      };
      this.listings.set(key, listing);
    }
    const page = pageOf(listing.names, listing.limit, this.filters.get(key), this.pinned.get(key));
    const rows: ZnodeNode[] = page.names.map((name) => {
      const node = this.znode(parent.connectionName, joinPath(parent.path, name));
      node.stat = listing.stats.get(name);
      return node;
    });
    // The rows are shown after this one round trip; their stats (icons, sizes, child counts)
    // follow from a bounded, pipelined prefetch of the page.
    const unknown = rows.filter((r) => !r.stat);
    if (unknown.length > 0) void this.prefetchStats(key, listing, unknown);
    const result: TreeNode[] = rows;
    if (page.remaining > 0) result.push({ kind: 'loadMore', connectionName: parent.connectionName, parent, remaining: page.remaining });
    if (result.length === 0 && this.filters.get(key)) result.push(this.message(parent, `No children match "${this.filters.get(key)}"`, false));
    return result;
  }

  private async prefetchStats(key: string, listing: Listing, nodes: ZnodeNode[]): Promise<void> {
    const connection = this.registry.get(nodes[0].connectionName);
    if (!connection) return;
    for (let i = 0; i < nodes.length; i += STAT_CHUNK) {
      if (this.listings.get(key) !== listing) return; // collapsed or listed again meanwhile
      const chunk = nodes.slice(i, i + STAT_CHUNK);
      let stats: (ZnodeStat | undefined)[];
      try {
        stats = await Promise.all(chunk.map((n) => connection.client.exists(n.path).catch(() => undefined)));
      } catch {
        return; // the connection went away; the rows stay without details
      }
      if (this.listings.get(key) !== listing) return;
      chunk.forEach((n, j) => {
        const st = stats[j];
        if (st) {
          n.stat = st;
          listing.stats.set(baseName(n.path), st);
        }
      });
      this.fireRows(chunk);
    }
  }

  private revealing = 0;
  private deferredRows: ZnodeNode[] = [];

  /** Row refreshes during a reveal make VS Code lose the nodes it is resolving: they wait. */
  private fireRows(rows: ZnodeNode[]): void {
    if (this.revealing > 0) this.deferredRows.push(...rows);
    else this.changed.fire(rows);
  }

  /** Runs a reveal with row refreshes held back, and tries once more if the tree moved under it. */
  async whileRevealing(reveal: () => Thenable<void>): Promise<void> {
    this.revealing++;
    try {
      try {
        await reveal();
      } catch {
        await new Promise((r) => setTimeout(r, 300));
        await reveal();
      }
    } finally {
      this.revealing--;
      if (this.revealing === 0 && this.deferredRows.length > 0) {
        const rows = this.deferredRows;
        this.deferredRows = [];
        this.changed.fire(rows);
      }
    }
  }


  private onChildrenChanged(parent: ContainerNode, generation: number): void {
    const listing = this.listings.get(nodeKey(parent.connectionName, parent.path));
    if (!listing || listing.generation !== generation || !listing.watching) return;
    // Only the node whose children changed is refreshed; getChildren re-arms the watch.
    void this.refreshWithStat(parent);
  }

  /**
   * Refreshes a node and its children. VS Code asks for the row before its children, so the row's
   * own stat (its child count) is read first, or the description would lag one change behind.
   */
  private async refreshWithStat(node: ContainerNode): Promise<void> {
    if (node.kind === 'znode') {
      const c = this.registry.get(node.connectionName);
      try {
        if (c && (c.state === 'connected' || c.state === 'readOnlyServer')) node.stat = (await c.client.exists(node.path)) ?? node.stat;
      } catch {
        // The listing that follows shows the error on the row.
      }
    }
    this.changed.fire(node);
  }

  getTreeItem(element: TreeNode): vscode.TreeItem {
    switch (element.kind) {
      case 'connection':
        return this.connectionItem(element);
      case 'znode':
        return this.znodeItem(element);
      case 'loadMore': {
        const item = new vscode.TreeItem(`Load more… (${element.remaining.toLocaleString('en')} more)`);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'zookeeper.loadMore', title: 'Load more', arguments: [element] };
        item.contextValue = 'loadMore';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(element.text);
        item.iconPath = element.isError ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon('info');
        item.tooltip = element.detail ?? element.text;
        item.contextValue = element.isError ? 'error' : 'message';
        return item;
      }
    }
  }

  private connectionItem(node: ConnectionNode): vscode.TreeItem {
    const c = this.registry.get(node.connectionName);
    const status = c?.getStatus() ?? { state: 'idle' as ConnectionState };
    const item = new vscode.TreeItem(node.connectionName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `connection:${node.connectionName}`;
    const filter = this.filters.get(nodeKey(node.connectionName, '/'));
    // "read-only" before the server address: the end of a description is what a narrow side bar cuts.
    item.description = [STATE_LABELS[status.state], c?.readOnly ? 'read-only' : undefined, filter ? `filter: ${filter}` : undefined, status.server].filter(Boolean).join(' · ');
    item.iconPath = connectionIcon(status.state);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMd(node.connectionName)}** — ${STATE_LABELS[status.state]}\n\n`);
    md.appendMarkdown(`${code(c?.connectString ?? '')}\n\n`);
    if (status.detail) md.appendText(status.detail + '\n\n');
    if (c?.readOnly) md.appendMarkdown('$(lock) Read-only connection: writes are refused.\n\n');
    if (status.sessionId && status.sessionId !== '0x0') md.appendMarkdown(`Session ${code(status.sessionId)}`);
    item.tooltip = md;
    item.contextValue = `connection.${status.state}.${c?.readOnly ? 'ro' : 'rw'}${filter ? '.filtered' : ''}`;
    return item;
  }

  private znodeItem(node: ZnodeNode): vscode.TreeItem {
    const stat = node.stat;
    const name = baseName(node.path);
    const hasChildren = stat ? stat.numChildren > 0 : true;
    const item = new vscode.TreeItem(name, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `znode:${node.connectionName}\u0000${node.path}`;
    item.resourceUri = vscode.Uri.parse(new ZnodeUri(node.connectionName, node.path).toString());
    const key = nodeKey(node.connectionName, node.path);
    const filter = this.filters.get(key);
    const holder = stat && isEphemeral(stat) ? this.holderRole(node) : undefined;
    item.description = [stat ? describeStat(stat) : undefined, holder, filter ? `filter: ${filter}` : undefined].filter(Boolean).join(' · ') || undefined;
    // A long sequential name can push the description out of a narrow side bar: the icon says it too.
    item.iconPath = holder ? new vscode.ThemeIcon('key', new vscode.ThemeColor('charts.yellow')) : znodeIcon(node.path, stat);
    const c = this.registry.get(node.connectionName);
    // A server without quorum serves reads only: its rows offer no writes either (the row is
    // drawn again when the connection's state changes).
    const ro = c?.readOnly || c?.state === 'readOnlyServer';
    const flags = [ro ? 'ro' : 'rw'];
    if (stat && isEphemeral(stat)) flags.push('ephemeral');
    if (hasChildren) flags.push('parent');
    if (filter) flags.push('filtered');
    item.contextValue = `znode.${flags.join('.')}`;
    if (stat && (stat.dataLength > 0 || stat.numChildren === 0)) {
      item.command = { command: 'zookeeper.openZnode', title: 'Open', arguments: [{ connectionName: node.connectionName, path: node.path }] };
    }
    return item;
  }

  /**
   * "holder" or "leader" for an ephemeral row that is first in its parent's lock or election queue.
   * From the names of the parent's listing alone (the row's own stat says it is ephemeral): no request.
   */
  private holderRole(node: ZnodeNode): string | undefined {
    const listing = this.listings.get(nodeKey(node.connectionName, parentPath(node.path)));
    if (!listing) return undefined;
    if (listing.holders === undefined) {
      const h = holdersByName(listing.names);
      listing.holders = h ? { role: h.kind === 'election' ? 'leader' : 'holder', names: h.holders } : null;
    }
    return listing.holders?.names.has(baseName(node.path)) ? listing.holders.role : undefined;
  }

  /** Fills the tooltip when the user hovers: the Stat in words and the ACL summary. */
  async resolveTreeItem(item: vscode.TreeItem, element: TreeNode): Promise<vscode.TreeItem> {
    if (element.kind !== 'znode') return item;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMd(element.path)}**\n\n`);
    try {
      const client = this.registry.get(element.connectionName)!.client;
      const [stat, acl] = await Promise.all([
        client.exists(element.path),
        client.getACL(element.path).then(
          (r) => r.acl.map(formatAcl).join(', '),
          (e: Error) => (isZkError(e, 'NOAUTH') ? 'not readable with these credentials' : e.message),
        ),
      ]);
      if (!stat) {
        md.appendText('This node no longer exists.');
      } else {
        element.stat = stat;
        md.appendMarkdown(statTable(stat));
        md.appendMarkdown(`\n\nACL: ${code(acl)}`);
      }
    } catch (e) {
      md.appendText((e as Error).message);
    }
    item.tooltip = md;
    return item;
  }

  // --- actions the commands use ----------------------------------------------------------------

  pageSize(): number {
    return Math.max(10, vscode.workspace.getConfiguration('zookeeper').get<number>('tree.pageSize') ?? 500);
  }

  loadMore(parent: ContainerNode): void {
    const listing = this.listings.get(nodeKey(parent.connectionName, parent.path));
    if (listing) listing.limit += this.pageSize();
    this.changed.fire(parent);
  }

  setFilter(parent: ContainerNode, pattern: string | undefined): void {
    const key = nodeKey(parent.connectionName, parent.path);
    if (pattern && pattern.trim()) this.filters.set(key, pattern.trim());
    else this.filters.delete(key);
    this.changed.fire(parent);
  }

  getFilter(parent: ContainerNode): string | undefined {
    return this.filters.get(nodeKey(parent.connectionName, parent.path));
  }

  refresh(node?: TreeNode): Promise<void> {
    if (!node) {
      this.listings.clear();
      this.changed.fire(undefined);
      return Promise.resolve();
    }
    const target = node.kind === 'loadMore' || node.kind === 'message' ? node.parent : node;
    // An explicit refresh reads the rows' stats again too.
    this.listings.get(nodeKey(target.connectionName, target.path))?.stats.clear();
    return this.refreshWithStat(target);
  }

  /** Makes sure the listings on the way to `path` include it, so reveal can find it. */
  pinPath(connectionName: string, path: string): ZnodeNode {
    for (const p of [...ancestors(path), path]) {
      const parentKey = nodeKey(connectionName, parentPath(p));
      let set = this.pinned.get(parentKey);
      if (!set) this.pinned.set(parentKey, (set = new Set()));
      set.add(baseName(p));
    }
    return this.znode(connectionName, path);
  }

  /** The tree collapsed a node: its child watch goes, and so does its listing. */
  collapsed(node: TreeNode): void {
    if (node.kind !== 'znode' && node.kind !== 'connection') return;
    const key = nodeKey(node.connectionName, node.path);
    const listing = this.listings.get(key);
    if (!listing) return;
    listing.watching = false;
    this.listings.delete(key);
    const c = this.registry.get(node.connectionName);
    if (c && (c.state === 'connected' || c.state === 'readOnlyServer')) {
      c.client.removeWatches(node.path, 'children').catch(() => undefined);
    }
  }

  private message(parent: ContainerNode, text: string, isError: boolean) {
    return { kind: 'message' as const, connectionName: parent.connectionName, parent, text, isError };
  }

  private dropListings(connectionName: string): void {
    for (const key of [...this.listings.keys()]) if (key.startsWith(connectionName + '\u0000')) this.listings.delete(key);
  }

  private forgetConnection(name: string): void {
    this.connectionNodes.delete(name);
    this.dropListings(name);
    for (const key of [...this.znodes.keys()]) if (key.startsWith(name + '\u0000')) this.znodes.delete(key);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function connectionIcon(state: ConnectionState): vscode.ThemeIcon {
  switch (state) {
    case 'connected':
      return new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('testing.iconPassed'));
    case 'readOnlyServer':
      return new vscode.ThemeIcon('lock', new vscode.ThemeColor('list.warningForeground'));
    case 'connecting':
    case 'reconnecting':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('list.warningForeground'));
    case 'sessionExpired':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'authFailed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    default:
      return new vscode.ThemeIcon('debug-disconnect');
  }
}

function znodeIcon(path: string, stat: ZnodeStat | undefined): vscode.ThemeIcon {
  const name = baseName(path);
  const sequential = sequenceSuffix(name) !== undefined;
  if (path === '/zookeeper' || path.startsWith('/zookeeper/')) return new vscode.ThemeIcon('gear');
  if (stat && isEphemeral(stat)) return new vscode.ThemeIcon(sequential ? 'list-ordered' : 'pulse', new vscode.ThemeColor('charts.yellow'));
  if (sequential) return new vscode.ThemeIcon('list-ordered');
  if (!stat) return new vscode.ThemeIcon('circle-outline');
  if (stat.numChildren > 0) return new vscode.ThemeIcon(stat.dataLength > 0 ? 'file-submodule' : 'folder');
  if (stat.dataLength > 0) return new vscode.ThemeIcon(/\.json$/i.test(name) ? 'json' : 'file');
  return new vscode.ThemeIcon('circle-small');
}

function describeStat(stat: ZnodeStat): string | undefined {
  const parts: string[] = [];
  if (stat.numChildren > 0) parts.push(`${stat.numChildren.toLocaleString('en')} ${stat.numChildren === 1 ? 'child' : 'children'}`);
  if (stat.dataLength > 0) parts.push(formatBytes(stat.dataLength));
  if (isEphemeral(stat)) parts.push('ephemeral');
  return parts.join(' · ') || undefined;
}

function statTable(s: ZnodeStat): string {
  const rows: [string, string][] = [
    ['Data', `${s.dataLength.toLocaleString('en')} bytes, version ${s.version}`],
    ['Children', `${s.numChildren.toLocaleString('en')}, version ${s.cversion}`],
    ['ACL version', String(s.aversion)],
    ['Created', `${s.ctime.toISOString()} (zxid \`${s.czxid}\`)`],
    ['Modified', `${s.mtime.toISOString()} (zxid \`${s.mzxid}\`)`],
    ['Children changed', `zxid \`${s.pzxid}\``],
    ['Ephemeral owner', isEphemeral(s) ? `session \`${s.ephemeralOwner}\`` : 'none (persistent, container or TTL)'],
  ];
  return '| | |\n|---|---|\n' + rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n');
}

/** A Markdown code span that no value can break out of. */
function code(s: string): string {
  return '`' + s.replace(/`/g, "'").replace(/[\r\n]+/g, ' ') + '`';
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
