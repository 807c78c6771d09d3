import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { Uri } from '../fakes/vscode';
import { docKey, editorUri, nodeOfArg, resolveConnectionName, shownPath, targetOf, viewOf } from '../../src/ui/znodeUris';

describe('editor URIs', () => {
  it('build and parse zk: URIs with views, keeping names and paths exact', () => {
    const u = editorUri('my cluster', '/with space/ünï 100%', 'base64');
    assert.equal(u.authority, 'my cluster');
    assert.equal(u.path, '/with space/ünï 100%');
    assert.equal(u.query, 'view=base64');
    const t = targetOf(u);
    assert.equal(t.node.connection, 'my cluster');
    assert.equal(t.view, 'base64');
    assert.equal(t.key, docKey('my cluster', '/with space/ünï 100%', 'base64'));
    assert.equal(editorUri('c', '/a').query, '');
    assert.equal(viewOf(''), 'text');
    assert.equal(viewOf('view=acl'), 'acl');
    assert.throws(() => viewOf('view=pdf'), /Unknown view "pdf"/);
    assert.throws(() => editorUri('c', 'relative'), /Invalid znode path/);
  });

  it('accepts every shape a command receives', () => {
    assert.deepEqual({ ...nodeOfArg({ connectionName: 'c', path: '/a' }) }, { connection: 'c', path: '/a' });
    assert.deepEqual({ ...nodeOfArg({ connectionName: 'c' }) }, { connection: 'c', path: '/' });
    assert.deepEqual({ ...nodeOfArg('zk://my%20c/a%20b') }, { connection: 'my c', path: '/a b' });
    assert.deepEqual({ ...nodeOfArg(Uri.from({ scheme: 'zk', authority: 'c', path: '/x' })) }, { connection: 'c', path: '/x' });
    assert.deepEqual({ ...nodeOfArg({ scheme: 'zk', authority: 'c', path: '/y' }) }, { connection: 'c', path: '/y' });
    assert.equal(nodeOfArg(Uri.from({ scheme: 'file', path: '/x' })), undefined);
    assert.equal(nodeOfArg(undefined), undefined);
  });

  it('carries a known text encoding, and refuses unknown ones or an encoding on another view', () => {
    const u = editorUri('c', '/app.properties', 'text', 'windows-1252');
    assert.equal(u.query, 'encoding=windows-1252');
    const t = targetOf(u);
    assert.equal(t.encoding, 'windows-1252');
    assert.notEqual(t.key, targetOf(editorUri('c', '/app.properties')).key, 'another document than the UTF-8 view');
    assert.throws(() => targetOf(Uri.from({ scheme: 'zk', authority: 'c', path: '/a', query: 'encoding=x-evil' })), /Unknown encoding "x-evil"/);
    assert.throws(() => targetOf(Uri.from({ scheme: 'zk', authority: 'c', path: '/a', query: 'view=hex&encoding=gbk' })), /only to the text view/);
  });

  it('names a tab with the name as the tree shows it (hidden characters escaped), and still edits the exact node', () => {
    // VS Code titles a tab with the last segment of the URI path, as it is.
    const hostile = ['/app/\u202Ertl', '/app/zero\u200Bwidth', '/line\u2028sep/x', '/\u05D0\u05D1', '/a\\u202Eb/\u202E'];
    for (const path of hostile) {
      for (const [view, encoding] of [['text', undefined], ['hex', undefined], ['text', 'windows-1252']] as const) {
        const u = editorUri('c', path, view, encoding);
        const title = u.path.slice(u.path.lastIndexOf('/') + 1);
        assert.ok(!/[\u202A-\u202E\u2066-\u2067\u200B\u2028]/.test(u.path), `no raw hidden character in the tab's path ${JSON.stringify(u.path)}`);
        assert.equal(u.path, shownPath(path));
        if (path.endsWith('\u202E') || path.endsWith('rtl')) assert.ok(title.includes('\\u202E'), `the title of ${JSON.stringify(path)} shows the escape: ${title}`);
        // Through a string and back (VS Code keeps and restores editors as URI strings or components).
        for (const again of [u, Uri.parse(u.toString()), Uri.from(u.toJSON() as never)]) {
          const t = targetOf(again);
          assert.equal(t.node.path, path);
          assert.equal(t.view, view);
          assert.equal(t.encoding, encoding);
          assert.equal(t.key, docKey('c', path, view, encoding));
        }
        assert.equal(nodeOfArg(u.toJSON())!.path, path, 'a URI passed as plain components');
      }
    }
    assert.equal(editorUri('c', '/app/\u202Ertl').path, '/app/\\u202Ertl');
    // Plain names: the URI is what it always was (no ?path=).
    assert.equal(editorUri('c', '/with space/ünï 100%').query, '');
    // Links saved before, and "Open Znode URI…": a URI without ?path= names the node its path spells.
    assert.equal(targetOf(Uri.from({ scheme: 'zk', authority: 'c', path: '/app/\u202Ertl' })).node.path, '/app/\u202Ertl');
    assert.equal(nodeOfArg('zk://c/app/%E2%80%AErtl')!.path, '/app/\u202Ertl');
    // A ?path= its title does not show is refused: a tab never edits a node other than the one it names.
    assert.throws(() => targetOf(Uri.from({ scheme: 'zk', authority: 'c', path: '/harmless', query: 'path=%2Fprod%2Fsecret' })), /does not show the node/);
  });

  it('finds a connection whose name VS Code lowercased, when that is unambiguous', () => {
    assert.equal(resolveConnectionName(['Prod', 'test'], 'prod'), 'Prod');
    assert.equal(resolveConnectionName(['Prod', 'prod'], 'prod'), 'prod');
    assert.equal(resolveConnectionName(['Prod', 'PROD'], 'prod'), undefined);
    assert.equal(resolveConnectionName(['a'], 'b'), undefined);
  });
});
