// The save conversation of a znode document, start to end: prepare the editor's bytes, check an
// ACL for lock-out, write against the version the edit is based on, and when the server says no,
// ask the user (through SaveDecisions) what to do: overwrite a newer version, recreate a deleted
// node, save an ACL that locks them out. The adapter resolves the document, calls saveDocument and
// maps the result; it decides nothing.
//
// Rules:
// - Nothing is written without a version: an overwrite goes against exactly the state the user was
//   shown, so a third change in between is asked about again.
// - A save the user did not start (auto save, another extension) never asks: it ends as notSaved.
// - A decision "no" is not an error: it ends as notSaved with reason and a calm message.
import type { ZkAcl } from './acl';
import type { LockOutReport } from './aclEdit';
import { ZkError } from './errors';
import { type NodeDocument, type NodeDocumentClient, type PreparedWrite, type Snapshot, type WriteOutcome } from './nodeDocument';
import type { ZnodeStat } from './stat';
import { assertDirectWriteAllowed } from './systemNodes';
import { msg, renderMessage } from './message';
import { english, type Translate } from './localize';

/** The questions a save may put to the user (the port the editor adapter implements). */
export interface SaveDecisions {
  /** The server has a newer state than the one the edit is based on. Nothing was written yet. */
  conflict(question: ConflictQuestion): Promise<'overwrite' | 'cancel'>;
  /** The node was deleted while the document was open. */
  deleted(question: DeletedQuestion): Promise<'recreate' | 'cancel'>;
  /** The new ACL would lock this session out; true = save anyway. */
  lockOut(question: { doc: NodeDocument; report: LockOutReport }): Promise<boolean>;
}

export interface ConflictQuestion {
  doc: NodeDocument;
  /** The version the write went against (-1: the user expected the node not to exist). */
  expectedVersion: number;
  theirs: Snapshot;
}

export interface DeletedQuestion {
  doc: NodeDocument;
  /** What a recreation would set. */
  acl: ZkAcl[];
  /** The node was ephemeral (it comes back persistent). */
  wasEphemeral: boolean;
}

export interface SaveOptions {
  /** The user started this save: questions may be asked. */
  interactive: boolean;
  /** Whether an ACL would lock this session out (ACL view only). */
  checkLockOut?: (acl: ZkAcl[]) => Promise<LockOutReport | undefined>;
  /** Without a document session (a Save As onto a zk: URI): whether a missing node may be created / an existing one replaced. */
  create?: boolean;
  overwrite?: boolean;
  /** Words the not-saved messages (the adapter passes vscode.l10n.t); English by default. */
  t?: Translate;
}

export type NotSavedReason = 'cancelled' | 'conflict' | 'deleted' | 'recreateDeclined' | 'lockOutDeclined';

export type SaveResult =
  | { kind: 'saved'; stat: ZnodeStat; prepared: PreparedWrite; storedAcl?: ZkAcl[] }
  /** Nothing was written, deliberately or because the user has to decide: `message` says which, calmly. */
  | { kind: 'notSaved'; reason: NotSavedReason; message: string };

/**
 * Saves `content` (the editor's bytes) to the document's node. Throws a ZkError for what is wrong
 * with the content (INVALID_ARGUMENT, DATA_TOO_LARGE: nothing sent) or the session (NOAUTH, lost
 * connection...). Without a document session: NODEEXISTS / NONODE when `overwrite` / `create` forbid it.
 */
export async function saveDocument(
  doc: NodeDocument,
  client: NodeDocumentClient,
  content: Uint8Array,
  decisions: SaveDecisions,
  options: SaveOptions,
): Promise<SaveResult> {
  const t = options.t ?? english;
  const prepared = doc.prepare(content, client);
  // ZkClient refuses this write too; checked here first so a save never reaches the conflict or recreate questions
  if (prepared.kind === 'data') assertDirectWriteAllowed(client.toServerPath(doc.path), 'setData');
  const where = t('{0} on "{1}"', doc.path, doc.connection);
  if (prepared.kind === 'acl' && options.checkLockOut) {
    const report = await options.checkLockOut(prepared.acl);
    if (report && !(options.interactive && (await decisions.lockOut({ doc, report })))) {
      return { kind: 'notSaved', reason: 'lockOutDeclined', message: t('Not saved: {0} You chose not to save this ACL.', renderMessage(report.localized, t)) };
    }
  }
  let outcome = await firstWrite(doc, client, prepared, options);
  for (;;) {
    switch (outcome.kind) {
      case 'saved':
        return { kind: 'saved', stat: outcome.stat, prepared, storedAcl: outcome.storedAcl };
      case 'deleted': {
        if (doc.view === 'acl') {
          return { kind: 'notSaved', reason: 'deleted', message: t('Not saved: {0} was deleted on "{1}": there is no ACL to change.', doc.path, doc.connection) };
        }
        if (!options.interactive) {
          return {
            kind: 'notSaved',
            reason: 'deleted',
            message: t(
              'Not saved: {0} was deleted on "{1}" while you were editing it. Save with Ctrl+S (Cmd+S) to choose whether to recreate it; your text is still in the editor.',
              doc.path,
              doc.connection,
            ),
          };
        }
        const origin = doc.originInfo;
        const choice = await decisions.deleted({ doc, acl: await doc.recreateAcl(client), wasEphemeral: origin?.ephemeral ?? false });
        if (choice !== 'recreate') {
          return { kind: 'notSaved', reason: 'recreateDeclined', message: t('Not saved: {0} stays deleted on "{1}". Your text is still in the editor.', doc.path, doc.connection) };
        }
        outcome = await doc.recreate(client, prepared);
        break;
      }
      case 'conflict': {
        const { expectedVersion, theirs } = outcome;
        const expected =
          expectedVersion < 0
            ? t('you expected it not to exist')
            : doc.view === 'acl'
              ? t('your edit is based on ACL version {0}', expectedVersion)
              : t('your edit is based on version {0}', expectedVersion);
        const versions = t('{0}, the server has version {1} now', expected, theirs.version);
        if (!options.interactive) {
          return {
            kind: 'notSaved',
            reason: 'conflict',
            message: t('Not saved: {0} was changed by someone else ({1}). Nothing was written. Save with Ctrl+S (Cmd+S) to compare the two and choose.', where, versions),
          };
        }
        const choice = await decisions.conflict({ doc, expectedVersion, theirs });
        if (choice !== 'overwrite') {
          return { kind: 'notSaved', reason: 'cancelled', message: t("Not saved: you kept the server's version of {0}; your changes are still in the editor.", doc.path) };
        }
        // Overwrite exactly the state the user was shown: if it changed again, ask again.
        outcome = await doc.commit(client, prepared, theirs.version);
        break;
      }
    }
  }
}

/** The first write: against the base, or (no document session) as a new file. */
async function firstWrite(doc: NodeDocument, client: NodeDocumentClient, prepared: PreparedWrite, options: SaveOptions): Promise<WriteOutcome> {
  const plan = doc.plan();
  if (plan) return doc.commit(client, prepared, plan.version);
  const stat = await client.exists(doc.path);
  if (stat) {
    if (!options.overwrite) throw new ZkError('NODEEXISTS', msg('{0} already exists on "{1}"', doc.path, doc.connection), { path: doc.path });
    return doc.commit(client, prepared, doc.view === 'acl' ? stat.aversion : stat.version);
  }
  if (!options.create || doc.view === 'acl') throw new ZkError('NONODE', msg('{0} does not exist on "{1}"', doc.path, doc.connection), { path: doc.path });
  return doc.recreate(client, prepared);
}
