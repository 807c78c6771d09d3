// The Find Big Znodes report as Markdown (shown in the preview, like Sessions and Holders): one
// table per criterion (most data, most children, largest subtrees by nodes and by bytes, ephemeral
// nodes per session), so each list is already sorted by what it is about; every node a link that
// opens it (the adapter says how), and how close each is to the limit that bites. Every server
// string (paths, sessions) is escaped. Domain layer: no 'vscode' here.
import type { BigZnodesReport } from './bigZnodes';
import { displayName } from './displayText';
import { english, localizable, type Translate } from './localize';
import { md, mdCode } from './markdown';

export interface BigZnodesReportInput {
  connection: string;
  report: BigZnodesReport;
  /** The URI a node's link opens (e.g. its zk: editor URI); undefined: the node is shown without a link. */
  linkOf?: (path: string) => string | undefined;
  /** Words the report (the adapter passes vscode.l10n.t; default English). */
  t?: Translate;
}

/** From this share of a limit on, a row says it is near the limit. */
export const NEAR_LIMIT = 0.8;

export const BIG_ZNODES_SECTIONS = {
  mostData: localizable('Most data'),
  mostChildren: localizable('Most children'),
  largestByNodes: localizable('Largest subtrees by node count'),
  largestByBytes: localizable('Largest subtrees by data bytes'),
  ephemerals: localizable('Ephemeral nodes per owner session'),
} as const;

