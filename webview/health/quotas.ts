// The Quotas section: every quota of the ensemble, fullest first, each with a usage bar (a
// <meter>: no inline style needed under the CSP), its limits and usage in words. Server strings
// (paths) are set with textContent only.
import { t } from './l10n';
import type { QuotaRow, QuotasReading } from '../../src/protocol/health';
import { clear, el, setAttr, setText } from './dom';
import * as fmt from './format';

/** "4 of 5 nodes (soft, 80%)". */
export function useText(u: { what: 'count' | 'bytes'; kind: 'soft' | 'hard'; limit: number; used: number; percent: number }): string {
  const amount = (n: number) => (u.what === 'bytes' ? fmt.bytes(n) : `${fmt.num(n)}`);
  return `${amount(u.used)} of ${amount(u.limit)}${u.what === 'count' ? ' nodes' : ''} (${u.kind}, ${u.percent >= 999 ? 'over' : `${u.percent}%`})`;
}

const LEVEL_TEXT: Record<QuotaRow['level'], string> = { ok: t('OK'), near: t('Nearly full'), exceeded: t('Exceeded'), unknown: t('Usage unknown') };

export class QuotasView {
  readonly element: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly body: HTMLElement;
  private readonly table: HTMLTableElement;
  private lastKey = '';

  constructor() {
    this.caption = el('p', { className: 'quotas-caption muted', text: t('Reading the quotas…') });
    const head = el('tr');
    for (const [title, help] of [
      [t('Path'), t('The node the quota is on; it counts its whole subtree')],
      [t('Usage'), t('The fullest limit: used / limit')],
      [t('Limits'), t('Soft limits are logged by the server; hard ones refuse writes with enforceQuota=true')],
      [t('Used'), t('Nodes and bytes the server counted under the path')],
    ]) {
      const th = el('th', { text: title, attrs: { scope: 'col' } });
      setAttr(th, 'title', help);
      head.appendChild(th);
    }
    this.body = el('tbody');
    this.table = el('table', { className: 'quotas-table', attrs: { 'aria-label': t('Quotas') } }, el('thead', {}, head), this.body);
    this.table.hidden = true;
    this.element = el('section', { className: 'quotas-section', attrs: { 'aria-label': t('Quotas') } }, el('h2', { text: t('Quotas') }), this.caption, this.table);
  }

  update(q: QuotasReading): void {
    const key = JSON.stringify({ ...q, at: 0 });
    if (key === this.lastKey) return;
    this.lastKey = key;
    clear(this.body);
    if (q.problem) setText(this.caption, q.problem);
    else if (q.total === 0) setText(this.caption, t('No quotas on this ensemble. Set one with Set Quota… on a node in the ZooKeeper view.'));
    else {
      const shown = q.rows.length < q.total ? ` (the ${q.rows.length} fullest shown)` : '';
      const alerting = q.rows.filter((r) => r.level === 'near' || r.level === 'exceeded').length;
      setText(this.caption, t('{0}{1}, fullest first; {2} at or above {3}% or exceeded.{4}', q.total === 1 ? t('1 quota') : t('{0} quotas', q.total), shown, alerting, q.thresholdPercent, q.truncated ? t(' The quota tree is too large: not every quota was read.') : ''));
    }
    this.table.hidden = q.rows.length === 0;
    for (const r of q.rows) this.body.appendChild(this.row(r, q.thresholdPercent));
  }

  private row(r: QuotaRow, thresholdPercent: number): HTMLElement {
    const tr = el('tr', { className: 'quota-row', attrs: { 'data-level': r.level, 'data-key': r.path } });
    tr.appendChild(el('td', { className: 'quota-path', text: r.path }));
    const usage = el('td', { className: 'quota-usage' });
    if (r.fullest) {
      const meter = document.createElement('meter');
      meter.className = 'quota-bar';
      meter.min = 0;
      meter.max = 100;
      // Under the threshold it shows as fine, up to the limit as a warning, past it as over.
      meter.low = Math.min(99, thresholdPercent);
      meter.high = 100;
      meter.optimum = 0;
      meter.value = Math.min(100, r.fullest.percent);
      setAttr(meter, 'aria-label', `${r.path}: ${useText(r.fullest)}`);
      usage.append(meter, el('span', { className: 'quota-use', text: ` ${useText(r.fullest)}` }));
    } else usage.appendChild(el('span', { className: 'muted', text: r.usage ? t('no limit set') : t('not counted') }));
    usage.appendChild(el('span', { className: 'quota-level', text: ` ${LEVEL_TEXT[r.level]}` }));
    tr.appendChild(usage);
    const limits = el('td', { className: 'quota-limits', text: r.limitsText });
    if (r.uses.length > 1) setAttr(limits, 'title', r.uses.map(useText).join('\n'));
    tr.appendChild(limits);
    tr.appendChild(el('td', { className: 'quota-used', text: r.usage ? t('{0} nodes, {1}', fmt.num(r.usage.count), fmt.bytes(r.usage.bytes)) : r.problem ?? '—' }));
    return tr;
  }
}
