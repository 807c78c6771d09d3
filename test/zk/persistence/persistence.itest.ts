// The transaction logs and snapshots a real ZooKeeper 3.8 server writes while a client creates,
// changes, deletes, runs multis (one that fails), makes ephemeral, sequential, container and TTL nodes
// and changes ACLs, read by our parsers and compared record by record and node by node with what
// ZooKeeper's own TxnLogToolkit and SnapshotFormatter read from the same files. Then the same files
// damaged: cut mid-record, a flipped byte, a wrong magic, a hostile length.
import * as assert from 'node:assert/strict';
import { copyFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ZkClient } from '../../../src/zk/client';
import { classifyName, FileDamageError, listDataDir, nodeHistory, readSnapshot, readTimelinePage, TxnLogReader, txnTypeName, type PersistenceFile, type TxnEntry, type TxnOp } from '../../../src/zk/persistence';
import { ZkCluster } from '../../harness/zookeeper';
import { snapshotFormatter, txnLogToolkit } from './zkTools';

const text = (s: string) => Buffer.from(s, 'utf8');

async function workload(c: ZkClient): Promise<void> {
  await c.create('/app', text('v0'));
  await c.create('/app/config', text('{"level":1}'));
  for (let i = 2; i <= 6; i++) await c.setData('/app/config', text(`{"level":${i}}`), -1);
  await c.create('/app/eph', text('mine'), { mode: 'ephemeral' });
  await c.create('/app/seq-', text('s'), { mode: 'persistentSequential' });
  await c.create('/app/box', text('container'), { mode: 'container' });
  await c.create('/app/ttl', text('ttl'), { mode: 'persistentTtl', ttlMs: 3_600_000 });
  await c.create('/app/bin', Buffer.from([0, 255, 1, 254]));
  await c.multi([
    { type: 'create', path: '/app/m', data: text('A') },
    { type: 'setData', path: '/app', data: text('v1') },
    { type: 'check', path: '/app', version: 1 },
    { type: 'delete', path: '/app/bin' },
  ]);
  await c.multi([{ type: 'create', path: '/app/never', data: text('x') }, { type: 'check', path: '/app', version: 99 }]).catch(() => undefined);
  await c.setACL('/app/m', [{ perms: 1, scheme: 'world', id: 'anyone' }], -1);
  await c.create('/gone', text('bye'));
  await c.remove('/gone', -1);
  for (let i = 0; i < 12; i++) await c.create(`/bulk-${i}`, text(`n${i}`));
}

/** What TxnLogToolkit prints as the type (Request.op2String) for our names. */
function javaTypeName(e: TxnEntry): string {
  return txnTypeName(e.header.type).toLowerCase();
}

function partSummary(op: TxnOp): string {
  return 'path' in op ? `${op.type}:${op.path}` : op.type;
}

