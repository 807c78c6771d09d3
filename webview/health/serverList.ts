// The servers, laid out for the width the panel has (see layout.ts): a table with as many columns as
// fit, or one card per server when even the core columns do not. Each server's name is a button
// (aria-expanded) that shows or hides its details: the figures that are not in the table or on the
// card, and what went wrong. Rows and cards are keyed and updated in place; the structure is built
// again only when the plan changes (a resize past a threshold), keeping what was expanded and focus.
// The details end with the server's "Clients" (clients.ts): opening them asks the host for that
// server's client connections ('wantClients', read again at every poll while they stay open);
// closing them, or the server leaving the snapshot, tells it to stop ('stopClients').
// Every value is set with textContent; attributes go through dom.ts's allow-list.
import { t } from './l10n';
import type { ServerClients, ServerRow, WebviewToHost } from '../../src/protocol/health';
import { ClientsView } from './clients';
import { COLUMNS, column, extras, type Column, type ColumnId } from './columns';
import { clear, el, setAttr, setText } from './dom';
import * as fmt from './format';
import { planLayout, samePlan, type LayoutPlan } from './layout';

interface ServerView {
  key: string;
  /** The element that is moved to keep the snapshot's order (a <tbody> or an <li>). */
  root: HTMLElement;
  /** The element that carries data-key and the row's classes (the row's <tr>, or the card). */
  main: HTMLElement;
  toggle: HTMLButtonElement;
  details: HTMLElement;
  /** Where each figure is written, wherever it is shown (table, card or details). */
  values: Map<ColumnId, HTMLElement>;
  extras: HTMLElement;
  extrasKey: string;
  clients: ClientsView;
  data: ServerRow;
}

let nextId = 0;

