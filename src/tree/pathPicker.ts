// "Go to Znode…" and the path questions of other tree commands: a quick pick of a path that
// completes the children of what was typed so far.
import * as vscode from 'vscode';
import { isZkError } from '../zk/errors';
import { baseName, joinPath, parentPath, pathProblem } from '../zk/paths';
import { localized } from '../ui/localized';
import { errorMessage } from '../ui/registerCommand';

/** Quick pick of a path, completing the children of what was typed so far. */
export function pickPath(
  client: { getChildren(p: string): Promise<{ children: string[] }> },
  connectionName: string,
  title = vscode.l10n.t('Go to Znode on "{0}"', connectionName),
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick();
    qp.title = title;
    qp.placeholder = vscode.l10n.t('Type a path, e.g. /brokers/ids');
    qp.value = '/';
    let timer: NodeJS.Timeout | undefined;
    let seq = 0;
    /** The value the shown items were made for: after fast typing they can be stale. */
    let itemsFor = '';
    const complete = async () => {
      const value = qp.value.trim() || '/';
      const dir = value.endsWith('/') ? (value.length > 1 ? value.slice(0, -1) : '/') : parentPath(value);
      const prefix = value.endsWith('/') ? '' : baseName(value);
      const mine = ++seq;
      qp.busy = true;
      try {
        const { children } = await client.getChildren(dir);
        if (mine !== seq) return;
        const matches = children.filter((c) => c.toLowerCase().startsWith(prefix.toLowerCase())).sort().slice(0, 200);
        const typed = pathProblem(value) === undefined ? [{ label: value, description: vscode.l10n.t('go here') }] : [];
        qp.items = [...typed, ...matches.map((c) => ({ label: joinPath(dir, c) })).filter((i) => i.label !== value)];
        itemsFor = qp.value;
      } catch (e) {
        if (mine !== seq) return;
        // QuickPick has no validation message: the problem is shown as the only, inert row.
        qp.items = [{ label: `$(error) ${isZkError(e, 'NONODE') ? vscode.l10n.t('{0} does not exist', dir) : errorMessage(e)}`, alwaysShow: true, problem: true } as vscode.QuickPickItem];
      } finally {
        if (mine === seq) qp.busy = false;
      }
    };
    qp.onDidChangeValue(() => {
      clearTimeout(timer);
      timer = setTimeout(() => void complete(), 120);
    });
    let done = false;
    qp.onDidAccept(() => {
      // Items made for an earlier value (Enter pressed before the completion caught up) do not
      // count: what was typed does.
      const fresh = itemsFor === qp.value;
      const selected = fresh ? (qp.selectedItems[0] as (vscode.QuickPickItem & { problem?: boolean }) | undefined) : undefined;
      if (selected?.problem) return;
      const picked = selected?.label ?? qp.value.trim();
      const problem = pathProblem(picked);
      if (problem) {
        qp.items = [{ label: `$(error) ${localized(problem)}`, alwaysShow: true, problem: true } as vscode.QuickPickItem];
        return;
      }
      done = true;
      resolve(picked);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
    void complete();
  });
}
