// Export file ↔ folder (issue 19): the JSON file Export Subtree… writes becomes a folder in the
// layout of Pull Subtree to Folder…, and a folder becomes an export file that Import Subtree…
// reads. The file and the folder are treated as hostile: anything that is not an export or not a
// folder of nodes is refused with the reason, before anything is written. Whether a non-empty
// target may be written into is the caller's question (takenEntries says what is there).
// Domain layer: no 'vscode' here.
import { ZkError } from '../errors';
import type { SubtreeExport } from '../subtree';
import type { ConfigTree } from './configTree';
import { exportFromTree, treeFromExport } from './exportConvert';
import { readFolder, writeFolder, type WriteFolderOptions } from './folderLayout';
import type { FolderEntry, FolderPort } from './folderPort';
import { TOOL_FILES } from './nameEscape';
import { messageOfError, msg, type Message } from '../message';

/** The largest export file converted (the same bound as Import Subtree…). */
export const MAX_EXPORT_FILE_BYTES = 256 * 1024 * 1024;

/** `why`: a Message, or a string for the parser's own words (quoted as they are). */
function notAnExport(fileName: string, why: Message | string): ZkError {
  return new ZkError('INVALID_EXPORT', msg('Cannot convert {0}: {1}. Nothing was written.', fileName, why), { op: 'convert' });
}

/** Refuses, before reading it, a file larger than a conversion reads (an adapter translates it). */
export function exportFileSizeProblem(size: number, fileName: string, max = MAX_EXPORT_FILE_BYTES): Message | undefined {
  if (size <= max) return undefined;
  return msg('Cannot convert {0}: {1}. Nothing was written.', fileName, msg('the file has {0} bytes, more than a conversion reads ({1})', size.toLocaleString('en'), max.toLocaleString('en')));
}

/**
 * The tree of an export file's bytes. Throws INVALID_EXPORT saying why for a file that is empty,
 * not UTF-8, not JSON, JSON that is not an export, or a damaged export.
 */
export function treeFromExportFile(bytes: Uint8Array, fileName: string): ConfigTree {
  if (bytes.byteLength === 0) throw notAnExport(fileName, msg('the file is empty'));
  if (bytes.byteLength > MAX_EXPORT_FILE_BYTES) throw notAnExport(fileName, msg('the file has more than {0} bytes', MAX_EXPORT_FILE_BYTES.toLocaleString('en')));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notAnExport(fileName, msg('it is not a text file (not UTF-8), so not a subtree export'));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return treeFromExport(text);
  } catch (e) {
    // parseSubtreeExport says msg('Not a usable subtree export: {0}', why): keep only its why.
    const said = messageOfError(e);
    const why = typeof said !== 'string' && said.template === 'Not a usable subtree export: {0}' ? said.args[0] : said;
    throw notAnExport(fileName, msg('not a subtree export of Export Subtree… ({0})', why));
  }
}

/** Entries of a folder that are not tool files (.git, .vscode…): writing there could mix with someone's files. */
export async function takenEntries(port: FolderPort): Promise<FolderEntry[]> {
  return ((await port.list('')) ?? []).filter((e) => !TOOL_FILES.has(e.name.toLowerCase()));
}

export interface ExportToFolderResult {
  root: string;
  nodes: number;
  files: number;
  folders: number;
}

/** Writes the tree of an export file into a folder (checked first: nothing is written for a bad file). */
export async function convertExportToFolder(bytes: Uint8Array, fileName: string, port: FolderPort, opts: WriteFolderOptions = {}): Promise<ExportToFolderResult> {
  const tree = treeFromExportFile(bytes, fileName);
  const layout = await writeFolder(tree, port, opts);
  return { root: tree.source?.root ?? '/', nodes: tree.nodes.length, files: layout.files.length, folders: layout.dirs.length };
}

export interface FolderToExportResult {
  doc: SubtreeExport;
  /** The file's text, as Export Subtree… writes it. */
  text: string;
  /** Entries of the folder that are not nodes (tool files, links), left out. */
  ignored: string[];
}

/** The export of a folder (read as plan reads it: INVALID_FOLDER with the file and the reason for anything that cannot be a node). */
export async function convertFolderToExport(port: FolderPort, opts: { signal?: AbortSignal } = {}): Promise<FolderToExportResult> {
  const read = await readFolder(port, { signal: opts.signal });
  const doc = exportFromTree(read.tree);
  return { doc, text: `${JSON.stringify(doc, null, 2)}\n`, ignored: read.ignored };
}
