// Drag and drop of subtrees: onto another node of the same ensemble or of another one. The user
// sees how many nodes and bytes will be written, and whether it is one atomic transaction, before
// anything is written; long copies show progress and can be cancelled; a copy that stopped
// half-way says exactly what was written.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { baseName, joinPath, parentPath } from '../zk/paths';
import { copySubtree, moveSubtree, planCopy, SubtreeIncompleteError, type CopyPlan, type SubtreeProgress } from '../zk/subtree';
import { formatBytes, incompleteMessage } from './subtreeMessages';
import type { ZnodeTreeProvider } from './znodeTreeProvider';
import type { ContainerNode, TreeNode } from './treeNodes';

const MIME = 'application/vnd.code.tree.zookeeper.explorer';

interface DraggedZnode {
  connectionName: string;
  path: string;
}

export class ZnodeDragAndDrop implements vscode.TreeDragAndDropController<TreeNode> {
  readonly dragMimeTypes = [MIME];
  readonly dropMimeTypes = [MIME];

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly provider: ZnodeTreeProvider,
  ) {}

  handleDrag(source: readonly TreeNode[], dataTransfer: vscode.DataTransfer): void {
    const dragged: DraggedZnode[] = source.filter((n) => n.kind === 'znode').map((n) => ({ connectionName: n.connectionName, path: (n as { path: string }).path }));
    if (dragged.length > 0) dataTransfer.set(MIME, new vscode.DataTransferItem(dragged));
  }

  async handleDrop(target: TreeNode | undefined, dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken): Promise<void> {
    const item = dataTransfer.get(MIME);
    if (!item || !target) return;
    const sources = (typeof item.value === 'string' ? JSON.parse(item.value) : item.value) as DraggedZnode[];
    const dest: ContainerNode = target.kind === 'loadMore' || target.kind === 'message' ? target.parent : target;
    for (const source of sources) {
      if (token.isCancellationRequested) return;
      await this.dropOne(source, dest).catch((e: Error) => void vscode.window.showErrorMessage(e.message));
    }
  }

  private async dropOne(source: DraggedZnode, dest: ContainerNode): Promise<void> {
    const from = this.registry.get(source.connectionName);
    const to = this.registry.get(dest.connectionName);
    if (!from || !to) return;
    const sameEnsemble = source.connectionName === dest.connectionName;
    const targetPath = joinPath(dest.path, baseName(source.path));
    if (sameEnsemble && (targetPath === source.path || parentPath(source.path) === dest.path)) return; // dropped where it is
    if (to.readOnly) throw new Error(`Connection "${dest.connectionName}" is read-only: nothing can be copied to it`);
    if (sameEnsemble && (dest.path + '/').startsWith(source.path + '/')) throw new Error(`Cannot copy ${source.path} into itself`);

    const where = sameEnsemble ? targetPath : `${targetPath} on "${dest.connectionName}"`;
    const plan: CopyPlan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading ${source.path} on "${source.connectionName}"…`, cancellable: true },
      (_p, token) => planCopy(from.client, source.path, to.client, targetPath, { signal: abortOn(token) }),
    );
    if (plan.targetExists) throw new Error(`${where} already exists: drop onto another node, or delete it first`);
    const how = plan.atomic ? 'in one atomic transaction' : `in ${plan.batches} batches (not atomic: a failure half-way is reported)`;
    const eph = plan.ephemeral.length > 0 ? ` ${plan.ephemeral.length} ephemeral node(s) will be written as persistent.` : '';
    const copy = 'Copy';
    const move = 'Move';
    const choice = await vscode.window.showInformationMessage(
      `Copy or move ${source.path} to ${where}?`,
      { modal: true, detail: `${plan.nodes.toLocaleString('en')} node(s), ${formatBytes(plan.dataBytes)} of data, written ${how}.${eph}` },
      copy,
      ...(from.readOnly ? [] : [move]),
    );
    if (choice !== copy && choice !== move) return;
    const verb = choice === move ? 'Moving' : 'Copying';
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${verb} ${source.path} to ${where}`, cancellable: true },
      async (progress, token) => {
        const onProgress = progressReporter(progress, plan.nodes);
        try {
          const result =
            choice === move
              ? await moveSubtree(from.client, source.path, to.client, targetPath, { plan, signal: abortOn(token), onProgress })
              : await copySubtree(from.client, source.path, to.client, targetPath, { plan, signal: abortOn(token), onProgress });
          vscode.window.setStatusBarMessage(`${choice === move ? 'Moved' : 'Copied'} ${result.created.toLocaleString('en')} node(s) to ${where}`, 5000);
        } catch (e) {
          if (e instanceof SubtreeIncompleteError) throw new Error(incompleteMessage(e));
          throw e;
        } finally {
          void this.provider.refresh(dest);
          if (choice === move) void this.provider.refresh(this.provider.znode(source.connectionName, source.path).parent);
        }
      },
    );
  }
}

/** An AbortSignal that follows a cancellation token (the domain takes signals). */
export function abortOn(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Turns subtree progress into notification increments. */
export function progressReporter(progress: vscode.Progress<{ message?: string; increment?: number }>, total: number): (p: SubtreeProgress) => void {
  let reported = 0;
  return (p) => {
    const of = p.total ?? total;
    if (p.phase === 'walk') {
      progress.report({ message: `reading: ${p.done.toLocaleString('en')} node(s)` });
      return;
    }
    const pct = of > 0 ? Math.min(100, (100 * p.done) / of) : 0;
    progress.report({ message: `${p.done.toLocaleString('en')} of ${of.toLocaleString('en')}`, increment: Math.max(0, pct - reported) });
    reported = Math.max(reported, pct);
  };
}
