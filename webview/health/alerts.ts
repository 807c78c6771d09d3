// The alerts, each explained in words, with its fix: the exact config line (with Copy) and the
// setting that changes its threshold (with Open Setting).
import { t } from './l10n';
import type { HealthAlert, WebviewToHost } from '../../src/protocol/health';
import { button, tag } from '../toolkit';
import { clear, el } from './dom';

const SEVERITY_TEXT = { error: t('Error'), warning: t('Warning'), info: t('Info') } as const;

export class AlertsView {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private lastKey = '';

  constructor(private readonly send: (m: WebviewToHost) => void) {
    this.list = el('ul', { className: 'alerts', attrs: { 'aria-label': t('Alerts') } });
    this.empty = el('p', { className: 'muted', text: t('No alerts.') });
    this.element = el('section', { className: 'alerts-section', attrs: { 'aria-label': t('Alerts') } }, el('h2', { text: t('Alerts') }), this.empty, this.list);
  }

  update(alerts: HealthAlert[]): void {
    const key = JSON.stringify(alerts);
    if (key === this.lastKey) return;
    this.lastKey = key;
    clear(this.list);
    this.empty.hidden = alerts.length > 0;
    for (const a of alerts) this.list.appendChild(this.item(a));
  }

  private item(a: HealthAlert): HTMLElement {
    const sev = tag(SEVERITY_TEXT[a.severity]);
    sev.classList.add('severity');
    const li = el('li', { className: 'alert', attrs: { 'data-severity': a.severity, 'data-kind': a.kind } }, el('div', { className: 'alert-head' }, sev, el('strong', { text: a.title })), el('p', { className: 'alert-detail', text: a.detail }));
    if (a.fix) {
      const fix = el('div', { className: 'alert-fix' }, el('p', { text: a.fix.text }));
      if (a.fix.configLine) {
        const line = a.fix.configLine;
        fix.appendChild(
          el(
            'div',
            { className: 'config-line' },
            el('code', { text: line }),
            button(t('Copy'), { title: t('Copy this line to the clipboard'), onClick: () => this.send({ type: 'copy', text: line }) }),
          ),
        );
      }
      if (a.fix.setting) {
        const setting = a.fix.setting;
        fix.appendChild(button(t('Open Setting'), { title: t('Open the {0} setting', setting), onClick: () => this.send({ type: 'openSetting', setting }) }));
      }
      li.appendChild(fix);
    }
    return li;
  }
}