async function compareLog(file: string): Promise<number> {
  const expected = await txnLogToolkit(file);
  const reader = await TxnLogReader.open(file);
  const ours: TxnEntry[] = [];
  for await (const e of reader.entries()) ours.push(e);
  assert.equal(reader.damage, undefined, `${file}: ${reader.damage?.message}`);
  assert.equal(ours.length, expected.txns.length, `${basename(file)}: record count`);
  if (expected.eofCount !== undefined) assert.equal(ours.length, expected.eofCount);
  ours.forEach((e, i) => {
    const j = expected.txns[i];
    const where = `${basename(file)} record ${i} (zxid ${j.zxid.toString(16)})`;
    assert.equal(e.header.zxid, j.zxid, where);
    assert.equal(BigInt.asUintN(64, e.header.clientId), j.session, where);
    assert.equal(e.header.cxid, j.cxid, where);
    assert.equal(javaTypeName(e), j.type.toLowerCase(), where);
    const op = e.op;
    if (op.type === 'create' || op.type === 'create2' || op.type === 'setData' || op.type === 'createContainer' || op.type === 'createTTL') {
      if (/^[\x20-\x7e]*$/.test(op.data.toString('latin1'))) assert.ok(j.rest.startsWith(`${op.path},${op.data.toString('latin1')},`), `${where}: ${j.rest}`);
      else assert.ok(j.rest.startsWith(`${op.path},`), `${where}: ${j.rest}`);
    } else if (op.type === 'delete') {
      assert.equal(j.rest, `'${op.path}`, where); // DeleteTxn's toString, as printed
    } else if (op.type === 'setACL') {
      assert.ok(j.rest.startsWith(`'${op.path},`), `${where}: ${j.rest}`);
    } else if (op.type === 'createSession') {
      assert.equal(j.rest, String(op.timeout), where);
    } else if (op.type === 'multi') {
      // TxnLogToolkit prints each part as "type:" and the part's raw Jute bytes, joined by ";":
      // the path is the first string (a 4-byte length, short here, then the path up to a NUL).
      const theirs = j.rest.split(';').map((p) => {
        const m = /^(\w+):(?:\x00\x00\x00[\x01-\x1f](\/[^\x00]*))?/.exec(p);
        return m ? (m[2] ? `${m[1]}:${m[2]}` : m[1]) : p;
      });
      assert.deepEqual(op.parts.map(partSummary), theirs, where);
    }
  });
  return ours.length;
}

async function compareSnapshot(file: string): Promise<number> {
  const expected = await snapshotFormatter(file);
  const snap = await readSnapshot(file);
  assert.equal(snap.damage, undefined, `${file}: ${snap.damage?.message}`);
  assert.equal(snap.nodes.size, expected.nodes.length, `${basename(file)}: node count`);
  // ZooKeeper's DataTree keeps the root under both "" and "/", and SnapshotFormatter counts its map.
  assert.equal(expected.count, snap.nodes.size + 1);
  for (const j of expected.nodes) {
    const n = snap.nodes.get(j.path);
    assert.ok(n, `${basename(file)}: ${j.path} missing`);
    const where = `${basename(file)} ${j.path}`;
    assert.deepEqual(
      [n.stat.czxid, n.stat.mzxid, n.stat.pzxid, n.stat.cversion, n.stat.version, n.stat.aversion, n.stat.ephemeralOwner, n.data.toString('base64')],
      [j.czxid, j.mzxid, j.pzxid, j.cversion, j.dataVersion, j.aclVersion, j.ephemeralOwner, j.dataBase64],
      where,
    );
    assert.equal(Math.floor(n.stat.ctime / 1000), j.ctimeSeconds, where);
    assert.equal(Math.floor(n.stat.mtime / 1000), j.mtimeSeconds, where);
  }
  assert.deepEqual(
    snap.sessions.map((s) => [s.id, s.timeoutMs]).sort(),
    expected.sessions.map((s) => [s.id, s.timeout]).sort(),
  );
  // Snapshots are fuzzy: the file is named by the zxid when writing began, and transactions applied
  // while the tree was written move the tree's last zxid (SnapshotFormatter's "Last zxid", the
  // digest's zxid) past it, by a number that depends on timing.
  const named = classifyName(file)!.zxid;
  assert.ok(expected.lastZxid !== undefined && expected.lastZxid >= named, `${basename(file)}: last zxid ${expected.lastZxid} before the name's ${named}`);
  assert.ok(snap.digest && snap.digest.zxid >= named);
  return snap.nodes.size;
}

