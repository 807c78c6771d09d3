// One cold activation, in a fresh Node process (run by bench/activation.ts): installs the fake
// `vscode` module (test/fakes/vscode.ts), requires a bundle, calls its activate() with a fake
// ExtensionContext and the configured connections, and prints one JSON line with the timings.
// Usage: node --expose-gc out/bench/activationChild.js <bundle.js> <extensionRoot> <connections JSON>
import { fakeExtensionContext, installFakeVscode, outputLines, registeredCommands, setConfiguration, treeViews, unknownAccesses } from '../test/fakes/vscode';

export interface ActivationRun {
  requireMs: number;
  activateMs: number;
  /** Heap used after activation minus before the require (forced GC both times), MiB. */
  heapMiB: number;
  commands: number;
  treeViews: string[];
  lastLogLine: string;
  /** vscode API used that the fake only pretends to have. */
  stubbed: string[];
}

async function main(): Promise<void> {
  const [bundle, root, connectionsJson] = process.argv.slice(2);
  installFakeVscode();
  setConfiguration('zookeeper.connections', JSON.parse(connectionsJson));
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const ext = require(bundle) as { activate(ctx: unknown): unknown; deactivate?(): unknown };
  const t1 = performance.now();
  const context = fakeExtensionContext(root);
  await ext.activate(context);
  const t2 = performance.now();
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  const run: ActivationRun = {
    requireMs: t1 - t0,
    activateMs: t2 - t1,
    heapMiB: (heap1 - heap0) / (1024 * 1024),
    commands: registeredCommands.size,
    treeViews: [...treeViews.keys()],
    lastLogLine: outputLines[outputLines.length - 1] ?? '',
    stubbed: unknownAccesses(),
  };
  for (const d of context.subscriptions) d.dispose();
  ext.deactivate?.();
  process.stdout.write(JSON.stringify(run) + '\n');
  process.exit(0); // a timer left by the code under test must not keep the run going
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
