// How a tree row looks, from what it is: icons by connection state and by node kind, the short
// description of a Stat, its tooltip table, and the rows that are not nodes (Load more, messages).
// Pure functions of their arguments; the provider decides what to show and when.
import * as vscode from 'vscode';
import { COMMANDS } from '../ui/commandIds';
import { formatBytes } from '../zk/bytes';
import type { ConnectionState } from '../zk/ensembleConnection';
import { baseName, sequenceSuffix } from '../zk/paths';
import { isEphemeral, type ZnodeStat } from '../zk/stat';
import type { LoadMoreNode, MessageNode } from './treeNodes';

export function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Load more… ({0} more)', node.remaining.toLocaleString('en')));
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.command = { command: COMMANDS.loadMore, title: vscode.l10n.t('Load more'), arguments: [node] };
  item.contextValue = 'loadMore';
  return item;
}

export function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text);
  item.iconPath = node.isError ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) : new vscode.ThemeIcon('info');
  item.tooltip = node.detail ?? node.text;
  if (node.detail !== undefined && node.detail !== node.text) item.description = node.detail;
  item.contextValue = node.isError ? 'error' : 'message';
  return item;
}

export function connectionIcon(state: ConnectionState): vscode.ThemeIcon {
  switch (state) {
    case 'connected':
      return new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('testing.iconPassed'));
    case 'readOnlyServer':
      return new vscode.ThemeIcon('lock', new vscode.ThemeColor('list.warningForeground'));
    case 'connecting':
    case 'reconnecting':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('list.warningForeground'));
    case 'sessionExpired':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'authFailed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    default:
      return new vscode.ThemeIcon('debug-disconnect');
  }
}

export function znodeIcon(path: string, stat: ZnodeStat | undefined): vscode.ThemeIcon {
  const name = baseName(path);
  const sequential = sequenceSuffix(name) !== undefined;
  if (path === '/zookeeper' || path.startsWith('/zookeeper/')) return new vscode.ThemeIcon('gear');
  if (stat && isEphemeral(stat)) return new vscode.ThemeIcon(sequential ? 'list-ordered' : 'pulse', new vscode.ThemeColor('charts.yellow'));
  if (sequential) return new vscode.ThemeIcon('list-ordered');
  if (!stat) return new vscode.ThemeIcon('circle-outline');
  if (stat.numChildren > 0) return new vscode.ThemeIcon(stat.dataLength > 0 ? 'file-submodule' : 'folder');
  if (stat.dataLength > 0) return new vscode.ThemeIcon(/\.json$/i.test(name) ? 'json' : 'file');
  return new vscode.ThemeIcon('circle-small');
}

export function describeStat(stat: ZnodeStat): string | undefined {
  const parts: string[] = [];
  if (stat.numChildren > 0) parts.push(stat.numChildren === 1 ? vscode.l10n.t('1 child') : vscode.l10n.t('{0} children', stat.numChildren.toLocaleString('en')));
  if (stat.dataLength > 0) parts.push(formatBytes(stat.dataLength));
  if (isEphemeral(stat)) parts.push(vscode.l10n.t('ephemeral'));
  return parts.join(' · ') || undefined;
}

export function statTable(s: ZnodeStat): string {
  const rows: [string, string][] = [
    [vscode.l10n.t('Data'), vscode.l10n.t('{0} bytes, version {1}', s.dataLength.toLocaleString('en'), s.version)],
    [vscode.l10n.t('Children'), vscode.l10n.t('{0}, version {1}', s.numChildren.toLocaleString('en'), s.cversion)],
    [vscode.l10n.t('ACL version'), String(s.aversion)],
    [vscode.l10n.t('Created'), `${s.ctime.toISOString()} (zxid \`${s.czxid}\`)`],
    [vscode.l10n.t('Modified'), `${s.mtime.toISOString()} (zxid \`${s.mzxid}\`)`],
    [vscode.l10n.t('Children changed'), `zxid \`${s.pzxid}\``],
    [vscode.l10n.t('Ephemeral owner'), isEphemeral(s) ? vscode.l10n.t('session {0}', `\`${s.ephemeralOwner}\``) : vscode.l10n.t('none (persistent, container or TTL)')],
  ];
  return '| | |\n|---|---|\n' + rows.map(([k, v]) => `| ${k} | ${v} |`).join('\n');
}


