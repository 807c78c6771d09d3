// Real ZooKeeper servers for integration tests and the `npm start` sandbox: standalone servers and
// ensembles on free 127.0.0.1 ports, each member a JVM started directly (QuorumPeerMain) in a temp
// dir, with kill/stop/start/freeze/resume per member and four-letter-word/AdminServer probes.
// Readiness is `srvr` reporting a serving Mode (`ruok` answers imok even without a quorum).
// Every process and dir is cleaned up by close(), stopAllClusters(), or at process exit.
import { join } from 'node:path';
import { findZooKeeper, type ZooKeeperInstall } from './locate';
import { LOOPBACK, fourLetterWord, freePorts, httpGet, sleep } from './net';
import { makeTempDir, removeTempDir } from './processes';
import { SERVER_JVM_FLAGS, ZkServer, type JvmLaunch, type ServerPorts, type ZkServerHandle } from './server';
import { ensureTlsMaterial, type TlsFiles, type TlsMaterial } from './tls';
import { writeServerJaas, type SaslServerOptions } from './sasl';

export { findZooKeeper, INSTALL_HINT } from './locate';
export { fourLetterWord, freePorts } from './net';
export { zkCli, type ZkCliResult } from './zkcli';
export type { ZkServerHandle } from './server';
export type { TlsMaterial } from './tls';
export { writeClientJaas, type SaslServerOptions } from './sasl';

export interface ClusterOptions {
  /** Also open a secureClientPort (Netty, generated certificates). */
  tls?: boolean;
  /** 4lw.commands.whitelist for every member; default '*'. */
  fourLetterWhitelist?: string;
  /** 4lw.commands.whitelist for single members, by myid. */
  perServerWhitelist?: Record<number, string>;
  /** More zoo.cfg lines; they override the harness's own (unknown keys become zookeeper.* properties). */
  extraConfig?: Record<string, string>;
  /** Default 2000; small values (e.g. 500) make session expiry fast (min session timeout = 2 ticks). */
  tickTime?: number;
  /** Appended to the server JVM flags. */
  jvmFlags?: string[];
  /** How long start-up may take before it fails with the servers' last log lines; default 30 s. */
  startTimeoutMs?: number;
  /** SASL DIGEST-MD5 with these users (a JAAS file in the cluster's dir, SASLAuthenticationProvider). */
  sasl?: SaslServerOptions;
  /**
   * Dynamic reconfiguration: reconfigEnabled=true, standaloneEnabled=false, and each `server.N=` line
   * with its role and client address (what `/zookeeper/config` then shows). Reconfig also needs an
   * authorised session: pass `superDigest` (the `super:<base64 sha1>` form) or `skipACL: 'yes'` in extraConfig.
   */
  reconfig?: { superDigest?: string };
}

const SERVING = /^Mode: (standalone|leader|follower|observer)\s*$/m;
const PROBE_MS = 1000;
const POLL_MS = 50;
const START_ATTEMPTS = 3; // a probed port can be taken by someone else before the JVM binds it

const liveClusters = new Set<ZkCluster>();

export class ZkCluster {
  readonly servers: ZkServerHandle[];
  readonly connectString: string;
  readonly secureConnectString?: string;
  readonly tls?: TlsMaterial;
  private closing?: Promise<void>;

  private constructor(
    /** The cluster's temp dir: one server-<id> dir per member (zoo.cfg, data/, server.log). */
    readonly dir: string,
    private readonly members: ZkServer[],
    private readonly ensemble: boolean,
    tls: TlsFiles | undefined,
    private readonly opts: ClusterOptions = {},
    private readonly launchSpec?: JvmLaunch,
  ) {
    this.servers = members;
    this.connectString = members.map((m) => m.address).join(',');
    if (tls) {
      this.tls = tls;
      this.secureConnectString = members.map((m) => `${LOOPBACK}:${m.securePort}`).join(',');
    }
    liveClusters.add(this);
  }

