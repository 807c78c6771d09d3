// A getChildren2 reply with a huge child list, decoded a slice of names per turn of the event loop.
// Building 100,000 strings from a 1.6 MiB frame in one go was the longest block of the extension
// host while expanding such a node (tens of ms, hundreds on a loaded machine), longer than all the
// tree's paging of the same names (which pageInTurns already slices). The bounds are the decoder's
// own (WireReader.stringsInto): a hostile count or length is refused at the name it reaches, and the
// count is checked against the frame before anything is allocated.
import { MIN_BYTES, WireReader } from './reader';
import { readStat, type GetChildrenReply } from './replies';
import { nextTurn, type NextTurn } from '../pageInTurns';

/** Names decoded per turn: a few ms of work however long the list (pageInTurns slices the same). */
export const NAMES_PER_SLICE = 8192;

export type { NextTurn };

const WHAT = 'the child list';

export class ChildListInTurns {
  private readonly names: string[];
  private decoded = 0;

  private constructor(
    private readonly reader: WireReader,
    count: number,
    private readonly perSlice: number,
  ) {
    this.names = new Array(count);
  }

  /**
   * The decoder of a getChildren2 body starting at `start` when its list is longer than one slice;
   * undefined for a shorter (or unreadable) one, which readGetChildren2 decodes at once.
   */
  static ifLong(frame: Buffer, start: number, perSlice = NAMES_PER_SLICE): ChildListInTurns | undefined {
    if (frame.length - start < 4 || frame.readInt32BE(start) <= perSlice) return undefined;
    const reader = new WireReader(frame, start);
    return new ChildListInTurns(reader, reader.vectorCount(MIN_BYTES.string, WHAT), perSlice);
  }

  /** Decodes the next slice of names (then the Stat after the last one); true when the reply is whole. */
  step(): boolean {
    const to = Math.min(this.names.length, this.decoded + this.perSlice);
    this.reader.stringsInto(this.names, this.decoded, to, WHAT);
    this.decoded = to;
    return to === this.names.length;
  }

  /**
   * Every slice, a turn apart; undefined when `wanted()` turned false meanwhile (the connection the
   * reply came on was dropped). Rejects with the ProtocolViolation of a malformed list.
   */
  async decode(wanted: () => boolean, turn: NextTurn = nextTurn): Promise<GetChildrenReply | undefined> {
    while (!this.step()) {
      await turn();
      if (!wanted()) return undefined;
    }
    return { children: this.names, stat: readStat(this.reader) };
  }
}
