// Expanding big nodes in the real VS Code: the packaged extension in code-server + Chromium (the e2e
// driver, test/e2e/workbench.ts) against a real ZooKeeper. Times, in the browser, from the mouse
// press on a node's row to its first child row on screen:
//   big      first expand of a node with 100,000 children (its parent refreshed before each run, so
//            VS Code has no cached children);
//   reBig    collapse and expand again (VS Code shows what it had, the extension lists again);
//   more     "Load more…" on that node, to the next page's first row;
//   small    first expand of a node with 100 children: the reference, measured in the same run, so
//            the ratios mean something on a busy machine.
// Also when the first big row's description (its stat, from the prefetch) is on screen.
// Not part of `npm run bench` (it needs the e2e cache and takes minutes):
//   node scripts/e2e-setup.mjs && npm run build && npx tsc -p tsconfig.json && node out/bench/treeUi.js [--runs N] [--children N]
import { ZkClient, type MultiOp } from '../src/zk/client';
import { isZkError } from '../src/zk/errors';
import { ZkCluster } from '../test/harness/zookeeper';
import { Workbench, expandRow, sleep, waitFor } from '../test/e2e/workbench';

type Locator = ReturnType<Workbench['treeItem']>;

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('runs', 5);
const BIG = arg('children', 100_000);
const SMALL = 100;
const ROOT = '/bench-ui';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => `${Math.round(x)} ms`;

async function seed(zk: ZkClient): Promise<void> {
  await zk.create(ROOT);
  await zk.create(`${ROOT}/big`);
  await zk.create(`${ROOT}/small`);
  const ops: MultiOp[] = [];
  for (let i = 0; i < BIG; i++) ops.push({ type: 'create', path: `${ROOT}/big/item-${String(i).padStart(6, '0')}`, data: Buffer.from('x') });
  for (let i = 0; i < SMALL; i++) ops.push({ type: 'create', path: `${ROOT}/small/c-${String(i).padStart(3, '0')}`, data: Buffer.from('y') });
  const batches: MultiOp[][] = [];
  for (let i = 0; i < ops.length; i += 1000) batches.push(ops.slice(i, i + 1000));
  let next = 0;
  // A busy machine can drop the connection mid-seed: a batch is tried again (NODEEXISTS: it was applied).
  const run = async (batch: MultiOp[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await zk.multi(batch);
      } catch (e) {
        if (isZkError(e, 'NODEEXISTS')) return;
        if (attempt >= 10) throw e;
        await sleep(2000);
      }
    }
  };
  await Promise.all(Array.from({ length: 2 }, async () => {
    while (next < batches.length) await run(batches[next++]);
  }));
}

