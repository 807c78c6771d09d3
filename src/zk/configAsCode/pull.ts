// Pull: a subtree read from a server (the project's pipelined walk, data and ACLs) into a tree,
// and that tree written into a folder. Domain layer: no 'vscode' here.
import { ZkError } from '../errors';
import { walkSubtree, type SubtreeClient, type WalkOptions } from '../subtree';
import { metaOfStat, type ConfigNode, type ConfigTree } from './configTree';
import type { FolderLayout } from './folderLayout';
import { walkAndWriteFolder } from './streamingPull';
import type { FolderPort } from './folderPort';
import { TOOL_FILES } from './nameEscape';
import { relativePath } from '../paths';
import { msg } from '../message';

export interface PullOptions extends Pick<WalkOptions, 'signal' | 'concurrency' | 'maxNodes'> {
  /** The connection's name, recorded as the source (an apply to the same connection and path checks versions). */
  connectionName?: string;
  onProgress?: (p: { phase: 'walk' | 'write'; done: number; total?: number }) => void;
}

/**
 * The one walk config as code reads a server with (pull and plan alike): data and ACLs, without
 * /zookeeper, nodes this session may not read left out and listed.
 */
export function walkConfigSubtree(client: SubtreeClient, root: string, opts: Pick<WalkOptions, 'signal' | 'concurrency' | 'maxNodes' | 'onProgress' | 'onNode' | 'collect'>) {
  return walkSubtree(client, root, { ...opts, withData: true, withAcl: true, excludeSystem: true, skipUnreadable: true });
}

/** Reads a subtree with data and ACLs (nodes this session may not read are left out and listed). */
export async function pullTree(client: SubtreeClient, root: string, opts: PullOptions = {}): Promise<ConfigTree & { walkMs: number }> {
  const walk = await walkConfigSubtree(client, root, {
    signal: opts.signal,
    concurrency: opts.concurrency,
    maxNodes: opts.maxNodes,
    onProgress: opts.onProgress && ((n) => opts.onProgress?.({ phase: 'walk', done: n })),
  });
  const nodes = walk.nodes.map((n): ConfigNode => ({ rel: relativePath(root, n.path), data: n.data ?? new Uint8Array(0), meta: metaOfStat(n.stat, n.acl) }));
  const tree: ConfigTree & { walkMs: number } = {
    source: { root, pulledAt: new Date().toISOString(), ...(opts.connectionName ? { connection: opts.connectionName } : {}) },
    nodes,
    walkMs: walk.ms,
  };
  if (walk.unreadable.length > 0) tree.unreadable = walk.unreadable.map((p) => relativePath(root, p));
  return tree;
}

export interface PullResult {
  root: string;
  nodes: number;
  files: number;
  folders: number;
  dataBytes: number;
  /** Nodes (rel) that were ephemeral: listed in the metadata, never written back as persistent unless asked. */
  ephemeral: string[];
  unreadable: string[];
  layout: FolderLayout;
  walkMs: number;
  ms: number;
}

/** Refuses a folder that holds anything but tool files (.git, .vscode…): a pull never overwrites someone's files. */
export async function assertEmptyFolder(port: FolderPort): Promise<void> {
  const entries = await port.list('');
  const taken = (entries ?? []).filter((e) => !TOOL_FILES.has(e.name.toLowerCase()));
  if (taken.length > 0) {
    throw new ZkError(
      'FOLDER_NOT_EMPTY',
      msg(
        '{0} is not empty ({1} entries, e.g. "{2}"): nothing was written. Pull into a new or empty folder; to update an earlier pull, compare or apply instead, or delete it first',
        port.description,
        taken.length.toLocaleString('en'),
        taken[0].name,
      ),
      { op: 'pull' },
    );
  }
}

/** Pulls a subtree into an empty folder. */
export async function pullToFolder(client: SubtreeClient, root: string, port: FolderPort, opts: PullOptions = {}): Promise<PullResult> {
  const started = Date.now();
  await assertEmptyFolder(port);
  // The files are written while the walk goes on (streamingPull.ts), not after it.
  const { tree, layout } = await walkAndWriteFolder(client, root, port, opts);
  return {
    root,
    nodes: tree.nodes.length,
    files: layout.files.length,
    folders: layout.dirs.length,
    dataBytes: tree.nodes.reduce((n, x) => n + x.data.byteLength, 0),
    ephemeral: tree.nodes.filter((n) => n.meta?.mode === 'ephemeral').map((n) => n.rel),
    unreadable: tree.unreadable ?? [],
    layout,
    walkMs: tree.walkMs,
    ms: Date.now() - started,
  };
}
