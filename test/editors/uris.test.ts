import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { Uri } from '../fakes/vscode';
import { docKey, editorUri, nodeOfArg, resolveConnectionName, targetOf, viewOf } from '../../src/ui/znodeUris';

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

  it('finds a connection whose name VS Code lowercased, when that is unambiguous', () => {
    assert.equal(resolveConnectionName(['Prod', 'test'], 'prod'), 'Prod');
    assert.equal(resolveConnectionName(['Prod', 'prod'], 'prod'), 'prod');
    assert.equal(resolveConnectionName(['Prod', 'PROD'], 'prod'), undefined);
    assert.equal(resolveConnectionName(['a'], 'b'), undefined);
  });
});
