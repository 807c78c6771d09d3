// Streams a ZooKeeper transaction log (FileTxnLog): a FileHeader ('ZKLG', version, dbid), then records
// of checksum (Adler-32 of the body, as a long), length, body (TxnHeader + txn + optional TxnDigest)
// and the end-of-record byte 'B'. Logs are preallocated with zeros: a zero length is the end.
// Entries are yielded one at a time; a damaged record ends the stream and is described in `damage`.
import { adler32 } from './adler32';
import { ChunkedInput } from './chunkedInput';
import { damage, type FileDamage } from './damage';
import { messageOfError, msg, type Message } from '../message';
import { JuteCursor, MalformedRecord, OutOfBytes } from './juteCursor';
import { readTxnBody, type BodyOptions } from './txnBody';
import type { TxnEntry } from './txnTypes';

export const TXNLOG_MAGIC = 0x5a4b4c47; // 'ZKLG'
const HEADER_BYTES = 16;
const RECORD_PREFIX = 12; // checksum long + length int
const END_OF_RECORD = 0x42; // 'B'
const TXN_HEADER_BYTES = 32;
const DIGEST_BYTES = 12;
/** ZooKeeper refuses requests past jute.maxbuffer (1 MB by default); 256 MB leaves room for raised limits. */
export const MAX_RECORD_BYTES = 256 << 20;

export interface FileHeader {
  magic: number;
  version: number;
  dbid: bigint;
}

export interface TxnLogOptions {
  /** Copy each change's data (default true); false keeps only data lengths (scans, indexes). */
  keepData?: boolean;
  /** Decode ACLs (default true); false skips them (scans by path). */
  acls?: boolean;
  /** Start reading at this record offset (from an earlier entry's `offset`), after the header. */
  fromOffset?: number;
  /** Bytes read at a time (default 1 MiB). */
  chunkBytes?: number;
}

export class TxnLogReader {
  /** Set when reading stopped before a clean end: a cut, corrupt or unknown record. */
  damage?: FileDamage;
  /** Entries yielded so far. */
  count = 0;

  private constructor(
    readonly path: string,
    readonly header: FileHeader,
    private readonly input: ChunkedInput,
    private readonly body: BodyOptions,
  ) {}

  /** Opens a log and checks its header; rejects with a FileDamage-carrying error when it is not a log. */
  static async open(path: string, opts: TxnLogOptions = {}): Promise<TxnLogReader> {
    const input = await ChunkedInput.file(path, opts.chunkBytes);
    try {
      const header = await readHeader(input, TXNLOG_MAGIC, msg('transaction log'));
      if (opts.fromOffset !== undefined && opts.fromOffset > HEADER_BYTES) input.seek(opts.fromOffset);
      return new TxnLogReader(path, header, input, { keepData: opts.keepData ?? true, acls: opts.acls ?? true });
    } catch (e) {
      await input.close();
      throw e;
    }
  }

  /** Every entry in order; closes the file at the end (or when the loop breaks). */
  async *entries(): AsyncGenerator<TxnEntry> {
    try {
      for (;;) {
        const entry = await this.next();
        if (!entry) return;
        this.count++;
        yield entry;
      }
    } finally {
      await this.input.close();
    }
  }

  private async next(): Promise<TxnEntry | undefined> {
    const input = this.input;
    const offset = input.offset();
    // most records are already in the window: no await (a promise per record costs more than the decode)
    const have = input.available() >= RECORD_PREFIX ? input.available() : await input.ensure(RECORD_PREFIX);
    if (have === 0) return undefined;
    const buf = input.buffer();
    const at = input.windowStart();
    if (have < RECORD_PREFIX) {
      if (allZero(buf, at, at + have)) return undefined;
      return this.stop(damage('truncated', offset, msg('the log ends inside a record header ({0} of {1} bytes)', have, RECORD_PREFIX)));
    }
    const crcHigh = buf.readUInt32BE(at);
    const crc = buf.readUInt32BE(at + 4);
    const length = buf.readInt32BE(at + 8);
    if (length === 0) return undefined; // preallocated zeros: ZooKeeper's end of log
    if (length < TXN_HEADER_BYTES || length > MAX_RECORD_BYTES) {
      return this.stop(damage('malformed', offset, msg('a record declares {0} bytes (allowed {1}..{2})', length, TXN_HEADER_BYTES, MAX_RECORD_BYTES)));
    }
    const size = RECORD_PREFIX + length + 1;
    const got = input.available() >= size ? input.available() : await input.ensure(size);
    if (got < size) return this.stop(damage('truncated', offset, msg('the log is cut mid-record ({0} of {1} bytes)', got, size)));
    const b = input.buffer();
    const s = input.windowStart();
    const bodyStart = s + RECORD_PREFIX;
    const bodyEnd = bodyStart + length;
    if (b[bodyEnd] !== END_OF_RECORD) return this.stop(damage('malformed', offset, msg('a record lacks its end marker (a partial write)')));
    const actual = adler32(b, bodyStart, bodyEnd);
    if (crcHigh !== 0 || crc !== actual) {
      return this.stop(damage('checksum', offset, msg('checksum mismatch (stored {0}, computed {1})', crc.toString(16), actual.toString(16))));
    }
    let entry: TxnEntry;
    try {
      entry = decodeRecord(b, bodyStart, bodyEnd, offset, size, this.body);
    } catch (e) {
      // The decoder's own words (a field, a count) are quoted as they are.
      if (e instanceof MalformedRecord || e instanceof OutOfBytes) return this.stop(damage('malformed', offset, msg('an unreadable record: {0}', messageOfError(e))));
      throw e;
    }
    input.consume(size);
    return entry;
  }

