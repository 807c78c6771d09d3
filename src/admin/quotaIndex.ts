// The quotas of each connected ensemble, for the tree's rows: read with one bounded walk of
// /zookeeper/quota, again after this window sets or removes one, and at most every REFRESH_MS
// while rows ask (another client may change quotas, and the server's usage moves). A connection
// with a chroot cannot see /zookeeper/quota: it has no quotas here.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { Quota } from '../zk/clusterAdmin/quotas';
import { listQuotas } from '../zk/clusterAdmin/quotaStore';

const REFRESH_MS = 30_000;

interface Entry {
  at: number;
  quotas: Map<string, Quota>;
  loading?: Promise<void>;
}

export class QuotaIndex implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the connection name when its quotas were read again. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly registry: ConnectionRegistry) {
    this.subscription = registry.onDidChangeStatus(({ name, status }) => {
      if (status.state === 'connected') void this.refresh(name);
      else if (status.state === 'closed' || status.state === 'idle') this.entries.delete(name);
    });
  }

  /** The quota on exactly this path, as last read (a stale reading starts a new one). */
  get(connectionName: string, path: string): Quota | undefined {
    const e = this.entries.get(connectionName);
    if (!e || Date.now() - e.at > REFRESH_MS) void this.refresh(connectionName);
    return e?.quotas.get(path);
  }

  all(connectionName: string): Quota[] {
    return [...(this.entries.get(connectionName)?.quotas.values() ?? [])];
  }

  /** Reads the connection's quotas again (one reading at a time per connection); never rejects. */
  refresh(connectionName: string): Promise<void> {
    const existing = this.entries.get(connectionName);
    if (existing?.loading) return existing.loading;
    const entry: Entry = existing ?? { at: 0, quotas: new Map() };
    this.entries.set(connectionName, entry);
    entry.at = Date.now();
    entry.loading = (async () => {
      const c = this.registry.get(connectionName);
      if (!c || c.chroot !== undefined || (c.state !== 'connected' && c.state !== 'readOnlyServer')) return;
      try {
        const { quotas } = await listQuotas(c.client);
        const before = JSON.stringify([...entry.quotas.values()]);
        entry.quotas = new Map(quotas.map((q) => [q.path, q]));
        if (JSON.stringify(quotas) !== before) this.changed.fire(connectionName);
      } catch {
        // Not readable now (NoAuth on /zookeeper/quota, connection lost): keep what we had.
      }
    })().finally(() => {
      entry.loading = undefined;
    });
    return entry.loading;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
