// Settings a workspace must not set. A repository's .vscode/settings.json (or a .code-workspace
// file) is written by whoever wrote the repository; these settings decide where the extension sends
// the user's stored passwords and other traffic, and whether the read-only guard and TLS checks hold.
// They are read from the user's settings only; a workspace or folder value is ignored, and the user
// is told once (per value) that it was.
import * as vscode from 'vscode';
import { localizable } from '../zk/localize';

/** Full keys read from user settings only, with why (for the notice). */
export const USER_ONLY_SETTINGS: Readonly<Record<string, string>> = {
  // Connect strings, credentials (a stored password goes to the connect string), readOnly, TLS file paths.
  'zookeeper.connections': localizable('which servers receive your stored passwords, the read-only guard and TLS checks'),
  // Ports the health panel sends HTTP to.
  'zookeeper.health.adminServerPorts': localizable('which ports the health panel sends HTTP requests to'),
};

function split(fullKey: string): { section: string; key: string } {
  const dot = fullKey.lastIndexOf('.');
  const section = fullKey.slice(0, dot);
  // 'zookeeper.health.adminServerPorts' -> section 'zookeeper', key 'health.adminServerPorts'
  const root = section.split('.')[0];
  return { section: root, key: fullKey.slice(root.length + 1) };
}

/** The user's value of a user-only setting (or its default); never a workspace's. */
export function userSetting<T>(fullKey: string): T | undefined {
  const { section, key } = split(fullKey);
  const inspected = vscode.workspace.getConfiguration(section).inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

/**
 * A `get` for readHealthSettings over `zookeeper.health`: like the configuration's own, except that
 * user-only keys come from user settings.
 */
export function healthSettingsGetter(): (key: string) => unknown {
  const config = vscode.workspace.getConfiguration('zookeeper.health');
  return (key) => (`zookeeper.health.${key}` in USER_ONLY_SETTINGS ? userSetting(`zookeeper.health.${key}`) : config.get(key));
}

/** The user-only settings the open workspace (or one of its folders) sets, with its value. */
export function workspaceDefinedUserOnlySettings(): { key: string; value: unknown }[] {
  const found: { key: string; value: unknown }[] = [];
  for (const fullKey of Object.keys(USER_ONLY_SETTINGS)) {
    const { section, key } = split(fullKey);
    const values: unknown[] = [];
    const w = vscode.workspace.getConfiguration(section).inspect(key);
    if (w?.workspaceValue !== undefined) values.push(w.workspaceValue);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const f = vscode.workspace.getConfiguration(section, folder.uri).inspect(key);
      if (f?.workspaceFolderValue !== undefined) values.push(f.workspaceFolderValue);
    }
    if (values.length > 0) found.push({ key: fullKey, value: values });
  }
  return found;
}

const SHOWN_KEY = 'zookeeper.ignoredWorkspaceSettingsShown';

/**
 * Tells the user, once per distinct value, that the workspace sets user-only settings and that they
 * are ignored. Returns the message shown (for tests), or undefined.
 */
export async function noticeIgnoredWorkspaceSettings(state: vscode.Memento, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const found = workspaceDefinedUserOnlySettings();
  if (found.length === 0) return undefined;
  const fingerprint = JSON.stringify(found);
  for (const f of found) log.warn(`Ignored ${f.key} from the workspace settings: it is read from user settings only`);
  if (state.get<string>(SHOWN_KEY) === fingerprint) return undefined;
  await state.update(SHOWN_KEY, fingerprint);
  const keys = found.map((f) => f.key);
  const why = found.map((f) => vscode.l10n.t(USER_ONLY_SETTINGS[f.key])).reduce((all, w) => vscode.l10n.t('{0}; and {1}', all, w));
  const message =
    keys.length === 1
      ? vscode.l10n.t('This workspace sets {0}. ZooKeeper Explorer ignores it there and reads it from your user settings only, because it decides {1}. To use these connections, add them to your user settings.', keys[0], why)
      : vscode.l10n.t(
          'This workspace sets {0}. ZooKeeper Explorer ignores them there and reads them from your user settings only, because they decide {1}. To use these connections, add them to your user settings.',
          keys.reduce((all, k) => vscode.l10n.t('{0} and {1}', all, k)),
          why,
        );
  const open = vscode.l10n.t('Open User Settings');
  void vscode.window.showWarningMessage(message, open).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: keys[0] } });
  });
  return message;
}
