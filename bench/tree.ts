// The tree's listing path, measured through the real ZnodeTreeProvider (src/tree) and
// ConnectionRegistry running in plain Node on the fake vscode module (test/fakes/vscode.ts), against a real server:
//   bigNode  expanding a node with 100,000 children until the first page's tree items exist, each
//            row with its stat (statsIn below)
//            (getChildren with its watch, natural sort, page of 500, the page's exists() round,
//            getTreeItem per row): time, heap held afterwards, and the longest event-loop block
//            (the extension host's freeze); next to a raw node-zookeeper-client getChildren of the
//            same node, and to ZkClient.getChildren alone (our layer without the tree's work); the
//            tree's natural sort of the same list is timed alone too, as a diagnostic.
//   expands  expanding 1,000 ordinary nodes (5 children each) one after another: time per expand
//            and requests per expand (counted by the server: `cons` recved of the session), next
//            to raw getChildren of the same 1,000 nodes.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pageOf, sortChildren } from '../src/zk/childListing';
import { ZkClient, type MultiOp } from '../src/zk/client';
import { deleteSubtree } from '../src/zk/subtree';
import { fourLetterWord } from '../test/harness/zookeeper';
import { closeRaw, connectRaw, gc, rawGetChildren, rawSessionId, round2, sample, sleep, type RawClient, type Sample } from './stats';
import { installFakeVscode, setConfiguration, window as stubWindow } from '../test/fakes/vscode';

installFakeVscode();
// Loaded after the fake: these import 'vscode'.
const { ConnectionRegistry } = require('../src/connections/connectionRegistry') as typeof import('../src/connections/connectionRegistry');
const { ZnodeTreeProvider } = require('../src/tree/znodeTreeProvider') as typeof import('../src/tree/znodeTreeProvider');
type Registry = import('../src/connections/connectionRegistry').ConnectionRegistry;
type Provider = import('../src/tree/znodeTreeProvider').ZnodeTreeProvider;
type TreeNode = import('../src/tree/treeNodes').TreeNode;

const MiB = 1024 * 1024;

export interface BigNodeBench {
  children: number;
  pageSize: number;
  rowsShown: number;
  /** Expand -> first page of tree items (the provider). */
  expand: Sample;
  /** ZkClient.getChildren (our layer, no sorting or paging). */
  oursGetChildren: Sample;
  /** node-zookeeper-client getChildren. */
  rawGetChildren: Sample;
  /** Heap still used after the expand with the listing kept (forced GC before and after), MiB per run. */
  expandHeldMiB: number[];
  rawHeldMiB: number[];
  /** Longest event-loop delay during one expand / one raw getChildren, ms per run. */
  expandBlockMs: number[];
  rawBlockMs: number[];
  /** Requests the expand sent (server-side count). */
  expandRequests: number;
  /** sortChildren (the tree's natural sort) of the raw list alone, ms per run: one synchronous block. */
  sortMs: number[];
  /** pageOf (the first page of 500 in the tree's order, what an expand does) of the raw list alone, ms per run. */
  pageMs: number[];
  gcForced: boolean;
}

export interface ExpandsBench {
  nodes: number;
  childrenEach: number;
  /** 1,000 expands one after another, whole sequence. */
  ours: Sample;
  oursGetChildren: Sample;
  raw: Sample;
  oursRequestsPerExpand: number;
  rawRequestsPerExpand: number;
}

export interface TreeBenchOptions {
  runs?: number;
  expandRuns?: number;
  bigChildren?: number;
  expandNodes?: number;
  childrenEach?: number;
  log?: (line: string) => void;
}

