// Subtree operations: walk, count, delete, copy, move, export and import a whole subtree.
//
// Used by the tree's recursive delete, drag-and-drop copy/move (also across ensembles), search,
// export/import and the benchmarks. Domain layer: no 'vscode' here. One module per family:
//  - walk.ts          the pipelined breadth-first walk, and counting;
//  - walkReads.ts     how the walk reads nodes: one by one, or in multiRead batches (3.6+);
//  - batchSizing.ts   multi requests sized by bytes (pure);
//  - batchRunner.ts   the engine that runs ops in batches and resolves conflicts;
//  - incomplete.ts    SubtreeIncompleteError, the report of a stop half-way;
//  - delete.ts        recursive delete;
//  - treeWrite.ts     what copy, move and import share: planning ops against the target, running them;
//  - copyMove.ts      copy and move;
//  - exportFormat.ts  the export document: writing and checking one;
//  - import.ts        planning and applying an import.
// The guards against destroying what belongs to others live in ../subtreeGuards.ts, the ACL checks
// of a write in ../subtreeAcl.ts. This file is the public API: import from '…/zk/subtree'.
export { SUBTREE_DEFAULTS, type SubtreeClient, type SubtreeProgress } from './subtreeClient';
export { countSubtree, walkSubtree, walkSubtreeNames, type NamesWalkOptions, type SubtreeCount, type WalkedName, type WalkedNode, type WalkOptions, type WalkResult } from './walk';
export { MULTI_OVERHEAD_BYTES, aclBytes, aloneRequestBytes, fitsInBatch, multiOpBytes, planBatches, type BatchLimits } from './batchSizing';
export { SubtreeIncompleteError, type IncompleteReport, type SubtreeOperation } from './incomplete';
export type { ConflictPolicy } from './batchRunner';
export { deleteSubtree, type DeleteOptions, type DeleteResult } from './delete';
export type { TreeNode, WriteOptions, WriteResult } from './treeWrite';
export {
  checkCopyAcls, copySubtree, moveSubtree, planCopy, type CopyOptions, type CopyPlan, type CopyResult, type MoveResult,
} from './copyMove';
export {
  EXPORT_FORMAT, EXPORT_VERSION, exportSubtree, parseSubtreeExport, type ExportedNode, type ExportedStat, type SubtreeExport,
} from './exportFormat';
export { importSubtree, planImport, type ImportPlan, type ImportResult } from './import';
export { mapBounded } from './helpers';
