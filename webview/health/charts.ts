// Live charts of the last minutes with uPlot (canvas; it sets element styles through the CSSOM,
// which the CSP allows, and writes legend labels with textContent). Colours come from the theme's
// `--vscode-charts-*` variables and are read again when the theme changes; each server also gets
// its own dash pattern so lines stay apart in high-contrast themes and without colour.
import { t } from './l10n';
import uPlot from 'uplot';
import type { HealthHistory, HistorySeries } from '../../src/protocol/health';
import { el } from './dom';
import { chartSize } from './layout';

interface ChartDef {
  title: string;
  unit: string;
  pick: (s: HistorySeries) => (number | null)[];
}

const CHARTS: ChartDef[] = [
  { title: t('Average latency'), unit: 'ms', pick: (s) => s.latencyAvg },
  { title: t('Outstanding requests'), unit: '', pick: (s) => s.outstanding },
  { title: t('Packets per second'), unit: '/s', pick: (s) => s.packetsPerSec },
  { title: t('Connections'), unit: '', pick: (s) => s.connections },
];

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
/** How long the panel's size must stay still before the plots are redrawn at the new size. */
const RESIZE_DEBOUNCE_MS = 100;

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

  /** The chart body, whose width the plot follows. */
  get container(): HTMLElement {
    return this.body;
  }

  /** Gives the plot the chart body's width (uPlot needs explicit sizes); nothing while it is not laid out. */
  resize(): void {
    const size = chartSize(this.body.clientWidth);
    if (!this.plot || !size) return;
    if (size.width !== this.plot.width || size.height !== this.plot.height) this.plot.setSize(size);
  }

  private size(): { width: number; height: number } {
    // Before the first layout (clientWidth 0) a small plot: the resize observer gives it its width.
    return chartSize(this.body.clientWidth) ?? { width: 320, height: 150 };
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
  private resizeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly themeObserver: MutationObserver;

  constructor() {
    this.element = el('section', { className: 'charts', attrs: { 'aria-label': t('Charts of the last minutes') } }, ...this.charts.map((c) => c.element));
    // Each chart body is observed (the grid may put the charts in one, two or four columns); the
    // plots are resized once the panel has stopped changing size for a moment. The bodies' widths
    // come from the grid, not from the plots: a plot's new size changes its body's height at most,
    // and the next call finds the sizes in agreement and does nothing.
    this.resizeObserver = new ResizeObserver(() => {
      clearTimeout(this.resizeTimer);
      this.resizeTimer = setTimeout(() => this.charts.forEach((c) => c.resize()), RESIZE_DEBOUNCE_MS);
    });
    for (const c of this.charts) this.resizeObserver.observe(c.container);
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
    clearTimeout(this.resizeTimer);
    this.resizeObserver.disconnect();
    this.themeObserver.disconnect();
    this.charts.forEach((c) => c.destroy());
  }
}
