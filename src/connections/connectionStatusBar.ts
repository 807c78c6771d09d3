// One status bar item for the connection the user works with: its state, at a glance.
import * as vscode from 'vscode';
import type { ConnectionState } from '../zk/ensembleConnection';
import { md } from '../zk/markdown';
import { COMMANDS } from '../ui/commandIds';
import { STATE_LABELS } from '../ui/stateLabels';
import { localizedDetail } from '../ui/localized';
import type { ConnectionRegistry } from './connectionRegistry';

const ICONS: Record<ConnectionState, string> = {
  idle: '$(debug-disconnect)',
  connecting: '$(sync~spin)',
  connected: '$(server-environment)',
  readOnlyServer: '$(lock)',
  reconnecting: '$(sync~spin)',
  sessionExpired: '$(warning)',
  authFailed: '$(error)',
  closed: '$(debug-disconnect)',
};

/** The tooltip's Markdown: the name (from settings) and the detail (server and socket text) are escaped. */
export function connectionTooltip(name: string, state: ConnectionState, readOnly: boolean, detail: string | undefined): string {
  return `**ZooKeeper ${md(name)}** — ${STATE_LABELS[state]}${readOnly ? vscode.l10n.t(' (read-only connection)') : ''}\n\n${md(detail ?? '')}`;
}

export function registerConnectionStatusBar(context: vscode.ExtensionContext, registry: ConnectionRegistry): void {
  const item = vscode.window.createStatusBarItem('zookeeper.connection', vscode.StatusBarAlignment.Left, 50);
  item.name = 'ZooKeeper Connection';
  item.command = COMMANDS.reconnect;
  const render = () => {
    const name = registry.active ?? registry.configs()[0]?.name;
    const c = name ? registry.get(name) : undefined;
    if (!name || !c) {
      item.hide();
      return;
    }
    const st = c.getStatus();
    item.text = `${ICONS[st.state]} ${name}: ${STATE_LABELS[st.state]}`;
    item.tooltip = new vscode.MarkdownString(connectionTooltip(name, st.state, c.readOnly, localizedDetail(st)));
    item.tooltip.supportThemeIcons = true;
    item.command = st.state === 'idle' ? { command: COMMANDS.connect, title: vscode.l10n.t('Connect'), arguments: [name] } : { command: COMMANDS.reconnect, title: vscode.l10n.t('Reconnect'), arguments: [name] };
    item.backgroundColor =
      st.state === 'authFailed' || st.state === 'sessionExpired'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : st.state === 'reconnecting'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    item.show();
  };
  context.subscriptions.push(item, registry.onDidChangeStatus(render), registry.onDidChangeConnections(render));
  render();
}
