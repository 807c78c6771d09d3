import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerRow } from '../../src/protocol/health';
import { COLUMNS, column, extras, type ColumnId } from '../../webview/health/columns';
import { CARDS_BELOW_EM, CORE_WIDTH_EM, MIN_CHART_WIDTH, ROOMY_EXTRA_EM, chartSize, planLayout, samePlan } from '../../webview/health/layout';

const ROOT = join(__dirname, '..', '..', ...(__dirname.includes(join('out', 'test')) ? ['..'] : []));
const CORE: ColumnId[] = ['server', 'state', 'role', 'latencyAvg', 'outstanding', 'connections', 'behind'];
const EM = 13; // VS Code's --vscode-font-size

const row = (over: Partial<ServerRow> = {}): ServerRow => ({
  key: '127.0.0.1:2181',
  label: 'server.1 127.0.0.1:2181',
  host: '127.0.0.1',
  origin: 'connectString',
  reach: 'up',
  notServing: false,
  source: 'fourLetterWords',
  ...over,
});

describe('webview health layout', () => {
  it('the core columns are server, state, role, latency avg, outstanding, connections and zxid lag, first and in that order', () => {
    assert.deepEqual(
      COLUMNS.filter((c) => c.core).map((c) => c.id),
      CORE,
    );
    assert.deepEqual(
      COLUMNS.slice(0, CORE.length).map((c) => c.id),
      CORE,
    );
    assert.equal(new Set(COLUMNS.map((c) => c.id)).size, COLUMNS.length, 'ids are unique');
    assert.equal(COLUMNS.length, 19, 'the 18 figures of the former table, and the average latency on its own');
  });

  it('a wide panel: a table with every column that fits, the rest in the details', () => {
    const wide = planLayout(2000, EM);
    assert.equal(wide.mode, 'table');
    assert.deepEqual(wide.table.slice(0, CORE.length), CORE);
    assert.deepEqual([...wide.table, ...wide.details].sort(), COLUMNS.map((c) => c.id).sort(), 'every column is somewhere, once');
    const huge = planLayout(4000, EM);
    assert.deepEqual(huge.table, COLUMNS.map((c) => c.id), 'all of them when there is room');
    assert.deepEqual(huge.details, []);
  });

  it('a medium panel (beside an editor, 600-700 px): the core columns in the table', () => {
    for (const width of [600, 640, 700]) {
      const plan = planLayout(width, EM);
      assert.equal(plan.mode, 'table', `${width} px`);
      assert.deepEqual(plan.table.slice(0, CORE.length), CORE, `${width} px`);
      assert.ok(plan.table.length <= CORE.length + 1, `${width} px: hardly room for more`);
    }
    assert.deepEqual(planLayout(Math.ceil(CARDS_BELOW_EM * EM), EM).table, CORE, 'just wide enough: the core only');
  });

  it('a narrow panel: cards, with the core figures on them and the others in the details', () => {
    for (const width of [Math.floor(CARDS_BELOW_EM * EM) - 1, 500, 320, 1]) {
      const plan = planLayout(width, EM);
      assert.equal(plan.mode, 'cards', `${width} px`);
      assert.deepEqual(plan.table, []);
      assert.deepEqual(plan.details, COLUMNS.filter((c) => !c.core).map((c) => c.id));
    }
  });

  it('the table always fits: its columns never need more than the width', () => {
    for (let width = 1; width <= 3000; width += 7) {
      const plan = planLayout(width, EM);
      if (plan.mode === 'cards') continue;
      const need = plan.table.reduce((sum, id) => sum + ((plan.roomy && column(id).roomyEm) || column(id).widthEm), 0) * EM;
      assert.ok(need <= width, `${width} px: the columns need ${need} px`);
    }
  });

  it('a wider panel never shows fewer columns, and columns join in the order of COLUMNS', () => {
    let previous = planLayout(1, EM);
    for (let width = 2; width <= 3000; width += 3) {
      const plan = planLayout(width, EM);
      assert.ok(plan.table.length >= previous.table.length, `${width} px`);
      assert.deepEqual(plan.table, COLUMNS.slice(0, plan.table.length).map((c) => c.id), `${width} px: a prefix of COLUMNS`);
      assert.deepEqual(plan.details, COLUMNS.slice(Math.max(plan.table.length, CORE.length)).map((c) => c.id));
      previous = plan;
    }
  });

  it('scales with the font size, and is safe with no size yet', () => {
    assert.deepEqual(planLayout(800, 13), planLayout(800 * 2, 26));
    assert.equal(planLayout(700, 13).mode, 'table');
    assert.equal(planLayout(700, 20).mode, 'cards', 'a larger font needs more room');
    assert.deepEqual(planLayout(0, 13).table, CORE, 'not laid out yet: the core table');
    assert.deepEqual(planLayout(Number.NaN, Number.NaN).table, CORE);
    assert.equal(planLayout(600, 0).mode, 'table', 'an unknown font size counts as 13 px');
    assert.ok(CORE_WIDTH_EM > 40 && CORE_WIDTH_EM < 50, `the core columns need ${CORE_WIDTH_EM} em`);
  });

  it('with room to spare, the server, Outstanding and Connections get their roomy widths before any other column joins', () => {
    assert.equal(ROOMY_EXTRA_EM, 5, '3 em more for the server, 1 em each for Outstanding and Connections');
    const justCore = planLayout(Math.ceil(CARDS_BELOW_EM * EM), EM);
    assert.equal(justCore.roomy, false, 'no room at the threshold');
    const roomy = planLayout(Math.ceil((CARDS_BELOW_EM + ROOMY_EXTRA_EM) * EM), EM);
    assert.deepEqual([roomy.roomy, roomy.table], [true, CORE]);
    assert.equal(planLayout(2000, EM).roomy, true);
    assert.equal(planLayout(400, EM).roomy, false, 'not on cards');
    let was = false;
    for (let width = 500; width <= 3000; width += 5) {
      const plan = planLayout(width, EM);
      if (plan.table.length > CORE.length) assert.ok(plan.roomy, `${width} px: roomy before a column joins`);
      assert.ok(plan.roomy || !was, `${width} px: stays roomy when wider`);
      was = plan.roomy;
    }
  });

  it('samePlan tells when the structure must be built again', () => {
    assert.ok(samePlan(planLayout(650, EM), planLayout(660, EM)));
    assert.ok(!samePlan(planLayout(500, EM), planLayout(700, EM)));
    assert.ok(!samePlan(undefined, planLayout(700, EM)));
  });

  it('the stylesheet gives each column the width columns.ts plans with', () => {
    const css = readFileSync(join(ROOT, 'media', 'health.css'), 'utf8');
    for (const c of COLUMNS) {
      if (c.id === 'server') {
        assert.doesNotMatch(css, /\.col-server\s*\{[^}]*width/, 'the server column takes the rest');
        continue;
      }
      if (c.roomyEm !== undefined) {
        const roomy = new RegExp(`\\.server-table\\.roomy \\.col-${c.id}\\s*\\{\\s*width:\\s*([\\d.]+)em;\\s*\\}`).exec(css);
        assert.ok(roomy, `.server-table.roomy .col-${c.id} has a width in media/health.css`);
        assert.equal(Number(roomy[1]), c.roomyEm, `.roomy .col-${c.id}`);
      }
      const m = new RegExp(`\\.col-${c.id}\\s*\\{\\s*width:\\s*([\\d.]+)em;\\s*\\}`).exec(css);
      assert.ok(m, `.col-${c.id} has a width in media/health.css`);
      assert.equal(Number(m[1]), c.widthEm, `.col-${c.id}`);
    }
  });

  it('cells: the zxid lag, the leader, and the average latency on its own', () => {
    assert.equal(column('behind').text(row({ role: 'leader' }), 0), '(leader)');
    assert.equal(column('behind').text(row({ role: 'follower', behind: { epochs: 0, txns: 3 } }), 0), '3 txns');
    assert.equal(column('latencyAvg').text(row({ latencyAvg: 0.42, latencyMin: 0, latencyMax: 9 }), 0), '0.4 ms');
    assert.equal(column('latency').text(row({ latencyAvg: 0.42, latencyMin: 0, latencyMax: 9 }), 0), '0 / 0.4 / 9');
    assert.equal(column('role').text(row(), 0), '—');
    assert.equal(column('updated').text(row({ updatedAt: 1000 }), 6000), '5 s ago');
  });

  it('the details add what no column shows: the error, the full version, where the row comes from', () => {
    assert.deepEqual(extras(row(), 0), []);
    const down = extras(row({ reach: 'down', error: 'connection refused', lastOkAt: 0, probeMs: 3.4 }), 30_000);
    assert.deepEqual(down, [
      { label: 'Error', text: 'connection refused', problem: true },
      { label: 'Last answered', text: '30 s ago' },
      { label: 'Probe took', text: '3 ms' },
    ]);
    const up = extras(row({ error: 'mntr refused', version: '3.9.2', versionFull: '3.9.2-e454e8c7, built on 2024-02-12', origin: 'membership' }), 0);
    assert.deepEqual(
      up.map((x) => x.label),
      ['Problem', 'Full version', 'Found through'],
    );
  });

  it('charts: the body width, never below the minimum, and nothing before the first layout', () => {
    assert.deepEqual(chartSize(640.7), { width: 640, height: 150 });
    assert.deepEqual(chartSize(300), { width: 300, height: 120 }, 'a shorter plot when narrow');
    assert.deepEqual(chartSize(50), { width: MIN_CHART_WIDTH, height: 120 });
    assert.equal(chartSize(0), undefined);
    assert.equal(chartSize(Number.NaN), undefined);
  });
});
