// Writes `zookeeper.connections` where the entry lives: a connection defined in the workspace is
// edited in the workspace, everything else in user settings.
import * as vscode from 'vscode';
import type { ConnectionConfig } from '../zk/config';

type Target = vscode.ConfigurationTarget.Global | vscode.ConfigurationTarget.Workspace;

function lists(): { user: ConnectionConfig[]; workspace: ConnectionConfig[] | undefined } {
  const inspected = vscode.workspace.getConfiguration('zookeeper').inspect<ConnectionConfig[]>('connections');
  return { user: inspected?.globalValue ?? [], workspace: inspected?.workspaceValue };
}

function targetOf(name: string): Target {
  const { workspace } = lists();
  return workspace?.some((c) => c.name === name) ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

async function write(target: Target, list: ConnectionConfig[]): Promise<void> {
  await vscode.workspace.getConfiguration('zookeeper').update('connections', list, target);
}

export async function addConnectionSetting(config: ConnectionConfig): Promise<void> {
  const { user } = lists();
  await write(vscode.ConfigurationTarget.Global, [...user, config]);
}

export async function replaceConnectionSetting(oldName: string, config: ConnectionConfig): Promise<void> {
  const target = targetOf(oldName);
  const { user, workspace } = lists();
  const list = target === vscode.ConfigurationTarget.Workspace ? workspace ?? [] : user;
  await write(target, list.map((c) => (c.name === oldName ? config : c)));
}

export async function removeConnectionSetting(name: string): Promise<void> {
  const target = targetOf(name);
  const { user, workspace } = lists();
  const list = target === vscode.ConfigurationTarget.Workspace ? workspace ?? [] : user;
  await write(target, list.filter((c) => c.name !== name));
}
