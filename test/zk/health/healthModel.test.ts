import * as assert from 'node:assert/strict';
import type { EnsembleMember, ServerFigures } from '../../../src/zk/health/fourLetterWords';
import { DEFAULT_THRESHOLDS, buildHealth, clockTime, describeLag, targetKey, zxidLag, type ServerObservation, type ServerState } from '../../../src/zk/health/healthModel';

const E1 = 0x1_0000_0000n;

function state(port: number, id: number | undefined, obs: Partial<ServerObservation> | undefined, opts: { refused?: string[]; answered?: string[]; origin?: 'connectString' | 'membership' } = {}): ServerState {
  const host = '127.0.0.1';
  const s: ServerState = {
    target: { key: targetKey(host, port), host, clientPort: port, origin: opts.origin ?? 'connectString' },
    serverId: id,
    refusedWords: new Set(opts.refused ?? []),
    answeredWords: new Set(opts.answered ?? ['srvr', 'mntr']),
  };
  if (obs) {
    s.last = { reach: 'up', notServing: false, at: 10_000, durationMs: 3, figures: {}, refusedWords: [], answeredWords: ['srvr', 'mntr'], adminUsed: [], ...obs };
    if (s.last.reach === 'up') s.lastOkAt = s.last.at;
  }
  return s;
}

const fig = (f: ServerFigures): ServerFigures => ({ version: '3.8.0', versionFull: '3.8.0-x, built on', latencyMin: 0, latencyAvg: 0.5, latencyMax: 3, outstanding: 0, connections: 2, openFds: 50, maxFds: 20000, ...f });
const members: EnsembleMember[] = [1, 2, 3].map((id) => ({ id, host: '127.0.0.1', quorumPort: 2887 + id, electionPort: 3887 + id, type: 'participant' }));

function healthy3(): ServerState[] {
  return [
    state(2181, 1, { figures: fig({ role: 'follower', zxid: E1 + 5n }) }),
    state(2182, 2, { figures: fig({ role: 'follower', zxid: E1 + 5n }) }),
    state(2183, 3, { figures: fig({ role: 'leader', zxid: E1 + 5n, learners: 2, syncedFollowers: 2, pendingSyncs: 0, votingMembers: 3 }) }),
  ];
}

