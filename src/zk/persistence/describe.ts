// Words for what the files hold, shared by every view of them: owners of nodes, a transaction on
// one line, a snapshot node's stat as the live tree shows it.
import { english, type Translate } from '../localize';
import type { ZnodeStat } from '../stat';
import type { Snapshot, SnapshotNode } from './snapshot';
import { hexLong, txnPaths, txnTypeName, type TxnEntry, type TxnOp } from './txnTypes';

const CONTAINER_OWNER = BigInt.asIntN(64, 0x8000000000000000n);
const TTL_MASK = BigInt.asIntN(64, 0xff00000000000000n);

/** What ephemeralOwner says (ZooKeeper's EphemeralType): a session, a container, a TTL node, or nobody. */
export function ownerOf(ephemeralOwner: bigint): { kind: 'persistent' } | { kind: 'ephemeral'; session: string } | { kind: 'container' } | { kind: 'ttl'; ttlMs: number } {
  if (ephemeralOwner === 0n) return { kind: 'persistent' };
  if (ephemeralOwner === CONTAINER_OWNER) return { kind: 'container' };
  if ((ephemeralOwner & TTL_MASK) === TTL_MASK) return { kind: 'ttl', ttlMs: Number(ephemeralOwner & 0xffffffffffn) };
  return { kind: 'ephemeral', session: hexLong(ephemeralOwner) };
}

/** A snapshot node's stat in the live tree's shape (ZnodeStat), with its child count from the snapshot. */
export function snapshotStat(snap: Snapshot, node: SnapshotNode): ZnodeStat {
  const s = node.stat;
  return {
    czxid: hexLong(s.czxid),
    mzxid: hexLong(s.mzxid),
    pzxid: hexLong(s.pzxid),
    ctime: new Date(s.ctime),
    mtime: new Date(s.mtime),
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: hexLong(s.ephemeralOwner),
    dataLength: node.dataLength,
    numChildren: snap.children.get(node.path)?.length ?? 0,
  };
}

/** The snapshot's zxid as its name says it ("snapshot.1a2b3c" -> "1a2b3c"), or the digest's. */
export function snapshotZxidText(snap: Snapshot, fileName: string): string {
  const m = /^snapshot\.([0-9a-f]+)/i.exec(fileName);
  return m ? m[1] : snap.digest ? snap.digest.zxid.toString(16) : '?';
}

// The operation names (setData, createSession, …) are ZooKeeper's and paths are data: only the
// words around them go through `t`.
function opText(op: TxnOp, t: Translate): string {
  switch (op.type) {
    case 'createSession':
      return t('timeout {0} ms', op.timeout);
    case 'closeSession':
      return op.paths.length ? t('deletes {0} ephemeral(s)', op.paths.length) : '';
    case 'error':
      return t('error {0}', op.err);
    case 'multi':
      return op.parts.some((p) => p.type === 'error') ? t('{0} part(s), failed (nothing applied)', op.parts.length) : t('{0} part(s)', op.parts.length);
    case 'unknown':
      return t('{0} bytes', op.bodyLength);
    default:
      return op.path;
  }
}

/** One line for a transaction: "0x1f setData /app/config", worded through `t` (the adapter passes vscode.l10n.t). */
export function txnSummary(entry: TxnEntry, t: Translate = english): string {
  const type = txnTypeName(entry.header.type);
  const paths = txnPaths(entry.op);
  const what = entry.op.type === 'multi' ? `${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''} (${opText(entry.op, t)})` : opText(entry.op, t);
  return `${hexLong(entry.header.zxid)} ${type}${what ? ' ' + what : ''}`;
}

/** Multi parts, one per line ("setData /a", "check /b", "error -101"). */
export function multiParts(entry: TxnEntry, t: Translate = english): string[] {
  return entry.op.type === 'multi' ? entry.op.parts.map((p) => `${p.type} ${opText(p, t)}`.trim()) : [];
}
