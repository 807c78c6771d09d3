// The one Markdown escaper, checked by rendering: hostile strings from servers, settings and sockets
// go through a real Markdown renderer (markdown-it, with HTML and bare-URL links switched on, so that
// anything the escaper let through would show) and must come out as their own text, in their cell.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { md, mdCode } from '../../src/zk/markdown';
import { formatNodeDetails } from '../../src/zk/nodeDetails';
import { connectionTooltip } from '../../src/connections/connectionStatusBar';
import type { ZnodeStat } from '../../src/zk/stat';

// markdown-it ships with the dev tools (vsce) and has no types of its own here.
const MarkdownIt = require('markdown-it') as new (o: object) => { render(s: string): string };
const renderer = new MarkdownIt({ html: true, linkify: true });
const render = (s: string) => renderer.render(s);

const HOSTILE = [
  'a\n\n[x](command:zookeeper.deleteNode?%5B%22%2F%22%5D)',
  'cell\n| injected | row |\n',
  'x | y',
  '`tick` and `` double',
  '<img src=x onerror=alert(1)>',
  '![img](https://evil.example/x.png)',
  '$(alert) theme icon',
  'https://evil.example/steal and www.evil.example',
  '# heading\r\n- list\u2028> quote',
  '[x]: https://evil.example "reference"',
  'a\\',
];

/** The text of rendered HTML: tags dropped, entities decoded. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
}

function assertInert(html: string, what: string, blocksAllowed = false): void {
  assert.doesNotMatch(html, /<a[\s>]/, `${what}: no link in ${html}`);
  assert.doesNotMatch(html, /<img/, `${what}: no image in ${html}`);
  if (!blocksAllowed) assert.doesNotMatch(html, /<(h\d|ul|ol|blockquote|hr)[\s>]/, `${what}: no block in ${html}`);
}

const blocks = (html: string) => (html.match(/<(h\d|ul|ol|blockquote|hr|table|p)[\s>]/g) ?? []).join(' ');

describe('Markdown escaping of outside text', () => {
  for (const s of HOSTILE) {
    const expected = s.replace(/[\u0000-\u001f\u2028\u2029]+/g, ' ');

    it(`md() keeps ${JSON.stringify(s)} as text inside one table cell`, () => {
      const html = render(`| k | v |\n|---|---|\n| name | ${md(s)} |\n`);
      assertInert(html, 'md');
      assert.equal((html.match(/<tr>/g) ?? []).length, 2, `one header and one body row: ${html}`);
      const cell = /<td>name<\/td>\s*<td>([\s\S]*?)<\/td>/.exec(html)?.[1] ?? '';
      assert.equal(textOf(cell), expected.trim());
    });

    it(`md() keeps ${JSON.stringify(s)} as text in a paragraph`, () => {
      const html = render(`**${md(s)}** — state\n\n${md(s)}`);
      assertInert(html, 'md');
      assert.equal((html.match(/<p>/g) ?? []).length, 2, html);
    });

    it(`mdCode() keeps ${JSON.stringify(s)} inside one code span in one cell`, () => {
      const html = render(`| k | v |\n|---|---|\n| id | ${mdCode(s)} |\n`);
      assertInert(html, 'mdCode');
      assert.equal((html.match(/<tr>/g) ?? []).length, 2, html);
      assert.equal((html.match(/<code>/g) ?? []).length, 1, html);
    });
  }

  it('escapes the theme icon syntax of VS Code', () => {
    assert.ok(md('$(alert)').startsWith('\\$\\('));
  });

  const stat: ZnodeStat = {
    czxid: '0x1', mzxid: '0x1', pzxid: '0x1', ctime: new Date(0), mtime: new Date(0),
    version: 0, cversion: 0, aversion: 0, ephemeralOwner: '0x0', dataLength: 0, numChildren: 0,
  };

  it('Node Details: a server string with a newline cannot leave the ACL table or become a link', () => {
    const details = (scheme: string, id: string) => render(formatNodeDetails({ connection: 'c', path: '/p', stat, acl: [{ scheme, id, perms: 1 }] }));
    const html = details('x\n\n[click](command:zookeeper.deleteNode)', 'id`\n| evil | row | [y](https://evil.example) |\n\n# Title');
    assertInert(html, 'node details', true);
    assert.equal(blocks(html), blocks(details('digest', 'alice:x')), 'the same blocks as for a harmless ACL');
    const aclTable = html.slice(html.indexOf('<h2>ACL'));
    assert.equal((aclTable.match(/<tr>/g) ?? []).length, 2, aclTable);
  });

  it('status bar tooltip: a hostile connection name and socket error text stay text', () => {
    const html = render(connectionTooltip('prod\n\n[x](command:zookeeper.removeConnection)', 'reconnecting', true, 'read ECONNRESET <img src=x> ![i](http://e/x.png)\n# big'));
    assertInert(html, 'tooltip');
    assert.match(textOf(html), /ZooKeeper prod \[x\]\(command:zookeeper\.removeConnection\) — reconnecting/);
  });
});
