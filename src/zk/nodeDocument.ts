// A znode opened as a document: what was read (the version the editor's content is based on),
// what a save must send, and what happened when it could not be applied, as data the UI shows.
//
// Rules:
// - A write always sends the version the editor's content is based on (`base`). Nothing is ever
//   written with version -1: an overwrite sends the version of the server state the user was
//   shown (the "theirs" of a conflict), so a third change in between is a new conflict.
// - The base only moves to a state the editor is known to show (see `adopt`), so a read done for
//   another reason (a comparison, a check) never makes a stale edit look current.
// - Reported mtimes only move forward, one step per server state. While the editor has unsaved
//   changes, stat keeps reporting the state the editor last saw (see `stat`): the editor's own
//   conflict check (VS Code compares mtime and size) then never fires, and every conflict, whatever
//   changed, takes the one path of the save conversation (saveSession.ts).
import type { ZkAcl } from './acl';
import { formatAclDocument, invalidAclHint, parseAclDocument, type SessionIdentities } from './aclEdit';
import type { CreateOptions, CreateResult } from './client';
import { classifyData, formatBase64, formatHex, hexDump, decodeUtf8Strict, parseBase64, parseHex } from './codecs';
import { ZkError, isZkError } from './errors';
import { baseName, parentPath } from './paths';
import { defaultAclFor } from './defaultAcl';
import { isEphemeral, type ZnodeStat } from './stat';
import { decodeAs, encodeAs, gunzipBounded, gzipVerified, isGzip, textEncoding } from './textEncodings';
import { messageOfError, msg, renderMessage, type Message } from './message';
import { english, type Translate } from './localize';

/**
 * How a document shows the node: its data as text (or, when the bytes are not text, a read-only
 * hex dump), as editable base64 or hex, or its ACL as editable text.
 */
export type ViewKind = 'text' | 'base64' | 'hex' | 'acl';
export const VIEW_KINDS: readonly ViewKind[] = ['text', 'base64', 'hex', 'acl'];

/** What a NodeDocument needs from a session (ZkClient has all of it). */
export interface NodeDocumentClient {
  getData(path: string): Promise<{ data: Uint8Array; stat: ZnodeStat }>;
  exists(path: string): Promise<ZnodeStat | undefined>;
  setData(path: string, data: Uint8Array, version: number): Promise<ZnodeStat>;
  getACL(path: string): Promise<{ acl: ZkAcl[]; stat: ZnodeStat }>;
  setACL(path: string, acl: readonly ZkAcl[], aclVersion: number): Promise<ZnodeStat>;
  create(path: string, data?: Uint8Array, opts?: CreateOptions): Promise<CreateResult>;
  toServerPath(path: string): string;
  readonly options: { maxRequestBytes: number };
}

/** One state of the node as the editor sees it. */
export interface Snapshot {
  /** Identity of the state: the node's incarnation (czxid) and version (or aversion for 'acl'). */
  key: string;
  /** What a conditional write against this state sends: data version, or aversion for 'acl'. */
  version: number;
  stat: ZnodeStat;
  /** The node's data ('text', 'base64', 'hex'); empty for 'acl'. */
  data: Uint8Array;
  /** The ACL ('acl' view only). */
  acl?: ZkAcl[];
  /** What the editor shows. */
  content: Uint8Array;
  /** Set when this view cannot be edited for this state (e.g. data that is not text). */
  readOnlyReason?: string;
  /** The text view shows the data decompressed (gzip): a save compresses it again. */
  gzip?: boolean;
  /** mtime and size as reported to the editor (mtime only moves forward). */
  mtime: number;
  size: number;
}

/** What `stat` reports. */
export interface NodeInfo {
  key: string;
  version: number;
  stat: ZnodeStat;
  mtime: number;
  ctime: number;
  size: number;
  /** Known only when the content was read for this state; undefined = not known to be read-only. */
  readOnlyReason?: string;
}

interface Basis {
  key: string;
  version: number;
  mtime: number;
  size: number;
  /** The editor shows this state decompressed (a save compresses again). */
  gzip?: boolean;
}

/** A save prepared from the editor's bytes: the data or ACL it would write. */
export type PreparedWrite = { kind: 'data'; data: Uint8Array } | { kind: 'acl'; acl: ZkAcl[] };

