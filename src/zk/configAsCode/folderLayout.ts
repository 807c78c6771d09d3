// The folder layout of a subtree (issue 19):
//  - a node without children is a file holding its data byte for byte (an empty file for empty
//    data); a node with children (and the root) is a folder, its own data in `.znode-data` (plus
//    an extension) when it has any;
//  - text gets its natural extension when the node's name has none and the content is JSON, YAML,
//    XML or properties (`brokers/ids/1` -> `1.json`), so editors open it with its language;
//  - names are escaped (nameEscape.ts) so that every OS can hold them;
//  - one `.znode.json` per folder records the folder node's own ACL, mode and pulled versions, and
//    for each file the node name it stands for (the added extension, a shortened name) and the same
//    facts: that is what makes the mapping reversible.
// A file or folder added by hand is a new node named by decoding its name (no extension removed).
// Domain layer: no 'vscode' here.
import { decodeUtf8Strict, detectLanguageFromContent, isValidUtf8 } from '../codecs';
import { ZkError } from '../errors';
import { joinPath, parentPath, segmentProblem } from '../paths';
import { aclEntryProblem } from '../subtreeAcl';
import { relName, type ConfigNode, type ConfigTree, type NodeMeta, type TreeSource } from './configTree';
import { FileTooLargeError, type FolderPort } from './folderPort';
import { DATA_FILE_PREFIX, decodeName, META_FILE, siblingFileNames, TOOL_FILES } from './nameEscape';
import { Slices } from './turns';
import { msg, type Message } from '../message';

export const FOLDER_FORMAT = 'zookeeper-explorer/folder';
export const FOLDER_VERSION = 1;
/** Largest file read as a node's data (ZooKeeper's own limit is about 1 MiB unless raised). */
export const MAX_NODE_FILE_BYTES = 64 * 1024 * 1024;
const MAX_META_BYTES = 64 * 1024 * 1024;
/**
 * Files read or written at once (the node:fs port sends those asked in one turn to its worker in
 * one message). 128 measured slower than 32 on the loaded bench machine.
 */
export const FILES_IN_FLIGHT = 32;

/** The metadata file of one folder. */
export interface FolderMeta {
  format: typeof FOLDER_FORMAT;
  version: typeof FOLDER_VERSION;
  /** The top folder only. */
  source?: TreeSource;
  /** The top folder only: nodes (rel) not pulled because this session could not read them. */
  unreadable?: string[];
  /** The folder's own node: `name` absent at the top; `dataFile` absent when it has no data. */
  node: NodeMeta & { name?: string; dataFile?: string };
  /** File name -> the node it stands for. */
  files: Record<string, NodeMeta & { name: string }>;
  /** Subfolder name -> the node it stands for and its pulled versions (its own metadata has the rest). */
  dirs?: Record<string, { name: string; version?: number; aversion?: number }>;
}

const EXTENSIONS: Record<string, string> = { json: '.json', yaml: '.yaml', xml: '.xml', properties: '.properties' };

/** The extension text gets when its name has none ('' for anything else). */
export function naturalExtension(name: string, data: Uint8Array): string {
  const dot = name.lastIndexOf('.');
  if (dot > 0 && dot < name.length - 1) return '';
  if (data.byteLength === 0 || !isValidUtf8(data)) return '';
  return EXTENSIONS[detectLanguageFromContent(decodeUtf8Strict(data))] ?? '';
}

function dataFileName(name: string, data: Uint8Array): string {
  const dot = name.lastIndexOf('.');
  const own = dot > 0 && dot < name.length - 1 ? name.slice(dot).replace(/[^A-Za-z0-9.]/g, '') : '';
  return DATA_FILE_PREFIX + (own.length > 1 && own.length <= 16 ? own : naturalExtension(name, data));
}

/** One file or folder of the layout. */
export interface LaidOutFile {
  /** '/'-separated, relative to the top folder. */
  file: string;
  data: Uint8Array;
}

export interface FolderLayout {
  /** Folders to create, parents first ('' is the top folder). */
  dirs: string[];
  files: LaidOutFile[];
  /** rel -> the file or folder that holds it. */
  where: Map<string, string>;
}

