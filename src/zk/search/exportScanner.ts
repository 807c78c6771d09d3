// Reads an export file (the JSON Export Subtree writes, see subtree/exportFormat.ts) as a stream of
// bytes, one node at a time, without holding the file: the top-level object minus its "nodes" array
// (the header: format, version, root, unreadable) is kept, each element of "nodes" is handed out as
// its own bytes with its offset in the file, then dropped. The bytes are scanned for JSON's
// structure only (strings, brackets); each element and the header are then parsed by JSON.parse.
// UTF-8 is safe to scan byte by byte: no byte of a multi-byte character is an ASCII one.
// Hostile input: every size is bounded (the header, one node) and every error says what is wrong.
// Domain layer: no 'vscode' here.
import { ZkError } from '../errors';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../subtree/exportFormat';
import { msg } from '../message';

export interface ExportScanLimits {
  /** Largest header (the file without its nodes), default 16 MiB. */
  maxHeaderBytes?: number;
  /** Largest single node of "nodes" (its JSON, data as base64), default 64 MiB. */
  maxNodeBytes?: number;
}

/** One element of "nodes": its index, where its bytes are in the file, and the bytes. */
export interface ExportElement {
  index: number;
  offset: number;
  bytes: Buffer;
}

/** What the header of an export says (the fields the search needs). */
export interface ExportHeader {
  format: string;
  version: number;
  root: string;
  source?: string;
  exportedAt?: string;
  /** Relative to the root, as in the file. */
  unreadable: string[];
}

export const EXPORT_SCAN_DEFAULTS = { maxHeaderBytes: 16 * 1024 * 1024, maxNodeBytes: 64 * 1024 * 1024 };

