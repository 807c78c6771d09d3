// What the host does with a message from the Cluster Health webview. The webview is not trusted
// more than any page: every message is checked for its shape (isWebviewToHost), and then against
// what the host itself sent: clients are read only for a server row of the snapshot it posted
// (never for a key the page made up), only text the host offered as a "Copy" line is copied, and
// only settings an alert offered are opened. Pure (no VS Code), so hostile messages are unit tested.
import { isWebviewToHost, type DynamicConfigReading, type HealthSnapshot, type QuotasReading, type ServerClients, type WebviewToHost } from '../protocol/health';

export type PanelAction = WebviewToHost | { type: 'ignored'; reason: string };

/** Copy lines kept from clients answers at most (one per open server, and a few more). */
const MAX_CLIENT_LINES = 256;

/** What the host offered to the webview: the server keys, copy lines and settings of what it posted. */
export class PanelOffers {
  private serverKeys = new Set<string>();
  private alertLines = new Set<string>();
  private settings = new Set<string>();
  /** Settings offered by the quota alerts (posted apart from the snapshot). */
  private quotaSettings = new Set<string>();
  /** Member ids of the dynamic config posted; undefined: none posted (no reconfiguration offered). */
  private memberIds: Set<number> | undefined;
  /** Copy lines of clients answers, by server key (a server answers again at every poll). */
  private readonly clientLines = new Map<string, string>();

  /** Records a snapshot that was posted: it replaces the rows and alerts offered before. */
  snapshotPosted(snapshot: HealthSnapshot): void {
    this.serverKeys = new Set(snapshot.servers.map((s) => s.key));
    this.alertLines = new Set(snapshot.alerts.map((a) => a.fix?.configLine).filter((l): l is string => typeof l === 'string'));
    this.settings = new Set(snapshot.alerts.map((a) => a.fix?.setting).filter((s): s is string => typeof s === 'string'));
    for (const key of [...this.clientLines.keys()]) if (!this.serverKeys.has(key)) this.clientLines.delete(key);
  }

  /** Records a quotas reading that was posted: its alerts' settings replace those offered before. */
  quotasPosted(quotas: QuotasReading): void {
    this.quotaSettings = new Set(quotas.alerts.map((a) => a.fix?.setting).filter((s): s is string => typeof s === 'string'));
  }

  /** Records a dynamic config that was posted: its members are the ones the buttons may name. */
  dynamicConfigPosted(config: DynamicConfigReading): void {
    this.memberIds = config.problem === undefined ? new Set(config.members.map((m) => m.id)) : undefined;
  }

  /** Whether the panel offered reconfiguration, and this member (when an id is given). */
  offeredMember(id: number | undefined): boolean {
    return this.memberIds !== undefined && (id === undefined || this.memberIds.has(id));
  }

  /** Records a clients answer that was posted. */
  clientsPosted(server: string, clients: ServerClients): void {
    const line = clients.problem?.configLine;
    if (line === undefined) this.clientLines.delete(server);
    else if (this.clientLines.has(server) || this.clientLines.size < MAX_CLIENT_LINES) this.clientLines.set(server, line);
  }

  /** Nothing posted is current any more (the connection was removed, the page reloaded). */
  clear(): void {
    this.serverKeys = new Set();
    this.alertLines = new Set();
    this.settings = new Set();
    this.quotaSettings = new Set();
    this.memberIds = undefined;
    this.clientLines.clear();
  }

  knowsServer(key: string): boolean {
    return this.serverKeys.has(key);
  }

  offeredCopy(text: string): boolean {
    if (this.alertLines.has(text)) return true;
    for (const line of this.clientLines.values()) if (line === text) return true;
    return false;
  }

  offeredSetting(setting: string): boolean {
    return this.settings.has(setting) || this.quotaSettings.has(setting);
  }
}

/**
 * The action for a message: the message itself when it is well formed and refers only to what the
 * host offered; otherwise 'ignored' with the reason (for the log). `watching` are the servers whose
 * clients are being read: stopping one of those is always allowed (its row may have just left).
 */
export function panelAction(m: unknown, offers: PanelOffers, watching: readonly string[] = []): PanelAction {
  if (!isWebviewToHost(m)) return { type: 'ignored', reason: 'not a message the panel sends' };
  switch (m.type) {
    case 'ready':
    case 'refresh':
      return { type: m.type };
    case 'wantClients':
      return offers.knowsServer(m.server) ? { type: 'wantClients', server: m.server } : { type: 'ignored', reason: 'clients asked for a server the panel does not show' };
    case 'stopClients':
      return offers.knowsServer(m.server) || watching.includes(m.server) ? { type: 'stopClients', server: m.server } : { type: 'ignored', reason: 'stop asked for a server that is not being read' };
    case 'copy':
      return offers.offeredCopy(m.text) ? { type: 'copy', text: m.text } : { type: 'ignored', reason: 'copy of a text the panel did not offer' };
    case 'openSetting':
      return offers.offeredSetting(m.setting) ? { type: 'openSetting', setting: m.setting } : { type: 'ignored', reason: 'a setting no alert offered' };
    case 'reconfig':
      return offers.offeredMember(m.id) ? m : { type: 'ignored', reason: 'a reconfiguration of a member the panel does not show' };
  }
}
