// The per-server table: one row per server, updated in place (rows are keyed, cells keep focus and
// selection); every value is set with textContent.
import type { ServerRow } from '../../src/protocol/health';
import { dataGrid, dataGridCell, dataGridRow } from '../toolkit';
import { setAttr, setText } from './dom';
import * as fmt from './format';

interface Column {
  title: string;
  /** Tooltip of the header. */
  help?: string;
  width: string;
  text: (r: ServerRow, now: number) => string;
}

const COLUMNS: Column[] = [
  { title: 'Server', width: 'minmax(12em, 1.6fr)', text: (r) => r.label },
  { title: 'State', width: '8em', text: (r) => fmt.reachText(r) },
  { title: 'Role', width: '7em', text: (r) => r.role ?? '—' },
  { title: 'Version', width: '5.5em', text: (r) => r.version ?? (r.versionFull ? r.versionFull.slice(0, 24) : '—') },
  { title: 'Latency ms', help: 'min / avg / max since the counters were last reset', width: '9em', text: (r) => fmt.latency(r) },
  { title: 'Outstanding', help: 'requests queued on the server', width: '6.5em', text: (r) => fmt.num(r.outstanding) },
  { title: 'Connections', width: '6.5em', text: (r) => fmt.num(r.connections) },
  { title: 'Znodes', width: '6em', text: (r) => fmt.num(r.znodes) },
  { title: 'Watches', width: '6em', text: (r) => fmt.num(r.watches) },
  { title: 'Ephemerals', width: '6.5em', text: (r) => fmt.num(r.ephemerals) },
  { title: 'Data size', help: 'approximate size of all znode data', width: '6.5em', text: (r) => fmt.bytes(r.approximateDataSize) },
  { title: 'File descriptors', help: 'open / max', width: '8em', text: (r) => fmt.fds(r) },
  { title: 'Uptime', width: '6.5em', text: (r) => fmt.duration(r.uptimeMs) },
  { title: 'Zxid', width: '9em', text: (r) => r.zxid ?? '—' },
  { title: 'Behind leader', width: '7.5em', text: (r) => (r.role === 'leader' ? '(leader)' : fmt.lag(r.behind)) },
  { title: 'Learners / synced / pending', help: 'on the leader: learners, synced followers, pending syncs', width: '9.5em', text: (r) => fmt.leaderFigures(r) },
  { title: 'Source', help: 'four-letter words or the AdminServer', width: '8em', text: (r) => fmt.sourceText(r.source) },
  { title: 'Updated', width: '6.5em', text: (r, now) => fmt.age(r.updatedAt, now) },
];

const STATE_COL = 1;
const UPDATED_COL = COLUMNS.length - 1;

interface RowView {
  row: HTMLElement;
  cells: HTMLElement[];
  data: ServerRow;
}

export class ServerTable {
  readonly element: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly rows = new Map<string, RowView>();

  constructor() {
    this.grid = dataGrid('Servers', COLUMNS.map((c) => c.width).join(' '));
    const header = dataGridRow(true);
    COLUMNS.forEach((c, i) => {
      const cell = dataGridCell(i + 1, c.title, true);
      if (c.help) setAttr(cell, 'title', c.help);
      header.appendChild(cell);
    });
    this.grid.appendChild(header);
    this.element = document.createElement('div');
    this.element.className = 'table-scroll';
    this.element.appendChild(this.grid);
  }

  update(servers: ServerRow[]): void {
    const now = Date.now();
    const seen = new Set<string>();
    let previous: Element | null = this.grid.firstElementChild; // the header
    for (const r of servers) {
      seen.add(r.key);
      let view = this.rows.get(r.key);
      if (!view) {
        const row = dataGridRow();
        const cells = COLUMNS.map((_, i) => dataGridCell(i + 1, ''));
        for (const c of cells) row.appendChild(c);
        view = { row, cells, data: r };
        this.rows.set(r.key, view);
      }
      view.data = r;
      COLUMNS.forEach((c, i) => setText(view!.cells[i], c.text(r, now)));
      const state = view.cells[STATE_COL];
      setAttr(state, 'data-tone', fmt.reachTone(r));
      setAttr(state, 'title', r.error ?? fmt.reachText(r));
      setAttr(view.row, 'data-key', r.key);
      setAttr(view.cells[0], 'title', r.origin === 'membership' ? `${r.label} (found through the ensemble's membership)` : r.label);
      view.row.classList.toggle('from-membership', r.origin === 'membership');
      view.row.classList.toggle('is-leader', r.role === 'leader');
      // Keep the snapshot's order without re-inserting rows that are already in place.
      if (previous?.nextElementSibling !== view.row) previous!.after(view.row);
      previous = view.row;
    }
    for (const [key, view] of this.rows) {
      if (!seen.has(key)) {
        view.row.remove();
        this.rows.delete(key);
      }
    }
  }

  /** Refreshes the "updated … ago" cells. */
  tick(now: number): void {
    for (const v of this.rows.values()) setText(v.cells[UPDATED_COL], COLUMNS[UPDATED_COL].text(v.data, now));
  }
}
