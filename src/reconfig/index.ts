// Dynamic reconfiguration (issue 17): Add Member…, Remove Member… and Change Role… from the
// palette (with the connection picked) and from the health panel's Dynamic configuration section.
// The domain is src/zk/reconfig.ts and src/zk/reconfigProposal.ts.
import * as vscode from 'vscode';
import type { ConnectionRegistry } from '../connections/connectionRegistry';
import { COMMANDS } from '../ui/commandIds';
import { registerCommand } from '../ui/registerCommand';
import { ReconfigCommands, type ReconfigArg } from './reconfigCommands';

export class ReconfigController {
  constructor(context: vscode.ExtensionContext, registry: ConnectionRegistry) {
    const commands = new ReconfigCommands(registry);
    const options = { errorPrefix: vscode.l10n.t('Reconfiguration') };
    registerCommand(context, COMMANDS.addMember, (arg?: ReconfigArg) => commands.addMember(arg), options);
    registerCommand(context, COMMANDS.removeMember, (arg?: ReconfigArg) => commands.removeMember(arg), options);
    registerCommand(context, COMMANDS.changeRole, (arg?: ReconfigArg) => commands.changeRole(arg), options);
  }
}
