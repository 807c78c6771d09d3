// Stopping half-way: every stop of a write (an error, or cancellation through the AbortSignal,
// honoured between batches so that no batch is left in doubt) throws a SubtreeIncompleteError whose
// report says what was done and what is left. Domain layer: no 'vscode' here.
import { ZkError, isZkError } from '../errors';
import { type Message } from '../message';

export type SubtreeOperation = 'delete' | 'copy' | 'move' | 'import';

export interface IncompleteReport {
  operation: SubtreeOperation;
  /** The subtree being deleted, or the target being written. */
  root: string;
  /** Ops applied (nodes deleted, or nodes created/updated). */
  completed: number;
  /** Ops not applied. */
  remaining: number;
  /** Ops of the last request whose outcome is unknown (connection or session lost): not in the counts above. */
  uncertain: number;
  /** Paths done, in the order done (for a write: every one has its parent, a top part of the tree). */
  completedPaths: string[];
  /** Paths not done, in the order they would have been done. */
  remainingPaths: string[];
  uncertainPaths: string[];
}

/**
 * A subtree operation that stopped half-way: `code` is the cause's code ('CANCELLED' when the
 * signal was aborted) and `report` says what was done and what is left.
 */
export class SubtreeIncompleteError extends ZkError {
  readonly partial = true;
  constructor(
    code: ZkError['code'],
    message: string | Message,
    readonly report: IncompleteReport,
    cause?: unknown,
  ) {
    super(code, message, { path: report.root, op: report.operation, cause, serverCode: isZkError(cause) ? cause.serverCode : undefined });
    this.name = 'SubtreeIncompleteError';
  }
}

