// The requests of one session: those waiting to go out (kept across reconnects of the same
// session) and those on the wire, answered in order (ZooKeeper replies in xid order).
import type { WireRequest } from '../wire/requests';

/** A request that failed: the server's code, or (code -4) the protocol violation that dropped the connection. */
export interface ReplyFailure {
  code: number;
  protocol?: { server: string; what: string };
  /** The reply was over maxReplyBytes and was skipped (requests with failOversizedReply only). */
  tooLarge?: { bytes: number; limit: number };
}

/** What a request's callback receives: the failure (null = ok) and the decoded body. */
export type ReplyCallback = (err: ReplyFailure | null, body?: unknown) => void;

export interface Packet {
  readonly request: WireRequest;
  readonly callback: ReplyCallback;
  /** A fixed xid (auth): such a packet is not answered in order and is never on the wire list. */
  readonly fixedXid?: number;
}

/** An array read from a moving head: taking the first is O(1) (Array.shift is O(n), a hot spot past ~16k). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }
  push(x: T): void {
    this.items.push(x);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  unshift(...xs: T[]): void {
    this.items = xs.concat(this.items.slice(this.head));
    this.head = 0;
  }
  /** Removes the first item matching; true when one was there. */
  remove(match: (x: T) => boolean): boolean {
    for (let i = this.head; i < this.items.length; i++) {
      if (match(this.items[i])) {
        this.items.splice(i, 1);
        return true;
      }
    }
    return false;
  }
  drain(): T[] {
    const out = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return out;
  }
}

export class RequestQueue {
  private readonly waiting = new Fifo<Packet>();
  private readonly onWire = new Fifo<{ packet: Packet; xid: number }>();
  private nextXid = 0;

  get waitingCount(): number {
    return this.waiting.length;
  }

  enqueue(packet: Packet): void {
    this.waiting.push(packet);
  }

  /** Puts packets ahead of everything waiting (auth and watch re-registration on a new connection). */
  putFirst(packets: Packet[]): void {
    if (packets.length > 0) this.waiting.unshift(...packets);
  }

  /** The next packet to send, or undefined. */
  takeNext(): Packet | undefined {
    return this.waiting.shift();
  }

  /** Gives a packet taken from the queue its xid; one with a fixed xid is not expected back in order. */
  sent(packet: Packet): number {
    if (packet.fixedXid !== undefined) return packet.fixedXid;
    const xid = this.nextXid++;
    this.onWire.push({ packet, xid });
    return xid;
  }

  /** The request the next reply answers. */
  expected(): { packet: Packet; xid: number } | undefined {
    return this.onWire.peek();
  }

  answered(): void {
    this.onWire.shift();
  }

  /** Removes a request that was not sent yet; true when it was still waiting. */
  withdraw(request: WireRequest): boolean {
    return this.waiting.remove((p) => p.request === request);
  }

  /** Fails every request on the wire (they may or may not have been applied). */
  failOnWire(failure: ReplyFailure): void {
    for (const { packet } of this.onWire.drain()) packet.callback(failure);
  }

  /** Fails every request not yet sent (the session can never carry them). */
  failWaiting(failure: ReplyFailure): void {
    for (const packet of this.waiting.drain()) packet.callback(failure);
  }
}
