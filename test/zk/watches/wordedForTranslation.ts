// Test helper: the watch log's notices and change notes reach the adapter's Translate (they are
// Messages, not English strings made in the domain), checked by formatting each line through a
// Translate that marks everything it translates.
import * as assert from 'node:assert/strict';
import { english, type Translate } from '../../../src/zk/localize';
import { formatTime, formatWatchEvent, safeName, type WatchLogEvent } from '../../../src/zk/watches';

/** Marks each translated text with ⟦…⟧ (placeholders filled in English). */
export const marking: Translate = (message, ...args) => `⟦${english(message, ...args)}⟧`;

/** The text a notice or a change's note adds to its line, as it reads through `marking`. */
export function wordedPart(e: WatchLogEvent): string | undefined {
  const line = formatWatchEvent(e, { utc: true, t: marking });
  if (e.kind === 'notice') {
    const head = `${formatTime(e.time, true)} [${safeName(e.connection)}] ${e.path ? safeName(e.path) + ': ' : ''}`;
    assert.ok(line.startsWith(head), line);
    return line.slice(head.length);
  }
  if (e.note === undefined) return undefined;
  // The note is the last detail, before the catch-up cause in brackets (itself marked).
  const parts = line.replace(/ \[⟦[^⟧]*⟧\]$/, '').split(' · ');
  return parts[parts.length - 1];
}

/** Fails, naming the line, when a notice or note reads untranslated. */
export function assertWordedForTranslation(events: readonly WatchLogEvent[]): void {
  for (const e of events) {
    const part = wordedPart(e);
    if (part === undefined) continue;
    assert.ok(part.startsWith('⟦') && part.endsWith('⟧'), `not through the Translate: ${JSON.stringify(part)} in ${formatWatchEvent(e, { utc: true })}`);
  }
}
