// ZnodeTreeProvider: the sidebar tree. Lazy (one level per expand), paged ("Load more…"), live
// (a child watch on each expanded node only, dropped on collapse), and errors are shown on the
// row that caused them instead of as pop-ups.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { STATE_LABELS } from '../ui/stateLabels';
import type { NameOrder } from '../zk/childOrder';
import { pageInTurns } from '../zk/pageInTurns';
import { RefreshGate } from '../zk/refreshGate';
import { CoalescedListings } from '../zk/coalescedListing';
import type { ConnectionState } from '../zk/ensembleConnection';
import { shortReason } from '../zk/errorReasons';
import { describeHidden, displayName, isolate } from '../zk/displayText';
import { isZkError } from '../zk/errors';
import { baseName, joinPath, parentPath, ancestors } from '../zk/paths';
import { isEphemeral, type ZnodeStat } from '../zk/stat';
import { formatAcl } from '../zk/acl';
import { holdersByName, roleOf, type Role } from '../zk/recipes';
import { ZnodeUri } from '../zk/znodeUri';
import { nodeKey } from '../ui/znodeUris';
import { COMMANDS } from '../ui/commandIds';
import type { ConnectionNode, ContainerNode, TreeNode, ZnodeNode } from './treeNodes';
import { connectionIcon, describeStat, loadMoreItem, messageItem, statTable, znodeIcon } from './rowLook';
import { md as mdText, mdCode } from '../zk/markdown';
import { errorMessage } from '../ui/registerCommand';
import { localizedDetail } from '../ui/localized';

/**
 * How long a listing waits for its page's stats before showing the rows without them: about what
 * 500 pipelined exists() take on loopback when the machine is not busy. Within it the rows arrive
 * whole (icons, sizes, whether they expand) and VS Code draws them once; a page whose stats take
 * longer is shown at once (the first rows matter most) and refreshed in one go when they are all
 * in, instead of once per 100 rows as before.
 */
const STAT_WAIT_MS = 50;

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
  /** Which listing these names came from: an older listing's reply never replaces a newer one. */
  generation: number;
  /** The session that armed the child watch: another session's watch says nothing. */
  session: string;
  /** Set by Refresh: the next listing asks the server although the watch says nothing changed. */
  relist?: boolean;
  /** Set when the child watch fired: the names are out of date. */
  stale?: boolean;
  /** The order of these names (worked out at the first page, kept for Load more and filters). */
  order?: NameOrder;
  /** The children that hold a lock or lead an election, by name (made when a row first needs it). */
  holders?: { role: Role; names: Set<string> } | null;
}