  private stop(d: FileDamage): undefined {
    this.damage = d;
    return undefined;
  }
}

/**
 * Decodes one whole record (checksum, length, body, end marker) read on its own, e.g. again at an
 * offset an earlier scan found: undefined when it no longer is that record (changed, cut, corrupt).
 */
export function decodeRecordAt(b: Buffer, offset: number, body: BodyOptions): TxnEntry | undefined {
  if (b.length < RECORD_PREFIX + TXN_HEADER_BYTES + 1) return undefined;
  const length = b.readInt32BE(8);
  const size = RECORD_PREFIX + length + 1;
  if (length < TXN_HEADER_BYTES || size !== b.length || b[size - 1] !== END_OF_RECORD) return undefined;
  if (b.readUInt32BE(0) !== 0 || b.readUInt32BE(4) !== adler32(b, RECORD_PREFIX, RECORD_PREFIX + length)) return undefined;
  try {
    return decodeRecord(b, RECORD_PREFIX, RECORD_PREFIX + length, offset, size, body);
  } catch (e) {
    if (e instanceof MalformedRecord || e instanceof OutOfBytes) return undefined;
    throw e;
  }
}

function decodeRecord(b: Buffer, start: number, end: number, offset: number, size: number, body: BodyOptions): TxnEntry {
  const c = new JuteCursor(b, start, end, end - start);
  const header = { clientId: c.long(), cxid: c.int(), zxid: c.long(), time: c.safeLong(), type: c.int() };
  const op = readTxnBody(c, header.type, body);
  const entry: TxnEntry = { header, op, offset, size };
  // TxnDigest (3.6+ with zookeeper.digest.enabled): read it when the bytes are there, as ZooKeeper does.
  if (c.remaining() >= DIGEST_BYTES) entry.digest = { version: c.int(), treeDigest: c.long() };
  return entry;
}

/** Reads and checks a FileHeader; throws FileDamageError when the magic or length is wrong. */
export async function readHeader(input: ChunkedInput, magic: number, what: Message): Promise<FileHeader> {
  const have = await input.ensure(HEADER_BYTES);
  const b = input.buffer();
  const at = input.windowStart();
  if (have >= 4 && b.readInt32BE(at) !== magic) {
    const seen = b.subarray(at, at + 4).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
    throw new FileDamageError(damage('not-this-format', 0, msg('not a ZooKeeper {0}: the file starts with "{1}", not "{2}"', what, seen, magicText(magic))));
  }
  if (have < HEADER_BYTES) throw new FileDamageError(damage('truncated', have, msg('not a ZooKeeper {0}: the file ends inside its {1}-byte header', what, HEADER_BYTES)));
  const header = { magic, version: b.readInt32BE(at + 4), dbid: b.readBigInt64BE(at + 8) };
  input.consume(HEADER_BYTES);
  return header;
}

export class FileDamageError extends Error {
  /** What an adapter shows (messageOfError reads it). */
  readonly localized: Message;

  constructor(readonly damage: FileDamage) {
    super(damage.message);
    this.localized = damage.localized;
  }
}

function magicText(magic: number): string {
  return Buffer.from([magic >>> 24, (magic >>> 16) & 255, (magic >>> 8) & 255, magic & 255]).toString('latin1');
}

function allZero(b: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 0) return false;
  return true;
}
