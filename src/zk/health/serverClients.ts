// The client connections of one server, for the Cluster Health panel's "Clients" section: read on
// demand (a server's details were opened) with `cons`, or the AdminServer's /commands/connections
// when `cons` is not whitelisted (src/zk/sessions.ts does the reading), then sorted by most requests
// first and cut to CLIENT_ROWS_LIMIT rows. ClientsMonitor reads a server again at the poll interval
// while its details stay open, never two readings of one server at once, each within a deadline.
import { CLIENT_ROWS_LIMIT, type ClientRow, type ServerClients } from './healthTypes';
import { addressKey, normaliseAddress, normaliseSessionId, readConnections, type ServerConnections, type SessionServer, type SessionsIo } from '../sessions';
import type { ClientConnection } from './fourLetterWords';
import { english, type Translate } from '../localize';
import { renderMessage } from '../message';

/** Most requests (packets received) first, then most sent, then the oldest connection, then by address. */
export function compareClients(a: ClientConnection, b: ClientConnection): number {
  return (
    (b.received ?? 0) - (a.received ?? 0) ||
    (b.sent ?? 0) - (a.sent ?? 0) ||
    (a.established ?? Infinity) - (b.established ?? Infinity) ||
    (a.address < b.address ? -1 : a.address > b.address ? 1 : a.port - b.port)
  );
}

/** The rows to show: sorted, at most `limit`, the panel's own session marked. */
export function clientRows(connections: readonly ClientConnection[], ownSessionId: string | undefined, limit = CLIENT_ROWS_LIMIT): { rows: ClientRow[]; total: number; more: number } {
  const own = ownSessionId !== undefined ? normaliseSessionId(ownSessionId) : undefined;
  const sorted = [...connections].sort(compareClients);
  const rows = sorted.slice(0, Math.max(0, limit)).map((c) => toRow(c, own));
  return { rows, total: connections.length, more: connections.length - rows.length };
}

function toRow(c: ClientConnection, own: string | undefined): ClientRow {
  const sid = c.sessionId !== undefined ? normaliseSessionId(c.sessionId) : undefined;
  const row: ClientRow = { client: addressKey(normaliseAddress(c.address), c.port), own: own !== undefined && sid === own };
  if (c.hostName) row.clientName = c.hostName;
  if (sid) row.sessionId = sid;
  if (c.established !== undefined && c.established > 0) row.established = c.established;
  if (c.lastOperation && c.lastOperation !== 'NA') row.lastOperation = c.lastOperation;
  for (const k of ['queued', 'received', 'sent', 'latencyMin', 'latencyAvg', 'latencyMax'] as const) {
    const v = c[k];
    if (v !== undefined && Number.isFinite(v)) row[k] = v;
  }
  return row;
}

