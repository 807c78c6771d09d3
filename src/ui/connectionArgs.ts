// Which connection a command is about: the tree row's, a name passed by another command, or one
// the user picks. Shared by every feature (the registry is passed in, structurally, so that the
// kit does not depend on src/connections).
import * as vscode from 'vscode';
import { CONTRIBUTED } from './commandIds';
import { STATE_LABELS } from './stateLabels';

/** What a command receives from a tree row, another command (a name) or nothing from the palette. */
export type ConnectionArg = { connectionName?: string } | string | undefined;

/** What the pickers need of the connection registry. */
export interface ConnectionDirectory {
  configs(): readonly { name: string; connectString: string }[];
  get(name: string): { getStatus(): { state: string } } | undefined;
}

export function connectionNameOf(arg: ConnectionArg): string | undefined {
  if (typeof arg === 'string') return arg;
  return arg?.connectionName;
}

/** The connection a command is about: the tree row's, or one picked from a list. */
export async function pickConnection(registry: ConnectionDirectory, arg: ConnectionArg, title: string): Promise<string | undefined> {
  const given = connectionNameOf(arg);
  if (given) return given;
  const configs = registry.configs();
  if (configs.length === 0) {
    const add = vscode.l10n.t('Add Connection');
    if ((await vscode.window.showInformationMessage(vscode.l10n.t('No ZooKeeper connections yet.'), add)) === add) {
      await vscode.commands.executeCommand(CONTRIBUTED.addConnection);
    }
    return undefined;
  }
  if (configs.length === 1) return configs[0].name;
  const picked = await vscode.window.showQuickPick(
    configs.map((c) => ({ label: c.name, description: c.connectString, detail: stateLabel(registry.get(c.name)?.getStatus().state) })),
    { title, placeHolder: vscode.l10n.t('Choose a connection') },
  );
  return picked?.label;
}

/** A connection's state as the tree and the status bar name it (an unknown one as it is). */
function stateLabel(state: string | undefined): string | undefined {
  return state === undefined ? undefined : ((STATE_LABELS as Readonly<Record<string, string>>)[state] ?? state);
}
