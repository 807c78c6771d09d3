// What the user reads around subtree export, import, copy and move: file names, previews,
// summaries, half-way reports, and the reading of an export file. Plain functions ('vscode' only for l10n.t)
// so that they are unit-tested in plain Node; the commands that show them are in exportImport.ts
// and treeDragAndDrop.ts.
import * as vscode from 'vscode';
import { OPEN_ACL_UNSAFE } from '../zk/acl';
import { formatBytes } from '../zk/bytes';
import { isZkError } from '../zk/errors';
import { baseName, joinPath } from '../zk/paths';
import { describeAcl, type AclExportMode, type AclUse } from '../zk/subtreeAcl';
import { parseSubtreeExport, type ConflictPolicy, type ImportPlan, type ImportResult, type IncompleteReport, type SubtreeExport } from '../zk/subtree';
import { errorMessage } from '../ui/registerCommand';
import { localized } from '../ui/localized';
import { localizable } from '../zk/localize';

const l10n = vscode.l10n;
const num = (n: number): string => n.toLocaleString('en');
/** "1 node" / "3 nodes", in the user's language. */
const nodes = (n: number): string => (n === 1 ? l10n.t('1 node') : l10n.t('{0} nodes', num(n)));

// --- export ----------------------------------------------------------------------------------

/** "alpha-config-app.json" for /config/app on "alpha", "alpha.json" for the whole tree; safe on every OS. */
export function defaultExportFileName(connectionName: string, path: string): string {
  const parts = [connectionName, ...path.split('/').filter(Boolean)];
  const name = parts
    .join('-')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^[.\-_]+/, '')
    .slice(0, 120);
  return `${name || 'zookeeper'}.json`;
}

/** The export file's text: the domain's JSON document (data in base64), indented, with a final newline. */
export function exportFileText(doc: SubtreeExport): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** What an export wrote, in one sentence or three. */
export function exportSummary(doc: SubtreeExport, connectionName: string, fileName: string): string {
  const parts = [l10n.t('Exported {0} ({1} of data) from {2} on "{3}" to {4}.', nodes(doc.summary.nodes), formatBytes(doc.summary.dataBytes), doc.root, connectionName, fileName)];
  const eph = doc.summary.ephemeral;
  if (eph > 0) parts.push(eph === 1 ? l10n.t('1 ephemeral node included: an import creates it as a persistent node.') : l10n.t('{0} ephemeral nodes included: an import creates them as persistent nodes.', num(eph)));
  if (doc.aclMode === 'omit') parts.push(l10n.t('ACLs left out.'));
  if (doc.aclMode === 'redactDigest') parts.push(l10n.t('Digest ids redacted (no password hashes in the file).'));
  const unreadable = doc.unreadable ?? [];
  if (unreadable.length > 0) {
    const first = joinRel(doc.root, unreadable[0]);
    parts.push(unreadable.length === 1 ? l10n.t('1 unreadable node left out with its subtree (first: {0}).', first) : l10n.t('{0} unreadable nodes left out with their subtrees (first: {1}).', num(unreadable.length), first));
  }
  return parts.join(' ');
}

/** The quick pick of what an export does with ACLs, asked when some ACL is not world:anyone:cdrwa; digest entries get a warning. */
export function exportAclQuestion(
  counts: { digest: number; restricted: number },
  root: string,
): { title: string; placeholder: string; items: { label: string; description: string; detail: string; mode: AclExportMode }[] } {
  const digest = counts.digest > 0;
  const redact = { label: vscode.l10n.t('Redact digest ids'), description: vscode.l10n.t('recommended'), detail: vscode.l10n.t('Keep the ACLs, with each password hash replaced by <redacted>: an import gives those nodes the default ACL.'), mode: 'redactDigest' as const };
  const omit = { label: vscode.l10n.t('Without ACLs'), description: '', detail: vscode.l10n.t('Leave every ACL out: an import gives every node the default ACL of the target.'), mode: 'omit' as const };
  const full = {
    label: digest ? vscode.l10n.t('Include the password hashes') : vscode.l10n.t('Include the ACLs'),
    description: '',
    detail: digest
      ? vscode.l10n.t('Anyone who gets the file can try to recover the passwords from the hashes offline (unsalted SHA-1).')
      : vscode.l10n.t('Write every ACL as it is.'),
    mode: 'full' as const,
  };
  return {
    title: digest
      ? counts.digest === 1
        ? vscode.l10n.t('1 node under {0} has digest ACL entries: their ids hold password hashes (unsalted SHA-1)', root)
        : vscode.l10n.t('{0} nodes under {1} have digest ACL entries: their ids hold password hashes (unsalted SHA-1)', counts.digest.toLocaleString('en'), root)
      : counts.restricted === 1
        ? vscode.l10n.t('1 node under {0} has a restricted ACL', root)
        : vscode.l10n.t('{0} nodes under {1} have a restricted ACL', counts.restricted.toLocaleString('en'), root),
    placeholder: vscode.l10n.t('What should the export file hold of the ACLs?'),
    items: digest ? [redact, omit, full] : [full, omit],
  };
}

