// Unit tests (fake vscode) of the drop side of the tree's drag and drop: a payload under our MIME
// type that is not a list of { connectionName, path } (another extension's data, a damaged
// string) is refused with a message and does nothing; our own payload goes through.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseDragPayload, ZnodeDragAndDrop, moveRefusedNote } from '../../src/tree/treeDragAndDrop';
import type { ConnectionRegistry } from '../../src/connections/connectionRegistry';
import { renderMessage, type Message } from '../../src/zk/message';
import { marking, untranslated } from '../zk/markingTranslate';
import type { ZnodeTreeProvider } from '../../src/tree/znodeTreeProvider';
import type { TreeNode } from '../../src/tree/treeNodes';

const MIME = 'application/vnd.code.tree.zookeeper.explorer';

function transfer(value: unknown): vscode.DataTransfer {
  return { get: (mime: string) => (mime === MIME ? new vscode.DataTransferItem(value) : undefined) } as unknown as vscode.DataTransfer;
}

describe('tree drag and drop: payload shape', () => {
  it('accepts our own payload, as an object or as JSON text', () => {
    const ours = [{ connectionName: 'alpha', path: '/config/app' }];
    assert.deepEqual(parseDragPayload(ours), { nodes: ours });
    assert.deepEqual(parseDragPayload(JSON.stringify(ours)), { nodes: ours });
  });

  it('refuses anything else, saying why', () => {
    const problem = (v: unknown) => renderMessage((parseDragPayload(v) as { problem: Message }).problem);
    assert.equal(problem('{not json'), 'the payload is not JSON');
    assert.equal(problem({ connectionName: 'a', path: '/x' }), 'the payload is not a list of znodes');
    assert.equal(problem([]), 'the payload names no znode');
    assert.equal(problem([{ connectionName: 'a' }]), 'item 1 is not { connectionName, path }');
    assert.equal(problem([{ connectionName: 'a', path: '/ok' }, { connectionName: 7, path: '/x' }]), 'item 2 is not { connectionName, path }');
    assert.match(problem([{ connectionName: 'a', path: 'relative' }]), /^item 1: /);
    assert.match(problem([{ connectionName: 'a', path: '/a/../b' }]), /^item 1: /);
    assert.match(problem(Array.from({ length: 1001 }, () => ({ connectionName: 'a', path: '/x' }))), /1,001 znodes \(at most 1,000\)/);
    assert.equal(problem('x'.repeat(1_000_001)), 'the payload is too large to be a drag of znodes');
  });

  it('words each refusal through the Translate it is given (the drop passes vscode.l10n.t)', () => {
    const payloads: unknown[] = ['x'.repeat(1_000_001), '{not json', {}, [], Array.from({ length: 1001 }, () => ({ connectionName: 'a', path: '/x' })), [{ connectionName: 'a' }], [{ connectionName: 'a', path: 'relative' }]];
    for (const v of payloads) {
      const text = renderMessage((parseDragPayload(v) as { problem: Message }).problem, marking);
      assert.match(text, /^«/, text);
      assert.equal(untranslated(text), '', text);
    }
    assert.equal(renderMessage((parseDragPayload([{ connectionName: 'a' }]) as { problem: Message }).problem, marking), '«item 1 is not { connectionName, path }»');
  });

  it("says why Move is not offered in the user's language", () => {
    const fake = vscode.l10n as unknown as { t: typeof vscode.l10n.t };
    const originalT = fake.t;
    fake.t = marking as unknown as typeof vscode.l10n.t;
    try {
      for (const n of [1, 2]) {
        const note = moveRefusedNote(Array.from({ length: n }, (_, i) => ({ path: `/l/${i}`, owner: '0x1' })));
        assert.match(note, /^«Move is not offered/);
        assert.match(note, /«\/l\/0 \(session 0x1\)»/, 'the session words are translated too');
        assert.equal(untranslated(note), '', note);
      }
    } finally {
      fake.t = originalT;
    }
  });

  it('a foreign payload dropped on the tree does nothing but say so', async () => {
    const looked: string[] = [];
    const registry = { get: (n: string) => (looked.push(n), undefined) } as unknown as ConnectionRegistry;
    const dnd = new ZnodeDragAndDrop(registry, {} as ZnodeTreeProvider);
    const warnings: string[] = [];
    const original = vscode.window.showWarningMessage;
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (m: string) => (warnings.push(m), undefined);
    try {
      const target = { kind: 'znode', connectionName: 'alpha', path: '/x' } as unknown as TreeNode;
      const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) } as unknown as vscode.CancellationToken;
      await dnd.handleDrop(target, transfer('{"files": ["/etc/passwd"]}'), token);
      await dnd.handleDrop(target, transfer([{ connectionName: 'alpha', path: 42 }]), token);
      assert.deepEqual(warnings, [
        'Dropped data ignored: the payload is not a list of znodes. Drag znodes from the ZooKeeper Explorer view.',
        'Dropped data ignored: item 1 is not { connectionName, path }. Drag znodes from the ZooKeeper Explorer view.',
      ]);
      assert.deepEqual(looked, [], 'no connection was even looked up');
      // Our own payload reaches the connection look-up (none here: nothing more happens).
      await dnd.handleDrop(target, transfer([{ connectionName: 'beta', path: '/y' }]), token);
      assert.deepEqual(looked, ['beta', 'alpha']);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
  });

  it('the drop preview says why Move is not offered', () => {
    const note = moveRefusedNote([
      { path: '/svc/locks/lock-1', owner: '0x100' },
      { path: '/svc/ids/1', owner: '0x200' },
    ]);
    assert.equal(
      note,
      'Move is not offered: 2 ephemeral nodes belong to another session (/svc/locks/lock-1 (session 0x100), /svc/ids/1 (session 0x200)), ' +
        'e.g. a live lock or a service registration, and moving would delete them. Copy leaves the source as it is.',
    );
  });
});
