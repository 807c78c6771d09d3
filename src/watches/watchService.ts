// The watches of this workspace: the list the user made (saved in workspaceState and restored on
// activation), one WatchManager per open ensemble connection, and the decorations that mark
// watched nodes in the tree. Connections are never opened here: a restored watch is set when its
// connection opens.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { pathProblem } from '../zk/paths';
import { WatchManager, readSavedWatchState, readSavedWatches, within, type SavedWatchState, type WatchKind, type WatchLogEvent, type WatchSpec } from '../zk/watches';
import { ZNODE_SCHEME, type ZnodeUri } from '../zk/znodeUri';
import { targetOf } from '../ui/znodeUris';

const STATE_KEY = 'zookeeper.watches';
/** Per connection: what its watches had seen, so a later run reports what changed in between. */
const SEEN_KEY = 'zookeeper.watchState';
const SAVE_EVERY_MS = 15_000;

/** A saved state belongs to the connect string it was seen through (zxids mean nothing elsewhere). */
interface SeenEntry {
  connectString: string;
  state: SavedWatchState;
}

export interface WatchEntry extends WatchSpec {
  /** Set on the server now (false while the connection is closed or not configured). */
  active: boolean;
  mode?: 'persistent' | 'oneShot';
}

export class WatchService implements vscode.Disposable {
  private specs: WatchSpec[] = [];
  private readonly managers = new Map<string, { connection: EnsembleConnection; manager: WatchManager }>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when watches are added or removed, or become active or inactive. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private seen: Record<string, SeenEntry> = {};
  private lastSavedSeen = '';
  private saveTimer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly state: vscode.Memento,
    private readonly sink: (e: WatchLogEvent) => void,
  ) {
    this.disposables.push(
      registry.onDidChangeConnections(() => this.sync()),
      registry.onDidChangeStatus(() => {
        this.changed.fire();
        // A connection going down or closing: save what its watches saw up to now.
        clearTimeout(this.soon);
        this.soon = setTimeout(() => void this.saveSeen(), 1000);
      }),
    );
    this.saveTimer = setInterval(() => void this.saveSeen(), SAVE_EVERY_MS);
    this.saveTimer.unref?.();
  }

  /** Reads the saved watches and attaches them to their connections. */
  restore(): void {
    this.specs = readSavedWatches(this.state.get<unknown>(STATE_KEY), (p) => pathProblem(p) === undefined);
    this.seen = readSeen(this.state.get<unknown>(SEEN_KEY));
    this.lastSavedSeen = JSON.stringify(this.seen);
    this.sync();
  }

  /**
   * Saves, per connection, the last zxid its watches had reported up to and the snapshots of the
   * watched nodes (only when it changed). Connections not open this run keep what was saved.
   */
  async saveSeen(): Promise<void> {
    const wanted = new Set(this.specs.map((s) => s.connection));
    const next: Record<string, SeenEntry> = {};
    for (const name of wanted) {
      const entry = this.managers.get(name);
      const state = entry?.manager.saveState();
      if (entry && state) next[name] = { connectString: entry.connection.connectString, state };
      else if (this.seen[name]) next[name] = this.seen[name];
    }
    this.seen = next;
    const json = JSON.stringify(next);
    if (json === this.lastSavedSeen) return;
    this.lastSavedSeen = json;
    await this.state.update(SEEN_KEY, next);
  }

  list(): WatchEntry[] {
    return this.specs.map((s) => {
      const info = this.managers
        .get(s.connection)
        ?.manager.list()
        .find((w) => w.path === s.path && w.kind === s.kind);
      return { ...s, active: info?.active ?? false, mode: info?.mode };
    });
  }

  /**
   * The watched connection a URI names: VS Code may lowercase a URI's authority on the way, so a
   * name that differs only in case is found when that is unambiguous.
   */
  connectionNamed(name: string): string | undefined {
    const names = [...new Set(this.specs.map((s) => s.connection))];
    if (names.includes(name)) return name;
    const folded = names.filter((n) => n.toLowerCase() === name.toLowerCase());
    return folded.length === 1 ? folded[0] : undefined;
  }

  /** The kinds of watch set on exactly this node. */
  kindsAt(connection: string, path: string): WatchKind[] {
    return this.specs.filter((s) => s.connection === connection && s.path === path).map((s) => s.kind);
  }

  /** The root of a subtree watch this node lies in (below the root), if any. */
  subtreeAbove(connection: string, path: string): string | undefined {
    return this.specs.find((s) => s.connection === connection && s.kind === 'subtree' && s.path !== path && within(path, s.path))?.path;
  }

  async watch(spec: WatchSpec): Promise<boolean> {
    if (this.specs.some((s) => sameSpec(s, spec))) return false;
    this.specs.push({ connection: spec.connection, path: spec.path, kind: spec.kind });
    await this.save();
    this.sync();
    await this.managers.get(spec.connection)?.manager.add(spec.path, spec.kind);
    this.changed.fire();
    return true;
  }

  /** Removes the watches on this node (both kinds unless one is given); resolves how many went. */
  async unwatch(connection: string, path: string, kind?: WatchKind): Promise<number> {
    const going = this.specs.filter((s) => s.connection === connection && s.path === path && (!kind || s.kind === kind));
    if (going.length === 0) return 0;
    this.specs = this.specs.filter((s) => !going.includes(s));
    await this.save();
    const m = this.managers.get(connection)?.manager;
    for (const s of going) await m?.remove(s.path, s.kind).catch(() => false);
    this.sync();
    this.changed.fire();
    return going.length;
  }

  /** Removes every watch (of one connection, when given). */
  async unwatchAll(connection?: string): Promise<number> {
    const going = this.specs.filter((s) => !connection || s.connection === connection);
    this.specs = this.specs.filter((s) => !going.includes(s));
    await this.save();
    await Promise.all(
      [...new Set(going.map((s) => s.connection))].map((c) => this.managers.get(c)?.manager.removeAll().catch(() => undefined)),
    );
    this.sync();
    this.changed.fire();
    return going.length;
  }

  /**
   * One manager per connection that has watches, on the connection object the registry holds
   * now (it is replaced when its settings change or a password is entered).
   */
  private sync(): void {
    const wanted = new Set(this.specs.map((s) => s.connection));
    for (const [name, entry] of this.managers) {
      const current = this.registry.get(name);
      if (!wanted.has(name) || current !== entry.connection) {
        // A connection replaced (settings changed, password entered): the new one carries on from here.
        const state = wanted.has(name) ? entry.manager.saveState() : undefined;
        if (state) this.seen[name] = { connectString: entry.connection.connectString, state };
        else if (!wanted.has(name)) delete this.seen[name];
        entry.manager.dispose();
        this.managers.delete(name);
      }
    }
    for (const name of wanted) {
      if (this.managers.has(name)) continue;
      const connection = this.registry.get(name);
      if (!connection) continue;
      const manager = new WatchManager(connection, this.sink);
      const seen = this.seen[name];
      if (seen && seen.connectString === connection.connectString) manager.restoreState(seen.state);
      this.managers.set(name, { connection, manager });
      for (const s of this.specs) {
        if (s.connection === name) void manager.add(s.path, s.kind);
      }
    }
    this.changed.fire();
  }

  private async save(): Promise<void> {
    await this.state.update(STATE_KEY, this.specs);
  }

  dispose(): void {
    clearInterval(this.saveTimer);
    clearTimeout(this.soon);
    // The memento keeps the value at once; it reaches the disk as VS Code shuts down.
    void this.saveSeen().catch(() => undefined);
    for (const { manager } of this.managers.values()) manager.dispose();
    this.managers.clear();
    for (const d of this.disposables) d.dispose();
  }
}