export class ServerList {
  readonly element: HTMLElement;
  private plan: LayoutPlan;
  private container!: HTMLElement;
  private readonly views = new Map<string, ServerView>();
  private readonly expanded = new Set<string>();
  /** The last clients the host sent per open server (kept across a rebuild of the layout). */
  private readonly clientData = new Map<string, ServerClients>();
  private servers: ServerRow[] = [];
  private frame = 0;
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly send: (m: WebviewToHost) => void = () => undefined) {
    this.element = el('div', { className: 'servers' });
    this.plan = planLayout(0, 0);
    this.build();
    // Layout changes wait for the next frame: changing the DOM inside the observer's callback would
    // resize what it observes in the same frame.
    this.resizeObserver = new ResizeObserver(() => {
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => this.relayout());
    });
    this.resizeObserver.observe(this.element);
  }

  /** The plan now in use (read by tests through the DOM: the table's or the cards' class). */
  get layout(): LayoutPlan {
    return this.plan;
  }

  update(servers: ServerRow[]): void {
    this.servers = servers;
    this.render(Date.now());
  }

  /** The clients of a server, from the host; ignored unless its details are open. */
  showClients(key: string, clients: ServerClients): void {
    if (!this.expanded.has(key)) return;
    this.clientData.set(key, clients);
    this.views.get(key)?.clients.update(clients, Date.now());
  }

  /** Refreshes the "… ago" figures. */
  tick(now: number): void {
    for (const v of this.views.values()) {
      const updated = v.values.get('updated');
      if (updated) setText(updated, column('updated').text(v.data, now));
      this.fillExtras(v, now);
      if (this.expanded.has(v.key)) v.clients.tick(now);
    }
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.frame);
  }

  private relayout(): void {
    const width = this.element.clientWidth;
    if (width === 0) return; // hidden: keep the plan until it is shown again
    const plan = planLayout(width, parseFloat(getComputedStyle(this.element).fontSize));
    if (samePlan(this.plan, plan)) return;
    // Focus stays on the same server's button across the rebuild.
    const focused = [...this.views.values()].find((v) => v.toggle === document.activeElement)?.key;
    this.plan = plan;
    this.build();
    this.render(Date.now());
    if (focused) this.views.get(focused)?.toggle.focus();
  }

  /** Empties the element and makes the table (with its header) or the list of cards for the plan. */
  private build(): void {
    this.views.clear();
    clear(this.element);
    if (this.plan.mode === 'table') {
      const table = el('table', { className: this.plan.roomy ? 'server-table roomy' : 'server-table', attrs: { 'aria-label': t('Servers') } });
      const head = el('tr');
      for (const id of this.plan.table) {
        const c = column(id);
        const th = el('th', { className: `col-${id}${c.numeric ? ' num' : ''}`, text: c.title, attrs: { scope: 'col' } });
        if (c.help) setAttr(th, 'title', c.help);
        head.appendChild(th);
      }
      table.appendChild(el('thead', {}, head));
      this.container = table;
    } else {
      this.container = el('ul', { className: 'server-cards', attrs: { 'aria-label': t('Servers') } });
    }
    this.element.appendChild(this.container);
  }

  private render(now: number): void {
    const seen = new Set<string>();
    // In a table the header comes first; rows follow in the snapshot's order.
    let previous: Element | null = this.plan.mode === 'table' ? this.container.firstElementChild : null;
    for (const r of this.servers) {
      seen.add(r.key);
      let view = this.views.get(r.key);
      if (!view) {
        view = this.plan.mode === 'table' ? this.tableRow(r) : this.card(r);
        this.views.set(r.key, view);
        this.setExpanded(view, this.expanded.has(r.key));
      }
      this.fill(view, r, now);
      // Keep the order without moving what is already in place (moving a node drops its focus).
      const first = previous ? previous.nextElementSibling : this.container.firstElementChild;
      if (first !== view.root) {
        if (previous) previous.after(view.root);
        else this.container.prepend(view.root);
      }
      previous = view.root;
    }
    for (const [key, view] of this.views) {
      if (!seen.has(key)) {
        view.root.remove();
        this.views.delete(key);
      }
    }
    for (const key of [...this.expanded]) {
      if (!seen.has(key)) {
        this.expanded.delete(key);
        this.clientData.delete(key);
        this.send({ type: 'stopClients', server: key });
      }
    }
  }

  private tableRow(r: ServerRow): ServerView {
    const { toggle, details, values, extras: extraList, detailsId, clients } = this.parts(r);
    const main = el('tr', { className: 'server-row' });
    for (const id of this.plan.table) {
      const c = column(id);
      if (id === 'server') {
        main.appendChild(el('th', { className: 'col-server', attrs: { scope: 'row' } }, toggle));
      } else {
        const td = el('td', { className: `col-${id}${c.numeric ? ' num' : ''}`, attrs: { 'data-col': id } });
        values.set(id, td);
        main.appendChild(td);
      }
    }
    const detailsRow = el('tr', { className: 'details-row', attrs: { id: detailsId } }, el('td', { attrs: { colspan: String(this.plan.table.length) } }, details));
    const root = el('tbody', { className: 'server' }, main, detailsRow);
    return { key: r.key, root, main, toggle, details: detailsRow, values, extras: extraList, extrasKey: '', clients, data: r };
  }

  private card(r: ServerRow): ServerView {
    const { toggle, details, values, extras: extraList, detailsId, clients } = this.parts(r);
    const state = el('span', { className: 'state', attrs: { 'data-col': 'state' } });
    const role = el('span', { className: 'role', attrs: { 'data-col': 'role', title: t('Role') } });
    values.set('state', state);
    values.set('role', role);
    const figures = figureList(
      COLUMNS.filter((c) => c.core && c.id !== 'server' && c.id !== 'state' && c.id !== 'role'),
      values,
    );
    const detailsBox = el('div', { className: 'card-details', attrs: { id: detailsId } }, details);
    const main = el('li', { className: 'server-card' }, el('div', { className: 'card-head' }, toggle, el('span', { className: 'card-status' }, state, role)), figures, detailsBox);
    return { key: r.key, root: main, main, toggle, details: detailsBox, values, extras: extraList, extrasKey: '', clients, data: r };
  }

  /** What rows and cards share: the name button, and the details with the figures not shown elsewhere. */
  private parts(r: ServerRow): { toggle: HTMLButtonElement; details: HTMLElement; values: Map<ColumnId, HTMLElement>; extras: HTMLElement; detailsId: string; clients: ClientsView } {
    const key = r.key;
    const detailsId = `server-details-${++nextId}`;
    const label = el('span', { className: 'server-label', attrs: { 'data-col': 'server' } });
    const toggle = el('button', { className: 'details-toggle', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': detailsId } }, el('span', { className: 'chevron', attrs: { 'aria-hidden': 'true' } }), label);
    toggle.addEventListener('click', () => {
      const view = this.views.get(key);
      if (!view) return;
      const open = !this.expanded.has(key);
      if (open) this.expanded.add(key);
      else this.expanded.delete(key);
      this.clientData.delete(key);
      view.clients.reset();
      this.setExpanded(view, open);
      this.send(open ? { type: 'wantClients', server: key } : { type: 'stopClients', server: key });
    });
    const values = new Map<ColumnId, HTMLElement>([['server', label]]);
    const extraList = el('dl', { className: 'figures extras' });
    const detailColumns = this.plan.details.map(column);
    const clients = new ClientsView(() => this.views.get(key)?.data.label ?? key, this.send);
    const known = this.clientData.get(key);
    if (known) clients.update(known, Date.now());
    const details = el('div', { className: 'details' }, figureList(detailColumns, values), extraList, clients.element);
    if (detailColumns.length === 0) details.prepend(el('p', { className: 'muted all-shown', text: t('Every figure is in the table.') }));
    return { toggle, details, values, extras: extraList, detailsId, clients };
  }

  private setExpanded(view: ServerView, open: boolean): void {
    setAttr(view.toggle, 'aria-expanded', String(open));
    view.details.hidden = !open;
    view.main.classList.toggle('expanded', open);
  }

  private fill(view: ServerView, r: ServerRow, now: number): void {
    view.data = r;
    for (const [id, e] of view.values) setText(e, column(id).text(r, now));
    const state = view.values.get('state');
    if (state) {
      setAttr(state, 'data-tone', fmt.reachTone(r));
      setAttr(state, 'title', r.error ?? fmt.reachText(r));
    }
    setAttr(view.main, 'data-key', r.key);
    setAttr(view.toggle, 'title', r.origin === 'membership' ? `${r.label} (found through the ensemble's membership): show or hide its details` : `${r.label}: show or hide its details`);
    view.main.classList.toggle('from-membership', r.origin === 'membership');
    view.main.classList.toggle('is-leader', r.role === 'leader');
    this.fillExtras(view, now);
  }

  private fillExtras(view: ServerView, now: number): void {
    const list = extras(view.data, now);
    const key = JSON.stringify(list);
    if (key !== view.extrasKey) {
      view.extrasKey = key;
      clear(view.extras);
      for (const x of list) view.extras.appendChild(figure(x.label, el('dd', { className: x.problem ? 'problem' : '', text: x.text })));
      view.extras.hidden = list.length === 0;
    }
  }
}

/** A <dl> of label/value pairs, one per column; the value elements are registered in `values`. */
function figureList(columns: Column[], values: Map<ColumnId, HTMLElement>): HTMLElement {
  const dl = el('dl', { className: 'figures' });
  for (const c of columns) {
    const dd = el('dd', { className: c.numeric ? 'num' : '', attrs: { 'data-col': c.id } });
    values.set(c.id, dd);
    dl.appendChild(figure(c.title, dd, c.help));
  }
  dl.hidden = columns.length === 0;
  return dl;
}

function figure(label: string, value: HTMLElement, help?: string): HTMLElement {
  const dt = el('dt', { text: label });
  if (help) setAttr(dt, 'title', help);
  return el('div', { className: 'figure' }, dt, value);
}