export type WriteOutcome =
  | { kind: 'saved'; stat: ZnodeStat; key: string; storedAcl?: ZkAcl[] }
  /** The node changed since the base: nothing was written. `theirs` is the server's state now. */
  | { kind: 'conflict'; expectedVersion: number; theirs: Snapshot }
  /** The node no longer exists: nothing was written. */
  | { kind: 'deleted' };

/** How the version for a write was chosen. */
export interface WritePlan {
  version: number;
  /** 'base': the state the editor's content is based on. 'observed': no document session; the state reported just before the write. */
  why: 'base' | 'observed';
}

/** How long a `stat` stays "just before" a write without a document session (the editor stats, then writes). */
export const ACK_WINDOW_MS = 5_000;

/** Fixed part of a setData request: header (xid, type) + path length + data length + version. */
const SET_DATA_OVERHEAD = 8 + 4 + 4 + 4;

export class NodeDocument {
  /** The state the editor's content is based on (set by adopt and by a successful write). */
  private base: Basis | undefined;
  /** The most recent read, adopted or not. */
  lastRead: Snapshot | undefined;
  private lastReported: { key: string; mtime: number } | undefined;
  private forceAdvance = false;
  /** What stat last reported while the editor had no unsaved changes: what the editor has seen. */
  private shownToEditor: { key: string; mtime: number; size: number } | undefined;
  private observed: { info: NodeInfo; at: number } | undefined;
  /** How the node was when first read: what a recreation restores. */
  private origin: { acl?: ZkAcl[]; ephemeral: boolean } | undefined;

  constructor(
    readonly connection: string,
    readonly path: string,
    readonly view: ViewKind,
    private readonly now: () => number = Date.now,
    /** Text view only: the data is text in this encoding (see textEncodings.ts), not UTF-8. */
    readonly encoding?: string,
    /** Words the read-only reasons and the hex dump's banner (the adapter passes vscode.l10n.t). */
    private readonly t: Translate = english,
  ) {}

  get name(): string {
    return baseName(this.path) || this.path;
  }

  /** The version the editor's content is based on, if any. */
  get baseVersion(): number | undefined {
    return this.base?.version;
  }

  get baseKey(): string | undefined {
    return this.base?.key;
  }

  /** mtime and size of the base as reported to the editor. */
  get baseReport(): { mtime: number; size: number } | undefined {
    return this.base && { mtime: this.base.mtime, size: this.base.size };
  }

  /**
   * The node's current state for the editor, or undefined when it does not exist. With
   * `editorDirty`, a newer state is reported with the mtime and size the editor last saw, so the
   * editor never decides a conflict by itself: the save finds it (by version) and asks the user.
   */
  async stat(client: NodeDocumentClient, editorDirty = false): Promise<NodeInfo | undefined> {
    const info = await this.currentInfo(client);
    if (!info) return undefined;
    const shown = this.shownToEditor;
    if (!editorDirty || !shown) {
      this.shownToEditor = { key: info.key, mtime: info.mtime, size: info.size };
      return info;
    }
    return shown.key === info.key ? info : { ...info, mtime: shown.mtime, size: shown.size };
  }

  private async currentInfo(client: NodeDocumentClient): Promise<NodeInfo | undefined> {
    let info: NodeInfo;
    if (this.view === 'acl') {
      let r: { acl: ZkAcl[]; stat: ZnodeStat };
      try {
        r = await client.getACL(this.path);
      } catch (e) {
        if (isZkError(e, 'NONODE')) return undefined;
        throw e;
      }
      const key = stateKey(r.stat, 'acl');
      const size = Buffer.byteLength(this.formatAcl(r.acl));
      info = { key, version: r.stat.aversion, stat: r.stat, mtime: this.report(key, aclMtime(r.stat)), ctime: r.stat.ctime.getTime(), size };
    } else {
      const stat = await client.exists(this.path);
      if (!stat) return undefined;
      const key = stateKey(stat, this.view);
      if (this.view === 'text' && this.lastRead?.key !== key) {
        // Whether the text view is read-only depends on the bytes: read this state to know.
        try {
          const snap = await this.read(client);
          const read: NodeInfo = { key: snap.key, version: snap.version, stat: snap.stat, mtime: snap.mtime, ctime: snap.stat.ctime.getTime(), size: snap.size, readOnlyReason: snap.readOnlyReason };
          this.observe(read);
          return read;
        } catch (e) {
          if (isZkError(e, 'NONODE')) return undefined;
          throw e;
        }
      }
      info = {
        key,
        version: stat.version,
        stat,
        mtime: this.report(key, stat.mtime.getTime()),
        ctime: stat.ctime.getTime(),
        size: stat.dataLength,
      };
    }
    if (this.lastRead?.key === info.key) info.readOnlyReason = this.lastRead.readOnlyReason;
    this.observe(info);
    return info;
  }

