// A domain reason (a Message from msg(...), e.g. pathProblem's) in the user's language, for the
// places that take a plain string: an input box's validation, a quick pick row, a toast.
import * as vscode from 'vscode';
import { renderMessage, type Message } from '../zk/message';

/** `m` translated with vscode.l10n.t; undefined stays undefined (a valid input). */
export function localized(m: Message | string): string;
export function localized(m: Message | string | undefined): string | undefined;
export function localized(m: Message | string | undefined): string | undefined {
  return m === undefined ? undefined : renderMessage(m, vscode.l10n.t);
}

/** Why a connection is in its state (ConnectionStatus.detail), in the user's language. */
export function localizedDetail(status: { detail?: string; detailMessage?: Message | string }): string | undefined {
  return localized(status.detailMessage ?? status.detail);
}
