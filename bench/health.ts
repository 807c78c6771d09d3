// What cluster-health polling costs: a HealthPoller with the default settings (5 s interval, 2 s
// deadline, srvr + mntr per server per round, conf every 12th round) polls a real 3-node ensemble
// for a minute. Measured in this process: CPU time (user + system), heap and RSS, the size of what
// the panel is sent per update; on the servers: the CPU time their JVMs used in the same window,
// and optionally in an equally long window without polling (the baseline), so the difference is
// what polling costs them. The ensemble is started by the test harness and closed afterwards.
import { readFileSync } from 'node:fs';
import { sendFourLetterWord } from '../src/zk/health/fourLetterWords';
import { adminCommand } from '../src/zk/health/adminServer';
import { HealthPoller, type HealthIo } from '../src/zk/health/healthPoller';
import { DEFAULT_SETTINGS } from '../src/zk/health/healthSettings';
import { ZkCluster } from '../test/harness/zookeeper';

export interface HealthBenchOptions {
  /** Polling window; default 60 s. */
  durationMs?: number;
  /** Default: the setting's default, 5000 ms. */
  intervalMs?: number;
  /** Also measure the servers' CPU over an equal window without polling (doubles the run time). Default false. */
  serverBaseline?: boolean;
  log?: (line: string) => void;
}

export interface HealthBench {
  durationMs: number;
  intervalMs: number;
  servers: number;
  rounds: number;
  /** Four-letter words and AdminServer requests sent, all servers together. */
  requests: number;
  requestsPerSecond: number;
  /** This process, over the polling window. */
  cpuUserMs: number;
  cpuSystemMs: number;
  /** (user + system) / wall time, in percent of one core. */
  cpuPercent: number;
  cpuMsPerRound: number;
  heapUsedBeforeMiB: number;
  heapUsedAfterMiB: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  rssPeakMiB: number;
  /** Whether heap figures were taken after a forced GC (node --expose-gc). */
  gcForced: boolean;
  /** One snapshot + history message to the webview at the end, JSON. */
  messageBytes: number;
  historyPoints: number;
  /** Duration of one probe of one server (all its requests). */
  probeMs: { median: number; p95: number; max: number };
  /** CPU time each server JVM used during the polling window (and the idle baseline when asked). */
  serverCpuMs: { id: number; polling: number; idle?: number }[];
}

const MiB = 1024 * 1024;

export async function benchHealthPolling(opts: HealthBenchOptions = {}): Promise<HealthBench> {
  const durationMs = opts.durationMs ?? 60_000;
  const intervalMs = opts.intervalMs ?? DEFAULT_SETTINGS.pollIntervalMs;
  const log = opts.log ?? (() => undefined);
  const cluster = await ZkCluster.startEnsemble(3);
  try {
    await settle(cluster);
    let idle: number[] | undefined;
    if (opts.serverBaseline) {
      log(`baseline: ${durationMs / 1000} s without polling`);
      const before = serverCpu(cluster);
      await sleep(durationMs);
      idle = serverCpu(cluster).map((v, i) => v - before[i]);
    }

    let requests = 0;
    const io: HealthIo = {
      fourLetterWord: (...a) => {
        requests++;
        return sendFourLetterWord(...a);
      },
      adminCommand: (...a) => {
        requests++;
        return adminCommand(...a);
      },
    };
    const poller = new HealthPoller({
      connectionName: 'bench',
      servers: cluster.servers.map((s) => ({ host: '127.0.0.1', port: s.clientPort, adminPort: s.adminPort })),
      intervalMs,
      timeoutMs: DEFAULT_SETTINGS.timeoutMs,
      historyMs: DEFAULT_SETTINGS.historyMinutes * 60_000,
      thresholds: DEFAULT_SETTINGS.thresholds,
      io,
    });
    const probeMs: number[] = [];
    const lastUpdate = new Map<string, number>();
    poller.on('update', () => {
      // What the panel does on each update: build the snapshot (rows, summary, alerts).
      for (const s of poller.snapshot().servers) {
        if (s.updatedAt === undefined || s.probeMs === undefined || lastUpdate.get(s.key) === s.updatedAt) continue;
        lastUpdate.set(s.key, s.updatedAt);
        probeMs.push(s.probeMs);
      }
    });

    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 250);
    const serverBefore = serverCpu(cluster);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    log(`polling 3 servers every ${intervalMs} ms for ${durationMs / 1000} s`);
    poller.start();
    await sleep(durationMs);
    poller.stop();
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const serverAfter = serverCpu(cluster);
    clearInterval(sampler);
    const message = JSON.stringify({ type: 'snapshot', snapshot: poller.snapshot(), history: poller.history() });
    const history = poller.history();
    gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    const rssAfter = process.memoryUsage().rss;
    const rounds = history.t.length;
    poller.dispose();

    const sorted = probeMs.slice().sort((a, b) => a - b);
    const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0);
    const round1 = (n: number) => Math.round(n * 10) / 10;
    const result: HealthBench = {
      durationMs: Math.round(wall),
      intervalMs,
      servers: cluster.servers.length,
      rounds,
      requests,
      requestsPerSecond: round1((requests * 1000) / wall),
      cpuUserMs: round1(cpu.user / 1000),
      cpuSystemMs: round1(cpu.system / 1000),
      cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 100 * 1000) / 1000,
      cpuMsPerRound: round1((cpu.user + cpu.system) / 1000 / Math.max(1, rounds)),
      heapUsedBeforeMiB: round1(heapBefore / MiB),
      heapUsedAfterMiB: round1(heapAfter / MiB),
      rssBeforeMiB: round1(rssBefore / MiB),
      rssAfterMiB: round1(rssAfter / MiB),
      rssPeakMiB: round1(rssPeak / MiB),
      gcForced: gc !== undefined,
      messageBytes: message.length,
      historyPoints: history.t.length * history.series.length,
      probeMs: { median: pct(0.5), p95: pct(0.95), max: sorted[sorted.length - 1] ?? 0 },
      serverCpuMs: cluster.servers.map((s, i) => ({ id: s.id, polling: serverAfter[i] - serverBefore[i], ...(idle ? { idle: idle[i] } : {}) })),
    };
    log(
      `${rounds} rounds, ${requests} requests; this process: ${Math.round(result.cpuUserMs + result.cpuSystemMs)} ms CPU (${result.cpuPercent}% of a core, ${result.cpuMsPerRound} ms per round), ` +
        `heap ${result.heapUsedBeforeMiB} -> ${result.heapUsedAfterMiB} MiB, RSS peak ${result.rssPeakMiB} MiB; probe median ${result.probeMs.median} ms; servers' CPU ${result.serverCpuMs.map((s) => `${s.id}: ${s.polling} ms${s.idle !== undefined ? ` (idle ${s.idle} ms)` : ''}`).join(', ')}`,
    );
    return result;
  } finally {
    await cluster.close();
  }
}

/** Waits until the ensemble has settled after start (a leader, every member serving). */
async function settle(cluster: ZkCluster): Promise<void> {
  for (let i = 0; i < 100 && (await cluster.leaderId()) === undefined; i++) await sleep(100);
  await sleep(2000);
}

/** CPU time (user + system, ms) of each server JVM so far, from /proc (Linux; 0 elsewhere). */
function serverCpu(cluster: ZkCluster): number[] {
  return cluster.servers.map((s) => {
    const pid = s.pid();
    if (pid === undefined) return 0;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name; clock ticks of 10 ms.
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return 0;
    }
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
