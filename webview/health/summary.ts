// The summary line: level, leader, voting members vs quorum, zxid spread, last update, Refresh.
import { t } from './l10n';
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
    this.level = badge(t('Checking'));
    this.level.classList.add('level');
    this.text = el('p', { className: 'summary-text', attrs: { 'aria-live': 'polite' } });
    const fact = (label: string) => {
      const value = el('span', { className: 'fact-value', text: '—' });
      return { box: el('div', { className: 'fact' }, el('span', { className: 'fact-label', text: label }), value), value };
    };
    const leader = fact(t('Leader'));
    const voters = fact(t('Voting members up'));
    const spread = fact(t('Zxid spread'));
    const updated = fact(t('Updated'));
    this.leader = leader.value;
    this.voters = voters.value;
    this.spread = spread.value;
    this.updated = updated.value;
    this.polling = el('span', { className: 'polling muted' });
    const refresh = button(t('Refresh'), { appearance: 'secondary', title: t('Poll every server now'), onClick: onRefresh });
    this.element = el(
      'section',
      { className: 'summary', attrs: { 'aria-label': t('Summary') } },
      el('div', { className: 'summary-head' }, this.level, this.text, el('span', { className: 'spacer' }), this.polling, refresh),
      el('div', { className: 'facts' }, leader.box, voters.box, spread.box, updated.box),
    );
  }

  update(s: HealthSnapshot): void {
    const sum = s.summary;
    setText(this.level, levelText(sum.level));
    setAttr(this.element, 'data-level', sum.level);
    setText(this.text, sum.text);
    setText(this.leader, sum.leaderId !== undefined ? `server.${sum.leaderId}` : (sum.leaderLabel ?? t('none')));
    setText(this.voters, sum.votersTotal > 0 ? t('{0} of {1} (quorum {2})', sum.votersUp, sum.votersTotal, sum.quorum) : '—');
    setText(this.spread, lag(sum.zxidSpread));
    this.updatedAt = sum.updatedAt;
    setText(this.polling, t('every {0} s', Math.round(s.pollIntervalMs / 100) / 10));
    this.tick(Date.now());
  }

  setPolling(polling: boolean, message?: string): void {
    setText(this.polling, polling ? '' : (message ?? t('paused')));
  }

  /** Refreshes the "updated … ago" text. */
  tick(now: number): void {
    setText(this.updated, age(this.updatedAt, now));
  }
}
