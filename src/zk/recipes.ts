// Lock, election and queue recipes among a node's children: who holds, who leads, who waits.
// The recipes (ZooKeeper's own, Curator's, Solr's, Kafka's) all create ephemeral sequential
// children and grant the lowest sequence number; names carry different prefixes (Curator's
// protected `_c_<uuid>-`, a session id, a host name), so the order is by the 10-digit counter that
// ZooKeeper appends, never by name. Kafka's controller and single-node locks (HDFS's
// ActiveStandbyElectorLock, HBase's master) are one ephemeral node: its owner holds.
// Pure functions of names and stats, plus one reader that asks the server.
import type { ZkClient } from './client';
import { joinPath } from './paths';
import { msg, type Message } from './message';
import { isEphemeral, type ZnodeStat } from './stat';

export type RecipeKind =
  | 'lock' // ZooKeeper's WriteLock recipe (`x-<session>-`), `lock-`, or a lock/election told by its parent
  | 'lockOrElection' // names both use: kazoo's Lock and Election (`<uuid>__lock__`), Curator's InterProcessMutex and LeaderSelector (`_c_<uuid>-lock-`)
  | 'readWriteLock' // Curator InterProcessReadWriteLock (`__READ__`, `__WRIT__`), kazoo's ReadLock/WriteLock (`__rlock__`, `__lock__`)
  | 'election' // Curator LeaderLatch (`-latch-`), ZooKeeper/Solr elections (`n_`), `member_`, `leader`
  | 'semaphore' // Curator InterProcessSemaphoreV2 leases (`lease-`)
  | 'sequence' // ephemeral sequential children of no known recipe: the lowest is first in line
  | 'singleHolder'; // one ephemeral node is the lock or the leadership (Kafka's controller, …)

/** A child name ending in ZooKeeper's sequence counter. */
export interface SequentialName {
  name: string;
  /** Everything before the counter. */
  prefix: string;
  /** The prefix without Curator's protection (`_c_<uuid>-`). */
  base: string;
  /** Curator's protection id when present. */
  protectedId?: string;
  /** The counter as printed (`%010d`: may be negative after it wrapped at 2^31). */
  sequence: number;
  /** Creation order across a wrap of the counter (the counter read as unsigned). */
  order: number;
}

const SEQUENCE = /\d{10}$/;
const MAX_COUNTER = 2 ** 31 - 1;
const CURATOR_PROTECTED = /^_c_([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})-/;

/**
 * ZooKeeper appends the parent's counter as `%010d`. After 2^31 children it wraps to negative
 * values, printed with their sign: only `-2147483648` is told apart from a prefix ending in '-'
 * (its digits exceed 2^31-1); the later ones read as that (a parent with 2^31 children is rare).
 */
export function parseSequentialName(name: string): SequentialName | undefined {
  const m = SEQUENCE.exec(name);
  if (!m) return undefined;
  let digits = m[0];
  let sequence = Number(digits);
  if (sequence > MAX_COUNTER) {
    if (sequence > MAX_COUNTER + 1 || name[name.length - 11] !== '-') return undefined;
    digits = '-' + digits;
    sequence = -sequence;
  }
  const prefix = name.slice(0, name.length - digits.length);
  const p = CURATOR_PROTECTED.exec(prefix);
  const out: SequentialName = { name, prefix, base: p ? prefix.slice(p[0].length) : prefix, sequence, order: sequence >= 0 ? sequence : 2 ** 32 + sequence };
  if (p) out.protectedId = p[1].toLowerCase();
  return out;
}

