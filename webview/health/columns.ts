// The figures the panel shows for each server, in the order they go into the server table from left
// to right: the core ones first (always in the table, or on the card), then the others by how much
// they are wanted when there is little room. Pure (no DOM): layout.ts plans with it, and it is
// unit-tested in Node. Widths are in em and must match the `.col-<id>` rules of media/health.css.
import { t } from './l10n';
import type { ServerRow } from '../../src/protocol/health';
import * as fmt from './format';

export type ColumnId =
  | 'server'
  | 'state'
  | 'role'
  | 'latencyAvg'
  | 'outstanding'
  | 'connections'
  | 'behind'
  | 'version'
  | 'uptime'
  | 'zxid'
  | 'znodes'
  | 'watches'
  | 'latency'
  | 'fds'
  | 'ephemerals'
  | 'dataSize'
  | 'leaderFigures'
  | 'source'
  | 'updated';

export interface Column {
  id: ColumnId;
  /**
   * Shown as the header and as the figure's label. Long words carry soft hyphens (U+00AD): a narrow
   * column breaks them with a hyphen instead of cutting them off.
   */
  title: string;
  /** Tooltip of the header (and of the figure's label in the details). */
  help?: string;
  /**
   * Width of the column in the table, in em, padding included. The server column takes whatever is
   * left over and never gets less than this.
   */
  widthEm: number;
  /**
   * A wider width for when the table has room to spare (layout.ts's `roomy`), taken before any
   * other column joins the table: the server's "host:port" on one line, and headers whose word is
   * hyphenated at `widthEm` with some fonts whole. (The server column gets it as what is left over.)
   */
  roomyEm?: number;
  /** In the table at every width where there is a table, and on the card itself. */
  core: boolean;
  /** Right-aligned figure. */
  numeric?: boolean;
  text: (r: ServerRow, now: number) => string;
}

export const COLUMNS: readonly Column[] = [
  { id: 'server', title: t('Server'), widthEm: 9, roomyEm: 12, core: true, text: (r) => r.label },
  { id: 'state', title: t('State'), widthEm: 5, core: true, text: (r) => fmt.reachText(r) },
  { id: 'role', title: t('Role'), widthEm: 5.5, core: true, text: (r) => r.role ?? '—' },
  { id: 'latencyAvg', title: t('Latency avg'), help: t('average request latency since the counters were last reset'), widthEm: 5.5, core: true, numeric: true, text: (r) => fmt.ms(r.latencyAvg) },
  { id: 'outstanding', title: t('Out­standing'), help: t('requests queued on the server'), widthEm: 7, roomyEm: 8, core: true, numeric: true, text: (r) => fmt.num(r.outstanding) },
  { id: 'connections', title: t('Con­nections'), help: t('client connections'), widthEm: 7, roomyEm: 8, core: true, numeric: true, text: (r) => fmt.num(r.connections) },
  { id: 'behind', title: t('Behind leader'), help: t('how far the server\'s zxid is behind the leader\'s'), widthEm: 6.5, core: true, text: (r) => (r.role === 'leader' ? '(leader)' : fmt.lag(r.behind)) },
  { id: 'version', title: t('Version'), widthEm: 5.5, core: false, text: (r) => r.version ?? (r.versionFull ? r.versionFull.slice(0, 24) : '—') },
  { id: 'uptime', title: t('Uptime'), widthEm: 6, core: false, text: (r) => fmt.duration(r.uptimeMs) },
  { id: 'zxid', title: t('Zxid'), widthEm: 8.5, core: false, text: (r) => r.zxid ?? '—' },
  { id: 'znodes', title: t('Znodes'), widthEm: 5.5, core: false, numeric: true, text: (r) => fmt.num(r.znodes) },
  { id: 'watches', title: t('Watches'), widthEm: 6, core: false, numeric: true, text: (r) => fmt.num(r.watches) },
  { id: 'latency', title: t('Latency min / avg / max'), help: t('ms, since the counters were last reset'), widthEm: 8, core: false, numeric: true, text: (r) => fmt.latency(r) },
  { id: 'fds', title: t('File de­scrip­tors'), help: t('open / max'), widthEm: 7.5, core: false, numeric: true, text: (r) => fmt.fds(r) },
  { id: 'ephemerals', title: t('Ephem­erals'), widthEm: 6.5, core: false, numeric: true, text: (r) => fmt.num(r.ephemerals) },
  { id: 'dataSize', title: t('Data size'), help: t('approximate size of all znode data'), widthEm: 6, core: false, numeric: true, text: (r) => fmt.bytes(r.approximateDataSize) },
  { id: 'leaderFigures', title: t('Learners / synced / pending'), help: t('on the leader: learners, synced followers, pending syncs'), widthEm: 8, core: false, text: (r) => fmt.leaderFigures(r) },
  { id: 'source', title: t('Source'), help: t('four-letter words or the AdminServer'), widthEm: 7.5, core: false, text: (r) => fmt.sourceText(r.source) },
  { id: 'updated', title: t('Updated'), help: t('when the server was last polled'), widthEm: 6, core: false, text: (r, now) => fmt.age(r.updatedAt, now) },
];

const BY_ID = new Map(COLUMNS.map((c) => [c.id, c]));

export function column(id: ColumnId): Column {
  return BY_ID.get(id)!;
}

/**
 * What the details of a server add to its figures that no column shows: the full version, where
 * the row comes from, the last good answer, how long the probe took, and what went wrong.
 */
export interface Extra {
  label: string;
  text: string;
  /** A problem: shown in the error colour. */
  problem?: boolean;
}

export function extras(r: ServerRow, now: number): Extra[] {
  const out: Extra[] = [];
  if (r.error) out.push({ label: r.reach === 'up' ? t('Problem') : t('Error'), text: r.error, problem: true });
  if (r.versionFull && r.versionFull !== r.version) out.push({ label: t('Full version'), text: r.versionFull });
  if (r.origin === 'membership') out.push({ label: t('Found through'), text: t('the ensemble\'s membership') });
  if (r.reach !== 'up' && r.lastOkAt !== undefined) out.push({ label: t('Last answered'), text: fmt.age(r.lastOkAt, now) });
  if (r.probeMs !== undefined) out.push({ label: t('Probe took'), text: fmt.ms(Math.round(r.probeMs)) });
  return out;
}
