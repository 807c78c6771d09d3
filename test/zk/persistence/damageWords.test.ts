// Why a snapshot or log file cannot be read (or not to its end), in the user's language: a damage
// carries a Message an adapter translates, next to its English `message` (logs, tests). Files
// made here by hand: a foreign file, a cut header, a cut record, a snappy snapshot.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileDamageError, TxnLogReader, readSnapshot, TXNLOG_MAGIC, readTimelinePage, type FileDamage } from '../../../src/zk/persistence';
import { renderMessage } from '../../../src/zk/message';
import { marking, untranslated } from '../markingTranslate';

describe("persistence: damaged files say why in the user's language", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'zk-damage-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const logHeader = () => {
    const b = Buffer.alloc(16);
    b.writeInt32BE(TXNLOG_MAGIC, 0);
    b.writeInt32BE(2, 4);
    return b;
  };
  const marked = (d: FileDamage) => {
    const text = renderMessage(d.localized, marking);
    assert.match(text, /^«/, text);
    assert.equal(untranslated(text), '', text);
    assert.equal(renderMessage(d.localized), d.message, 'the English message is the Message in English');
    return text;
  };
  const rejection = async (p: Promise<unknown>): Promise<FileDamageError> => {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof FileDamageError, String(e));
      assert.equal(e.localized, e.damage.localized, 'messageOfError finds the Message');
      return e;
    }
    assert.fail('did not reject');
  };

  it('a file that is not a log, a log cut inside its header, and a snappy snapshot', async () => {
    const foreign = await rejection(TxnLogReader.open(file('foreign', Buffer.from('hello, world, not a log'))));
    assert.equal(foreign.message, 'not a ZooKeeper transaction log: the file starts with "hell", not "ZKLG" at byte 0');
    assert.equal(marked(foreign.damage), '««not a ZooKeeper «transaction log»: the file starts with "hell", not "ZKLG"» at byte 0»');
    marked((await rejection(TxnLogReader.open(file('cut', logHeader().subarray(0, 10))))).damage);
    marked((await rejection(readSnapshot(file('foreign-snap', Buffer.from('not a snapshot at all, really'))))).damage);
    const snappy = Buffer.concat([Buffer.from([0x82]), Buffer.from('SNAPPY'), Buffer.from([0, 0, 0, 0, 1])]);
    assert.match(marked((await rejection(readSnapshot(file('snapshot.1', snappy)))).damage), /snappy decoder/);
  });

  it('a log cut inside a record: the damage the timeline reports, and a file it cannot open', async () => {
    const cut = file('log.1', Buffer.concat([logHeader(), Buffer.alloc(5, 1)])); // zeros would be preallocation
    const reader = await TxnLogReader.open(cut);
    for await (const _ of reader.entries()) assert.fail('no entry in a cut record');
    assert.equal(reader.damage?.message, 'the log ends inside a record header (5 of 12 bytes) at byte 16');
    marked(reader.damage!);
    const page = await readTimelinePage([cut, join(dir, 'missing.log'), file('log.2', Buffer.from('garbage garbage'))], { fileIndex: 0 }, {}, 10);
    assert.equal(page.damages.length, 1);
    assert.equal(page.unreadable.length, 2);
    const garbage = page.unreadable.find((u) => u.file.endsWith('log.2'))!;
    assert.equal(untranslated(renderMessage(garbage.reason, marking)), '', 'a FileDamageError is worded for translation');
    assert.match(renderMessage(page.unreadable.find((u) => u.file.endsWith('missing.log'))!.reason), /ENOENT/, "a file system error keeps its own text");
  });
});
