// Writes synthetic ZooKeeper transaction logs for the benchmarks: our own encoder of FileTxnLog's
// format (the 'ZKLG' header, then per record the Adler-32 of the body as a long, its length, the
// TxnHeader and a SetDataTxn, and the 'B' end marker), with increasing zxids, so gigabytes of valid
// logs are written in seconds. One path of the workload (`target`) is changed every `targetEvery`
// records; the others cycle through `paths` nodes. Files roll at `fileBytes`, named log.<first zxid>.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { adler32 } from '../src/zk/persistence';

const TXNLOG_MAGIC = 0x5a4b4c47;
const SET_DATA = 5;

export interface SyntheticLogOptions {
  dir: string;
  totalBytes: number;
  fileBytes: number;
  target: string;
  targetEvery: number;
  paths: number;
  /** Data sizes cycle through these (bytes). */
  dataSizes: number[];
}

export interface SyntheticLogs {
  files: string[];
  bytes: number;
  records: number;
  /** The data each change to `target` set, oldest first (as text). */
  targetData: string[];
  firstZxid: bigint;
}

function fileHeader(): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32BE(TXNLOG_MAGIC, 0);
  b.writeInt32BE(2, 4);
  b.writeBigInt64BE(0n, 8);
  return b;
}

/** One setData record, sealed: checksum, length, TxnHeader + SetDataTxn, 'B'. */
function setDataRecord(zxid: bigint, time: number, path: string, data: Buffer, version: number): Buffer {
  const p = Buffer.from(path, 'utf8');
  const bodyLength = 32 + 4 + p.length + 4 + data.length + 4;
  const b = Buffer.allocUnsafe(12 + bodyLength + 1);
  let at = 12;
  at = b.writeBigInt64BE(0x100000000001n, at); // clientId
  at = b.writeInt32BE(version & 0x7fffffff, at); // cxid
  at = b.writeBigInt64BE(zxid, at);
  at = b.writeBigInt64BE(BigInt(time), at);
  at = b.writeInt32BE(SET_DATA, at);
  at = b.writeInt32BE(p.length, at);
  at += p.copy(b, at);
  at = b.writeInt32BE(data.length, at);
  at += data.copy(b, at);
  at = b.writeInt32BE(version, at);
  b[at] = 0x42;
  b.writeUInt32BE(0, 0);
  b.writeUInt32BE(adler32(b, 12, 12 + bodyLength), 4);
  b.writeInt32BE(bodyLength, 8);
  return b;
}

export function writeSyntheticLogs(opts: SyntheticLogOptions): SyntheticLogs {
  const out: SyntheticLogs = { files: [], bytes: 0, records: 0, targetData: [], firstZxid: 0x100000001n };
  const payloads = opts.dataSizes.map((n, i) => Buffer.alloc(n, 0x61 + (i % 26)));
  const paths = Array.from({ length: opts.paths }, (_, i) => `/bench/history/node-${String(i).padStart(5, '0')}`);
  let zxid = out.firstZxid;
  let time = Date.UTC(2026, 0, 1);
  let fd: number | undefined;
  let fileBytes = 0;
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = () => {
    if (fd !== undefined && pending.length) writeSync(fd, Buffer.concat(pending, pendingBytes));
    pending.length = 0;
    pendingBytes = 0;
  };
  try {
    while (out.bytes < opts.totalBytes) {
      if (fd === undefined || fileBytes >= opts.fileBytes) {
        flush();
        if (fd !== undefined) closeSync(fd);
        const file = join(opts.dir, `log.${zxid.toString(16)}`);
        fd = openSync(file, 'w');
        out.files.push(file);
        const h = fileHeader();
        writeSync(fd, h);
        fileBytes = h.length;
        out.bytes += h.length;
      }
      const n = out.records;
      let record: Buffer;
      if (n % opts.targetEvery === opts.targetEvery - 1) {
        const text = `config version ${out.targetData.length + 1} at ${zxid.toString(16)}`;
        out.targetData.push(text);
        record = setDataRecord(zxid, time, opts.target, Buffer.from(text), out.targetData.length - 1);
      } else {
        record = setDataRecord(zxid, time, paths[n % paths.length], payloads[n % payloads.length], Math.floor(n / paths.length));
      }
      pending.push(record);
      pendingBytes += record.length;
      if (pendingBytes >= 4 << 20) flush();
      fileBytes += record.length;
      out.bytes += record.length;
      out.records++;
      zxid++;
      time += 3;
    }
    flush();
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return out;
}
