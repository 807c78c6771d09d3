// The export format (a JSON document: data as base64, ACLs, a stat summary): writing one from a
// subtree, and checking one read from a file (hostile input). Domain layer: no 'vscode' here.
import { OPEN_ACL_UNSAFE, type ZkAcl } from '../acl';
import { ZkError } from '../errors';
import { parentPath, pathProblem, relativePath } from '../paths';
import { isEphemeral } from '../stat';
import { aclEntryProblem, exportedAcl, type AclExportMode } from '../subtreeAcl';
import { isoTime } from './helpers';
import type { SubtreeClient, SubtreeProgress } from './subtreeClient';
import { sameAcl } from '../acl';
import { walkSubtree, type WalkOptions } from './walk';
import { msg, type Message } from '../message';

export const EXPORT_FORMAT = 'zookeeper-explorer/subtree';
/** Version 2: digest ids redacted (aclMode 'redactDigest'); an older reader must not set them. Otherwise 1. */
export const EXPORT_VERSION = 2;

export interface ExportedStat {
  czxid: string;
  mzxid: string;
  pzxid: string;
  /** ISO 8601; null when the server's time is out of range. */
  ctime: string | null;
  mtime: string | null;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: string;
  ephemeral: boolean;
  dataLength: number;
  numChildren: number;
}

export interface ExportedNode {
  /** Relative to the exported root: '/' is the root itself, '/a/b' below it. */
  path: string;
  /** Base64 of the exact bytes. */
  data: string;
  /** Absent when it could not be read. */
  acl?: ZkAcl[];
  stat: ExportedStat;
}

export interface SubtreeExport {
  format: typeof EXPORT_FORMAT;
  version: 1 | 2;
  /**
   * What the export left out of the ACLs: 'omit' (no ACLs), 'redactDigest' (digest ids as
   * "user:<redacted>": the password hashes are not in the file). Absent: ACLs as read.
   */
  aclMode?: AclExportMode;
  exportedAt: string;
  /** The exported path, as seen by the exporting connection (chroot not included). */
  root: string;
  /** The connection's name, when it has one. */
  source?: string;
  summary: {
    nodes: number;
    dataBytes: number;
    ephemeral: number;
    maxDepth: number;
    /** Nodes whose ACL is not world:anyone:cdrwa. */
    restrictedAcl: number;
  };
  /** Parents before children. */
  nodes: ExportedNode[];
  /** Nodes left out, with their subtrees, because this session could not read them (skipUnreadable). */
  unreadable?: string[];
}