  /** Reads the node as this view shows it. Does not change the base: see adopt(). */
  async read(client: NodeDocumentClient): Promise<Snapshot> {
    let snap: Snapshot;
    if (this.view === 'acl') {
      const r = await client.getACL(this.path);
      const content = new TextEncoder().encode(this.formatAcl(r.acl));
      const key = stateKey(r.stat, 'acl');
      snap = {
        key,
        version: r.stat.aversion,
        stat: r.stat,
        data: new Uint8Array(0),
        acl: r.acl,
        content,
        mtime: this.report(key, aclMtime(r.stat)),
        size: content.byteLength,
      };
    } else {
      const r = await client.getData(this.path);
      const key = stateKey(r.stat, this.view);
      const shown = render(this.view, r.data, this.path, this.encoding, this.t);
      snap = {
        key,
        version: r.stat.version,
        stat: r.stat,
        data: r.data,
        content: shown.content,
        readOnlyReason: shown.readOnlyReason,
        gzip: shown.gzip,
        mtime: this.report(key, r.stat.mtime.getTime()),
        size: r.stat.dataLength,
      };
      if (!this.origin) {
        // What "recreate" restores if the node is deleted while open. The ACL is best effort.
        const acl = await client.getACL(this.path).then(
          (a) => a.acl,
          () => undefined,
        );
        this.origin = { acl, ephemeral: isEphemeral(r.stat) };
      }
    }
    this.lastRead = snap;
    this.observe({ key: snap.key, version: snap.version, stat: snap.stat, mtime: snap.mtime, ctime: snap.stat.ctime.getTime(), size: snap.size, readOnlyReason: snap.readOnlyReason });
    return snap;
  }

  /**
   * Makes a state the base: call it when the editor shows exactly that state's content (a first
   * load, a reload of an unmodified document, a revert).
   */
  adopt(snap: Snapshot | undefined = this.lastRead): void {
    if (!snap) return;
    this.base = { key: snap.key, version: snap.version, mtime: snap.mtime, size: snap.size, gzip: snap.gzip };
  }

  /** Adopts the last read if the editor's (clean) content is that read's content. */
  adoptIfShowing(editorText: string): boolean {
    const r = this.lastRead;
    if (!r || r.key === this.base?.key) return false;
    if (contentText(r.content) !== editorText) return false;
    this.adopt(r);
    return true;
  }

  /** Whether the server state `key` is newer than what the editor's content is based on. */
  isNewerThanBase(key: string): boolean {
    return this.base !== undefined && this.base.key !== key;
  }

  /** The editor's next stat of this state reports a later mtime, so it reloads (after a write that the server stored differently). */
  invalidate(): void {
    this.forceAdvance = true;
  }

  /** The content of the last read, as this document shows it (for comparisons). */
  render(data: Uint8Array): { content: Uint8Array; readOnlyReason?: string } {
    return render(this.view, data, this.path, this.encoding, this.t);
  }

