// Add / Edit / Remove / Connect / Disconnect / Reconnect: quick inputs validated as you type.
import * as vscode from 'vscode';
import { connectStringProblem } from '../zk/connectString';
import type { ConnectionConfig } from '../zk/config';
import { passwordKey } from '../zk/passwordKey';
import type { ConnectionRegistry } from './connectionRegistry';
import { COMMANDS, type CommandId } from '../ui/commandIds';
import { pickConnection, type ConnectionArg } from '../ui/connectionArgs';
import { errorMessage, registerCommand } from '../ui/registerCommand';
import { localized } from '../ui/localized';
import { addConnectionSetting, removeConnectionSetting, replaceConnectionSetting } from './connectionSettings';

/** One validated text step; undefined when the user pressed Escape. */
function ask(opts: {
  title: string;
  step: number;
  steps: number;
  prompt: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  validate: (v: string) => string | undefined;
}): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = opts.title;
    box.step = opts.step;
    box.totalSteps = opts.steps;
    box.prompt = opts.prompt;
    box.value = opts.value ?? '';
    box.placeholder = opts.placeholder;
    box.password = opts.password ?? false;
    box.ignoreFocusOut = true;
    const check = () => {
      box.validationMessage = box.value === '' && opts.value === undefined ? undefined : opts.validate(box.value);
    };
    check();
    let done = false;
    box.onDidChangeValue(check);
    box.onDidAccept(() => {
      const problem = opts.validate(box.value);
      if (problem) {
        box.validationMessage = problem;
        return;
      }
      done = true;
      resolve(box.value);
      box.hide();
    });
    box.onDidHide(() => {
      if (!done) resolve(undefined);
      box.dispose();
    });
    box.show();
  });
}

async function connectionForm(registry: ConnectionRegistry, existing?: ConnectionConfig): Promise<{ config: ConnectionConfig; password?: string } | undefined> {
  const title = existing ? vscode.l10n.t('Edit ZooKeeper Connection "{0}"', existing.name) : vscode.l10n.t('Add ZooKeeper Connection');
  const steps = 4;
  const taken = new Set(registry.configs().map((c) => c.name).filter((n) => n !== existing?.name));
  const name = await ask({
    title, step: 1, steps, prompt: vscode.l10n.t('A unique name, shown in the tree and used in zk:// URIs'), value: existing?.name, placeholder: vscode.l10n.t('e.g. kafka-prod'),
    validate: (v) =>
      v.trim() === '' ? vscode.l10n.t('Enter a name') : taken.has(v.trim()) ? vscode.l10n.t('"{0}" is already used by another connection', v.trim()) : v.includes('/') ? vscode.l10n.t('A name cannot contain "/"') : undefined,
  });
  if (name === undefined) return undefined;
  const connectString = await ask({
    title, step: 2, steps, prompt: vscode.l10n.t('host:port[,host:port…][/chroot]; IPv6 as [::1]:2181'), value: existing?.connectString, placeholder: '127.0.0.1:2181',
    validate: (v) => localized(connectStringProblem(v)),
  });
  if (connectString === undefined) return undefined;
  const authItems = [
    { label: vscode.l10n.t('No credentials'), id: 'none' },
    { label: vscode.l10n.t('Digest user and password'), id: 'digest', description: vscode.l10n.t('the password goes to VS Code secret storage') },
    {
      label: vscode.l10n.t('SASL DIGEST-MD5 user and password'),
      id: 'sasl',
      description: vscode.l10n.t('for servers with a JAAS Server section; the password goes to VS Code secret storage'),
      detail: vscode.l10n.t('Kerberos (GSSAPI) is not supported: it needs a native Kerberos library'),
    },
  ];
  const authPick = await vscode.window.showQuickPick(authItems, { title: `${title} (3/${steps})`, placeHolder: vscode.l10n.t('Authentication'), ignoreFocusOut: true });
  if (!authPick) return undefined;
  let auth: ConnectionConfig['auth'];
  let password: string | undefined;
  if (authPick.id === 'digest') {
    const user = await ask({ title, step: 3, steps, prompt: vscode.l10n.t('Digest user name'), value: existing?.auth?.user, validate: (v) => (v.trim() === '' ? 'Enter a user name' : v.includes(':') ? 'A digest user name cannot contain ":"' : undefined) });
    if (user === undefined) return undefined;
    password = await ask({ title, step: 3, steps, prompt: vscode.l10n.t('Password for {0} (kept in secret storage, never in settings)', user), password: true, validate: () => undefined });
    if (password === undefined) return undefined;
    auth = { scheme: 'digest', user: user.trim() };
  } else if (authPick.id === 'sasl') {
    const user = await ask({ title, step: 3, steps, prompt: vscode.l10n.t('SASL user name (a user_<name> of the server\'s JAAS Server section)'), value: existing?.auth?.user, validate: (v) => (v.trim() === '' ? 'Enter a user name' : undefined) });
    if (user === undefined) return undefined;
    password = await ask({ title, step: 3, steps, prompt: vscode.l10n.t('Password for {0} (kept in secret storage, never in settings)', user), password: true, validate: () => undefined });
    if (password === undefined) return undefined;
    auth = { scheme: 'sasl', mechanism: 'DIGEST-MD5', user: user.trim() };
  }
  const ro = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Read and write'), readOnly: false },
      { label: vscode.l10n.t('Read-only'), readOnly: true, description: vscode.l10n.t('refuse every write (for production)') },
    ],
    { title: `${title} (4/${steps})`, placeHolder: vscode.l10n.t('Access'), ignoreFocusOut: true },
  );
  if (!ro) return undefined;
  const config: ConnectionConfig = { ...existing, name: name.trim(), connectString: connectString.trim(), auth, readOnly: ro.readOnly || undefined };
  if (!auth) delete config.auth;
  if (!config.readOnly) delete config.readOnly;
  return { config, password };
}

