// Drag and drop of subtrees: onto another node of the same ensemble or of another one. The user
// sees how many nodes and bytes will be written, and whether it is one atomic transaction, before
// anything is written; long copies show progress and can be cancelled; a copy that stopped
// half-way says exactly what was written.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { baseName, joinPath, parentPath, pathProblem } from '../zk/paths';
import { isZkError } from '../zk/errors';
import { checkCopyAcls, copySubtree, moveSubtree, planCopy, SubtreeIncompleteError, type CopyPlan, type SubtreeProgress } from '../zk/subtree';
import { sessionIdentitiesOf } from '../connections/sessionIdentities';
import { describeForeignEphemerals, type ForeignEphemeral } from '../zk/subtreeGuards';
import { formatBytes } from '../zk/bytes';
import { errorMessage, showError } from '../ui/registerCommand';
import { incompleteMessage } from './subtreeMessages';
import type { ZnodeTreeProvider } from './znodeTreeProvider';
import type { ContainerNode, TreeNode } from './treeNodes';
import { msg, type Message } from '../zk/message';
import { localized } from '../ui/localized';

const MIME = 'application/vnd.code.tree.zookeeper.explorer';

interface DraggedZnode {
  connectionName: string;
  path: string;
}

/** More rows than a tree selection drags in practice: a payload past this is not ours. */
const MAX_DRAGGED = 1000;

/**
 * Checks a drop's payload: our own drags put an array of { connectionName, path }; anything else
 * (another extension's data under our MIME type, a damaged string) is refused with the reason.
 */
export function parseDragPayload(value: unknown): { nodes: DraggedZnode[] } | { problem: Message } {
  let v = value;
  if (typeof v === 'string') {
    if (v.length > 1_000_000) return { problem: msg('the payload is too large to be a drag of znodes') };
    try {
      v = JSON.parse(v);
    } catch {
      return { problem: msg('the payload is not JSON') };
    }
  }
  if (!Array.isArray(v)) return { problem: msg('the payload is not a list of znodes') };
  if (v.length === 0) return { problem: msg('the payload names no znode') };
  if (v.length > MAX_DRAGGED) return { problem: msg('the payload names {0} znodes (at most {1})', v.length.toLocaleString('en'), MAX_DRAGGED.toLocaleString('en')) };
  const nodes: DraggedZnode[] = [];
  for (const [i, x] of v.entries()) {
    const o = x as Partial<DraggedZnode> | null;
    if (typeof o !== 'object' || o === null || typeof o.connectionName !== 'string' || o.connectionName === '' || typeof o.path !== 'string') {
      return { problem: msg('item {0} is not {1}', i + 1, '{ connectionName, path }') };
    }
    const problem = pathProblem(o.path);
    if (problem) return { problem: msg('item {0}: {1}', i + 1, problem) };
    nodes.push({ connectionName: o.connectionName, path: o.path });
  }
  return { nodes };
}

