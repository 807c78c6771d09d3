// Reads a ZooKeeper snapshot (FileSnap + SerializeUtils.serializeSnapshot + DataTree.serialize):
// FileHeader ('ZKSN', version, dbid); the sessions (id, timeout); the ACL cache (ref -> ACL list);
// the nodes in pre-order, each a path and a DataNode (data, ACL ref, StatPersisted), root as "" and
// "/" as the end; then the seal (Adler-32 of everything before it, as a long, and "/"). 3.6+ appends
// the ZxidDigest (zxid, digest version, digest) with a second seal. Gzip snapshots (`.gz`) are read
// through zlib; snappy ones are refused with a message (no snappy library in the extension).
import { nodeFsPromises } from '../lazyBuiltins';
import type { ZkAcl } from '../acl';
import { Adler32 } from './adler32';
import { ChunkedInput } from './chunkedInput';
import { damage, type FileDamage } from './damage';
import { messageOfError, msg, type Message } from '../message';
import { JuteCursor, MalformedRecord, OutOfBytes } from './juteCursor';
import { readAcl } from './txnBody';
import { FileDamageError, MAX_RECORD_BYTES, readHeader, type FileHeader } from './txnLog';

export const SNAPSHOT_MAGIC = 0x5a4b534e; // 'ZKSN'
const FIRST_WANT = 256;

export interface PersistedStat {
  czxid: bigint;
  mzxid: bigint;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  pzxid: bigint;
}

const STAT_BYTES = 60;

/**
 * A node as the snapshot stores it. Its bytes stay in a slab shared by the nodes read in the same run
 * (one allocation per run, not two Buffers per node); data and stat are decoded when first asked for.
 */
export class SnapshotNode {
  private decoded?: PersistedStat;

  constructor(
    readonly path: string,
    readonly aclRef: number,
    private slab: Buffer,
    private dataAt: number,
    readonly dataLength: number,
    private statAt: number,
  ) {}

  get data(): Buffer {
    return this.slab.subarray(this.dataAt, this.dataAt + this.dataLength);
  }

  get stat(): PersistedStat {
    return (this.decoded ??= decodeStat(this.slab, this.statAt));
  }

  /** Moves the node's bytes reference from the read window to its slab (offsets shift by `delta`). */
  rebase(slab: Buffer, delta: number): void {
    this.slab = slab;
    this.dataAt -= delta;
    this.statAt -= delta;
  }
}

function decodeStat(b: Buffer, at: number): PersistedStat {
  return {
    czxid: b.readBigInt64BE(at),
    mzxid: b.readBigInt64BE(at + 8),
    ctime: Number(b.readBigInt64BE(at + 16)),
    mtime: Number(b.readBigInt64BE(at + 24)),
    version: b.readInt32BE(at + 32),
    cversion: b.readInt32BE(at + 36),
    aversion: b.readInt32BE(at + 40),
    ephemeralOwner: b.readBigInt64BE(at + 44),
    pzxid: b.readBigInt64BE(at + 52),
  };
}

export interface SnapshotSession {
  id: bigint;
  timeoutMs: number;
}

export type SnapshotCompression = 'none' | 'gzip';

export interface Snapshot {
  file: string;
  compression: SnapshotCompression;
  header: FileHeader;
  sessions: SnapshotSession[];
  /** The ACL cache: every node's aclRef points here (-1 is OPEN_ACL_UNSAFE). */
  acls: Map<number, ZkAcl[]>;
  /** Every node by path, in the file's (pre-)order; the root is "/". */
  nodes: Map<string, SnapshotNode>;
  /** Child names by parent path, in the file's order (absent for leaves). */
  children: Map<string, string[]>;
  /** 3.6+: the tree digest at `zxid`. */
  digest?: { zxid: bigint; version: number; digest: bigint };
  /** Set when the file ended early or is corrupt; what was read before is kept. */
  damage?: FileDamage;
}

const OPEN_ACL_UNSAFE_REF = -1;

/** The ACL of a node, resolved through the cache ([] when the ref is unknown). */
export function snapshotAcl(snap: Snapshot, node: SnapshotNode): ZkAcl[] {
  if (node.aclRef === OPEN_ACL_UNSAFE_REF) return [{ perms: 31, scheme: 'world', id: 'anyone' }];
  return snap.acls.get(node.aclRef) ?? [];
}

