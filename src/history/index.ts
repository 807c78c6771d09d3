// Issue 18, time travel: Open Snapshot…, Open Transaction Log… (a log or a whole data directory),
// the "Snapshots and Logs" view, Show History on a znode (live or offline), diff and Restore This
// Version. The files are read by src/zk/persistence; this folder only adapts it to VS Code.
import { nodeFsPromises } from '../zk/lazyBuiltins';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, VSCODE_COMMANDS } from '../ui/commandIds';
import type { CommandId } from '../ui/commandIds';
import { registerCommand } from '../ui/registerCommand';
import { localized } from '../ui/localized';
import { messageOfError } from '../zk/message';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { classifyName, FileDamageError, hexLong, listDataDir, readSnapshot, TXN_OP, TxnLogReader } from '../zk/persistence';
import type { WatchedChanges } from '../zk/watchedHistory';
import { HistoryCommands } from './historyCommands';
import { HISTORY_SCHEME, HistoryVersionStore, SNAPSHOT_NODE_SCHEME, SnapshotNodeFileSystem } from './offlineDocuments';
import { OfflineSources, type OfflineSnapshot } from './offlineSources';
import { SnapshotComparisonCommands } from './snapshotComparison';
import { OFFLINE_VIEW, OfflineTreeProvider, type OfflineItem } from './offlineTree';

