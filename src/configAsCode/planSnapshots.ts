// Read-only documents for the sides of a comparison that are not files: the server's data and
// ACLs as the plan read them (so that the diff shows exactly what the plan compared), and a folder
// node's own data. Text is shown as text, other bytes as a hex dump.
import * as vscode from 'vscode';
import { decodeUtf8Strict, hexDump, isValidUtf8 } from '../zk/codecs';

export const SNAPSHOT_SCHEME = 'zookeeper-snapshot';

export class PlanSnapshots implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private comparison = 0;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, this);
  }

  /** Starts a comparison: the snapshots of the previous one are dropped (they can be large). */
  begin(): number {
    this.texts.clear();
    return ++this.comparison;
  }

  /** A document holding `data` (text, or a hex dump), named like the node so the editor picks its language. */
  bytes(comparison: number, side: 'server' | 'folder', path: string, data: Uint8Array | undefined): vscode.Uri {
    const text = data === undefined ? '' : isValidUtf8(data) ? decodeUtf8Strict(data) : hexDump(data);
    return this.put(comparison, side, path, text);
  }

  text(comparison: number, side: 'server' | 'folder', path: string, text: string): vscode.Uri {
    return this.put(comparison, side, path, text);
  }

  private put(comparison: number, side: string, path: string, text: string): vscode.Uri {
    // The node path goes in the URI path (for the tab's title); the key keeps hostile names apart.
    const key = `${comparison}/${side}/${this.texts.size}`;
    this.texts.set(key, text);
    return vscode.Uri.from({ scheme: SNAPSHOT_SCHEME, path: path === '/' ? '/(root)' : path, query: key });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? '(this comparison is no longer open: compare again)';
  }

  dispose(): void {
    this.texts.clear();
    this.registration.dispose();
  }
}
