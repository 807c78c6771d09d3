// How a connection's state is named wherever it is shown (tree row, status bar, tooltips).
import type { ConnectionState } from '../zk/ensembleConnection';

export const STATE_LABELS: Record<ConnectionState, string> = {
  idle: 'disconnected',
  connecting: 'connecting',
  connected: 'connected',
  readOnlyServer: 'read-only server',
  reconnecting: 'reconnecting',
  sessionExpired: 'session expired',
  authFailed: 'auth failed',
  closed: 'closed',
};