/** In the page: the time of the last mouse press, and when a row labelled `want` (and its description) first appeared. */
const INSTRUMENT = `(() => {
  if (window.__zkT) return;
  const t = (window.__zkT = { down: 0, want: '', row: 0, described: 0 });
  document.addEventListener('mousedown', () => { t.down = performance.now(); }, true);
  const check = () => {
    if (!t.want || (t.row && t.described)) return;
    for (const label of document.querySelectorAll('.monaco-list-row[role="treeitem"] .label-name')) {
      if (label.textContent.trim() !== t.want) continue;
      if (!t.row) t.row = performance.now();
      const d = label.closest('.monaco-list-row').querySelector('.label-description');
      if (!t.described && d && d.textContent.trim()) t.described = performance.now();
    }
  };
  new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

interface Timing {
  row: number;
  described: number;
}

/** Presses `row` and waits for a row labelled `want`: ms from the press to it, and to its description. */
async function timeClick(w: Workbench, row: Locator, want: string): Promise<Timing> {
  await w.page.evaluate(INSTRUMENT);
  await w.page.evaluate((x) => Object.assign((globalThis as unknown as { __zkT: object }).__zkT, { want: x, down: 0, row: 0, described: 0 }), want);
  await row.click();
  await w.page.waitForFunction(() => (globalThis as unknown as { __zkT: { row: number } }).__zkT.row > 0, undefined, { timeout: 60_000, polling: 50 });
  await w.page.waitForFunction(() => (globalThis as unknown as { __zkT: { described: number } }).__zkT.described > 0, undefined, { timeout: 10_000, polling: 100 }).catch(() => undefined);
  const t = await w.page.evaluate(() => (globalThis as unknown as { __zkT: { down: number; row: number; described: number } }).__zkT);
  return { row: t.row - t.down, described: t.described ? t.described - t.down : NaN };
}

async function collapse(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.click();
  await waitFor(async () => (await row.getAttribute('aria-expanded')) === 'false', 10_000, 'the row collapsed');
}

/** Refreshes ROOT's row (its children are listed again: VS Code forgets what it had below them). */
async function refreshRoot(w: Workbench, view: Locator): Promise<void> {
  const row = w.treeItem('bench-ui', view).first();
  await row.hover();
  await row.locator('.action-label[aria-label^="Refresh"]').click();
  await w.waitForTreeItem('big', 10_000, view);
  await sleep(1500); // let the prefetch of ROOT's rows and VS Code's refreshes settle
}

async function main(): Promise<void> {
  const cluster = await ZkCluster.startStandalone();
  const zk = new ZkClient({ connectString: cluster.connectString, requestTimeoutMs: 60_000, sessionTimeoutMs: 30_000 });
  let w: Workbench | undefined;
  try {
    await zk.connect();
    const s0 = Date.now();
    await seed(zk);
    console.log(`seeded ${ROOT}/big with ${BIG.toLocaleString('en')} children and ${ROOT}/small with ${SMALL} in ${((Date.now() - s0) / 1000).toFixed(1)} s`);
    w = await Workbench.start({ scenario: 'bench-tree-ui', settings: { 'zookeeper.connections': [{ name: 'bench', connectString: cluster.connectString }] } });
    await w.waitForActivation(60_000).catch(() => undefined);
    const view = await w.openZooKeeperView(60_000);
    await expandRow(await w.waitForTreeItem('bench', 30_000, view));
    await expandRow(await w.waitForTreeItem('bench-ui', 20_000, view));
    await w.waitForTreeItem('big', 10_000, view);
    await sleep(2000);
    const t = { big: [] as Timing[], reBig: [] as Timing[], more: [] as Timing[], small: [] as Timing[] };
    for (let run = 0; run < RUNS; run++) {
      // Reference: the 100-child node, expanded fresh.
      await refreshRoot(w, view);
      t.small.push(await timeClick(w, w.treeItem('small', view).first(), 'c-000'));
      await collapse(w.treeItem('small', view).first());

      await refreshRoot(w, view);
      const big = w.treeItem('big', view).first();
      t.big.push(await timeClick(w, big, 'item-000000'));
      await sleep(1500);
      // Load more…: the end of the page, then the next page's first row.
      let more: Locator | undefined;
      for (let attempt = 0; attempt < 3 && !more; attempt++) {
        // Focus the list itself (clicking a row with data would open it in an editor and move the focus there).
        await view.locator('.monaco-list').first().evaluate((el) => el.focus());
        await w.page.keyboard.press('End');
        more = await w.waitForTreeItem(/^Load more…/, 10_000, view).catch(() => undefined);
      }
      if (!more) throw new Error('no "Load more…" row at the end of the page');
      await sleep(500);
      t.more.push(await timeClick(w, more, 'item-000500'));
      await sleep(1000);
      await view.locator('.monaco-list').first().evaluate((el) => el.focus());
      await w.page.keyboard.press('Home');
      await sleep(300);
      await collapse(w.treeItem('big', view).first());
      await sleep(1000);
      t.reBig.push(await timeClick(w, w.treeItem('big', view).first(), 'item-000000'));
      await sleep(1000);
      await collapse(w.treeItem('big', view).first());
      const last = (k: keyof typeof t) => ms(t[k][t[k].length - 1].row);
      console.log(`run ${run + 1}: small ${last('small')}, big ${last('big')} (described ${ms(t.big[run].described)}), load more ${last('more')}, re-expand ${last('reBig')}`);
    }
    const row = (k: keyof typeof t) => t[k].map((x) => x.row);
    console.log('');
    console.log(`first row on screen, median of ${RUNS} (all runs):`);
    for (const k of ['small', 'big', 'more', 'reBig'] as const) console.log(`  ${k.padEnd(6)} ${ms(median(row(k))).padStart(8)}  (${row(k).map(ms).join(', ')})`);
    console.log(`  big: its first row's description (stat) on screen, median ${ms(median(t.big.map((x) => x.described)))}`);
    console.log(`ratios to the 100-child expand: big ${(median(row('big')) / median(row('small'))).toFixed(2)}×, load more ${(median(row('more')) / median(row('small'))).toFixed(2)}×, re-expand ${(median(row('reBig')) / median(row('small'))).toFixed(2)}×`);
    w.assertNoExtensionErrors();
  } finally {
    await w?.stop().catch(() => undefined);
    await zk.close().catch(() => undefined);
    await cluster.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
