// The cluster-health app: receives snapshots from the host and renders them. It never talks to a
// server itself; the only things it sends are the user's requests (refresh, copy, open a setting)
// and which server's clients it wants (while that server's details are open).
import { t } from './l10n';
import { isHostToWebview, type HealthAlert, type HostToWebview, type WebviewToHost } from '../../src/protocol/health';
import { progressRing, registerToolkit } from '../toolkit';
import { AlertsView } from './alerts';
import { ChartsView } from './charts';
import { el, setText } from './dom';
import { QuotasView } from './quotas';
import { DynamicConfigView } from './dynamicConfig';
import { ServerList } from './serverList';
import { SummaryView } from './summary';
import { vscodeApi } from './vscodeApi';

export function startHealthApp(root: HTMLElement): void {
  registerToolkit();
  const api = vscodeApi();
  const send = (m: WebviewToHost) => api.postMessage(m);

  const summary = new SummaryView(() => send({ type: 'refresh' }));
  const servers = new ServerList(send);
  const charts = new ChartsView();
  const alerts = new AlertsView(send);
  const quotas = new QuotasView();
  const dynamicConfig = new DynamicConfigView(send);
  // The snapshot's alerts and the quota alerts (read apart) are one list.
  let serverAlerts: HealthAlert[] = [];
  let quotaAlerts: HealthAlert[] = [];
  const showAlerts = () => alerts.update([...serverAlerts, ...quotaAlerts]);
  const loading = el('div', { className: 'loading' }, progressRing(t('Loading')), el('span', { text: t('Waiting for the first answers…') }));
  const status = el('p', { className: 'status muted', attrs: { role: 'status' } });
  root.append(
    summary.element,
    status,
    loading,
    el('h2', { text: t('Servers') }),
    servers.element,
    alerts.element,
    quotas.element,
    dynamicConfig.element,
    el('h2', { text: t('Last minutes') }),
    charts.element,
  );

  const onMessage = (m: HostToWebview) => {
    if (m.type === 'snapshot') {
      loading.hidden = true;
      setText(status, '');
      // Kept by VS Code, so that the panel comes back for this ensemble after a reload.
      if (api.getState()?.connectionName !== m.snapshot.connectionName) api.setState({ connectionName: m.snapshot.connectionName });
      summary.update(m.snapshot);
      summary.setPolling(true);
      servers.update(m.snapshot.servers);
      serverAlerts = m.snapshot.alerts;
      showAlerts();
      charts.update(m.history);
    } else if (m.type === 'quotas') {
      quotas.update(m.quotas);
      quotaAlerts = m.quotas.alerts;
      showAlerts();
    } else if (m.type === 'dynamicConfig') {
      dynamicConfig.update(m.config);
    } else if (m.type === 'clients') {
      servers.showClients(m.server, m.clients);
    } else {
      summary.setPolling(m.polling, m.message);
      setText(status, m.message ?? '');
      if (m.message) loading.hidden = true;
    }
  };

  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    if (isHostToWebview(e.data)) onMessage(e.data);
  });
  setInterval(() => {
    const now = Date.now();
    summary.tick(now);
    servers.tick(now);
  }, 1000);
  send({ type: 'ready' });
}
