// What a ZkTransport is given and what it reports: its options, events and watch frames.
import type * as tls from 'node:tls';
import type { ServerAddress } from '../connectString';
import type { PostHandshakeStep } from './session';
import type { TransportState } from './states';

export interface WatcherEventFrame {
  type: number;
  state: number;
  /** Full server path (chroot included). */
  path: string;
}

export interface TransportOptions {
  servers: ServerAddress[];
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  tls?: tls.ConnectionOptions;
  /** Max silence on a connected socket before it is dropped and another server is tried. */
  livenessTimeoutMs: number;
  /** Pause before another round over all servers; doubled per failed round up to maxBackoffMs. */
  spinDelayMs: number;
  maxBackoffMs: number;
  sessionId?: Buffer;
  sessionPassword?: Buffer;
  /**
   * Accept a server that lost its quorum and serves reads only (ZooKeeper's read-only mode,
   * readonlymode.enabled on the server). While on one, the others are asked with `isro` until
   * one serves writes again, and the session moves there.
   */
  canBeReadOnly?: boolean;
  /** First pause between two rounds of `isro` probes while on a read-only server (doubles up to 60 s). */
  rwProbeMs?: number;
  /** Largest inbound frame accepted (bytes); a longer one is a protocol error. */
  maxReplyBytes?: number;
  /** Runs after every handshake, before queued requests go out (see PostHandshakeStep). */
  postHandshake?: PostHandshakeStep;
}

/** Persistent watch modes of addWatch (ZooKeeper 3.6+). */
export const ADD_WATCH_MODE = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;
export type AddWatchMode = (typeof ADD_WATCH_MODE)[keyof typeof ADD_WATCH_MODE];

export interface TransportEvents {
  state: [state: TransportState];
  notification: [e: WatcherEventFrame];
  socketError: [err: Error & { code?: string }, server: ServerAddress];
  connectedTo: [server: ServerAddress, readOnly: boolean];
  livenessTimeout: [server: ServerAddress, silentMs: number];
  readWriteServerFound: [server: ServerAddress];
  protocolError: [err: Error];
  authFailed: [err?: Error];
}
