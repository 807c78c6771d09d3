// The health model: from the latest observation of each server to rows, a summary and alerts, each
// alert explained in words with the fix. Pure functions over plain data: no I/O, no timers.
import type {
  HealthAlert,
  HealthLevel,
  HealthSummary,
  HealthThresholds,
  Reach,
  ServerMetrics,
  ServerRow,
  ZxidLag,
} from './healthTypes';
import { english, localizable, type Translate } from '../localize';
import { renderMessage, type Message } from '../message';
import { whitelistLine, type EnsembleMember, type ServerFigures } from './fourLetterWords';
import type { AdminLeader } from './adminServer';

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  latencyWarnMs: 100,
  outstandingWarn: 10,
  fdWarnPercent: 85,
  lagWarnTxns: 1000,
};

/** A server to poll. */
export interface ServerTarget {
  /** "host:clientPort". */
  key: string;
  host: string;
  clientPort: number;
  /** AdminServer port to fall back to; undefined: no fallback. */
  adminPort?: number;
  origin: 'connectString' | 'membership';
}

/** Members found through the membership that are polled at most (a server's reply is untrusted). */
export const MAX_DISCOVERED_MEMBERS = 64;

/** Members shown as "not monitored" rows at most; the rest are counted in one alert. */
export const MAX_NOT_POLLED_ROWS = 64;

