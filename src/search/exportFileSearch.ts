// Find in Export File: the file Export Subtree wrote, searched with the same query and streamed into
// the same "ZooKeeper Search" view, without a connection (src/zk/search/searchExport.ts reads it as
// a stream). A result opens the node's data as a read-only document (scheme zk-export) that reads
// that one node back from the file, as the search decoded it, so a match's line and column hold.
import { createReadStream } from 'node:fs';
import { nodeFsPromises } from '../zk/lazyBuiltins';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { readExportedNode, searchExport, type ExportNodeResult, type ExportSearchSummary } from '../zk/search/searchExport';
import { searchableText, type BinaryHandling, type TextOptions } from '../zk/search/searchableText';
import { SEARCH_DEFAULTS } from '../zk/search/searchSubtree';
import { formatHex } from '../zk/codecs';
import { shownPath } from '../ui/znodeUris';

export const EXPORT_NODE_SCHEME = 'zk-export';

/** How search decodes data, from the settings (the live search reads the same ones). */
export function searchTextOptions(): TextOptions & { maxResults: number } {
  const settings = vscode.workspace.getConfiguration('zookeeper.search');
  const max = settings.get<number>('maxResults');
  return {
    maxResults: typeof max === 'number' && Number.isFinite(max) && max >= 1 ? Math.floor(max) : SEARCH_DEFAULTS.maxResults,
    fallbackEncoding: settings.get<string>('fallbackEncoding') || undefined,
    binary: settings.get<BinaryHandling>('binaryData') ?? 'skip',
  };
}

/** Asks for the export file when the command came from the palette. */
export async function pickExportFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Find in Export File'),
    openLabel: vscode.l10n.t('Search This Export'),
    canSelectMany: false,
    filters: { [vscode.l10n.t('Subtree exports')]: ['json'], [vscode.l10n.t('All files')]: ['*'] },
  });
  return picked?.[0];
}

/** The file on disk behind `uri`, or why it cannot be searched. */
export function exportFilePath(uri: vscode.Uri): string {
  if (uri.scheme !== 'file') throw new Error(vscode.l10n.t('Find in Export File reads files on disk; {0} is not one. Save it to a file first.', uri.toString(true)));
  return uri.fsPath;
}

export interface ExportSearchRun {
  file: string;
  signal: AbortSignal;
  maxDepth: number | undefined;
  onResult: (r: ExportNodeResult) => void;
  onProgress: (p: { visited: number; matches: number; bytes: number }) => void;
}

/** Runs the search of `file` with the settings' decoding and cap. */
export function runExportSearch(run: ExportSearchRun, query: Parameters<typeof searchExport>[1]): Promise<ExportSearchSummary> {
  return searchExport(() => createReadStream(run.file, { highWaterMark: 256 * 1024 }), query, {
    ...searchTextOptions(),
    maxDepth: run.maxDepth,
    signal: run.signal,
    onResult: run.onResult,
    onProgress: run.onProgress,
  });
}

/** The read-only document of a result's node: zk-export:<shown path>?file=…&rel=…&offset=…&length=… */
export function exportNodeUri(file: string, result: ExportNodeResult): vscode.Uri {
  const query = new URLSearchParams({ file, rel: result.at.rel, offset: String(result.at.offset), length: String(result.at.length) });
  return vscode.Uri.from({ scheme: EXPORT_NODE_SCHEME, path: shownPath(result.path), query: query.toString() });
}

/** Serves the zk-export documents: the node read back from its place in the file, decoded as the search did. */
export class ExportNodeDocuments implements vscode.TextDocumentContentProvider {
  /** A node's JSON is bounded like the search bounds it. */
  private static readonly MAX_NODE_BYTES = 64 * 1024 * 1024;

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const file = q.get('file') ?? '';
    const rel = q.get('rel') ?? '';
    const offset = Number(q.get('offset'));
    const length = Number(q.get('length'));
    if (!file || !rel || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length <= 0 || length > ExportNodeDocuments.MAX_NODE_BYTES) {
      throw new Error(vscode.l10n.t('Not a node of an export file: {0}', uri.toString(true)));
    }
    const bytes = Buffer.alloc(length);
    const handle = await nodeFsPromises().open(file, 'r');
    try {
      const { bytesRead } = await handle.read(bytes, 0, length, offset);
      const node = readExportedNode(bytes.subarray(0, bytesRead), rel);
      const opts = searchTextOptions();
      // The text the search matched, so that a match's line and column are where it found them;
      // binary data the search skipped is shown as hex.
      return searchableText(node.data, { ...opts, binary: opts.binary === 'skip' ? 'hex' : opts.binary })?.text ?? formatHex(node.data);
    } finally {
      await handle.close();
    }
  }
}

export function exportFileLabel(file: string): string {
  return basename(file);
}