/** In creation order (by counter), names only as a tie-break. */
export function compareSequential(a: SequentialName, b: SequentialName): number {
  return a.order - b.order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The recipe a prefix (without Curator's protection) belongs to. */
export function kindOfPrefix(base: string): Exclude<RecipeKind, 'singleHolder'> {
  if (/__READ__$|__WRIT__$|__rlock__$/.test(base)) return 'readWriteLock';
  // kazoo's Election is a Lock on its own path: the names cannot tell them apart.
  if (/__lock__$/.test(base)) return 'lockOrElection';
  if (/lock/i.test(base) || /^x-\d+-$/.test(base)) return 'lock';
  if (/latch|leader|elect|candidate|(^|[-_])n_$|^member_/i.test(base)) return 'election';
  if (/lease/i.test(base)) return 'semaphore';
  return 'sequence';
}

/** The recipe of one name: the prefix's, except Curator's mutex, which its LeaderSelector shares. */
export function kindOfName(n: SequentialName): Exclude<RecipeKind, 'singleHolder'> {
  if (n.protectedId !== undefined && n.base === 'lock-') return 'lockOrElection';
  return kindOfPrefix(n.base);
}

const KIND_PRIORITY: RecipeKind[] = ['readWriteLock', 'lockOrElection', 'lock', 'election', 'semaphore', 'sequence'];

/** The kind most of the names belong to (a read-write lock as soon as one name says so). */
export function dominantKind(names: readonly SequentialName[]): Exclude<RecipeKind, 'singleHolder'> | undefined {
  if (names.length === 0) return undefined;
  const counts = new Map<RecipeKind, number>();
  for (const n of names) {
    const k = kindOfName(n);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  if (counts.has('readWriteLock')) return 'readWriteLock';
  let best: RecipeKind = 'sequence';
  let bestCount = -1;
  for (const k of KIND_PRIORITY) {
    const c = counts.get(k) ?? 0;
    if (c > bestCount) {
      best = k;
      bestCount = c;
    }
  }
  return best as Exclude<RecipeKind, 'singleHolder'>;
}

/**
 * Which of the ordered names hold: the first; for a read-write lock, every reader before the first
 * writer (or the writer alone when it is first).
 */
export function holdingCount(kind: RecipeKind, ordered: readonly SequentialName[]): number {
  if (ordered.length === 0) return 0;
  if (kind !== 'readWriteLock') return 1;
  if (isWriter(ordered[0])) return 1;
  const firstWriter = ordered.findIndex(isWriter);
  return firstWriter < 0 ? ordered.length : firstWriter;
}

function isWriter(n: SequentialName): boolean {
  return /__WRIT__$|__lock__$/.test(n.base);
}

// Words in a path segment or in the parent's data that say which recipe a lockOrElection is.
const ELECTION_HINT = /elect|leader|latch|candidate|master/i;
const LOCK_HINT = /lock|mutex/i;

/**
 * A lock or an election told apart by where it lives: the nearest segment of `path` (the parent of
 * the contenders, then its ancestors) that names one, else the parent's data (the first 1 KiB as
 * text). Other kinds are returned as they are; undecided stays 'lockOrElection'.
 */
export function resolveKind<K extends RecipeKind>(kind: K, path: string, parentData?: Uint8Array | string): K | 'lock' | 'election' {
  if (kind !== 'lockOrElection') return kind;
  const segments = path.split('/').filter(Boolean).reverse();
  for (const s of segments) {
    const election = ELECTION_HINT.test(s);
    const lock = LOCK_HINT.test(s);
    if (election !== lock) return election ? 'election' : 'lock';
  }
  if (parentData !== undefined && parentData.length > 0) {
    const text = typeof parentData === 'string' ? parentData.slice(0, 1024) : Buffer.from(parentData.subarray(0, 1024)).toString('utf8');
    const election = ELECTION_HINT.test(text);
    const lock = LOCK_HINT.test(text);
    if (election !== lock) return election ? 'election' : 'lock';
  }
  return kind;
}

/**
 * From names alone (what a tree listing has): the recipe's kind and the names that hold it, or
 * undefined when no child is sequential. Whether they are ephemeral is for the caller to check.
 */
export function holdersByName(names: readonly string[], parentPath = '/'): { kind: Exclude<RecipeKind, 'singleHolder'>; holders: Set<string> } | undefined {
  const seq: SequentialName[] = [];
  for (const n of names) {
    const s = parseSequentialName(n);
    if (s) seq.push(s);
  }
  const found = dominantKind(seq);
  if (!found) return undefined;
  const kind = resolveKind(found, parentPath);
  // Only the first few in order matter: a read-write lock's readers, or the first name.
  seq.sort(compareSequential);
  return { kind, holders: new Set(seq.slice(0, holdingCount(kind, seq)).map((s) => s.name)) };
}

/**
 * The order of a recipe's children: when every child is a sequential node of a known recipe (a
 * lock queue, an election, a semaphore), by sequence number, so the holder comes first whatever
 * the prefixes (`<uuid>__lock__`, `_c_<uuid>-lock-`). Undefined otherwise (names keep their
 * natural order). One pass over the names; a plain listing stops at its first non-sequential name.
 */
export function recipeOrder(names: readonly string[]): ((a: string, b: string) => number) | undefined {
  if (names.length < 2) return undefined;
  const order = new Map<string, number>();
  // The kind by prefix, worked out once per prefix (a big queue repeats a few prefixes).
  const kinds = new Map<string, RecipeKind>();
  for (const n of names) {
    const s = parseSequentialName(n);
    if (!s) return undefined;
    const kindKey = `${s.protectedId === undefined ? '' : 'p'}\u0000${s.base}`;
    let kind = kinds.get(kindKey);
    if (kind === undefined) kinds.set(kindKey, (kind = kindOfName(s)));
    if (kind === 'sequence') return undefined;
    order.set(n, s.order);
  }
  return (a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0);
}

export type Role = 'holder' | 'leader' | 'holder / leader' | 'waiting';

/** The role word for a place in line: "leader" in an election, "holder / leader" when it cannot be told, "holder" otherwise, or "waiting". */
export function roleOf(kind: RecipeKind, holding: boolean): Role {
  if (!holding) return 'waiting';
  return kind === 'election' ? 'leader' : kind === 'lockOrElection' ? 'holder / leader' : 'holder';
}

// ---------------------------------------------------------------------------------------------
// Single-node holders.

/** Kafka's `/controller` data: `{"version":1,"brokerid":1,"timestamp":"…"}`. */
export function parseController(data: Uint8Array | string): { brokerId: number; timestamp?: Date } | undefined {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  if (text.length > 10_000) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const id = o.brokerid;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) return undefined;
  const out: { brokerId: number; timestamp?: Date } = { brokerId: id };
  const ts = typeof o.timestamp === 'string' ? Number(o.timestamp) : typeof o.timestamp === 'number' ? o.timestamp : NaN;
  if (Number.isFinite(ts) && ts > 0) out.timestamp = new Date(ts);
  return out;
}

/** Names of ephemeral nodes that are, by themselves, a lock or a leadership. */
export function isSingleHolderName(name: string): boolean {
  return /^(controller|leader|master|active|.*lock)$/i.test(name) && parseSequentialName(name) === undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading a recipe from the server.

export interface Contender {
  name: string;
  path: string;
  /** 1-based place in line. */
  position: number;
  role: Role;
  sequence?: number;
  /** Session owning the node. */
  owner: string;
  /** When the node was created (the client's place in line since then). */
  since: Date;
  /** What the recipe says about the contender (Kafka's broker id, a read or write lock). */
  note?: Message;
}

export interface RecipeReading {
  path: string;
  kind?: RecipeKind;
  /** In line order: holders first. */
  contenders: Contender[];
  /** Contenders not read (beyond the limit), all waiting. */
  more: number;
  /** Sequential children that are not ephemeral (a queue's items, not clients). */
  persistentSequential: number;
  /** Children that vanished between the listing and their stat (their clients let go meanwhile). */
  vanished: number;
  /** Ephemeral children that are not in line (group members such as /brokers/ids/N), with owners. */
  members: Contender[];
  /** Children beyond those checked for `members`. */
  membersNotChecked: number;
  children: number;
  notes: Message[];
}

export interface ReadRecipeOptions {
  /** How many contenders to read (in line order). Default 200. */
  maxContenders?: number;
  /** How many non-sequential children to check for ephemeral members. Default 200. */
  maxMembers?: number;
}

type StatReader = Pick<ZkClient, 'exists' | 'getChildren' | 'getData'>;

const CHUNK = 100;

/**
 * Reads the recipe under `path`: one getChildren, then the stats of the first contenders in line
 * (pipelined), the data of a controller-like node, and the stats of some other children for
 * ephemeral members. A node with no children that is itself ephemeral is read as a single holder.
 */
export async function readRecipe(client: StatReader, path: string, opts: ReadRecipeOptions = {}): Promise<RecipeReading> {
  const maxContenders = Math.max(1, opts.maxContenders ?? 200);
  const maxMembers = Math.max(0, opts.maxMembers ?? 200);
  const { children, stat: own } = await client.getChildren(path);
  const reading: RecipeReading = { path, contenders: [], more: 0, persistentSequential: 0, vanished: 0, members: [], membersNotChecked: 0, children: children.length, notes: [] };
  const seq: SequentialName[] = [];
  const plain: string[] = [];
  for (const c of children) {
    const s = parseSequentialName(c);
    if (s) seq.push(s);
    else plain.push(c);
  }
  seq.sort(compareSequential);

  // 1. Sequential children, in line order, read in chunks until enough ephemeral ones are found.
  const inLine: { s: SequentialName; stat: ZnodeStat }[] = [];
  let at = 0;
  while (at < seq.length && inLine.length < maxContenders) {
    const chunk = seq.slice(at, at + CHUNK);
    at += chunk.length;
    const stats = await statsOf(client, path, chunk.map((s) => s.name));
    chunk.forEach((s, i) => {
      const st = stats[i];
      if (!st) reading.vanished++;
      else if (!isEphemeral(st)) reading.persistentSequential++;
      else if (inLine.length < maxContenders) inLine.push({ s, stat: st });
      else reading.more++;
    });
  }
  reading.more += seq.length - at;
  if (inLine.length > 0) {
    let kind = dominantKind(inLine.map((x) => x.s))!;
    if (kind === 'lockOrElection') kind = resolveKind(kind, path, await parentData(client, path));
    reading.kind = kind;
    const holding = holdingCount(kind, inLine.map((x) => x.s));
    reading.contenders = inLine.map(({ s, stat }, i) => {
      const c: Contender = { name: s.name, path: joinPath(path, s.name), position: i + 1, role: roleOf(kind, i < holding), sequence: s.sequence, owner: stat.ephemeralOwner, since: stat.ctime };
      if (kind === 'readWriteLock') c.note = isWriter(s) ? msg('write lock') : msg('read lock');
      return c;
    });
    if (kind === 'semaphore') reading.notes.push(msg("A semaphore lets up to maxLeases clients hold at once; that limit is the clients' setting, not stored in ZooKeeper, so only the first is shown as holder."));
    if (seq.some((s) => s.sequence < 0)) reading.notes.push(msg("The parent's sequence counter wrapped past 2^31: negative numbers were created after the positive ones and are ordered so."));
  }

  // 2. Single-node holders: a `controller`, `leader`, `…Lock` child, or the node itself.
  if (reading.contenders.length === 0) {
    const single = plain.filter(isSingleHolderName).slice(0, 10);
    const stats = await statsOf(client, path, single);
    for (let i = 0; i < single.length; i++) {
      const st = stats[i];
      if (!st || !isEphemeral(st)) continue;
      const c: Contender = { name: single[i], path: joinPath(path, single[i]), position: reading.contenders.length + 1, role: 'holder', owner: st.ephemeralOwner, since: st.ctime };
      await describeSingle(client, c);
      reading.contenders.push(c);
    }
    if (reading.contenders.length === 0 && children.length === 0 && isEphemeral(own)) {
      // The node itself: a holder when its name or data says so (`/controller`), else just owned.
      const name = path.slice(path.lastIndexOf('/') + 1);
      const c: Contender = { name, path, position: 1, role: 'holder', owner: own.ephemeralOwner, since: own.ctime };
      await describeSingle(client, c);
      if (isSingleHolderName(name) || c.note !== undefined) reading.contenders.push(c);
      else reading.members.push({ ...c, role: 'waiting' });
    }
    if (reading.contenders.length > 0) reading.kind = 'singleHolder';
  }

  // 3. Other ephemeral children: members of a group (no order, no holder).
  const taken = new Set(reading.contenders.map((c) => c.name));
  const rest = plain.filter((n) => !taken.has(n));
  const checked = rest.slice(0, maxMembers);
  reading.membersNotChecked = rest.length - checked.length;
  const memberStats = await statsOf(client, path, checked);
  checked.forEach((name, i) => {
    const st = memberStats[i];
    if (st && isEphemeral(st)) reading.members.push({ name, path: joinPath(path, name), position: reading.members.length + 1, role: 'waiting', owner: st.ephemeralOwner, since: st.ctime });
  });
  return reading;
}

async function parentData(client: StatReader, path: string): Promise<Uint8Array | undefined> {
  try {
    return (await client.getData(path)).data;
  } catch {
    return undefined; // not readable: the names alone decide
  }
}

async function describeSingle(client: StatReader, c: Contender): Promise<void> {
  if (c.role !== 'holder') return;
  try {
    const { data } = await client.getData(c.path);
    const ctl = parseController(data);
    if (ctl) {
      c.role = 'leader';
      c.note = msg('Kafka controller: broker {0}', ctl.brokerId);
    }
  } catch {
    // gone meanwhile, or not readable: the owner is still known
  }
}

async function statsOf(client: StatReader, parent: string, names: readonly string[]): Promise<(ZnodeStat | undefined)[]> {
  const out: (ZnodeStat | undefined)[] = [];
  for (let i = 0; i < names.length; i += CHUNK) {
    const chunk = names.slice(i, i + CHUNK);
    // exists() answers undefined for a node deleted meanwhile; other errors (connection lost) fail the reading.
    out.push(...(await Promise.all(chunk.map((n) => client.exists(joinPath(parent, n))))));
  }
  return out;
}
