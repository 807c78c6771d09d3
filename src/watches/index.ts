// The "ZooKeeper Watches" log channel and its commands: Watch Node, Watch Subtree, Unwatch,
// Unwatch All (tree context menu and palette). The logic lives in src/zk/watches; this file only
// connects it to VS Code: the channel, the commands, the tree marks, the saved list.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { pathProblem } from '../zk/paths';
import { BatchingSink, formatTime, formatWatchEvent, type DroppedRange, type WatchKind, type WatchLogEvent } from '../zk/watches';
import type { WatchedChanges } from '../zk/watchedHistory';
import { COMMANDS } from '../ui/commandIds';
import { pickConnection } from '../ui/connectionArgs';
import { registerCommand } from '../ui/registerCommand';
import { WatchDecorations, WatchService } from './watchService';
import { localized } from '../ui/localized';

/** A command's target: a tree row, or `{ connectionName, path }` from another caller. */
type Target = { connectionName?: string; path?: string; kind?: string } | undefined;

export const WATCH_CHANNEL_NAME = 'ZooKeeper Watches';

export function registerWatches(context: vscode.ExtensionContext, registry: ConnectionRegistry, history?: WatchedChanges): WatchService {
  return new WatchController(context, registry, history).service;
}

/** The watch log channel, the service behind it and the four commands. */
export class WatchController {
  readonly service: WatchService;
  private readonly channel: vscode.LogOutputChannel;

  constructor(
    context: vscode.ExtensionContext,
    private readonly registry: ConnectionRegistry,
    history?: WatchedChanges,
  ) {
    const channel = vscode.window.createOutputChannel(WATCH_CHANNEL_NAME, { log: true });
    this.channel = channel;
    const sink = new BatchingSink<WatchLogEvent>(
      (batch) => {
        for (const e of batch) {
          const line = formatWatchEvent(e, { t: vscode.l10n.t });
          if (e.kind === 'notice' && e.level === 'error') channel.error(line);
          else if (e.kind === 'notice' && e.level === 'warn') channel.warn(line);
          else channel.info(line);
        }
      },
      (gap: DroppedRange): WatchLogEvent => ({
        kind: 'notice',
        time: gap.lastMs,
        connection: '*',
        level: 'warn',
        message: vscode.l10n.t('{0} events dropped between {1} and {2}: the output could not keep up', gap.count.toLocaleString('en'), formatTime(gap.firstMs), formatTime(gap.lastMs)),
      }),
    );
    this.service = new WatchService(registry, context.workspaceState, (e) => {
      history?.record(e);
      sink.push(e);
    });
    const decorations = new WatchDecorations(this.service);
    context.subscriptions.push(
      channel,
      { dispose: () => sink.dispose() },
      this.service,
      decorations,
      vscode.window.registerFileDecorationProvider(decorations),
    );

    registerCommand(context, COMMANDS.watchNode, (t: Target, all?: Target[]) => this.watch('node', t, all));
    registerCommand(context, COMMANDS.watchSubtree, (t: Target, all?: Target[]) => this.watch('subtree', t, all));
    registerCommand(context, COMMANDS.unwatch, (t: Target, all?: Target[]) => this.unwatch(t, all));
    registerCommand(context, COMMANDS.unwatchAll, (t: Target) => this.unwatchAll(t));
    this.service.restore();
  }

  private async watch(kind: WatchKind, t: Target, all?: Target[]): Promise<void> {
    const targets = await targetsOf(this.registry, t, all, kind === 'node' ? vscode.l10n.t('Watch Node') : vscode.l10n.t('Watch Subtree'));
    for (const target of targets) {
      const connection = this.registry.get(target.connection);
      if (!connection) throw new Error(vscode.l10n.t('No connection named "{0}"', target.connection));
      // The user asked for a watch now: open the connection if needed (restored watches wait instead).
      if (connection.state === 'idle') await this.registry.open(target.connection);
      const added = await this.service.watch({ connection: target.connection, path: target.path, kind });
      if (!added) vscode.window.setStatusBarMessage(vscode.l10n.t('{0} is already watched ({1})', target.path, kind), 3000);
    }
    if (targets.length > 0) this.channel.show(true);
  }

  private async unwatch(t: Target, all?: Target[]): Promise<void> {
    const service = this.service;
    const rows = (all && all.length > 0 ? all : [t]).filter((x): x is NonNullable<Target> => !!x?.connectionName && !!x.path);
    if (rows.length > 0) {
      let removed = 0;
      for (const r of rows) removed += await service.unwatch(r.connectionName!, r.path!);
      if (removed === 0) vscode.window.setStatusBarMessage(rows.length === 1 ? vscode.l10n.t('{0} is not watched', rows[0].path!) : vscode.l10n.t('None of these nodes is watched'), 3000);
      return;
    }
    const entries = service.list();
    if (entries.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No ZooKeeper watches.'));
      return;
    }
    const picked = await vscode.window.showQuickPick(
      entries.map((e) => ({
        label: e.path,
        description: `${e.connection} · ${e.kind}`,
        detail: e.active ? (e.mode === 'oneShot' ? vscode.l10n.t('one-shot watches') : vscode.l10n.t('persistent watch')) : vscode.l10n.t('set when the connection opens'),
        entry: e,
      })),
      { title: vscode.l10n.t('Unwatch'), placeHolder: vscode.l10n.t('Choose the watches to remove'), canPickMany: true },
    );
    for (const p of picked ?? []) await service.unwatch(p.entry.connection, p.entry.path, p.entry.kind);
  }

  private async unwatchAll(t: Target): Promise<void> {
    // From a tree row: that connection's watches; from the palette: all of them.
    const connection = t?.connectionName;
    const n = await this.service.unwatchAll(connection);
    vscode.window.setStatusBarMessage(connection ? vscode.l10n.t('Removed {0} watch(es) on "{1}"', n, connection) : vscode.l10n.t('Removed {0} watch(es)', n), 3000);
  }
}

/** The nodes a watch command is about: the selected rows, or a connection and a path asked for. */
async function targetsOf(registry: ConnectionRegistry, t: Target, all: Target[] | undefined, title: string): Promise<{ connection: string; path: string }[]> {
  const rows = (all && all.length > 0 ? all : [t]).filter((x): x is NonNullable<Target> => !!x?.connectionName && (x.kind === undefined || x.kind === 'znode' || x.kind === 'connection'));
  if (rows.length > 0) return rows.map((r) => ({ connection: r.connectionName!, path: r.path ?? '/' }));
  const connection = await pickConnection(registry, undefined, title);
  if (!connection) return [];
  const path = await vscode.window.showInputBox({
    title: vscode.l10n.t('{0} on "{1}"', title, connection),
    prompt: vscode.l10n.t('Path of the node; it does not need to exist yet (its creation is reported)'),
    value: '/',
    validateInput: (v) => localized(pathProblem(v.trim())),
  });
  return path === undefined ? [] : [{ connection, path: path.trim() }];
}