  static startStandalone(opts: ClusterOptions = {}): Promise<ZkCluster> {
    return ZkCluster.launch(1, false, opts);
  }

  static async startEnsemble(size = 3, opts: ClusterOptions = {}): Promise<ZkCluster> {
    if (!Number.isInteger(size) || size < 1) throw new Error(`ensemble size must be a positive integer, got ${size}`);
    return await ZkCluster.launch(size, true, opts);
  }

  private static async launch(size: number, ensemble: boolean, opts: ClusterOptions): Promise<ZkCluster> {
    const install = findZooKeeper(); // fails first, with the install hint, when ZooKeeper is missing
    const tls = opts.tls ? await ensureTlsMaterial() : undefined;
    for (let attempt = 1; ; attempt++) {
      const cluster = await ZkCluster.create(size, ensemble, opts, install, tls);
      try {
        for (const m of cluster.members) m.spawn();
        await cluster.waitServing(opts.startTimeoutMs ?? 30_000);
        return cluster;
      } catch (e) {
        await cluster.close();
        if (attempt >= START_ATTEMPTS || !/BindException|Address already in use/.test(String(e))) throw e;
      }
    }
  }

  private static async create(size: number, ensemble: boolean, opts: ClusterOptions, install: ZooKeeperInstall, tls?: TlsFiles): Promise<ZkCluster> {
    const dir = makeTempDir(ensemble ? 'ensemble' : 'standalone');
    const perMember = tls ? 5 : 4;
    const ports = await freePorts(size * perMember);
    const sasl = opts.sasl ? writeServerJaas(dir, opts.sasl) : undefined;
    if (sasl) opts = { ...opts, extraConfig: { ...sasl.config, ...opts.extraConfig } };
    const superDigest = opts.reconfig?.superDigest ? [`-Dzookeeper.DigestAuthenticationProvider.superDigest=${opts.reconfig.superDigest}`] : [];
    const launch = { java: install.java, classpath: install.classpath, jvmFlags: [...SERVER_JVM_FLAGS, ...(sasl?.jvmFlags ?? []), ...superDigest, ...(opts.jvmFlags ?? [])] };
    const members = Array.from({ length: size }, (_, i) => {
      const [client, admin, quorum, election, secure] = ports.slice(i * perMember, (i + 1) * perMember);
      const memberPorts: ServerPorts = { client, admin, quorum, election, secure };
      return new ZkServer(i + 1, join(dir, `server-${i + 1}`), memberPorts, launch);
    });
    for (const m of members) m.writeConfig(memberConfig(m, ensemble ? members : [], opts, tls), ensemble);
    return new ZkCluster(dir, members, ensemble, tls, opts, launch);
  }

  /**
   * Starts a new member (the next id) for a reconfig to join: its config lists the cluster's members
   * and itself with `role`; a server outside the leader's config syncs as a non-voting learner until
   * the reconfig adds it. Waits until it serves. Needs an ensemble started with `reconfig`.
   */
  async startNewMember(role: 'participant' | 'observer', timeoutMs = 30_000): Promise<ZkServerHandle & { memberLine: string }> {
    if (!this.ensemble || !this.opts.reconfig || !this.launchSpec) throw new Error('startNewMember needs an ensemble started with the reconfig option');
    const [client, admin, quorum, election] = await freePorts(4);
    const id = Math.max(...this.members.map((m) => m.id)) + 1;
    const member = new ZkServer(id, join(this.dir, `server-${id}`), { client, admin, quorum, election }, this.launchSpec);
    const roles = new Map([[id, role]]);
    member.writeConfig(memberConfig(member, [...this.members, member], this.opts, undefined, roles), true);
    this.members.push(member);
    member.spawn();
    await this.waitFor(member, Date.now() + timeoutMs, (r) => SERVING.test(r), 'serving');
    return Object.assign(member, { memberLine: `server.${id}=${dynamicMemberValue(member, role)}` });
  }

  server(id: number): ZkServerHandle {
    return this.member(id);
  }

