// The Dynamic configuration section: the ensemble's /zookeeper/config (version, quorum, each
// member's role, ports and client address) next to what each server reports, with the
// reconfiguration buttons. A button only names the action and the member: the host reads the
// config again, checks the proposal and asks before anything is sent. Server strings are text only.
import type { DynamicConfigReading, DynamicMemberRow, WebviewToHost } from '../../src/protocol/health';
import { button } from '../toolkit';
import { clear, el, setAttr, setText } from './dom';
import { t } from './l10n';

export class DynamicConfigView {
  readonly element: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly body: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly actions: HTMLElement;
  private lastKey = '';

  constructor(private readonly send: (m: WebviewToHost) => void) {
    this.caption = el('p', { className: 'reconfig-caption muted', text: t('Reading /zookeeper/config…') });
    const head = el('tr');
    for (const [title, help] of [
      [t('Member'), t('server.N in the dynamic config')],
      [t('Role'), t('participant (votes, may lead) or observer (follows, does not vote)')],
      [t('Quorum and election'), 'host:quorumPort:electionPort'],
      [t('Client address'), t('Where clients connect')],
      [t('Reports'), t('What the server itself says now')],
      ['', ''],
    ]) {
      const th = el('th', { text: title, attrs: { scope: 'col' } });
      if (help) setAttr(th, 'title', help);
      head.appendChild(th);
    }
    this.body = el('tbody');
    this.table = el('table', { className: 'reconfig-table', attrs: { 'aria-label': t('Dynamic configuration') } }, el('thead', {}, head), this.body);
    this.table.hidden = true;
    this.actions = el(
      'div',
      { className: 'reconfig-actions' },
      button(t('Add Member…'), { appearance: 'secondary', title: t('Add a server to the ensemble (it must be running)'), onClick: () => this.send({ type: 'reconfig', action: 'addMember' }) }),
    );
    this.actions.hidden = true;
    this.element = el('section', { className: 'reconfig-section', attrs: { 'aria-label': t('Dynamic configuration') } }, el('h2', { text: t('Dynamic configuration') }), this.caption, this.table, this.actions);
  }

  update(c: DynamicConfigReading): void {
    const key = JSON.stringify({ ...c, at: 0 });
    if (key === this.lastKey) return;
    this.lastKey = key;
    clear(this.body);
    if (c.problem) setText(this.caption, c.problem);
    else setText(this.caption, t('Version {0}: {1}.', c.version ?? t('unknown'), c.quorum));
    this.table.hidden = c.members.length === 0;
    this.actions.hidden = c.problem !== undefined;
    for (const m of c.members) this.body.appendChild(this.row(m));
  }

  private row(m: DynamicMemberRow): HTMLElement {
    const tr = el('tr', { className: 'reconfig-row', attrs: { 'data-key': String(m.id) } });
    tr.append(
      el('td', { text: `server.${m.id}` }),
      el('td', { className: 'reconfig-role', text: m.role }),
      el('td', { text: m.peer }),
      el('td', { text: m.client ?? '—' }),
      el('td', { className: 'reconfig-reports', text: m.reports }),
    );
    const buttons = el('td', { className: 'reconfig-buttons' });
    buttons.append(
      button(t('Change Role…'), { title: m.role === 'observer' ? t('Make server.{0} a participant', m.id) : t('Make server.{0} an observer', m.id), onClick: () => this.send({ type: 'reconfig', action: 'changeRole', id: m.id }) }),
      button(t('Remove Member…'), { title: t('Remove server.{0} from the ensemble', m.id), onClick: () => this.send({ type: 'reconfig', action: 'removeMember', id: m.id }) }),
    );
    tr.appendChild(buttons);
    return tr;
  }
}
