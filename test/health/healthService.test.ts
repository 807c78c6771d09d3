// The health service on the fake vscode module: a poller per configured ensemble, running only
// while a panel or a status bar item needs it, at the panel's interval or the status bar's slower
// one; rebuilt when the connect string or the probe deadline changes (thresholds only are applied
// to the running poller); dropped with its connection. Probes go to a closed loopback port.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { setConfiguration, workspace } from '../fakes/vscode';
import { FakeRegistry } from '../fakes/fakeRegistry';
import { HealthService } from '../../src/health/healthService';

describe('health service', () => {
  let registry: FakeRegistry;
  let service: HealthService;

  beforeEach(() => {
    setConfiguration('zookeeper.health.pollIntervalMs', 5000);
    setConfiguration('zookeeper.health.statusBarPollIntervalMs', 15000);
    registry = new FakeRegistry().set({ name: 'a', connectString: '127.0.0.1:1' });
    service = new HealthService(registry.asRegistry());
  });
  afterEach(() => {
    service.dispose();
    for (const k of ['pollIntervalMs', 'statusBarPollIntervalMs', 'timeoutMs', 'latencyWarnMs']) setConfiguration(`zookeeper.health.${k}`, undefined);
  });

  it('polls only while something needs it, at the interval of the most demanding need', () => {
    assert.equal(service.poller('nope'), undefined, 'no poller for a name that is not configured');
    const poller = service.poller('a')!;
    assert.equal(poller.running, false, 'created, not started');
    const status = service.need('a', 'status');
    assert.equal(poller.running, true);
    assert.equal(poller.pollIntervalMs, 15000, 'a status bar item alone polls at its slower interval');
    const panel = service.need('a', 'panel');
    assert.equal(poller.pollIntervalMs, 5000, 'a panel polls at the panel interval');
    panel.dispose();
    panel.dispose(); // a need is given back once
    assert.equal(poller.pollIntervalMs, 15000);
    assert.equal(poller.running, true);
    status.dispose();
    assert.equal(poller.running, false);
    assert.equal(service.need('nope', 'panel') !== undefined, true, 'an unknown name gives a harmless disposable');
  });

  it('rebuilds a poller for a new connect string or deadline, keeps it for new thresholds, drops it with its connection', async () => {
    const first = service.poller('a')!;
    const need = service.need('a', 'panel');
    const config = workspace.getConfiguration('zookeeper.health');

    await config.update('latencyWarnMs', 250);
    assert.equal(service.poller('a'), first, 'thresholds are applied to the running poller');
    assert.equal(service.current.thresholds.latencyWarnMs, 250);

    await config.update('timeoutMs', 3000);
    const second = service.poller('a')!;
    assert.notEqual(second, first, 'a new deadline needs a new poller');
    assert.equal(first.running, false, 'the old one is stopped');
    assert.equal(second.running, true, 'the need carries over');
    assert.equal(second.timeoutMs, 3000);

    registry.set({ name: 'a', connectString: '127.0.0.1:2' });
    const third = service.poller('a')!;
    assert.notEqual(third, second);
    assert.deepEqual(third.targets().map((t) => t.key), ['127.0.0.1:2']);

    registry.remove('a');
    assert.equal(third.running, false);
    assert.equal(service.poller('a'), undefined);
    need.dispose();
  });
});
