// "Show Sessions" on a connection: every session the ensemble's servers report, with its client,
// server, ephemeral nodes and the locks or elections it holds, as a Markdown report in the
// preview (like Show Lock and Election Holders), optionally filtered by client address. The
// reading is src/zk/sessionList.ts; timeouts and AdminServer ports are the health settings'.
import * as vscode from 'vscode';
import { showMarkdownReport } from '../ui/markdownReport';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { membership } from '../connections/ownerLookup';
import { healthSettingsGetter } from '../connections/userOnlySettings';
import { adminPortFor, readHealthSettings } from '../zk/health/healthSettings';
import { COMMANDS } from '../ui/commandIds';
import { pickConnection } from '../ui/connectionArgs';
import { registerCommand } from '../ui/registerCommand';
import { readSessionList } from '../zk/sessionList';
import { formatSessionsReport } from '../zk/clusterAdmin/sessionReport';
import { displayName } from '../zk/displayText';
import { md } from '../zk/markdown';
import { sessionServers } from '../zk/sessions';

export const SESSIONS_SCHEME = 'zk-sessions';

export function registerSessions(context: vscode.ExtensionContext, registry: ConnectionRegistry): void {
  const made = new Map<string, Promise<string>>();
  const content: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent(uri) {
      const key = uri.toString();
      let p = made.get(key);
      if (!p) {
        p = render(uri);
        made.set(key, p);
        setTimeout(() => made.delete(key), 60_000);
      }
      return p;
    },
  };

  const render = async (uri: vscode.Uri): Promise<string> => {
    const name = uri.authority;
    const filter = new URLSearchParams(uri.query).get('filter') ?? '';
    const c = registry.get(name) ?? (await registry.open(name));
    if (!c) return `# ${vscode.l10n.t('Sessions')}\n\n${md(vscode.l10n.t('No ZooKeeper connection named "{0}".', name))}\n`;
    const settings = readHealthSettings(healthSettingsGetter());
    const servers = sessionServers(c.connectString, await membership(c), (host, port, origin) => adminPortFor(settings, name, host, port, origin));
    if (servers.length === 0) return `# ${vscode.l10n.t('Sessions')}\n\n${md(vscode.l10n.t('The connect string of "{0}" names no server.', name))}\n`;
    const up = c.state === 'connected' || c.state === 'readOnlyServer';
    let own: string | undefined;
    try {
      own = up ? c.client.sessionId : undefined;
    } catch {
      own = undefined;
    }
    // Holders are found by listing each ephemeral node's parent: only through a session without a
    // chroot, as dump's paths are the server's.
    const list = await readSessionList(servers, {
      timeoutMs: settings.timeoutMs,
      ownSessionId: own,
      listChildren: up && c.chroot === undefined ? async (p) => (await c.client.getChildren(p)).children : undefined,
    });
    return formatSessionsReport({ connection: name, list, filter, t: vscode.l10n.t });
  };

  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SESSIONS_SCHEME, content));
  registerCommand(context, COMMANDS.showSessions, async (arg?: { connectionName?: string } | string) => {
    const name = await pickConnection(registry, arg, vscode.l10n.t('Show Sessions'));
    if (!name) return;
    const filter = await vscode.window.showInputBox({
      title: vscode.l10n.t('Sessions of {0}', displayName(name)),
      prompt: vscode.l10n.t('Only sessions whose client address contains this (e.g. 10.0.3. or :45900); empty for all'),
      placeHolder: vscode.l10n.t('client address filter (optional)'),
      validateInput: (v) => (v.length > 200 ? vscode.l10n.t('At most 200 characters') : undefined),
    });
    if (filter === undefined) return;
    const uri = vscode.Uri.from({ scheme: SESSIONS_SCHEME, authority: name, path: '/sessions', query: new URLSearchParams({ filter, at: String(Date.now()) }).toString() });
    await showMarkdownReport(uri, { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading the sessions of "{0}"…', displayName(name)) });
  });
}
