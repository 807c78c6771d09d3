// The one command wrapper: registers a handler, disposes it with the extension, and turns whatever
// it throws into one error notification (a command that fails must say why, never fail silently
// or as VS Code's "command resulted in an error"). A cancellation the user asked for says nothing.
import * as vscode from 'vscode';
import { isZkError } from '../zk/errors';
import { messageOfError } from '../zk/message';
import { localized } from './localized';
import type { CommandId } from './commandIds';

export interface CommandOptions {
  /** Put before the message in the notification, e.g. 'Cluster health' ('Cluster health: …'). */
  errorPrefix?: string;
  /** A fuller explanation of `e` than its message (e.g. which quota refused a write); undefined: the message. */
  describeError?: (e: unknown, args: unknown[]) => Promise<string | undefined>;
}

/** What `e` says, in the user's language when the domain worded it as a Message (a ZkError's `localized`). */
export function errorMessage(e: unknown): string {
  return localized(messageOfError(e));
}

/** The text an error notification shows for `e` (anything can be thrown). */
export function errorText(e: unknown, prefix?: string): string {
  const message = errorMessage(e);
  const text = message.trim() === '' ? vscode.l10n.t('An unexpected error occurred') : message;
  return prefix ? `${prefix}: ${text}` : text;
}

/** Shows `e` as an error notification, unless it is the user's own cancellation. */
export function showError(e: unknown, prefix?: string): void {
  if (isZkError(e, 'CANCELLED')) return;
  void vscode.window.showErrorMessage(errorText(e, prefix));
}

/**
 * Registers `id` with `handler`; errors it throws become one notification. What the handler returns
 * goes back to an `executeCommand` caller (undefined after an error).
 */
export function registerCommand<A extends unknown[]>(
  context: { subscriptions: { dispose(): unknown }[] },
  id: CommandId,
  handler: (...args: A) => unknown,
  options: CommandOptions = {},
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...(args as A));
      } catch (e) {
        if (isZkError(e, 'CANCELLED')) return undefined;
        const described = options.describeError ? await options.describeError(e, args).catch(() => undefined) : undefined;
        // A description that only repeats the message (quotaAwareMessage for any other error) keeps the error: it is translated.
        const same = described === undefined || (e instanceof Error && described === e.message);
        showError(same ? e : new Error(described), options.errorPrefix);
        return undefined;
      }
    }),
  );
}
