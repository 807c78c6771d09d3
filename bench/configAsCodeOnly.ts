// The config-as-code case alone (pull and plan of the 50,001-node subtree next to its references),
// for profiling it without the whole `npm run bench`:
//   npx tsc -p tsconfig.json && node --cpu-prof --cpu-prof-dir=/tmp/prof out/bench/configAsCodeOnly.js [runs]
// Starts its own standalone server and stops it on the way out.
import { ZkCluster, stopAllClusters } from '../test/harness/zookeeper';
import { benchConfigAsCode } from './configAsCode';

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const cluster = await ZkCluster.startStandalone();
  try {
    const r = await benchConfigAsCode(cluster.connectString, { runs, log: (l) => console.log(l) });
    const x = (a: number, b: number) => (a / b).toFixed(2) + '×';
    console.log(`median: walk ${Math.round(r.walk.medianMs)} ms, walk with data+ACL ${Math.round(r.walkWithDataAndAcl.medianMs)} ms, pull ${Math.round(r.pull.medianMs)} ms, plan ${Math.round(r.plan.medianMs)} ms`);
    console.log(`pull ${x(r.pull.medianMs, r.walkWithDataAndAcl.medianMs)}, plan ${x(r.plan.medianMs, r.walkWithDataAndAcl.medianMs)} of the walk with data and ACLs`);
  } finally {
    await cluster.close().catch(() => undefined);
    await stopAllClusters().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