function cleanMeta(m: NodeMeta | undefined): NodeMeta {
  if (!m) return { mode: 'persistent' };
  const out: NodeMeta = { mode: m.mode };
  if (m.ttlMs !== undefined) out.ttlMs = m.ttlMs;
  if (m.ephemeralOwner !== undefined) out.ephemeralOwner = m.ephemeralOwner;
  if (m.acl) out.acl = m.acl;
  if (m.version !== undefined) out.version = m.version;
  if (m.aversion !== undefined) out.aversion = m.aversion;
  return out;
}

/** One folder of the layout: its files (its data file, its children that are files, its metadata last) and its subfolders. */
export interface LaidOutFolder {
  files: LaidOutFile[];
  /** Children laid out as folders, with their paths. */
  subdirs: { rel: string; path: string }[];
  /** Every child: rel -> its file or folder. */
  where: [string, string][];
}

/**
 * The layout of one folder node (pure): `dir` is its path, `children` its child nodes in tree
 * order, `isFolder` says which of them are folders; `top` (the root only) brings the source and
 * the unreadable nodes into its metadata. A pull lays out each folder as soon as its children are
 * read; layOut does the whole tree.
 */
export function layOutFolder(
  n: ConfigNode,
  dir: string,
  children: readonly ConfigNode[],
  isFolder: (child: ConfigNode) => boolean,
  top?: Pick<ConfigTree, 'source' | 'unreadable'>,
): LaidOutFolder {
  const byName = new Map(children.map((c) => [relName(c.rel), c]));
  const fileNames = siblingFileNames([...byName.keys()], (name, escaped) => {
    const child = byName.get(name) as ConfigNode;
    return isFolder(child) ? escaped : escaped + naturalExtension(name, child.data);
  });
  const meta: FolderMeta = { format: FOLDER_FORMAT, version: FOLDER_VERSION, node: cleanMeta(n.meta), files: {} };
  if (n.rel === '/') {
    if (top?.source) meta.source = top.source;
    if (top?.unreadable && top.unreadable.length > 0) meta.unreadable = top.unreadable;
  } else {
    meta.node = { name: relName(n.rel), ...meta.node };
  }
  const files: LaidOutFile[] = [];
  const subdirs: LaidOutFolder['subdirs'] = [];
  const where: LaidOutFolder['where'] = [];
  if (n.data.byteLength > 0) {
    const dataFile = dataFileName(relName(n.rel), n.data);
    meta.node.dataFile = dataFile;
    files.push({ file: join(dir, dataFile), data: n.data });
  }
  for (const [name, child] of byName) {
    const fileName = fileNames.get(name) as string;
    const path = join(dir, fileName);
    where.push([child.rel, path]);
    if (isFolder(child)) {
      subdirs.push({ rel: child.rel, path });
      const m = child.meta;
      meta.dirs ??= {};
      meta.dirs[fileName] = { name, ...(m?.version !== undefined ? { version: m.version } : {}), ...(m?.aversion !== undefined ? { aversion: m.aversion } : {}) };
    } else {
      meta.files[fileName] = { name, ...cleanMeta(child.meta) };
      files.push({ file: path, data: child.data });
    }
  }
  files.push({ file: join(dir, META_FILE), data: Buffer.from(JSON.stringify(meta, null, 2) + '\n', 'utf8') });
  return { files, subdirs, where };
}

/** The files and folders a tree becomes (pure). */
export function layOut(tree: ConfigTree): FolderLayout {
  const children = new Map<string, ConfigNode[]>();
  for (const n of tree.nodes) {
    if (n.rel === '/') continue;
    const p = parentPath(n.rel);
    const list = children.get(p);
    if (list) list.push(n);
    else children.set(p, [n]);
  }
  const dirOf = new Map<string, string>([['/', '']]);
  const layout: FolderLayout = { dirs: [''], files: [], where: new Map([['/', '']]) };
  for (const n of tree.nodes) {
    const dir = dirOf.get(n.rel);
    if (dir === undefined) continue; // a leaf: written by its parent
    const folder = layOutFolder(n, dir, children.get(n.rel) ?? [], (c) => children.has(c.rel), n.rel === '/' ? tree : undefined);
    for (const f of folder.files) layout.files.push(f);
    for (const [rel, path] of folder.where) layout.where.set(rel, path);
    for (const d of folder.subdirs) {
      dirOf.set(d.rel, d.path);
      layout.dirs.push(d.path);
    }
  }
  return layout;
}

