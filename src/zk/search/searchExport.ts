// Find in Export File: the same query as Find in Subtree, on the JSON Export Subtree writes, without
// a connection. The file is read as a stream (exportScanner.ts): one node in memory at a time, its
// data decoded, matched (nodeMatch.ts, as the live search does) and dropped; results are capped like
// the live search's. Each result keeps where its node is in the file, so that opening it reads that
// node alone again (readExportedNode). Duplicate paths and missing parents are not checked (that
// would hold every path): the search reads, it writes nothing. Domain layer: no 'vscode' here.
import { ZkError } from '../errors';
import { pathProblem, pathUnder } from '../paths';
import { ExportScanner, invalidExport, type ExportHeader, type ExportScanLimits } from './exportScanner';
import { matchNode, type NodeResult } from './nodeMatch';
import { compileQuery, type SearchQuery } from './query';
import type { TextOptions } from './searchableText';
import { SEARCH_DEFAULTS, type SearchSummary } from './searchSubtree';
import { msg, renderMessage } from '../message';

/** A match in an export file: the node's result and where the node's JSON is in the file (and its path there). */
export interface ExportNodeResult extends NodeResult {
  at: { offset: number; length: number; rel: string };
}

export interface ExportSearchOptions extends TextOptions, ExportScanLimits {
  maxResults?: number;
  maxMatchesPerNode?: number;
  /** Levels below the exported root to search (default: all). */
  maxDepth?: number;
  signal?: AbortSignal;
  onResult?: (result: ExportNodeResult) => void;
  /** Nodes read and matches so far, at most every 100 ms and once at the end. */
  onProgress?: (progress: { visited: number; matches: number; bytes: number }) => void;
}

export interface ExportSearchSummary extends SearchSummary {
  /** What the file's header says. */
  header: ExportHeader;
}

/** Reads the file from its start; called again when the header comes after the nodes. */
export type ExportSource = () => AsyncIterable<Uint8Array>;

/** One node of an export, checked: its path relative to the root, and its data. */
export interface ExportedNodeData {
  rel: string;
  data: Buffer;
  dataLength: number;
}

export async function searchExport(source: ExportSource, query: SearchQuery, opts: ExportSearchOptions = {}): Promise<ExportSearchSummary> {
  const q = compileQuery(query);
  const started = Date.now();
  // Export Subtree writes format and root before the nodes; in a file edited into another order they
  // are read first by a pass that skips the nodes.
  let header = await headerBeforeNodes(source, opts);
  if (!header) header = await readHeader(source, opts);
  const maxResults = opts.maxResults ?? SEARCH_DEFAULTS.maxResults;
  const matchOpts = { ...opts, maxMatchesPerNode: opts.maxMatchesPerNode ?? SEARCH_DEFAULTS.maxMatchesPerNode };
  let visited = 0;
  let matches = 0;
  let matchedNodes = 0;
  let binarySkipped = 0;
  let bytes = 0;
  let truncated = false;
  let lastProgress = 0;
  const progress = (final: boolean) => {
    const now = Date.now();
    if (!opts.onProgress || (!final && now - lastProgress < 100)) return;
    lastProgress = now;
    opts.onProgress({ visited, matches, bytes });
  };
  const scanner = new ExportScanner(opts);
  const root = header.root;
  scan: for await (const chunk of source()) {
    cancelled(opts.signal, visited);
    bytes += chunk.byteLength;
    for (const el of scanner.push(chunk)) {
      const node = exportedNode(el.bytes, el.index);
      if (opts.maxDepth !== undefined && depthOf(node.rel) > opts.maxDepth) continue;
      visited++;
      const found = matchNode(q, pathUnder(root, node.rel), node.data, node.dataLength, matchOpts);
      if (found.binarySkipped) binarySkipped++;
      if (found.found > 0) {
        matchedNodes++;
        matches += found.found;
        opts.onResult?.({ ...found.result, at: { offset: el.offset, length: el.bytes.length, rel: node.rel } });
        if (matches >= maxResults) {
          truncated = true;
          break scan; // ends the stream (its return() closes the file)
        }
      }
    }
    progress(false);
  }
  // The whole header (its "unreadable" list comes after the nodes); a search stopped at the cap did not read it.
  const whole = truncated ? header : scanner.finish();
  progress(true);
  return {
    root,
    visited,
    matchedNodes,
    matches,
    truncated,
    unreadable: whole.unreadable.filter((p) => !pathProblem(p)).map((p) => pathUnder(root, p)),
    binarySkipped,
    ms: Date.now() - started,
    header: whole,
  };
}

/** The header when the file has it before "nodes" (as Export Subtree writes it): reads only that far. */
async function headerBeforeNodes(source: ExportSource, opts: ExportSearchOptions): Promise<ExportHeader | undefined> {
  const scanner = new ExportScanner(opts);
  for await (const chunk of source()) {
    cancelled(opts.signal, 0);
    scanner.push(chunk);
    if (scanner.headerFirst) return scanner.headerFirst;
    if (scanner.nodesStarted) return undefined;
  }
  scanner.finish(); // throws why it is not an export
  return undefined;
}

/** The header of a file whose nodes come first: one pass that drops every node. */
async function readHeader(source: ExportSource, opts: ExportSearchOptions): Promise<ExportHeader> {
  const scanner = new ExportScanner(opts);
  for await (const chunk of source()) {
    cancelled(opts.signal, 0);
    scanner.push(chunk);
  }
  return scanner.finish();
}

/** A node's JSON from the file, checked: a relative path and base64 data. Throws INVALID_EXPORT saying what is wrong. */
export function exportedNode(bytes: Uint8Array, index: number): ExportedNodeData {
  let n: unknown;
  try {
    n = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (e) {
    throw invalidExport(`node ${index} is not valid JSON (${(e as Error).message})`);
  }
  if (typeof n !== 'object' || n === null || Array.isArray(n)) throw invalidExport(`node ${index} is not an object`);
  const { path, data } = n as { path?: unknown; data?: unknown };
  if (typeof path !== 'string') throw invalidExport(`node ${index} has no path`);
  const problem = pathProblem(path);
  if (problem) throw invalidExport(`node ${index} (${JSON.stringify(path).slice(0, 200)}): ${renderMessage(problem)}`);
  if (typeof data !== 'string' || data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw invalidExport(`node ${index} (${JSON.stringify(path).slice(0, 200)}): "data" is not base64`);
  const decoded = Buffer.from(data, 'base64');
  return { rel: path, data: decoded, dataLength: decoded.length };
}

/** The node a result points at, read back from its bytes in the file; it must still be the same path. */
export function readExportedNode(bytes: Uint8Array, expectedRel: string): ExportedNodeData {
  let node: ExportedNodeData;
  try {
    node = exportedNode(bytes, 0);
  } catch {
    throw new ZkError('INVALID_EXPORT', msg('The export file changed since it was searched: {0} is no longer where it was. Search the file again.', expectedRel), { op: 'search' });
  }
  if (node.rel !== expectedRel) {
    throw new ZkError('INVALID_EXPORT', msg('The export file changed since it was searched: {0} is no longer where it was. Search the file again.', expectedRel), { op: 'search' });
  }
  return node;
}

function depthOf(rel: string): number {
  if (rel === '/') return 0;
  let d = 0;
  for (let i = 0; i < rel.length; i++) if (rel.charCodeAt(i) === 0x2f) d++;
  return d;
}

function cancelled(signal: AbortSignal | undefined, visited: number): void {
  if (signal?.aborted) throw new ZkError('CANCELLED', msg('Cancelled after {0} nodes of the export', visited.toLocaleString('en')), { op: 'search' });
}
