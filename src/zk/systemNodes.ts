// ZooKeeper's own nodes that a plain write would make lie. /zookeeper/config is the ensemble's
// dynamic configuration: the servers change it only through reconfig, yet a super or skipACL
// session's setData is accepted and leaves the node describing members that are not the real ones
// (checked on a 3.8 ensemble), and the next reconfig would be guarded by that false version.
import { ZkError } from './errors';
import { msg, type Message } from './message';

export const DYNAMIC_CONFIG_NODE = '/zookeeper/config';

/** Why data must not be written to this server path directly, or undefined. */
export function directWriteProblem(serverPath: string): Message | undefined {
  if (serverPath === DYNAMIC_CONFIG_NODE) {
    return msg(
      "{0} is the ensemble's dynamic configuration: ZooKeeper changes it only through a reconfiguration, and data written here directly would no longer describe the real members. Use Add Member…, Remove Member… or Change Role… instead. Nothing was written.",
      DYNAMIC_CONFIG_NODE,
    );
  }
  return undefined;
}

/** Throws INVALID_ARGUMENT (nothing sent) for a data write that directWriteProblem refuses. */
export function assertDirectWriteAllowed(serverPath: string, op: string): void {
  const problem = directWriteProblem(serverPath);
  if (problem) throw new ZkError('INVALID_ARGUMENT', problem, { path: serverPath, op });
}
