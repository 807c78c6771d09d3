// A message the domain words for the user, kept as its English template and arguments so that an
// adapter can translate it (vscode.l10n.t) long after it was made, e.g. a ZkError's text in a toast.
// `msg('Node {0} does not exist', path)` marks the template for scripts/l10n.mjs like `t(...)` does.
// An argument can itself be a Message (a reason inside a sentence): it is translated with the rest.
import { english, type Translate } from './localize';

export type MessageArg = string | number | boolean | Message;

export interface Message {
  readonly template: string;
  readonly args: readonly MessageArg[];
}

/** A message for later translation; `template` must be a literal (the l10n bundle's key). */
export function msg(template: string, ...args: MessageArg[]): Message {
  return { template, args };
}

export function isMessage(x: unknown): x is Message {
  return typeof x === 'object' && x !== null && typeof (x as Message).template === 'string' && Array.isArray((x as Message).args);
}

/** The text of `m` through `t` (English by default), nested messages included. */
export function renderMessage(m: Message | string, t: Translate = english): string {
  if (typeof m === 'string') return m;
  return t(m.template, ...m.args.map((a) => (isMessage(a) ? renderMessage(a, t) : a)));
}

/**
 * What an error says, as a Message when it is a ZkError worded for translation (or anything else
 * carrying one), else its plain text: for a message that quotes another error's.
 */
export function messageOfError(e: unknown): Message | string {
  const localized = (e as { localized?: unknown } | undefined)?.localized;
  if (isMessage(localized)) return localized;
  return e instanceof Error ? e.message : String(e);
}

/** How a list of Messages is joined; each join is a bundle key of its own, so a language can use its own punctuation. */
export type ListSeparator = ';' | ',';

/** `parts` as one Message, "a; b; c" (or "a, b, c"), each part translated on its own. `parts` must not be empty. */
export function joinMessages(parts: readonly Message[], separator: ListSeparator = ';'): Message {
  if (parts.length === 0) throw new RangeError('joinMessages: no parts to join');
  return parts.slice(1).reduce((all, p) => (separator === ',' ? msg('{0}, {1}', all, p) : msg('{0}; {1}', all, p)), parts[0]);
}
