// Polls every server of one ensemble at an interval: each server on its own, with its own deadline,
// so a dead or frozen server never holds up the others, and never more than one probe in flight per
// server (a round that finds a server's previous probe still running skips that server). Keeps a
// ring buffer of rounds for the charts. Only read-only commands are ever sent.
import { EventEmitter, setMaxListeners } from 'node:events';
import type { HealthHistory, HealthSnapshot, HealthThresholds, HistorySeries } from './healthTypes';
import {
  adminCommand,
  isNotServingError,
  parseAdminConfiguration,
  parseAdminLeader,
  parseAdminMonitor,
  parseAdminStats,
  parseAdminVotingView,
} from './adminServer';
import {
  ProbeError,
  figuresFromMntr,
  isNotServing,
  notWhitelistedWord,
  parseConf,
  parseMembership,
  parseMntr,
  parseSrvr,
  sendFourLetterWord,
  type EnsembleMember,
  type FourLetterWord,
  type ServerFigures,
} from './fourLetterWords';
import { DEFAULT_THRESHOLDS, MAX_DISCOVERED_MEMBERS, buildHealth, targetKey, type HealthResult, type ServerObservation, type ServerState, type ServerTarget } from './healthModel';
import type { Translate } from '../localize';
import { joinMessages, messageOfError, msg, type Message } from '../message';

/** A fixed-size FIFO: pushing onto a full buffer drops the oldest entry. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }

  last(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.capacity];
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}

export interface HealthIo {
  fourLetterWord: typeof sendFourLetterWord;
  adminCommand: typeof adminCommand;
}

export interface HealthPollerOptions {
  connectionName: string;
  /** Servers from the connection string. */
  servers: readonly { host: string; port: number; adminPort?: number }[];
  intervalMs: number;
  /** Deadline for one probe of one server (all its requests together). Default 2000. */
  timeoutMs?: number;
  /** How much history the charts keep. Default 10 minutes. */
  historyMs?: number;
  thresholds?: HealthThresholds;
  /** Ask `conf` (membership, server id) every N rounds. Default 12. */
  confEveryRounds?: number;
  /** Try a refused four-letter word again after N rounds (the whitelist may have been fixed). Default 12. */
  recheckRefusedEveryRounds?: number;
  /** Poll members that the membership reveals with a client address. Default true. */
  discoverMembers?: boolean;
  /**
   * At most this many members found through the membership are polled (default 64): a server's
   * `conf` or `/zookeeper/config` is untrusted and may name thousands. The rest are named in an alert.
   */
  maxDiscoveredMembers?: number;
  /**
   * AdminServer port for a server found through the membership: only a port the user configured
   * for it (never a default), so no HTTP goes to a host that only a server's reply named.
   */
  adminPortFor?: (host: string, clientPort: number) => number | undefined;
  /** Words the alerts and the summary (the adapter passes vscode.l10n.t; default English). */
  t?: Translate;
  /** The `/zookeeper/config` text, read through the user's session when there is one. */
  membershipSource?: () => Promise<string | undefined>;
  io?: Partial<HealthIo>;
  now?: () => number;
}

interface Sample {
  latencyAvg?: number;
  latencyMax?: number;
  outstanding?: number;
  connections?: number;
  packetsPerSec?: number;
}

interface Round {
  t: number;
  samples: Map<string, Sample>;
}

interface PollState extends ServerState {
  inFlight?: Promise<void>;
  lastConfRound: number;
  refusedAtRound: Map<string, number>;
  prevPackets?: { at: number; total: number };
  lastMembers?: EnsembleMember[];
}

export class HealthPoller extends EventEmitter {
  readonly connectionName: string;
  private readonly states: PollState[] = [];
  private readonly rounds: RingBuffer<Round>;
  private readonly io: HealthIo;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private abort = probeAbort();
  private round = 0;
  private intervalMs: number;
  private thresholds: HealthThresholds;
  private sourceMembers: EnsembleMember[] = [];
  private lastSourceRound = -Infinity;
  private sourceInFlight = false;
  private disposed = false;
  /** Members with a client address that were not polled because of maxDiscoveredMembers. */
  private leftOut: EnsembleMember[] = [];

