// Unit tests of the watch log's line formatter and data previews.
import * as assert from 'node:assert/strict';
import { formatWatchEvent, previewChange, previewOne, type ChangeEvent, type DataHead } from '../../../src/zk/watches';

const T = Date.UTC(2024, 0, 2, 3, 4, 5, 67);
const head = (s: string | Uint8Array, keep = 512): DataHead => {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s);
  return { head: new Uint8Array(b.subarray(0, keep)), size: b.length };
};
const ev = (fields: Partial<ChangeEvent>): ChangeEvent => ({ kind: 'change', time: T, connection: 'prod', type: 'dataChanged', path: '/app/config', ...fields });
const fmt = (e: Parameters<typeof formatWatchEvent>[0]) => formatWatchEvent(e, { utc: true });

describe('watch log formatter', () => {
  it("words its fixed parts through the Translate it is given: labels, details, the catch-up cause", () => {
    const zh: Record<string, string> = {
      'data changed': '数据已更改',
      created: '已创建',
      '{0} since last event (coalesced)': '自上次事件以来 {0}（已合并）',
      '{0} changes': '{0} 次更改',
      'ephemeral, session {0}': '临时节点，会话 {0}',
      'while disconnected': '断开连接期间',
    };
    const t = (m: string, ...args: (string | number | boolean)[]) => (zh[m] ?? `?${m}?`).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
    assert.equal(
      formatWatchEvent(ev({ prevVersion: 7, version: 10, changes: 3, before: head('x'), after: head('x'), catchUp: 'reconnect' }), { utc: true, t }),
      '03:04:05.067 [prod] 数据已更改 /app/config · v7→v10 · 自上次事件以来 3 次更改（已合并） · 1 B · "x" → "x" [断开连接期间]',
    );
    assert.equal(
      formatWatchEvent(ev({ type: 'created', path: '/e/n', version: 0, ephemeralOwner: '0x1' }), { utc: true, t }),
      '03:04:05.067 [prod] 已创建 /e/n · v0 · 临时节点，会话 0x1',
    );
  });

  it('data changed: versions, size, before → after', () => {
    assert.equal(
      fmt(ev({ prevVersion: 7, version: 8, changes: 1, before: head('a=1'), after: head('a=2') })),
      '03:04:05.067 [prod] data changed /app/config · v7→v8 · 3 B · "a=1" → "a=2"',
    );
  });

  it('says how many changes a coalesced line stands for', () => {
    const line = fmt(ev({ prevVersion: 7, version: 10, changes: 3, before: head('x'), after: head('xyz') }));
    assert.match(line, /v7→v10 · 3 changes since last event \(coalesced\) · 1 B→3 B · "x" → "xyz"/);
  });

  it('created with data, children and the ephemeral owner', () => {
    assert.equal(
      fmt(ev({ type: 'created', path: '/election/n_0000000003', version: 0, after: head('broker-1'), numChildren: 0, ephemeralOwner: '0x100000a2b3c0001' })),
      '03:04:05.067 [prod] created /election/n_0000000003 · v0 · 8 B · "broker-1" · ephemeral, session 0x100000a2b3c0001',
    );
  });

  it('deleted says what the node was', () => {
    assert.equal(fmt(ev({ type: 'deleted', prevVersion: 3, before: head('') })), '03:04:05.067 [prod] deleted /app/config · was v3 · 0 B · empty');
    assert.equal(fmt(ev({ type: 'deleted' })), '03:04:05.067 [prod] deleted /app/config');
  });

  it('children changed: names added and removed, with owners, and the count', () => {
    const line = fmt(
      ev({
        type: 'childrenChanged',
        prevVersion: 4,
        version: 6,
        changes: 2,
        added: ['b'],
        removed: ['a'],
        addedCount: 1,
        removedCount: 1,
        addedOwners: { b: '0x1234' },
        numChildren: 3,
        prevNumChildren: 3,
      }),
    );
    assert.equal(line, '03:04:05.067 [prod] children changed /app/config · +1 -1 · added: b (session 0x1234) · removed: a · 3 children');
  });

  it('children changed: long lists are cut with a count, unexplained changes are reported', () => {
    const line = fmt(
      ev({ type: 'childrenChanged', prevVersion: 0, version: 12, changes: 12, added: ['a', 'b', 'c', 'd', 'e'], addedCount: 8, removed: [], removedCount: 0, numChildren: 8, prevNumChildren: 0 }),
    );
    assert.match(line, /\+8 -0 · added: a, b, c, d, e, … 3 more · 4 more changes in between \(created and deleted again, coalesced\) · 0→8 children/);
  });

  it('marks lines found after a disconnect', () => {
    assert.match(fmt(ev({ prevVersion: 1, version: 2, changes: 1, catchUp: 'sessionExpired' })), / \[while disconnected \(session expired\)\]$/);
    assert.match(fmt(ev({ prevVersion: 1, version: 2, changes: 1, catchUp: 'reconnect' })), / \[while disconnected\]$/);
  });

  it('first change seen on a node of a large subtree', () => {
    assert.match(fmt(ev({ version: 9, changes: 2, firstSeen: true, after: head('z') })), /data changed \/app\/config · now v9 · 2 changes notified; earlier versions not seen · 1 B · "z"/);
  });

  it('never spans lines: hostile paths, connection names and data are escaped', () => {
    const line = fmt(ev({ connection: 'a\nb', path: '/x\ny', type: 'created', version: 0, after: head('line1\nline2\u0007"q"') }));
    assert.equal(line.split('\n').length, 1);
    assert.match(line, /\["a\\nb"\] created "\/x\\ny" · v0 · 15 B · "line1\\nline2\\u0007\\"q\\""/);
  });

  it('notices', () => {
    assert.equal(
      formatWatchEvent({ kind: 'notice', time: T, connection: 'prod', level: 'info', path: '/a', message: 'watching subtree\nnext' }, { utc: true }),
      '03:04:05.067 [prod] /a: watching subtree ⏎ next',
    );
  });
});

