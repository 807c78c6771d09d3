// ZooKeeper's files on disk: transaction logs and snapshots, read offline.
export { adler32, Adler32 } from './adler32';
export type { FileDamage, DamageKind } from './damage';
export { classifyName, listDataDir, type PersistenceFile, type PersistenceKind } from './dataDir';
export { readSnapshot, snapshotAcl, SNAPSHOT_MAGIC, type Snapshot, type SnapshotNode, type SnapshotSession, type PersistedStat } from './snapshot';
export { TxnLogReader, FileDamageError, TXNLOG_MAGIC, MAX_RECORD_BYTES, type FileHeader, type TxnLogOptions } from './txnLog';
export { nodeHistory, readEntryAt, changesTo, multiApplied, type HistoryVersion, type HistoryResult, type HistoryOptions } from './history';
export { readTimelinePage, matches, type TimelineFilter, type TimelineCursor, type TimelineRow, type TimelinePage } from './timeline';
export { ownerOf, snapshotStat, snapshotZxidText, txnSummary, multiParts } from './describe';
export { TXN_OP, txnTypeName, txnPaths, hexLong, type TxnEntry, type TxnHeader, type TxnOp, type TxnTypeName } from './txnTypes';
export { diffSnapshots, nodeAspects, nodeMode, olderFirst, type SnapshotDiff, type ChangedNode, type NodeAspect, type DiffGroup } from './snapshotDiff';
