// "Show Lock and Election Holders": the queue of a lock or an election under a node, holder
// first, each contender with its session's client address and server, as a read-only Markdown
// document shown in the preview. The reading is done by src/zk/recipes.ts and src/zk/sessions.ts.
import * as vscode from 'vscode';
import { showMarkdownReport } from '../ui/markdownReport';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { lookupOwners } from '../connections/ownerLookup';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { isZkError } from '../zk/errors';
import { displayName } from '../zk/displayText';
import { formatHolders } from '../zk/holders';
import { md } from '../zk/markdown';
import { readRecipe } from '../zk/recipes';
import { COMMANDS } from '../ui/commandIds';
import { nodeFor } from '../ui/nodeArgs';
import { errorMessage, registerCommand } from '../ui/registerCommand';
import { resolveConnectionName } from '../ui/znodeUris';
import { localizedDetail } from '../ui/localized';

export const HOLDERS_SCHEME = 'zk-holders';

export function registerHolders(context: vscode.ExtensionContext, registry: ConnectionRegistry): void {
  new HoldersController(context, registry);
}

/** The holders documents (their content provider) and the command that opens one. */
export class HoldersController implements vscode.TextDocumentContentProvider {
  /** VS Code may ask again for the same document (a language change reopens it): one reading per command. */
  private readonly made = new Map<string, Promise<string>>();

  constructor(
    context: vscode.ExtensionContext,
    private readonly registry: ConnectionRegistry,
  ) {
    context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(HOLDERS_SCHEME, this));
    registerCommand(context, COMMANDS.showHolders, (arg?: unknown) => this.show(arg));
  }

  provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const key = uri.toString();
    let p = this.made.get(key);
    if (!p) {
      p = this.render(uri);
      this.made.set(key, p);
      setTimeout(() => this.made.delete(key), 60_000);
    }
    return p;
  }

  private async show(arg: unknown): Promise<void> {
    const node = await nodeFor(this.registry, arg, vscode.l10n.t('Show Lock and Election Holders'));
    if (!node) return;
    const uri = vscode.Uri.from({ scheme: HOLDERS_SCHEME, authority: node.connection, path: node.path, query: `at=${Date.now()}` });
    await showMarkdownReport(uri, { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Holders of {0}…', displayName(node.path)) });
  }

  private async connectionFor(wanted: string): Promise<EnsembleConnection> {
    const name = resolveConnectionName(this.registry.names(), wanted);
    const c = name ? this.registry.get(name) : undefined;
    if (!name || !c) throw new Error(vscode.l10n.t('No ZooKeeper connection named "{0}"', wanted));
    if (c.state === 'idle' || c.state === 'closed' || c.state === 'authFailed') {
      const opened = await this.registry.open(name);
      if (!opened) {
        const detail = localizedDetail(c.getStatus());
        throw new Error(vscode.l10n.t('Connection "{0}" is not connected{1}', name, detail ? `: ${detail}` : ''));
      }
      return opened;
    }
    return c;
  }

  private async render(uri: vscode.Uri): Promise<string> {
    const path = uri.path || '/';
    let connection: EnsembleConnection;
    try {
      connection = await this.connectionFor(uri.authority);
    } catch (e) {
      return `# ${vscode.l10n.t('Holders of {0}', md(displayName(path)))}\n\n${md(errorMessage(e))}\n`;
    }
    let reading;
    try {
      reading = await readRecipe(connection.client, path);
    } catch (e) {
      const why = isZkError(e, 'NONODE') ? vscode.l10n.t('This node does not exist on "{0}".', connection.name) : vscode.l10n.t('It could not be read: {0}', errorMessage(e));
      return `# ${vscode.l10n.t('Holders of {0}', md(displayName(path)))}\n\n${md(why)}\n`;
    }
    const owners = [...reading.contenders, ...reading.members].map((c) => c.owner);
    const { lookups, error } = owners.length > 0 ? await lookupOwners(connection, owners) : { lookups: new Map(), error: undefined };
    let ownSessionId: string | undefined;
    try {
      ownSessionId = connection.client.sessionId;
    } catch {
      ownSessionId = undefined;
    }
    return formatHolders({ connection: connection.name, reading, lookups, lookupError: error, ownSessionId, at: new Date(), t: vscode.l10n.t });
  }
}