/**
 * Reads a snapshot. Throws FileDamageError when the file is not a snapshot at all (wrong magic,
 * snappy, an unreadable gzip header); any later problem is reported in `damage` with what was read.
 */
export async function readSnapshot(file: string): Promise<Snapshot> {
  const compression = await sniffCompression(file);
  const input = compression === 'gzip' ? ChunkedInput.gzip(file) : await ChunkedInput.file(file);
  const adler = new Adler32();
  try {
    let header: FileHeader;
    try {
      header = await readHeader(input, SNAPSHOT_MAGIC, msg('snapshot'));
    } catch (e) {
      if (e instanceof FileDamageError) throw e;
      throw new FileDamageError(damage('unreadable', 0, msg('not a readable snapshot ({0})', messageOfError(e))));
    }
    const snap: Snapshot = { file, compression, header, sessions: [], acls: new Map(), nodes: new Map(), children: new Map() };
    // The header's 16 bytes are part of the checksum (FileSnap writes them through the checked stream).
    const headerBytes = Buffer.alloc(16);
    headerBytes.writeInt32BE(SNAPSHOT_MAGIC, 0);
    headerBytes.writeInt32BE(header.version, 4);
    headerBytes.writeBigInt64BE(header.dbid, 8);
    adler.update(headerBytes);
    try {
      await readBody(input, adler, snap);
    } catch (e) {
      snap.damage = e instanceof FileDamageError ? e.damage : damage('unreadable', input.offset(), msg('the snapshot could not be read further ({0})', messageOfError(e)));
    }
    return snap;
  } finally {
    await input.close();
  }
}

async function readBody(input: ChunkedInput, adler: Adler32, snap: Snapshot): Promise<void> {
  const sessionCount = await record(input, adler, (c) => count(c, 'session'));
  for (let i = 0; i < sessionCount; i++) {
    snap.sessions.push(await record(input, adler, (c) => ({ id: c.long(), timeoutMs: c.int() })));
  }
  const aclCount = await record(input, adler, (c) => count(c, 'ACL cache entry'));
  for (let i = 0; i < aclCount; i++) {
    const [ref, acl] = await record(input, adler, (c) => [c.safeLong(), readAcl(c)] as const);
    snap.acls.set(ref, acl);
  }
  // Nodes are decoded in runs, as many as the window holds, between reads.
  for (let done = false; !done; ) {
    done = await record(input, adler, (c) => readNodes(c, input, adler, snap));
  }
  await seal(input, adler, msg('the tree'));
  if (await input.ensure(1) === 0) return;
  snap.digest = await record(input, adler, (c) => ({ zxid: c.long(), version: c.int(), digest: c.long() }));
  await seal(input, adler, msg('the digest'));
}

/**
 * Reads nodes until the end marker (true) or until the window runs out after at least one node
 * (false: the caller reads more). Each whole node is committed (checksummed and consumed) at once, so
 * a retry starts at the first node not yet read.
 */
function readNodes(c: JuteCursor, input: ChunkedInput, adler: Adler32, snap: Snapshot): boolean {
  const buf = c.buf;
  const first = c.pos;
  let committed = c.pos;
  const run: SnapshotNode[] = [];
  // the run's bytes move from the window (reused by the next read) into a slab of their own
  const keep = () => {
    const slab = Buffer.from(buf.subarray(first, committed));
    for (const n of run) n.rebase(slab, first);
  };
  for (;;) {
    const at = input.offset();
    let node: SnapshotNode | 'end';
    try {
      node = readNode(c);
    } catch (e) {
      keep();
      if (e instanceof OutOfBytes && committed !== first) {
        c.pos = committed; // the whole nodes are kept; the caller reads more
        return false;
      }
      throw e; // not even one node fits: the caller grows the window
    }
    if (node === 'end') {
      keep();
      return true;
    }
    addNode(snap, node, at);
    run.push(node);
    adler.update(buf, committed, c.pos);
    input.consume(c.pos - committed);
    committed = c.pos;
  }
}

