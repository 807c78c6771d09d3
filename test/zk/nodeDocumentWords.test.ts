// Why a znode opens read-only or as a hex dump, in the user's language: the reasons and the dump's
// banner go through the document's Translate (a marking one here), the dump's columns and the data
// (path, sizes, offsets) stay as they are, and the English output stays exactly what it was.
import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { hexDump } from '../../src/zk/codecs';
import type { Translate } from '../../src/zk/localize';
import { NodeDocument, contentText } from '../../src/zk/nodeDocument';
import { renderMessage, type Message } from '../../src/zk/message';
import { decodeAs, encodeAs, gunzipBounded, gzipVerified } from '../../src/zk/textEncodings';
import { FakeDocumentClient } from './fakeDocumentClient';
import { marking, untranslated } from './markingTranslate';

async function open(c: FakeDocumentClient, path: string, encoding?: string, t?: Translate) {
  const doc = new NodeDocument('local', path, 'text', Date.now, encoding, t);
  const snap = await doc.read(c);
  doc.adopt(snap);
  return { doc, snap, text: contentText(snap.content) };
}

/** The dump's banner lines without their "# " (the rest of the content is the hex dump). */
function bannerLines(text: string): string[] {
  const lines = text.split('\n');
  const banner = lines.slice(0, lines.indexOf(''));
  for (const l of banner) assert.match(l, /^# /, l);
  return banner.map((l) => l.slice(2));
}

const localizedOf = (f: () => unknown): Message => {
  try {
    f();
  } catch (e) {
    const m = (e as { localized?: Message }).localized;
    assert.ok(m, `no Message on ${String(e)}`);
    return m;
  }
  assert.fail('did not throw');
};

describe("NodeDocument: why a node opens read-only or as a hex dump, in the user's language", () => {
  const cases: [string, Uint8Array, string?][] = [
    ['/bin', Uint8Array.of(0x61, 0xff, 0x00)],
    ['/nul', Uint8Array.of(0x61, 0x00, 0x62)],
    ['/cr', Buffer.from('a\rb')],
    ['/mixed', Buffer.from('a\r\nb\nc')],
    ['/gzbin', gzipSync(Buffer.from([0, 1, 2, 0xff]))],
    ['/gzbad', Uint8Array.from([...gzipSync(Buffer.from('some text here')).subarray(0, 12), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
    ['/enc', Buffer.from('abc'), 'x-unknown'],
    ['/sjis-bad', Uint8Array.of(0x93), 'shift_jis'],
  ];

  it('the English banner and reason are exactly as before', async () => {
    const c = new FakeDocumentClient();
    c.put('/bin', Uint8Array.of(0x61, 0xff, 0x00));
    const { snap, text } = await open(c, '/bin');
    assert.equal(
      text,
      '# /bin: 3 bytes, shown as a read-only hex dump: the data is not valid UTF-8 (first invalid byte 0xff at offset 1).\n' +
        '# If it is text in another encoding (e.g. windows-1252), run "ZooKeeper: Reopen with Encoding…".\n' +
        '# To change it, run "ZooKeeper: Edit as Base64" or "ZooKeeper: Edit as Hex": they save exactly the bytes you enter.\n\n' +
        hexDump(Uint8Array.of(0x61, 0xff, 0x00)),
    );
    assert.equal(snap.readOnlyReason, 'it is not text: the data is not valid UTF-8 (first invalid byte 0xff at offset 1)');
    c.put('/gzbin', gzipSync(Buffer.from([0, 1, 2, 0xff])));
    const gz = await open(c, '/gzbin');
    assert.deepEqual(bannerLines(gz.text), [
      `/gzbin: ${c.nodes.get('/gzbin')!.data.byteLength} bytes of gzip, 4 bytes decompressed, shown as a read-only hex dump of the decompressed bytes: it is gzip-compressed data that is not text once decompressed (the data is not valid UTF-8 (first invalid byte 0xff at offset 3)).`,
      'To change it, run "ZooKeeper: Edit as Base64" or "ZooKeeper: Edit as Hex" (they show the compressed bytes).',
    ]);
  });

  it('every banner line and every reason goes through the Translate; the hex columns do not', async () => {
    const c = new FakeDocumentClient();
    for (const [path, data, encoding] of cases) {
      c.put(path, data);
      const { snap, text } = await open(c, path, encoding, marking);
      const banner = bannerLines(text);
      assert.ok(banner.length >= 2, `${path}: ${text}`);
      for (const line of banner) assert.equal(untranslated(line), '', `${path}: ${line}`);
      assert.ok(snap.readOnlyReason, path);
      assert.equal(untranslated(snap.readOnlyReason), '', `${path}: ${snap.readOnlyReason}`);
      assert.ok(banner[0].startsWith(`«${path}: `), banner[0]); // the path is data, inside the sentence
      assert.match(text.slice(text.indexOf('\n\n') + 2), /^00000000  [0-9a-f ]+\|/, path);
    }
    // The command names in the banner are the translated titles.
    const { text } = await open(c, '/bin', undefined, marking);
    assert.match(text, /«Reopen with Encoding…»/);
    assert.match(text, /«Edit as Base64».*«Edit as Hex»/);
  });

  it('text views that stay read-only (an encoding without encoder, NULs once decoded) say why through the Translate', async () => {
    const c = new FakeDocumentClient();
    c.put('/sjis', Uint8Array.of(0x93, 0xfa, 0x96, 0x7b));
    c.put('/cp', Uint8Array.of(0x61, 0x00, 0x62));
    const sjis = await open(c, '/sjis', 'shift_jis', marking);
    assert.equal(sjis.text, '日本');
    assert.equal(sjis.snap.readOnlyReason, '«it is shift_jis: «this extension can decode this encoding but has no encoder for it; use Edit as Base64/Hex to change the bytes»»');
    const cp = await open(c, '/cp', 'windows-1252', marking);
    assert.equal(untranslated(cp.snap.readOnlyReason!), '', cp.snap.readOnlyReason);
    assert.match(cp.snap.readOnlyReason!, /^«as windows-1252 text, «the data contains a NUL byte \(offset 1\)/);
  });

  it('the encodings and gzip say what went wrong as Messages', () => {
    const messages = [
      localizedOf(() => decodeAs(Uint8Array.of(0x93), 'shift_jis')),
      localizedOf(() => decodeAs(Uint8Array.of(0x93, 0x20, 0x80, 0x80), 'shift_jis')),
      localizedOf(() => encodeAs('5 ₽', 'windows-1252')),
      localizedOf(() => encodeAs('x', 'shift_jis')),
      localizedOf(() => encodeAs('x', 'x-unknown')),
      localizedOf(() => gunzipBounded(gzipSync(Buffer.alloc(100, 0x61)), 10)),
      localizedOf(() => gunzipBounded(Uint8Array.of(0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8))),
    ];
    for (const m of messages) {
      const text = renderMessage(m, marking);
      assert.match(text, /^«/, text);
      assert.equal(untranslated(text), '', text);
    }
    assert.equal(renderMessage(messages[2]), 'the text has "₽" (U+20BD) at character 3, which windows-1252 cannot hold');
    assert.ok(gzipVerified(Buffer.from('ok')).byteLength > 0);
  });
});