/** The modal asked when some nodes could not be read with the connection's credentials. */
export function unreadableQuestion(doc: SubtreeExport, connectionName: string): { message: string; detail: string } {
  const unreadable = doc.unreadable ?? [];
  return {
    message: vscode.l10n.t('{0} under {1} cannot be read with the credentials of "{2}". Export the other {3} without them?', nodes(unreadable.length), doc.root, connectionName, nodes(doc.summary.nodes)),
    detail:
      vscode.l10n.t('Left out, with everything below them: {0}{1}. ', unreadable.slice(0, 5).map((p) => joinRel(doc.root, p)).join(', '), unreadable.length > 5 ? ', …' : '') +
      vscode.l10n.t('Add digest credentials that their ACL grants to the connection to export them too.'),
  };
}

// --- import ----------------------------------------------------------------------------------

/**
 * The largest export file an import reads (256 MiB): the file is decoded to one string and parsed
 * to one document in memory; past ~512 MiB a string cannot even hold it (V8's limit).
 */
export const MAX_IMPORT_FILE_BYTES = 256 * 1024 * 1024;

/** Refuses, before reading it, an export file larger than the import can hold; says both sizes. */
export function importFileSizeProblem(size: number, fileName: string, max = MAX_IMPORT_FILE_BYTES): string | undefined {
  if (size <= max) return undefined;
  return l10n.t('Cannot import {0}: the file has {1} ({2} bytes), more than an import reads ({3}). Nothing was imported. Export a smaller subtree and import the parts one by one.', fileName, formatBytes(size), num(size), formatBytes(max));
}

/**
 * Reads an export file: refuses, saying why, a file that is empty, not text, not JSON, JSON that
 * is not an export, an export of a newer format version, or a damaged one.
 */
export function parseExportFile(bytes: Uint8Array, fileName: string): SubtreeExport {
  const refuse = (why: string) => new Error(vscode.l10n.t('Cannot import {0}: {1}. Nothing was imported.', fileName, why));
  if (bytes.byteLength === 0) throw refuse(l10n.t('the file is empty'));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw refuse(l10n.t('it is not a text file (not UTF-8), so not a subtree export'));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return parseSubtreeExport(text);
  } catch (e) {
    if (isZkError(e, 'INVALID_EXPORT')) throw refuse(errorMessage(e));
    throw e;
  }
}

/**
 * Where an import goes by default: from a connection row (or the palette), the path it was
 * exported from; from a znode row, below that node (a whole-tree export: into that node).
 */
export function defaultImportTarget(exportedRoot: string, row?: { path: string; kind?: string }): string {
  if (!row || row.kind === 'connection' || row.path === '/') return exportedRoot;
  return exportedRoot === '/' ? row.path : joinPath(row.path, baseName(exportedRoot));
}

// The "ignore the file's ACLs" buttons must not contain the other labels (the e2e driver finds buttons by substring).
// The English labels are the bundle's keys: the buttons show them through l10n.t, and the answer is compared with that.
export const IMPORT_CHOICES = {
  import: localizable('Import'),
  importNoAcl: localizable('Import, Ignore File ACLs'),
  skip: localizable('Skip existing'),
  skipNoAcl: localizable('Add New Only, Ignore File ACLs'),
  overwrite: localizable('Overwrite'),
  overwriteNoAcl: localizable('Replace Data, Ignore File ACLs'),
} as const;

/** The conflict policy of the button pressed in the preview; undefined: cancelled. */
export function conflictOfChoice(choice: string | undefined): ConflictPolicy | undefined {
  return importChoice(choice)?.conflict;
}

