// The JSON of Export Subtree… to a tree (and so to a folder) and back: the same nodes, data byte
// for byte, ACLs (a redacted digest ACL is left out: it cannot be set), modes and versions.
// Domain layer: no 'vscode' here.
import { isRedactedEntry } from '../subtreeAcl';
import { EXPORT_FORMAT, parseSubtreeExport, type ExportedNode, type SubtreeExport } from '../subtree';
import { modeOfOwner, relDepth, type ConfigTree, type NodeMeta } from './configTree';

/** A tree from an export (checked by parseSubtreeExport: INVALID_EXPORT when it is not usable). */
export function treeFromExport(input: SubtreeExport | string | unknown): ConfigTree {
  const doc = parseSubtreeExport(input);
  const tree: ConfigTree = {
    source: { root: doc.root, pulledAt: doc.exportedAt, ...(doc.source ? { connection: doc.source } : {}) },
    nodes: doc.nodes.map((n) => {
      const owner = typeof n.stat?.ephemeralOwner === 'string' ? n.stat.ephemeralOwner : '0x0';
      const m = modeOfOwner(owner);
      // Exports of old versions may lack the owner but say ephemeral.
      const mode = m.mode === 'persistent' && n.stat?.ephemeral === true ? 'ephemeral' : m.mode;
      const meta: NodeMeta = { mode };
      if (m.ttlMs !== undefined) meta.ttlMs = m.ttlMs;
      if (mode === 'ephemeral' && owner !== '0x0') meta.ephemeralOwner = owner;
      if (n.acl && !n.acl.some(isRedactedEntry)) meta.acl = n.acl.map((a) => ({ perms: a.perms, scheme: a.scheme, id: a.id }));
      if (Number.isSafeInteger(n.stat?.version)) meta.version = n.stat.version;
      if (Number.isSafeInteger(n.stat?.aversion)) meta.aversion = n.stat.aversion;
      return { rel: n.path, data: new Uint8Array(Buffer.from(n.data, 'base64')), meta };
    }),
  };
  if (doc.unreadable) tree.unreadable = doc.unreadable;
  return tree;
}

const TTL_BIT = 0xff00000000000000n;

function ownerOf(meta: NodeMeta | undefined): string {
  if (!meta) return '0x0';
  if (meta.mode === 'container') return '0x8000000000000000';
  if (meta.mode === 'ttl') return '0x' + (TTL_BIT | BigInt(meta.ttlMs ?? 0)).toString(16);
  if (meta.mode === 'ephemeral') return meta.ephemeralOwner ?? '0x1';
  return '0x0';
}

/**
 * An export document of a tree (what Import Subtree… reads). Stats the folder does not know
 * (zxids, times) are zero and null; data versions are the pulled ones.
 */
export function exportFromTree(tree: ConfigTree, opts: { root?: string; source?: string } = {}): SubtreeExport {
  let dataBytes = 0;
  let ephemeral = 0;
  let maxDepth = 0;
  let restrictedAcl = 0;
  const childCount = new Map<string, number>();
  for (const n of tree.nodes) {
    if (n.rel === '/') continue;
    const parent = n.rel.slice(0, n.rel.lastIndexOf('/')) || '/';
    childCount.set(parent, (childCount.get(parent) ?? 0) + 1);
  }
  const nodes = tree.nodes.map((n): ExportedNode => {
    dataBytes += n.data.byteLength;
    const eph = n.meta?.mode === 'ephemeral';
    if (eph) ephemeral++;
    maxDepth = Math.max(maxDepth, relDepth(n.rel));
    const acl = n.meta?.acl;
    if (acl && !(acl.length === 1 && acl[0].scheme === 'world' && acl[0].id === 'anyone' && acl[0].perms === 31)) restrictedAcl++;
    const out: ExportedNode = {
      path: n.rel,
      data: Buffer.from(n.data.buffer, n.data.byteOffset, n.data.byteLength).toString('base64'),
      stat: {
        czxid: '0x0',
        mzxid: '0x0',
        pzxid: '0x0',
        ctime: null,
        mtime: null,
        version: n.meta?.version ?? 0,
        cversion: 0,
        aversion: n.meta?.aversion ?? 0,
        ephemeralOwner: ownerOf(n.meta),
        ephemeral: eph,
        dataLength: n.data.byteLength,
        numChildren: childCount.get(n.rel) ?? 0,
      },
    };
    if (acl) out.acl = acl.map((a) => ({ ...a }));
    return out;
  });
  const doc: SubtreeExport = {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: new Date().toISOString(),
    root: opts.root ?? tree.source?.root ?? '/',
    summary: { nodes: nodes.length, dataBytes, ephemeral, maxDepth, restrictedAcl },
    nodes,
  };
  const source = opts.source ?? tree.source?.connection;
  if (source) doc.source = source;
  if (tree.unreadable && tree.unreadable.length > 0) doc.unreadable = tree.unreadable;
  return doc;
}
