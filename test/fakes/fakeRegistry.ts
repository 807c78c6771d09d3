// A stand-in for ConnectionRegistry in adapter unit tests: configured connections by name, with
// whatever connection object a test gives (a fake client, an idle host), and the registry's two
// events fired by hand. Only what the adapters ask of the registry is here.
import { EventEmitter } from './vscode';
import type { ConnectionRegistry } from '../../src/connections/connectionRegistry';
import type { ConnectionStatus } from '../../src/zk/ensembleConnection';
import type { ZnodeStat } from '../../src/zk/stat';

export interface FakeConfig {
  name: string;
  connectString: string;
  readOnly?: boolean;
}

export class FakeRegistry {
  private readonly entries = new Map<string, { config: FakeConfig; connection?: unknown }>();
  private readonly connectionsChanged = new EventEmitter<void>();
  private readonly statusChanged = new EventEmitter<{ name: string; status: ConnectionStatus }>();
  readonly onDidChangeConnections = this.connectionsChanged.event;
  readonly onDidChangeStatus = this.statusChanged.event;
  active: string | undefined;
  readonly opened: string[] = [];

  /** Adds or replaces a connection and fires onDidChangeConnections. */
  set(config: FakeConfig, connection?: unknown): this {
    this.entries.set(config.name, { config, connection });
    this.connectionsChanged.fire();
    return this;
  }

  remove(name: string): void {
    this.entries.delete(name);
    this.connectionsChanged.fire();
  }

  fireStatus(name: string, status: ConnectionStatus): void {
    this.statusChanged.fire({ name, status });
  }

  configs(): FakeConfig[] {
    return [...this.entries.values()].map((e) => e.config);
  }
  names(): string[] {
    return [...this.entries.keys()];
  }
  config(name: string): FakeConfig | undefined {
    return this.entries.get(name)?.config;
  }
  get(name: string): unknown {
    return this.entries.get(name)?.connection;
  }
  connections(): unknown[] {
    return [...this.entries.values()].map((e) => e.connection).filter((c) => c !== undefined);
  }
  async open(name: string): Promise<unknown> {
    this.opened.push(name);
    return this.get(name);
  }

  /** As the adapters' constructors take it. */
  asRegistry(): ConnectionRegistry {
    return this as unknown as ConnectionRegistry;
  }
}

/** A stat as a server sends it, with what the test sets. */
export function stat(partial: Partial<ZnodeStat> = {}): ZnodeStat {
  const t = new Date(1_700_000_000_000);
  return {
    czxid: '0x1', mzxid: '0x1', pzxid: '0x1', ctime: t, mtime: t, version: 0, cversion: 0, aversion: 0,
    ephemeralOwner: '0x0', dataLength: 0, numChildren: 0, ...partial,
  };
}
