// Writes `zookeeper.connections` in the user's settings, the only place it is read from (a
// workspace's value is ignored: see userOnlySettings.ts).
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../zk/config';

function userList(): ConnectionConfig[] {
  return vscode.workspace.getConfiguration('zookeeper').inspect<ConnectionConfig[]>('connections')?.globalValue ?? [];
}

async function write(list: ConnectionConfig[]): Promise<void> {
  await vscode.workspace.getConfiguration('zookeeper').update('connections', list, vscode.ConfigurationTarget.Global);
}

export async function addConnectionSetting(config: ConnectionConfig): Promise<void> {
  await write([...userList(), config]);
}

export async function replaceConnectionSetting(oldName: string, config: ConnectionConfig): Promise<void> {
  await write(userList().map((c) => (c.name === oldName ? config : c)));
}

export async function removeConnectionSetting(name: string): Promise<void> {
  await write(userList().filter((c) => c.name !== name));
}