function readNode(c: JuteCursor): SnapshotNode | 'end' {
  const path = c.string();
  if (path === '/') return 'end';
  if (path === null) throw new MalformedRecord('a node without a path');
  const dataLength = Math.max(0, c.skipBuffer());
  const dataAt = c.pos - dataLength;
  const aclRef = c.safeLong();
  if (c.remaining() < STAT_BYTES) throw new OutOfBytes(STAT_BYTES - c.remaining());
  const statAt = c.pos;
  c.pos += STAT_BYTES;
  return new SnapshotNode(path === '' ? '/' : path, aclRef, c.buf, dataAt, dataLength, statAt);
}

function addNode(snap: Snapshot, node: SnapshotNode, at: number): void {
  const { path } = node;
  if (path !== '/') {
    const slash = path.lastIndexOf('/');
    const parent = slash <= 0 ? '/' : path.slice(0, slash);
    if (!path.startsWith('/') || path.endsWith('/') || !snap.nodes.has(parent)) {
      throw new FileDamageError(damage('malformed', at, msg('node {0} has no parent before it', JSON.stringify(path))));
    }
    const siblings = snap.children.get(parent);
    if (siblings) siblings.push(path.slice(slash + 1));
    else snap.children.set(parent, [path.slice(slash + 1)]);
  }
  if (snap.nodes.has(path)) throw new FileDamageError(damage('malformed', at, msg('node {0} appears twice', JSON.stringify(path))));
  snap.nodes.set(path, node);
}

function count(c: JuteCursor, what: string): number {
  const n = c.int();
  if (n < 0) throw new MalformedRecord(`a negative ${what} count (${n})`);
  return n;
}

/** The Adler-32 of everything so far as a long, then "/": FileSnap's check that the file is whole. */
async function seal(input: ChunkedInput, adler: Adler32, after: Message): Promise<void> {
  const expected = adler.value();
  const at = input.offset();
  const { stored, slash } = await record(input, adler, (c) => ({ stored: c.safeLong(), slash: c.string() }));
  if (stored !== expected) {
    throw new FileDamageError(damage('checksum', at, msg('checksum mismatch after {0} (stored {1}, computed {2})', after, stored.toString(16), expected.toString(16))));
  }
  if (slash !== '/') throw new FileDamageError(damage('malformed', at, msg('{0}\'s seal lacks its "/" marker', after)));
}

/**
 * Decodes one record synchronously from the window; when it runs past the window, reads more and
 * starts the record again. Running past the end of the file is a truncation at the record's offset.
 */
async function record<T>(input: ChunkedInput, adler: Adler32, parse: (c: JuteCursor) => T): Promise<T> {
  let want = FIRST_WANT;
  for (;;) {
    const have = await input.ensure(want);
    const start = input.windowStart();
    const c = new JuteCursor(input.buffer(), start, start + have, MAX_RECORD_BYTES);
    try {
      const value = parse(c);
      // parse may have committed part of the window itself (readNodes)
      const from = input.windowStart();
      adler.update(input.buffer(), from, c.pos);
      input.consume(c.pos - from);
      return value;
    } catch (e) {
      if (e instanceof OutOfBytes && !input.exhausted()) {
        want = have + e.needed;
        continue;
      }
      if (e instanceof OutOfBytes) throw new FileDamageError(damage('truncated', input.offset(), msg('the snapshot is cut short ({0} more byte(s) needed)', e.needed)));
      // The decoder's own words (a field, a count) are quoted as they are.
      if (e instanceof MalformedRecord) throw new FileDamageError(damage('malformed', input.offset(), e.message));
      throw e;
    }
  }
}

async function sniffCompression(file: string): Promise<SnapshotCompression> {
  const fh = await nodeFsPromises().open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    // snappy-java's stream header: 0x82 "SNAPPY" 0x00
    if (bytesRead >= 8 && head[0] === 0x82 && head.toString('latin1', 1, 7) === 'SNAPPY') {
      throw new FileDamageError(
        damage('not-this-format', 0, msg("a snappy-compressed snapshot (zookeeper.snapshot.compression.method=snappy): this extension has no snappy decoder; decompress it with ZooKeeper's tools or write gzip snapshots")),
      );
    }
    return 'none';
  } finally {
    await fh.close();
  }
}
