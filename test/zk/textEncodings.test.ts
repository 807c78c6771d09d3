// Text in other encodings and gzip-compressed data: shown as text only when it comes back byte for byte.
import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { NodeDocument } from '../../src/zk/nodeDocument';
import { decodeAs, encodeAs, gunzipBounded, gzipVerified, isGzip, TEXT_ENCODINGS } from '../../src/zk/textEncodings';
import { FakeDocumentClient } from './fakeDocumentClient';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const str = (b: Uint8Array) => Buffer.from(b).toString('utf8');
// "café = 5 €\n" in windows-1252: é = 0xE9, € = 0x80 (not valid UTF-8).
const CP1252 = Uint8Array.from([...Buffer.from('caf'), 0xe9, ...Buffer.from(' = 5 '), 0x80, 0x0a]);

async function open(c: FakeDocumentClient, path: string, encoding?: string) {
  const doc = new NodeDocument('local', path, 'text', Date.now, encoding);
  const snap = await doc.read(c);
  doc.adopt(snap);
  return { doc, snap };
}

describe('textEncodings', () => {
  it('decodes windows-1252 and encodes it back byte for byte', () => {
    assert.equal(decodeAs(CP1252, 'windows-1252'), 'café = 5 €\n');
    assert.deepEqual(encodeAs('café = 5 €\n', 'windows-1252'), CP1252);
    // Every character a writable single-byte encoding defines comes back as the same byte.
    for (const e of TEXT_ENCODINGS.filter((x) => !x.readOnlyReason && !x.id.startsWith('utf-16'))) {
      const defined = Uint8Array.from({ length: 256 }, (_, i) => i).filter((b) => {
        try {
          decodeAs(Uint8Array.of(b), e.id);
          return true;
        } catch {
          return false;
        }
      });
      assert.ok(defined.length >= 240, `${e.id} defines most bytes`);
      assert.deepEqual(encodeAs(decodeAs(defined, e.id), e.id), defined, e.id);
    }
    assert.equal(decodeAs(encodeAs('Ünïcødé 😀', 'utf-16le'), 'utf-16le'), 'Ünïcødé 😀');
    assert.deepEqual(encodeAs('Aé', 'utf-16be'), Uint8Array.from([0x00, 0x41, 0x00, 0xe9]));
  });

  it('refuses a character the encoding cannot hold, and bytes it cannot decode, saying where', () => {
    assert.throws(() => encodeAs('price: 5 ₽', 'windows-1252'), /the text has "₽" \(U\+20BD\) at character 10, which windows-1252 cannot hold/);
    assert.throws(() => decodeAs(Uint8Array.from([0x41, 0x81, 0x20]), 'shift_jis'), /not valid shift_jis \(first invalid byte/);
    assert.throws(() => encodeAs('x', 'shift_jis'), /cannot save in shift_jis: .*no encoder/);
  });

  it('gzip: bounded decompression and a verified recompression', () => {
    const packed = gzipSync(Buffer.from('hello\n'));
    assert.ok(isGzip(packed));
    assert.equal(str(gunzipBounded(packed)), 'hello\n');
    assert.throws(() => gunzipBounded(gzipSync(Buffer.alloc(100_000)), 1000), /decompresses to more than 1,000 bytes/);
    assert.throws(() => gunzipBounded(Uint8Array.from([...packed.subarray(0, 12), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])), /does not decompress/);
    assert.equal(str(gunzipBounded(gzipVerified(utf8('round trip')))), 'round trip');
  });
});

describe('NodeDocument: other encodings and gzip', () => {
  it('a cp1252 node: a dump suggesting Reopen with Encoding; with windows-1252 it is text and saves back in windows-1252', async () => {
    const c = new FakeDocumentClient();
    c.put('/app.properties', CP1252);
    const plain = await open(c, '/app.properties');
    assert.ok(plain.snap.readOnlyReason);
    assert.match(str(plain.snap.content), /Reopen with Encoding/);
    const { doc, snap } = await open(c, '/app.properties', 'windows-1252');
    assert.equal(snap.readOnlyReason, undefined);
    assert.equal(str(snap.content), 'café = 5 €\n');
    const out = await doc.commit(c, doc.prepare(utf8('café = 6 €\n'), c), doc.plan()!.version);
    assert.equal(out.kind, 'saved');
    assert.deepEqual(c.nodes.get('/app.properties')!.data, Uint8Array.from([...CP1252.subarray(0, 7), 0x36, 0x20, 0x80, 0x0a]));
    assert.throws(() => doc.prepare(utf8('5 ₽'), c), /not saved: the text has "₽".*cannot hold\. Nothing was written/);
  });

  it('a multi-byte legacy encoding opens read-only with the reason', async () => {
    const c = new FakeDocumentClient();
    c.put('/sjis', Uint8Array.from([0x93, 0xfa, 0x96, 0x7b])); // 日本
    const { doc, snap } = await open(c, '/sjis', 'shift_jis');
    assert.equal(str(snap.content), '日本');
    assert.match(snap.readOnlyReason!, /it is shift_jis: .*no encoder/);
    assert.throws(() => doc.prepare(utf8('日本語'), c), /read-only because it is shift_jis/);
  });

  it('a gzip node shows its decompressed text; an edit is written compressed', async () => {
    const c = new FakeDocumentClient();
    c.put('/gz', new Uint8Array(gzipSync(Buffer.from('{"compressed": true}\n'))));
    const { doc, snap } = await open(c, '/gz');
    assert.equal(snap.readOnlyReason, undefined);
    assert.equal(str(snap.content), '{"compressed": true}\n');
    const out = await doc.commit(c, doc.prepare(utf8('{"compressed": "yes"}\n'), c), doc.plan()!.version);
    assert.equal(out.kind, 'saved');
    const stored = c.nodes.get('/gz')!.data;
    assert.ok(isGzip(stored));
    assert.equal(str(gunzipBounded(stored)), '{"compressed": "yes"}\n');
    assert.equal(str(doc.lastRead!.content), '{"compressed": "yes"}\n', 'the editor keeps showing text');
  });

  it('gzip that is binary once decompressed, or a bomb, stays a read-only dump', async () => {
    const c = new FakeDocumentClient();
    c.put('/gzbin', new Uint8Array(gzipSync(Buffer.from([0, 1, 2, 0xff]))));
    const bin = await open(c, '/gzbin');
    assert.match(bin.snap.readOnlyReason!, /gzip-compressed data that is not text once decompressed/);
    c.put('/bomb', new Uint8Array(gzipSync(Buffer.alloc(17 * 1024 * 1024, 0x61))));
    const bomb = await open(c, '/bomb');
    assert.match(bomb.snap.readOnlyReason!, /decompresses to more than 16,777,216 bytes/);
  });
});