describe('healthModel', () => {
  it('zxid lag counts transactions within an epoch, and the new epoch\'s transactions across epochs', () => {
    assert.deepEqual(zxidLag(E1 + 10n, E1 + 3n), { epochs: 0, txns: 7 });
    assert.deepEqual(zxidLag(2n * E1 + 4n, E1 + 99n), { epochs: 1, txns: 4 });
    assert.deepEqual(zxidLag(E1, E1 + 5n), { epochs: 0, txns: 0 });
    // Seen on a fresh 3.8 ensemble: the leader reports 0x100000000, its followers 0x0: nothing missing.
    assert.deepEqual(zxidLag(E1, 0n), { epochs: 1, txns: 0 });
    assert.equal(describeLag({ epochs: 0, txns: 1 }), '1 txn');
    assert.equal(describeLag({ epochs: 1, txns: 0 }), '0 txns');
    assert.equal(describeLag({ epochs: 2, txns: 5 }), '5 txns (and 2 epochs)');
  });

  it('a fresh ensemble (leader at the start of its epoch, followers at 0x0) is healthy and in step', () => {
    const s = healthy3();
    s[0].last!.figures.zxid = 0n;
    s[1].last!.figures.zxid = 0n;
    s[2].last!.figures.zxid = E1;
    const r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    assert.equal(r.summary.level, 'healthy', JSON.stringify(r.alerts));
    assert.match(r.summary.text, /zxids in step/);
  });

  it('a follower stuck in an old epoch while the leader wrote more than the threshold', () => {
    const s = healthy3();
    s[0].last!.figures.zxid = E1 + 7n;
    s[2].last!.figures.zxid = 2n * E1 + 5000n;
    s[1].last!.figures.zxid = 2n * E1 + 5000n;
    const r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    const lag = r.alerts.find((a) => a.kind === 'followerLag')!;
    assert.match(lag.detail, /5000 txns \(and 1 epoch\) behind/);
    assert.match(lag.detail, /current leader's epoch/);
  });

  it('all up: healthy, leader id, 3 of 3 voters, quorum 2, zxids in step, no alerts', () => {
    const r = buildHealth({ servers: healthy3(), members, thresholds: DEFAULT_THRESHOLDS });
    assert.equal(r.summary.level, 'healthy');
    assert.equal(r.summary.leaderId, 3);
    assert.equal(r.summary.votersUp, 3);
    assert.equal(r.summary.votersTotal, 3);
    assert.equal(r.summary.quorum, 2);
    assert.deepEqual(r.summary.zxidSpread, { epochs: 0, txns: 0 });
    assert.match(r.summary.text, /^Healthy: leader server\.3, 3 of 3 voting members up \(quorum 2\), zxids in step$/);
    assert.deepEqual(r.alerts, []);
    assert.equal(r.servers.length, 3);
    const leaderRow = r.servers[2];
    assert.equal(leaderRow.role, 'leader');
    assert.equal(leaderRow.learners, 2);
    assert.equal(leaderRow.syncedFollowers, 2);
    assert.equal(leaderRow.zxid, '0x100000005');
    assert.equal(leaderRow.behind, undefined);
    assert.deepEqual(r.servers[0].behind, { epochs: 0, txns: 0 });
    assert.equal(r.servers[0].learners, undefined, 'leader-only figures only on the leader');
    assert.equal(r.servers[0].label, 'server.1 127.0.0.1:2181');
  });

  it('a follower down: degraded, quorum at risk, the server-down alert says why', () => {
    const s = healthy3();
    s[0] = state(2181, 1, { reach: 'down', error: 'connection refused: nothing listens on that port (server down?)', figures: {} });
    s[0].lastOkAt = 4000;
    s[0].silentSince = 8000;
    s[2].last!.figures.syncedFollowers = 1;
    const r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    assert.equal(r.summary.level, 'degraded');
    assert.equal(r.summary.votersUp, 2);
    const kinds = r.alerts.map((a) => a.kind);
    assert.ok(kinds.includes('serverDown'));
    assert.ok(kinds.includes('quorumAtRisk'));
    const down = r.alerts.find((a) => a.kind === 'serverDown')!;
    assert.equal(down.severity, 'error');
    assert.match(down.detail, /connection refused/);
    // The clock time of the last answer, and the silence counted from the first missed probe.
    assert.ok(down.detail.includes(`Last answered at ${clockTime(4000)}.`), down.detail);
    assert.ok(down.detail.includes(`No answer since ${clockTime(8000)}: 2.0 s without an answer when checked at ${clockTime(10_000)}.`), down.detail);
    assert.equal(r.servers[0].reach, 'down');
    assert.equal(r.servers[0].role, undefined, 'no stale role on a down row');
  });

  it('words its alerts and summary through the Translate it is given (the adapter passes vscode.l10n.t)', () => {
    const s = healthy3();
    s[0] = state(2181, 1, { reach: 'down', error: 'connection refused', figures: {} });
    const zh: Record<string, string> = {
      '{0} is down': '{0} 已宕机',
      '{0}: {1}.': '{0}：{1}。',
      'Quorum at risk': '法定人数有风险',
      Degraded: '降级',
      '{0}: {1}': '{0}：{1}',
      'leader server.{0}': '领导者 server.{0}',
      '{0} of {1} voting members up (quorum {2})': '{1} 个投票成员中 {0} 个在线（法定人数 {2}）',
      'zxids in step': 'zxid 一致',
      '{0} alerts': '{0} 个警报',
    };
    const t = (m: string, ...args: (string | number | boolean)[]) => (zh[m] ?? `«${m}»`).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
    const r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS, t });
    const down = r.alerts.find((a) => a.kind === 'serverDown')!;
    assert.equal(down.title, 'server.1 127.0.0.1:2181 已宕机');
    assert.equal(down.detail, 'server.1 127.0.0.1:2181：connection refused。');
    assert.equal(r.alerts.find((a) => a.kind === 'quorumAtRisk')!.title, '法定人数有风险');
    assert.equal(r.summary.text, '降级：领导者 server.3, 3 个投票成员中 2 个在线（法定人数 2）, zxid 一致, 2 个警报');
    const english = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    assert.equal(english.alerts.find((a) => a.kind === 'serverDown')!.title, 'server.1 127.0.0.1:2181 is down');
  });

  it('a follower just killed while the leader still counts it synced (its view lags by syncLimit): our probe wins', () => {
    const s = healthy3();
    s[0] = state(2181, 1, { reach: 'down', error: 'connection refused', figures: {} });
    assert.equal(s[2].last!.figures.syncedFollowers, 2, 'the leader has not noticed yet');
    const r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    assert.equal(r.summary.votersUp, 2);
    assert.match(r.summary.text, /2 of 3 voting members up \(quorum 2\)/);
    assert.ok(r.alerts.some((a) => a.kind === 'quorumAtRisk'));
  });

  it('two of three down: down, quorum lost', () => {
    const s = healthy3();
    s[0] = state(2181, 1, { reach: 'down', error: 'refused', figures: {} });
    s[1] = state(2182, 2, { reach: 'timeout', error: 'accepted the connection but did not answer', figures: {} });
    s[2].last!.figures.syncedFollowers = 0;
    const r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    assert.equal(r.summary.level, 'down');
    assert.ok(r.alerts.some((a) => a.kind === 'quorumLost' && a.severity === 'error'));
    assert.ok(r.alerts.some((a) => a.kind === 'serverTimeout' && /frozen|stopped/.test(a.detail)));
    assert.equal(r.alerts[0].severity, 'error', 'errors come first');
  });

  it('no leader among the answering servers: down with a no-leader alert', () => {
    const s = healthy3().map((x) => ({ ...x, last: { ...x.last!, notServing: true, figures: {} } }));
    const r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    assert.equal(r.summary.level, 'down');
    assert.ok(r.alerts.some((a) => a.kind === 'noLeader'));
    assert.ok(r.alerts.some((a) => a.kind === 'notServing'));
    assert.match(r.summary.text, /no leader/);
  });

  it('two servers claiming leadership: the newest epoch wins, with a warning', () => {
    const s = healthy3();
    s[0].last!.figures = fig({ role: 'leader', zxid: E1 + 9n });
    s[2].last!.figures = fig({ role: 'leader', zxid: 2n * E1 + 1n });
    s[1].last!.figures = fig({ role: 'follower', zxid: 2n * E1 + 1n });
    const r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    assert.equal(r.summary.leaderId, 3);
    assert.ok(r.alerts.some((a) => a.kind === 'multipleLeaders'));
  });

  it('thresholds: latency, outstanding, file descriptors, lag, each naming its setting', () => {
    const s = healthy3();
    s[0].last!.figures = fig({ role: 'follower', zxid: E1 + 5n, latencyAvg: 250, outstanding: 40, openFds: 950, maxFds: 1000 });
    s[1].last!.figures = fig({ role: 'follower', zxid: E1 + 1n });
    s[2].last!.figures = fig({ role: 'leader', zxid: E1 + 5000n, syncedFollowers: 2 });
    s[0].last!.figures.zxid = E1 + 4999n;
    const r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    const by = (k: string) => r.alerts.find((a) => a.kind === k);
    assert.match(by('latency')!.detail, /250 ms, above the 100 ms threshold/);
    assert.equal(by('latency')!.fix!.setting, 'zookeeper.health.latencyWarnMs');
    assert.match(by('outstanding')!.detail, /40 outstanding requests/);
    assert.match(by('fileDescriptors')!.detail, /950 of 1000 file descriptors open \(95%\)/);
    const lag = r.alerts.filter((a) => a.kind === 'followerLag');
    assert.equal(lag.length, 1, 'only the follower 4999 txns behind');
    assert.match(lag[0].detail, /4999 txns behind/);
    assert.equal(lag[0].server, 'server.2 127.0.0.1:2182');
    assert.equal(r.summary.level, 'degraded');
    assert.deepEqual(r.servers[1].behind, { epochs: 0, txns: 4999 });
    assert.match(r.summary.text, /zxid spread 4999 txns/);
  });

  it('mixed versions', () => {
    const s = healthy3();
    s[1].last!.figures.version = '3.7.1';
    const r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    const a = r.alerts.find((x) => x.kind === 'mixedVersions')!;
    assert.match(a.detail, /3\.8\.0 on server\.1 127\.0\.0\.1:2181, server\.3 127\.0\.0\.1:2183; 3\.7\.1 on server\.2/);
  });

  it('4lw not whitelisted: the exact config line, and whether the AdminServer filled in', () => {
    const s = healthy3();
    s[1] = state(2182, 2, { figures: fig({ role: 'follower', zxid: E1 + 5n }), refusedWords: ['mntr'], answeredWords: ['srvr'], adminUsed: ['monitor', 'leader'] }, { refused: ['mntr', 'conf'], answered: ['srvr'] });
    let r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    let a = r.alerts.find((x) => x.kind === 'fourLetterWords')!;
    assert.equal(a.fix!.configLine, '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok');
    assert.equal(a.severity, 'info');
    assert.match(a.detail, /mntr, conf are not in its 4lw\.commands\.whitelist/);
    assert.match(a.detail, /AdminServer instead \(\/commands\/monitor, \/commands\/leader\)/);
    assert.equal(r.summary.level, 'healthy', 'the fallback worked: nothing is missing');
    assert.equal(r.servers[1].source, 'both');

    s[1] = state(2182, 2, { figures: fig({ role: 'follower', zxid: E1 + 5n }), refusedWords: ['mntr'], answeredWords: ['srvr', 'cons'], adminProblem: 'connection refused: no AdminServer on that port' }, { refused: ['mntr'], answered: ['srvr', 'cons'] });
    r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    a = r.alerts.find((x) => x.kind === 'fourLetterWords')!;
    assert.equal(a.severity, 'warning');
    assert.equal(a.fix!.configLine, '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok,cons', 'keeps what already works');
    assert.equal(a.fix!.setting, 'zookeeper.health.adminServerPorts');
    assert.match(a.detail, /no AdminServer on that port/);
    assert.equal(r.summary.level, 'degraded');
  });

  it('4lw not whitelisted: the alert is worded through the Translate it is given; the words and the config line stay as they are', () => {
    const t = (m: string, ...args: (string | number | boolean)[]) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))}»`;
    const s = healthy3();
    s[1] = state(2182, 2, { figures: fig({ role: 'follower', zxid: E1 + 5n }), refusedWords: ['mntr'], answeredWords: ['srvr'], adminProblem: 'no AdminServer' }, { refused: ['mntr', 'conf'], answered: ['srvr'] });
    const a = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS, t }).alerts.find((x) => x.kind === 'fourLetterWords')!;
    assert.equal(a.title, '«server.2 127.0.0.1:2182 refuses mntr, conf»');
    assert.equal(
      a.detail,
      '«server.2 127.0.0.1:2182 answers "mntr is not executed because it is not in the whitelist": mntr, conf are not in its 4lw.commands.whitelist.» ' +
        '«Its AdminServer fallback did not work either (no AdminServer), so some figures are missing.»',
    );
    assert.match(a.fix!.text, /^«Add this line to server\.2 127\.0\.0\.1:2182's zoo\.cfg .* or set the AdminServer port in zookeeper\.health\.adminServerPorts:»$/);
    assert.equal(a.fix!.configLine, '4lw.commands.whitelist=srvr,mntr,conf,isro,ruok');
  });

  it('standalone server', () => {
    const s = [state(2181, 0, { figures: fig({ role: 'standalone', zxid: 7n }) })];
    const r = buildHealth({ servers: s, members: [], thresholds: DEFAULT_THRESHOLDS });
    assert.equal(r.summary.level, 'healthy');
    assert.equal(r.summary.votersTotal, 1);
    assert.equal(r.summary.quorum, 1);
    assert.match(r.summary.text, /standalone server/);
  });

  it('a member only the membership knows of becomes a not-polled row with an explanation', () => {
    const more = [...members, { id: 4, host: '10.0.0.4', quorumPort: 2888, electionPort: 3888, type: 'observer' as const }];
    const r = buildHealth({ servers: healthy3(), members: more, thresholds: DEFAULT_THRESHOLDS });
    const row = r.servers.find((x) => x.key === 'member:4')!;
    assert.equal(row.reach, 'notPolled');
    assert.equal(row.origin, 'membership');
    assert.equal(row.role, 'observer');
    assert.ok(r.alerts.some((a) => a.kind === 'memberNotPolled' && a.severity === 'info'));
    assert.equal(r.summary.level, 'healthy', 'an info alert does not degrade');
  });

  it('before the first answers: unknown, rows pending', () => {
    const r = buildHealth({ servers: [state(2181, undefined, undefined)], members: [], thresholds: DEFAULT_THRESHOLDS });
    assert.equal(r.summary.level, 'unknown');
    assert.equal(r.servers[0].reach, 'pending');
  });

  it('hostile strings from a server stay data (the model never interprets them)', () => {
    const s = healthy3();
    s[0].last!.figures.versionFull = '<img src=x onerror=alert(1)>';
    s[0].last!.figures.role = 'unknown';
    s[0].last!.figures.rawRole = '<script>alert(1)</script>';
    const r = buildHealth({ servers: s, members, thresholds: DEFAULT_THRESHOLDS });
    assert.equal(r.servers[0].versionFull, '<img src=x onerror=alert(1)>');
    assert.equal(r.servers[0].role, '<script>alert(1)</script>');
    assert.doesNotThrow(() => JSON.stringify(r), 'JSON-safe (no bigint)');
  });
});