  /** SIGKILL, then wait for the exit. */
  kill(id: number): Promise<void> {
    return this.member(id).terminate('SIGKILL');
  }

  /** SIGTERM (SIGKILL after 10 s), then wait for the exit. */
  stop(id: number): Promise<void> {
    return this.member(id).terminate('SIGTERM');
  }

  /**
   * Restarts a stopped member with its config and data. Waits until it serves when a quorum of
   * members is running (itself included), otherwise only until it answers four-letter words.
   */
  async start(id: number, timeoutMs = 30_000): Promise<void> {
    const member = this.member(id);
    member.spawn();
    const running = this.members.filter((m) => m.running()).length;
    const quorum = !this.ensemble || running > this.members.length / 2;
    const ready = quorum ? (r: string) => SERVING.test(r) : (r: string) => r.length > 0;
    await this.waitFor(member, Date.now() + timeoutMs, ready, quorum ? 'serving' : 'answering');
  }

  /** SIGSTOP: the JVM keeps its sockets (TCP connects still succeed) but answers nothing. */
  freeze(id: number): void {
    this.member(id).freeze();
  }

  /** SIGCONT. */
  resume(id: number): void {
    this.member(id).resume();
  }

  /** The id of the only member whose `srvr` says `Mode: leader`; undefined when none (or several) do. */
  async leaderId(): Promise<number | undefined> {
    const modes = await Promise.all(this.members.map((m) => this.mode(m.id)));
    const leaders = this.members.filter((_, i) => modes[i] === 'leader');
    return leaders.length === 1 ? leaders[0].id : undefined;
  }

  /** 'leader' | 'follower' | 'standalone' | ... from `srvr`; undefined when not running or not serving. */
  async mode(id: number): Promise<string | undefined> {
    const member = this.member(id);
    if (!member.running()) return undefined;
    try {
      return /^Mode: (\S+)/m.exec(await fourLetterWord(member.clientPort, 'srvr', PROBE_MS))?.[1];
    } catch {
      return undefined;
    }
  }

  /** Waits until every running member serves; fails with the laggards' log tails. */
  async waitServing(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const giveUp = { now: false }; // once one member fails, the others stop polling
    const waits = this.members
      .filter((m) => m.running())
      .map((m) => this.waitFor(m, deadline, (r) => SERVING.test(r), 'serving', giveUp));
    try {
      await Promise.all(waits);
    } finally {
      giveUp.now = true;
    }
  }

  /** Raw four-letter-word reply from a member's plaintext port, with a deadline. */
  fourLetter(id: number, word: string, timeoutMs = 2000): Promise<string> {
    return fourLetterWord(this.member(id).clientPort, word, timeoutMs);
  }

  /** GET http://127.0.0.1:<adminPort>/commands/<command> as JSON; rejects unless HTTP 200. */
  async admin(id: number, command: string, timeoutMs = 3000): Promise<Record<string, unknown>> {
    const url = `http://${LOOPBACK}:${this.member(id).adminPort}/commands/${command}`;
    const reply = await httpGet(url, timeoutMs);
    if (reply.status !== 200) throw new Error(`GET ${url}: HTTP ${reply.status}: ${reply.body.slice(0, 200)}`);
    return JSON.parse(reply.body) as Record<string, unknown>;
  }

  /** The last lines of a member's server.log (for test failure messages). */
  logTail(id: number, lines = 40): string {
    return this.member(id).logTail(lines);
  }