  /**
   * Turns the editor's bytes into what would be written. Throws a ZkError ('INVALID_ARGUMENT' or
   * 'DATA_TOO_LARGE') that says what is wrong, before anything is sent.
   */
  prepare(content: Uint8Array, client: Pick<NodeDocumentClient, 'toServerPath' | 'options'>): PreparedWrite {
    const what = msg('{0} was not saved', this.path);
    if (this.view === 'acl') {
      const text = decodeOrThrow(content, what);
      try {
        return { kind: 'acl', acl: parseAclDocument(text) };
      } catch (e) {
        throw new ZkError('INVALID_ARGUMENT', msg('{0}: {1}', what, messageOfError(e)), { path: this.path, op: 'setACL' });
      }
    }
    let data: Uint8Array;
    if (this.view === 'text') {
      const shownBase = this.lastRead?.key === this.base?.key ? this.lastRead : undefined;
      const readOnly = shownBase?.readOnlyReason;
      if (readOnly) throw new ZkError('INVALID_ARGUMENT', msg('{0}: this view is read-only because {1}', what, readOnly), { path: this.path });
      // The text view writes exactly the editor's bytes, and only if they are UTF-8 (an editor set
      // to another encoding would otherwise store something other than what the user sees).
      try {
        decodeUtf8Strict(content);
      } catch (e) {
        throw new ZkError(
          'INVALID_ARGUMENT',
          msg('{0}: the editor produced bytes that are {1}; check that files.encoding is UTF-8 for zk: documents, or use Edit as Base64/Hex', what, messageOfError(e)),
          { path: this.path },
        );
      }
      data = content;
      try {
        // Back to what the node holds: the text in its encoding, compressed again if it was.
        if (this.encoding) data = encodeAs(decodeOrThrow(content, what), this.encoding);
        else if (this.base?.gzip) data = gzipVerified(content);
      } catch (e) {
        if (isZkError(e)) throw e;
        throw new ZkError('INVALID_ARGUMENT', msg('{0}: {1}. Nothing was written.', what, messageOfError(e)), { path: this.path });
      }
    } else {
      const text = decodeOrThrow(content, what);
      try {
        data = this.view === 'base64' ? parseBase64(text) : parseHex(text);
      } catch (e) {
        throw new ZkError('INVALID_ARGUMENT', msg('{0}: {1}. Nothing was written.', what, messageOfError(e)), { path: this.path });
      }
    }
    const max = maxDataBytes(client, this.path);
    if (data.byteLength > max) {
      const limit = client.options.maxRequestBytes;
      throw new ZkError(
        'DATA_TOO_LARGE',
        msg(
          '{0}: the data is {1} bytes and ZooKeeper accepts at most {2} bytes of data for this node (its request limit, jute.maxbuffer, is {3} bytes including the path and headers); make it at least {4} bytes smaller. Nothing was sent.',
          what,
          fmt(data.byteLength),
          fmt(max),
          fmt(limit),
          fmt(data.byteLength - max),
        ),
        { path: this.path, op: 'write' },
      );
    }
    return { kind: 'data', data };
  }

  /** Which version a write sends now; undefined when there is no document session and no recent stat. */
  plan(): WritePlan | undefined {
    if (this.base) return { version: this.base.version, why: 'base' };
    const o = this.observed;
    if (o && this.now() - o.at <= ACK_WINDOW_MS) return { version: o.info.version, why: 'observed' };
    return undefined;
  }

  /**
   * Writes with exactly `version`. On a version conflict it reads the server's state and reports
   * it (nothing was written); on NONODE it reports the deletion. Other errors are thrown.
   */
  async commit(client: NodeDocumentClient, prepared: PreparedWrite, version: number): Promise<WriteOutcome> {
    try {
      let stat: ZnodeStat;
      let storedAcl: ZkAcl[] | undefined;
      if (prepared.kind === 'acl') {
        try {
          stat = await client.setACL(this.path, prepared.acl, version);
        } catch (e) {
          if (!isZkError(e, 'INVALIDACL')) throw e;
          throw new ZkError('INVALIDACL', msg('The server refused the ACL of {0} (nothing was changed): {1}', this.path, invalidAclHint(prepared.acl)), {
            path: this.path,
            op: 'setACL',
            serverCode: e.serverCode,
            cause: e,
          });
        }
        storedAcl = await client.getACL(this.path).then(
          (r) => r.acl,
          () => undefined,
        );
      } else {
        stat = await client.setData(this.path, prepared.data, version);
      }
      return this.saved(stat, prepared, storedAcl);
    } catch (e) {
      if (isZkError(e, 'NONODE')) return { kind: 'deleted' };
      if (isZkError(e, 'BADVERSION')) return this.conflict(client, version);
      throw e;
    }
  }

  /** How the node was when first read (for the "recreate" question). */
  get originInfo(): { acl?: ZkAcl[]; ephemeral: boolean } | undefined {
    return this.origin;
  }

  /**
   * Creates the node again with the editor's data and the ACL it had when first read (when that
   * could not be read: the default ACL of defaultAcl.ts, for `who`), as a persistent node. If
   * someone else created it meanwhile, that is a conflict with their node.
   */
  /** The ACL recreate() gives the node: the one it had when first read, else the default ACL (defaultAcl.ts) for `who`. */
  async recreateAcl(client: NodeDocumentClient, who?: SessionIdentities | boolean): Promise<ZkAcl[]> {
    return this.origin?.acl ?? (await defaultAclFor(client, parentPath(this.path), who)).acl;
  }

