// Long passes over a whole subtree (a plan's comparison, a folder's entries, a server read turned
// into a map: 50,000 nodes and more) run in slices of about 10 ms, the event loop running between
// them. In one go, a 50,001-node plan held the loop for over a second on a loaded machine: the
// socket's replies, VS Code's requests and the connection's liveness check all waited behind it.
// A pass is written once as a generator that yields at checkpoints (every few hundred items);
// runAtOnce drives it without stopping (pure callers, tests), runInTurns gives the event loop a
// turn at the first checkpoint after each slice. Domain layer: no 'vscode' here.
import { nextTurn, type NextTurn } from '../pageInTurns';

/** Items between checkpoints: the clock is read only there. */
export const ITEMS_PER_CHECKPOINT = 256;

export interface TurnOptions {
  /** Longest stretch without a turn of the event loop, in ms (default 10). */
  sliceMs?: number;
  turn?: NextTurn;
}

/** A pass that yields (nothing) at its checkpoints and returns its result. */
export type Pass<R> = Generator<void, R, void>;

/** Runs a pass to its end without giving the event loop a turn. */
export function runAtOnce<R>(pass: Pass<R>): R {
  for (;;) {
    const step = pass.next();
    if (step.done) return step.value;
  }
}

/** Runs a pass, giving the event loop a turn whenever a slice (sliceMs) is used up. */
export async function runInTurns<R>(pass: Pass<R>, opts: TurnOptions = {}): Promise<R> {
  const slices = new Slices(opts);
  for (;;) {
    const step = pass.next();
    if (step.done) return step.value;
    const turn = slices.checkpoint();
    if (turn) await turn;
  }
}

/** For async loops: call checkpoint() once per item and await what it returns when it returns something. */
export class Slices {
  private readonly sliceMs: number;
  private readonly turn: NextTurn;
  private sliceStart = performance.now();
  private items = 0;

  constructor(opts: TurnOptions = {}) {
    this.sliceMs = opts.sliceMs ?? 10;
    this.turn = opts.turn ?? nextTurn;
  }

  /** undefined (go on at once) unless the slice is used up: then a promise of the next turn. */
  checkpoint(): Promise<void> | undefined {
    if (performance.now() - this.sliceStart < this.sliceMs) return undefined;
    return this.turn().then(() => {
      this.sliceStart = performance.now();
    });
  }

  /** checkpoint() every ITEMS_PER_CHECKPOINT calls (the clock is not free either). */
  item(): Promise<void> | undefined {
    return ++this.items % ITEMS_PER_CHECKPOINT === 0 ? this.checkpoint() : undefined;
  }
}
