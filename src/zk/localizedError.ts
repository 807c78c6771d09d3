// An Error worded for the user as a Message: `message` stays English (logs, tests), `localized` is
// what an adapter translates (messageOfError reads it), for domain code below ZkError's level
// (codecs, encodings) whose errors become a sentence's reason.
import { renderMessage, type Message } from './message';

export class LocalizedError extends Error {
  readonly localized: Message;

  constructor(message: Message) {
    super(renderMessage(message));
    this.name = 'LocalizedError';
    this.localized = message;
  }
}