/** `server`: one member's host:port; `clientPort`: its port, for `cons`. */
export async function benchTree(server: string, clientPort: number, opts: TreeBenchOptions = {}): Promise<{ bigNode: BigNodeBench; expands: ExpandsBench }> {
  const log = opts.log ?? (() => undefined);
  const root = `/bench-tree-${process.pid}-${Date.now()}`;
  const seeder = new ZkClient({ connectString: server, name: 'bench seeder', requestTimeoutMs: 60_000 });
  await seeder.connect();
  setConfiguration('zookeeper.connections', [{ name: 'bench', connectString: server }]);
  const registry: Registry = new ConnectionRegistry(
    { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose: () => undefined }) } as never,
    stubWindow.createOutputChannel('ZooKeeper') as never,
    { get: () => undefined, update: async () => undefined, keys: () => [] } as never,
  );
  let raw: RawClient | undefined;
  try {
    await registry.reload();
    if (!(await registry.open('bench'))) throw new Error(`the tree's connection to ${server} did not open`);
    raw = await connectRaw(server);
    await seeder.create(root);
    const big = `${root}/big`;
    const bigChildren = opts.bigChildren ?? 100_000;
    await seedChildren(seeder, big, bigChildren);
    log(`seeded ${big} with ${bigChildren.toLocaleString('en')} children`);
    const bigNode = await benchBig(registry, raw, big, bigChildren, clientPort, opts.runs ?? 5, log);
    await deleteSubtree(seeder, big);

    const nodes = opts.expandNodes ?? 1000;
    const each = opts.childrenEach ?? 5;
    const parents = await seedParents(seeder, `${root}/many`, nodes, each);
    log(`seeded ${nodes} nodes with ${each} children each under ${root}/many`);
    const expands = await benchExpands(registry, raw, parents, each, clientPort, opts.expandRuns ?? 3, log);
    return { bigNode, expands };
  } finally {
    registry.dispose();
    await deleteSubtree(seeder, root).catch(() => undefined);
    await seeder.close();
    if (raw) await closeRaw(raw);
  }
}

async function benchBig(registry: Registry, raw: RawClient, path: string, children: number, port: number, runs: number, log: (l: string) => void): Promise<BigNodeBench> {
  const conn = registry.get('bench')!;
  const t = { expand: [] as number[], ours: [] as number[], raw: [] as number[] };
  const held = { expand: [] as number[], raw: [] as number[] };
  const block = { expand: [] as number[], raw: [] as number[] };
  const sortMs: number[] = [];
  const pageMs: number[] = [];
  let rowsShown = 0;
  let pageSize = 0;
  let expandRequests = 0;
  let gcForced = false;
  // Warm-up: one of each, not counted (collapsed like the measured ones, or its listing would stay).
  const warm = await expandOnce(registry, path);
  warm.provider.collapsed(warm.node);
  warm.provider.dispose();
  await rawGetChildren(raw, path);
  await sleep(50);
  for (let r = 0; r < runs; r++) {
    // The expand, with the provider kept alive (a listing stays in memory while the node is open).
    gcForced = gc();
    let heap0 = process.memoryUsage().heapUsed;
    const requests0 = await requestsOf(port, conn.client.sessionId);
    let loop = loopMonitor();
    let started = performance.now();
    const { provider, node, rows } = await expandOnce(registry, path);
    t.expand.push(performance.now() - started);
    block.expand.push(await loop.stop());
    const requests = (await requestsOf(port, conn.client.sessionId)) - requests0;
    gc();
    held.expand.push(round2((process.memoryUsage().heapUsed - heap0) / MiB));
    rowsShown = rows.length;
    pageSize = provider.pageSize();
    expandRequests = requests;
    if (rows.filter((x) => x.kind === 'znode').length !== Math.min(pageSize, children)) throw new Error(`expand showed ${rows.length} rows`);
    provider.collapsed(node);
    provider.dispose();

    // Raw getChildren, the result kept while measuring.
    gc();
    heap0 = process.memoryUsage().heapUsed;
    loop = loopMonitor();
    started = performance.now();
    let list: string[] | undefined = await rawGetChildren(raw, path);
    t.raw.push(performance.now() - started);
    block.raw.push(await loop.stop());
    gc();
    held.raw.push(round2((process.memoryUsage().heapUsed - heap0) / MiB));
    if (list.length !== children) throw new Error(`raw getChildren: ${list.length} children`);
    // The first page alone, then the tree's full sort, on the list as the server sent it (diagnostics, not references).
    started = performance.now();
    pageOf(list, 500);
    pageMs.push(round2(performance.now() - started));
    started = performance.now();
    sortChildren(list);
    sortMs.push(round2(performance.now() - started));
    list = undefined;

    started = performance.now();
    const ours = await conn.client.getChildren(path);
    t.ours.push(performance.now() - started);
    if (ours.children.length !== children) throw new Error(`ZkClient.getChildren: ${ours.children.length} children`);
    log(
      `run ${r + 1}/${runs}: expand to first page ${ms(t.expand[r])} (${requests} requests, held ${held.expand[r]} MiB, longest block ${block.expand[r]} ms); ` +
        `raw getChildren ${ms(t.raw[r])} (held ${held.raw[r]} MiB, block ${block.raw[r]} ms); ZkClient.getChildren ${ms(t.ours[r])}; first page alone ${ms(pageMs[r])}; sortChildren alone ${ms(sortMs[r])}`,
    );
    await sleep(50); // let the collapse's removeWatches go out
  }
  return {
    children,
    pageSize,
    rowsShown,
    expand: sample(`tree expand -> first ${pageSize} rows`, t.expand),
    oursGetChildren: sample('ZkClient.getChildren', t.ours),
    rawGetChildren: sample('node-zookeeper-client getChildren', t.raw),
    expandHeldMiB: held.expand,
    rawHeldMiB: held.raw,
    expandBlockMs: block.expand,
    rawBlockMs: block.raw,
    expandRequests,
    sortMs,
    pageMs,
    gcForced,
  };
}

