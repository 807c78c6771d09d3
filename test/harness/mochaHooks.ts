// Root hooks for every mocha run: placeholder until the ZooKeeper harness lands.
export const mochaHooks = {};