export function registerHistory(context: vscode.ExtensionContext, registry: ConnectionRegistry, watched?: WatchedChanges): void {
  const sources = new OfflineSources();
  const store = new HistoryVersionStore();
  const tree = new OfflineTreeProvider(sources, store);
  const history = new HistoryCommands(registry, sources, store, watched);
  const view = vscode.window.createTreeView(OFFLINE_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const setContext = () => void vscode.commands.executeCommand(VSCODE_COMMANDS.setContext, 'zookeeper.offlineCount', sources.list().length);
  context.subscriptions.push(
    sources,
    tree,
    view,
    sources.onDidChange(setContext),
    vscode.workspace.registerFileSystemProvider(SNAPSHOT_NODE_SCHEME, new SnapshotNodeFileSystem(sources), { isReadonly: true, isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, store),
  );
  setContext();

  // Results go back to the caller: Open Snapshot returns the source it opened, Open Transaction Log
  // passes a snapshot on to it.
  const command = (id: CommandId, fn: (...args: never[]) => unknown) => registerCommand(context, id, fn);

  const openSnapshotFile = async (file: string) => {
    const snapshot = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0}', basename(file)) }, () => readSnapshot(file));
    const source = sources.addSnapshot(file, snapshot);
    if (snapshot.damage) void vscode.window.showWarningMessage(vscode.l10n.t('{0} is damaged ({1}): the {2} nodes before it are shown.', basename(file), localized(snapshot.damage.localized), snapshot.nodes.size));
    await vscode.commands.executeCommand(`${OFFLINE_VIEW}.focus`);
    await view.reveal({ kind: 'snapshotRoot', sourceId: source.id }, { expand: true, select: true }).then(undefined, () => undefined);
    return source.id;
  };

  command(COMMANDS.openSnapshot, async (arg?: vscode.Uri | string) => {
    const file = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : (await vscode.window.showOpenDialog({ title: vscode.l10n.t('Open Snapshot'), openLabel: vscode.l10n.t('Open Snapshot'), canSelectMany: false }))?.[0]?.fsPath;
    if (!file) return undefined;
    try {
      return await openSnapshotFile(file);
    } catch (e) {
      if (e instanceof FileDamageError) throw new Error(`${basename(file)}: ${localized(e.localized)}`);
      throw e;
    }
  });

  command(COMMANDS.openTransactionLog, async (arg?: vscode.Uri | string) => {
    const picked = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : (await vscode.window.showOpenDialog({ title: vscode.l10n.t('Open Transaction Log or Data Directory'), openLabel: vscode.l10n.t('Open'), canSelectFiles: true, canSelectFolders: true, canSelectMany: false }))?.[0]?.fsPath;
    if (!picked) return undefined;
    if ((await nodeFsPromises().stat(picked)).isDirectory()) {
      const files = await listDataDir(picked);
      const logs = files.filter((f) => f.kind === 'log').map((f) => f.path);
      const snapshots = files.filter((f) => f.kind === 'snapshot');
      if (!logs.length && !snapshots.length) throw new Error(vscode.l10n.t('{0} holds no ZooKeeper snapshot or log (snapshot.<zxid>, log.<zxid>, also in version-2/)', picked));
      if (logs.length) sources.addLogs(picked, logs);
      // the newest snapshot is the tree the logs lead to; older ones open with Open Snapshot…
      const newest = snapshots[snapshots.length - 1];
      const opened = newest && (await openSnapshotFile(newest.path).then(() => true, (e: unknown) => void vscode.window.showWarningMessage(`${basename(newest.path)}: ${localized(messageOfError(e))}`)));
      // opening the snapshot focused the view and selected it; focusing again later would take the
      // side bar back from whatever the user turned to meanwhile
      if (!opened) await vscode.commands.executeCommand(`${OFFLINE_VIEW}.focus`);
      return { logs: logs.length, snapshots: snapshots.length };
    }
    if (classifyName(picked)?.kind === 'snapshot') return await vscode.commands.executeCommand(COMMANDS.openSnapshot, picked);
    // a single file: check it is a log before listing it (a clear message now, not in the view)
    const reader = await TxnLogReader.open(picked).catch((e: unknown) => {
      throw new Error(`${basename(picked)}: ${localized(messageOfError(e))}`);
    });
    for await (const _ of reader.entries()) break;
    sources.addLogs(picked, [picked]);
    await vscode.commands.executeCommand(`${OFFLINE_VIEW}.focus`);
    return { logs: 1, snapshots: 0 };
  });

  // an already opened snapshot is compared as it is (its node documents stay valid); others are opened
  const openForComparison = async (file: string) => {
    const open = sources.list().find((s): s is OfflineSnapshot => s.kind === 'snapshot' && s.file === file);
    if (open) return open;
    const id = await vscode.commands.executeCommand<string | undefined>(COMMANDS.openSnapshot, file);
    const source = id ? sources.get(id) : undefined;
    return source?.kind === 'snapshot' ? source : undefined;
  };
  const comparisons = new SnapshotComparisonCommands(sources, openForComparison, async (id) => {
    await vscode.commands.executeCommand(`${OFFLINE_VIEW}.focus`);
    await view.reveal({ kind: 'comparisonRoot', sourceId: id }, { expand: true, select: true }).then(undefined, () => undefined);
  });
  command(COMMANDS.compareSnapshots, (first?: vscode.Uri | string, selection?: (vscode.Uri | string)[]) => comparisons.compareSnapshots(first, selection));
  command(COMMANDS.offlineCompareWithSnapshot, (item?: OfflineItem) => comparisons.compareWith(item));
  command(COMMANDS.showHistory, (arg?: unknown) => history.showHistory(arg));
  command(COMMANDS.offlineClose, (item?: OfflineItem) => item && sources.remove(item.sourceId));
  command(COMMANDS.offlineShowMore, (item: OfflineItem) => (item.kind === 'moreNodes' ? tree.showMoreNodes(item.sourceId, item.path) : tree.showMoreCompared(item)));
  command(COMMANDS.offlineLoadMoreTransactions, (item: OfflineItem) => tree.loadMoreTxns(item.sourceId));
  command(COMMANDS.offlineFilterTransactions, async (item?: OfflineItem) => {
    const source = item ? sources.get(item.sourceId) : sources.list().find((s) => s.kind === 'logs');
    if (source?.kind !== 'logs') throw new Error(vscode.l10n.t('Open a transaction log first'));
    const f = source.filter;
    const pathPrefix = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter transactions (1/3): path prefix'), prompt: vscode.l10n.t('Only transactions touching this path or below it; empty for all'), value: f.pathPrefix ?? '', validateInput: (v) => (v && !v.startsWith('/') ? vscode.l10n.t('A path starts with /') : undefined) });
    if (pathPrefix === undefined) return;
    const session = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter transactions (2/3): session'), prompt: vscode.l10n.t('Only one session\'s transactions (0x… as in the timeline); empty for all'), value: f.session !== undefined ? hexLong(f.session) : '', validateInput: (v) => (v && !/^0x[0-9a-f]{1,16}$/i.test(v.trim()) ? vscode.l10n.t('A session id in hex, like 0x10000aebce70000') : undefined) });
    if (session === undefined) return;
    const typeItems = Object.keys(TXN_OP).map((t) => ({ label: t, picked: f.types?.includes(t) ?? false }));
    const types = await vscode.window.showQuickPick(typeItems, { title: vscode.l10n.t('Filter transactions (3/3): types (none selected: all)'), canPickMany: true });
    if (types === undefined) return;
    sources.setFilter(source.id, {
      pathPrefix: pathPrefix.trim() || undefined,
      session: session.trim() ? BigInt.asIntN(64, BigInt(session.trim())) : undefined,
      types: types.length ? types.map((t) => t.label) : undefined,
    });
  });
  command(COMMANDS.offlineClearFilter, (item?: OfflineItem) => item && sources.setFilter(item.sourceId, {}));
}