  async recreate(client: NodeDocumentClient, prepared: PreparedWrite, who?: SessionIdentities | boolean): Promise<WriteOutcome> {
    if (prepared.kind !== 'data') throw new ZkError('INVALID_ARGUMENT', msg('{0} was deleted: an ACL cannot be saved on a node that does not exist', this.path), { path: this.path });
    try {
      const acl = await this.recreateAcl(client, who);
      const r = await client.create(this.path, prepared.data, { acl, mode: 'persistent' });
      return this.saved(r.stat, prepared);
    } catch (e) {
      if (isZkError(e, 'NODEEXISTS')) return this.conflict(client, -1);
      if (isZkError(e, 'NONODE')) {
        throw new ZkError('NONODE', msg('{0} cannot be recreated: its parent no longer exists either', this.path), { path: this.path, op: 'create', cause: e });
      }
      throw e;
    }
  }

  private saved(stat: ZnodeStat, prepared: PreparedWrite, storedAcl?: ZkAcl[]): WriteOutcome {
    const key = stateKey(stat, this.view);
    const acl = prepared.kind === 'acl' ? (storedAcl ?? prepared.acl) : undefined;
    const shown = prepared.kind === 'acl' ? undefined : render(this.view, prepared.data, this.path, this.encoding, this.t);
    const content = shown ? shown.content : new TextEncoder().encode(this.formatAcl(acl!));
    const mtime = this.report(key, this.view === 'acl' ? aclMtime(stat) : stat.mtime.getTime());
    const size = this.view === 'acl' ? content.byteLength : stat.dataLength;
    this.lastRead = {
      key,
      version: this.view === 'acl' ? stat.aversion : stat.version,
      stat,
      data: prepared.kind === 'data' ? prepared.data : new Uint8Array(0),
      acl,
      content,
      readOnlyReason: shown?.readOnlyReason,
      gzip: shown?.gzip,
      mtime,
      size,
    };
    this.adopt(this.lastRead);
    return { kind: 'saved', stat, key, storedAcl };
  }

  private async conflict(client: NodeDocumentClient, expectedVersion: number): Promise<WriteOutcome> {
    try {
      const theirs = await this.read(client);
      return { kind: 'conflict', expectedVersion, theirs };
    } catch (e) {
      if (isZkError(e, 'NONODE')) return { kind: 'deleted' };
      throw e;
    }
  }

  /** Remembers the last state seen (what a write without a document session goes against). */
  private observe(info: NodeInfo): void {
    this.observed = { info, at: this.now() };
  }

  /** The mtime reported for a state: the server's, but always later than any earlier state's. */
  private report(key: string, raw: number): number {
    const last = this.lastReported;
    if (last && last.key === key && !this.forceAdvance) return last.mtime;
    const mtime = last ? Math.max(raw, last.mtime + 1) : raw;
    this.forceAdvance = false;
    this.lastReported = { key, mtime };
    return mtime;
  }

  private formatAcl(acl: readonly ZkAcl[]): string {
    return formatAclDocument(acl, { path: this.path, connection: this.connection });
  }
}

/** The identity of a server state as a view sees it. */
export function stateKey(stat: ZnodeStat, view: ViewKind): string {
  return view === 'acl' ? `${stat.czxid}/a${stat.aversion}` : `${stat.czxid}/v${stat.version}`;
}

/** ACL changes do not move mtime: a stand-in that moves with every ACL version. */
function aclMtime(stat: ZnodeStat): number {
  return stat.ctime.getTime() + stat.aversion;
}

/** The largest data a setData of `path` can carry under the client's request limit. */
export function maxDataBytes(client: Pick<NodeDocumentClient, 'toServerPath' | 'options'>, path: string): number {
  return client.options.maxRequestBytes - SET_DATA_OVERHEAD - Buffer.byteLength(client.toServerPath(path), 'utf8');
}

/**
 * How a view shows the data (the text view: as UTF-8, in `encoding`, or decompressed when it is gzip).
 * `t` words the read-only reason and the dump's banner; the dump's columns are data and stay as they are.
 */
