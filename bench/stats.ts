// Shared helpers of the benchmark cases: a Sample (every run, median, min-max spread), the same shape
// bench/subtree.ts returns, and a raw node-zookeeper-client connection for the reference measurements.
import * as zookeeper from 'node-zookeeper-client';
import type { Sample } from './subtree';

export type { Sample } from './subtree';

export function sample(label: string, runsMs: number[]): Sample {
  if (runsMs.length === 0) throw new Error(`${label}: no runs`);
  const sorted = [...runsMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const minMs = sorted[0];
  const maxMs = sorted[sorted.length - 1];
  return { label, runsMs: runsMs.map(round2), medianMs: round2(medianMs), minMs: round2(minMs), maxMs: round2(maxMs), spreadPct: medianMs > 0 ? Math.round((1000 * (maxMs - minMs)) / medianMs) / 10 : 0 };
}

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const round2 = (x: number) => Math.round(x * 100) / 100;
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Forces a full GC when the process runs with --expose-gc; says whether it could. */
export function gc(): boolean {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) return false;
  g();
  g();
  return true;
}

// --- raw node-zookeeper-client (the reference) -------------------------------------------------

export type RawClient = zookeeper.Client;

/** A raw node-zookeeper-client session; resolves once connected. */
export function connectRaw(connectString: string, timeoutMs = 15_000): Promise<RawClient> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 30_000, retries: 0 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new Error(`raw node-zookeeper-client: not connected to ${connectString} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

export function rawGetData(client: RawClient, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => client.getData(path, (err, data) => (err ? reject(err) : resolve(data))));
}

export function rawGetChildren(client: RawClient, path: string): Promise<string[]> {
  return new Promise((resolve, reject) => client.getChildren(path, (err, children) => (err ? reject(err) : resolve(children))));
}

export function closeRaw(client: RawClient): Promise<void> {
  return new Promise((resolve) => {
    if (client.getState() === zookeeper.State.DISCONNECTED) return resolve();
    const timer = setTimeout(resolve, 2000);
    client.once('disconnected', () => {
      clearTimeout(timer);
      resolve();
    });
    client.close();
  });
}

/** The session id as the server shows it in `cons` (0x…, no leading zeros). */
export function rawSessionId(client: RawClient): string {
  return '0x' + client.getSessionId().readBigUInt64BE(0).toString(16);
}