describe('transaction logs and snapshots of a real 3.8 server', function () {
  this.timeout(180_000);
  let cluster: ZkCluster;
  let files: PersistenceFile[];
  let scratch: string;

  before(async function () {
    this.timeout(120_000);
    cluster = await ZkCluster.startStandalone({ extraConfig: { snapCount: '10', extendedTypesEnabled: 'true' } });
    const c = new ZkClient({ connectString: cluster.connectString });
    await c.connect();
    await workload(c);
    await c.close();
    await cluster.stop(1);
    files = await listDataDir(cluster.servers[0].dataDir);
    scratch = await mkdtemp(join(tmpdir(), 'zk-persistence-'));
  });

  after(async () => {
    await cluster?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('the server wrote several logs and snapshots (snapCount 10)', () => {
    assert.ok(files.filter((f) => f.kind === 'log').length >= 2, files.map((f) => basename(f.path)).join(' '));
    assert.ok(files.filter((f) => f.kind === 'snapshot').length >= 2, files.map((f) => basename(f.path)).join(' '));
  });

  it('every log record matches TxnLogToolkit: zxid, session, cxid, type, path, data, multi parts', async () => {
    let total = 0;
    for (const f of files.filter((x) => x.kind === 'log')) total += await compareLog(f.path);
    assert.ok(total >= 30, `only ${total} records`);
  });

  it('every snapshot node matches SnapshotFormatter: stat, data, sessions, last zxid', async () => {
    let total = 0;
    for (const f of files.filter((x) => x.kind === 'snapshot')) total += await compareSnapshot(f.path);
    assert.ok(total > 0);
  });

  it('the logs hold every kind of change the workload made, and the failed multi is marked by an error part', async () => {
    const types = new Set<string>();
    let failedMulti: TxnOp | undefined;
    for (const f of files.filter((x) => x.kind === 'log')) {
      for await (const e of (await TxnLogReader.open(f.path)).entries()) {
        types.add(e.op.type);
        if (e.op.type === 'multi') e.op.parts.forEach((p) => types.add(`multi.${p.type}`));
        if (e.op.type === 'multi' && e.op.parts.some((p) => p.type === 'error')) failedMulti = e.op;
      }
    }
    for (const t of ['createSession', 'create2', 'setData', 'createContainer', 'createTTL', 'setACL', 'delete', 'multi', 'closeSession', 'multi.check', 'multi.delete', 'multi.setData']) {
      assert.ok(types.has(t), `${t} not seen in ${[...types].join(', ')}`);
    }
    assert.ok(failedMulti);
  });

  describe('damaged files', () => {
    let log: string;
    let logEnd: number;
    let secondOffset: number;
    let snapshot: string;

    before(async () => {
      const logs = files.filter((f) => f.kind === 'log');
      const src = logs.reduce((a, b) => (statSync(a.path).size >= statSync(b.path).size ? a : b)).path;
      log = join(scratch, 'log.damaged');
      const r = await TxnLogReader.open(src);
      const offsets: number[] = [];
      for await (const e of r.entries()) {
        offsets.push(e.offset);
        logEnd = e.offset + e.size;
      }
      assert.ok(offsets.length >= 3);
      secondOffset = offsets[1];
      const snaps = files.filter((f) => f.kind === 'snapshot');
      snapshot = snaps[snaps.length - 1].path;
      // a compact copy: the used part of the preallocated log
      writeFileSync(log, readFileSync(src).subarray(0, logEnd));
    });

    async function readAll(file: string): Promise<{ count: number; reader: TxnLogReader }> {
      const reader = await TxnLogReader.open(file);
      let count = 0;
      for await (const _ of reader.entries()) count++;
      return { count, reader };
    }

    it('a log cut mid-record: the whole records before it, and the offset of the cut one', async () => {
      const cut = join(scratch, 'log.cut');
      copyFileSync(log, cut);
      truncateSync(cut, secondOffset + 20);
      const { count, reader } = await readAll(cut);
      assert.equal(count, 1);
      assert.equal(reader.damage?.kind, 'truncated');
      assert.equal(reader.damage?.offset, secondOffset);
      assert.match(reader.damage?.message ?? '', new RegExp(`at byte ${secondOffset}$`));
    });

    it('a flipped byte inside a record: checksum mismatch at that record', async () => {
      const bad = join(scratch, 'log.flipped');
      const bytes = readFileSync(log);
      bytes[secondOffset + 12 + 10] ^= 0x40; // inside the second record's TxnHeader
      writeFileSync(bad, bytes);
      const { count, reader } = await readAll(bad);
      assert.equal(count, 1);
      assert.equal(reader.damage?.kind, 'checksum');
      assert.equal(reader.damage?.offset, secondOffset);
    });

    it('a hostile record length (2 GB) is refused without allocating it', async () => {
      const bad = join(scratch, 'log.hostile');
      const bytes = readFileSync(log);
      bytes.writeInt32BE(0x7fffffff, secondOffset + 8);
      writeFileSync(bad, bytes);
      const { count, reader } = await readAll(bad);
      assert.equal(count, 1);
      assert.equal(reader.damage?.kind, 'malformed');
      assert.equal(reader.damage?.offset, secondOffset);
    });

    it('a snapshot is not a log: the wrong magic is named, at byte 0', async () => {
      await assert.rejects(TxnLogReader.open(snapshot), (e: unknown) => e instanceof FileDamageError && e.damage.kind === 'not-this-format' && /ZKSN/.test(e.message) && /ZKLG/.test(e.message));
      await assert.rejects(readSnapshot(log), (e: unknown) => e instanceof FileDamageError && e.damage.kind === 'not-this-format' && e.damage.offset === 0);
    });

    it('a truncated snapshot keeps the nodes before the cut and says where it was cut', async () => {
      const whole = await readSnapshot(snapshot);
      const cut = join(scratch, 'snapshot.cut');
      copyFileSync(snapshot, cut);
      truncateSync(cut, Math.floor(statSync(snapshot).size * 0.7));
      const snap = await readSnapshot(cut);
      assert.equal(snap.damage?.kind, 'truncated');
      assert.ok(snap.damage!.offset < statSync(cut).size && snap.damage!.offset > 16);
      assert.ok(snap.nodes.size > 0 && snap.nodes.size < whole.nodes.size);
    });

    it('a flipped data byte in a snapshot: checksum mismatch at the seal', async () => {
      const bytes = readFileSync(snapshot);
      const at = bytes.indexOf(text('{"level":'));
      assert.ok(at > 0, 'the config data is in the snapshot');
      bytes[at + 2] ^= 0x01;
      const bad = join(scratch, 'snapshot.flipped');
      writeFileSync(bad, bytes);
      const snap = await readSnapshot(bad);
      assert.equal(snap.damage?.kind, 'checksum');
      assert.ok(snap.nodes.size > 0);
    });

    it('a gzip snapshot reads like the plain one; a cut gzip says it is cut', async () => {
      const gz = join(scratch, `${basename(snapshot)}.gz`);
      writeFileSync(gz, gzipSync(readFileSync(snapshot)));
      const plain = await readSnapshot(snapshot);
      const zipped = await readSnapshot(gz);
      assert.equal(zipped.compression, 'gzip');
      assert.equal(zipped.damage, undefined);
      assert.deepEqual([...zipped.nodes.keys()], [...plain.nodes.keys()]);
      const cut = join(scratch, 'snapshot.cut.gz');
      writeFileSync(cut, readFileSync(gz).subarray(0, Math.floor(statSync(gz).size / 2)));
      const damaged = await readSnapshot(cut);
      assert.ok(damaged.damage, 'a cut gzip is reported');
    });
  });
});

describe('gzip snapshots written by a 3.8 server (snapshot.compression.method=gz)', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;

  before(async function () {
    this.timeout(90_000);
    cluster = await ZkCluster.startStandalone({ extraConfig: { snapCount: '10', 'snapshot.compression.method': 'gz' } });
    const c = new ZkClient({ connectString: cluster.connectString });
    await c.connect();
    for (let i = 0; i < 25; i++) await c.create(`/z${i}`, text(`data ${i}`));
    await c.close();
    await cluster.stop(1);
  });

  after(async () => {
    await cluster?.close();
  });

  it('opens every .gz snapshot and matches SnapshotFormatter node by node', async () => {
    const snaps = (await listDataDir(cluster.servers[0].dataDir)).filter((f) => f.kind === 'snapshot');
    assert.ok(snaps.some((f) => f.path.endsWith('.gz')), snaps.map((f) => basename(f.path)).join(' '));
    for (const f of snaps) {
      const snap = await readSnapshot(f.path);
      assert.equal(snap.compression, f.path.endsWith('.gz') ? 'gzip' : 'none');
      await compareSnapshot(f.path);
    }
  });
});

describe('a znode history and a timeline from a real server\'s logs', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let logs: string[];
  let session: bigint;

  before(async function () {
    this.timeout(90_000);
    cluster = await ZkCluster.startStandalone({ extraConfig: { snapCount: '10', extendedTypesEnabled: 'true' } });
    const c = new ZkClient({ connectString: cluster.connectString });
    await c.connect();
    await workload(c);
    await c.close();
    await cluster.stop(1);
    logs = (await listDataDir(cluster.servers[0].dataDir)).filter((f) => f.kind === 'log').map((f) => f.path);
    const first = await TxnLogReader.open(logs[0]);
    for await (const e of first.entries()) {
      session = e.header.clientId;
      break;
    }
  });

  after(async () => {
    await cluster?.close();
  });

  it('every change to /app/config across several logs, newest first, with its data after', async () => {
    assert.ok(logs.length >= 2);
    const h = await nodeHistory(logs, '/app/config');
    assert.deepEqual(
      h.versions.map((v) => [v.change, v.data?.toString()]),
      [...[6, 5, 4, 3, 2].map((i) => ['setData', `{"level":${i}}`]), ['create2', '{"level":1}']],
    );
    assert.ok(h.versions.every((v, i) => i === 0 || v.zxid < h.versions[i - 1].zxid));
    assert.ok(h.versions.every((v) => v.session === session && v.time > 0));
    assert.deepEqual(h.damages, []);
  });

  it('a multi\'s part counts, a failed multi does not, deletes and ACL changes are listed', async () => {
    const app = await nodeHistory(logs, '/app');
    assert.deepEqual(app.versions.map((v) => [v.change, v.data?.toString(), v.multiSize]), [['setData', 'v1', 4], ['create2', 'v0', undefined]]);
    assert.deepEqual((await nodeHistory(logs, '/app/never')).versions, []);
    assert.deepEqual((await nodeHistory(logs, '/gone')).versions.map((v) => v.change), ['delete', 'create2']);
    const m = await nodeHistory(logs, '/app/m');
    assert.deepEqual(m.versions.map((v) => [v.change, v.acl?.map((a) => a.perms)]), [['setACL', [1]], ['create', [31]]]);
  });

  it('timeline pages: filtered by path prefix, type and session, and continued from a cursor', async () => {
    const all = await readTimelinePage(logs, { fileIndex: 0 }, {}, 1_000_000);
    assert.equal(all.next, undefined);
    const page1 = await readTimelinePage(logs, { fileIndex: 0 }, {}, 7);
    assert.equal(page1.rows.length, 7);
    assert.ok(page1.next);
    const page2 = await readTimelinePage(logs, page1.next!, {}, 7);
    assert.deepEqual([...page1.rows, ...page2.rows].map((r) => r.entry.header.zxid), all.rows.slice(0, 14).map((r) => r.entry.header.zxid));
    const bulk = await readTimelinePage(logs, { fileIndex: 0 }, { pathPrefix: '/app' }, 1000);
    assert.ok(bulk.rows.length > 0 && bulk.rows.every((r) => r.paths.some((p) => p === '/app' || p.startsWith('/app/'))));
    const multis = await readTimelinePage(logs, { fileIndex: 0 }, { types: ['multi'] }, 1000);
    assert.equal(multis.rows.length, 2);
    const deletesInMultis = await readTimelinePage(logs, { fileIndex: 0 }, { types: ['delete'] }, 1000);
    assert.deepEqual(deletesInMultis.rows.map((r) => r.entry.op.type), ['multi', 'delete']);
    const none = await readTimelinePage(logs, { fileIndex: 0 }, { session: session + 1n }, 1000);
    assert.equal(none.rows.length, 0);
    const mine = await readTimelinePage(logs, { fileIndex: 0 }, { session }, 1_000_000);
    assert.equal(mine.rows.length, all.rows.length);
  });
});
