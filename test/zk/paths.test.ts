import * as assert from 'node:assert/strict';
import { renderMessage } from '../../src/zk/message';
import { ancestors, baseName, compareNames, joinPath, parentPath, pathProblem, pathUnder, relativePath, sequenceSuffix } from '../../src/zk/paths';

describe('paths', () => {
  it('accepts ordinary, unicode and spaced paths', () => {
    for (const p of ['/', '/a', '/a/b-c_d.e', '/with space/x', '/ünïcödé/日本', '/<script>alert(1)</script>', '/%41']) {
      assert.equal(pathProblem(p), undefined, p);
    }
  });

  it('refuses what the server would refuse, with a reason', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['a', /start with/],
      ['/a/', /end with/],
      ['/a//b', /empty segments/],
      ['/a/./b', /not allowed/],
      ['/..', /not allowed/],
      ['/a\u0000b', /null/],
      ['/a\u0007b', /control/],
      ['/a\u0085b', /control/],
      ['/smile😀', /does not accept/],
      ['/private\ue000', /does not accept/],
      ['/x\ufff5', /does not accept/],
    ];
    for (const [p, re] of cases) assert.match(renderMessage(pathProblem(p) ?? ''), re, JSON.stringify(p));
  });

  it('joins, splits and lists ancestors', () => {
    assert.equal(joinPath('/', 'a'), '/a');
    assert.equal(joinPath('/a', 'b'), '/a/b');
    assert.equal(parentPath('/a/b'), '/a');
    assert.equal(parentPath('/a'), '/');
    assert.equal(baseName('/a/b'), 'b');
    assert.equal(baseName('/'), '/');
    assert.deepEqual(ancestors('/a/b/c'), ['/a', '/a/b']);
    assert.deepEqual(ancestors('/a'), []);
  });

  it('sorts naturally: sequence numbers and broker ids by value', () => {
    const names = ['lock-0000000010', 'lock-0000000009', 'b10', 'b9', 'b1', 'a'];
    assert.deepEqual(names.slice().sort(compareNames), ['a', 'b1', 'b9', 'b10', 'lock-0000000009', 'lock-0000000010']);
    assert.equal(sequenceSuffix('_c_3f-lock-0000000003'), 3);
    assert.equal(sequenceSuffix('lock-12'), undefined);
  });

  it('pathUnder and relativePath map a subtree-relative path to a server path and back, also at the root', () => {
    for (const [root, rel, path] of [['/', '/a/b', '/a/b'], ['/app', '/', '/app'], ['/app', '/x/y', '/app/x/y'], ['/', '/', '/']]) {
      assert.equal(pathUnder(root, rel), path, `${root} + ${rel}`);
      assert.equal(relativePath(root, path), rel, `${path} under ${root}`);
    }
  });
});
