// The states of one session's connection, numbered as ZooKeeper clients have always numbered them.

export const STATES = {
  DISCONNECTED: 0,
  CONNECTING: 1,
  CONNECTED: 2,
  CONNECTED_READ_ONLY: 3,
  CLOSING: -1,
  CLOSED: -2,
  SESSION_EXPIRED: -3,
  AUTHENTICATION_FAILED: -4,
} as const;

export type TransportState = (typeof STATES)[keyof typeof STATES];

/** Special xids: replies that answer no queued request. */
export const XID = {
  NOTIFICATION: -1,
  PING: -2,
  AUTHENTICATION: -4,
} as const;

/** Server codes the connection itself produces for requests it has to fail. */
export const FAIL = {
  CONNECTION_LOSS: -4,
  SESSION_EXPIRED: -112,
  AUTH_FAILED: -115,
  NOT_READ_ONLY: -119,
  /** SESSIONCLOSEDREQUIRESASLAUTH: the server requires SASL and closes unauthenticated sessions. */
  SASL_REQUIRED: -124,
} as const;
