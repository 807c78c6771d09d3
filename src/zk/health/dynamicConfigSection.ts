// The health panel's Dynamic configuration section: the ensemble's /zookeeper/config (its version
// and each member's role, quorum and election ports, client address) next to what each server
// reports in the panel's own reading (its mode, or why it does not answer). Pure; its words go
// through the Translate it is given (the adapter passes vscode.l10n.t).
import { english, localizable, type Translate } from '../localize';
import { describeQuorum, parseDynamicConfig, quorumOf } from '../reconfigProposal';
import type { DynamicConfigReading, DynamicMemberRow } from './dynamicConfigTypes';
import type { ServerRow } from './healthTypes';

export type { DynamicConfigReading, DynamicMemberRow } from './dynamicConfigTypes';

/** Members shown at most: the config is the server's, and untrusted. */
export const MAX_MEMBER_ROWS = 64;

const hostPort = (host: string, port: number | undefined) => (port === undefined ? host : `${host.includes(':') ? `[${host}]` : host}:${port}`);

/** A row's reach in the words of the panel's server list (webview/health/format.ts reachText). */
const REACH_WORDS = { down: localizable('down'), timeout: localizable('no answer'), notPolled: localizable('not polled') } as const;

function reportOf(row: ServerRow | undefined, t: Translate): string {
  if (!row) return t('not polled');
  if (row.reach === 'pending') return t('waiting for the first answer');
  if (row.reach !== 'up') {
    // row.error is already in the user's language (buildHealth renders it with the same Translate).
    const reach = t(REACH_WORDS[row.reach]);
    return row.error ? t('{0}: {1}', reach, row.error) : reach;
  }
  if (row.notServing) return t('not serving');
  return row.role ?? t('up'); // a role is ZooKeeper's own name, shown as it is
}

export function dynamicConfigReading(text: string, servers: readonly ServerRow[], at = Date.now(), t: Translate = english): DynamicConfigReading {
  const config = parseDynamicConfig(text);
  const quorum = describeQuorum(quorumOf(config.members), t);
  if (config.members.length === 0) {
    return { at, members: [], quorum, problem: t('The ensemble has no dynamic configuration: a standalone server, or ZooKeeper before 3.5.') };
  }
  const rowFor = (id: number, port: number | undefined) => servers.find((s) => s.id === id) ?? servers.find((s) => port !== undefined && s.clientPort === port);
  const members = config.members.slice(0, MAX_MEMBER_ROWS).map((m): DynamicMemberRow => {
    const row: DynamicMemberRow = { id: m.id, role: m.type, peer: `${hostPort(m.host, m.quorumPort)}:${m.electionPort ?? ''}`, reports: reportOf(rowFor(m.id, m.clientPort), t) };
    if (m.clientPort !== undefined) row.client = hostPort(m.clientHost ?? m.host, m.clientPort);
    return row;
  });
  return config.version !== undefined ? { at, version: config.version, members, quorum } : { at, members, quorum };
}