/** Reads a subtree into a JSON-serialisable document: data as base64, ACLs, a stat summary. */
export async function exportSubtree(
  client: SubtreeClient,
  root: string,
  opts: Pick<WalkOptions, 'signal' | 'concurrency' | 'maxNodes' | 'skipUnreadable'> & {
    onProgress?: (p: SubtreeProgress) => void;
    withAcl?: boolean;
    /** ACLs as read (default), left out, or with digest ids redacted. withAcl false is 'omit'. */
    acl?: AclExportMode;
  } = {},
): Promise<SubtreeExport> {
  const aclMode: AclExportMode = opts.withAcl === false ? 'omit' : (opts.acl ?? 'full');
  const walk = await walkSubtree(client, root, {
    withData: true,
    withAcl: true, // also when left out: the summary counts restricted ACLs
    excludeSystem: true,
    skipUnreadable: opts.skipUnreadable,
    signal: opts.signal,
    concurrency: opts.concurrency,
    maxNodes: opts.maxNodes,
    onProgress: opts.onProgress && ((n) => opts.onProgress?.({ phase: 'walk', done: n })),
  });
  let dataBytes = 0;
  let ephemeral = 0;
  let maxDepth = 0;
  let restrictedAcl = 0;
  const nodes = walk.nodes.map((n): ExportedNode => {
    const data = n.data ?? new Uint8Array(0);
    dataBytes += data.byteLength;
    const eph = isEphemeral(n.stat);
    if (eph) ephemeral++;
    if (n.depth > maxDepth) maxDepth = n.depth;
    if (n.acl && !sameAcl(n.acl, OPEN_ACL_UNSAFE)) restrictedAcl++;
    const s = n.stat;
    const out: ExportedNode = {
      path: relativePath(root, n.path),
      data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'),
      stat: {
        czxid: s.czxid,
        mzxid: s.mzxid,
        pzxid: s.pzxid,
        ctime: isoTime(s.ctime),
        mtime: isoTime(s.mtime),
        version: s.version,
        cversion: s.cversion,
        aversion: s.aversion,
        ephemeralOwner: s.ephemeralOwner,
        ephemeral: eph,
        dataLength: s.dataLength,
        numChildren: s.numChildren,
      },
    };
    const acl = n.acl && exportedAcl(n.acl, aclMode);
    if (acl) out.acl = acl;
    return out;
  });
  const doc: SubtreeExport = {
    format: EXPORT_FORMAT,
    version: aclMode === 'redactDigest' ? 2 : 1,
    ...(aclMode === 'full' ? {} : { aclMode }),
    exportedAt: new Date().toISOString(),
    root,
    summary: { nodes: nodes.length, dataBytes, ephemeral, maxDepth, restrictedAcl },
    nodes,
  };
  if (client.options.name) doc.source = client.options.name;
  if (walk.unreadable.length > 0) doc.unreadable = walk.unreadable.map((p) => relativePath(root, p));
  return doc;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Checks a parsed (or JSON text) export and returns it typed, nodes ordered parents first.
 * Throws INVALID_EXPORT saying what is wrong.
 */
export function parseSubtreeExport(input: unknown): SubtreeExport {
  // `why` is a Message: what is wrong, in the user's language (JSON's own words quoted as they are).
  const bad = (why: Message) => new ZkError('INVALID_EXPORT', msg('Not a usable subtree export: {0}', why), { op: 'import' });
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw bad(msg('it is not JSON ({0})', (e as Error).message));
    }
  }
  if (typeof doc !== 'object' || doc === null) throw bad(msg('expected a JSON object'));
  const d = doc as Partial<SubtreeExport>;
  if (d.format === undefined) throw bad(msg('it has no "format" field (an export made by Export Subtree has "format": "{0}")', EXPORT_FORMAT));
  if (d.format !== EXPORT_FORMAT) throw bad(msg('"format" is {0}, expected "{1}"', JSON.stringify(d.format), EXPORT_FORMAT));
  if (typeof d.version === 'number' && Number.isInteger(d.version) && d.version > EXPORT_VERSION) {
    throw bad(msg('format version {0} is not supported: the file was written by a newer ZooKeeper Explorer, this one reads version {1}; update the extension', d.version, EXPORT_VERSION));
  }
  if (d.version !== 1 && d.version !== 2) {
    throw bad(msg('format version {0} is not supported (this version reads {1}); update the extension', String(JSON.stringify(d.version)), EXPORT_VERSION));
  }
  if (d.aclMode !== undefined && d.aclMode !== 'full' && d.aclMode !== 'omit' && d.aclMode !== 'redactDigest') {
    throw bad(msg('"aclMode" is {0}: expected "omit" or "redactDigest"', JSON.stringify(d.aclMode)));
  }
  if (d.aclMode === 'redactDigest' && d.version !== 2) throw bad(msg('"aclMode": "redactDigest" needs format version 2'));
  if (typeof d.root !== 'string' || pathProblem(d.root)) throw bad(msg('"root" must be the exported path, e.g. "/config" (it is {0})', String(JSON.stringify(d.root))));
  if (!Array.isArray(d.nodes) || d.nodes.length === 0) throw bad(msg('"nodes" must be a non-empty array'));
  const seen = new Set<string>();
  const nodes = d.nodes.map((n, i) => {
    if (typeof n !== 'object' || n === null) throw bad(msg('node {0} is not an object', i));
    const at = msg('node {0} ({1})', i, String(JSON.stringify((n as ExportedNode).path)));
    if (typeof n.path !== 'string') throw bad(msg('{0} has no path', at));
    const problem = pathProblem(n.path);
    if (problem) throw bad(msg('{0}: {1}', at, problem));
    if (seen.has(n.path)) throw bad(msg('{0} appears twice', at));
    seen.add(n.path);
    if (typeof n.data !== 'string' || n.data.length % 4 !== 0 || !BASE64.test(n.data)) throw bad(msg('{0}: "data" is not base64', at));
    if (n.acl !== undefined) {
      if (!Array.isArray(n.acl) || n.acl.length === 0) throw bad(msg('{0}: "acl" must be a non-empty array', at));
      for (const a of n.acl) {
        const problem = aclEntryProblem(a, d.aclMode === 'redactDigest');
        if (problem) throw bad(msg('{0}: ACL entry {1}: {2}', at, JSON.stringify(a), problem));
      }
    }
    return n;
  });
  if (!seen.has('/')) throw bad(msg('the exported root (path "/") is missing'));
  for (const n of nodes) {
    if (n.path !== '/' && !seen.has(parentPath(n.path))) throw bad(msg('the parent of {0} is missing', n.path));
  }
  // Parents first, whatever order the file has.
  const depth = (p: string) => (p === '/' ? 0 : p.split('/').length - 1);
  const ordered = nodes.map((n, i) => ({ n, i, d: depth(n.path) })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.n);
  return { ...(d as SubtreeExport), nodes: ordered };
}