  /** SIGKILLs every member and deletes the temp dir. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    liveClusters.delete(this);
    // SIGKILL, not SIGTERM: the data is deleted anyway, and a frozen member needs no SIGCONT.
    await Promise.all(this.members.map((m) => m.terminate('SIGKILL')));
    removeTempDir(this.dir);
  }

  private member(id: number): ZkServer {
    const member = this.members.find((m) => m.id === id);
    if (!member) throw new Error(`no ZooKeeper server ${id} in this cluster (ids 1..${this.members.length})`);
    return member;
  }

  private async waitFor(member: ZkServer, deadline: number, ready: (reply: string) => boolean, what: string, giveUp = { now: false }): Promise<void> {
    let last = 'none';
    while (!giveUp.now) {
      if (!member.running()) throw memberError(member, `${member.exitDescription() ?? 'is not running'} before ${what}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw memberError(member, `not ${what} in time; last srvr reply: ${last}`);
      try {
        const reply = await fourLetterWord(member.clientPort, 'srvr', Math.min(PROBE_MS, remaining));
        if (ready(reply)) return;
        last = reply.trim().split('\n').pop() || '(empty)';
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
      }
      await sleep(POLL_MS);
    }
  }
}

/** Stops every cluster started by this process (mocha root hook, signal handlers). */
export async function stopAllClusters(): Promise<void> {
  await Promise.all([...liveClusters].map((c) => c.close()));
}

function memberError(member: ZkServer, why: string): Error {
  // The tail is copied into the message: a failed start deletes the cluster's dir.
  return new Error(`ZooKeeper server ${member.id} (${member.address}) ${why}; last lines of its server.log:\n${member.logTail(30)}`);
}

/** `host:quorum:election:role;host:client`, a member as the dynamic config writes it. */
function dynamicMemberValue(m: ZkServer, role: 'participant' | 'observer'): string {
  return `${LOOPBACK}:${m.ports.quorum}:${m.ports.election}:${role};${LOOPBACK}:${m.clientPort}`;
}

/** zoo.cfg for one member; `ensemble` lists all members (empty for a standalone server). */
function memberConfig(member: ZkServer, ensemble: ZkServer[], opts: ClusterOptions, tls?: TlsFiles, roles = new Map<number, 'participant' | 'observer'>()): string {
  const memberValue = (m: ZkServer) =>
    opts.reconfig ? dynamicMemberValue(m, roles.get(m.id) ?? 'participant') : `${LOOPBACK}:${m.ports.quorum}:${m.ports.election}`;
  const reconfig: [string, string][] = opts.reconfig ? [['reconfigEnabled', 'true'], ['standaloneEnabled', 'false']] : [];
  const entries = new Map<string, string>([
    ['tickTime', String(opts.tickTime ?? 2000)],
    ['initLimit', '10'],
    ['syncLimit', '5'],
    ['dataDir', member.dataDir],
    ['clientPortAddress', LOOPBACK],
    ['clientPort', String(member.clientPort)],
    ['maxClientCnxns', '0'],
    ['4lw.commands.whitelist', opts.perServerWhitelist?.[member.id] ?? opts.fourLetterWhitelist ?? '*'],
    ['admin.enableServer', 'true'],
    ['admin.serverAddress', LOOPBACK],
    ['admin.serverPort', String(member.adminPort)],
    ...(tls ? tlsConfig(member, tls) : []),
    ...reconfig,
    ...ensemble.map((m): [string, string] => [`server.${m.id}`, memberValue(m)]),
    ...Object.entries(opts.extraConfig ?? {}),
  ]);
  return [...entries].map(([key, value]) => configLine(key, value)).join('');
}

function tlsConfig(member: ZkServer, tls: TlsFiles): [string, string][] {
  return [
    // Without an address the secure port would listen on every interface.
    ['secureClientPortAddress', LOOPBACK],
    ['secureClientPort', String(member.securePort)],
    ['serverCnxnFactory', 'org.apache.zookeeper.server.NettyServerCnxnFactory'],
    ['ssl.keyStore.location', tls.keyStorePath],
    ['ssl.keyStore.password', tls.keyStorePassword],
    ['ssl.keyStore.type', 'PKCS12'],
    ['ssl.trustStore.location', tls.trustStorePath],
    ['ssl.trustStore.type', 'PEM'],
  ];
}

function configLine(key: string, value: string): string {
  if (/[\r\n=]/.test(key) || /[\r\n]/.test(value)) throw new Error(`invalid zoo.cfg entry ${JSON.stringify(key)}=${JSON.stringify(value)}`);
  return `${key}=${value}\n`;
}
