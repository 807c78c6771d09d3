// A server's "Clients" section, in its details: the client connections the host read for it (only
// while the details are open), most requests first, the panel's own connection marked "this
// connection"; or why they could not be read, with the config line that fixes it (with Copy).
// Every server string is set with textContent.
import { t } from './l10n';
import type { ClientRow, ServerClients, WebviewToHost } from '../../src/protocol/health';
import { button, tag } from '../toolkit';
import { clear, el, setAttr, setText } from './dom';
import * as fmt from './format';

interface ClientColumn {
  id: string;
  title: string;
  help?: string;
  numeric?: boolean;
  text: (r: ClientRow, now: number) => string;
}

const CLIENT_COLUMNS: ClientColumn[] = [
  { id: 'client', title: t('Client'), help: t('The client address as the server sees it'), text: (r) => r.client },
  { id: 'session', title: t('Session'), text: (r) => r.sessionId ?? '—' },
  { id: 'established', title: t('Connected'), help: t('When this connection was established (by the server clock)'), text: (r, now) => fmt.ago(r.established, now) },
  { id: 'lastOp', title: t('Last op'), help: t('The last operation of the client'), text: (r) => r.lastOperation ?? '—' },
  { id: 'queued', title: t('Queued'), numeric: true, help: t('Requests queued'), text: (r) => fmt.num(r.queued) },
  { id: 'packets', title: t('Recv / sent'), numeric: true, help: t('Packets received from and sent to the client'), text: (r) => fmt.receivedSent(r) },
  { id: 'latency', title: t('Latency min / avg / max'), numeric: true, help: t('Request latency min / avg / max (ms)'), text: (r) => fmt.latency(r) },
];

export class ClientsView {
  readonly element: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly body: HTMLElement;
  private readonly more: HTMLElement;
  /** The "Connected" cells and their moments, refreshed by tick(). */
  private ages: { cell: HTMLElement; row: ClientRow }[] = [];
  private lastKey = '';

  constructor(
    private readonly serverLabel: () => string,
    private readonly send: (m: WebviewToHost) => void,
  ) {
    this.caption = el('p', { className: 'clients-caption muted', text: t('Reading the client connections…') });
    this.problem = el('div', { className: 'clients-problem' });
    this.problem.hidden = true;
    const head = el('tr');
    for (const c of CLIENT_COLUMNS) {
      const th = el('th', { className: `ccol-${c.id}${c.numeric ? ' num' : ''}`, text: c.title, attrs: { scope: 'col' } });
      if (c.help) setAttr(th, 'title', c.help);
      head.appendChild(th);
    }
    this.body = el('tbody');
    this.table = el('table', { className: 'clients-table', attrs: { 'aria-label': t('Clients') } }, el('thead', {}, head), this.body);
    this.table.hidden = true;
    this.more = el('p', { className: 'clients-more muted' });
    this.more.hidden = true;
    this.element = el('section', { className: 'clients', attrs: { 'aria-label': t('Clients') } }, el('h3', { text: t('Clients') }), this.caption, this.problem, this.table, this.more);
  }

  /** Waiting for the first reading after the details were opened. */
  reset(): void {
    this.lastKey = '';
    this.ages = [];
    setText(this.caption, t('Reading the client connections…'));
    this.problem.hidden = true;
    this.table.hidden = true;
    this.more.hidden = true;
    clear(this.body);
  }

  update(c: ServerClients, now: number): void {
    const key = JSON.stringify(c.rows) + '|' + JSON.stringify(c.problem) + '|' + c.total + '|' + c.via;
    if (key === this.lastKey) return;
    this.lastKey = key;
    clear(this.problem);
    clear(this.body);
    this.ages = [];
    if (c.problem) {
      setText(this.caption, t('The client connections could not be read.'));
      this.problem.appendChild(el('p', { className: 'problem', text: c.problem.text }));
      if (c.problem.configLine) {
        const line = c.problem.configLine;
        this.problem.appendChild(
          el(
            'div',
            { className: 'config-line' },
            el('code', { text: line }),
            button(t('Copy'), { title: t('Copy this line (for the zoo.cfg of {0}) to the clipboard', this.serverLabel()), onClick: () => this.send({ type: 'copy', text: line }) }),
          ),
        );
      }
      this.problem.hidden = false;
      this.table.hidden = true;
      this.more.hidden = true;
      return;
    }
    this.problem.hidden = true;
    setText(this.caption, fmt.clientsCaption(c));
    for (const r of c.rows) this.body.appendChild(this.row(r, now));
    this.table.hidden = c.rows.length === 0;
    setText(this.more, fmt.moreText(c));
    this.more.hidden = c.more <= 0;
  }

  tick(now: number): void {
    for (const a of this.ages) setText(a.cell, fmt.ago(a.row.established, now));
  }

  private row(r: ClientRow, now: number): HTMLElement {
    const tr = el('tr', { className: r.own ? 'client own' : 'client' });
    for (const c of CLIENT_COLUMNS) {
      const cell = el(c.id === 'client' ? 'th' : 'td', { className: `ccol-${c.id}${c.numeric ? ' num' : ''}`, attrs: { 'data-label': c.title, 'data-col': `client-${c.id}` } });
      if (c.id === 'client') {
        setAttr(cell, 'scope', 'row');
        cell.appendChild(el('span', { className: 'client-address', text: c.text(r, now) }));
        if (r.clientName) setAttr(cell, 'title', r.clientName);
        if (r.own) {
          const own = tag(t('this connection'));
          own.classList.add('own-tag');
          setAttr(own, 'title', t("This extension's own session with this server"));
          cell.appendChild(own);
        }
      } else {
        setText(cell, c.text(r, now));
        if (c.id === 'established') {
          this.ages.push({ cell, row: r });
          if (r.established !== undefined) setAttr(cell, 'title', new Date(r.established).toISOString());
        }
      }
      tr.appendChild(cell);
    }
    return tr;
  }
}