async function benchExpands(registry: Registry, raw: RawClient, parents: string[], each: number, port: number, runs: number, log: (l: string) => void): Promise<ExpandsBench> {
  const conn = registry.get('bench')!;
  const t = { ours: [] as number[], layer: [] as number[], raw: [] as number[] };
  let oursRequests = 0;
  let rawRequests = 0;
  const rawSid = rawSessionId(raw);
  for (let r = 0; r < runs; r++) {
    // A fresh provider per run: the tree as it is after the connection opened.
    const provider: Provider = new ZnodeTreeProvider(registry);
    let requests0 = await requestsOf(port, conn.client.sessionId);
    let started = performance.now();
    for (const p of parents) {
      const node = provider.znode('bench', p);
      const rows = await provider.getChildren(node);
      await statsIn(provider, rows);
      for (const row of rows) provider.getTreeItem(row);
      if (rows.length !== each) throw new Error(`expand of ${p}: ${rows.length} rows`);
    }
    t.ours.push(performance.now() - started);
    oursRequests = ((await requestsOf(port, conn.client.sessionId)) - requests0) / parents.length;
    for (const p of parents) provider.collapsed(provider.znode('bench', p));
    provider.dispose();
    await sleep(200); // the collapses' removeWatches

    requests0 = await requestsOf(port, rawSid);
    started = performance.now();
    for (const p of parents) {
      const children = await rawGetChildren(raw, p);
      if (children.length !== each) throw new Error(`raw getChildren ${p}: ${children.length}`);
    }
    t.raw.push(performance.now() - started);
    rawRequests = ((await requestsOf(port, rawSid)) - requests0) / parents.length;

    started = performance.now();
    for (const p of parents) await conn.client.getChildren(p);
    t.layer.push(performance.now() - started);
    log(
      `run ${r + 1}/${runs}: ${parents.length} expands ${ms(t.ours[r])} (${round2(t.ours[r] / parents.length)} ms and ${round2(oursRequests)} requests each); ` +
        `raw getChildren ${ms(t.raw[r])} (${round2(t.raw[r] / parents.length)} ms, ${round2(rawRequests)} requests each); ZkClient.getChildren ${ms(t.layer[r])}`,
    );
  }
  return {
    nodes: parents.length,
    childrenEach: each,
    ours: sample(`${parents.length} tree expands one after another`, t.ours),
    oursGetChildren: sample(`${parents.length} ZkClient.getChildren one after another`, t.layer),
    raw: sample(`${parents.length} raw getChildren one after another`, t.raw),
    oursRequestsPerExpand: round2(oursRequests),
    rawRequestsPerExpand: round2(rawRequests),
  };
}

