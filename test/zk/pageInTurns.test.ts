import * as assert from 'node:assert/strict';
import { pageOf, sortChildren } from '../../src/zk/childListing';
import { compareCodeUnits } from '../../src/zk/childOrder';
import { pageInTurns, type NextTurn } from '../../src/zk/pageInTurns';
import { compareNames } from '../../src/zk/paths';

/** A turn that only counts (no real wait), and what was handed to the page between two turns. */
function countingTurns(): { turn: NextTurn; turns: () => number } {
  let turns = 0;
  return { turn: async () => void turns++, turns: () => turns };
}

describe('pageInTurns', () => {
  const mixed = Array.from({ length: 997 }, (_, i) => `lock-${String((i * 7919) % 997).padStart(10, '0')}`).concat(['a', 'b10', 'b9', 'B1', 'n-2', 'n-10']);
  const sameLayout = Array.from({ length: 1000 }, (_, i) => `member-${String((i * 7919) % 1000).padStart(10, '0')}`);
  const queue = ['e1f0__lock__0000000002', 'a9c3__lock__0000000000', 'c7d2__lock__0000000001', '0b4e__lock__0000000003'];

  it('gives the page pageOf gives (order, filter, pinned, lock queues), across slice boundaries', async () => {
    for (const names of [mixed, sameLayout, queue, ['x'], []]) {
      for (const [limit, filter, pinned] of [
        [10, undefined, undefined],
        [3, 'lock-00000001*', undefined],
        [5, undefined, new Set(['b9', 'member-0000000999', '0b4e__lock__0000000003', 'missing'])],
        [2000, '1', undefined],
      ] as const) {
        const want = pageOf(names, limit, filter, pinned);
        const { page } = await pageInTurns(names, limit, filter, pinned, undefined, { perTurn: 7, turn: countingTurns().turn });
        assert.deepEqual(page, want, `${names.length} names, limit ${limit}, filter ${filter}`);
      }
    }
  });

  it('works on a slice of names per turn: a big listing never in one go, a small one at once', async () => {
    const big = countingTurns();
    const names = sameLayout.concat(mixed); // not one layout: natural order, checked over all names
    const { page, order } = await pageInTurns(names, 10, undefined, undefined, undefined, { perTurn: 100, turn: big.turn });
    assert.equal(order, compareNames);
    assert.deepEqual(page.names, sortChildren(names.slice()).slice(0, 10));
    // 2,003 names in slices of 100: the layout check stops where the layouts differ (slice 10),
    // then the selection runs over all 21 slices with a turn between each two.
    assert.ok(big.turns() >= 20, `${big.turns()} turns`);

    const small = countingTurns();
    await pageInTurns(sameLayout.slice(0, 100), 10, undefined, undefined, undefined, { perTurn: 100, turn: small.turn });
    assert.equal(small.turns(), 0);
  });

  it('reuses the order it is given (Load more) and says which it used', async () => {
    const first = await pageInTurns(sameLayout, 10);
    assert.equal(first.order, compareCodeUnits, 'one digit layout: code-unit order is natural order');
    let calls = 0;
    const counting = (a: string, b: string) => (calls++, compareCodeUnits(a, b));
    const more = await pageInTurns(sameLayout, 20, undefined, undefined, counting);
    assert.equal(more.order, counting);
    assert.ok(calls > 0);
    assert.deepEqual(more.page.names, sameLayout.slice().sort().slice(0, 20));
  });
});
