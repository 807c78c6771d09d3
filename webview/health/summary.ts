// The summary line: level, leader, voting members vs quorum, zxid spread, last update, Refresh.
import type { HealthSnapshot } from '../../src/protocol/health';
import { badge, button } from '../toolkit';
import { el, setAttr, setText } from './dom';
import { age, lag, levelText } from './format';

export class SummaryView {
  readonly element: HTMLElement;
  private readonly level: HTMLElement;
  private readonly text: HTMLElement;
  private readonly leader: HTMLElement;
  private readonly voters: HTMLElement;
  private readonly spread: HTMLElement;
  private readonly updated: HTMLElement;
  private readonly polling: HTMLElement;
  private updatedAt: number | undefined;

  constructor(onRefresh: () => void) {
    this.level = badge('Checking');
    this.level.classList.add('level');
    this.text = el('p', { className: 'summary-text', attrs: { 'aria-live': 'polite' } });
    const fact = (label: string) => {
      const value = el('span', { className: 'fact-value', text: '—' });
      return { box: el('div', { className: 'fact' }, el('span', { className: 'fact-label', text: label }), value), value };
    };
    const leader = fact('Leader');
    const voters = fact('Voting members up');
    const spread = fact('Zxid spread');
    const updated = fact('Updated');
    this.leader = leader.value;
    this.voters = voters.value;
    this.spread = spread.value;
    this.updated = updated.value;
    this.polling = el('span', { className: 'polling muted' });
    const refresh = button('Refresh', { appearance: 'secondary', title: 'Poll every server now', onClick: onRefresh });
    this.element = el(
      'section',
      { className: 'summary', attrs: { 'aria-label': 'Summary' } },
      el('div', { className: 'summary-head' }, this.level, this.text, el('span', { className: 'spacer' }), this.polling, refresh),
      el('div', { className: 'facts' }, leader.box, voters.box, spread.box, updated.box),
    );
  }

  update(s: HealthSnapshot): void {
    const sum = s.summary;
    setText(this.level, levelText(sum.level));
    setAttr(this.element, 'data-level', sum.level);
    setText(this.text, sum.text);
    setText(this.leader, sum.leaderId !== undefined ? `server.${sum.leaderId}` : (sum.leaderLabel ?? 'none'));
    setText(this.voters, sum.votersTotal > 0 ? `${sum.votersUp} of ${sum.votersTotal} (quorum ${sum.quorum})` : '—');
    setText(this.spread, lag(sum.zxidSpread));
    this.updatedAt = sum.updatedAt;
    setText(this.polling, `every ${Math.round(s.pollIntervalMs / 100) / 10} s`);
    this.tick(Date.now());
  }

  setPolling(polling: boolean, message?: string): void {
    setText(this.polling, polling ? '' : (message ?? 'paused'));
  }

  /** Refreshes the "updated … ago" text. */
  tick(now: number): void {
    setText(this.updated, age(this.updatedAt, now));
  }
}