const join = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);

export interface WriteFolderOptions {
  /** Files written at once (default 32). */
  concurrency?: number;
  onProgress?: (written: number, total: number) => void;
  signal?: AbortSignal;
}

/** Writes a tree into a folder (which should be empty: files of the layout are replaced, nothing else is touched). */
export async function writeFolder(tree: ConfigTree, port: FolderPort, opts: WriteFolderOptions = {}): Promise<FolderLayout> {
  const layout = layOut(tree);
  for (const d of layout.dirs) await port.mkdir(d); // parents first; few compared with files
  let written = 0;
  let last = 0;
  await forEachBounded(layout.files, opts.concurrency ?? port.writesInFlight ?? FILES_IN_FLIGHT, async (f) => {
    if (opts.signal?.aborted) throw new ZkError('CANCELLED', msg('Cancelled: {0} of {1} files were written to {2}', written.toLocaleString('en'), layout.files.length.toLocaleString('en'), port.description));
    await port.write(f.file, f.data);
    written++;
    const now = Date.now();
    if (opts.onProgress && (now - last > 100 || written === layout.files.length)) {
      last = now;
      opts.onProgress(written, layout.files.length);
    }
  });
  return layout;
}

// --- reading a folder back ---------------------------------------------------------------------

export interface ReadFolderResult {
  tree: ConfigTree;
  /** Entries that are not nodes: tool files (.git, .DS_Store…), links and other non-files. */
  ignored: string[];
  /** rel -> file or folder. */
  where: Map<string, string>;
  /** Nodes (rel) that are folders (their data, if any, is in a `.znode-data` file). */
  folders: Set<string>;
  /**
   * Nodes the metadata lists whose file or folder is gone (deleted in the folder), with their
   * pulled versions: a mirror apply deletes them, and checks that version first.
   */
  removed: Map<string, { version?: number; aversion?: number }>;
}

/** `why` is a Message (the apply and pull commands show it translated); JSON field names and values are quoted as they are. */
function invalid(file: string, why: Message): ZkError {
  return new ZkError('INVALID_FOLDER', msg('{0}: {1}', file, why), { op: 'read folder' });
}