  constructor(private readonly opts: HealthPollerOptions) {
    super();
    this.connectionName = opts.connectionName;
    this.intervalMs = opts.intervalMs;
    this.thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
    this.io = { fourLetterWord: opts.io?.fourLetterWord ?? sendFourLetterWord, adminCommand: opts.io?.adminCommand ?? adminCommand };
    this.now = opts.now ?? Date.now;
    const historyMs = opts.historyMs ?? 10 * 60_000;
    this.rounds = new RingBuffer<Round>(Math.max(2, Math.ceil(historyMs / Math.max(100, opts.intervalMs)) + 1));
    for (const s of opts.servers) this.addTarget({ key: targetKey(s.host, s.port), host: s.host, clientPort: s.port, adminPort: s.adminPort, origin: 'connectString' });
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  get pollIntervalMs(): number {
    return this.intervalMs;
  }

  get timeoutMs(): number {
    return this.opts.timeoutMs ?? 2000;
  }

  /** Starts polling (a first round at once). Idempotent. */
  start(): void {
    if (this.disposed || this.timer) return;
    if (this.abort.signal.aborted) this.abort = probeAbort();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    void this.tick();
  }

  /** Stops polling and abandons probes in flight. History is kept. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
  }

  dispose(): void {
    this.stop();
    this.disposed = true;
    this.removeAllListeners();
  }

  setIntervalMs(ms: number): void {
    if (ms === this.intervalMs) return;
    this.intervalMs = ms;
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = setInterval(() => void this.tick(), this.intervalMs);
    }
  }

  setThresholds(t: HealthThresholds): void {
    this.thresholds = t;
    this.emit('update');
  }

  /** One round now; resolves when every probe it started (or found running) has finished. */
  async pollNow(): Promise<void> {
    if (this.abort.signal.aborted) this.abort = probeAbort();
    await this.tick();
  }

  result(): HealthResult {
    return buildHealth({ servers: this.states, members: this.members(), thresholds: this.thresholds, membersLeftOut: this.leftOut, maxDiscoveredMembers: this.maxDiscovered, t: this.opts.t });
  }

  snapshot(): HealthSnapshot {
    const r = this.result();
    return { connectionName: this.connectionName, ...r, pollIntervalMs: this.intervalMs, thresholds: this.thresholds };
  }

  history(): HealthHistory {
    const rounds = this.rounds.toArray();
    const series: HistorySeries[] = this.states.map((s) => {
      const pick = (k: keyof Sample) => rounds.map((r) => r.samples.get(s.target.key)?.[k] ?? null);
      return {
        key: s.target.key,
        label: s.serverId !== undefined ? `server.${s.serverId}` : s.target.key,
        latencyAvg: pick('latencyAvg'),
        latencyMax: pick('latencyMax'),
        outstanding: pick('outstanding'),
        packetsPerSec: pick('packetsPerSec'),
        connections: pick('connections'),
      };
    });
    return { t: rounds.map((r) => r.t / 1000), series };
  }

  /** The servers being polled (connection string first, then discovered members). */
  targets(): ServerTarget[] {
    return this.states.map((s) => s.target);
  }

  // -------------------------------------------------------------------------------------------

  private addTarget(t: ServerTarget): void {
    if (this.states.some((s) => s.target.key === t.key)) return;
    this.states.push({ target: t, lastConfRound: -Infinity, refusedAtRound: new Map(), refusedWords: new Set(), answeredWords: new Set() });
  }

  private members(): EnsembleMember[] {
    const byId = new Map<number, EnsembleMember>();
    for (const m of this.sourceMembers) byId.set(m.id, m);
    for (const s of this.states) for (const m of s.lastMembers ?? []) if (!byId.has(m.id)) byId.set(m.id, m);
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }

  private async tick(): Promise<void> {
    const round = ++this.round;
    this.rounds.push({ t: this.now(), samples: new Map() });
    const signal = this.abort.signal;
    const confEvery = this.opts.confEveryRounds ?? 12;
    if (this.opts.membershipSource && !this.sourceInFlight && round - this.lastSourceRound >= confEvery) {
      this.lastSourceRound = round;
      this.sourceInFlight = true;
      void this.readMembershipSource().finally(() => (this.sourceInFlight = false));
    }
    const waits: Promise<void>[] = [];
    for (const st of [...this.states]) {
      if (st.inFlight) {
        // At most one probe per server: the previous one is still waiting for its deadline.
        waits.push(st.inFlight);
        continue;
      }
      const p = this.probe(st, round, signal)
        .then((obs) => this.record(st, round, obs))
        .catch((e: unknown) => {
          if (!(e instanceof ProbeError && e.kind === 'aborted')) this.emit('probeFailed', st.target, e);
        })
        .finally(() => (st.inFlight = undefined));
      st.inFlight = p;
      waits.push(p);
    }
    await Promise.all(waits);
  }

  /** Reads the membership source again at the next round, not 12 rounds on: the dynamic config just changed. */
  refreshMembership(): void {
    this.lastSourceRound = -Infinity;
  }

  private async readMembershipSource(): Promise<void> {
    try {
      const text = await withDeadline(this.opts.membershipSource!(), this.timeoutMs);
      if (text) {
        const { members } = parseMembership(text);
        if (members.length > 0) {
          this.sourceMembers = members;
          this.discover();
          this.emit('update');
        }
      }
    } catch {
      // The session may be down: the servers' own `conf` answers still give the membership.
    }
  }

  private record(st: PollState, round: number, obs: ServerObservation): void {
    if (this.disposed) return;
    st.last = obs;
    if (obs.reach === 'up') {
      st.lastOkAt = obs.at;
      st.silentSince = undefined;
    } else st.silentSince ??= obs.at - obs.durationMs; // the first probe it missed was sent then
    if (obs.serverId !== undefined) st.serverId = obs.serverId;
    if (obs.members) st.lastMembers = obs.members;
    if (obs.adminUsed.length > 0 || obs.adminProblem !== undefined) st.fallback = { commands: [...new Set(obs.adminUsed)], problem: obs.adminProblem };
    const f = obs.figures;
    const sample: Sample = {};
    if (obs.reach === 'up' && !obs.notServing) {
      sample.latencyAvg = f.latencyAvg;
      sample.latencyMax = f.latencyMax;
      sample.outstanding = f.outstanding;
      sample.connections = f.connections;
      if (f.packetsReceived !== undefined && f.packetsSent !== undefined) {
        const total = f.packetsReceived + f.packetsSent;
        const prev = st.prevPackets;
        if (prev && total >= prev.total && obs.at > prev.at) sample.packetsPerSec = Math.round(((total - prev.total) * 1000) / (obs.at - prev.at) * 10) / 10;
        st.prevPackets = { at: obs.at, total };
      }
    } else {
      st.prevPackets = undefined;
    }
    const entry = this.rounds.toArray().find((_, i, all) => i === all.length - 1 - (this.round - round));
    entry?.samples.set(st.target.key, sample);
    if (obs.members || obs.serverId !== undefined) this.discover();
    this.emit('update');
  }

  private get maxDiscovered(): number {
    return this.opts.maxDiscoveredMembers ?? MAX_DISCOVERED_MEMBERS;
  }

  /**
   * Adds members with a client address that no target covers, up to maxDiscoveredMembers (the
   * others are remembered for the alert); drops discovered duplicates.
   */
  private discover(): void {
    if (this.opts.discoverMembers === false) return;
    const leftOut: EnsembleMember[] = [];
    const keys = new Set(this.states.map((s) => s.target.key));
    const ids = new Set(this.states.map((s) => s.serverId).filter((id) => id !== undefined));
    let discovered = this.states.filter((s) => s.target.origin === 'membership').length;
    for (const m of this.members()) {
      if (m.clientPort === undefined) continue;
      const host = m.clientHost && !/^(0\.0\.0\.0|::|0:0:0:0:0:0:0:0)$/.test(m.clientHost) ? m.clientHost : m.host;
      const key = targetKey(host, m.clientPort);
      if (keys.has(key) || ids.has(m.id)) continue;
      if (discovered >= this.maxDiscovered) {
        leftOut.push(m);
        continue;
      }
      discovered++;
      keys.add(key);
      this.addTarget({ key, host, clientPort: m.clientPort, adminPort: this.opts.adminPortFor?.(host, m.clientPort), origin: 'membership' });
    }
    this.leftOut = leftOut;
    // A discovered target that turns out to be a server of the connection string under another name.
    for (let i = this.states.length - 1; i >= 0; i--) {
      const s = this.states[i];
      if (s.target.origin !== 'membership' || s.serverId === undefined) continue;
      if (this.states.some((o) => o !== s && o.target.origin === 'connectString' && o.serverId === s.serverId)) this.states.splice(i, 1);
    }
  }

  private async probe(st: PollState, round: number, signal: AbortSignal): Promise<ServerObservation> {
    const { host, clientPort, adminPort } = st.target;
    const started = this.now();
    const deadline = started + this.timeoutMs;
    const left = () => Math.max(1, deadline - this.now());
    const recheck = this.opts.recheckRefusedEveryRounds ?? 12;
    const obs: ServerObservation = { reach: 'up', notServing: false, at: started, durationMs: 0, figures: {}, refusedWords: [], answeredWords: [], adminUsed: [] };
    // Messages: the model renders them with the panel's Translate ("srvr: …; mntr: …").
    const problems: Message[] = [];
    const done = () => {
      obs.at = this.now();
      obs.durationMs = obs.at - started;
      if (problems.length > 0 && obs.reach === 'up') obs.error = joinMessages(problems);
      return obs;
    };

    type Reply = { kind: 'ok'; text: string } | { kind: 'refused' } | { kind: 'notServing' };
    const word = async (w: FourLetterWord): Promise<Reply> => {
      const text = await this.io.fourLetterWord(host, clientPort, w, { timeoutMs: left(), signal });
      if (notWhitelistedWord(text) !== undefined) {
        obs.refusedWords.push(w);
        st.refusedWords.add(w);
        st.refusedAtRound.set(w, round);
        return { kind: 'refused' };
      }
      obs.answeredWords.push(w);
      st.answeredWords.add(w);
      st.refusedWords.delete(w);
      st.refusedAtRound.delete(w);
      if (isNotServing(text)) {
        obs.notServing = true;
        return { kind: 'notServing' };
      }
      return { kind: 'ok', text };
    };
    const skip = (w: FourLetterWord) => st.refusedWords.has(w) && round - (st.refusedAtRound.get(w) ?? -Infinity) < recheck;
    const admin = async (command: Parameters<HealthIo['adminCommand']>[2]) => {
      if (adminPort === undefined) throw new ProbeError('refused', msg('no AdminServer port is known for this server'));
      const json = await this.io.adminCommand(host, adminPort, command, { timeoutMs: left(), signal });
      obs.adminUsed.push(command);
      return json;
    };
    const adminFailed = (e: unknown) => {
      if (e instanceof ProbeError && e.kind === 'aborted') throw e;
      if (isNotServingError(e)) obs.notServing = true;
      else obs.adminProblem = adminPort === undefined ? messageOfError(e) : msg('AdminServer {0}: {1}', targetKey(host, adminPort), messageOfError(e));
    };

    // 1. srvr: in the default whitelist, so the liveness check of every round (mode, zxid, version).
    let srvr: ServerFigures = {};
    try {
      const r = await word('srvr');
      if (r.kind === 'notServing') return done();
      if (r.kind === 'ok') {
        const parsed = parseSrvr(r.text);
        if (!parsed.recognised) problems.push(msg('{0}: unrecognised reply', 'srvr'));
        srvr = parsed.figures;
      } else {
        try {
          srvr = parseAdminStats(await admin('stats'));
        } catch (e) {
          adminFailed(e);
        }
        if (obs.notServing) return done();
      }
    } catch (e) {
      if (e instanceof ProbeError && e.kind === 'aborted') throw e;
      const pe = e instanceof ProbeError ? e : new ProbeError('reset', String(e));
      if (pe.kind === 'tooLarge' || pe.kind === 'badReply') problems.push(msg('{0}: {1}', 'srvr', messageOfError(pe)));
      else {
        obs.reach = pe.kind === 'timeout' ? 'timeout' : 'down';
        obs.error = messageOfError(pe);
        return done();
      }
    }

    // 2. mntr (or the AdminServer's monitor when it is refused).
    let mntr: ServerFigures = {};
    try {
      let useAdmin = skip('mntr');
      if (!useAdmin) {
        const r = await word('mntr');
        if (r.kind === 'notServing') return done();
        if (r.kind === 'ok') {
          const parsed = parseMntr(r.text);
          if (parsed.values.size === 0) problems.push(msg('{0}: unrecognised reply', 'mntr'));
          mntr = figuresFromMntr(parsed.values);
        } else useAdmin = true;
      }
      if (useAdmin) {
        try {
          mntr = parseAdminMonitor(await admin('monitor'));
          const leader = parseAdminLeader(await admin('leader'));
          if (leader) obs.adminLeader = leader;
        } catch (e) {
          adminFailed(e);
        }
        if (obs.notServing) return done();
      }
    } catch (e) {
      if (e instanceof ProbeError && e.kind === 'aborted') throw e;
      problems.push(msg('{0}: {1}', 'mntr', messageOfError(e)));
    }
    // mntr has more figures; srvr has the zxid (mntr has none) and the mode.
    obs.figures = { ...srvr, ...mntr };
    if (srvr.zxid !== undefined) obs.figures.zxid = srvr.zxid;
    if (!obs.figures.role && srvr.role) obs.figures.role = srvr.role;

    // 3. conf now and then: server id and membership.
    const confEvery = this.opts.confEveryRounds ?? 12;
    if (st.serverId === undefined || round - st.lastConfRound >= confEvery) {
      st.lastConfRound = round;
      try {
        let useAdmin = skip('conf');
        if (!useAdmin) {
          const r = await word('conf');
          if (r.kind === 'ok') {
            const conf = parseConf(r.text);
            if (conf.serverId !== undefined) obs.serverId = conf.serverId;
            if (conf.members.length > 0) obs.members = conf.members;
          } else if (r.kind === 'refused') useAdmin = true;
        }
        if (useAdmin) {
          try {
            const c = parseAdminConfiguration(await admin('configuration'));
            if (c.serverId !== undefined) obs.serverId = c.serverId;
            const members = parseAdminVotingView(await admin('voting_view'));
            if (members.length > 0) obs.members = members;
          } catch (e) {
            adminFailed(e);
          }
        }
      } catch (e) {
        if (e instanceof ProbeError && e.kind === 'aborted') throw e;
        problems.push(msg('{0}: {1}', 'conf', messageOfError(e)));
      }
    }
    return done();
  }
}

/** One signal is shared by every probe of a round (up to the cap on servers): no listener warning. */
function probeAbort(): AbortController {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  return c;
}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new ProbeError('timeout', msg('no answer within {0} ms', ms))), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