/** What the panel is sent for one reading of one server. */
export function serverClients(reading: ServerConnections, ownSessionId: string | undefined, at: number, limit = CLIENT_ROWS_LIMIT, t: Translate = english): ServerClients {
  if (reading.connections) {
    const out: ServerClients = { at, ...clientRows(reading.connections, ownSessionId, limit) };
    if (reading.via) out.via = reading.via;
    return out;
  }
  const p = reading.problem;
  if (!p) return { at, rows: [], total: 0, more: 0, problem: { text: t('It did not say which clients are connected.') } };
  const what = capitalise(renderMessage(p.message, t));
  let text: string;
  if (p.kind === 'notWhitelisted') {
    text = reading.fallbackProblem
      ? t('{0}, and its AdminServer could not be asked instead ({1}). Add this line to its zoo.cfg and restart it, or set its AdminServer port in zookeeper.health.adminServerPorts.', what, renderMessage(reading.fallbackProblem, t))
      : t('{0}, and its AdminServer could not be asked instead. Add this line to its zoo.cfg and restart it, or set its AdminServer port in zookeeper.health.adminServerPorts.', what);
  } else {
    text = t('{0}.', what);
  }
  const problem: ServerClients['problem'] = { text };
  if (p.configLine) problem.configLine = p.configLine;
  return { at, rows: [], total: 0, more: 0, problem };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface FetchClientsOptions {
  /** Deadline for the whole reading (`cons`, then the AdminServer). */
  timeoutMs: number;
  /** The panel's own session id, marked in the rows. */
  ownSessionId?: string;
  signal?: AbortSignal;
  io?: Partial<SessionsIo>;
  now?: () => number;
  limit?: number;
  /** Words the answer (the adapter passes vscode.l10n.t; default English). */
  t?: Translate;
}

/** Reads one server's client connections; never rejects (a failure is the answer's `problem`). */
export async function fetchServerClients(server: SessionServer, opts: FetchClientsOptions): Promise<ServerClients> {
  const now = opts.now ?? Date.now;
  // The `conf` that readConnections asks for a label is not needed: the panel knows the server.
  const reading = await readConnections([{ ...server, id: server.id ?? 0 }], { timeoutMs: opts.timeoutMs, signal: opts.signal, io: opts.io, now });
  return serverClients(reading.servers[0], opts.ownSessionId, now(), opts.limit, opts.t);
}

export interface ClientsMonitorOptions {
  /** The server behind a row key; undefined when the panel no longer has it. */
  serverFor: (key: string) => SessionServer | undefined;
  intervalMs: number;
  timeoutMs: number;
  ownSessionId?: () => string | undefined;
  /** Called with every reading of a server whose details are still open. */
  onClients: (key: string, clients: ServerClients) => void;
  io?: Partial<SessionsIo>;
  now?: () => number;
  /** Words the answers (the adapter passes vscode.l10n.t; default English). */
  t?: Translate;
}

interface Watch {
  timer: NodeJS.Timeout;
  abort: AbortController;
  inFlight?: Promise<void>;
}

/** Reads the clients of the servers whose details are open: at once, then at every interval, until stopped. */
export class ClientsMonitor {
  private readonly watches = new Map<string, Watch>();
  private intervalMs: number;
  private disposed = false;

  constructor(private readonly opts: ClientsMonitorOptions) {
    this.intervalMs = opts.intervalMs;
  }

  /** The servers being read, by row key. */
  get watching(): string[] {
    return [...this.watches.keys()];
  }

  /** Starts reading a server (its details were opened); reads it now when no reading is in flight. */
  want(key: string): void {
    if (this.disposed) return;
    let w = this.watches.get(key);
    if (!w) {
      w = { timer: setInterval(() => void this.read(key), this.intervalMs), abort: new AbortController() };
      this.watches.set(key, w);
    }
    void this.read(key);
  }

  /** Stops reading a server (its details were closed), abandoning a reading in flight. */
  stop(key: string): void {
    const w = this.watches.get(key);
    if (!w) return;
    clearInterval(w.timer);
    w.abort.abort();
    this.watches.delete(key);
  }

  stopAll(): void {
    for (const key of [...this.watches.keys()]) this.stop(key);
  }

  setIntervalMs(ms: number): void {
    if (ms === this.intervalMs) return;
    this.intervalMs = ms;
    for (const [key, w] of this.watches) {
      clearInterval(w.timer);
      w.timer = setInterval(() => void this.read(key), ms);
    }
  }

  /** One reading of a server being watched; the one in flight when there is one. */
  read(key: string): Promise<void> {
    const w = this.watches.get(key);
    if (!w) return Promise.resolve();
    if (w.inFlight) return w.inFlight;
    const done = this.readOnce(key, w).finally(() => {
      if (w.inFlight === done) w.inFlight = undefined;
    });
    w.inFlight = done;
    return done;
  }

  private async readOnce(key: string, w: Watch): Promise<void> {
    const now = this.opts.now ?? Date.now;
    const server = this.opts.serverFor(key);
    let clients: ServerClients;
    if (!server) {
      const t = this.opts.t ?? english;
      clients = { at: now(), rows: [], total: 0, more: 0, problem: { text: t('The panel does not poll this server (it has no client address).') } };
    } else {
      clients = await fetchServerClients(server, { timeoutMs: this.opts.timeoutMs, ownSessionId: this.opts.ownSessionId?.(), signal: w.abort.signal, io: this.opts.io, now, t: this.opts.t });
    }
    // Closed meanwhile (or closed and opened again: that watch reads for itself).
    if (this.disposed || this.watches.get(key) !== w) return;
    this.opts.onClients(key, clients);
  }

  dispose(): void {
    this.stopAll();
    this.disposed = true;
  }
}
