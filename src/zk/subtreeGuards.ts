// Guards that keep subtree operations from destroying what belongs to someone else:
//  - a move never deletes an ephemeral node of another session (a live lock, a Kafka broker
//    registration): deleting it would release the lock or drop the broker behind its owner's back;
//  - a recursive delete deletes exactly what the user confirmed: the confirmation counts the
//    subtree exactly (walking where the server cannot count), and a subtree that grew since then
//    (another client created nodes) stops the delete instead of deleting the new nodes unseen.
// Domain layer: no 'vscode' here.
import { ZkError } from './errors';
import type { SubtreeClient } from './subtree/subtreeClient';
import { countSubtree, type SubtreeCount, type WalkOptions } from './subtree/walk';
import { joinMessages, msg, type Message } from './message';

// --- ephemeral nodes of other sessions ---------------------------------------------------------

export interface ForeignEphemeral {
  path: string;
  /** The owning session ('0x…'). */
  owner: string;
}

/**
 * Ephemeral nodes of a snapshot owned by another session than `sessionId` (all of them when this
 * session's id is unknown: better refuse than delete someone's lock).
 */
export function foreignEphemerals(
  snapshot: readonly { ephemeral: boolean; ephemeralOwner?: string; sourcePath?: string; rel: string }[],
  sessionId: string | undefined,
): ForeignEphemeral[] {
  const mine = sessionId !== undefined ? BigInt(sessionId) : undefined;
  const out: ForeignEphemeral[] = [];
  for (const n of snapshot) {
    if (!n.ephemeral) continue;
    const owner = n.ephemeralOwner ?? 'unknown';
    if (mine !== undefined && owner !== 'unknown' && BigInt(owner) === mine) continue;
    out.push({ path: n.sourcePath ?? n.rel, owner });
  }
  return out;
}

/** The first few of a non-empty list, "/a (session 0x1), /b (session 0x2) and 3 more", as a Message. */
export function describeForeignEphemerals(list: readonly ForeignEphemeral[], shown = 3): Message {
  const named = list.slice(0, Math.max(1, shown)).map((e) => msg('{0} (session {1})', e.path, e.owner));
  const all = joinMessages(named, ',');
  return list.length > shown ? msg('{0} and {1} more', all, (list.length - shown).toLocaleString('en')) : all;
}

/** A move stops before any write when the source holds ephemeral nodes of other sessions. */
export function refuseForeignEphemerals(srcPath: string, list: readonly ForeignEphemeral[]): void {
  if (list.length === 0) return;
  throw new ZkError(
    'EPHEMERAL_OWNED',
    list.length === 1
      ? msg(
          'Cannot move {0}: an ephemeral node belongs to another session ({1}), e.g. a live lock or a service registration; moving would delete it. Nothing was moved. Copy instead (the source stays), or move it once its owner has gone.',
          srcPath,
          describeForeignEphemerals(list),
        )
      : msg(
          'Cannot move {0}: {1} ephemeral nodes belong to another session ({2}), e.g. a live lock or a service registration; moving would delete them. Nothing was moved. Copy instead (the source stays), or move it once its owner has gone.',
          srcPath,
          list.length.toLocaleString('en'),
          describeForeignEphemerals(list),
        ),
    { path: list[0].path, op: 'move' },
  );
}

// --- what a recursive delete was confirmed for --------------------------------------------------

export interface DeleteConfirmationCount extends SubtreeCount {
  /** Always true: the count is exact when it was taken (the server's count, or a walk). */
  exact: true;
}

/**
 * The number of nodes a recursive delete of `root` will delete, for the confirmation. Exact on
 * every server: getAllChildrenNumber where the server has it (3.6+), a walk where it does not
 * (older servers answer UNIMPLEMENTED or drop the request; countSubtree is the one place that
 * decides which). Pass the result's `total` to deleteSubtree as `confirmedNodes`.
 */
export async function countForDeleteConfirmation(
  client: SubtreeClient,
  root: string,
  opts: Pick<WalkOptions, 'signal' | 'onProgress' | 'concurrency' | 'maxNodes'> & { timeoutMs?: number } = {},
): Promise<DeleteConfirmationCount> {
  const c = await countSubtree(client, root, opts);
  return { ...c, exact: true };
}

/** The delete's own walk found more nodes than were confirmed: nothing is deleted. */
export function subtreeGrewError(root: string, confirmed: number, found: number): ZkError {
  return new ZkError(
    'SUBTREE_GREW',
    msg(
      'Did not delete {0}: it now has {1} nodes, {2} were confirmed (another client created {3} since). Nothing was deleted: delete again to see and confirm the new count.',
      root,
      found.toLocaleString('en'),
      confirmed.toLocaleString('en'),
      (found - confirmed).toLocaleString('en'),
    ),
    { path: root, op: 'delete' },
  );
}
