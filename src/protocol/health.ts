// The cluster-health panel's message protocol, shared by the extension host and the webview: the
// message envelopes and their guards only. The webview imports it with `import type` (and the
// guards by value, which bundle to a few lines). Everything here is plain JSON.

import type { HealthHistory, HealthSnapshot, ServerClients } from '../zk/health/healthTypes';
import type { QuotasReading } from '../zk/health/quotaSectionTypes';
import type { DynamicConfigReading } from '../zk/health/dynamicConfigTypes';
export type { DynamicConfigReading, DynamicMemberRow } from '../zk/health/dynamicConfigTypes';
export type { QuotaLimitRow, QuotaRow, QuotasReading } from '../zk/health/quotaSectionTypes';

// The data the messages carry is the domain's (src/zk/health/healthTypes.ts): the panel shows
// exactly what the health model produced.
export * from '../zk/health/healthTypes';

export const HEALTH_VIEW_TYPE = 'zookeeper.clusterHealth';

/**
 * The panel's strings in VS Code's display language: vscode.l10n.bundle (English text → translation;
 * empty in English). The host writes it as JSON into the content of the meta element with this id
 * in the panel's HTML, so that the webview's tables and labels are translated when they are built.
 */
export const HEALTH_L10N_ELEMENT_ID = 'zk-l10n';
export type HealthL10nBundle = Record<string, string>;

/** Validates the bundle the webview reads (strings to strings only). */
export function isHealthL10nBundle(v: unknown): v is HealthL10nBundle {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

export type HostToWebview =
  | { type: 'snapshot'; snapshot: HealthSnapshot; history: HealthHistory }
  /** Polling paused or resumed (the panel is hidden, or the connection was removed). */
  | { type: 'status'; polling: boolean; message?: string }
  /** The client connections of one server (key of its row), for its open details. */
  | { type: 'clients'; server: string; clients: ServerClients }
  /** The ensemble's quotas, fullest first, with their alerts (after each snapshot). */
  | { type: 'quotas'; quotas: QuotasReading }
  /** The ensemble's dynamic config (/zookeeper/config) with what each member reports. */
  | { type: 'dynamicConfig'; config: DynamicConfigReading };

/** The reconfiguration commands the panel's buttons run (the host runs them, with their own checks and confirm). */
export type ReconfigAction = 'addMember' | 'removeMember' | 'changeRole';

export type WebviewToHost =
  /** The app is loaded and wants the current state. */
  | { type: 'ready' }
  /** Poll every server now. */
  | { type: 'refresh' }
  /** Open the Settings UI at a `zookeeper.health.*` setting. */
  | { type: 'openSetting'; setting: string }
  /** Copy a config line (an alert's fix) to the clipboard. */
  | { type: 'copy'; text: string }
  /** A server's details were opened: send its clients now and at every poll while they stay open. */
  | { type: 'wantClients'; server: string }
  /** Those details were closed: stop. */
  | { type: 'stopClients'; server: string }
  /** Add Member…, or Remove Member… / Change Role… on the member with this id. */
  | { type: 'reconfig'; action: ReconfigAction; id?: number };

/** What the webview keeps with `setState`, so the panel can be restored after a reload. */
export interface HealthWebviewState {
  connectionName: string;
}

const MAX_COPY = 2000;
const MAX_SERVER_KEY = 300;

/** Validates a message from the webview: the host acts only on these shapes. */
export function isWebviewToHost(m: unknown): m is WebviewToHost {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as { type?: unknown; setting?: unknown; text?: unknown; server?: unknown; action?: unknown; id?: unknown };
  switch (msg.type) {
    case 'ready':
    case 'refresh':
      return true;
    case 'openSetting':
      return typeof msg.setting === 'string' && /^zookeeper\.health\.[A-Za-z]{1,64}$/.test(msg.setting);
    case 'copy':
      return typeof msg.text === 'string' && msg.text.length <= MAX_COPY;
    case 'wantClients':
    case 'stopClients':
      return typeof msg.server === 'string' && msg.server.length > 0 && msg.server.length <= MAX_SERVER_KEY;
    case 'reconfig':
      if (msg.action === 'addMember') return msg.id === undefined;
      return (msg.action === 'removeMember' || msg.action === 'changeRole') && Number.isSafeInteger(msg.id) && (msg.id as number) >= 0;
    default:
      return false;
  }
}

/** Validates a message from the host (the webview ignores anything else). */
export function isHostToWebview(m: unknown): m is HostToWebview {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as { type?: unknown; snapshot?: unknown; history?: unknown; polling?: unknown; server?: unknown; clients?: unknown; quotas?: unknown; config?: unknown };
  if (msg.type === 'snapshot') return typeof msg.snapshot === 'object' && msg.snapshot !== null && typeof msg.history === 'object' && msg.history !== null;
  if (msg.type === 'status') return typeof msg.polling === 'boolean';
  if (msg.type === 'clients') {
    const c = msg.clients as { rows?: unknown } | null;
    return typeof msg.server === 'string' && typeof c === 'object' && c !== null && Array.isArray(c.rows);
  }
  if (msg.type === 'quotas') {
    const q = msg.quotas as { rows?: unknown; alerts?: unknown } | null;
    return typeof q === 'object' && q !== null && Array.isArray(q.rows) && Array.isArray(q.alerts);
  }
  if (msg.type === 'dynamicConfig') {
    const c = msg.config as { members?: unknown; quorum?: unknown } | null;
    return typeof c === 'object' && c !== null && Array.isArray(c.members) && typeof c.quorum === 'string';
  }
  return false;
}

/** Validates the state the webview saved (a restored panel gets it back from VS Code). */
export function isHealthWebviewState(s: unknown): s is HealthWebviewState {
  return typeof s === 'object' && s !== null && typeof (s as { connectionName?: unknown }).connectionName === 'string' && (s as HealthWebviewState).connectionName !== '';
}
