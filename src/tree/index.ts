// Registers the ZooKeeper Explorer tree and its commands.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { pickConnection } from '../connections/connectionCommands';
import type { CreateMode } from '../zk/client';
import { isZkError } from '../zk/errors';
import { displayName } from '../zk/displayText';
import { joinPath, parentPath, pathProblem, segmentProblem, baseName } from '../zk/paths';
import { ZnodeTreeProvider } from './znodeTreeProvider';
import { ZnodeDragAndDrop, abortOn, progressReporter } from './treeDragAndDrop';
import { countForDeleteConfirmation } from '../zk/subtreeGuards';
import { defaultAclFor } from '../zk/defaultAcl';
import { sessionIdentitiesOf } from '../connections/sessionIdentities';
import { deleteSubtree, SubtreeIncompleteError } from '../zk/subtree';
import type { ContainerNode, LoadMoreNode, TreeNode } from './treeNodes';
import { SubtreeExportImport } from './exportImport';
import { incompleteMessage } from './subtreeMessages';
import { quotaAwareMessage } from '../zk/admin/quotaStore';

/** A command's target: a tree row, or `{ connectionName, path }` from another caller. */
type Target = { connectionName: string; path?: string; kind?: string } | undefined;

export function registerTree(context: vscode.ExtensionContext, registry: ConnectionRegistry): ZnodeTreeProvider {
  const provider = new ZnodeTreeProvider(registry);
  const view = vscode.window.createTreeView('zookeeper.explorer', {
    treeDataProvider: provider,
    showCollapseAll: true,
    canSelectMany: true,
    dragAndDropController: new ZnodeDragAndDrop(registry, provider),
  });
  context.subscriptions.push(
    provider,
    view,
    view.onDidCollapseElement((e) => provider.collapsed(e.element)),
    view.onDidChangeSelection((e) => {
      const first = e.selection[0];
      if (first) registry.active = first.connectionName;
    }),
  );

  const containerOf = (t: Target): ContainerNode | undefined => {
    if (!t) return undefined;
    if (t.kind === 'loadMore' || t.kind === 'message') return (t as unknown as LoadMoreNode).parent;
    return !t.path || t.path === '/' ? provider.connectionNode(t.connectionName) : provider.znode(t.connectionName, t.path);
  };

  const command = (id: string, fn: (t: Target, all?: Target[]) => Promise<unknown> | unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (t?: Target, all?: Target[]) => {
        try {
          await fn(t, all);
        } catch (e) {
          void vscode.window.showErrorMessage(await quotaAwareMessage(e, t?.connectionName ? registry.get(t.connectionName)?.client : undefined));
        }
      }),
    );

  command('zookeeper.refresh', (t) => provider.refresh(t ? (containerOf(t) as TreeNode) : undefined));
  command('zookeeper.loadMore', (t) => {
    const parent = containerOf(t);
    if (parent) provider.loadMore(parent);
  });

  command('zookeeper.copyPath', async (t) => {
    if (!t?.path) return;
    await vscode.env.clipboard.writeText(t.path);
    vscode.window.setStatusBarMessage(`Copied ${displayName(t.path)}`, 2000);
  });

  command('zookeeper.filterChildren', async (t) => {
    const target = containerOf(t) ?? (await pickRoot(registry, provider));
    if (!target) return;
    const pattern = await vscode.window.showInputBox({
      title: `Filter the children of ${displayName(target.path === '/' ? target.connectionName : target.path)}`,
      prompt: 'A substring, or a glob with * and ? (case-insensitive). Empty clears the filter.',
      value: provider.getFilter(target) ?? '',
    });
    if (pattern === undefined) return;
    provider.setFilter(target, pattern);
    await provider.whileRevealing(() => view.reveal(target, { expand: true }));
  });
  command('zookeeper.clearFilter', (t) => {
    const target = containerOf(t);
    if (target) provider.setFilter(target, undefined);
  });

  command('zookeeper.createChild', async (t) => {
    const parent = containerOf(t) ?? (await pickRoot(registry, provider));
    if (!parent) return;
    const connection = registry.get(parent.connectionName);
    if (!connection) return;
    if (connection.readOnly) throw new Error(`Connection "${parent.connectionName}" is read-only: nothing can be created`);
    const name = await vscode.window.showInputBox({
      title: `Create a child of ${displayName(parent.path)}`,
      prompt: 'Node name (for sequential nodes, the prefix the counter is appended to)',
      validateInput: (v) => (v === '' ? undefined : segmentProblem(v)),
    });
    if (!name) return;
    const modes: { label: string; mode: CreateMode; description?: string }[] = [
      { label: 'Persistent', mode: 'persistent' },
      { label: 'Ephemeral', mode: 'ephemeral', description: 'deleted when this session ends' },
      { label: 'Persistent sequential', mode: 'persistentSequential', description: 'a 10-digit counter is appended' },
      { label: 'Ephemeral sequential', mode: 'ephemeralSequential', description: 'as used by locks and elections' },
      { label: 'Container', mode: 'container', description: 'removed by the server once its last child is gone' },
      { label: 'Persistent with TTL', mode: 'persistentTtl', description: 'removed after the TTL when it has no children (needs extendedTypesEnabled)' },
    ];
    const mode = await vscode.window.showQuickPick(modes, { title: `Mode of ${name}` });
    if (!mode) return;
    let ttlMs: number | undefined;
    if (mode.mode === 'persistentTtl') {
      const ttl = await vscode.window.showInputBox({
        title: 'Time to live',
        prompt: 'Milliseconds, or a number with s, m, h or d (e.g. 30m)',
        validateInput: (v) => (parseDuration(v) === undefined ? 'Enter e.g. 60000, 30s, 30m, 12h or 7d' : undefined),
      });
      if (ttl === undefined) return;
      ttlMs = parseDuration(ttl);
    }
    // The stated default ACL (defaultAcl.ts), not world:anyone:cdrwa.
    const acl = await defaultAclFor(connection.client, parent.path, await sessionIdentitiesOf(registry, connection, parent.connectionName));
    const data = await vscode.window.showInputBox({ title: `Initial data of ${name}`, prompt: `Text (UTF-8); leave empty for no data. ACL: ${acl.description}` });
    if (data === undefined) return;
    const result = await connection.client.create(joinPath(parent.path, name), Buffer.from(data, 'utf8'), { mode: mode.mode, ttlMs, acl: acl.acl });
    // The parent's row first (a leaf becomes a parent), then the new row.
    const created = provider.pinPath(parent.connectionName, result.path);
    await provider.refresh(parent);
    await provider.whileRevealing(() => view.reveal(created, { select: true, focus: false, expand: false }));
  });

  command('zookeeper.deleteNode', async (t, all) => {
    const targets = (all && all.length > 0 ? all : [t]).filter((x): x is NonNullable<Target> => !!x?.path && x.path !== '/');
    if (targets.length === 0) return;
    for (const target of targets) {
      const connection = registry.get(target.connectionName);
      if (!connection) continue;
      if (connection.readOnly) throw new Error(`Connection "${target.connectionName}" is read-only: nothing can be deleted`);
      const client = connection.client;
      // Exact on every server: where it cannot count (before 3.6) the subtree is walked.
      const counted = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Counting the nodes under ${target.path} on "${target.connectionName}"…`, cancellable: true },
        (progress, token) =>
          countForDeleteConfirmation(client, target.path!, {
            signal: abortOn(token),
            onProgress: (n) => progress.report({ message: `${n.toLocaleString('en')} so far` }),
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
          ? `Delete ${displayName(target.path!)} and the ${count.toLocaleString('en')} nodes below it on "${displayName(target.connectionName)}"?`
          : `Delete ${displayName(target.path!)} on "${displayName(target.connectionName)}"?`,
        { modal: true, detail: 'This cannot be undone.' },
        del,
      );
      if (ok !== del) return;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Deleting ${displayName(target.path!)} on "${displayName(target.connectionName)}"`, cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          try {
            const r = await deleteSubtree(client, target.path!, {
              signal: controller.signal,
              onProgress: progressReporter(progress, count + 1),
              confirmedNodes: counted.total,
            });
            vscode.window.setStatusBarMessage(`Deleted ${r.deleted.toLocaleString('en')} node(s) under ${displayName(target.path!)}`, 5000);
          } catch (e) {
            if (e instanceof SubtreeIncompleteError) throw new Error(incompleteMessage(e));
            throw e;
          }
        },
      );
      void provider.refresh(containerOf({ connectionName: target.connectionName, path: parentPath(target.path!) }));
    }
  });

  const files = new SubtreeExportImport(context, registry, provider, view, (c, name, title) => pickPath(c.client, name, title));
  command('zookeeper.exportSubtree', (t) => files.exportSubtree(t));
  command('zookeeper.importSubtree', (t) => files.importSubtree(t));

  command('zookeeper.goToZnode', async (t) => {
    const name = t?.connectionName ?? (await pickConnection(registry, undefined, 'Go to Znode'));
    if (!name) return;
    const connection = registry.get(name) ?? undefined;
    if (!connection) return;
    if (connection.state === 'idle' && !(await registry.open(name))) return;
    const path = await pickPath(connection.client, name);
    if (!path) return;
    const node = path === '/' ? provider.connectionNode(name) : provider.pinPath(name, path);
    await provider.whileRevealing(() => view.reveal(node, { select: true, focus: true, expand: false }));
    // Like clicking its row: a node with data (or a leaf) opens in an editor.
    const stat = await connection.client.exists(path).catch(() => undefined);
    if (stat && (stat.dataLength > 0 || stat.numChildren === 0)) await vscode.commands.executeCommand('zookeeper.openZnode', { connectionName: name, path });
  });

  // Shows a node in the tree without opening it (a search result, another view's link).
  command('zookeeper.revealZnode', async (t) => {
    if (!t?.connectionName || !t.path) return;
    const node = t.path === '/' ? provider.connectionNode(t.connectionName) : provider.pinPath(t.connectionName, t.path);
    await provider.whileRevealing(() => view.reveal(node, { select: true, focus: false, expand: false }));
  });

  return provider;
}

