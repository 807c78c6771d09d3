// The tree's quota marks: a "Q" badge on a node with a quota (yellow when its fullest limit is at
// or above the alert threshold, red when a limit is exceeded), and the quota in the row's tooltip.
import * as vscode from 'vscode';
import { describeLimits, describeUse, fullest, limitUses, type Quota } from '../zk/clusterAdmin/quotas';
import { ZNODE_SCHEME, ZnodeUri } from '../zk/znodeUri';
import { md } from '../zk/markdown';
import { localized } from '../ui/localized';
import type { QuotaIndex } from './quotaIndex';

export class QuotaDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<undefined>();
  readonly onDidChangeFileDecorations = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly index: QuotaIndex) {
    this.subscription = index.onDidChange(() => this.emitter.fire(undefined));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== ZNODE_SCHEME) return undefined;
    let z: ZnodeUri;
    try {
      z = ZnodeUri.fromParts(uri.authority, uri.path);
    } catch {
      return undefined;
    }
    const q = this.index.get(z.connection, z.path);
    if (!q) return undefined;
    const top = fullest(q);
    const color = !top ? undefined : top.used > top.limit ? new vscode.ThemeColor('list.errorForeground') : top.fraction * 100 >= quotaAlertPercent() ? new vscode.ThemeColor('list.warningForeground') : undefined;
    return new vscode.FileDecoration('Q', quotaTooltipText(q), color);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

/** One line: "Quota: nodes: soft 10 — 3 of 10 nodes (soft limit, 30%)", in the user's language. */
export function quotaTooltipText(q: Quota): string {
  const limits = describeLimits(q.limits, vscode.l10n.t);
  const uses = limitUses(q).map((u) => describeUse(u, vscode.l10n.t));
  if (uses.length > 0) return vscode.l10n.t('Quota: {0} — {1}', limits, uses.join('; '));
  return q.usage ? vscode.l10n.t('Quota: {0}', limits) : vscode.l10n.t('Quota: {0} — usage not counted', limits);
}

/** The quota as a Markdown section of the row's tooltip. */
export function quotaTooltipMarkdown(q: Quota): string {
  const lines = [vscode.l10n.t('**Quota** on {0}: {1}', md(q.path), md(describeLimits(q.limits, vscode.l10n.t)))];
  if (q.usage) lines.push(vscode.l10n.t('Used: {0} nodes, {1} bytes', q.usage.count.toLocaleString('en'), q.usage.bytes.toLocaleString('en')));
  for (const u of limitUses(q)) lines.push(`- ${md(describeUse(u, vscode.l10n.t))}`);
  if (q.problem) lines.push(vscode.l10n.t('({0})', md(localized(q.problem))));
  return lines.join('\n\n');
}

/** `zookeeper.health.quotaAlertPercent` (default 80), the panel's alert threshold. */
function quotaAlertPercent(): number {
  const v = vscode.workspace.getConfiguration('zookeeper.health').get<unknown>('quotaAlertPercent');
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 && v <= 100 ? v : 80;
}
