// The ZooKeeper Search view while results stream in: the first result is drawn at once, the rest
// in batches (one redraw for many results), so a search shows something right away and a stream of
// thousands of matches stays cheap. Timers are compared by their order only, never by speed.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { SearchResultsView } from '../../src/search/searchResultsView';
import { describeChoice } from '../../src/search/queryInput';
import { marking, untranslated } from '../zk/markingTranslate';
import type { NodeResult } from '../../src/zk/search/searchSubtree';
import { useTranslate } from '../fakes/translateSwap';

const result = (path: string): NodeResult => ({ path, nameMatches: [{ line: 0, column: 0, length: 1 }], pathMatches: [], dataMatches: [], dataBytes: 0 });
/** A timer of `ms` set now fires after every timer set earlier with a shorter or equal delay. */
const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('SearchResultsView while results stream in', () => {
  it('draws the first result at once and the following ones together, in one redraw', async () => {
    const view = new SearchResultsView();
    let redraws = 0;
    view.onDidChangeTreeData(() => redraws++);
    view.start({ connectionName: 'c', root: '/', queryText: 'a' });
    const started = redraws;

    view.add(result('/a'));
    await after(1); // set after the view's own timer for the first result: that one has fired
    assert.equal(redraws, started + 1, 'the first result is drawn without waiting for more');
    assert.deepEqual(view.getChildren().map((r) => (r.kind === 'node' ? r.result.path : r.kind)), ['/a']);

    for (const p of ['/b', '/c', '/d']) view.add(result(p));
    await after(1);
    assert.equal(redraws, started + 1, 'the next results wait for the batch');
    await after(200); // longer than the batch's 150 ms, set after it
    assert.equal(redraws, started + 2, 'one redraw for the batch');
    assert.equal(view.getChildren().length, 4);
    view.dispose();
  });
});

describe('ZooKeeper Search: its words in the user\'s language', () => {
  useTranslate(marking);

  it('words the counts, the stop notes and a result row through l10n.t', () => {
    const view = new SearchResultsView();
    const shown: { message?: string; description?: string } = {};
    view.attach(shown as never);
    view.start({ connectionName: 'c', root: '/', queryText: 'a' });
    view.add(result('/a'));
    view.progress(10, 1);
    assert.equal(untranslated(shown.message ?? ''), '', shown.message);
    view.finish({ root: '/', visited: 10, matchedNodes: 1, matches: 2, truncated: true, unreadable: [], binarySkipped: 3, ms: 1 });
    const parts = (shown.message ?? '').split(/(?<=») (?=«)/);
    assert.equal(parts.length, 3, shown.message);
    for (const part of parts) assert.equal(untranslated(part), '', part);
    assert.equal(untranslated(String(view.getTreeItem(view.getChildren()[0]).description)), '');
    view.dispose();
  });

  it('words the query options through l10n.t', () => {
    for (const maxDepth of [undefined, 1, 3]) {
      const text = describeChoice({ query: { text: 'x', mode: 'regex', caseSensitive: maxDepth === 1, target: 'all' }, maxDepth });
      assert.equal(untranslated(text), '', text);
    }
  });
});