/** "W" on watched nodes in the tree; nodes inside a watched subtree say so in their tooltip. */
export class WatchDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<undefined>();
  readonly onDidChangeFileDecorations = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: WatchService) {
    this.subscription = service.onDidChange(() => this.emitter.fire(undefined));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== ZNODE_SCHEME) return undefined;
    let z: ZnodeUri;
    try {
      // A tab's URI shows escaped names and carries the exact path in ?path= (ui/znodeUris.ts).
      z = targetOf(uri).node;
    } catch {
      return undefined;
    }
    const connection = this.service.connectionNamed(z.connection);
    if (!connection) return undefined;
    const kinds = this.service.kindsAt(connection, z.path);
    if (kinds.length > 0) {
      const entries = this.service.list().filter((e) => e.connection === connection && e.path === z.path);
      const what = kinds.length === 2 ? vscode.l10n.t('Watched: node and subtree') : kinds[0] === 'node' ? vscode.l10n.t('Watched: node') : vscode.l10n.t('Watched: subtree');
      const text = entries.every((e) => !e.active) ? vscode.l10n.t('{0} (set when the connection opens)', what) : what;
      return new vscode.FileDecoration('W', text, new vscode.ThemeColor('charts.blue'));
    }
    const root = this.service.subtreeAbove(connection, z.path);
    if (root) return new vscode.FileDecoration(undefined, vscode.l10n.t('Watched: inside the subtree {0}', root));
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

function readSeen(raw: unknown): Record<string, SeenEntry> {
  const out: Record<string, SeenEntry> = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [name, v] of Object.entries(raw as Record<string, unknown>)) {
    const e = v as { connectString?: unknown; state?: unknown } | null;
    const state = e ? readSavedWatchState(e.state) : undefined;
    if (e && typeof e.connectString === 'string' && state) out[name] = { connectString: e.connectString, state };
  }
  return out;
}

function sameSpec(a: WatchSpec, b: WatchSpec): boolean {
  return a.connection === b.connection && a.path === b.path && a.kind === b.kind;
}
