import * as assert from 'node:assert/strict';
import * as fmt from '../../webview/health/format';

describe('webview health format', () => {
  it('numbers, bytes, durations', () => {
    assert.equal(fmt.num(undefined), '—');
    assert.equal(fmt.num(12345), '12,345');
    assert.equal(fmt.num(0.25), '0.3');
    assert.equal(fmt.num(Number.NaN), '—');
    assert.equal(fmt.bytes(182), '182 B');
    assert.equal(fmt.bytes(5 * 1024 * 1024), '5.0 MiB');
    assert.equal(fmt.bytes(-1), '—');
    assert.equal(fmt.duration(3591), '3s');
    assert.equal(fmt.duration(3_725_000), '1h 2m');
    assert.equal(fmt.duration(3 * 86_400_000 + 3_600_000), '3d 1h');
  });

  it('compound cells', () => {
    assert.equal(fmt.latency({ latencyMin: 0, latencyAvg: 0.5, latencyMax: 12 }), '0 / 0.5 / 12');
    assert.equal(fmt.latency({}), '—');
    assert.equal(fmt.fds({ openFds: 49, maxFds: 20000 }), '49 / 20,000');
    assert.equal(fmt.leaderFigures({ learners: 2, syncedFollowers: 2, pendingSyncs: 0 }), '2 / 2 / 0');
    assert.equal(fmt.lag({ epochs: 0, txns: 0 }), 'in step');
    assert.equal(fmt.lag({ epochs: 0, txns: 1 }), '1 txn');
    assert.equal(fmt.lag({ epochs: 1, txns: 0 }), 'in step', 'a new epoch without transactions yet');
    assert.equal(fmt.lag({ epochs: 2, txns: 5 }), '5 txns (older epoch)');
    assert.equal(fmt.reachText({ reach: 'timeout', notServing: false }), 'no answer');
    assert.equal(fmt.reachText({ reach: 'up', notServing: true }), 'up, not serving');
    assert.equal(fmt.reachTone({ reach: 'up', notServing: true }), 'bad');
    assert.equal(fmt.age(1000, 4000), '3 s ago');
    assert.equal(fmt.age(undefined, 4000), '—');
  });

  it('the Clients section: ages, packets, caption, "and N more"', () => {
    assert.equal(fmt.ago(1000, 1500), 'just now');
    assert.equal(fmt.ago(5000, 1000), 'just now', 'a server clock ahead of ours');
    assert.equal(fmt.ago(0, 65_000), '1m 5s ago');
    assert.equal(fmt.ago(undefined, 1), '—');
    assert.equal(fmt.receivedSent({ received: 1234, sent: 7 }), '1,234 / 7');
    assert.equal(fmt.receivedSent({}), '—');
    assert.equal(fmt.clientsCaption({ total: 1, via: 'cons' }), '1 connection');
    assert.equal(fmt.clientsCaption({ total: 3, via: 'adminServer' }), '3 connections (from the AdminServer; cons is not whitelisted)');
    assert.equal(fmt.moreText({ more: 0, rows: [] }), '');
    assert.equal(fmt.moreText({ more: 1500, rows: new Array(100) }), 'and 1,500 more (the 100 with the most requests are shown)');
  });
});
