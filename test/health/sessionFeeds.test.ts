// The panel's Quotas section is told why it has nothing to show while the connection is closed,
// instead of keeping its "Reading the quotas…" caption for as long as the panel is open.
import * as assert from 'node:assert/strict';
import { DynamicConfigFeed } from '../../src/health/dynamicConfigFeed';
import { QuotaFeed } from '../../src/health/quotaFeed';
import type { DynamicConfigReading } from '../../src/zk/health/dynamicConfigSection';
import type { EnsembleConnection } from '../../src/zk/ensembleConnection';
import type { QuotasReading } from '../../src/zk/health/quotaSection';

describe('QuotaFeed', () => {
  const settings = () => ({ pollIntervalMs: 5000, quotaAlertPercent: 80 });

  it('posts a reason, not silence, when there is no open connection', async () => {
    const posted: QuotasReading[] = [];
    await new QuotaFeed(() => undefined, settings, (r) => posted.push(r)).update();
    assert.equal(posted.length, 1);
    assert.match(posted[0]!.problem ?? '', /connect to this ensemble/);
    assert.deepEqual(posted[0]!.rows, []);
  });

  it('posts the reason for a connection that is still connecting, then reads as soon as it is connected', async () => {
    const posted: QuotasReading[] = [];
    const conn = { state: 'connecting', chroot: '/app' } as unknown as EnsembleConnection;
    const feed = new QuotaFeed(() => conn, settings, (r) => posted.push(r));
    await feed.update();
    (conn as { state: string }).state = 'connected';
    await feed.update(); // not throttled by the earlier post: nothing was read then
    assert.equal(posted.length, 2);
    assert.match(posted[0]!.problem ?? '', /connect to this ensemble/);
    assert.match(posted[1]!.problem ?? '', /chroot \/app/);
  });
});

describe('DynamicConfigFeed', () => {
  it('posts a reason, not silence, when there is no open connection', async () => {
    const posted: DynamicConfigReading[] = [];
    await new DynamicConfigFeed(() => undefined, () => [], () => 5000, (r) => posted.push(r)).update();
    assert.equal(posted.length, 1);
    assert.match(posted[0]!.problem ?? '', /connect to this ensemble/);
  });
});