/** What the button pressed in the preview asks for: the conflict policy, and whether the file's ACLs are written. */
export function importChoice(choice: string | undefined): { conflict: ConflictPolicy; copyAcl: boolean } | undefined {
  const english = (Object.values(IMPORT_CHOICES) as string[]).find((c) => l10n.t(c) === choice);
  switch (english) {
    case IMPORT_CHOICES.import:
      return { conflict: 'fail', copyAcl: true }; // nothing existed when checked: a node created meanwhile stops it before any write
    case IMPORT_CHOICES.importNoAcl:
      return { conflict: 'fail', copyAcl: false };
    case IMPORT_CHOICES.skip:
      return { conflict: 'skip', copyAcl: true };
    case IMPORT_CHOICES.skipNoAcl:
      return { conflict: 'skip', copyAcl: false };
    case IMPORT_CHOICES.overwrite:
      return { conflict: 'overwrite', copyAcl: true };
    case IMPORT_CHOICES.overwriteNoAcl:
      return { conflict: 'overwrite', copyAcl: false };
    default:
      return undefined;
  }
}

/** The ACL lines of the preview: the distinct ACLs, the lock-out verdicts, the default ACL, redacted entries. */
export function importAclLines(plan: ImportPlan): string[] {
  const lines: string[] = [];
  const list = (uses: readonly AclUse[]) =>
    uses
      .slice(0, 6)
      .map((u) => `  • ${u.lockOut ? l10n.t('{0} on {1} ⚠ locks you out: {2}', describeAcl(u.acl), nodes(u.nodes), localized(u.lockOut)) : l10n.t('{0} on {1}', describeAcl(u.acl), nodes(u.nodes))}`)
      .concat(uses.length > 6 ? [`  • ${uses.length - 6 === 1 ? l10n.t('and 1 other ACL') : l10n.t('and {0} other ACLs', num(uses.length - 6))}`] : []);
  if (plan.acls.length > 0) {
    const distinct = plan.acls.length === 1 ? l10n.t('1 distinct ACL') : l10n.t('{0} distinct ACLs', num(plan.acls.length));
    lines.push(l10n.t('ACLs this import sets ({0}; Overwrite also sets them on existing nodes):', distinct), ...list(plan.acls));
  }
  lines.push(l10n.t('New nodes without an ACL in the file get the default ACL: {0}.', plan.defaultAcl.description));
  if (plan.aclRedacted.length > 0) {
    lines.push(
      plan.aclRedacted.length === 1
        ? l10n.t('1 node has digest ids redacted in the file (the password hashes were left out): their ACL is not set, they get the default ACL (first: {0}).', plan.aclRedacted[0])
        : l10n.t('{0} nodes have digest ids redacted in the file (the password hashes were left out): their ACL is not set, they get the default ACL (first: {1}).', num(plan.aclRedacted.length), plan.aclRedacted[0]),
    );
  }
  if (plan.withAcl > 0) {
    const ignoring = plan.aclsIgnoringFile.filter((u) => u.lockOut);
    lines.push(
      ignoring.length > 0
        ? l10n.t('"Ignore File ACLs" writes every new node with the default ACL and leaves the ACLs of existing nodes as they are (⚠ the default ACL also locks you out: {0}).', localized(ignoring[0].lockOut ?? ''))
        : l10n.t('"Ignore File ACLs" writes every new node with the default ACL and leaves the ACLs of existing nodes as they are.'),
    );
  }
  return lines;
}