async function pickRoot(registry: ConnectionRegistry, provider: ZnodeTreeProvider): Promise<ContainerNode | undefined> {
  const name = await pickConnection(registry, undefined, 'Choose a connection');
  return name ? provider.connectionNode(name) : undefined;
}

/** Quick pick of a path, completing the children of what was typed so far. */
function pickPath(
  client: { getChildren(p: string): Promise<{ children: string[] }> },
  connectionName: string,
  title = `Go to Znode on "${connectionName}"`,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick();
    qp.title = title;
    qp.placeholder = 'Type a path, e.g. /brokers/ids';
    qp.value = '/';
    let timer: NodeJS.Timeout | undefined;
    let seq = 0;
    /** The value the shown items were made for: after fast typing they can be stale. */
    let itemsFor = '';
    const complete = async () => {
      const value = qp.value.trim() || '/';
      const dir = value.endsWith('/') ? (value.length > 1 ? value.slice(0, -1) : '/') : parentPath(value);
      const prefix = value.endsWith('/') ? '' : baseName(value);
      const mine = ++seq;
      qp.busy = true;
      try {
        const { children } = await client.getChildren(dir);
        if (mine !== seq) return;
        const matches = children.filter((c) => c.toLowerCase().startsWith(prefix.toLowerCase())).sort().slice(0, 200);
        const typed = pathProblem(value) === undefined ? [{ label: value, description: 'go here' }] : [];
        qp.items = [...typed, ...matches.map((c) => ({ label: joinPath(dir, c) })).filter((i) => i.label !== value)];
        itemsFor = qp.value;
      } catch (e) {
        if (mine !== seq) return;
        // QuickPick has no validation message: the problem is shown as the only, inert row.
        qp.items = [{ label: `$(error) ${isZkError(e, 'NONODE') ? `${dir} does not exist` : (e as Error).message}`, alwaysShow: true, problem: true } as vscode.QuickPickItem];
      } finally {
        if (mine === seq) qp.busy = false;
      }
    };
    qp.onDidChangeValue(() => {
      clearTimeout(timer);
      timer = setTimeout(() => void complete(), 120);
    });
    let done = false;
    qp.onDidAccept(() => {
      // Items made for an earlier value (Enter pressed before the completion caught up) do not
      // count: what was typed does.
      const fresh = itemsFor === qp.value;
      const selected = fresh ? (qp.selectedItems[0] as (vscode.QuickPickItem & { problem?: boolean }) | undefined) : undefined;
      if (selected?.problem) return;
      const picked = selected?.label ?? qp.value.trim();
      const problem = pathProblem(picked);
      if (problem) {
        qp.items = [{ label: `$(error) ${problem}`, alwaysShow: true, problem: true } as vscode.QuickPickItem];
        return;
      }
      done = true;
      resolve(picked);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
    void complete();
  });
}

function parseDuration(v: string): number | undefined {
  const m = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms').toLowerCase() as 'ms'];
  const ms = n * unit;
  return ms > 0 ? ms : undefined;
}
