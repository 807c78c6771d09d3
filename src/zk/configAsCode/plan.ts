// Plan: what applying a folder to a subtree would do, node by node, without writing anything.
//
// Three states meet: the folder (what the user wants), the server now, and the pull the folder
// came from (its versions, in the metadata). With a baseline (applying to the subtree the folder
// was pulled from), a node the server changed since the pull is a conflict, never overwritten:
// its data or ACL version moved on, it was created there since (mirror would delete it), or it was
// deleted there since (the folder would bring it back). Across connections or paths there is no
// baseline: the plan is a plain diff, and the apply is guarded by the versions the plan read.
// Ephemeral nodes belong to their session: never deleted, never written back as persistent unless
// asked. Domain layer: no 'vscode' here.
import type { ZkAcl } from '../acl';
import type { SessionIdentities } from '../aclEdit';
import { defaultAclFor, type DefaultAcl } from '../defaultAcl';
import { isZkError, ZkError } from '../errors';
import { parentPath, pathUnder, relativePath } from '../paths';
import type { ZnodeStat } from '../stat';
import { distinctAcls, type AclUse } from '../subtreeAcl';
import type { SubtreeClient, WalkOptions } from '../subtree';
import { walkConfigSubtree } from './pull';
import { modeOfOwner, relDepth, type ConfigNode, type ConfigTree } from './configTree';
import { readFolder, type ReadFolderResult } from './folderLayout';
import type { FolderPort } from './folderPort';
import { ITEMS_PER_CHECKPOINT, runAtOnce, runInTurns, Slices, type Pass, type TurnOptions } from './turns';
import { msg, type Message } from '../message';

export type ApplyMode = 'mirror' | 'addUpdate';

export type ChangeKind = 'create' | 'update' | 'acl' | 'delete' | 'conflict' | 'skip' | 'kept' | 'unchanged';

/** A server node as the plan read it. */
export interface RemoteNode {
  data: Uint8Array;
  acl?: ZkAcl[];
  stat: ZnodeStat;
}

export interface PlannedChange {
  kind: ChangeKind;
  rel: string;
  /** The server path. */
  path: string;
  local?: ConfigNode;
  remote?: RemoteNode;
  /** For 'update' (and a conflict about data). */
  dataChanged: boolean;
  /** For 'update' and 'acl': the folder's ACL differs from the server's. */
  aclChanged: boolean;
  /** Why: for conflict, skip and kept. */
  reason?: Message;
}

export interface PlanCounts {
  create: number;
  /** Data changes. */
  update: number;
  /** ACL changes (with or without a data change). */
  acl: number;
  delete: number;
  conflict: number;
  skip: number;
  /** Server nodes not in the folder, left alone ("add and update only"). */
  kept: number;
  unchanged: number;
}

export interface ApplyPlan {
  target: string;
  connection?: string;
  mode: ApplyMode;
  /** Versions of the pull were checked (same connection and path as the pull). */
  baseline: boolean;
  readOnly: boolean;
  /** Every node of the folder and of the server subtree, parents first. */
  changes: PlannedChange[];
  counts: PlanCounts;
  /** Missing ancestors of the target, top first: created empty (default ACL) by the apply. */
  missingParents: string[];
  defaultAcl: DefaultAcl;
  /** The distinct ACLs the apply sets, each lock-out checked. */
  acls: AclUse[];
  /** Server nodes not read (NOAUTH): never deleted. */
  unreadable: string[];
  walkMs: number;
}

