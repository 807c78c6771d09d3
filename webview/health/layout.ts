// How the server list and the charts fit the width the panel has. Pure (no DOM), unit-tested in Node:
// serverList.ts measures and renders, this decides.
//
// - A table when the core columns fit (server, state, role, latency avg, outstanding, connections,
//   behind leader); the other columns join it, in the order of COLUMNS, as long as each next one
//   fits whole. Whatever is left out is in each server's details (a disclosure under its row).
//   With room to spare, the core columns get their roomy widths first (a wider server column,
//   headers without hyphens), then other columns join.
// - Cards, one per server, when even the core columns do not fit: the core figures on the card, the
//   rest in its details.
// A wider panel never shows fewer columns than a narrower one.
import { COLUMNS, type ColumnId } from './columns';

export type LayoutMode = 'table' | 'cards';

export interface LayoutPlan {
  mode: LayoutMode;
  /** The table's columns, left to right (empty for cards). */
  table: ColumnId[];
  /** The figures that are in each server's details instead, in the same order. */
  details: ColumnId[];
  /** The table has room for the core columns' roomy widths (class `roomy` on the table). */
  roomy: boolean;
}

/** Room kept for the table's border and rounding (em). */
const SLACK_EM = 0.5;

export const CORE_WIDTH_EM = COLUMNS.filter((c) => c.core).reduce((sum, c) => sum + c.widthEm, 0);

/** What the roomy widths add to the core columns (em). */
export const ROOMY_EXTRA_EM = COLUMNS.filter((c) => c.core).reduce((sum, c) => sum + (c.roomyEm ?? c.widthEm) - c.widthEm, 0);

/** Below this width (em) the servers are cards. */
export const CARDS_BELOW_EM = CORE_WIDTH_EM + SLACK_EM;

/**
 * The plan for a container `widthPx` wide whose font is `emPx` pixels. A width of 0 (not laid out
 * yet, or hidden) gives the table with the core columns, so that nothing jumps when it appears.
 */
export function planLayout(widthPx: number, emPx: number): LayoutPlan {
  const em = emPx > 0 && Number.isFinite(emPx) ? emPx : 13;
  const available = widthPx > 0 && Number.isFinite(widthPx) ? widthPx / em - SLACK_EM : CORE_WIDTH_EM;
  if (available < CORE_WIDTH_EM) {
    return { mode: 'cards', table: [], details: COLUMNS.filter((c) => !c.core).map((c) => c.id), roomy: false };
  }
  let room = available - CORE_WIDTH_EM;
  const roomy = room >= ROOMY_EXTRA_EM;
  if (roomy) room -= ROOMY_EXTRA_EM;
  const table: ColumnId[] = [];
  const details: ColumnId[] = [];
  let full = false;
  for (const c of COLUMNS) {
    if (c.core) table.push(c.id);
    else if (!full && c.widthEm <= room) {
      table.push(c.id);
      room -= c.widthEm;
    } else {
      // The first column that does not fit ends the table: the order of COLUMNS is the priority.
      full = true;
      details.push(c.id);
    }
  }
  return { mode: 'table', table, details, roomy };
}

export function samePlan(a: LayoutPlan | undefined, b: LayoutPlan): boolean {
  return !!a && a.mode === b.mode && a.roomy === b.roomy && a.table.join() === b.table.join();
}

/** The narrowest plot drawn; a narrower chart body clips it until it is wider again. */
export const MIN_CHART_WIDTH = 120;

/** uPlot takes explicit sizes: the plot's for a chart body `widthPx` wide (0 when it is not laid out). */
export function chartSize(widthPx: number): { width: number; height: number } | undefined {
  if (!(widthPx > 0) || !Number.isFinite(widthPx)) return undefined;
  const width = Math.max(MIN_CHART_WIDTH, Math.floor(widthPx));
  return { width, height: width < 360 ? 120 : 150 };
}
