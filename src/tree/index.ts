// The ZooKeeper Explorer tree and its row commands: one controller holds the view, its provider
// and the export/import flows; each command is one method.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { sessionIdentitiesOf } from '../connections/sessionIdentities';
import type { CreateMode } from '../zk/client';
import { isZkError } from '../zk/errors';
import { displayName } from '../zk/displayText';
import { joinPath, parentPath, segmentProblem } from '../zk/paths';
import { countForDeleteConfirmation } from '../zk/subtreeGuards';
import { defaultAclFor } from '../zk/defaultAcl';
import { deleteSubtree, SubtreeIncompleteError } from '../zk/subtree';
import { COMMANDS, type CommandId } from '../ui/commandIds';
import { pickConnection } from '../ui/connectionArgs';
import { registerCommand } from '../ui/registerCommand';
import { ZnodeTreeProvider } from './znodeTreeProvider';
import { ZnodeDragAndDrop, abortOn, progressReporter } from './treeDragAndDrop';
import type { ContainerNode, LoadMoreNode, TreeNode } from './treeNodes';
import { SubtreeExportImport } from './exportImport';
import { incompleteMessage } from './subtreeMessages';
import { pickPath } from './pathPicker';
import { quotaAwareMessage } from '../zk/clusterAdmin/quotaStore';
import { localized } from '../ui/localized';

/** A command's target: a tree row, or `{ connectionName, path }` from another caller. */
type Target = { connectionName: string; path?: string; kind?: string } | undefined;

export function registerTree(context: vscode.ExtensionContext, registry: ConnectionRegistry): ZnodeTreeProvider {
  return new TreeController(context, registry).provider;
}

