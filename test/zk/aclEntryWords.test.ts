// Why an ACL entry read from a file is refused (aclEntryProblem, its id check idProblemMessage) is a
// Message: Import Subtree's and a config-as-code folder's errors show it in the user's language.
import * as assert from 'node:assert/strict';
import { aclEntryProblem } from '../../src/zk/subtreeAcl';
import { digestFromUserPassword, parseAclEntry } from '../../src/zk/aclEdit';
import { parseSubtreeExport } from '../../src/zk/subtree';
import { messageOfError, renderMessage } from '../../src/zk/message';
import { marking, untranslated } from './markingTranslate';

describe("ACL entries from a file: the problem in the user's language", () => {
  const cases: [unknown, string][] = [
    ['r', 'an ACL entry is not an object'],
    [{ perms: 0, scheme: 'world', id: 'anyone' }, 'perms 0 is not a permission mask (1-31: c=4, d=8, r=1, w=2, a=16)'],
    [{ scheme: 'world', id: 'anyone' }, 'perms undefined is not a permission mask (1-31: c=4, d=8, r=1, w=2, a=16)'],
    [{ perms: 1, scheme: 'a b', id: 'x' }, 'scheme "a b" is not a scheme name'],
    [{ perms: 1, scheme: 'ip', id: 7 }, 'the id of a ip entry must be a string (at most 1,024 characters)'],
    [{ perms: 1, scheme: 'world', id: 'me' }, 'the world scheme has only the id "anyone" (got "me")'],
    [{ perms: 1, scheme: 'ip', id: '10.0.0.0/99' }, '"/99" is not a prefix length for 10.0.0.0 (0-32)'],
  ];
  it('each problem is a Message whose English is as before', () => {
    for (const [entry, english] of cases) {
      const problem = aclEntryProblem(entry);
      assert.ok(problem && typeof problem !== 'string', JSON.stringify(entry));
      assert.equal(renderMessage(problem), english);
      const marked = renderMessage(problem, marking);
      assert.equal(marked, `«${english}»`);
    }
    assert.equal(aclEntryProblem({ perms: 31, scheme: 'world', id: 'anyone' }), undefined);
    assert.equal(aclEntryProblem({ perms: 1, scheme: 'digest', id: 'alice:<redacted>' }, true), undefined);
  });

  it("Import Subtree's refusal translates the entry's problem inside its sentence", () => {
    const doc = {
      format: 'zookeeper-explorer/subtree',
      version: 1,
      exportedAt: '',
      root: '/x',
      summary: { nodes: 1, dataBytes: 0, ephemeral: 0, maxDepth: 0, restrictedAcl: 0 },
      nodes: [{ path: '/', data: '', stat: {}, acl: [{ perms: 1, scheme: 'digest', id: 'alice' }] }],
    };
    assert.throws(
      () => parseSubtreeExport(doc),
      (e: Error) => {
        const marked = renderMessage(messageOfError(e), marking);
        assert.match(marked, /«a digest id is user:hash \(got "alice"\); use Add ACL Entry… to make it from user:password»/);
        assert.equal(untranslated(marked), '', marked);
        assert.match(e.message, /: ACL entry \{"perms":1,"scheme":"digest","id":"alice"\}: a digest id is user:hash \(got "alice"\)/);
        return true;
      },
    );
  });
});

describe("ACL text typed in the editor: the problem in the user's language", () => {
  it('an unknown permission letter and a digest user:password without a user are Messages', () => {
    assert.throws(
      () => parseAclEntry('world:anyone:rx'),
      (e: Error) => {
        assert.equal(e.message, 'Unknown permission flag "x": use any of c, d, r, w, a (in "world:anyone:rx")');
        assert.equal(renderMessage(messageOfError(e), marking), '««Unknown permission flag "x": use any of c, d, r, w, a» (in "world:anyone:rx")»');
        return true;
      },
    );
    assert.throws(
      () => digestFromUserPassword(':secret'),
      (e: Error) => untranslated(renderMessage(messageOfError(e), marking)) === '' && /^Type user:password/.test(e.message),
    );
  });
});
