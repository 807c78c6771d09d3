// Add Member…, Remove Member… and Change Role…: each reads the dynamic config, asks for the change,
// builds the proposal (reconfigProposal.ts) against the members serving now, refuses an unsafe one
// before anything is sent, shows the new quorum in a modal confirm, then runs the incremental
// reconfig guarded by the version read and follows it until every member reports it. Read-only
// and chrooted connections are refused here, and the client's read-only guard refuses below.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { pickConnection } from '../ui/connectionArgs';
import { displayName } from '../zk/displayText';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { ZkError } from '../zk/errors';
import { parseMemberLine, type EnsembleMember } from '../zk/health/fourLetterWords';
import { CONFIG_NODE, ReconfigRefused, describeProgress, followReconfig, membersServing, readDynamicConfig, runReconfig, type ReadConfig } from '../zk/reconfig';
import { NO_VERSION, describeQuorum, memberLine, propose, reconfigCommand, type Change, type Proposal } from '../zk/reconfigProposal';
import { localized } from '../ui/localized';
import { errorMessage } from '../ui/registerCommand';

/** From the palette (nothing), a tree row or the health panel (`connectionName`, and `memberId` for a row's button). */
export type ReconfigArg = { connectionName?: string; memberId?: number } | string | undefined;

/** How long the outcome is followed before it is reported as incomplete. */
const FOLLOW_MS = 60_000;

const cancelled = () => new ZkError('CANCELLED', vscode.l10n.t('Cancelled'));

export class ReconfigCommands {
  constructor(private readonly registry: ConnectionRegistry) {}

