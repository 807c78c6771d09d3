// Set Quota… and Remove Quota on a node's context menu. Set Quota asks for the four limits one
// after the other (each checked as it is typed, with what is used now), prefilled with the
// current quota; both refuse read-only connections and chrooted ones (whose session cannot see
// /zookeeper/quota), and the client's read-only guard refuses their writes again below the UI.
import * as vscode from 'vscode';
import { localized } from '../ui/localized';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { displayName } from '../zk/displayText';
import { describeLimits, type QuotaLimits, type QuotaUsage } from '../zk/clusterAdmin/quotas';
import { FIELD_LABELS, FIELD_ORDER, checkLimitInput, parseLimitInput } from '../zk/clusterAdmin/quotaInput';
import { readQuota, removeQuota, setQuota } from '../zk/clusterAdmin/quotaStore';
import type { QuotaIndex } from './quotaIndex';

/** A command's target: a tree row, or `{ connectionName, path }` from another caller. */
export type NodeTarget = { connectionName?: string; path?: string } | undefined;

export class QuotaCommands {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly index: QuotaIndex,
  ) {}

  private async writableConnection(t: NodeTarget, what: string): Promise<{ connection: EnsembleConnection; path: string } | undefined> {
    if (!t?.connectionName || !t.path) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0}: run it from a node\'s context menu in the ZooKeeper view.', what));
      return undefined;
    }
    const name = t.connectionName;
    const connection = this.registry.get(name) ?? (await this.registry.open(name));
    if (!connection) throw new Error(vscode.l10n.t('No ZooKeeper connection named "{0}"', displayName(name)));
    if (connection.readOnly) throw new Error(vscode.l10n.t('Connection "{0}" is read-only: quotas cannot be changed from it. Clear "readOnly" in its settings to allow writes.', displayName(name)));
    if (connection.chroot !== undefined)
      throw new Error(vscode.l10n.t('Connection "{0}" has the chroot {1}: quotas live in /zookeeper/quota outside it. Add a connection without a chroot to manage them.', displayName(name), displayName(connection.chroot)));
    return { connection, path: t.path };
  }

  async setQuota(t: NodeTarget): Promise<void> {
    const target = await this.writableConnection(t, 'Set Quota');
    if (!target) return;
    const { connection, path } = target;
    const client = connection.client;
    const current = await readQuota(client, path);
    let usage: Partial<QuotaUsage> | undefined = current?.usage;
    let usageText: string;
    if (current?.usage) usageText = vscode.l10n.t('Now {0} nodes, {1} bytes (counted by the server)', current.usage.count.toLocaleString('en'), current.usage.bytes.toLocaleString('en'));
    else {
      // No quota yet: the server counts bytes only once one is set; the node count is one request (3.6+).
      const below = await client.getAllChildrenNumber(path).catch(() => undefined);
      usage = below !== undefined ? { count: below + 1 } : undefined;
      usageText = below !== undefined ? vscode.l10n.t('Now {0} nodes (bytes are counted by the server once a quota is set)', (below + 1).toLocaleString('en')) : vscode.l10n.t('Usage is counted by the server once a quota is set');
    }
    const entered: QuotaLimits = {};
    for (const [i, field] of FIELD_ORDER.entries()) {
      const soft = field === 'count' || field === 'bytes';
      const previous = current?.limits[field];
      const value = await vscode.window.showInputBox({
        title: vscode.l10n.t('Set Quota on {0} ({1}/{2}): {3}', displayName(path), i + 1, FIELD_ORDER.length, vscode.l10n.t(FIELD_LABELS[field])),
        prompt: vscode.l10n.t('{0}. {1} Empty: no limit.{2}', usageText, soft ? vscode.l10n.t('A soft limit is only logged by the server.') : vscode.l10n.t('A hard limit refuses writes when the server runs with enforceQuota=true.'), current ? vscode.l10n.t(' Current quota: {0}.', describeLimits(current.limits, vscode.l10n.t)) : ''),
        placeHolder: field.startsWith('bytes') ? vscode.l10n.t('e.g. 1048576 or 1 MiB; empty for no limit') : vscode.l10n.t('e.g. 1000; empty for no limit'),
        value: previous !== undefined ? String(previous) : '',
        ignoreFocusOut: true,
        validateInput: (v) => {
          const check = checkLimitInput(v, field, entered, usage);
          if (check.error) return localized(check.error);
          if (check.warning) return { message: localized(check.warning), severity: vscode.InputBoxValidationSeverity.Warning };
          return undefined;
        },
      });
      if (value === undefined) return;
      const parsed = parseLimitInput(value, field);
      if ('problem' in parsed) throw new Error(localized(parsed.problem));
      if (parsed.value !== undefined) entered[field] = parsed.value;
    }
    const q = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Setting the quota on {0}…', displayName(path)) }, () => setQuota(client, path, entered));
    await this.index.refresh(connection.name);
    vscode.window.setStatusBarMessage(q.usage ? vscode.l10n.t('Quota on {0}: {1}; {2} nodes, {3} bytes used', displayName(path), describeLimits(q.limits, vscode.l10n.t), q.usage.count, q.usage.bytes) : vscode.l10n.t('Quota on {0}: {1}', displayName(path), describeLimits(q.limits, vscode.l10n.t)), 8000);
  }

  async removeQuota(t: NodeTarget): Promise<void> {
    const target = await this.writableConnection(t, 'Remove Quota');
    if (!target) return;
    const { connection, path } = target;
    const current = await readQuota(connection.client, path);
    if (!current) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no quota of its own on "{1}".', displayName(path), displayName(connection.name)));
      return;
    }
    const remove = vscode.l10n.t('Remove Quota');
    const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Remove the quota on {0} ({1})?', displayName(path), describeLimits(current.limits, vscode.l10n.t)), { modal: true, detail: vscode.l10n.t('Its limits and the usage the server counted are deleted; the nodes themselves are not touched.') }, remove);
    if (ok !== remove) return;
    await removeQuota(connection.client, path);
    await this.index.refresh(connection.name);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Removed the quota on {0}', displayName(path)), 5000);
  }
}
