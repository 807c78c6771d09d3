import * as assert from 'node:assert/strict';
import { childOrder, compareCodeUnits, sameDigitLayout } from '../../src/zk/childOrder';
import { pageOf } from '../../src/zk/childListing';
import { compareNames } from '../../src/zk/paths';

/** A small deterministic generator, so a failure can be reproduced. */
function random(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('childOrder', () => {
  it('uses code-unit order only where it is natural order: names of one digit layout', () => {
    const next = random(7);
    const pick = (chars: string) => chars[Math.floor(next() * chars.length)];
    // One layout (letters, a dash, a 4-digit run, a letter, a 2-digit run), every kind of digits:
    // leading zeros, all zeros, same values; letters around digits, non-ASCII and a lone surrogate.
    const letters = 'aZ-_.\u00e9\u202e\ud800~';
    const names = new Set<string>();
    while (names.size < 3000) names.add(`${pick(letters)}${pick(letters)}-${pick('0019')}${pick('0459')}${pick('09')}${pick('0123456789')}${pick(letters)}${pick('0123456789')}${pick('05')}`);
    const all = [...names];
    assert.ok(sameDigitLayout(all));
    assert.equal(childOrder(all), compareCodeUnits);
    assert.deepEqual(all.slice().sort(compareCodeUnits), all.slice().sort(compareNames), 'the same order as natural order');
    assert.deepEqual(pageOf(all, 50).names, all.slice().sort(compareNames).slice(0, 50));
  });

  it('keeps natural order where the layouts differ', () => {
    for (const names of [
      ['a12', 'a1x'], // a run of 2 digits against one of 1: natural says 12 > 1, code units say '2' < 'x'
      ['n-9', 'n-10'],
      ['item-01', 'item-1a'],
      ['x1', 'x12'],
    ]) {
      assert.equal(sameDigitLayout(names), false, names.join(' '));
      assert.equal(childOrder(names), compareNames, names.join(' '));
    }
    assert.deepEqual(pageOf(['n-10', 'n-9', 'n-100'], 10).names, ['n-9', 'n-10', 'n-100']);
    assert.deepEqual(pageOf(['a1x', 'a12'], 10).names, ['a1x', 'a12']);
  });

  it('orders a lock queue by sequence number first', () => {
    const q = ['e1f0__lock__0000000002', 'a9c3__lock__0000000000', 'c7d2__lock__0000000001'];
    assert.deepEqual(q.slice().sort(childOrder(q)), ['a9c3__lock__0000000000', 'c7d2__lock__0000000001', 'e1f0__lock__0000000002']);
  });
});