  async addMember(arg: ReconfigArg): Promise<void> {
    const { connection, config } = await this.prepare(arg, vscode.l10n.t('Add Member'));
    const nextId = Math.max(0, ...config.members.map((m) => m.id)) + 1;
    const host = config.members[0]?.host ?? '127.0.0.1';
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Add Member to {0} (config version {1})', displayName(connection.name), config.version ?? '?'),
      prompt: vscode.l10n.t('The new server as its config line: server.N=host:quorumPort:electionPort:participant|observer;[clientHost:]clientPort. Start it first with the current config plus this line.'),
      value: `server.${nextId}=${host}:`,
      valueSelection: [`server.${nextId}=${host}:`.length, `server.${nextId}=${host}:`.length],
      placeHolder: `server.${nextId}=${host}:2888:3888:observer;${host}:2181`, // l10n-ignore: a config line
      ignoreFocusOut: true,
      validateInput: (text) => {
        const member = parseMemberLine(text);
        if (!member) return vscode.l10n.t('Write it as server.N=host:quorumPort:electionPort:participant|observer;[clientHost:]clientPort');
        const refusal = propose(config, { kind: 'add', member }).refusals.find((r) => r !== NO_VERSION);
        return refusal && localized(refusal);
      },
    });
    if (value === undefined) throw cancelled();
    const member = parseMemberLine(value) as EnsembleMember;
    await this.proposeAndRun(connection, config, { kind: 'add', member }, vscode.l10n.t('Add {0}', memberLine(member)));
  }

  async removeMember(arg: ReconfigArg): Promise<void> {
    const { connection, config } = await this.prepare(arg, vscode.l10n.t('Remove Member'));
    const id = await this.pickMember(arg, config, vscode.l10n.t('Remove Member from {0}', displayName(connection.name)));
    await this.proposeAndRun(connection, config, { kind: 'remove', id }, vscode.l10n.t('Remove server.{0}', id));
  }

  async changeRole(arg: ReconfigArg): Promise<void> {
    const { connection, config } = await this.prepare(arg, vscode.l10n.t('Change Role'));
    const id = await this.pickMember(arg, config, vscode.l10n.t('Change the role of a member of {0}', displayName(connection.name)));
    const current = config.members.find((m) => m.id === id);
    const role = current?.type === 'observer' ? 'participant' : 'observer';
    await this.proposeAndRun(connection, config, { kind: 'changeRole', id, role }, vscode.l10n.t('Make server.{0} {1}', id, role === 'participant' ? vscode.l10n.t('a participant') : vscode.l10n.t('an observer')));
  }

  private async prepare(arg: ReconfigArg, what: string): Promise<{ connection: EnsembleConnection; config: ReadConfig }> {
    const name = await pickConnection(this.registry, arg, what);
    if (!name) throw cancelled();
    const existing = this.registry.get(name);
    const connection = existing && existing.state === 'connected' ? existing : await this.registry.open(name);
    if (!connection) throw new Error(vscode.l10n.t('No ZooKeeper connection named "{0}"', displayName(name)));
    if (connection.readOnly) throw new Error(vscode.l10n.t('Connection "{0}" is read-only: the ensemble cannot be reconfigured from it. Clear "readOnly" in its settings to allow changes.', displayName(name)));
    if (connection.chroot !== undefined) throw new Error(vscode.l10n.t('Connection "{0}" has the chroot {1}: {2} is outside it. Add a connection without a chroot to reconfigure the ensemble.', displayName(name), displayName(connection.chroot), CONFIG_NODE));
    return { connection, config: await readDynamicConfig(connection.client) };
  }

  private async pickMember(arg: ReconfigArg, config: ReadConfig, title: string): Promise<number> {
    const given = typeof arg === 'object' ? arg.memberId : undefined;
    if (given !== undefined) {
      if (!config.members.some((m) => m.id === given)) throw new Error(vscode.l10n.t('server.{0} is no longer a member (config version {1})', given, config.version ?? '?'));
      return given;
    }
    const picked = await vscode.window.showQuickPick(
      config.members.map((m) => ({ label: `server.${m.id}`, description: m.type, detail: memberLine(m), id: m.id })),
      { title, placeHolder: vscode.l10n.t('Choose a member') },
    );
    if (!picked) throw cancelled();
    return picked.id;
  }

  private async proposeAndRun(connection: EnsembleConnection, config: ReadConfig, change: Change, what: string): Promise<void> {
    const up = await membersServing(config);
    const proposal = propose(config, change, up);
    if (proposal.refusals.length > 0) {
      await vscode.window.showErrorMessage(vscode.l10n.t('{0}: refused, nothing was sent.', what), { modal: true, detail: proposal.refusals.map(localized).join('\n') });
      return;
    }
    const reconfigure = vscode.l10n.t('Reconfigure');
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('{0} on {1}?', what, displayName(connection.name)), { modal: true, detail: confirmDetail(proposal) }, reconfigure);
    if (answer !== reconfigure) return;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reconfiguring {0}', displayName(connection.name)), cancellable: true },
      async (progress, token) => {
        progress.report({ message: vscode.l10n.t('sending the reconfiguration…') });
        let next: ReadConfig;
        try {
          next = await runReconfig(connection.client, proposal);
        } catch (e) {
          void reportRefusal(e);
          return;
        }
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const followed = await followReconfig(next, {
          timeoutMs: FOLLOW_MS,
          signal: abort.signal,
          onProgress: (members) => progress.report({ message: vscode.l10n.t('{0} of {1} members report version {2}', members.filter((p) => p.state === 'reports').length, members.length, next.version ?? '?') }),
        });
        const summary = vscode.l10n.t('{0}: done, config version {1} ({2}).', what, next.version ?? '?', describeQuorum(proposal.after, vscode.l10n.t));
        if (followed.done) void vscode.window.showInformationMessage(vscode.l10n.t('{0} Every member reports it.', summary));
        else void vscode.window.showWarningMessage(vscode.l10n.t('{0} Not every member reports it yet: {1}', summary, followed.members.filter((p) => p.state !== 'reports').map((p) => describeProgress(p, vscode.l10n.t)).join('; ')));
      },
    );
  }
}

function confirmDetail(p: Proposal): string {
  return [
    vscode.l10n.t('Now: {0}', describeQuorum(p.before, vscode.l10n.t)),
    vscode.l10n.t('After: {0}', describeQuorum(p.after, vscode.l10n.t)),
    ...p.warnings.map(localized),
    vscode.l10n.t('Sends, guarded by config version {0}: {1}', p.fromVersion ?? '?', reconfigCommand(p)),
  ].join('\n');
}

async function reportRefusal(e: unknown): Promise<void> {
  const message = errorMessage(e);
  if (!(e instanceof ReconfigRefused) || e.configLine === undefined) {
    void vscode.window.showErrorMessage(message);
    return;
  }
  const copy = vscode.l10n.t('Copy zoo.cfg Line');
  if ((await vscode.window.showErrorMessage(message, copy)) === copy) await vscode.env.clipboard.writeText(e.configLine);
}
