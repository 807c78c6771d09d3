// What the Set Quota… inputs accept, checked as the user types: a whole number, or empty for "no
// limit"; byte limits also with a unit (512k, 10 MiB, 1G: powers of 1024). Each limit is checked
// against the ones entered before it (a soft limit above the hard one would never warn first) and
// against what is used now (a limit below it is allowed, but said: a hard one refuses every write
// that grows the subtree from then on).
import type { QuotaLimits, QuotaUsage } from './quotas';
import { localizable } from '../localize';
import { msg, type Message } from '../message';

export type LimitField = keyof QuotaLimits;

export const FIELD_LABELS: Record<LimitField, string> = {
  count: localizable('soft limit on nodes'),
  countHard: localizable('hard limit on nodes'),
  bytes: localizable('soft limit on bytes'),
  bytesHard: localizable('hard limit on bytes'),
};

/** The order the inputs are asked in. */
export const FIELD_ORDER: readonly LimitField[] = ['count', 'countHard', 'bytes', 'bytesHard'];

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

export type ParsedLimit = { value: number | undefined } | { problem: Message };

/** Parses one input: empty is no limit. */
export function parseLimitInput(text: string, field: LimitField): ParsedLimit {
  const t = text.trim().replace(/[_,]/g, '');
  if (t === '' || t === '-1' || /^(none|no limit)$/i.test(t)) return { value: undefined };
  const bytes = field === 'bytes' || field === 'bytesHard';
  const m = bytes ? /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(t) : /^(\d+)$/.exec(t);
  if (!m) return { problem: bytes ? msg('A whole number of bytes, e.g. 1048576 or 1 MiB (empty: no limit)') : msg('A whole number of nodes, e.g. 1000 (empty: no limit)') };
  const unit = UNITS[(m[2] ?? '').toLowerCase()];
  if (unit === undefined) return { problem: msg('Unknown unit "{0}": use k, M or G (powers of 1024), or none', m[2]) };
  const value = Math.round(Number(m[1]) * unit);
  if (!Number.isSafeInteger(value)) return { problem: msg('Too large') };
  if (!bytes && value > 2_147_483_647) return { problem: msg('At most 2147483647 nodes (the server keeps a 32-bit count)') };
  return { value };
}

export interface LimitCheck {
  /** The input is refused (the step cannot be accepted); a Message the adapter translates. */
  error?: Message;
  /** Accepted, but worth saying. */
  warning?: Message;
}

/** Checks one step's input against the limits entered so far and the usage. */
export function checkLimitInput(text: string, field: LimitField, entered: QuotaLimits, usage?: Partial<QuotaUsage>): LimitCheck {
  const p = parseLimitInput(text, field);
  if ('problem' in p) return { error: p.problem };
  const v = p.value;
  if (v === undefined) {
    const last = field === FIELD_ORDER[FIELD_ORDER.length - 1];
    if (last && FIELD_ORDER.every((f) => f === field || entered[f] === undefined)) return { error: msg('Set at least one limit (or use Remove Quota)') };
    return {};
  }
  if (field === 'countHard' && entered.count !== undefined && entered.count > v) return { error: msg('Below the soft limit ({0}): the soft limit would never warn first', entered.count) };
  if (field === 'bytesHard' && entered.bytes !== undefined && entered.bytes > v) return { error: msg('Below the soft limit ({0}): the soft limit would never warn first', entered.bytes) };
  const used = usage ? (field === 'count' || field === 'countHard' ? usage.count : usage.bytes) : undefined;
  if (used !== undefined && v < used) {
    const hard = field === 'countHard' || field === 'bytesHard';
    return {
      warning: hard
        ? msg('Already {0} used: with enforceQuota=true every write that grows this subtree will be refused', used.toLocaleString('en'))
        : msg('Already {0} used: the server will log it as exceeded at once', used.toLocaleString('en')),
    };
  }
  return {};
}