export class TreeController {
  readonly provider: ZnodeTreeProvider;
  private readonly view: vscode.TreeView<TreeNode>;
  private readonly files: SubtreeExportImport;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly registry: ConnectionRegistry,
  ) {
    const provider = new ZnodeTreeProvider(registry);
    this.provider = provider;
    this.view = vscode.window.createTreeView('zookeeper.explorer', {
      treeDataProvider: provider,
      showCollapseAll: true,
      canSelectMany: true,
      dragAndDropController: new ZnodeDragAndDrop(registry, provider),
    });
    this.files = new SubtreeExportImport(context, registry, provider, this.view, (c, name, title) => pickPath(c.client, name, title));
    context.subscriptions.push(
      provider,
      this.view,
      this.view.onDidCollapseElement((e) => provider.collapsed(e.element)),
      this.view.onDidChangeSelection((e) => {
        const first = e.selection[0];
        if (first) registry.active = first.connectionName;
      }),
    );
    this.registerCommands();
  }

  private registerCommands(): void {
    // A write refused by a quota says which quota, its limit and usage (it needs the connection's client).
    const describeError = async (e: unknown, [t]: unknown[]) =>
      localized(await quotaAwareMessage(e, (t as Target)?.connectionName ? this.registry.get((t as Target)!.connectionName)?.client : undefined));
    const command = (id: CommandId, fn: (t: Target, all?: Target[]) => unknown) => registerCommand(this.context, id, fn, { describeError });
    command(COMMANDS.refresh, (t) => this.provider.refresh(t ? (this.containerOf(t) as TreeNode) : undefined));
    command(COMMANDS.loadMore, (t) => {
      const parent = this.containerOf(t);
      if (parent) this.provider.loadMore(parent);
    });
    command(COMMANDS.copyPath, (t) => this.copyPath(t));
    command(COMMANDS.filterChildren, (t) => this.filterChildren(t));
    command(COMMANDS.clearFilter, (t) => {
      const target = this.containerOf(t);
      if (target) this.provider.setFilter(target, undefined);
    });
    command(COMMANDS.createChild, (t) => this.createChild(t));
    command(COMMANDS.deleteNode, (t, all) => this.deleteNodes(t, all));
    command(COMMANDS.exportSubtree, (t) => this.files.exportSubtree(t));
    command(COMMANDS.importSubtree, (t) => this.files.importSubtree(t));
    command(COMMANDS.goToZnode, (t) => this.goToZnode(t));
    // Shows a node in the tree without opening it (a search result, another view's link).
    command(COMMANDS.revealZnode, (t) => this.revealZnode(t));
  }

  private containerOf(t: Target): ContainerNode | undefined {
    if (!t) return undefined;
    if (t.kind === 'loadMore' || t.kind === 'message') return (t as unknown as LoadMoreNode).parent;
    return !t.path || t.path === '/' ? this.provider.connectionNode(t.connectionName) : this.provider.znode(t.connectionName, t.path);
  }

  private async pickRoot(): Promise<ContainerNode | undefined> {
    const name = await pickConnection(this.registry, undefined, vscode.l10n.t('Choose a connection'));
    return name ? this.provider.connectionNode(name) : undefined;
  }

  private async copyPath(t: Target): Promise<void> {
    if (!t?.path) return;
    await vscode.env.clipboard.writeText(t.path);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', displayName(t.path)), 2000);
  }

  private async filterChildren(t: Target): Promise<void> {
    const target = this.containerOf(t) ?? (await this.pickRoot());
    if (!target) return;
    const pattern = await vscode.window.showInputBox({
      title: vscode.l10n.t('Filter the children of {0}', displayName(target.path === '/' ? target.connectionName : target.path)),
      prompt: vscode.l10n.t('A substring, or a glob with * and ? (case-insensitive). Empty clears the filter.'),
      value: this.provider.getFilter(target) ?? '',
    });
    if (pattern === undefined) return;
    this.provider.setFilter(target, pattern);
    await this.provider.whileRevealing(() => this.view.reveal(target, { expand: true }));
  }

  private async createChild(t: Target): Promise<void> {
    const parent = this.containerOf(t) ?? (await this.pickRoot());
    if (!parent) return;
    const connection = this.registry.get(parent.connectionName);
    if (!connection) return;
    if (connection.readOnly) throw new Error(vscode.l10n.t('Connection "{0}" is read-only: nothing can be created', parent.connectionName));
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create a child of {0}', displayName(parent.path)),
      prompt: vscode.l10n.t('Node name (for sequential nodes, the prefix the counter is appended to)'),
      validateInput: (v) => (v === '' ? undefined : localized(segmentProblem(v))),
    });
    if (!name) return;
    const modes: { label: string; mode: CreateMode; description?: string }[] = [
      { label: vscode.l10n.t('Persistent'), mode: 'persistent' },
      { label: vscode.l10n.t('Ephemeral'), mode: 'ephemeral', description: vscode.l10n.t('deleted when this session ends') },
      { label: vscode.l10n.t('Persistent sequential'), mode: 'persistentSequential', description: vscode.l10n.t('a 10-digit counter is appended') },
      { label: vscode.l10n.t('Ephemeral sequential'), mode: 'ephemeralSequential', description: vscode.l10n.t('as used by locks and elections') },
      { label: vscode.l10n.t('Container'), mode: 'container', description: vscode.l10n.t('removed by the server once its last child is gone') },
      { label: vscode.l10n.t('Persistent with TTL'), mode: 'persistentTtl', description: vscode.l10n.t('removed after the TTL when it has no children (needs extendedTypesEnabled)') },
    ];
    const mode = await vscode.window.showQuickPick(modes, { title: vscode.l10n.t('Mode of {0}', name) });
    if (!mode) return;
    let ttlMs: number | undefined;
    if (mode.mode === 'persistentTtl') {
      const ttl = await vscode.window.showInputBox({
        title: vscode.l10n.t('Time to live'),
        prompt: vscode.l10n.t('Milliseconds, or a number with s, m, h or d (e.g. 30m)'),
        validateInput: (v) => (parseDuration(v) === undefined ? vscode.l10n.t('Enter e.g. 60000, 30s, 30m, 12h or 7d') : undefined),
      });
      if (ttl === undefined) return;
      ttlMs = parseDuration(ttl);
    }
    // The stated default ACL (defaultAcl.ts), not world:anyone:cdrwa.
    const acl = await defaultAclFor(connection.client, parent.path, await sessionIdentitiesOf(this.registry, connection, parent.connectionName));
    const data = await vscode.window.showInputBox({ title: vscode.l10n.t('Initial data of {0}', name), prompt: vscode.l10n.t('Text (UTF-8); leave empty for no data. ACL: {0}', acl.description) });
    if (data === undefined) return;
    const result = await connection.client.create(joinPath(parent.path, name), Buffer.from(data, 'utf8'), { mode: mode.mode, ttlMs, acl: acl.acl });
    // The parent's row first (a leaf becomes a parent), then the new row.
    const created = this.provider.pinPath(parent.connectionName, result.path);
    await this.provider.refresh(parent);
    await this.provider.whileRevealing(() => this.view.reveal(created, { select: true, focus: false, expand: false }));
  }

  private async deleteNodes(t: Target, all?: Target[]): Promise<void> {
    const targets = (all && all.length > 0 ? all : [t]).filter((x): x is NonNullable<Target> => !!x?.path && x.path !== '/');
    if (targets.length === 0) return;
    for (const target of targets) {
      const connection = this.registry.get(target.connectionName);
      if (!connection) continue;
      if (connection.readOnly) throw new Error(vscode.l10n.t('Connection "{0}" is read-only: nothing can be deleted', target.connectionName));
      const client = connection.client;
      // Exact on every server: where it cannot count (before 3.6) the subtree is walked.
      const counted = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Counting the nodes under {0} on "{1}"…', target.path ?? '', target.connectionName ?? ''), cancellable: true },
        (progress, token) =>
          countForDeleteConfirmation(client, target.path!, {
            signal: abortOn(token),
            onProgress: (n) => progress.report({ message: vscode.l10n.t('{0} so far', n.toLocaleString('en')) }),
          }),
      ).then(undefined, (e: unknown) => {
        if (isZkError(e, 'CANCELLED')) return undefined;
        throw e;
      });
      if (!counted) return;
      const count = counted.descendants;
      const del = count > 0 ? `Delete ${count + 1} nodes` : 'Delete';
      const ok = await vscode.window.showWarningMessage(
        count > 0
          ? vscode.l10n.t('Delete {0} and the {1} nodes below it on "{2}"?', displayName(target.path!), count.toLocaleString('en'), displayName(target.connectionName))
          : vscode.l10n.t('Delete {0} on "{1}"?', displayName(target.path!), displayName(target.connectionName)),
        { modal: true, detail: vscode.l10n.t('This cannot be undone.') },
        del,
      );
      if (ok !== del) return;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deleting {0} on "{1}"', displayName(target.path!), displayName(target.connectionName)), cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          try {
            const r = await deleteSubtree(client, target.path!, {
              signal: controller.signal,
              onProgress: progressReporter(progress, count + 1),
              confirmedNodes: counted.total,
            });
            vscode.window.setStatusBarMessage(vscode.l10n.t('Deleted {0} node(s) under {1}', r.deleted.toLocaleString('en'), displayName(target.path!)), 5000);
          } catch (e) {
            if (e instanceof SubtreeIncompleteError) throw new Error(incompleteMessage(e));
            throw e;
          }
        },
      );
      void this.provider.refresh(this.containerOf({ connectionName: target.connectionName, path: parentPath(target.path!) }));
    }
  }

  private async goToZnode(t: Target): Promise<void> {
    const name = t?.connectionName ?? (await pickConnection(this.registry, undefined, vscode.l10n.t('Go to Znode')));
    if (!name) return;
    const connection = this.registry.get(name) ?? undefined;
    if (!connection) return;
    if (connection.state === 'idle' && !(await this.registry.open(name))) return;
    const path = await pickPath(connection.client, name);
    if (!path) return;
    const node = path === '/' ? this.provider.connectionNode(name) : this.provider.pinPath(name, path);
    await this.provider.whileRevealing(() => this.view.reveal(node, { select: true, focus: true, expand: false }));
    // Like clicking its row: a node with data (or a leaf) opens in an editor.
    const stat = await connection.client.exists(path).catch(() => undefined);
    if (stat && (stat.dataLength > 0 || stat.numChildren === 0)) await vscode.commands.executeCommand(COMMANDS.openZnode, { connectionName: name, path });
  }

  private async revealZnode(t: Target): Promise<void> {
    if (!t?.connectionName || !t.path) return;
    const node = t.path === '/' ? this.provider.connectionNode(t.connectionName) : this.provider.pinPath(t.connectionName, t.path);
    await this.provider.whileRevealing(() => this.view.reveal(node, { select: true, focus: false, expand: false }));
  }
}

function parseDuration(v: string): number | undefined {
  const m = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms').toLowerCase() as 'ms'];
  const ms = n * unit;
  return ms > 0 ? ms : undefined;
}