/** Why the drop preview offers Copy only: the source holds other sessions' ephemeral nodes. */
export function moveRefusedNote(foreign: readonly ForeignEphemeral[]): string {
  const which = localized(describeForeignEphemerals(foreign));
  return foreign.length === 1
    ? vscode.l10n.t('Move is not offered: an ephemeral node belongs to another session ({0}), e.g. a live lock or a service registration, and moving would delete it. Copy leaves the source as it is.', which)
    : vscode.l10n.t('Move is not offered: {0} ephemeral nodes belong to another session ({1}), e.g. a live lock or a service registration, and moving would delete them. Copy leaves the source as it is.', foreign.length.toLocaleString('en'), which);
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
    const parsed = parseDragPayload(item.value);
    if ('problem' in parsed) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Dropped data ignored: {0}. Drag znodes from the ZooKeeper Explorer view.', localized(parsed.problem)));
      return;
    }
    const sources = parsed.nodes;
    const dest: ContainerNode = target.kind === 'loadMore' || target.kind === 'message' ? target.parent : target;
    for (const source of sources) {
      if (token.isCancellationRequested) return;
      await this.dropOne(source, dest).catch((e: unknown) => showError(e));
    }
  }

  private async dropOne(source: DraggedZnode, dest: ContainerNode): Promise<void> {
    const from = this.registry.get(source.connectionName);
    const to = this.registry.get(dest.connectionName);
    if (!from || !to) return;
    const sameEnsemble = source.connectionName === dest.connectionName;
    const targetPath = joinPath(dest.path, baseName(source.path));
    if (sameEnsemble && (targetPath === source.path || parentPath(source.path) === dest.path)) return; // dropped where it is
    if (to.readOnly) throw new Error(vscode.l10n.t('Connection "{0}" is read-only: nothing can be copied to it', dest.connectionName));
    if (sameEnsemble && (dest.path + '/').startsWith(source.path + '/')) throw new Error(vscode.l10n.t('Cannot copy {0} into itself', source.path));

    const where = sameEnsemble ? targetPath : `${targetPath} on "${dest.connectionName}"`;
    const plan: CopyPlan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0} on "{1}"…', source.path, source.connectionName), cancellable: true },
      (_p, token) => planCopy(from.client, source.path, to.client, targetPath, { signal: abortOn(token) }),
    );
    if (plan.targetExists) throw new Error(vscode.l10n.t('{0} already exists: drop onto another node, or delete it first', where));
    const how = plan.atomic ? vscode.l10n.t('in one atomic transaction') : vscode.l10n.t('in {0} batches (not atomic: a failure half-way is reported)', plan.batches);
    const eph = plan.ephemeral.length > 0 ? vscode.l10n.t(' {0} ephemeral node(s) will be written as persistent.', plan.ephemeral.length) : '';
    const copy = vscode.l10n.t('Copy');
    const move = vscode.l10n.t('Move');
    const foreign = plan.foreignEphemeral;
    // A move would delete the source: never another session's ephemeral node (a lock, a registration).
    const noMove = foreign.length > 0 ? `\n\n${moveRefusedNote(foreign)}` : '';
    const choice = await vscode.window.showInformationMessage(
      foreign.length > 0 ? vscode.l10n.t('Copy {0} to {1}?', source.path, where) : vscode.l10n.t('Copy or move {0} to {1}?', source.path, where),
      { modal: true, detail: vscode.l10n.t('{0} node(s), {1} of data, written {2}.{3}{4}', plan.nodes.toLocaleString('en'), formatBytes(plan.dataBytes), how, eph, noMove) },
      copy,
      ...(from.readOnly || foreign.length > 0 ? [] : [move]),
    );
    if (choice !== copy && choice !== move) return;
    const moving = choice === move;
    const identities = await sessionIdentitiesOf(this.registry, to, dest.connectionName);
    // Every ACL the write sets goes through the lock-out check first (nothing written when it fails).
    let copyAcl = true;
    try {
      await checkCopyAcls(to.client, targetPath, plan, identities);
    } catch (e) {
      if (!isZkError(e, 'ACL_LOCK_OUT')) throw e;
      const withoutAcls = vscode.l10n.t('Without Source ACLs');
      const anyway = vscode.l10n.t('Keep Source ACLs');
      const answer = await vscode.window.showWarningMessage(errorMessage(e), { modal: true }, withoutAcls, anyway);
      if (answer === undefined) return;
      copyAcl = answer !== withoutAcls;
    }
    const aclOpts = { identities, copyAcl, acceptLockOut: true };
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: moving ? vscode.l10n.t('Moving {0} to {1}', source.path, where) : vscode.l10n.t('Copying {0} to {1}', source.path, where), cancellable: true },
      async (progress, token) => {
        const onProgress = progressReporter(progress, plan.nodes);
        try {
          const result =
            choice === move
              ? await moveSubtree(from.client, source.path, to.client, targetPath, { plan, signal: abortOn(token), onProgress, ...aclOpts })
              : await copySubtree(from.client, source.path, to.client, targetPath, { plan, signal: abortOn(token), onProgress, ...aclOpts });
          vscode.window.setStatusBarMessage(choice === move ? vscode.l10n.t('Moved {0} node(s) to {1}', result.created.toLocaleString('en'), where) : vscode.l10n.t('Copied {0} node(s) to {1}', result.created.toLocaleString('en'), where), 5000);
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
      progress.report({ message: vscode.l10n.t('reading: {0} node(s)', p.done.toLocaleString('en')) });
      return;
    }
    const pct = of > 0 ? Math.min(100, (100 * p.done) / of) : 0;
    progress.report({ message: vscode.l10n.t('{0} of {1}', p.done.toLocaleString('en'), of.toLocaleString('en')), increment: Math.max(0, pct - reported) });
    reported = Math.max(reported, pct);
  };
}