export function formatBigZnodesReport(input: BigZnodesReportInput): string {
  const { report: r } = input;
  const t = input.t ?? english;
  const n = (v: number) => v.toLocaleString('en');
  const share = (ratio: number) => shareWith(ratio, t);
  const section = (lines: string[], title: string, empty: string | undefined, table: string[]) => addSection(lines, t(title), empty, table);
  const node = (path: string) => nodeLink(path, input.linkOf);
  const lines: string[] = [`# ${t('Big znodes under {0} on {1}', md(displayName(r.root)), md(displayName(input.connection)))}`, ''];
  lines.push(
    r.nodes === 1
      ? t('1 node, {0} bytes of data, walked in {1} ms (stats only; /zookeeper left out).', n(r.dataBytes), n(r.ms))
      : t('{0} nodes, {1} bytes of data, walked in {2} ms (stats only; /zookeeper left out).', n(r.nodes), n(r.dataBytes), n(r.ms)),
    '',
    t(
      "Limits: a node's data against {0} ({1} bytes: the server refuses a bigger write); a child list against {0} too (Java clients such as zkCli.sh and Curator refuse a bigger getChildren reply) and against this connection's {2} ({3} bytes).",
      mdCode('jute.maxbuffer'),
      n(r.limits.juteMaxBuffer),
      mdCode('maxReplyBytes'),
      n(r.limits.maxReplyBytes),
    ),
    '',
  );
  if (r.nodes === 0) {
    lines.push(t('Nothing was read: the node could not be read by this session.'), '');
  }

  section(lines, BIG_ZNODES_SECTIONS.mostData, r.mostData.length === 0 ? t('No node has data.') : undefined, [
    `| # | ${t('Node')} | ${t('Data bytes')} | ${t('Of jute.maxbuffer')} | ${t('Children')} |`,
    '|--:|---|--:|--:|--:|',
    ...r.mostData.map((x, i) => `| ${i + 1} | ${node(x.path)} | ${n(x.dataLength)} | ${share(x.ofMaxBuffer)} | ${n(x.numChildren)} |`),
  ]);
  section(lines, BIG_ZNODES_SECTIONS.mostChildren, r.mostChildren.length === 0 ? t('No node has children.') : undefined, [
    `| # | ${t('Node')} | ${t('Children')} | ${t('getChildren reply bytes')} | ${t('Of jute.maxbuffer (Java clients)')} | ${t('Of maxReplyBytes (this client)')} |`,
    '|--:|---|--:|--:|--:|--:|',
    ...r.mostChildren.map(
      (x, i) => `| ${i + 1} | ${node(x.path)} | ${n(x.numChildren)} | ${n(x.childListBytes)} | ${share(x.ofJavaClientLimit)} | ${share(x.ofReplyLimit)} |`,
    ),
  ]);
  const subtreeRows = (list: BigZnodesReport['largestByNodes']) => [
    `| # | ${t('Subtree')} | ${t('Nodes')} | ${t('Data bytes')} | ${t('Of the whole walk')} |`,
    '|--:|---|--:|--:|--:|',
    ...list.map((x, i) => `| ${i + 1} | ${node(x.path)} | ${n(x.nodes)} | ${n(x.dataBytes)} | ${t('{0} of nodes', percent(x.nodes / Math.max(1, r.nodes)))} |`),
  ];
  section(lines, BIG_ZNODES_SECTIONS.largestByNodes, r.largestByNodes.length === 0 ? t('No node below the root has children.') : undefined, subtreeRows(r.largestByNodes));
  section(lines, BIG_ZNODES_SECTIONS.largestByBytes, r.largestByBytes.length === 0 ? t('No subtree below the root has data.') : undefined, [
    `| # | ${t('Subtree')} | ${t('Data bytes')} | ${t('Nodes')} | ${t('Of the whole walk')} |`,
    '|--:|---|--:|--:|--:|',
    ...r.largestByBytes.map((x, i) => `| ${i + 1} | ${node(x.path)} | ${n(x.dataBytes)} | ${n(x.nodes)} | ${t('{0} of bytes', percent(x.dataBytes / Math.max(1, r.dataBytes)))} |`),
  ]);
  section(lines, BIG_ZNODES_SECTIONS.ephemerals, r.ephemeralsBySession.length === 0 ? t('No ephemeral node.') : undefined, [
    `| # | ${t('Owner session')} | ${t('Ephemeral nodes')} | ${t('Data bytes')} | ${t('Nodes')} |`,
    '|--:|---|--:|--:|---|',
    ...r.ephemeralsBySession.map((s, i) => {
      const more = s.count - s.paths.length;
      const paths = s.paths.map(node).join(', ') + (more > 0 ? t(', and {0} more', n(more)) : '');
      return `| ${i + 1} | ${mdCode(s.session)} | ${n(s.count)} | ${n(s.dataBytes)} | ${paths || '—'} |`;
    }),
  ]);
  if (r.unreadable.length > 0 || r.vanished > 0) {
    lines.push(`## ${t('Not counted')}`, '');
    if (r.unreadable.length > 0) {
      lines.push(
        r.unreadable.length === 1
          ? t('1 node this session may not read (NoAuth), with what is below them:')
          : t('{0} nodes this session may not read (NoAuth), with what is below them:', n(r.unreadable.length)),
        '',
      );
      for (const p of r.unreadable.slice(0, 100)) lines.push(`- ${node(p)}`);
      if (r.unreadable.length > 100) lines.push(`- ${t('and {0} more', n(r.unreadable.length - 100))}`);
      lines.push('');
    }
    if (r.vanished > 0) lines.push(r.vanished === 1 ? t('1 node was deleted while the walk ran.') : t('{0} nodes were deleted while the walk ran.', n(r.vanished)), '');
  }
  return lines.join('\n');
}

function addSection(lines: string[], title: string, empty: string | undefined, table: string[]): void {
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
  return shareWith(ratio, english);
}

function shareWith(ratio: number, t: Translate): string {
  const p = percent(ratio);
  if (ratio > 1) return `${p} **${t('over the limit')}**`;
  if (ratio >= NEAR_LIMIT) return `${p} **${t('near the limit')}**`;
  return p;
}

function percent(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio <= 0) return '0 %';
  const p = ratio * 100;
  return `${p < 0.1 ? '<0.1' : p < 10 ? p.toFixed(1) : Math.round(p).toLocaleString('en')} %`;
}
