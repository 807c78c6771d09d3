// What the servers of one connection cannot do: request types newer than ZooKeeper 3.4 that a
// server refused. Learned from an UNIMPLEMENTED reply, or from the server closing the connection
// while such a request was its first unanswered one (some builds drop the connection instead of
// answering). A request of a type known to be refused fails at once with a message that says
// which feature and which ZooKeeper release it needs, and is not sent again: no reconnect loop
// re-sending what the server cannot read.
import { ZkError } from './errors';
import { msg, type Message } from './message';

interface NewerRequest {
  /** First release whose server knows this request type (ZooDefs.OpCode at the release tags). */
  since: string;
  /** What the user asked for, as a phrase ("container nodes"), translated inside the error's message. */
  feature: Message;
  /** Why else a server may refuse it, or what to do instead. */
  hint?: Message;
  /**
   * A server that knows the type may still answer UNIMPLEMENTED, in order and keeping the
   * connection (createTTL with TTL nodes switched off): no connection close follows.
   */
  refusedInOrder?: true;
}

/** Request types newer than ZooKeeper 3.4, by opcode. */
export const NEWER_REQUESTS: Readonly<Record<number, NewerRequest>> = {
  15: { since: '3.5.0', feature: msg('creating a node and reading its Stat in one request (create2)') },
  16: { since: '3.5.0', feature: msg('dynamic reconfiguration') },
  17: { since: '3.5.0', feature: msg('checking watches') },
  18: { since: '3.5.0', feature: msg('removing watches') },
  19: { since: '3.5.1', feature: msg('container nodes'), hint: msg('create a persistent node instead') },
  20: { since: '3.5.1', feature: msg('deleting container nodes') },
  21: { since: '3.5.3', feature: msg('TTL nodes'), hint: msg('a 3.5.3+ server also needs extendedTypesEnabled=true in its config'), refusedInOrder: true },
  22: { since: '3.6.0', feature: msg('read-only transactions (multiRead)') },
  103: { since: '3.6.0', feature: msg("listing a session's ephemeral nodes (getEphemerals)") },
  104: { since: '3.6.0', feature: msg('counting all descendants in one request (getAllChildrenNumber)') },
  105: { since: '3.6.0', feature: msg('setting persistent watches again after a reconnect (setWatches2)') },
  106: { since: '3.6.0', feature: msg('persistent and recursive watches (addWatch)') },
  107: { since: '3.7.0', feature: msg('asking the server who this session is (whoAmI)') },
};

const CONNECTION_LOSS = -4;
const UNIMPLEMENTED = -6;
/** A refusal learned from a dropped connection is tried again after this long (it may have been a coincidence). */
const CLOSED_MARK_MS = 10 * 60_000;

type How = 'reply' | 'closed';

/** A request of a newer type on its way, until its reply. */
export interface SentNewerRequest {
  readonly opcode: number;
  readonly server: string;
}

export class ServerCapabilities {
  private readonly refused = new Map<string, Map<number, { how: How; at: number }>>();
  private readonly answered = new Map<string, Set<number>>();
  private connection = 0;
  private closingLocally = false;
  /** The connection whose close has been explained (by an UNIMPLEMENTED reply or a culprit). */
  private explained = -1;