export function render(
  view: ViewKind,
  data: Uint8Array,
  path: string,
  encoding?: string,
  t: Translate = english,
): { content: Uint8Array; readOnlyReason?: string; gzip?: boolean } {
  const enc = (s: string) => new TextEncoder().encode(s);
  switch (view) {
    case 'base64':
      return { content: enc(formatBase64(data)) };
    case 'hex':
      return { content: enc(formatHex(data)) };
    case 'acl':
      throw new Error('render() is for data views');
    case 'text': {
      if (encoding) return renderEncoded(data, path, encoding, t);
      if (isGzip(data)) return renderGzip(data, path, t);
      const c = classifyData(data);
      if (c.kind === 'text') return { content: data };
      return dump(data, path, c.reason, true, t);
    }
  }
}

function renderEncoded(data: Uint8Array, path: string, encoding: string, t: Translate): { content: Uint8Array; readOnlyReason?: string } {
  const info = textEncoding(encoding);
  if (!info) return dump(data, path, msg('"{0}" is not an encoding this extension knows', encoding), false, t);
  let text: string;
  try {
    text = decodeAs(data, encoding);
  } catch (e) {
    return dump(data, path, msg('it is {0}', messageOfError(e)), false, t);
  }
  const content = new TextEncoder().encode(text);
  // What VS Code would change on load (NULs, mixed line endings) cannot be saved back identically.
  const c = classifyData(content);
  if (c.kind !== 'text') return { content, readOnlyReason: renderMessage(msg('as {0} text, {1}', encoding, c.reason), t) };
  return { content, readOnlyReason: info.readOnlyReason && renderMessage(msg('it is {0}: {1}', encoding, info.readOnlyReason), t) };
}

function renderGzip(data: Uint8Array, path: string, t: Translate): { content: Uint8Array; readOnlyReason?: string; gzip?: boolean } {
  let plain: Uint8Array;
  try {
    plain = gunzipBounded(data);
  } catch (e) {
    return dump(data, path, messageOfError(e), false, t);
  }
  const c = classifyData(plain);
  if (c.kind === 'text') return { content: plain, gzip: true };
  const reason = renderMessage(msg('it is gzip-compressed data that is not text once decompressed ({0})', c.reason), t);
  const banner =
    `# ${t('{0}: {1} bytes of gzip, {2} bytes decompressed, shown as a read-only hex dump of the decompressed bytes: {3}.', path, fmt(data.byteLength), fmt(plain.byteLength), reason)}\n` +
    `# ${t('To change it, run "ZooKeeper: {0}" or "ZooKeeper: {1}" (they show the compressed bytes).', t('Edit as Base64'), t('Edit as Hex'))}\n\n`;
  return { content: new TextEncoder().encode(banner + hexDump(plain)), readOnlyReason: reason };
}

/** The read-only hex dump of data that is not text: a banner saying why and how to change it, then the bytes. */
function dump(data: Uint8Array, path: string, why: Message | string, suggestEncoding: boolean, t: Translate): { content: Uint8Array; readOnlyReason: string } {
  const reason = renderMessage(why, t);
  const banner =
    `# ${t('{0}: {1} bytes, shown as a read-only hex dump: {2}.', path, fmt(data.byteLength), reason)}\n` +
    (suggestEncoding ? `# ${t('If it is text in another encoding (e.g. windows-1252), run "ZooKeeper: {0}".', t('Reopen with Encoding…'))}\n` : '') +
    `# ${t('To change it, run "ZooKeeper: {0}" or "ZooKeeper: {1}": they save exactly the bytes you enter.', t('Edit as Base64'), t('Edit as Hex'))}\n\n`;
  return { content: new TextEncoder().encode(banner + hexDump(data)), readOnlyReason: t('it is not text: {0}', reason) };
}

/** The text an editor shows for content bytes (a UTF-8 BOM is not part of the text). */
export function contentText(content: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(content);
}

function decodeOrThrow(content: Uint8Array, what: Message): string {
  try {
    return decodeUtf8Strict(content).replace(/^\uFEFF/, '');
  } catch (e) {
    throw new ZkError('INVALID_ARGUMENT', msg("{0}: the editor's text is {1}", what, messageOfError(e)));
  }
}

function fmt(n: number): string {
  return n.toLocaleString('en');
}
