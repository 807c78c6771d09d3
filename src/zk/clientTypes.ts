// The vocabulary of ZkClient: its options and states, create modes, watch events and multi ops.
import type * as tls from 'node:tls';
import type { ZkAcl } from './acl';
import { ZkError } from './errors';
import type { ZnodeStat } from './stat';
import type { PostHandshakeStep } from './connection/session';
import type { PostHandshakeStep as AuthStep } from './postHandshakeStep';
import { STATES, type TransportState } from './connection/states';
import { DEFAULT_MAX_REPLY_BYTES } from './wire/frames';
import { messageOfError, msg } from './message';

export type ZkState =
  | 'connecting'
  | 'connected'
  | 'connectedReadOnly'
  | 'disconnected'
  | 'expired'
  | 'authFailed'
  | 'closed';

export interface ZkClientOptions {
  /** host:port[,host:port...][/chroot] */
  connectString: string;
  sessionTimeoutMs?: number;
  /** One attempt at one server. */
  connectTimeoutMs?: number;
  /** Deadline of every request, from the call to the reply (including time spent queued). */
  requestTimeoutMs?: number;
  /** A connected server that is silent this long is dropped and the next one tried. */
  livenessTimeoutMs?: number;
  /** Refuse every write in this layer (production guard). */
  readOnly?: boolean;
  tls?: tls.ConnectionOptions;
  auth?: { scheme: string; auth: string | Uint8Array }[];
  /** Requests on the wire at once; more wait in line (the library's queue degrades past ~16k). */
  maxInFlight?: number;
  /** Largest request frame the server accepts (its jute.maxbuffer, 0xfffff by default). */
  maxRequestBytes?: number;
  /** Largest inbound frame accepted from a server; a longer one is a protocol error that drops the connection. */
  maxReplyBytes?: number;
  spinDelayMs?: number;
  maxBackoffMs?: number;
  /** A label for messages ("production"): which connection refused or failed. */
  name?: string;
  /** Resume an existing session (tests use it to force an expiry from a second client). */
  session?: { id: Buffer; password: Buffer };
  /**
   * Accept a server in read-only mode (it lost its quorum; readonlymode.enabled): reads work,
   * writes fail with NOTREADONLY, and the session moves to a read-write server once one answers.
   */
  canBeReadOnly?: boolean;
  /** Runs after every session handshake, before queued requests go out (SASL); see PostHandshakeStep. */
  postHandshake?: PostHandshakeStep;
  /** Authentication on every new connection before any queued request (SASL, src/zk/sasl), in opcodes and reply codes. */
  afterHandshake?: AuthStep;
}

export const DEFAULTS = {
  sessionTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  maxInFlight: 1_000,
  maxRequestBytes: 0xfffff,
  maxReplyBytes: DEFAULT_MAX_REPLY_BYTES,
  spinDelayMs: 250,
  maxBackoffMs: 10_000,
};

export type CreateMode =
  | 'persistent'
  | 'ephemeral'
  | 'persistentSequential'
  | 'ephemeralSequential'
  | 'container'
  | 'persistentTtl'
  | 'persistentSequentialTtl';

export const CREATE_FLAGS: Record<CreateMode, number> = {
  persistent: 0,
  ephemeral: 1,
  persistentSequential: 2,
  ephemeralSequential: 3,
  container: 4,
  persistentTtl: 5,
  persistentSequentialTtl: 6,
};

export interface CreateOptions {
  mode?: CreateMode;
  acl?: readonly ZkAcl[];
  /** Required for the TTL modes. */
  ttlMs?: number;
}

export interface CreateResult {
  /** Actual path (with the sequence suffix for sequential nodes). */
  path: string;
  stat: ZnodeStat;
}

export type WatchEventType =
  | 'created'
  | 'deleted'
  | 'dataChanged'
  | 'childrenChanged'
  | 'childWatchRemoved'
  | 'dataWatchRemoved'
  | 'persistentWatchRemoved'
  | `unknown(${number})`;

export interface WatchEvent {
  type: WatchEventType;
  /** Path relative to the chroot. */
  path: string;
}

export type Watcher = (event: WatchEvent) => void;

export const EVENT_TYPES: Record<number, WatchEventType> = {
  1: 'created',
  2: 'deleted',
  3: 'dataChanged',
  4: 'childrenChanged',
  5: 'childWatchRemoved',
  6: 'dataWatchRemoved',
  7: 'persistentWatchRemoved',
};

export type MultiOp =
  | { type: 'create'; path: string; data?: Uint8Array; mode?: CreateMode; acl?: readonly ZkAcl[]; ttlMs?: number }
  | { type: 'delete'; path: string; version?: number }
  | { type: 'setData'; path: string; data: Uint8Array; version?: number }
  | { type: 'check'; path: string; version: number };

export type MultiResult =
  | { type: 'create'; path: string; stat?: ZnodeStat }
  | { type: 'delete' }
  | { type: 'setData'; stat: ZnodeStat }
  | { type: 'check' };

/** A multi that failed as a whole: which op failed, and why. */
export class ZkMultiError extends ZkError {
  constructor(
    readonly failedIndex: number,
    override readonly cause: ZkError,
  ) {
    super(cause.code, msg('Transaction failed at step {0}: {1}; nothing was applied', failedIndex + 1, messageOfError(cause)), {
      path: cause.path,
      op: 'multi',
      serverCode: cause.serverCode,
      cause,
    });
  }
}

export type RemoveWatchType = 'children' | 'data' | 'any';

export function stateName(s: TransportState): ZkState {
  switch (s) {
    case STATES.CONNECTING:
      return 'connecting';
    case STATES.CONNECTED:
      return 'connected';
    case STATES.CONNECTED_READ_ONLY:
      return 'connectedReadOnly';
    case STATES.SESSION_EXPIRED:
      return 'expired';
    case STATES.AUTHENTICATION_FAILED:
      return 'authFailed';
    case STATES.CLOSED:
    case STATES.CLOSING:
      return 'closed';
    default:
      return 'disconnected';
  }
}

