// Live charts of the last minutes with uPlot (canvas; it sets element styles through the CSSOM,
// which the CSP allows, and writes legend labels with textContent). Colours come from the theme's
// `--vscode-charts-*` variables and are read again when the theme changes; each server also gets
// its own dash pattern so lines stay apart in high-contrast themes and without colour.
import uPlot from 'uplot';
import type { HealthHistory, HistorySeries } from '../../src/protocol/health';
import { el } from './dom';

interface ChartDef {
  title: string;
  unit: string;
  pick: (s: HistorySeries) => (number | null)[];
}

const CHARTS: ChartDef[] = [
  { title: 'Average latency', unit: 'ms', pick: (s) => s.latencyAvg },
  { title: 'Outstanding requests', unit: '', pick: (s) => s.outstanding },
  { title: 'Packets per second', unit: '/s', pick: (s) => s.packetsPerSec },
  { title: 'Connections', unit: '', pick: (s) => s.connections },
];

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
const DASHES: number[][] = [[], [6, 3], [2, 3], [10, 3, 2, 3], [1, 2], [12, 6]];

interface Theme {
  fg: string;
  grid: string;
  font: string;
  colors: string[];
}

function readTheme(): Theme {
  const cs = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  const family = v('--vscode-font-family', 'sans-serif');
  return {
    fg: v('--vscode-descriptionForeground', v('--vscode-foreground', '#888')),
    grid: v('--vscode-editorWidget-border', v('--vscode-panel-border', 'rgba(128,128,128,0.3)')),
    font: `11px ${family}`,
    colors: PALETTE.map((p, i) => v(p, FALLBACK[i])),
  };
}

class Chart {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private plot: uPlot | undefined;
  private seriesKey = '';

  constructor(private readonly def: ChartDef) {
    this.body = el('div', { className: 'chart-body' });
    this.element = el('figure', { className: 'chart', attrs: { 'aria-label': def.title } }, el('figcaption', { text: def.unit ? `${def.title} (${def.unit})` : def.title }), this.body);
  }

  update(h: HealthHistory, theme: Theme, force: boolean): void {
    const key = h.series.map((s) => `${s.key}=${s.label}`).join('|');
    const data: uPlot.AlignedData = [h.t, ...h.series.map((s) => this.def.pick(s))];
    if (!this.plot || force || key !== this.seriesKey) {
      this.plot?.destroy();
      this.seriesKey = key;
      this.plot = new uPlot(this.options(h, theme), data, this.body);
    } else {
      this.plot.setData(data);
    }
  }

  resize(): void {
    if (this.plot) this.plot.setSize(this.size());
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, Math.floor(this.body.clientWidth || 320)), height: 150 };
  }

  private options(h: HealthHistory, theme: Theme): uPlot.Options {
    const axis: uPlot.Axis = { stroke: theme.fg, font: theme.font, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
    return {
      ...this.size(),
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(max ?? 1, 1) * 1.1 || 1] } },
      // Whole seconds at least: a short history would otherwise get millisecond ticks.
      axes: [{ ...axis, space: 60, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600] }, { ...axis, size: 48 }],
      series: [
        {},
        ...h.series.map((s, i) => ({
          label: s.label,
          stroke: theme.colors[i % theme.colors.length],
          dash: DASHES[i % DASHES.length],
          width: 1.5,
          spanGaps: false,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : `${Math.round(v * 10) / 10}${this.def.unit && this.def.unit !== '/s' ? ' ' + this.def.unit : ''}`),
        })),
      ],
    };
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }
}

export class ChartsView {
  readonly element: HTMLElement;
  private readonly charts = CHARTS.map((d) => new Chart(d));
  private theme = readTheme();
  private last: HealthHistory | undefined;
  private readonly resizeObserver: ResizeObserver;
  private readonly themeObserver: MutationObserver;

  constructor() {
    this.element = el('section', { className: 'charts', attrs: { 'aria-label': 'Charts of the last minutes' } }, ...this.charts.map((c) => c.element));
    let pending = 0;
    this.resizeObserver = new ResizeObserver(() => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => this.charts.forEach((c) => c.resize()));
    });
    this.resizeObserver.observe(this.element);
    // VS Code switches body classes (vscode-light / vscode-dark / vscode-high-contrast) on a theme change.
    this.themeObserver = new MutationObserver(() => {
      this.theme = readTheme();
      if (this.last) this.charts.forEach((c) => c.update(this.last!, this.theme, true));
    });
    this.themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  }

  update(h: HealthHistory): void {
    this.last = h;
    for (const c of this.charts) c.update(h, this.theme, false);
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    this.charts.forEach((c) => c.destroy());
  }
}
