// The Quotas section's data: fullest first, JSON-safe (a limit of 0 is not Infinity), levels by
// the threshold, alerts with their fix, and the panel host offering the threshold setting only
// once a quota alert offered it.
import * as assert from 'node:assert/strict';
import { PanelOffers, panelAction } from '../../src/health/panelMessages';
import { isHostToWebview } from '../../src/protocol/health';
import { QUOTA_ALERT_SETTING, quotasReading } from '../../src/zk/health/quotaSection';
import type { Quota } from '../../src/zk/clusterAdmin/quotas';
import { marking, untranslated } from '../zk/markingTranslate';
import { msg } from '../../src/zk/message';
import { readQuotasForPanel } from '../../src/zk/health/quotaSection';

const q = (path: string, limits: Quota['limits'], count: number, bytes: number): Quota => ({ path, limits, usage: { count, bytes } });

describe('quotas in the health panel', () => {
  const quotas: Quota[] = [q('/a', { count: 100 }, 10, 0), q('/b', { bytesHard: 1000 }, 1, 850), q('/zero', { countHard: 0 }, 1, 0), { path: '/unread', limits: { count: 3 }, problem: msg('no {0} node: the server has not counted this subtree', 'zookeeper_stats') }];

  it('rows fullest first, JSON-safe, with levels by the threshold', () => {
    const r = quotasReading(quotas, 80, 1000);
    assert.deepEqual(r.rows.map((x) => [x.path, x.level, x.fullest?.percent]), [
      ['/zero', 'exceeded', 999],
      ['/b', 'near', 85],
      ['/a', 'ok', 10],
      ['/unread', 'unknown', undefined],
    ]);
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r, 'survives postMessage unchanged');
    assert.equal(r.total, 4);
    assert.equal(r.rows[0].limitsText, 'nodes: hard 0');
    assert.ok(isHostToWebview({ type: 'quotas', quotas: r }));
    assert.equal(isHostToWebview({ type: 'quotas', quotas: { rows: 'x' } }), false);
  });

  it('alerts: exceeded always, nearly full from the threshold, the setting offered only with it', () => {
    const r = quotasReading(quotas, 80, 1000);
    assert.deepEqual(r.alerts.map((a) => [a.id, a.severity, a.fix?.setting]), [
      ['quotaExceeded:/zero', 'error', undefined],
      ['quotaNearLimit:/b', 'warning', QUOTA_ALERT_SETTING],
    ]);
    const offers = new PanelOffers();
    assert.equal(panelAction({ type: 'openSetting', setting: QUOTA_ALERT_SETTING }, offers).type, 'ignored');
    offers.quotasPosted(r);
    assert.deepEqual(panelAction({ type: 'openSetting', setting: QUOTA_ALERT_SETTING }, offers), { type: 'openSetting', setting: QUOTA_ALERT_SETTING });
    offers.quotasPosted(quotasReading(quotas, 90, 1000));
    assert.equal(panelAction({ type: 'openSetting', setting: QUOTA_ALERT_SETTING }, offers).type, 'ignored', 'no longer offered');
  });

  it('words the rows, the alerts and a failed read through the Translate it is given', async () => {
    const r = quotasReading(quotas, 80, 1000, false, marking);
    for (const row of r.rows) assert.equal(untranslated(row.limitsText), '', row.limitsText);
    const unread = r.rows.find((x) => x.path === '/unread')!;
    assert.equal(unread.problem, '«no zookeeper_stats node: the server has not counted this subtree»');
    assert.equal(quotasReading(quotas, 80, 1000).rows.find((x) => x.path === '/unread')!.problem, 'no zookeeper_stats node: the server has not counted this subtree');
    assert.equal(r.alerts.length, 2);
    for (const a of r.alerts) for (const text of [a.title, a.detail ?? '', a.fix?.text ?? '']) assert.equal(untranslated(text), '', text);
    const failing = { getChildren: () => Promise.reject(new Error('boom')), exists: () => Promise.reject(new Error('boom')) };
    const failed = await readQuotasForPanel(failing as never, 80, () => 1, marking);
    assert.match(failed.problem ?? '', /^«.*boom/);
  });
});