export class ZnodeTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly connectionNodes = new Map<string, ConnectionNode>();
  private readonly znodes = new Map<string, ZnodeNode>();
  private readonly listings = new Map<string, Listing>();
  private readonly childWatchers = new Map<string, { parent: ContainerNode; watcher: () => void }>();
  /** Child-watch notifications per node, counted so a listing knows whether one came while it was on its way. */
  private readonly childChanges = new Map<string, number>();
  private readonly filters = new Map<string, string>();
  private readonly pinned = new Map<string, Set<string>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly childListings = new CoalescedListings<{ children: string[]; stat: ZnodeStat; generation: number; session: string; changedMeanwhile: boolean }>({ minGapMs: LISTING_GAP_MS });
  private generations = 0;
  /** Row refreshes wait while VS Code fetches children at or below the row (refreshGate.ts). */
  private readonly gate = new RefreshGate<ContainerNode>((rows) => this.changed.fire(rows));

  constructor(private readonly registry: ConnectionRegistry) {
    this.disposables.push(
      this.changed,
      registry.onDidChangeConnections(() => {
        // Connections replaced: their sessions, listings and watches are new.
        for (const name of [...this.connectionNodes.keys()]) if (!registry.get(name)) this.forgetConnection(name);
        const roots = this.rootNames();
        if (roots === this.shownRoots) {
          // The same rows, only a session object replaced (a password was given): refreshing the
          // root would make VS Code drop the rows it is expanding ("No tree item with id …").
          for (const name of registry.names()) {
            const c = registry.get(name);
            if (this.rowConnections.get(name) === c) continue;
            this.rowConnections.set(name, c);
            this.dropListings(name);
            const node = this.connectionNodes.get(name);
            if (node) this.gate.refresh([node], 'outdate');
          }
          return;
        }
        this.gate.clear();
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
        // Redrawn now: a listing under way for the old state is outdated (refreshGate.ts).
        this.gate.refresh([node], 'outdate');
      }),
    );
    for (const c of registry.connections()) this.followSessions(c.name);
    this.disposables.push(registry.onDidChangeConnections(() => registry.connections().forEach((c) => this.followSessions(c.name))));
  }

  private readonly lastStatus = new Map<string, string>();
  /** The connection rows VS Code last asked for, and the connection object behind each. */
  private shownRoots: string | undefined;
  private readonly rowConnections = new Map<string, unknown>();

  private rootNames(): string {
    return this.registry.names().join('\u0000');
  }
  /** Connections whose session was renewed: their listings (and watches) must be rebuilt. */
  private readonly renewed = new Set<string>();
  private readonly followed = new WeakSet<object>();

  private followSessions(name: string): void {
    const c = this.registry.get(name);
    if (!c || this.followed.has(c)) return;
    this.followed.add(c);
    const onRenewed = () => {
      this.renewed.add(name);
      this.dropListings(name);
      const node = this.connectionNodes.get(name);
      if (node) this.gate.refresh([node], 'outdate');
    };
    c.on('sessionRenewed', onRenewed);
    // The connection outlives the provider (a window's tree view is recreated, a bench makes many).
    this.disposables.push({ dispose: () => void c.off('sessionRenewed', onRenewed) });
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
    if (!element) {
      this.shownRoots = this.rootNames();
      for (const name of this.registry.names()) this.rowConnections.set(name, this.registry.get(name));
      return this.registry.configs().map((c) => this.connectionNode(c.name));
    }
    if (element.kind !== 'connection' && element.kind !== 'znode') return [];
    // An answer made outdated by a refresh of the row (or above) meanwhile: its rows with ids become
    // one without, which VS Code 1.85 registers without a clash and replaces when it asks again
    // (refreshGate.ts). A message (not connected, an error) has no id and stays.
    return this.gate.fetching(element, () => this.childrenOf(element), (rows) =>
      rows.some((r) => r.kind === 'znode') ? [this.message(element, vscode.l10n.t('Loading'), false)] : rows,
    );
  }

  private async childrenOf(element: ContainerNode): Promise<TreeNode[]> {
    const connection = this.registry.get(element.connectionName);
    if (!connection) return [];
    if (element.kind === 'connection' && (connection.state === 'idle' || connection.state === 'closed')) {
      // Expanding a disconnected ensemble connects it.
      const opened = await this.registry.open(element.connectionName);
      if (!opened) return [this.message(element, vscode.l10n.t('not connected'), true, vscode.l10n.t('Not connected: {0}', localizedDetail(connection.getStatus()) ?? vscode.l10n.t('see the ZooKeeper log')))];
    }
    if (connection.state === 'authFailed') return [this.message(element, vscode.l10n.t('authentication failed'), true, localizedDetail(connection.getStatus()) ?? vscode.l10n.t('Authentication failed'))];
    try {
      return await this.list(element);
    } catch (e) {
      // A side bar cuts a long row: the short reason first, the whole message after it and in the tooltip.
      const short = shortReason(e);
      const reason = short && vscode.l10n.t(short);
      return [reason ? this.message(element, reason, true, errorMessage(e)) : this.message(element, errorMessage(e), true)];
    }
  }

  private async list(parent: ContainerNode): Promise<TreeNode[]> {
    const key = nodeKey(parent.connectionName, parent.path);
    const client = this.registry.get(parent.connectionName)!.client;
    const prev = this.listings.get(key);
    let listing: Listing;
    if (prev && this.isCurrent(prev, client.sessionId, this.pinned.get(key))) {
      // The watch is armed and has not fired: the names are current. A row redrawn (its state,
      // its stat), Load more and a filter page them again at once. Listing them again here kept
      // VS Code without the row's children for the whole listing (≥ LISTING_GAP_MS): VS Code
      // forgets a row's children when the row is refreshed, and a child expanded in that time
      // was "No tree item with id …" and drawn empty.
      listing = prev;
    } else {
      // Coalesced: a node under churn is listed at most once at a time, plus one queued.
      const { children, stat, generation, session, changedMeanwhile } = await this.childListings.list(key, async () => {
        const generation = ++this.generations;
        const changesBefore = this.childChanges.get(key) ?? 0;
        const reply = await client.getChildren(parent.path, this.childWatcher(key, parent));
        // A notification handled before this listing is kept (it can come in the reply's own socket
        // read) may be for a change after the server answered: the names are then not current.
        return { ...reply, generation, session: client.sessionId, changedMeanwhile: (this.childChanges.get(key) ?? 0) !== changesBefore };
      });
      const latest = this.listings.get(key);
      if (latest && latest.generation > generation) {
        listing = latest; // a newer listing was kept meanwhile: show that one
      } else {
        if (parent.kind === 'znode') parent.stat = stat;
        listing = {
          names: children,
          limit: latest?.limit ?? this.pageSize(),
          // Stats already known for children still there are kept: a refresh costs one request.
          stats: latest?.stats ?? new Map(),
          watching: true,
          stale: changedMeanwhile || undefined,
          generation,
          session,
        };
        this.listings.set(key, listing);
      }
    }
    // A big listing is paged a slice at a time, the event loop running in between (pageInTurns.ts).
    const { page, order } = await pageInTurns(listing.names, listing.limit, this.filters.get(key), this.pinned.get(key), listing.order);
    listing.order = order;
    // Each row once, even when a server sends a name twice: VS Code 1.85 refuses a listing with an id twice.
    const rows: ZnodeNode[] = [...new Set(page.names)].map((name) => {
      const node = this.znode(parent.connectionName, joinPath(parent.path, name));
      node.stat = listing.stats.get(name);
      return node;
    });
    // The page's stats (icons, sizes, child counts) in one pipelined round, awaited briefly.
    const unknown = rows.filter((r) => !r.stat);
    if (unknown.length > 0) {
      const fetched = this.fetchStats(key, listing, unknown);
      if (!(await settlesWithin(fetched, STAT_WAIT_MS))) void fetched.then((current) => current && this.fireRows(unknown));
    }
    const result: TreeNode[] = rows;
    if (page.remaining > 0) result.push({ kind: 'loadMore', connectionName: parent.connectionName, parent, remaining: page.remaining });
    if (result.length === 0 && this.filters.get(key)) result.push(this.message(parent, vscode.l10n.t('No children match "{0}"', this.filters.get(key) ?? ''), false));
    return result;
  }

  /** Whether a listing's names can be shown again without asking the server. */
  private isCurrent(listing: Listing, session: string, pinned: ReadonlySet<string> | undefined): boolean {
    if (!listing.watching || listing.stale || listing.relist || listing.session !== session) return false;
    // A node to reveal that the names do not have yet (created meanwhile): ask.
    if (pinned) for (const name of pinned) if (!listing.names.includes(name)) return false;
    return true;
  }

  /**
   * Reads the stats of `nodes` (pipelined; the client bounds what is in flight) into the rows and
   * the listing. True when the listing is still the one shown (not collapsed or listed again).
   */
  private async fetchStats(key: string, listing: Listing, nodes: ZnodeNode[]): Promise<boolean> {
    const connection = this.registry.get(nodes[0].connectionName);
    if (!connection) return false;
    // A row whose stat cannot be read stays without details (the connection went away, or NOAUTH).
    const stats = await Promise.all(nodes.map((n) => connection.client.exists(n.path).catch(() => undefined)));
    if (this.listings.get(key) !== listing) return false;
    nodes.forEach((n, j) => {
      const st = stats[j];
      if (st) {
        n.stat = st;
        listing.stats.set(baseName(n.path), st);
      }
    });
    return true;
  }

  private revealing = 0;
  private deferredRows: ZnodeNode[] = [];

  /** Row refreshes during a reveal make VS Code lose the nodes it is resolving: they wait. */
  private fireRows(rows: ZnodeNode[]): void {
    if (this.revealing > 0) this.deferredRows.push(...rows);
    else this.gate.refresh(rows);
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
        this.gate.refresh(rows);
      }
    }
  }


  /**
   * The child watcher of a node: one function per node, however often it is listed, so that the
   * client registers it once (a new closure per listing added a listener per refresh and reconnect
   * until the children changed: "MaxListenersExceededWarning … notification listeners").
   */
  private childWatcher(key: string, parent: ContainerNode): () => void {
    let w = this.childWatchers.get(key);
    if (!w) {
      const entry = { parent, watcher: () => this.onChildrenChanged(entry.parent) };
      this.childWatchers.set(key, (w = entry));
    }
    w.parent = parent;
    return w.watcher;
  }

  private onChildrenChanged(parent: ContainerNode): void {
    const changedKey = nodeKey(parent.connectionName, parent.path);
    this.childChanges.set(changedKey, (this.childChanges.get(changedKey) ?? 0) + 1);
    const listing = this.listings.get(nodeKey(parent.connectionName, parent.path));
    if (!listing || !listing.watching) return;
    listing.stale = true; // the names changed: list again
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
    this.gate.refresh([node]);
  }

  getTreeItem(element: TreeNode): vscode.TreeItem {
    switch (element.kind) {
      case 'connection':
        return this.connectionItem(element);
      case 'znode':
        return this.znodeItem(element);
      case 'loadMore':
        return loadMoreItem(element);
      case 'message':
        return messageItem(element);
    }
  }

  private connectionItem(node: ConnectionNode): vscode.TreeItem {
    const c = this.registry.get(node.connectionName);
    const status = c?.getStatus() ?? { state: 'idle' as ConnectionState };
    const item = new vscode.TreeItem(displayName(node.connectionName), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `connection:${node.connectionName}`;
    const filter = this.filters.get(nodeKey(node.connectionName, '/'));
    // "read-only" before the server address: the end of a description is what a narrow side bar cuts.
    item.description = [STATE_LABELS[status.state], c?.readOnly ? vscode.l10n.t('read-only') : undefined, filter ? vscode.l10n.t('filter: {0}', filter) : undefined, status.server].filter(Boolean).join(' · ');
    item.iconPath = connectionIcon(status.state);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${mdText(displayName(node.connectionName))}** — ${STATE_LABELS[status.state]}\n\n`);
    md.appendMarkdown(`${mdCode(c?.connectString ?? '')}\n\n`);
    const detail = localizedDetail(status);
    if (detail) md.appendText(detail + '\n\n');
    if (c?.readOnly) md.appendMarkdown(vscode.l10n.t('$(lock) Read-only connection: writes are refused.\n\n'));
    if (status.sessionId && status.sessionId !== '0x0') md.appendMarkdown(vscode.l10n.t('Session {0}', mdCode(status.sessionId)));
    item.tooltip = md;
    item.contextValue = `connection.${status.state}.${c?.readOnly ? 'ro' : 'rw'}${filter ? '.filtered' : ''}`;
    return item;
  }

  private znodeItem(node: ZnodeNode): vscode.TreeItem {
    const stat = node.stat;
    const name = baseName(node.path);
    const hasChildren = stat ? stat.numChildren > 0 : true;
    // The label shows hidden characters as escapes; the tooltip and Copy Path keep the exact name.
    const item = new vscode.TreeItem(displayName(name), hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `znode:${node.connectionName}\u0000${node.path}`;
    item.resourceUri = vscode.Uri.parse(new ZnodeUri(node.connectionName, node.path).toString());
    const key = nodeKey(node.connectionName, node.path);
    const filter = this.filters.get(key);
    const holder = stat && isEphemeral(stat) ? this.holderRole(node) : undefined;
    // The role is one of the holders report's words (src/zk/holders.ts marks them for the bundle).
    item.description = [stat ? describeStat(stat) : undefined, holder && vscode.l10n.t(holder), filter ? vscode.l10n.t('filter: {0}', filter) : undefined].filter(Boolean).join(' · ') || undefined;
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
      item.command = { command: COMMANDS.openZnode, title: vscode.l10n.t('Open'), arguments: [{ connectionName: node.connectionName, path: node.path }] };
    }
    return item;
  }

  /**
   * "holder", "leader" (or "holder / leader" when the names cannot tell) for an ephemeral row that is first in its parent's lock or election queue.
   * From the names of the parent's listing alone (the row's own stat says it is ephemeral): no request.
   */
  private holderRole(node: ZnodeNode): string | undefined {
    const listing = this.listings.get(nodeKey(node.connectionName, parentPath(node.path)));
    if (!listing) return undefined;
    if (listing.holders === undefined) {
      const h = holdersByName(listing.names, parentPath(node.path));
      listing.holders = h ? { role: roleOf(h.kind, true), names: h.holders } : null;
    }
    return listing.holders?.names.has(baseName(node.path)) ? listing.holders.role : undefined;
  }

  /** More Markdown for a row's tooltip from other features (a quota), as trusted Markdown they escaped. */
  readonly tooltipSections: ((connectionName: string, path: string) => string | undefined)[] = [];

  /** Fills the tooltip when the user hovers: the Stat in words and the ACL summary. */
  async resolveTreeItem(item: vscode.TreeItem, element: TreeNode): Promise<vscode.TreeItem> {
    if (element.kind !== 'znode') return item;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${mdText(displayName(element.path))}**\n\n`);
    const hidden = describeHidden(baseName(element.path));
    if (hidden) md.appendMarkdown(vscode.l10n.t('Exact name: {0} (hidden characters shown above as escapes: {1})\n\n', mdCode(isolate(baseName(element.path))), hidden));
    try {
      const client = this.registry.get(element.connectionName)!.client;
      const [stat, acl] = await Promise.all([
        client.exists(element.path),
        client.getACL(element.path).then(
          (r) => r.acl.map(formatAcl).join(', '),
          (e: Error) => (isZkError(e, 'NOAUTH') ? vscode.l10n.t('not readable with these credentials') : errorMessage(e)),
        ),
      ]);
      if (!stat) {
        md.appendText(vscode.l10n.t('This node no longer exists.'));
      } else {
        element.stat = stat;
        md.appendMarkdown(statTable(stat));
        md.appendMarkdown(vscode.l10n.t('\n\nACL: {0}', mdCode(acl)));
        for (const section of this.tooltipSections) {
          const more = section(element.connectionName, element.path);
          if (more) md.appendMarkdown(`\n\n${more}`);
        }
      }
    } catch (e) {
      md.appendText(errorMessage(e));
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
    if (listing) {
      listing.limit += this.pageSize();
    }
    this.gate.refresh([parent]);
  }

  setFilter(parent: ContainerNode, pattern: string | undefined): void {
    const key = nodeKey(parent.connectionName, parent.path);
    if (pattern && pattern.trim()) this.filters.set(key, pattern.trim());
    else this.filters.delete(key);
    this.gate.refresh([parent]); // filtered here, on the names already listed
  }

  getFilter(parent: ContainerNode): string | undefined {
    return this.filters.get(nodeKey(parent.connectionName, parent.path));
  }

  refresh(node?: TreeNode): Promise<void> {
    if (!node) {
      this.listings.clear();
      this.gate.clear();
      this.changed.fire(undefined);
      return Promise.resolve();
    }
    const target = node.kind === 'loadMore' || node.kind === 'message' ? node.parent : node;
    // An explicit refresh lists again and reads the rows' stats again too.
    const listing = this.listings.get(nodeKey(target.connectionName, target.path));
    if (listing) {
      listing.stats.clear();
      listing.relist = true;
    }
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

  private message(parent: ContainerNode, text: string, isError: boolean, detail?: string) {
    return { kind: 'message' as const, connectionName: parent.connectionName, parent, text, isError, ...(detail !== undefined ? { detail } : {}) };
  }

  private dropListings(connectionName: string): void {
    for (const key of [...this.listings.keys()]) if (key.startsWith(connectionName + '\u0000')) this.listings.delete(key);
  }

  private forgetConnection(name: string): void {
    this.connectionNodes.delete(name);
    for (const key of [...this.childWatchers.keys()]) if (key.startsWith(name + '\u0000')) this.childWatchers.delete(key);
    for (const key of [...this.childChanges.keys()]) if (key.startsWith(name + '\u0000')) this.childChanges.delete(key);
    this.dropListings(name);
    for (const key of [...this.znodes.keys()]) if (key.startsWith(name + '\u0000')) this.znodes.delete(key);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Whether `p` settles within `ms` (the timer does not outlive the answer). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true as const, () => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
