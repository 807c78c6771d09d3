// Feeds the panel's Dynamic configuration section: /zookeeper/config read through the user's own
// session (SessionFeed: one reading at a time, at most once per poll interval unless forced) and
// joined with the panel's latest server rows. A chrooted or disconnected connection gets a sentence instead.
import * as vscode from 'vscode';
import { errorMessage } from '../ui/registerCommand';
import type { EnsembleConnection } from '../zk/ensembleConnection';
import { dynamicConfigReading, type DynamicConfigReading } from '../zk/health/dynamicConfigSection';
import type { ServerRow } from '../zk/health/healthTypes';
import { CONFIG_NODE } from '../zk/reconfig';
import { SessionFeed } from './sessionFeed';

export class DynamicConfigFeed extends SessionFeed<DynamicConfigReading> {
  constructor(
    connection: () => EnsembleConnection | undefined,
    private readonly servers: () => readonly ServerRow[],
    pollIntervalMs: () => number,
    post: (reading: DynamicConfigReading) => void,
  ) {
    super(connection, pollIntervalMs, post);
  }

  protected async read(c: EnsembleConnection): Promise<DynamicConfigReading> {
    if (c.chroot !== undefined) return problem(vscode.l10n.t('This connection has the chroot {0}: {1} is outside it.', c.chroot, CONFIG_NODE));
    try {
      const { data } = await c.client.getData(CONFIG_NODE);
      return dynamicConfigReading(Buffer.from(data).toString('utf8'), this.servers(), Date.now(), vscode.l10n.t);
    } catch (e) {
      return problem(vscode.l10n.t('{0} could not be read: {1}', CONFIG_NODE, errorMessage(e)));
    }
  }

  protected notConnected(): DynamicConfigReading {
    return problem(vscode.l10n.t('{0} is read through your own session: connect to this ensemble in the ZooKeeper view to see it.', CONFIG_NODE));
  }
}

function problem(text: string): DynamicConfigReading {
  return { at: Date.now(), members: [], quorum: '', problem: text };
}