  constructor(
    /**
     * Called when a server answered UNIMPLEMENTED for a type it does not know: Apache's servers
     * close the connection right after (UnimplementedRequestProcessor), and lose whatever was sent
     * in between; the client closes it first, so that what comes next waits for the next one.
     */
    private readonly onServerClosing: () => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `server` is known to refuse requests of this type. */
  lacks(opcode: number, server: string | undefined): boolean {
    if (server === undefined) return false;
    const mark = this.refused.get(server)?.get(opcode);
    if (!mark) return false;
    if (mark.how === 'closed' && this.now() - mark.at > CLOSED_MARK_MS) {
      this.refused.get(server)?.delete(opcode);
      return false;
    }
    return true;
  }

  /** The error a request fails with before it is sent, when its server is known to refuse its type. */
  refusal(opcode: number, server: string | undefined, op: string, path?: string): ZkError | undefined {
    if (!this.lacks(opcode, server)) return undefined;
    return unsupportedError(opcode, server!, this.refused.get(server!)!.get(opcode)!.how, op, path);
  }

  /** A new connection (the previous one's close is over). */
  connected(): void {
    this.connection++;
    this.closingLocally = false;
  }

  /** This side is closing the connection (liveness timeout, protocol error, a deliberate drop, close). */
  closingHere(): void {
    this.closingLocally = true;
  }

  /** Call when a request is written; undefined for the types every server knows. */
  sent(opcode: number, server: string | undefined): SentNewerRequest | undefined {
    if (server === undefined || NEWER_REQUESTS[opcode] === undefined) return undefined;
    return { opcode, server };
  }

  /**
   * Call with the reply code of a request `sent` returned. Returns the error to fail it with
   * when the reply shows its server does not support it, undefined to keep the reply as it is.
   */
  replied(req: SentNewerRequest, code: number, op: string, path?: string): ZkError | undefined {
    if (code === UNIMPLEMENTED) {
      this.mark(req, 'reply');
      this.explained = this.connection;
      if (!NEWER_REQUESTS[req.opcode].refusedInOrder) {
        this.closingHere();
        this.onServerClosing();
      }
      return unsupportedError(req.opcode, req.server, 'reply', op, path);
    }
    if (code !== CONNECTION_LOSS) {
      let set = this.answered.get(req.server);
      if (!set) this.answered.set(req.server, (set = new Set()));
      set.add(req.opcode);
      return undefined;
    }
    // The connection closed with this request unanswered. Requests fail in the order they were
    // sent, and a server drops the connection at the first request it cannot read: the first
    // unanswered request of a type this server has never answered is the one it refused.
    // Only requests on the wire fail this way (queued ones wait for the next connection), and
    // before the next connection is counted: the current count is the connection that closed.
    if (this.closingLocally || this.explained === this.connection) return undefined;
    if (this.answered.get(req.server)?.has(req.opcode)) return undefined;
    this.explained = this.connection;
    this.mark(req, 'closed');
    return unsupportedError(req.opcode, req.server, 'closed', op, path);
  }

  /**
   * A multi with requests of this type inside was refused as unreadable (MARSHALLINGERROR, what
   * ZooKeeper 3.4 answers for a create2 inside a multi). True when the type is now taken as
   * refused: the server had never accepted it.
   */
  refusedInMulti(opcode: number, server: string | undefined): boolean {
    if (server === undefined || this.answered.get(server)?.has(opcode) || this.lacks(opcode, server)) return false;
    this.mark({ opcode, server }, 'reply');
    return true;
  }

  private mark(req: SentNewerRequest, how: How): void {
    let map = this.refused.get(req.server);
    if (!map) this.refused.set(req.server, (map = new Map()));
    map.set(req.opcode, { how, at: this.now() });
    this.answered.get(req.server)?.delete(req.opcode);
  }
}

/** "The server 10.0.0.1:2181 does not support container nodes (it needs ZooKeeper 3.5.1 or later): …" */
export function unsupportedError(opcode: number, server: string, how: How, op: string, path?: string): ZkError {
  const r = NEWER_REQUESTS[opcode];
  const what = r?.feature ?? msg('request type {0}', opcode);
  const needs = r ? msg('it needs ZooKeeper {0} or later', r.since) : msg('it needs a newer ZooKeeper');
  const hint = r?.hint ? msg('; {0}', r.hint) : '';
  const message =
    how === 'closed'
      ? msg('The server {0} does not support {1} ({2}; it closed the connection when asked, and is not asked again on this connection){3}', server, what, needs, hint)
      : msg('The server {0} does not support {1} ({2}){3}', server, what, needs, hint);
  return new ZkError('UNIMPLEMENTED', message, {
    op,
    path,
    serverCode: UNIMPLEMENTED,
  });
}