function checkMeta(file: string, meta: unknown, top: boolean): NodeMeta {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw invalid(file, msg('expected an object'));
  const m = meta as Record<string, unknown>;
  if (!['persistent', 'ephemeral', 'container', 'ttl'].includes(m.mode as string)) {
    throw invalid(file, msg('"mode" is {0}: expected "persistent", "ephemeral", "container" or "ttl"', String(JSON.stringify(m.mode))));
  }
  const out: NodeMeta = { mode: m.mode as NodeMeta['mode'] };
  const int = (k: string, min: number) => {
    const v = m[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw invalid(file, msg('"{0}" must be an integer ≥ {1} (it is {2})', k, min, String(JSON.stringify(v))));
    return v;
  };
  out.version = int('version', -1);
  out.aversion = int('aversion', -1);
  out.ttlMs = int('ttlMs', 1);
  if (out.mode === 'ttl' && out.ttlMs === undefined) throw invalid(file, msg('a "ttl" node needs "ttlMs"'));
  if (out.version === undefined) delete out.version;
  if (out.aversion === undefined) delete out.aversion;
  if (out.ttlMs === undefined) delete out.ttlMs;
  if (m.ephemeralOwner !== undefined) {
    if (typeof m.ephemeralOwner !== 'string' || !/^0x[0-9a-f]{1,16}$/.test(m.ephemeralOwner)) throw invalid(file, msg('"ephemeralOwner" must be a session id like "0x1000a2b3c4d0000"'));
    out.ephemeralOwner = m.ephemeralOwner;
  }
  if (m.acl !== undefined) {
    if (!Array.isArray(m.acl) || m.acl.length === 0) throw invalid(file, msg('"acl" must be a non-empty array of { "perms", "scheme", "id" }'));
    for (const a of m.acl) {
      const problem = aclEntryProblem(a);
      if (problem) throw invalid(file, msg('ACL entry {0}: {1}', JSON.stringify(a), problem));
    }
    out.acl = (m.acl as NodeMeta['acl'] & object).map((a) => ({ perms: a.perms, scheme: a.scheme, id: a.id }));
  }
  void top;
  return out;
}

function parseFolderMeta(file: string, bytes: Uint8Array, top: boolean): FolderMeta {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (e) {
    throw invalid(file, msg('not JSON ({0}); fix it, or delete it to treat the folder as new nodes', (e as Error).message));
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid(file, msg('expected a JSON object'));
  const d = doc as Record<string, unknown>;
  if (d.format !== FOLDER_FORMAT) throw invalid(file, msg('"format" is {0}, expected "{1}"', String(JSON.stringify(d.format)), FOLDER_FORMAT));
  if (d.version !== FOLDER_VERSION) throw invalid(file, msg('format version {0} is not supported (this version reads {1}); update the extension', String(JSON.stringify(d.version)), FOLDER_VERSION));
  const nodeRaw = d.node as Record<string, unknown> | undefined;
  const node: FolderMeta['node'] = checkMeta(`${file} ("node")`, nodeRaw, top);
  if (nodeRaw && nodeRaw.name !== undefined) {
    if (typeof nodeRaw.name !== 'string' || segmentProblem(nodeRaw.name)) throw invalid(file, msg('"{0}" {1} is not a valid node name', 'node.name', String(JSON.stringify(nodeRaw.name))));
    node.name = nodeRaw.name;
  }
  if (nodeRaw && nodeRaw.dataFile !== undefined) {
    if (typeof nodeRaw.dataFile !== 'string' || !nodeRaw.dataFile.startsWith(DATA_FILE_PREFIX) || nodeRaw.dataFile.includes('/')) {
      throw invalid(file, msg('"node.dataFile" must be a file name starting with "{0}"', DATA_FILE_PREFIX));
    }
    node.dataFile = nodeRaw.dataFile;
  }
  const files: FolderMeta['files'] = {};
  if (d.files !== undefined) {
    if (typeof d.files !== 'object' || d.files === null || Array.isArray(d.files)) throw invalid(file, msg('"{0}" must be an object', 'files'));
    for (const [fileName, raw] of Object.entries(d.files as Record<string, unknown>)) {
      const at = `${file} ("files" → ${JSON.stringify(fileName)})`;
      const meta = checkMeta(at, raw, false);
      const name = (raw as Record<string, unknown>).name;
      if (typeof name !== 'string' || segmentProblem(name)) throw invalid(at, msg('"{0}" {1} is not a valid node name', 'name', String(JSON.stringify(name))));
      files[fileName] = { name, ...meta };
    }
  }
  const out: FolderMeta = { format: FOLDER_FORMAT, version: FOLDER_VERSION, node, files };
  if (d.dirs !== undefined) {
    if (typeof d.dirs !== 'object' || d.dirs === null || Array.isArray(d.dirs)) throw invalid(file, msg('"{0}" must be an object', 'dirs'));
    out.dirs = {};
    for (const [dirName, raw] of Object.entries(d.dirs as Record<string, unknown>)) {
      const at = `${file} ("dirs" → ${JSON.stringify(dirName)})`;
      const r = raw as Record<string, unknown>;
      if (typeof r !== 'object' || r === null || typeof r.name !== 'string' || segmentProblem(r.name)) throw invalid(at, msg('expected {0} "name": {1} {2}', '{', msg('a valid node name'), '}')); // braces as arguments: vscode.l10n.t would not fill a {0} inside them
      const v = checkMeta(at, { mode: 'persistent', version: r.version, aversion: r.aversion }, false);
      out.dirs[dirName] = { name: r.name, ...(v.version !== undefined ? { version: v.version } : {}), ...(v.aversion !== undefined ? { aversion: v.aversion } : {}) };
    }
  }
  if (top && d.source !== undefined) {
    const s = d.source as Record<string, unknown>;
    if (typeof s !== 'object' || s === null || typeof s.root !== 'string') throw invalid(file, msg('"source" must be { "connection", "root", "pulledAt" }'));
    out.source = { root: s.root, pulledAt: typeof s.pulledAt === 'string' ? s.pulledAt : '' };
    if (typeof s.connection === 'string') out.source.connection = s.connection;
  }
  if (top && Array.isArray(d.unreadable)) out.unreadable = d.unreadable.filter((x): x is string => typeof x === 'string');
  return out;
}

/** Where a folder was pulled from (its top metadata only); undefined when it does not say. */
export async function readFolderSource(port: FolderPort): Promise<TreeSource | undefined> {
  const top = await port.list('');
  if (!top?.some((e) => e.name === META_FILE && e.kind === 'file')) return undefined;
  return parseFolderMeta(META_FILE, await port.read(META_FILE, MAX_META_BYTES), true).source;
}

export interface ReadFolderOptions {
  concurrency?: number;
  maxFileBytes?: number;
  signal?: AbortSignal;
}

/**
 * Reads a folder written by writeFolder (and edited since) back into a tree. Throws
 * INVALID_FOLDER with the file and the reason for anything that cannot be a node.
 */
export async function readFolder(port: FolderPort, opts: ReadFolderOptions = {}): Promise<ReadFolderResult> {
  const maxBytes = opts.maxFileBytes ?? MAX_NODE_FILE_BYTES;
  const nodes: ConfigNode[] = [];
  const ignored: string[] = [];
  const where = new Map<string, string>();
  const removed = new Map<string, { version?: number; aversion?: number }>();
  const folders = new Set<string>();
  const reads: { node: ConfigNode; file: string }[] = [];
  let source: TreeSource | undefined;
  let unreadable: string[] | undefined;

  const top = await port.list('');
  if (!top) throw invalid(port.description, msg('the folder does not exist'));
  const metaOf = async (dir: string, entries: readonly { name: string; kind: string }[], isTop: boolean) => {
    if (!entries.some((e) => e.name === META_FILE && e.kind === 'file')) return undefined;
    const metaFile = join(dir, META_FILE);
    return parseFolderMeta(metaFile, await port.read(metaFile, MAX_META_BYTES), isTop);
  };
  const rels = new Map<string, string>();
  interface Level {
    dir: string;
    rel: string;
    entries: { name: string; kind: 'file' | 'dir' | 'other' }[];
    meta?: FolderMeta;
  }
  // Breadth-first over folders: a folder's node comes before its files and subfolders.
  const slices = new Slices();
  let level: Level[] = [{ dir: '', rel: '/', entries: top, meta: await metaOf('', top, true) }];
  while (level.length > 0) {
    const next: Level[] = [];
    for (const d of level) {
      if (opts.signal?.aborted) throw new ZkError('CANCELLED', msg('Cancelled while reading {0}', port.description));
      const meta = d.meta;
      if (d.rel === '/' && meta) {
        source = meta.source;
        unreadable = meta.unreadable;
      }
      const own: ConfigNode = { rel: d.rel, data: new Uint8Array(0) };
      if (meta) own.meta = withoutLayout(meta.node);
      nodes.push(own);
      where.set(d.rel, d.dir);
      folders.add(d.rel);
      const dataFiles = d.entries.filter((e) => e.name.startsWith(DATA_FILE_PREFIX));
      const recorded = meta?.node.dataFile;
      for (const e of dataFiles) {
        const file = join(d.dir, e.name);
        if (e.kind !== 'file') throw invalid(file, msg('"{0}…" names hold a folder node\'s data and must be files', DATA_FILE_PREFIX));
        if (recorded ? e.name !== recorded : dataFiles.length > 1) {
          throw invalid(file, recorded ? msg("the folder's data is in {0} (see {1}); remove this file or rename it", recorded, META_FILE) : msg('more than one "{0}…" file: keep one', DATA_FILE_PREFIX));
        }
        reads.push({ node: own, file });
      }
      const childDirs: { fileName: string; path: string }[] = [];
      for (const e of [...d.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const turn = slices.item();
        if (turn) await turn;
        if (e.name === META_FILE || e.name.startsWith(DATA_FILE_PREFIX)) continue;
        const path = join(d.dir, e.name);
        if (e.kind === 'other' || TOOL_FILES.has(e.name.toLowerCase()) || e.name.toLowerCase().startsWith('.znode')) {
          ignored.push(path);
          continue;
        }
        if (e.kind === 'dir') {
          childDirs.push({ fileName: e.name, path });
          continue;
        }
        const recordedFile = meta?.files[e.name];
        const name = recordedFile?.name ?? decodeName(e.name);
        const problem = segmentProblem(name);
        if (problem) throw invalid(path, msg('cannot be a node: {0}', problem));
        const rel = joinPath(d.rel, name);
        if (rels.has(rel)) throw invalid(path, msg('stands for the node "{0}", like {1}: keep one', name, rels.get(rel) ?? ''));
        rels.set(rel, path);
        const node: ConfigNode = { rel, data: new Uint8Array(0) };
        if (recordedFile) node.meta = withoutLayout(recordedFile);
        nodes.push(node);
        where.set(rel, path);
        reads.push({ node, file: path });
      }
      if (meta) {
        const present = new Set(d.entries.map((e) => e.name));
        for (const [fileName, f] of Object.entries(meta.files)) {
          if (!present.has(fileName)) removed.set(joinPath(d.rel, f.name), { version: f.version, aversion: f.aversion });
        }
        for (const [dirName, f] of Object.entries(meta.dirs ?? {})) {
          if (!present.has(dirName)) removed.set(joinPath(d.rel, f.name), { version: f.version, aversion: f.aversion });
        }
      }
      const listed = await mapBoundedLocal(childDirs, opts.concurrency ?? 32, async (c) => {
        const entries = (await port.list(c.path)) ?? [];
        return { entries, meta: await metaOf(c.path, entries, false) };
      });
      for (let j = 0; j < childDirs.length; j++) {
        const c = childDirs[j];
        const { entries, meta: childMeta } = listed[j];
        // A folder's node name is in its own metadata; a folder made by hand is named by decoding.
        const name = childMeta?.node.name ?? d.meta?.dirs?.[c.fileName]?.name ?? decodeName(c.fileName);
        const problem = segmentProblem(name);
        if (problem) throw invalid(c.path, msg('cannot be a node: {0}', problem));
        const rel = joinPath(d.rel, name);
        if (rels.has(rel)) throw invalid(c.path, msg('stands for the node "{0}", like {1}: keep one', name, rels.get(rel) ?? ''));
        rels.set(rel, c.path);
        next.push({ dir: c.path, rel, entries, meta: childMeta });
      }
    }
    level = next;
  }

  await mapBoundedLocal(reads, opts.concurrency ?? FILES_IN_FLIGHT, async (r) => {
    try {
      r.node.data = await port.read(r.file, maxBytes);
    } catch (e) {
      if (e instanceof FileTooLargeError) throw invalid(r.file, msg('{0} bytes: more than a node can hold ({1})', e.size.toLocaleString('en'), maxBytes.toLocaleString('en')));
      throw e;
    }
  });
  const tree: ConfigTree = { nodes };
  if (source) tree.source = source;
  if (unreadable) tree.unreadable = unreadable;
  for (const rel of rels.keys()) removed.delete(rel); // renamed by hand to the same node: not removed
  return { tree, ignored, where, folders, removed };
}

function withoutLayout(m: NodeMeta & { name?: string; dataFile?: string }): NodeMeta {
  const { name: _name, dataFile: _dataFile, ...meta } = m;
  return meta;
}

async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  await mapBoundedLocal(items, limit, fn);
}

/** Maps with at most `limit` calls pending; results in input order; the first failure rejects. */
export async function mapBoundedLocal<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
