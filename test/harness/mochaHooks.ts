// Root hooks for every mocha run: whatever ZooKeeper servers a test file left running are
// stopped (and their temp dirs deleted) once all tests are done.
import { stopAllClusters } from './zookeeper';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopAllClusters();
  },
};