/** A new provider expanding `path`, and the first page's tree items built (what VS Code asks for). */
async function expandOnce(registry: Registry, path: string): Promise<{ provider: Provider; node: TreeNode; rows: TreeNode[] }> {
  const provider: Provider = new ZnodeTreeProvider(registry);
  const node = provider.znode('bench', path);
  const rows = await provider.getChildren(node);
  await statsIn(provider, rows);
  for (const row of rows) provider.getTreeItem(row);
  return { provider, node, rows };
}

/**
 * Resolves when every row has its stat (its icon, size and child count: the row as the user finally
 * sees it). The provider waits a little for the rows' stats before it answers; when they come later,
 * it redraws the rows, and an expand is over only then. Measuring up to the answer alone would favour
 * a provider that answers with bare rows and redraws them afterwards.
 */
function statsIn(provider: Provider, rows: TreeNode[]): Promise<void> {
  const missing = () => rows.some((r) => r.kind === 'znode' && !r.stat);
  if (!missing()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('the rows\' stats did not come within 10 s'));
    }, 10_000);
    const sub = provider.onDidChangeTreeData(() => {
      if (missing()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/** Packets the server received on a session so far (`cons`: recved), pings included. */
async function requestsOf(port: number, sessionId: string): Promise<number> {
  const cons = await fourLetterWord(port, 'cons', 5000);
  const line = cons.split('\n').find((l) => l.includes(`sid=${sessionId},`) || l.includes(`sid=${sessionId})`));
  const m = line && /recved=(\d+)/.exec(line);
  if (!m) throw new Error(`session ${sessionId} not found in cons:\n${cons}`);
  return Number(m[1]);
}

/**
 * Longest event-loop delay from now until stop(), in ms. The monitor records a block when its timer
 * fires after it, so stop() lets one timer turn pass first: without it the block right before stop()
 * (for the raw reference, its whole reply's decode) went unrecorded.
 */
function loopMonitor(): { stop(): Promise<number> } {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  return {
    stop: async () => {
      await sleep(2);
      h.disable();
      return round2(h.max / 1e6);
    },
  };
}

async function seedChildren(zk: ZkClient, parent: string, count: number): Promise<void> {
  await zk.create(parent);
  const names = Array.from({ length: count }, (_, i) => `member-${String(i).padStart(10, '0')}`);
  await multiBatches(zk, names.map((n): MultiOp => ({ type: 'create', path: `${parent}/${n}`, data: Buffer.from('x') })));
}

async function seedParents(zk: ZkClient, base: string, count: number, each: number): Promise<string[]> {
  await zk.create(base);
  const parents = Array.from({ length: count }, (_, i) => `${base}/node-${String(i).padStart(4, '0')}`);
  const ops: MultiOp[] = [];
  for (const p of parents) {
    ops.push({ type: 'create', path: p, data: Buffer.from('{"a":1}') });
    for (let c = 0; c < each; c++) ops.push({ type: 'create', path: `${p}/child-${c}`, data: Buffer.from('value') });
  }
  await multiBatches(zk, ops);
  return parents;
}

/** Multi batches of 1,000 ops, a few in flight. */
async function multiBatches(zk: ZkClient, ops: MultiOp[]): Promise<void> {
  const batches: MultiOp[][] = [];
  for (let i = 0; i < ops.length; i += 1000) batches.push(ops.slice(i, i + 1000));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) await zk.multi(batches[next++]);
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

const ms = (v: number) => `${Math.round(v)} ms`;
