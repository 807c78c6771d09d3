// How a connection's state is named wherever it is shown (tree row, status bar, tooltips), in the
// display language (getters: read when shown).
import * as vscode from 'vscode';
import type { ConnectionState } from '../zk/ensembleConnection';

export const STATE_LABELS: Readonly<Record<ConnectionState, string>> = {
  get idle() { return vscode.l10n.t('disconnected'); },
  get connecting() { return vscode.l10n.t('connecting'); },
  get connected() { return vscode.l10n.t('connected'); },
  get readOnlyServer() { return vscode.l10n.t('read-only server'); },
  get reconnecting() { return vscode.l10n.t('reconnecting'); },
  get sessionExpired() { return vscode.l10n.t('session expired'); },
  get authFailed() { return vscode.l10n.t('auth failed'); },
  get closed() { return vscode.l10n.t('closed'); },
};
