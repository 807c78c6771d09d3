// The `zookeeper.health.*` settings as one typed object, with the AdminServer port lookup. Pure:
// the VS Code side passes in what `getConfiguration('zookeeper.health')` returns (the health panel
// and the owner lookups of Node Details and holders read them).
import { DEFAULT_ADMIN_PORT } from './adminServer';
import { DEFAULT_THRESHOLDS, targetKey } from './healthModel';
import type { HealthThresholds } from './healthTypes';

export interface HealthSettings {
  pollIntervalMs: number;
  timeoutMs: number;
  historyMinutes: number;
  thresholds: HealthThresholds;
  statusBar: boolean;
  statusBarPollIntervalMs: number;
  /** Quotas at or above this percentage of a limit are alerts. */
  quotaAlertPercent: number;
  /** Raw `adminServerPorts`: per connection, a port for every server or a map "host:clientPort" -> port. */
  adminServerPorts: Record<string, unknown>;
}

export const DEFAULT_SETTINGS: HealthSettings = {
  pollIntervalMs: 5000,
  timeoutMs: 2000,
  historyMinutes: 10,
  thresholds: DEFAULT_THRESHOLDS,
  statusBar: true,
  statusBarPollIntervalMs: 15000,
  quotaAlertPercent: 80,
  adminServerPorts: {},
};

/** Reads the settings, falling back to the default for every missing or out-of-range value. */
export function readHealthSettings(get: (key: string) => unknown): HealthSettings {
  const num = (key: string, def: number, min: number, max: number) => {
    const v = get(key);
    return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : def;
  };
  const d = DEFAULT_SETTINGS;
  const ports = get('adminServerPorts');
  return {
    pollIntervalMs: num('pollIntervalMs', d.pollIntervalMs, 1000, 3_600_000),
    timeoutMs: num('timeoutMs', d.timeoutMs, 200, 60_000),
    historyMinutes: num('historyMinutes', d.historyMinutes, 1, 120),
    thresholds: {
      latencyWarnMs: num('latencyWarnMs', d.thresholds.latencyWarnMs, 0, 1e9),
      outstandingWarn: num('outstandingWarn', d.thresholds.outstandingWarn, 0, 1e9),
      fdWarnPercent: num('fdWarnPercent', d.thresholds.fdWarnPercent, 1, 100),
      lagWarnTxns: num('lagWarnTxns', d.thresholds.lagWarnTxns, 0, 1e12),
    },
    statusBar: typeof get('statusBar') === 'boolean' ? (get('statusBar') as boolean) : d.statusBar,
    statusBarPollIntervalMs: num('statusBarPollIntervalMs', d.statusBarPollIntervalMs, 1000, 3_600_000),
    quotaAlertPercent: num('quotaAlertPercent', d.quotaAlertPercent, 1, 100),
    adminServerPorts: typeof ports === 'object' && ports !== null && !Array.isArray(ports) ? (ports as Record<string, unknown>) : {},
  };
}

const isPort = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;

/** Where a server to poll came from: the user's connection string, or a server's membership reply. */
export type ServerOrigin = 'connectString' | 'membership';

/**
 * The AdminServer port of one server: `adminServerPorts[connection]` is a port for every server, or
 * an object keyed by "host:clientPort" (with "*" for the rest). 0 turns the fallback off. Without an
 * entry, ZooKeeper's default 8080, but only for a server of the connection string: a host that only
 * a server's membership named (untrusted) is never sent HTTP unless a port is configured for it
 * (its own key, "*", or a port for every server).
 */
export function adminPortFor(settings: HealthSettings, connectionName: string, host: string, clientPort: number, origin: ServerOrigin = 'connectString'): number | undefined {
  const entry = settings.adminServerPorts[connectionName];
  const fallback = origin === 'connectString' ? DEFAULT_ADMIN_PORT : undefined;
  let port: unknown = fallback;
  if (isPort(entry)) port = entry;
  else if (typeof entry === 'object' && entry !== null) {
    const map = entry as Record<string, unknown>;
    const own = map[targetKey(host, clientPort)];
    port = isPort(own) ? own : isPort(map['*']) ? map['*'] : fallback;
  }
  return isPort(port) && port > 0 ? port : undefined;
}
