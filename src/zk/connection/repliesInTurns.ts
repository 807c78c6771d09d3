// A reply too long to decode in one turn (a huge child list) is decoded a slice per turn, and the
// socket it came on waits meanwhile: its later frames (replies, watch events) are read only after
// the long one is delivered, so ZooKeeper's order holds (a child's event never overtakes the list).
import type { ChildListInTurns } from '../wire/childListInTurns';
import type { GetChildrenReply } from '../wire/replies';

/** What the decoding needs of the connection. */
export interface InTurnsPort {
  /** False once the connection the reply came on was dropped (its requests failed with it). */
  current(): boolean;
  deliver(body: GetChildrenReply): void;
  /** The list broke a bound: a protocol violation. */
  fail(err: Error): void;
  /** Reads the frames that waited (already buffered). */
  drain(): void;
}

/** A socket as far as this needs it. */
export interface Pausable {
  pause(): unknown;
  resume(): unknown;
}

export class RepliesInTurns {
  private waitingOn: Pausable | undefined;

  /** True while the socket's frames wait for a long reply: stop reading frames. */
  holds(socket: Pausable): boolean {
    return this.waitingOn === socket;
  }

  answer(socket: Pausable, list: ChildListInTurns, port: InTurnsPort): void {
    this.waitingOn = socket;
    socket.pause();
    const release = () => {
      if (this.waitingOn === socket) this.waitingOn = undefined;
    };
    // As for a reply decoded at once: what throws while decoding or delivering drops the connection.
    const fail = (err: unknown) => port.current() && port.fail(err instanceof Error ? err : new Error(String(err)));
    list.decode(() => port.current()).then(
      (body) => {
        release();
        if (!body) return;
        try {
          port.deliver(body);
        } catch (err) {
          fail(err);
          return;
        }
        socket.resume();
        port.drain();
      },
      (err: unknown) => {
        release();
        fail(err);
      },
    );
  }
}
