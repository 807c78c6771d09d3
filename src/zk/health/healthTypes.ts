// What the health domain produces for the Cluster Health panel: rows, alerts, summary, history
// and client lists. Plain JSON (no bigint, no Map, no Date), so it crosses to the webview as is;
// src/protocol/health.ts re-exports these types next to the message envelopes and guards. Every
// string that came from a server is untrusted: the webview renders it as text only.

export type HealthLevel = 'healthy' | 'degraded' | 'down' | 'unknown';
export type Reach = 'up' | 'down' | 'timeout' | 'pending' | 'notPolled';
export type Severity = 'error' | 'warning' | 'info';

export interface HealthSummary {
  level: HealthLevel;
  /** One sentence: "Healthy: leader 3, 3 of 3 voting members up (quorum 2), zxids in step". */
  text: string;
  leaderId?: number;
  /** Label of the leader's row when its id is unknown. */
  leaderLabel?: string;
  votersUp: number;
  votersTotal: number;
  quorum: number;
  /** Difference between the highest and lowest zxid of the serving members. */
  zxidSpread?: ZxidLag;
  /** Milliseconds since the epoch of the last completed probe of any server. */
  updatedAt?: number;
}

/** How far one zxid is behind another: whole epochs, or transactions within the same epoch. */
export interface ZxidLag {
  epochs: number;
  txns: number;
}

/**
 * The figures a server reports about itself (`mntr`, `srvr`, or the AdminServer), as the panel shows
 * them. The domain's parsed figures (ServerFigures in src/zk/health/fourLetterWords.ts) extend this
 * with what the panel does not show as is (role text, zxid as a bigint, packet counts, …).
 */
export interface ServerMetrics {
  version?: string;
  versionFull?: string;
  latencyMin?: number;
  latencyAvg?: number;
  latencyMax?: number;
  outstanding?: number;
  connections?: number;
  znodes?: number;
  watches?: number;
  ephemerals?: number;
  approximateDataSize?: number;
  openFds?: number;
  maxFds?: number;
  uptimeMs?: number;
  /** Leader only. */
  learners?: number;
  syncedFollowers?: number;
  pendingSyncs?: number;
}

export interface ServerRow extends ServerMetrics {
  /** Stable key: "host:clientPort" (or "member:<id>" for a member whose client address is unknown). */
  key: string;
  /** "server.2 127.0.0.1:2182" or "127.0.0.1:2182". */
  label: string;
  id?: number;
  host: string;
  clientPort?: number;
  /** Where the row comes from: the connection string, or the ensemble's own membership. */
  origin: 'connectString' | 'membership';
  reach: Reach;
  /** Up, but answering "not currently serving requests". */
  notServing: boolean;
  role?: string;
  /** Hex, "0x100000003". */
  zxid?: string;
  /** Behind the leader (undefined on the leader itself or when unknown). */
  behind?: ZxidLag;
  /** Which interface the figures came from. */
  source: 'fourLetterWords' | 'adminServer' | 'both' | 'none';
  /** Why the server is down or timed out, or what went wrong reading it. */
  error?: string;
  /** When the last probe of this server finished, and when one last succeeded (ms since epoch). */
  updatedAt?: number;
  lastOkAt?: number;
  /** How long the last probe took. */
  probeMs?: number;
}

export interface AlertFix {
  /** What to do, in words. */
  text: string;
  /** A zoo.cfg line to add or change, exactly. */
  configLine?: string;
  /** A VS Code setting that changes the threshold. */
  setting?: string;
}

export interface HealthAlert {
  /** Stable id (kind plus server key) so the webview can keep its place. */
  id: string;
  kind:
    | 'serverDown'
    | 'serverTimeout'
    | 'notServing'
    | 'noLeader'
    | 'multipleLeaders'
    | 'quorumLost'
    | 'quorumAtRisk'
    | 'latency'
    | 'outstanding'
    | 'fileDescriptors'
    | 'followerLag'
    | 'mixedVersions'
    | 'readOnly'
    | 'fourLetterWords'
    | 'memberNotPolled'
    | 'membersLeftOut'
    | 'probeProblem'
    | 'quotaNearLimit'
    | 'quotaExceeded';
  severity: Severity;
  /** The server's label, when the alert is about one server. */
  server?: string;
  title: string;
  /** The explanation, in words. */
  detail: string;
  fix?: AlertFix;
}

/** Aligned time series for the charts: one x axis (seconds since the epoch), one array per server and metric. */
export interface HealthHistory {
  t: number[];
  series: HistorySeries[];
}

export interface HistorySeries {
  key: string;
  label: string;
  latencyAvg: (number | null)[];
  latencyMax: (number | null)[];
  outstanding: (number | null)[];
  packetsPerSec: (number | null)[];
  connections: (number | null)[];
}

export interface HealthThresholds {
  latencyWarnMs: number;
  outstandingWarn: number;
  fdWarnPercent: number;
  lagWarnTxns: number;
}

export interface HealthSnapshot {
  connectionName: string;
  summary: HealthSummary;
  servers: ServerRow[];
  alerts: HealthAlert[];
  pollIntervalMs: number;
  thresholds: HealthThresholds;
}

/** One client connection of a server (`cons`, or the AdminServer's /commands/connections), as the panel shows it. */
export interface ClientRow {
  /** `127.0.0.1:45900`, `[::1]:43716`. */
  client: string;
  /** A host name the server had resolved for the client. */
  clientName?: string;
  /** `0x…`; none before the session is established. */
  sessionId?: string;
  /** When this connection was established (ms since the epoch, the server's clock). */
  established?: number;
  lastOperation?: string;
  queued?: number;
  received?: number;
  sent?: number;
  latencyMin?: number;
  latencyAvg?: number;
  latencyMax?: number;
  /** The panel's own connection (the extension's session). */
  own: boolean;
}

/** What the panel knows about one server's client connections. */
export interface ServerClients {
  /** When the answer came (ms since the epoch). */
  at: number;
  via?: 'cons' | 'adminServer';
  /** Most requests first, at most CLIENT_ROWS_LIMIT. */
  rows: ClientRow[];
  /** How many connections the server listed. */
  total: number;
  /** How many were left out of `rows` ("and N more"). */
  more: number;
  /** Why the list could not be read (then `rows` is empty). */
  problem?: { text: string; configLine?: string };
}

export const CLIENT_ROWS_LIMIT = 100;

// ---------------------------------------------------------------------------------------------
// Messages
