// Finds the clients behind sessions of one connection's ensemble (src/zk/sessions.ts), with the
// Cluster Health settings: its deadline per server and its AdminServer ports for the fallback.
import * as vscode from 'vscode';
import { adminPortFor, readHealthSettings } from '../zk/health/healthSettings';
import { healthSettingsGetter } from './userOnlySettings';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { lookupSessions, sessionServers, type SessionLookup } from '../zk/sessions';
import { errorMessage } from '../ui/registerCommand';

export interface OwnerLookups {
  lookups?: Map<string, SessionLookup>;
  /** Why nothing could be looked up. */
  error?: string;
}

/** One reading of every server's connections, for all these sessions; never rejects. */
export async function lookupOwners(connection: EnsembleConnection, sessionIds: Iterable<string>): Promise<OwnerLookups> {
  try {
    const settings = readHealthSettings(healthSettingsGetter());
    const servers = sessionServers(connection.connectString, await membership(connection), (host, port, origin) => adminPortFor(settings, connection.name, host, port, origin));
    if (servers.length === 0) return { error: vscode.l10n.t('the connect string of "{0}" names no server', connection.name) };
    return { lookups: await lookupSessions(servers, sessionIds, { timeoutMs: settings.timeoutMs }) };
  } catch (e) {
    return { error: errorMessage(e) };
  }
}

/** `/zookeeper/config` (members the connect string may not name), when the session can read it. */
export async function membership(c: EnsembleConnection): Promise<string | undefined> {
  if (c.chroot !== undefined || (c.state !== 'connected' && c.state !== 'readOnlyServer')) return undefined;
  try {
    return Buffer.from((await c.client.getData('/zookeeper/config')).data).toString('utf8');
  } catch {
    return undefined;
  }
}