export function registerConnectionCommands(context: vscode.ExtensionContext, registry: ConnectionRegistry): void {
  const reg = (id: CommandId, fn: (arg?: ConnectionArg) => Promise<unknown>) => registerCommand(context, id, fn);

  reg(COMMANDS.addConnection, async () => {
    const form = await connectionForm(registry);
    if (!form) return;
    if (form.password !== undefined) await registry.storePassword(form.config, form.password);
    await addConnectionSetting(form.config);
    await registry.reload();
    await registry.open(form.config.name);
  });

  reg(COMMANDS.editConnection, async (arg) => {
    const name = await pickConnection(registry, arg, vscode.l10n.t('Edit Connection'));
    const existing = name ? registry.config(name) : undefined;
    if (!name || !existing) return;
    const form = await connectionForm(registry, existing);
    if (!form) return;
    // The password is stored for (name, connect string, user): when any of them changes, the old one goes.
    if (passwordKey(form.config) !== passwordKey(existing)) await registry.deletePassword(existing);
    if (form.password !== undefined) await registry.storePassword(form.config, form.password);
    await replaceConnectionSetting(name, form.config);
    await registry.reload();
    await registry.resetCredentials(form.config.name);
  });

  reg(COMMANDS.removeConnection, async (arg) => {
    const name = await pickConnection(registry, arg, vscode.l10n.t('Remove Connection'));
    if (!name) return;
    const remove = vscode.l10n.t('Remove');
    const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Remove the connection "{0}"? Its data in ZooKeeper is not touched.', name), { modal: true }, remove);
    if (ok !== remove) return;
    const config = registry.config(name);
    if (config) await registry.deletePassword(config);
    await removeConnectionSetting(name);
    await registry.reload();
  });

  reg(COMMANDS.connect, async (arg) => {
    const name = await pickConnection(registry, arg, vscode.l10n.t('Connect'));
    if (name) await registry.open(name);
  });

  reg(COMMANDS.disconnect, async (arg) => {
    const name = await pickConnection(registry, arg, vscode.l10n.t('Disconnect'));
    if (name) await registry.get(name)?.close();
  });

  reg(COMMANDS.reconnect, async (arg) => {
    const name = await pickConnection(registry, arg, vscode.l10n.t('Reconnect'));
    const c = name ? registry.get(name) : undefined;
    if (!name || !c) return;
    // A refused password is forgotten so that connecting asks again; a server without SASL, one that
    // requires it, or an unsupported mechanism is not the password's fault: it is kept.
    const kind = c.getStatus().authFailure;
    if (c.state === 'authFailed' && (kind === undefined || kind === 'rejected')) {
      const config = registry.config(name);
      if (config) await registry.deletePassword(config);
      await registry.resetCredentials(name);
    }
    if (c.state === 'idle' || c.state === 'closed' || c.state === 'authFailed') await registry.open(name);
    else
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reconnecting {0}…', name) }, () =>
        c.reconnect().catch((e: Error) => void vscode.window.showErrorMessage(vscode.l10n.t('ZooKeeper "{0}": {1}', name, errorMessage(e)))),
      );
  });
}