export function invalidExport(why: string): ZkError {
  return new ZkError('INVALID_EXPORT', msg('Not a subtree export written by Export Subtree: {0}', why), { op: 'search' });
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Feed it the file's bytes in order with push(); each call returns the nodes completed in that chunk. */
export class ExportScanner {
  private readonly maxHeader: number;
  private readonly maxNode: number;
  private offset = 0;
  private depth = 0;
  private started = false;
  private inString = false;
  private escape = false;
  /** A string at depth 1 (a key, or a short value), up to 64 bytes, as it is read. */
  private topString: number[] | undefined;
  private lastTopString: string | undefined;
  private lastKey: string | undefined;
  private mode: 'header' | 'nodes' | 'after' = 'header';
  private readonly header: Buffer[] = [];
  private headerBytes = 0;
  private element: Buffer[] | undefined;
  private elementBytes = 0;
  private elementOffset = 0;
  private index = 0;
  /** The header, checked, when "format" and "root" came before "nodes" (Export Subtree writes them first). */
  headerFirst: ExportHeader | undefined;

  /** Whether the "nodes" array has begun. */
  get nodesStarted(): boolean {
    return this.mode !== 'header';
  }

  constructor(limits: ExportScanLimits = {}) {
    this.maxHeader = limits.maxHeaderBytes ?? EXPORT_SCAN_DEFAULTS.maxHeaderBytes;
    this.maxNode = limits.maxNodeBytes ?? EXPORT_SCAN_DEFAULTS.maxNodeBytes;
  }

  push(chunk: Uint8Array): ExportElement[] {
    const c = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: ExportElement[] = [];
    // Bytes go to the header, to the current element, or nowhere (between elements): in runs.
    let runStart = 0;
    let i = 0;
    if (!this.started) {
      if (this.offset === 0 && c.length >= 3 && c[0] === 0xef && c[1] === 0xbb && c[2] === 0xbf) i = runStart = 3; // a BOM
      for (; i < c.length && isSpace(c[i]); i++);
      if (i === c.length) {
        this.offset += c.length;
        return out;
      }
      if (c[i] !== OPEN_OBJECT) throw invalidExport('it is not a JSON object (an export starts with "{")');
      runStart = i;
    }
    for (; i < c.length; i++) {
      const b = c[i];
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.topString) {
            this.lastTopString = Buffer.from(this.topString).toString('utf8');
            this.topString = undefined;
            // Fail fast on another kind of JSON: "format" is the first field Export Subtree writes.
            if (this.lastKey === 'format' && this.lastTopString !== EXPORT_FORMAT) {
              throw invalidExport(`"format" is ${JSON.stringify(this.lastTopString)}, expected "${EXPORT_FORMAT}"`);
            }
          }
        } else if (this.topString && this.topString.length < 64) this.topString.push(b);
        continue;
      }
      if (isSpace(b)) continue;
      if (this.mode === 'nodes' && this.depth === 2) {
        // Between elements of "nodes": only elements, commas and the closing bracket.
        if (b === OPEN_OBJECT) {
          runStart = i;
          this.element = [];
          this.elementBytes = 0;
          this.elementOffset = this.offset + i;
          this.depth++;
        } else if (b === CLOSE_ARRAY) {
          this.depth--;
          this.mode = 'after';
          runStart = i; // the header gets "]"
        } else if (b !== COMMA) {
          throw invalidExport(`node ${this.index} is not an object (at byte ${(this.offset + i).toLocaleString('en')})`);
        }
        continue;
      }
      switch (b) {
        case QUOTE:
          if (this.depth === 0) throw invalidExport(`there is more after the end of the JSON object (at byte ${(this.offset + i).toLocaleString('en')})`);
          this.inString = true;
          if (this.depth === 1) this.topString = [];
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          if (this.depth === 0 && this.started) throw invalidExport(`there is more after the end of the JSON object (at byte ${(this.offset + i).toLocaleString('en')})`);
          this.started = true;
          this.depth++;
          if (this.depth === 2 && b === OPEN_ARRAY && this.lastKey === 'nodes') {
            if (this.mode !== 'header') throw invalidExport('"nodes" appears twice');
            this.appendHeader(c.subarray(runStart, i + 1));
            this.headerFirst = this.partialHeader();
            this.mode = 'nodes';
            runStart = c.length; // nothing until the first element
          }
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          this.depth--;
          if (this.depth < 0) throw invalidExport(`a bracket closes what was not opened (at byte ${(this.offset + i).toLocaleString('en')})`);
          if (this.element && this.depth === 2) {
            this.appendElement(c.subarray(runStart, i + 1));
            out.push({ index: this.index++, offset: this.elementOffset, bytes: Buffer.concat(this.element, this.elementBytes) });
            this.element = undefined;
            runStart = c.length; // nothing until the next element
            // the element's bytes are out: the loop goes on between elements
          }
          break;
        case COLON:
          if (this.depth === 1) this.lastKey = this.lastTopString;
          break;
        case COMMA:
          if (this.depth === 1) this.lastKey = undefined;
          break;
        default:
          if (this.depth === 0) throw invalidExport(`there is more after the end of the JSON object (at byte ${(this.offset + i).toLocaleString('en')})`);
      }
    }
    if (this.element) this.appendElement(c.subarray(runStart));
    else if (this.mode !== 'nodes' && runStart < c.length) this.appendHeader(c.subarray(runStart));
    this.offset += c.length;
    return out;
  }

  /** At the end of the file: the header, checked. Throws INVALID_EXPORT saying what is wrong. */
  finish(): ExportHeader {
    if (!this.started) throw invalidExport('the file is empty');
    if (this.inString || this.depth !== 0) throw invalidExport('the file ends before its JSON does (it is cut short)');
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(this.header, this.headerBytes).toString('utf8'));
    } catch (e) {
      throw invalidExport(`it is not valid JSON (${(e as Error).message})`);
    }
    const header = checkHeader(parsed);
    if (this.mode === 'header') throw invalidExport('it has no "nodes" array');
    return header;
  }

  private partialHeader(): ExportHeader | undefined {
    // What came before "nodes", closed into an object: known early when the file is in Export Subtree's order.
    try {
      const text = Buffer.concat(this.header, this.headerBytes).toString('utf8') + ']}';
      const h = JSON.parse(text) as Record<string, unknown>;
      if (h.format !== undefined && h.format !== EXPORT_FORMAT) checkHeader(h); // throws why
      return h.format === EXPORT_FORMAT && typeof h.root === 'string' ? checkHeader({ ...h, nodes: [] }) : undefined;
    } catch (e) {
      if (e instanceof ZkError) throw e;
      throw invalidExport(`it is not valid JSON before "nodes" (${(e as Error).message})`);
    }
  }

  private appendHeader(b: Buffer): void {
    if (b.length === 0) return;
    this.headerBytes += b.length;
    if (this.headerBytes > this.maxHeader) {
      throw invalidExport(`its fields besides "nodes" take more than ${this.maxHeader.toLocaleString('en')} bytes${this.mode === 'header' ? ' (and no "nodes" array came first)' : ''}`);
    }
    this.header.push(Buffer.from(b)); // a copy: the stream may reuse its chunk
  }

  private appendElement(b: Buffer): void {
    if (!this.element || b.length === 0) return;
    this.elementBytes += b.length;
    if (this.elementBytes > this.maxNode) throw invalidExport(`node ${this.index} takes more than ${this.maxNode.toLocaleString('en')} bytes`);
    this.element.push(Buffer.from(b));
  }
}

/** Checks the header fields a search relies on. */
function checkHeader(doc: unknown): ExportHeader {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidExport('expected a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.format === undefined) throw invalidExport(`it has no "format" field (an export has "format": "${EXPORT_FORMAT}")`);
  if (d.format !== EXPORT_FORMAT) throw invalidExport(`"format" is ${JSON.stringify(d.format).slice(0, 100)}, expected "${EXPORT_FORMAT}"`);
  if (d.version !== 1 && d.version !== 2) {
    throw invalidExport(`format version ${JSON.stringify(d.version)?.slice(0, 20)} is not supported (this version reads up to ${EXPORT_VERSION}); update the extension`);
  }
  if (typeof d.root !== 'string' || !d.root.startsWith('/')) throw invalidExport(`"root" must be the exported path, e.g. "/config" (it is ${JSON.stringify(d.root)?.slice(0, 100)})`);
  const unreadable = Array.isArray(d.unreadable) ? d.unreadable.filter((p): p is string => typeof p === 'string') : [];
  return {
    format: d.format,
    version: d.version,
    root: d.root,
    source: typeof d.source === 'string' ? d.source : undefined,
    exportedAt: typeof d.exportedAt === 'string' ? d.exportedAt : undefined,
    unreadable,
  };
}
