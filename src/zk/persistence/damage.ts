// How a snapshot or log file ends when it does not end well: where, and why, in words a user can act on.

export type DamageKind = 'not-this-format' | 'truncated' | 'checksum' | 'malformed' | 'unreadable';

export interface FileDamage {
  kind: DamageKind;
  /** Byte offset in the file (in the decompressed stream for compressed snapshots). */
  offset: number;
  message: string;
}

export function damage(kind: DamageKind, offset: number, why: string): FileDamage {
  return { kind, offset, message: `${why} at byte ${offset}` };
}
