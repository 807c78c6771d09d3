// The Find Big Znodes report as Markdown (shown in the preview, like Sessions and Holders): one
// table per criterion (most data, most children, largest subtrees by nodes and by bytes, ephemeral
// nodes per session), so each list is already sorted by what it is about; every node a link that
// opens it (the adapter says how), and how close each is to the limit that bites. Every server
// string (paths, sessions) is escaped. Domain layer: no 'vscode' here.
import type { BigZnodesReport } from './bigZnodes';
import { displayName } from './displayText';
import { md, mdCode } from './markdown';

export interface BigZnodesReportInput {
  connection: string;
  report: BigZnodesReport;
  /** The URI a node's link opens (e.g. its zk: editor URI); undefined: the node is shown without a link. */
  linkOf?: (path: string) => string | undefined;
}

/** From this share of a limit on, a row says it is near the limit. */
export const NEAR_LIMIT = 0.8;

export const BIG_ZNODES_SECTIONS = {
  mostData: 'Most data',
  mostChildren: 'Most children',
  largestByNodes: 'Largest subtrees by node count',
  largestByBytes: 'Largest subtrees by data bytes',
  ephemerals: 'Ephemeral nodes per owner session',
} as const;

export function formatBigZnodesReport(input: BigZnodesReportInput): string {
  const { report: r } = input;
  const n = (v: number) => v.toLocaleString('en');
  const node = (path: string) => nodeLink(path, input.linkOf);
  const lines: string[] = [`# Big znodes under ${md(displayName(r.root))} on ${md(displayName(input.connection))}`, ''];
  lines.push(
    `${n(r.nodes)} node${r.nodes === 1 ? '' : 's'}, ${n(r.dataBytes)} bytes of data, walked in ${n(r.ms)} ms (stats only; /zookeeper left out).`,
    '',
    `Limits: a node's data against ${mdCode('jute.maxbuffer')} (${n(r.limits.juteMaxBuffer)} bytes: the server refuses a bigger write); ` +
      `a child list against ${mdCode('jute.maxbuffer')} too (Java clients such as zkCli.sh and Curator refuse a bigger getChildren reply) ` +
      `and against this connection's ${mdCode('maxReplyBytes')} (${n(r.limits.maxReplyBytes)} bytes).`,
    '',
  );
  if (r.nodes === 0) {
    lines.push('Nothing was read: the node could not be read by this session.', '');
  }

  section(lines, BIG_ZNODES_SECTIONS.mostData, r.mostData.length === 0 ? 'No node has data.' : undefined, [
    '| # | Node | Data bytes | Of jute.maxbuffer | Children |',
    '|--:|---|--:|--:|--:|',
    ...r.mostData.map((x, i) => `| ${i + 1} | ${node(x.path)} | ${n(x.dataLength)} | ${share(x.ofMaxBuffer)} | ${n(x.numChildren)} |`),
  ]);
  section(lines, BIG_ZNODES_SECTIONS.mostChildren, r.mostChildren.length === 0 ? 'No node has children.' : undefined, [
    '| # | Node | Children | getChildren reply bytes | Of jute.maxbuffer (Java clients) | Of maxReplyBytes (this client) |',
    '|--:|---|--:|--:|--:|--:|',
    ...r.mostChildren.map(
      (x, i) => `| ${i + 1} | ${node(x.path)} | ${n(x.numChildren)} | ${n(x.childListBytes)} | ${share(x.ofJavaClientLimit)} | ${share(x.ofReplyLimit)} |`,
    ),
  ]);
  const subtreeRows = (list: BigZnodesReport['largestByNodes']) => [
    '| # | Subtree | Nodes | Data bytes | Of the whole walk |',
    '|--:|---|--:|--:|--:|',
    ...list.map((x, i) => `| ${i + 1} | ${node(x.path)} | ${n(x.nodes)} | ${n(x.dataBytes)} | ${percent(x.nodes / Math.max(1, r.nodes))} of nodes |`),
  ];
  section(lines, BIG_ZNODES_SECTIONS.largestByNodes, r.largestByNodes.length === 0 ? 'No node below the root has children.' : undefined, subtreeRows(r.largestByNodes));
  section(lines, BIG_ZNODES_SECTIONS.largestByBytes, r.largestByBytes.length === 0 ? 'No subtree below the root has data.' : undefined, [
    '| # | Subtree | Data bytes | Nodes | Of the whole walk |',
    '|--:|---|--:|--:|--:|',
    ...r.largestByBytes.map((x, i) => `| ${i + 1} | ${node(x.path)} | ${n(x.dataBytes)} | ${n(x.nodes)} | ${percent(x.dataBytes / Math.max(1, r.dataBytes))} of bytes |`),
  ]);
  section(lines, BIG_ZNODES_SECTIONS.ephemerals, r.ephemeralsBySession.length === 0 ? 'No ephemeral node.' : undefined, [
    '| # | Owner session | Ephemeral nodes | Data bytes | Nodes |',
    '|--:|---|--:|--:|---|',
    ...r.ephemeralsBySession.map((s, i) => {
      const more = s.count - s.paths.length;
      const paths = s.paths.map(node).join(', ') + (more > 0 ? `, and ${n(more)} more` : '');
      return `| ${i + 1} | ${mdCode(s.session)} | ${n(s.count)} | ${n(s.dataBytes)} | ${paths || '—'} |`;
    }),
  ]);
  if (r.unreadable.length > 0 || r.vanished > 0) {
    lines.push('## Not counted', '');
    if (r.unreadable.length > 0) {
      lines.push(`${n(r.unreadable.length)} node${r.unreadable.length === 1 ? '' : 's'} this session may not read (NoAuth), with what is below them:`, '');
      for (const p of r.unreadable.slice(0, 100)) lines.push(`- ${node(p)}`);
      if (r.unreadable.length > 100) lines.push(`- and ${n(r.unreadable.length - 100)} more`);
      lines.push('');
    }
    if (r.vanished > 0) lines.push(`${n(r.vanished)} node${r.vanished === 1 ? ' was' : 's were'} deleted while the walk ran.`, '');
  }
  return lines.join('\n');
}

function section(lines: string[], title: string, empty: string | undefined, table: string[]): void {
  lines.push(`## ${title}`, '');
  if (empty) lines.push(empty, '');
  else lines.push(...table, '');
}

/** A node as a link that opens it, its text escaped; a URI that could leave the link is not used. */
function nodeLink(path: string, linkOf: BigZnodesReportInput['linkOf']): string {
  const text = md(displayName(path));
  const uri = linkOf?.(path);
  if (!uri || /[\s<>\\]/.test(uri)) return text;
  return `[${text}](<${uri}>)`;
}

/** A share of a limit, with a word when it is near or over. */
export function share(ratio: number): string {
  const p = percent(ratio);
  if (ratio > 1) return `${p} **over the limit**`;
  if (ratio >= NEAR_LIMIT) return `${p} **near the limit**`;
  return p;
}

function percent(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio <= 0) return '0 %';
  const p = ratio * 100;
  return `${p < 0.1 ? '<0.1' : p < 10 ? p.toFixed(1) : Math.round(p).toLocaleString('en')} %`;
}
