// An Error worded for the user as a Message: `message` stays English (logs, tests), `localized` is
// what an adapter translates (messageOfError reads it), for domain code below ZkError's level
// (codecs, encodings) whose errors become a sentence's reason, and the base of the domain's own
// error classes (AuthFailure, ProbeError, AclEntryError). Given a plain string (a system's or a
// server's own text), it has no `localized` and is shown as it is.
import { renderMessage, type Message } from './message';

export class LocalizedError extends Error {
  readonly localized?: Message;

  constructor(message: Message | string) {
    super(renderMessage(message));
    this.name = 'LocalizedError';
    if (typeof message !== 'string') this.localized = message;
  }
}
