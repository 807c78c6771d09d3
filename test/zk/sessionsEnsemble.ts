// Test fixture shared by the session-lookup and server-clients integration tests: a real 3-node
// ensemble whose member 3 whitelists only `srvr` (so `cons` is refused there), started before the
// tests of the calling describe block and stopped after them, with clients connected to one chosen
// member and closed at the end.
import { ZkClient } from '../../src/zk/client';
import { ZkCluster } from '../harness/zookeeper';

export interface SessionsEnsemble {
  readonly cluster: ZkCluster;
  /** A client connected to member `id` only. */
  clientOn(id: number): Promise<ZkClient>;
  /** The clients made so far, in order. */
  readonly clients: readonly ZkClient[];
}

/** Call inside a describe block: registers its before/after hooks. */
export function useSessionsEnsemble(): SessionsEnsemble {
  let cluster: ZkCluster | undefined;
  const clients: ZkClient[] = [];
  before(async function () {
    this.timeout(90_000);
    cluster = await ZkCluster.startEnsemble(3, { perServerWhitelist: { 3: 'srvr' } });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await cluster?.close();
  });
  return {
    clients,
    get cluster(): ZkCluster {
      if (!cluster) throw new Error('the ensemble did not start (see the before hook)');
      return cluster;
    },
    async clientOn(id: number): Promise<ZkClient> {
      const c = new ZkClient({ connectString: this.cluster.server(id).address });
      clients.push(c);
      await c.connect();
      return c;
    },
  };
}