export interface PlanOptions extends Pick<WalkOptions, 'signal' | 'concurrency' | 'maxNodes'> {
  mode?: ApplyMode;
  /** Check the pull's versions (default: when the folder was pulled from this connection name and path). */
  baseline?: boolean;
  /** Write nodes that were ephemeral when pulled as persistent ones (default false: skipped). */
  ephemeralAsPersistent?: boolean;
  /** This session's identities: the default ACL depends on them, and the ACLs set are lock-out checked. */
  identities?: SessionIdentities;
  /** Nodes (rel) removed from the folder, with their pulled versions (from readFolder). */
  removed?: ReadonlyMap<string, { version?: number; aversion?: number }>;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  if (a.byteLength <= 64) {
    // Most znodes are small: a loop costs less than two Buffer views per node (50,000 in a plan).
    for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

export function sameAcl(a: readonly ZkAcl[], b: readonly ZkAcl[]): boolean {
  if (a.length !== b.length) return false;
  // The common case, the same entries in the same order, without building keys.
  if (a.every((x, i) => x.perms === b[i].perms && x.scheme === b[i].scheme && x.id === b[i].id)) return true;
  const key = (x: ZkAcl) => `${x.perms}\u0000${x.scheme}\u0000${x.id}`;
  const s = new Set(a.map(key));
  return b.every((x) => s.has(key(x)));
}

type DiffOptions = Pick<PlanOptions, 'mode' | 'baseline' | 'ephemeralAsPersistent' | 'removed'> & { unreadable?: readonly string[] };

/**
 * The decision for every node (pure): the folder's tree against the server's nodes (rel ->
 * node). `target` names the server paths; `unreadable` (rel) are server nodes that were not read.
 */
export function diffTrees(local: ConfigTree, remote: ReadonlyMap<string, RemoteNode>, target: string, opts: DiffOptions = {}): { changes: PlannedChange[]; counts: PlanCounts } {
  return runAtOnce(diffPass(local, remote, target, opts));
}

/** diffTrees with the event loop running between slices (turns.ts): what a plan uses. */
export function diffTreesInTurns(
  local: ConfigTree,
  remote: ReadonlyMap<string, RemoteNode>,
  target: string,
  opts: DiffOptions = {},
  turns: TurnOptions = {},
): Promise<{ changes: PlannedChange[]; counts: PlanCounts }> {
  return runInTurns(diffPass(local, remote, target, opts), turns);
}

function* diffPass(local: ConfigTree, remote: ReadonlyMap<string, RemoteNode>, target: string, opts: DiffOptions): Pass<{ changes: PlannedChange[]; counts: PlanCounts }> {
  const mode = opts.mode ?? 'addUpdate';
  const baseline = opts.baseline === true;
  const removed = opts.removed ?? new Map();
  const byRel = new Map<string, PlannedChange>();
  const changes: PlannedChange[] = [];
  const add = (c: PlannedChange) => {
    byRel.set(c.rel, c);
    changes.push(c);
  };
  const localRels = new Set<string>();
  let items = 0;
  // A checkpoint of the pass (turns.ts) every ITEMS_PER_CHECKPOINT items of each loop.
  const due = () => ++items % ITEMS_PER_CHECKPOINT === 0;
  for (const n of local.nodes) {
    localRels.add(n.rel);
    if (due()) yield;
  }
  const written = (rel: string) => {
    // Whether the node exists after the apply (so that children can be created under it).
    const c = byRel.get(rel);
    if (!c) return false;
    return c.kind === 'create' || (c.remote !== undefined && c.kind !== 'delete');
  };

  for (const l of local.nodes) {
    if (due()) yield;
    const r = remote.get(l.rel);
    const path = pathUnder(target, l.rel);
    const base: ChangeBase = { rel: l.rel, path, local: l, remote: r, dataChanged: false, aclChanged: false };
    const parentOk = l.rel === '/' || written(parentPath(l.rel));
    if (l.meta?.mode === 'ephemeral' && !(r === undefined && opts.ephemeralAsPersistent)) {
      add({ ...base, kind: 'skip', reason: r ? msg('ephemeral: it belongs to its session and is left alone') : msg('was ephemeral when pulled: not written back as a persistent node (unless asked)') });
      continue;
    }
    if (!r) {
      if (!parentOk) add({ ...base, kind: 'skip', reason: msg('its parent is not created') });
      else if (baseline && l.meta?.version !== undefined) add({ ...base, kind: 'conflict', reason: msg('deleted on the server since the pull: the folder would bring it back') });
      else add({ ...base, kind: 'create', dataChanged: l.data.byteLength > 0 });
      continue;
    }
    const dataChanged = !bytesEqual(l.data, r.data);
    const aclChanged = l.meta?.acl !== undefined && r.acl !== undefined && !sameAcl(l.meta.acl, r.acl);
    if (!dataChanged && !aclChanged) {
      add({ ...base, kind: 'unchanged' });
      continue;
    }
    if (modeOfOwner(r.stat.ephemeralOwner).mode === 'ephemeral') {
      add({ ...base, kind: 'skip', dataChanged, aclChanged, reason: msg('ephemeral on the server (session {0}): left to its session', r.stat.ephemeralOwner) });
      continue;
    }
    if (baseline && l.meta?.version !== undefined) {
      const dataMoved = dataChanged && r.stat.version !== l.meta.version;
      const aclMoved = aclChanged && l.meta.aversion !== undefined && r.stat.aversion !== l.meta.aversion;
      if (dataMoved || aclMoved) {
        const reason = dataMoved
          ? msg('changed on the server since the pull (data version {0} when pulled, {1} now)', l.meta.version, r.stat.version)
          : msg('changed on the server since the pull (ACL version {0} when pulled, {1} now)', l.meta.aversion ?? '', r.stat.aversion);
        add({ ...base, kind: 'conflict', dataChanged, aclChanged, reason });
        continue;
      }
    }
    add({ ...base, kind: dataChanged ? 'update' : 'acl', dataChanged, aclChanged });
  }

  // Server nodes the folder does not have: parents come before children in `remote`.
  const extra: PlannedChange[] = [];
  for (const [rel, r] of remote) {
    if (due()) yield;
    if (localRels.has(rel)) continue;
    const path = pathUnder(target, rel);
    const base: ChangeBase = { rel, path, remote: r, dataChanged: false, aclChanged: false };
    if (mode === 'addUpdate') {
      extra.push({ ...base, kind: 'kept', reason: msg('not in the folder; "add and update only" keeps it') });
      continue;
    }
    if (modeOfOwner(r.stat.ephemeralOwner).mode === 'ephemeral') {
      extra.push({ ...base, kind: 'skip', reason: msg('ephemeral (session {0}): never deleted by an apply', r.stat.ephemeralOwner) });
      continue;
    }
    if (baseline) {
      const pulled = removed.get(rel);
      const removedAncestor = ancestorsOf(rel).some((a) => removed.has(a));
      if (pulled && pulled.version !== undefined && pulled.version !== r.stat.version) {
        extra.push({ ...base, kind: 'conflict', reason: msg('changed on the server since the pull (data version {0} when pulled, {1} now); the folder deletes it', pulled.version ?? '', r.stat.version) });
        continue;
      }
      if (!pulled && !removedAncestor) {
        extra.push({ ...base, kind: 'conflict', reason: msg('created on the server since the pull; mirror would delete it') });
        continue;
      }
    }
    extra.push({ ...base, kind: 'delete' });
  }
  // A node that is deleted must lose all its children: one that stays keeps its parents.
  const staying = new Set<string>();
  for (const u of opts.unreadable ?? []) for (const a of ancestorsOf(u)) staying.add(a);
  for (const c of [...extra].sort((a, b) => relDepth(b.rel) - relDepth(a.rel))) {
    if (due()) yield;
    if (c.kind === 'delete' && staying.has(c.rel)) {
      c.kind = 'skip';
      c.reason = msg('has children that stay');
    }
    if (c.kind !== 'delete') for (const a of ancestorsOf(c.rel)) staying.add(a);
  }
  for (const c of extra) {
    if (due()) yield;
    add(c);
  }

  const counts: PlanCounts = { create: 0, update: 0, acl: 0, delete: 0, conflict: 0, skip: 0, kept: 0, unchanged: 0 };
  for (const c of changes) {
    if (due()) yield;
    if (c.kind === 'acl') counts.acl++;
    else counts[c.kind]++;
    if (c.kind === 'update' && c.aclChanged) counts.acl++;
  }
  return { changes, counts };
}

type ChangeBase = Omit<PlannedChange, 'kind'>;

function ancestorsOf(rel: string): string[] {
  const out: string[] = [];
  for (let p = rel; p !== '/'; ) {
    p = parentPath(p);
    out.push(p);
  }
  return out;
}

/** Reads the server subtree for a plan (data and ACLs); a missing target is an empty one. */
export async function readRemote(
  client: SubtreeClient,
  target: string,
  opts: PlanOptions = {},
): Promise<{ remote: Map<string, RemoteNode>; unreadable: string[]; ms: number }> {
  try {
    const walk = await walkConfigSubtree(client, target, {
      signal: opts.signal,
      concurrency: opts.concurrency,
      maxNodes: opts.maxNodes,
    });
    const remote = new Map<string, RemoteNode>();
    const slices = new Slices();
    for (const n of walk.nodes) {
      remote.set(relativePath(target, n.path), { data: n.data ?? new Uint8Array(0), acl: n.acl, stat: n.stat });
      const turn = slices.item();
      if (turn) await turn;
    }
    return { remote, unreadable: walk.unreadable.map((p) => relativePath(target, p)), ms: walk.ms };
  } catch (e) {
    if (isZkError(e, 'NONODE')) return { remote: new Map(), unreadable: [], ms: 0 };
    throw e;
  }
}

/** A plan for a tree against `target` on a server. Reads only. */
export async function planTree(client: SubtreeClient, target: string, local: ConfigTree, opts: PlanOptions = {}, remoteRead?: Awaited<ReturnType<typeof readRemote>>): Promise<ApplyPlan> {
  const { remote, unreadable, ms } = remoteRead ?? (await readRemote(client, target, opts));
  const baseline = opts.baseline ?? (local.source !== undefined && local.source.root === target && local.source.connection === client.options.name);
  const { changes, counts } = await diffTreesInTurns(local, remote, target, { ...opts, baseline, unreadable });
  const missingParents: string[] = [];
  if (!remote.has('/') && target !== '/') {
    for (let p = parentPath(target); p !== '/'; p = parentPath(p)) {
      if ((await client.exists(p)) !== undefined) break;
      missingParents.unshift(p);
    }
  }
  const anchor = target === '/' ? '/' : parentPath(missingParents[0] ?? target);
  const defaultAcl = await defaultAclFor(client, remote.has('/') ? target : anchor, opts.identities);
  const set: { path: string; acl: readonly ZkAcl[] }[] = [];
  for (const p of missingParents) set.push({ path: p, acl: defaultAcl.acl });
  const slices = new Slices();
  for (const c of changes) {
    const turn = slices.item();
    if (turn) await turn;
    if (c.kind === 'create') set.push({ path: c.path, acl: c.local?.meta?.acl ?? defaultAcl.acl });
    else if (c.aclChanged && (c.kind === 'update' || c.kind === 'acl') && c.local?.meta?.acl) set.push({ path: c.path, acl: c.local.meta.acl });
  }
  const maxData = client.options.maxRequestBytes - 1024;
  const tooBig = changes.find((c) => (c.kind === 'create' || c.kind === 'update') && (c.local?.data.byteLength ?? 0) > maxData);
  if (tooBig) {
    throw new ZkError(
      'DATA_TOO_LARGE',
      msg(
        '{0}: {1} bytes of data, more than a request to this server can carry ({2} bytes, jute.maxbuffer); nothing was written',
        tooBig.path,
        (tooBig.local?.data.byteLength ?? 0).toLocaleString('en'),
        client.options.maxRequestBytes.toLocaleString('en'),
      ),
      { path: tooBig.path, op: 'plan' },
    );
  }
  return {
    target,
    connection: client.options.name,
    mode: opts.mode ?? 'addUpdate',
    baseline,
    readOnly: client.options.readOnly,
    changes,
    counts,
    missingParents,
    defaultAcl,
    acls: distinctAcls(set, opts.identities),
    unreadable,
    walkMs: ms,
  };
}

/** Reads a folder and the server subtree at once, and plans. */
export async function planFolder(client: SubtreeClient, target: string, port: FolderPort, opts: PlanOptions = {}): Promise<ApplyPlan & { folder: ReadFolderResult }> {
  const [folder, remoteRead] = await Promise.all([readFolder(port, { signal: opts.signal }), readRemote(client, target, opts)]);
  const plan = await planTree(client, target, folder.tree, { removed: folder.removed, ...opts }, remoteRead);
  return { ...plan, folder };
}