/** The modal preview of an import: the question, what will happen, and the buttons (Cancel is VS Code's own). */
export function importPreview(plan: ImportPlan, connectionName: string, fileName: string): { message: string; detail: string; choices: string[]; warn: boolean } {
  const doc = plan.doc;
  const from = doc.source ? l10n.t('"{0}" {1}', doc.source, doc.root) : doc.root;
  const message = l10n.t('Import {0} ({1}) from {2} into {3} on "{4}"?', nodes(plan.nodes), formatBytes(plan.dataBytes), from, plan.target, connectionName);
  const lines: string[] = [];
  lines.push(
    /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(doc.exportedAt ?? '')
      ? l10n.t('From {0}, exported on {1} UTC.', fileName, doc.exportedAt.slice(0, 16).replace('T', ' '))
      : l10n.t('From {0}, exported.', fileName),
  );
  if (plan.existing.length > 0) {
    lines.push(
      plan.existing.length === 1
        ? l10n.t('1 of these nodes already exists on "{0}" (first: {1}). Skip existing keeps them as they are; Overwrite replaces their data and ACL. Nodes that exist only on "{0}" are left alone.', connectionName, plan.existing[0])
        : l10n.t('{0} of these nodes already exist on "{1}" (first: {2}). Skip existing keeps them as they are; Overwrite replaces their data and ACL. Nodes that exist only on "{1}" are left alone.', num(plan.existing.length), connectionName, plan.existing[0]),
    );
  }
  if (plan.missingParents.length > 0) {
    lines.push(plan.missingParents.length === 1 ? l10n.t('Missing parent created first, empty: {0}.', plan.missingParents[0]) : l10n.t('Missing parents created first, empty: {0}.', plan.missingParents.join(', ')));
  }
  if (plan.ephemeral.length > 0) {
    lines.push(plan.ephemeral.length === 1 ? l10n.t('1 node was ephemeral when exported: created as persistent.') : l10n.t('{0} nodes were ephemeral when exported: created as persistent.', num(plan.ephemeral.length)));
  }
  const restricted = doc.nodes.filter((n) => n.acl && !isOpenAcl(n.acl)).length;
  if (restricted > 0) {
    lines.push(restricted === 1 ? l10n.t("1 node has a restricted ACL in the file: written with it unless you ignore the file's ACLs.") : l10n.t("{0} nodes have a restricted ACL in the file: written with it unless you ignore the file's ACLs.", num(restricted)));
  }
  lines.push(...importAclLines(plan));
  const toCreate = plan.nodes - plan.existing.length;
  if (toCreate > 0 || plan.missingParents.length > 0) {
    lines.push(plan.atomic ? l10n.t('New nodes are written in one atomic transaction.') : l10n.t('New nodes are written in {0} batches (not atomic: a failure half-way is reported).', plan.batches));
  }
  const withAcl = plan.existing.length > 0 ? [IMPORT_CHOICES.skip, IMPORT_CHOICES.overwrite] : [IMPORT_CHOICES.import];
  const noAcl = plan.existing.length > 0 ? [IMPORT_CHOICES.skipNoAcl, IMPORT_CHOICES.overwriteNoAcl] : [IMPORT_CHOICES.importNoAcl];
  const choices: string[] = (plan.withAcl > 0 ? [...withAcl, ...noAcl] : withAcl).map((c) => l10n.t(c));
  const lockOut = plan.acls.some((u) => u.lockOut);
  return { message, detail: lines.join('\n'), choices, warn: lockOut };
}

/** What an import did. */
export function importReport(r: ImportResult, connectionName: string): string {
  const skipped = r.skipped.filter((p) => !(r.target === '/' && p === '/'));
  const parts = [l10n.t('Imported into {0} on "{1}": {2} created, {3} skipped (existing), {4} overwritten.', r.target, connectionName, num(r.created), num(skipped.length), num(r.updated))];
  if (r.parentsCreated.length > 0) parts.push(r.parentsCreated.length === 1 ? l10n.t('Created the missing parent {0}.', r.parentsCreated[0]) : l10n.t('Created the missing parents {0}.', r.parentsCreated.join(', ')));
  if (r.ephemeralAsPersistent.length > 0) parts.push(r.ephemeralAsPersistent.length === 1 ? l10n.t('1 ephemeral node written as persistent.') : l10n.t('{0} ephemeral nodes written as persistent.', num(r.ephemeralAsPersistent.length)));
  if (r.aclsSet > 0) parts.push(r.aclsSet === 1 ? l10n.t('1 ACL of existing nodes replaced.') : l10n.t('{0} ACLs of existing nodes replaced.', num(r.aclsSet)));
  return parts.join(' ');
}

// --- stopped half-way (copy, move, import, delete) -------------------------------------------

/** The domain's message of a subtree operation that stopped half-way, followed by its counts. */
export function incompleteMessage(e: { message: string; report: IncompleteReport }): string {
  const r = e.report;
  const del = r.operation === 'delete';
  const counts = del
    ? vscode.l10n.t('Deleted: {0}, left: {1}', r.completed.toLocaleString('en'), r.remaining.toLocaleString('en'))
    : vscode.l10n.t('Written: {0}, not written: {1}', r.completed.toLocaleString('en'), r.remaining.toLocaleString('en'));
  const uncertain = r.uncertain ? vscode.l10n.t(', unknown: {0}', r.uncertain.toLocaleString('en')) : '';
  const first = r.remainingPaths[0] ? (del ? vscode.l10n.t(' (first left: {0})', r.remainingPaths[0]) : vscode.l10n.t(' (first not written: {0})', r.remainingPaths[0])) : '';
  return `${errorMessage(e).replace(/[.。]\s*$/, '')}. ${counts}${uncertain}${first}`;
}

// --- helpers ---------------------------------------------------------------------------------

function joinRel(root: string, rel: string): string {
  if (rel === '/') return root;
  return root === '/' ? rel : root + rel;
}

function isOpenAcl(acl: readonly { perms: number; scheme: string; id: string }[]): boolean {
  const open = OPEN_ACL_UNSAFE[0];
  return acl.length === 1 && acl[0].perms === open.perms && acl[0].scheme === open.scheme && acl[0].id === open.id;
}
