// "Show Lock and Election Holders": the queue of a lock or an election under a node, holder
// first, each contender with its session's client address and server, as a read-only Markdown
// document shown in the preview. The reading is done by src/zk/recipes.ts and src/zk/sessions.ts.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { activeNode, askNode } from '../editors/commands';
import { nodeOfArg, resolveConnectionName } from '../editors/uris';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { isZkError } from '../zk/errors';
import { displayName } from '../zk/displayText';
import { formatHolders } from '../zk/holders';
import { md } from '../zk/markdown';
import { readRecipe } from '../zk/recipes';
import { lookupOwners } from './ownerLookup';

export const HOLDERS_SCHEME = 'zk-holders';
const TITLE = 'Show Lock and Election Holders';

export function registerHolders(context: vscode.ExtensionContext, registry: ConnectionRegistry): void {
  const connectionFor = async (wanted: string): Promise<EnsembleConnection> => {
    const name = resolveConnectionName(
      registry.configs().map((c) => c.name),
      wanted,
    );
    const c = name ? registry.get(name) : undefined;
    if (!name || !c) throw new Error(`No ZooKeeper connection named "${wanted}"`);
    if (c.state === 'idle' || c.state === 'closed' || c.state === 'authFailed') {
      const opened = await registry.open(name);
      if (!opened) throw new Error(`Connection "${name}" is not connected${c.getStatus().detail ? `: ${c.getStatus().detail}` : ''}`);
      return opened;
    }
    return c;
  };

  // VS Code may ask again for the same document (a language change reopens it): one reading per command.
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
    const path = uri.path || '/';
    let connection: EnsembleConnection;
    try {
      connection = await connectionFor(uri.authority);
    } catch (e) {
      return `# Holders of ${md(displayName(path))}\n\n${md((e as Error).message)}\n`;
    }
    let reading;
    try {
      reading = await readRecipe(connection.client, path);
    } catch (e) {
      const why = isZkError(e, 'NONODE') ? `This node does not exist on "${connection.name}".` : `It could not be read: ${(e as Error).message}`;
      return `# Holders of ${md(displayName(path))}\n\n${md(why)}\n`;
    }
    const owners = [...reading.contenders, ...reading.members].map((c) => c.owner);
    const { lookups, error } = owners.length > 0 ? await lookupOwners(connection, owners) : { lookups: new Map(), error: undefined };
    let ownSessionId: string | undefined;
    try {
      ownSessionId = connection.client.sessionId;
    } catch {
      ownSessionId = undefined;
    }
    return formatHolders({ connection: connection.name, reading, lookups, lookupError: error, ownSessionId, at: new Date() });
  };

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(HOLDERS_SCHEME, content),
    vscode.commands.registerCommand('zookeeper.showHolders', async (arg?: unknown) => {
      try {
        const node = nodeOfArg(arg) ?? activeNode() ?? (await askNode(registry, TITLE));
        if (!node) return;
        const uri = vscode.Uri.from({ scheme: HOLDERS_SCHEME, authority: node.connection, path: node.path, query: `at=${Date.now()}` });
        const doc = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Holders of ${displayName(node.path)}…` }, () =>
          Promise.resolve(vscode.workspace.openTextDocument(uri)),
        );
        if (doc.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(doc, 'markdown').then(undefined, () => undefined);
        try {
          await vscode.commands.executeCommand('markdown.showPreview', uri);
        } catch {
          await vscode.window.showTextDocument(doc, { preview: true });
        }
      } catch (e) {
        void vscode.window.showErrorMessage((e as Error).message);
      }
    }),
  );
}
