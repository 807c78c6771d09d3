// Small helpers of the subtree operations. Domain layer: no 'vscode' here.
import { ZkError } from '../errors';
import type { SubtreeClient } from './subtreeClient';
import { msg, type Message } from '../message';

export function guardWrite(client: SubtreeClient, verb: string, path: string): void {
  if (!client.options.readOnly) return;
  const label = client.options.name ? msg('Connection "{0}"', client.options.name) : msg('The connection');
  throw new ZkError('READ_ONLY_GUARD', msg('{0} is read-only: refused to {1} {2}; nothing was done. Clear "readOnly" in its settings to allow writes.', label, verb, path), {
    path,
    op: verb,
  });
}

export function throwIfAborted(signal: AbortSignal | undefined, message: Message, path: string): void {
  if (signal?.aborted) throw new ZkError('CANCELLED', message, { path });
}

/** ISO 8601, or null for a time outside what a Date can hold (a server's garbage must not fail a whole export). */
export function isoTime(d: Date): string | null {
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function clampInt(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.floor(v)));
}

export function capitalize(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Maps with at most `limit` calls pending; results in input order; the first failure rejects. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
