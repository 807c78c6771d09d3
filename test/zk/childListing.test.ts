import * as assert from 'node:assert/strict';
import { childFilter, firstInOrder, pageOf, sortChildren } from '../../src/zk/childListing';

describe('childListing', () => {
  const names = sortChildren(Array.from({ length: 25 }, (_, i) => `n-${i}`).reverse());

  it('pages naturally sorted children and says how many remain', () => {
    const p = pageOf(names, 10);
    assert.deepEqual(p.names.slice(0, 3), ['n-0', 'n-1', 'n-2']);
    assert.equal(p.names.length, 10);
    assert.equal(p.remaining, 15);
    assert.equal(p.total, 25);
    assert.equal(pageOf(names, 100).remaining, 0);
  });

  it('filters by substring or glob, case-insensitively', () => {
    assert.deepEqual(pageOf(names, 100, '2').names, ['n-2', 'n-12', 'n-20', 'n-21', 'n-22', 'n-23', 'n-24']);
    assert.deepEqual(pageOf(names, 100, 'N-1?').names, ['n-10', 'n-11', 'n-12', 'n-13', 'n-14', 'n-15', 'n-16', 'n-17', 'n-18', 'n-19']);
    assert.equal(pageOf(names, 3, 'n-*').remaining, 22);
    assert.ok(childFilter('a.b')!('a.b') && !childFilter('a.b')!('axb'), 'regex characters are literal');
    assert.equal(childFilter('  '), undefined);
  });

  it("shows a lock queue by sequence number, holder first, not by the contenders' random prefixes", () => {
    const q = ['e1f0__lock__0000000002', 'a9c3__lock__0000000000', 'c7d2__lock__0000000001', '0b4e__lock__0000000003'];
    assert.deepEqual(pageOf(q, 10).names, ['a9c3__lock__0000000000', 'c7d2__lock__0000000001', 'e1f0__lock__0000000002', '0b4e__lock__0000000003']);
    assert.deepEqual(pageOf(q, 2).names, ['a9c3__lock__0000000000', 'c7d2__lock__0000000001']);
    assert.deepEqual(pageOf(q, 1, undefined, new Set(['0b4e__lock__0000000003'])).names, ['a9c3__lock__0000000000', '0b4e__lock__0000000003']);
    // A plain listing keeps its natural order.
    assert.deepEqual(pageOf(['b', 'a', 'c'], 10).names, ['a', 'b', 'c']);
  });

  it('keeps a pinned child beyond the page (for reveal)', () => {
    const p = pageOf(names, 3, undefined, new Set(['n-20', 'missing']));
    assert.deepEqual(p.names, ['n-0', 'n-1', 'n-2', 'n-20']);
  });
});

describe('firstInOrder', () => {
  it('picks the same first page as a full natural sort, whatever the input order', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `lock-${String((i * 7919) % 5000).padStart(10, '0')}`).concat(['a', 'b10', 'b9', 'B1']);
    for (const k of [0, 1, 7, 100, 5003, 6000]) {
      assert.deepEqual(firstInOrder(names, k), sortChildren(names.slice()).slice(0, k), `k=${k}`);
    }
    assert.deepEqual(pageOf(names.slice().reverse(), 3).names, sortChildren(names.slice()).slice(0, 3));
  });
});
