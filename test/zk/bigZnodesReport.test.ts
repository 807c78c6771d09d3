// The Find Big Znodes report as Markdown: one table per criterion in the report's order, links that
// open the nodes, the share of each limit with a word near and over it, hostile paths escaped.
import * as assert from 'node:assert/strict';
import type { BigZnodesReport } from '../../src/zk/bigZnodes';
import { BIG_ZNODES_SECTIONS, formatBigZnodesReport, share } from '../../src/zk/bigZnodesReport';
import { JUTE_MAXBUFFER } from '../../src/zk/wire/frames';

function report(over: Partial<BigZnodesReport> = {}): BigZnodesReport {
  return {
    root: '/app',
    nodes: 20_004,
    dataBytes: 1_000_000,
    limits: { juteMaxBuffer: JUTE_MAXBUFFER, maxReplyBytes: 4 * 1024 * 1024 },
    mostData: [
      { path: '/app/config', dataLength: 900_000, numChildren: 0, ofMaxBuffer: 900_000 / JUTE_MAXBUFFER },
      { path: '/app/small', dataLength: 5, numChildren: 0, ofMaxBuffer: 5 / JUTE_MAXBUFFER },
    ],
    mostChildren: [
      { path: '/app/huge', dataLength: 0, numChildren: 20_000, ofMaxBuffer: 0, childListBytes: 1_200_000, ofJavaClientLimit: 1_200_000 / JUTE_MAXBUFFER, ofReplyLimit: 1_200_000 / (4 * 1024 * 1024) },
      { path: '/app', dataLength: 10, numChildren: 3, ofMaxBuffer: 0, childListBytes: 120, ofJavaClientLimit: 120 / JUTE_MAXBUFFER, ofReplyLimit: 0 },
    ],
    largestByNodes: [{ path: '/app/huge', nodes: 20_001, dataBytes: 0 }],
    largestByBytes: [{ path: '/app/config', nodes: 1, dataBytes: 900_000 }],
    ephemeralsBySession: [{ session: '0x100', count: 12, dataBytes: 3, paths: ['/app/locks/lock-1', '/app/locks/lock-2'] }],
    unreadable: ['/app/secret'],
    vanished: 1,
    ms: 42,
    ...over,
  };
}

const link = (path: string) => `zk://prod${path}`;

describe('formatBigZnodesReport', () => {
  it('has one table per criterion, in order, each sorted as the report gives it', () => {
    const text = formatBigZnodesReport({ connection: 'prod', report: report(), linkOf: link });
    const at = Object.values(BIG_ZNODES_SECTIONS).map((title) => text.indexOf(`## ${title}\n`));
    assert.ok(at.every((i) => i > 0), `every section is there: ${JSON.stringify(at)}`);
    assert.deepEqual([...at].sort((a, b) => a - b), at);
    const children = text.slice(at[1], at[2]);
    const rows = children.split('\n').filter((l) => /^\| \d/.test(l));
    assert.equal(rows.length, 2);
    assert.match(rows[0], /^\| 1 \| \[\/app\/huge\]\(<zk:\/\/prod\/app\/huge>\) \| 20,000 \| 1,200,000 \| 114 % \*\*over the limit\*\* \| 29 % \|$/);
  });

  it('words its headings, columns and sentences through the Translate it is given; paths and numbers stay as they are', () => {
    const t = (m: string, ...args: (string | number | boolean)[]) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))}»`;
    const text = formatBigZnodesReport({ connection: 'prod', report: report(), linkOf: link, t });
    assert.ok(text.startsWith('# «Big znodes under /app on prod»\n'), text.slice(0, 80));
    for (const title of Object.values(BIG_ZNODES_SECTIONS)) assert.ok(text.includes(`## «${title}»\n`), title);
    assert.match(text, /\| # \| «Node» \| «Children» \| «getChildren reply bytes» \|/);
    assert.match(text, /\| 114 % \*\*«over the limit»\*\* \|/);
    assert.doesNotMatch(text.replace(/«[^»]*»/g, ''), /[a-z]{4,} [a-z]{4,}/i, 'no English sentence outside the translated parts');
  });

  it('says how close each node is to jute.maxbuffer', () => {
    const text = formatBigZnodesReport({ connection: 'prod', report: report(), linkOf: link });
    assert.match(text, /\| 1 \| \[\/app\/config\]\(<zk:\/\/prod\/app\/config>\) \| 900,000 \| 86 % \*\*near the limit\*\* \| 0 \|/);
    assert.match(text, /\| 2 \| .*\/app\/small.* \| 5 \| <0\.1 % \| 0 \|/);
    assert.match(text, /jute\.maxbuffer` \(1,048,575 bytes/);
    assert.match(text, /`maxReplyBytes` \(4,194,304 bytes\)/);
  });

  it('lists ephemeral nodes per session with the rest counted, and what was not counted', () => {
    const text = formatBigZnodesReport({ connection: 'prod', report: report(), linkOf: link });
    assert.match(text, /\| 1 \| `0x100` \| 12 \| 3 \| \[.*lock\\-1\]\(<zk:\/\/prod\/app\/locks\/lock-1>\), \[.*lock\\-2\].*, and 10 more \|/);
    assert.match(text, /## Not counted[\s\S]*1 node this session may not read[\s\S]*\/app\/secret[\s\S]*1 node was deleted while the walk ran/);
  });

  it('escapes hostile paths and drops a link that could leave its brackets', () => {
    const hostile = '/app/x|y](evil)\n# h';
    const text = formatBigZnodesReport({
      connection: 'p|rod',
      report: report({ mostData: [{ path: hostile, dataLength: 1, numChildren: 0, ofMaxBuffer: 0 }] }),
      linkOf: (p) => (p === hostile ? 'zk://prod/a b>' : link(p)),
    });
    const row = text.split('\n').find((l) => l.includes('x\\|y'));
    assert.ok(row, text);
    assert.equal(row.split(/(?<!\\)\|/).length, 7, `the row keeps its cells: ${row}`);
    assert.ok(!row.includes('](<'), `no link with a bad URI: ${row}`);
    assert.ok(!/^# h/m.test(text), 'a newline in a path starts no heading');
    assert.match(text, /^# Big znodes under \/app on p\\\|rod$/m);
  });

  it('says when a list is empty instead of an empty table', () => {
    const text = formatBigZnodesReport({ connection: 'prod', report: report({ mostData: [], ephemeralsBySession: [], unreadable: [], vanished: 0 }) });
    assert.match(text, /## Most data\n\nNo node has data\./);
    assert.match(text, /## Ephemeral nodes per owner session\n\nNo ephemeral node\./);
    assert.ok(!text.includes('Not counted'));
    assert.ok(!text.includes(']('), 'no links without linkOf');
  });

  it('share marks near (from 80 %) and over the limit', () => {
    assert.equal(share(0.5), '50 %');
    assert.equal(share(0.8), '80 % **near the limit**');
    assert.equal(share(1.5), '150 % **over the limit**');
    assert.equal(share(0.05), '5.0 %');
  });
});