describe('data previews', () => {
  it('binary data is named, with its first bytes in hex', () => {
    assert.equal(previewOne(head(new Uint8Array([0, 1, 2, 0xff, 0xfe, 0, 0, 0, 9, 9]))), 'binary 000102fffe000000…');
  });

  it('long text is cut with an ellipsis', () => {
    assert.equal(previewOne(head('x'.repeat(100)), { width: 10 }), '"xxxxxxxxxx"…');
  });

  it('text kept only in part says so', () => {
    const d = head('y'.repeat(1000), 20);
    assert.equal(previewOne(d, { width: 40 }), `"${'y'.repeat(20)}"…`);
  });

  it('a change deep inside long text is shown around the first difference', () => {
    const base = '{"cluster":"kafka-prod","brokers":[1,2,3],"controller":';
    const p = previewChange(head(base + '1,"epoch":41}'), head(base + '2,"epoch":42}'), { width: 24, context: 8 });
    assert.equal(p, '…"roller\\":1,\\"epoch\\":41}" → …"roller\\":2,\\"epoch\\":42}"');
  });

  it('short values are shown whole', () => {
    assert.equal(previewChange(head('on'), head('off')), '"on" → "off"');
    assert.equal(previewChange(head(''), head('x')), 'empty → "x"');
  });

  it('values that differ only beyond the kept start say so', () => {
    const a = head('a'.repeat(600) + 'X', 512);
    const b = head('a'.repeat(600) + 'Y', 512);
    assert.match(previewChange(a, b, { width: 10 }), /differs after the first 512 characters/);
  });

  it('a multi-byte character cut at the end of the kept start is not binary', () => {
    const d = head('é'.repeat(300), 511); // 511 bytes: the last character is cut in half
    assert.match(previewOne(d, { width: 5 }), /^"ééééé"…$/);
  });

  it('a change found against a saved state (sizes and digests only): no before excerpt', () => {
    const saved = (size: number, digest: string): DataHead => ({ head: new Uint8Array(0), size, digest, sizeOnly: true });
    const after = { ...head('v3'), digest: 'bb' };
    assert.equal(
      fmt(ev({ prevVersion: 1, version: 2, changes: 1, before: saved(12, 'aa'), after, catchUp: 'restored' })),
      '03:04:05.067 [prod] data changed /app/config · v1→v2 · 12 → 2 bytes · now "v3" [while VS Code was not watching]',
    );
    assert.match(fmt(ev({ prevVersion: 1, version: 2, before: saved(2, 'bb'), after, catchUp: 'restored' })), /· 2 → 2 bytes · the same bytes as before \[/);
    assert.equal(
      fmt(ev({ type: 'deleted', prevVersion: 0, before: saved(3, 'cc'), catchUp: 'restored' })),
      '03:04:05.067 [prod] deleted /app/config · was v0 · 3 B [while VS Code was not watching]',
    );
  });
});