export function targetKey(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** What one probe of one server found. */
export interface ServerObservation {
  reach: 'up' | 'down' | 'timeout';
  notServing: boolean;
  /** Why it is down, or what could not be read; a socket's own text stays a string. Rendered with the model's Translate. */
  error?: Message | string;
  /** When the probe finished, and how long it took. */
  at: number;
  durationMs: number;
  figures: ServerFigures;
  /** From `conf` serverId or the AdminServer's configuration. */
  serverId?: number;
  /** Membership as this server reported it (conf or voting_view), when asked this round. */
  members?: EnsembleMember[];
  /** Four-letter words the server refused (not whitelisted) and those it answered. */
  refusedWords: string[];
  answeredWords: string[];
  /** AdminServer commands whose answers were used. */
  adminUsed: string[];
  /** Why the AdminServer fallback did not work, when it was needed. */
  adminProblem?: Message | string;
  adminLeader?: AdminLeader;
}

export interface ServerState {
  target: ServerTarget;
  /** Undefined until the first probe finished. */
  last?: ServerObservation;
  /** The last observation with reach 'up' (for "last seen"). */
  lastOkAt?: number;
  /** When the first probe it did not answer since then was sent (cleared by an answer). */
  silentSince?: number;
  /** Server id remembered across probes (conf is asked only now and then). */
  serverId?: number;
  /** Words refused at any point, remembered (the fix names them even on rounds that skip them). */
  refusedWords: Set<string>;
  answeredWords: Set<string>;
  /** How the AdminServer fallback went the last time it was needed. */
  fallback?: { commands: string[]; problem?: Message | string };
}

export interface HealthInput {
  servers: readonly ServerState[];
  /** Union of the membership the servers reported (and /zookeeper/config). */
  members: readonly EnsembleMember[];
  thresholds: HealthThresholds;
  /** Members with a client address left unpolled because of the cap on discovered members. */
  membersLeftOut?: readonly EnsembleMember[];
  /** That cap, for the alert's words. */
  maxDiscoveredMembers?: number;
  /** Words the alerts and the summary (the adapter passes vscode.l10n.t; default English). */
  t?: Translate;
}

export interface HealthResult {
  summary: HealthSummary;
  servers: ServerRow[];
  alerts: HealthAlert[];
}

const SETTING = {
  latency: 'zookeeper.health.latencyWarnMs',
  outstanding: 'zookeeper.health.outstandingWarn',
  fd: 'zookeeper.health.fdWarnPercent',
  lag: 'zookeeper.health.lagWarnTxns',
  admin: 'zookeeper.health.adminServerPorts',
} as const;

export function zxidHex(z: bigint): string {
  return '0x' + z.toString(16);
}

/**
 * How far `behind` is behind `ahead`. Within one epoch: the difference of the counters. Across
 * epochs: the transactions of the newer epoch (at least that many are missing; a new leader starts
 * its epoch at counter 0, so followers that report the old epoch's last zxid are not behind).
 */
export function zxidLag(ahead: bigint, behind: bigint): ZxidLag {
  if (behind >= ahead) return { epochs: 0, txns: 0 };
  const ea = ahead >> 32n;
  const eb = behind >> 32n;
  const ca = ahead & 0xffffffffn;
  if (ea > eb) return { epochs: Number(ea - eb), txns: Number(ca) };
  return { epochs: 0, txns: Number(ca - (behind & 0xffffffffn)) };
}

export function describeLag(l: ZxidLag, t: Translate = english): string {
  const txns = l.txns === 1 ? t('1 txn') : t('{0} txns', l.txns);
  if (!(l.epochs > 0 && l.txns > 0)) return txns;
  return l.epochs === 1 ? t('{0} (and 1 epoch)', txns) : t('{0} (and {1} epochs)', txns, l.epochs);
}

function labelOf(s: ServerState): string {
  const id = s.serverId;
  return id !== undefined ? `server.${id} ${s.target.key}` : s.target.key;
}

export function buildHealth(input: HealthInput): HealthResult {
  const { servers, thresholds } = input;
  const t = input.t ?? english;
  const alerts: HealthAlert[] = [];
  const rows: ServerRow[] = [];

  // ---- leader(s)
  const serving = servers.filter((s) => s.last?.reach === 'up' && !s.last.notServing);
  const leaders = serving.filter((s) => s.last!.figures.role === 'leader');
  // With two "leaders" (a cut-off one keeps saying so for syncLimit x tickTime), trust the newest epoch.
  const leader = leaders.slice().sort((a, b) => cmpBig(b.last!.figures.zxid, a.last!.figures.zxid))[0];
  const standalone = serving.find((s) => s.last!.figures.role === 'standalone');
  const leaderZxid = leader?.last!.figures.zxid;
  const adminLeaderId = servers.map((s) => s.last?.adminLeader?.leaderId).find((id) => id !== undefined);

  // ---- voting membership and quorum
  const participants = input.members.filter((m) => m.type === 'participant');
  const votersTotal = standalone
    ? 1
    : participants.length > 0
      ? participants.length
      : (leader?.last!.figures.votingMembers ?? servers.filter((s) => s.last?.figures.role !== 'observer' && s.target.origin === 'connectString').length);
  const quorum = Math.floor(votersTotal / 2) + 1;
  const observerIds = new Set(input.members.filter((m) => m.type === 'observer').map((m) => m.id));
  const votersSeenUp = serving.filter((s) => {
    const role = s.last!.figures.role;
    if (role === 'observer') return false;
    if (s.serverId !== undefined && observerIds.has(s.serverId)) return false;
    return role === 'leader' || role === 'follower' || role === 'standalone';
  }).length;
  const syncedVoters = leader?.last!.figures.syncedFollowers;
  // The leader's synced-follower count covers members we cannot probe, but it lags a death by
  // up to syncLimit ticks: a voter our own probe found down is not counted up through it.
  const votersSeenDown = servers.filter((s) => {
    if (!s.last || (s.last.reach === 'up' && !s.last.notServing)) return false;
    if (s.serverId !== undefined && observerIds.has(s.serverId)) return false;
    return s.last.figures.role !== 'observer';
  }).length;
  const votersUp = Math.min(votersTotal - votersSeenDown, Math.max(votersSeenUp, syncedVoters !== undefined ? syncedVoters + 1 : 0));

  // ---- rows
  for (const s of servers) {
    const o = s.last;
    const f = o?.figures ?? {};
    const reach: Reach = o ? o.reach : 'pending';
    const row: ServerRow = {
      key: s.target.key,
      label: labelOf(s),
      host: s.target.host,
      clientPort: s.target.clientPort,
      origin: s.target.origin,
      reach,
      notServing: o?.notServing ?? false,
      source: 'none',
    };
    if (s.serverId !== undefined) row.id = s.serverId;
    if (o) {
      row.updatedAt = o.at;
      row.probeMs = Math.round(o.durationMs);
      if (o.error) row.error = renderMessage(o.error, t); // the panel gets text in the user's language
      const used4 = o.answeredWords.length > 0;
      const usedAdmin = o.adminUsed.length > 0;
      row.source = used4 && usedAdmin ? 'both' : used4 ? 'fourLetterWords' : usedAdmin ? 'adminServer' : 'none';
    }
    if (s.lastOkAt !== undefined) row.lastOkAt = s.lastOkAt;
    if (o?.reach === 'up') {
      if (f.role) row.role = f.role === 'unknown' ? (f.rawRole ?? 'unknown') : f.role;
      copy(row, f, ['version', 'versionFull', 'latencyMin', 'latencyAvg', 'latencyMax', 'outstanding', 'connections', 'znodes', 'watches', 'ephemerals', 'approximateDataSize', 'openFds', 'maxFds', 'uptimeMs']);
      if (f.zxid !== undefined) row.zxid = zxidHex(f.zxid);
      if (f.role === 'leader') copy(row, f, ['learners', 'syncedFollowers', 'pendingSyncs']);
      if (leaderZxid !== undefined && f.zxid !== undefined && s !== leader && (f.role === 'follower' || f.role === 'observer')) {
        row.behind = zxidLag(leaderZxid, f.zxid);
      }
    }
    rows.push(row);
  }
  // Members the ensemble reports that we cannot poll (no client address in its config).
  const polledIds = new Set(servers.map((s) => s.serverId).filter((id): id is number => id !== undefined));
  const allIdsKnown = servers.every((s) => s.serverId !== undefined || s.last?.reach !== 'up');
  const leftOut = input.membersLeftOut ?? [];
  const leftOutIds = new Set(leftOut.map((m) => m.id));
  let notPolledRows = 0;
  const notPolledBeyondRows: EnsembleMember[] = [];
  if (allIdsKnown && polledIds.size > 0) {
    for (const m of input.members) {
      if (polledIds.has(m.id) || leftOutIds.has(m.id)) continue;
      if (notPolledRows >= MAX_NOT_POLLED_ROWS) {
        notPolledBeyondRows.push(m);
        continue;
      }
      notPolledRows++;
      const label = `server.${m.id} ${m.host}${m.quorumPort ? ':' + m.quorumPort : ''}`;
      rows.push({ key: `member:${m.id}`, label, id: m.id, host: m.host, origin: 'membership', reach: 'notPolled', notServing: false, source: 'none', role: m.type === 'observer' ? 'observer' : undefined });
      alerts.push({
        id: `memberNotPolled:${m.id}`,
        kind: 'memberNotPolled',
        severity: 'info',
        server: label,
        title: t('server.{0} is a member but is not monitored', m.id),
        detail: t("The ensemble's membership lists server.{0} ({1}, quorum address {2}), but its client address is not in the connection string and its config does not say it, so it cannot be polled.", m.id, m.type, `${m.host}${m.quorumPort ? ':' + m.quorumPort : ''}`),
        fix: { text: t('Add its host:clientPort to the connection string, or give its client address in the membership (server.{0}=…;host:clientPort).', m.id) },
      });
    }
  }

  if (leftOut.length + notPolledBeyondRows.length > 0) alerts.push(membersLeftOutAlert(leftOut, notPolledBeyondRows, input.maxDiscoveredMembers ?? MAX_DISCOVERED_MEMBERS, t));

  // ---- alerts per server
  for (const s of servers) {
    const o = s.last;
    if (!o) continue;
    const label = labelOf(s);
    if (o.reach === 'down') {
      alerts.push({ id: `serverDown:${s.target.key}`, kind: 'serverDown', severity: 'error', server: label, title: t('{0} is down', label), detail: `${t('{0}: {1}.', label, o.error !== undefined ? renderMessage(o.error, t) : t('not reachable'))}${downSince(s, o, t)}` });
      continue;
    }
    if (o.reach === 'timeout') {
      alerts.push({
        id: `serverTimeout:${s.target.key}`,
        kind: 'serverTimeout',
        severity: 'error',
        server: label,
        title: t('{0} does not answer', label),
        detail: `${t('{0} {1}. A server that accepts connections but does not answer is stopped, in a long GC pause, or swapping; its clients are stuck too.', label, o.error !== undefined ? renderMessage(o.error, t) : t('did not answer in time'))}${downSince(s, o, t)}`,
      });
      continue;
    }
    if (o.notServing) {
      alerts.push({
        id: `notServing:${s.target.key}`,
        kind: 'notServing',
        severity: 'error',
        server: label,
        title: t('{0} is up but not serving', label),
        detail: t('{0} answers "This ZooKeeper instance is not currently serving requests": it has no quorum (it cannot reach a majority of the voting members), or it is still starting or syncing with the leader.', label),
      });
    }
    const f = o.figures;
    if (f.role === 'read-only') {
      alerts.push({
        id: `readOnly:${s.target.key}`,
        kind: 'readOnly',
        severity: 'warning',
        server: label,
        title: t('{0} is in read-only mode', label),
        detail: t('{0} lost contact with the quorum and serves reads only (readonlymode.enabled): clients connected to it see data that may be stale and cannot write.', label),
      });
    }
    if (f.latencyAvg !== undefined && f.latencyAvg > thresholds.latencyWarnMs) {
      alerts.push({
        id: `latency:${s.target.key}`,
        kind: 'latency',
        severity: 'warning',
        server: label,
        title: t('High latency on {0}', label),
        detail: t('The average request latency on {0} is {1} ms, above the {2} ms threshold{3}. Slow disks (fsync of the transaction log), GC pauses or an overloaded server are the usual causes.', label, fmt(f.latencyAvg), thresholds.latencyWarnMs, f.latencyMax !== undefined ? t(' (max {0} ms)', fmt(f.latencyMax)) : ''),
        fix: { text: t('Check the transaction log disk and the JVM; change the threshold in the settings.'), setting: SETTING.latency },
      });
    }
    if (f.outstanding !== undefined && f.outstanding > thresholds.outstandingWarn) {
      alerts.push({
        id: `outstanding:${s.target.key}`,
        kind: 'outstanding',
        severity: 'warning',
        server: label,
        title: t('Requests queue up on {0}', label),
        detail: t('{0} has {1} outstanding requests, above the threshold of {2}: it receives requests faster than it processes them.', label, f.outstanding, thresholds.outstandingWarn),
        fix: { text: t('Look for clients flooding the server or a slow disk; change the threshold in the settings.'), setting: SETTING.outstanding },
      });
    }
    if (f.openFds !== undefined && f.maxFds !== undefined && f.maxFds > 0 && (f.openFds / f.maxFds) * 100 >= thresholds.fdWarnPercent) {
      const pct = Math.round((f.openFds / f.maxFds) * 100);
      alerts.push({
        id: `fileDescriptors:${s.target.key}`,
        kind: 'fileDescriptors',
        severity: 'warning',
        server: label,
        title: t('{0} is near its file descriptor limit', label),
        detail: t('{0} has {1} of {2} file descriptors open ({3}%). At the limit it refuses new client connections and cannot open log or snapshot files.', label, f.openFds, f.maxFds, pct),
        fix: { text: t('Raise the limit of the ZooKeeper process (ulimit -n, or LimitNOFILE= in its systemd unit), or find the clients that leak connections.'), setting: SETTING.fd },
      });
    }
    if (leaderZxid !== undefined && f.zxid !== undefined && s !== leader && (f.role === 'follower' || f.role === 'observer')) {
      const lag = zxidLag(leaderZxid, f.zxid);
      if (lag.txns > thresholds.lagWarnTxns) {
        alerts.push({
          id: `followerLag:${s.target.key}`,
          kind: 'followerLag',
          severity: 'warning',
          server: label,
          title: t('{0} lags behind the leader', label),
          detail: t(
            "{0} is {1} behind the leader (its zxid {2}, the leader's {3}), more than the threshold of {4}{5}. Clients on it read older data; a slow disk or network on that server is the usual cause.",
            label,
            describeLag(lag, t),
            zxidHex(f.zxid),
            zxidHex(leaderZxid),
            thresholds.lagWarnTxns,
            lag.epochs > 0 ? t("; it has not caught up with the current leader's epoch") : '',
          ),
          fix: { text: t("Check the server's disk and network; change the threshold in the settings."), setting: SETTING.lag },
        });
      }
    }
    const refused = [...s.refusedWords];
    if (refused.length > 0) {
      const line = whitelistLine([...s.answeredWords, ...refused]);
      const fb = s.fallback ?? { commands: o.adminUsed, problem: o.adminProblem };
      const fallback = fb.commands.length > 0 && fb.problem === undefined;
      alerts.push({
        id: `fourLetterWords:${s.target.key}`,
        kind: 'fourLetterWords',
        severity: fallback ? 'info' : 'warning',
        server: label,
        title: t('{0} refuses {1}', label, refused.join(', ')),
        detail:
          (refused.length === 1
            ? t('{0} answers "{1} is not executed because it is not in the whitelist": {1} is not in its 4lw.commands.whitelist.', label, refused[0])
            : t('{0} answers "{1} is not executed because it is not in the whitelist": {2} are not in its 4lw.commands.whitelist.', label, refused[0], refused.join(', '))) +
          ' ' +
          (fallback
            ? t('The figures shown come from its AdminServer instead ({0}).', fb.commands.map((c) => '/commands/' + c).join(', '))
            : fb.problem
              ? t('Its AdminServer fallback did not work either ({0}), so some figures are missing.', renderMessage(fb.problem, t))
              : t('Its AdminServer fallback did not work either, so some figures are missing.')),
        fix: {
          text: fallback
            ? t("Add this line to {0}'s zoo.cfg (or pass -Dzookeeper.4lw.commands.whitelist=… to its JVM) and restart it:", label)
            : t("Add this line to {0}'s zoo.cfg (or pass -Dzookeeper.4lw.commands.whitelist=… to its JVM) and restart it, or set the AdminServer port in {1}:", label, SETTING.admin),
          configLine: line,
          ...(fallback ? {} : { setting: SETTING.admin }),
        },
      });
    }
    if (o.error && o.reach === 'up') {
      alerts.push({ id: `probeProblem:${s.target.key}`, kind: 'probeProblem', severity: 'info', server: label, title: t("Part of {0}'s figures could not be read", label), detail: t('{0}: {1}.', label, renderMessage(o.error, t)) });
    }
  }

  // ---- alerts about the ensemble
  const polledAny = servers.some((s) => s.last !== undefined);
  const upAny = servers.some((s) => s.last?.reach === 'up');
  if (polledAny && !standalone) {
    if (leaders.length === 0 && upAny) {
      alerts.unshift({
        id: 'noLeader',
        kind: 'noLeader',
        severity: 'error',
        title: t('No leader'),
        detail: t(
          'None of the servers that answer says it is the leader{0}: the ensemble is electing one or has lost its quorum, and it cannot serve writes until a leader is elected.',
          adminLeaderId !== undefined ? t(' (an AdminServer names server.{0}, which was not reached)', adminLeaderId) : '',
        ),
      });
    } else if (leaders.length > 1) {
      alerts.unshift({
        id: 'multipleLeaders',
        kind: 'multipleLeaders',
        severity: 'warning',
        title: t('More than one server says it is the leader'),
        detail: t(
          '{0} all report "leader". A leader cut off from its followers keeps saying so for up to syncLimit x tickTime before it gives up; the one with the newest epoch ({1}) is the real one.',
          leaders.map(labelOf).join(t(' and ')),
          leader ? labelOf(leader) : '?',
        ),
      });
    }
    if (votersTotal > 0 && votersUp < quorum) {
      alerts.unshift({
        id: 'quorumLost',
        kind: 'quorumLost',
        severity: 'error',
        title: t('Quorum lost'),
        detail: t('Only {0} of {1} voting members are up; a quorum needs {2}. The ensemble serves no requests (read-only servers aside) until enough members are back.', votersUp, votersTotal, quorum),
      });
    } else if (votersTotal > 1 && votersUp - quorum < 1 && votersUp >= quorum) {
      alerts.unshift({
        id: 'quorumAtRisk',
        kind: 'quorumAtRisk',
        severity: 'warning',
        title: t('Quorum at risk'),
        detail:
          t('{0} of {1} voting members are up and a quorum needs {2}: one more failure stops the ensemble.', votersUp, votersTotal, quorum) +
          (votersTotal < 3 ? t(' An ensemble of {0} tolerates no failure: use 3 or 5 voting members.', votersTotal) : ''),
      });
    }
  }
  const versions = new Map<string, string[]>();
  for (const s of serving) {
    const v = s.last!.figures.version;
    if (v) versions.set(v, [...(versions.get(v) ?? []), labelOf(s)]);
  }
  if (versions.size > 1) {
    alerts.push({
      id: 'mixedVersions',
      kind: 'mixedVersions',
      severity: 'warning',
      title: t('Mixed ZooKeeper versions'),
      detail: t('The servers run different versions: {0}. That is expected during a rolling upgrade only: finish it.', [...versions].map(([v, l]) => t('{0} on {1}', v, l.join(', '))).join('; ')),
    });
  }

  // ---- zxid spread
  const zxids = serving.map((s) => s.last!.figures.zxid).filter((z): z is bigint => z !== undefined);
  const zxidSpread = zxids.length > 1 ? zxidLag(zxids.reduce((a, b) => (a > b ? a : b)), zxids.reduce((a, b) => (a < b ? a : b))) : undefined;

  // ---- summary
  const errors = alerts.filter((a) => a.severity === 'error').length;
  const warnings = alerts.filter((a) => a.severity === 'warning').length;
  let level: HealthLevel;
  if (!polledAny) level = 'unknown';
  else if (!upAny || (!standalone && (leaders.length === 0 || votersUp < quorum)) || (standalone && standalone.last!.notServing)) level = 'down';
  else if (errors + warnings > 0) level = 'degraded';
  else level = 'healthy';

  const leaderId = leader?.serverId ?? (standalone ? standalone.serverId : undefined) ?? (leader ? undefined : adminLeaderId);
  const leaderLabel = leader ? labelOf(leader) : standalone ? labelOf(standalone) : undefined;
  const updatedAt = Math.max(0, ...servers.map((s) => s.last?.at ?? 0)) || undefined;
  const summary: HealthSummary = { level, text: '', votersUp, votersTotal, quorum };
  if (leaderId !== undefined) summary.leaderId = leaderId;
  if (leaderLabel !== undefined) summary.leaderLabel = leaderLabel;
  if (zxidSpread) summary.zxidSpread = zxidSpread;
  if (updatedAt !== undefined) summary.updatedAt = updatedAt;
  summary.text = summaryText(summary, !!standalone, errors, warnings, t);
  const order: Record<string, number> = { error: 0, warning: 1, info: 2 };
  alerts.sort((a, b) => order[a.severity] - order[b.severity]);
  return { summary, servers: rows, alerts };
}

/** One alert for every member the panel does not show on a row of its own, naming the first few. */
function membersLeftOutAlert(leftOut: readonly EnsembleMember[], beyondRows: readonly EnsembleMember[], cap: number, t: Translate): HealthAlert {
  const all = [...leftOut, ...beyondRows];
  const shown = all.slice(0, 10).map((m) => `server.${m.id}`);
  const names = shown.join(', ') + (all.length > shown.length ? t(' and {0} more', all.length - shown.length) : '');
  const why: string[] = [];
  if (leftOut.length > 0) {
    why.push(t("the panel polls at most {0} members found through the membership (a server's reply could name thousands), so {1} with a client address are not polled", cap, leftOut.length));
  }
  if (beyondRows.length > 0) why.push(t('{0} without a client address are not listed one by one', beyondRows.length));
  return {
    id: 'membersLeftOut',
    kind: 'membersLeftOut',
    severity: 'warning',
    title: all.length === 1 ? t('1 member is not monitored') : t('{0} members are not monitored', all.length),
    detail:
      all.length === 1
        ? t("The ensemble's membership names 1 more member than the panel shows: {0}. Not monitored: {1}.", why.join('; '), names)
        : t("The ensemble's membership names {0} more members than the panel shows: {1}. Not monitored: {2}.", all.length, why.join('; '), names),
    fix: { text: t("Put the servers you want polled in the connection string; check the ensemble's dynamic config if it should not be this large.") },
  };
}

const LEVEL_WORDS = { healthy: localizable('Healthy'), degraded: localizable('Degraded'), down: localizable('Down'), unknown: localizable('Waiting for the first answers') };

function summaryText(s: HealthSummary, standalone: boolean, errors: number, warnings: number, t: Translate): string {
  const head = t(LEVEL_WORDS[s.level]);
  if (s.level === 'unknown') return head;
  const parts: string[] = [];
  if (standalone) parts.push(t('standalone server'));
  else parts.push(s.leaderId !== undefined ? t('leader server.{0}', s.leaderId) : s.leaderLabel ? t('leader {0}', s.leaderLabel) : t('no leader'));
  if (!standalone) parts.push(t('{0} of {1} voting members up (quorum {2})', s.votersUp, s.votersTotal, s.quorum));
  if (s.zxidSpread) parts.push(s.zxidSpread.txns === 0 ? t('zxids in step') : t('zxid spread {0}', describeLag(s.zxidSpread, t)));
  if (errors + warnings > 0) parts.push(errors + warnings === 1 ? t('1 alert') : t('{0} alerts', errors + warnings));
  return t('{0}: {1}', head, parts.join(', '));
}

/**
 * When it last answered (a clock time: the alert stays up between rounds, "ago" would age) and how
 * long it has not answered: since the first probe it missed. Probes are an interval apart, so the
 * last answer can be much older than the silence (a server that froze 5 s ago last answered 11 s ago).
 */
function downSince(s: ServerState, o: ServerObservation, t: Translate): string {
  const parts: string[] = [];
  if (s.lastOkAt !== undefined) parts.push(t('Last answered at {0}.', clockTime(s.lastOkAt)));
  if (s.silentSince !== undefined) {
    parts.push(t('No answer since {0}: {1} without an answer when checked at {2}.', clockTime(s.silentSince), seconds(o.at - s.silentSince), clockTime(o.at)));
  }
  return parts.length > 0 ? ' ' + parts.join(' ') : '';
}

/** hh:mm:ss in local time. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function seconds(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

function cmpBig(a: bigint | undefined, b: bigint | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function copy<K extends keyof ServerMetrics>(row: ServerRow, f: ServerFigures, keys: K[]): void {
  for (const k of keys) {
    const v = f[k];
    if (v !== undefined) (row as unknown as Record<string, unknown>)[k] = v;
  }
}
