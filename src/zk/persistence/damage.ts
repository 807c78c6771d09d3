// How a snapshot or log file ends when it does not end well: where, and why, in words a user can act on.
import { msg, renderMessage, type Message } from '../message';

export type DamageKind = 'not-this-format' | 'truncated' | 'checksum' | 'malformed' | 'unreadable';

export interface FileDamage {
  kind: DamageKind;
  /** Byte offset in the file (in the decompressed stream for compressed snapshots). */
  offset: number;
  /** In English (logs, tests). */
  message: string;
  /** The same for the user, translated by an adapter (its `localized`). */
  localized: Message;
}

/** `why` as a Message, or a string for another component's own words (the decoder's), quoted as they are. */
export function damage(kind: DamageKind, offset: number, why: Message | string): FileDamage {
  const localized = msg('{0} at byte {1}', why, offset);
  return { kind, offset, message: renderMessage(localized), localized };
}
