// Importing an export: planning against what exists at the target (no writes), then writing.
// Domain layer: no 'vscode' here.
import type { ZkAcl } from '../acl';
import { assertValidPath, pathUnder, relativePath } from '../paths';
import { aclsSetBy, distinctAcls, isRedactedEntry, refuseLockOut, type AclUse } from '../subtreeAcl';
import type { DefaultAcl } from '../defaultAcl';
import { batchLimits, planBatches } from './batchSizing';
import { parseSubtreeExport, type SubtreeExport } from './exportFormat';
import { guardWrite, throwIfAborted } from './helpers';
import type { SubtreeClient } from './subtreeClient';
import { executeWrite, prepareWrite, type TreeNode, type WriteOptions, type WriteResult } from './treeWrite';
import { msg } from '../message';
function importNodes(doc: SubtreeExport): TreeNode[] {
  return doc.nodes.map(
    (n): TreeNode => {
      // A redacted digest id cannot be set (it is not the hash): such a node gets the default ACL.
      const redacted = !!n.acl?.some(isRedactedEntry);
      return {
        rel: n.path,
        data: new Uint8Array(Buffer.from(n.data, 'base64')),
        acl: redacted ? undefined : n.acl,
        aclRedacted: redacted || undefined,
        ephemeral: n.stat?.ephemeral === true,
      };
    },
  );
}

/** What an import would do, against what exists at the target now: made by planImport, no writes. */
export interface ImportPlan {
  target: string;
  /** The checked export, parents first: what to give importSubtree. */
  doc: SubtreeExport;
  /** Nodes in the export. */
  nodes: number;
  /** Bytes of data in the export. */
  dataBytes: number;
  /**
   * Target paths of the export's nodes that exist already (importing '/' into '/' does not count:
   * the root always exists). With the conflict policy 'fail' nothing would be written.
   */
  existing: string[];
  /** Missing ancestors of the target, top first: an import with createParents creates them (empty). */
  missingParents: string[];
  /** Target paths of nodes to create that were ephemeral when exported: they are written as persistent. */
  ephemeral: string[];
  /** Multi requests for the nodes that do not exist yet (and the missing parents). */
  batches: number;
  /** Those fit in one multi: all or nothing. */
  atomic: boolean;
  /** The distinct ACLs the import sets (created nodes, and existing ones with 'overwrite'), each lock-out checked. */
  acls: AclUse[];
  /** Same, when the file's ACLs are ignored (every new node gets the default ACL). */
  aclsIgnoringFile: AclUse[];
  /** What new nodes without an ACL of their own get. */
  defaultAcl: DefaultAcl;
  /** Target paths whose ACL in the file was redacted (digest ids): they get the default ACL. */
  aclRedacted: string[];
  /** Nodes of the file with an ACL. */
  withAcl: number;
}

/**
 * Checks an export and the target before an import: which nodes exist already, which parents are
 * missing, whether it is one transaction. Refuses a read-only target (before any request), a
 * document that is not a usable export (INVALID_EXPORT) and a node too large to write
 * (DATA_TOO_LARGE).
 */
export async function planImport(
  client: SubtreeClient,
  targetPath: string,
  exported: SubtreeExport | string,
  opts: Omit<WriteOptions, 'conflict' | 'createParents' | 'onProgress'> = {},
): Promise<ImportPlan> {
  assertValidPath(targetPath, 'import to');
  guardWrite(client, 'import to', targetPath);
  const doc = parseSubtreeExport(exported);
  const nodes = importNodes(doc);
  const prepared = await prepareWrite(client, targetPath, nodes, { ...opts, conflict: 'skip', createParents: true }, 'import to');
  // The ACLs 'overwrite' would set on the nodes that exist, and what ignoring the file's ACLs sets.
  const existingRel = new Set(prepared.skipped.map((p) => relativePath(targetPath, p)));
  const overwritten = nodes.filter((n) => existingRel.has(n.rel) && n.acl && !(targetPath === '/' && n.rel === '/'));
  const acls = distinctAcls(
    [...aclsSetBy(prepared.ops), ...overwritten.map((n) => ({ path: pathUnder(targetPath, n.rel), acl: n.acl as ZkAcl[] }))],
    opts.identities,
  );
  const aclsIgnoringFile = distinctAcls(
    prepared.ops.filter((o) => o.type === 'create').map((o) => ({ path: o.path, acl: prepared.defaultAcl.acl })),
    opts.identities,
  );
  const batches = planBatches(prepared.ops, (o) => o.bytes, batchLimits(client, opts)).length;
  return {
    target: targetPath,
    doc,
    nodes: nodes.length,
    dataBytes: nodes.reduce((n, x) => n + x.data.byteLength, 0),
    existing: prepared.skipped.filter((p) => !(targetPath === '/' && p === '/')),
    missingParents: prepared.parentsCreated,
    ephemeral: prepared.ephemeral,
    batches,
    atomic: batches <= 1,
    acls,
    aclsIgnoringFile,
    defaultAcl: prepared.defaultAcl,
    aclRedacted: prepared.aclRedacted,
    withAcl: doc.nodes.filter((n) => n.acl).length,
  };
}

export interface ImportResult extends WriteResult {
  /** The exported root the document came from. */
  exportedRoot: string;
}

/**
 * Writes an export under targetPath (the exported root becomes targetPath). Conflict policy:
 * 'fail' (default: nothing is written when anything exists), 'skip' (existing nodes kept as they
 * are), 'overwrite' (their data, and ACL unless copyAcl is false, replaced; nodes that exist
 * only at the target are left alone). Refuses a read-only target before any request.
 */
export async function importSubtree(client: SubtreeClient, targetPath: string, exported: SubtreeExport | string, opts: WriteOptions = {}): Promise<ImportResult> {
  const started = Date.now();
  assertValidPath(targetPath, 'import to');
  guardWrite(client, 'import to', targetPath);
  const doc = parseSubtreeExport(exported);
  throwIfAborted(opts.signal, msg('Cancelled: nothing was imported'), targetPath);
  const nodes = importNodes(doc);
  const prepared = await prepareWrite(client, targetPath, nodes, opts, 'import to');
  if (!opts.acceptLockOut) refuseLockOut(prepared.acls, targetPath, 'import to');
  const r = await executeWrite(client, targetPath, prepared, nodes.length, opts, 'import', started);
  return { ...r, exportedRoot: doc.root };
}

