// Unit tests of src/tree/subtreeMessages.ts: the export file's name and text, reading an export
// file (and refusing what is not one), the import preview and report, and the half-way message.
import '../fakes/installVscode';
import * as assert from 'node:assert/strict';
import { formatL10n, l10n } from '../fakes/vscode';
import { marking, untranslated } from '../zk/markingTranslate';
import { digestId, PERMS } from '../../src/zk/acl';
import { formatBytes } from '../../src/zk/bytes';
import { msg } from '../../src/zk/message';
import { SubtreeIncompleteError, type ImportPlan, type ImportResult, type SubtreeExport } from '../../src/zk/subtree';
import { useTranslate } from '../fakes/translateSwap';
import {
  conflictOfChoice, exportAclQuestion, importChoice, importFileSizeProblem, MAX_IMPORT_FILE_BYTES, defaultExportFileName, defaultImportTarget, exportFileText, exportSummary, importPreview, importReport, incompleteMessage,
  parseExportFile, unreadableQuestion,
} from '../../src/tree/subtreeMessages';

const stat = { czxid: '0x1', mzxid: '0x1', pzxid: '0x1', ctime: '', mtime: '', version: 0, cversion: 0, aversion: 0, ephemeralOwner: '0x0', ephemeral: false, dataLength: 0, numChildren: 0 };

function doc(patch: Partial<SubtreeExport> = {}): SubtreeExport {
  return {
    format: 'zookeeper-explorer/subtree',
    version: 1,
    exportedAt: '2026-11-26T21:35:12.345Z',
    root: '/config',
    source: 'prod',
    summary: { nodes: 3, dataBytes: 46_080, ephemeral: 0, maxDepth: 1, restrictedAcl: 0 },
    nodes: [
      { path: '/', data: '', stat, acl: [{ perms: PERMS.ALL, scheme: 'world', id: 'anyone' }] },
      { path: '/a', data: Buffer.from([0, 255, 1]).toString('base64'), stat },
      { path: '/b', data: 'eA==', stat, acl: [{ perms: PERMS.READ, scheme: 'digest', id: digestId('ops', 'x') }] },
    ],
    ...patch,
  };
}

function plan(patch: Partial<ImportPlan> = {}): ImportPlan {
  return {
    target: '/config',
    doc: doc(),
    nodes: 3,
    dataBytes: 46_080,
    existing: [],
    missingParents: [],
    ephemeral: [],
    batches: 1,
    atomic: true,
    acls: [],
    aclsIgnoringFile: [],
    defaultAcl: { acl: [{ perms: PERMS.ALL, scheme: 'world', id: 'anyone' }], source: 'parent', from: '/', description: 'the ACL of the parent / (world:anyone:cdrwa)' },
    aclRedacted: [],
    withAcl: 0,
    ...patch,
  };
}

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('subtree messages: export', () => {
  it('names the file after the connection and the path, safely', () => {
    assert.equal(defaultExportFileName('alpha', '/config/app'), 'alpha-config-app.json');
    assert.equal(defaultExportFileName('alpha', '/'), 'alpha.json');
    assert.equal(defaultExportFileName('kafka prod', '/brokers/ids/1'), 'kafka_prod-brokers-ids-1.json');
    assert.equal(defaultExportFileName('a', '/x:y/<z>*?"|\\'), 'a-x_y-_z_.json');
    assert.equal(defaultExportFileName('a', '/ünïcödé 日本'), 'a-ünïcödé_日本.json');
    assert.equal(defaultExportFileName('..', '/..'), 'zookeeper.json');
    assert.ok(defaultExportFileName('a', `/${'x'.repeat(500)}`).length <= 125);
  });

  it('writes the domain document, indented, and reads it back the same', () => {
    const d = doc();
    const text = exportFileText(d);
    assert.ok(text.endsWith('}\n'));
    assert.match(text, /^\{\n {2}"format": "zookeeper-explorer\/subtree",/);
    assert.deepEqual(parseExportFile(bytes(text), 'x.json'), d);
    // A byte-order mark (an editor that added one) is fine.
    assert.deepEqual(parseExportFile(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes(text)]), 'x.json'), d);
  });

  it('summarises what was exported: ephemeral nodes included, unreadable ones left out', () => {
    assert.equal(exportSummary(doc(), 'alpha', 'a.json'), 'Exported 3 nodes (45 KiB of data) from /config on "alpha" to a.json.');
    const withEph = doc({ summary: { nodes: 1, dataBytes: 10, ephemeral: 1, maxDepth: 0, restrictedAcl: 0 } });
    assert.equal(
      exportSummary(withEph, 'alpha', 'a.json'),
      'Exported 1 node (10 B of data) from /config on "alpha" to a.json. 1 ephemeral node included: an import creates it as a persistent node.',
    );
    const partial = doc({ summary: { ...doc().summary, ephemeral: 2 }, unreadable: ['/secret', '/x/y'] });
    assert.match(exportSummary(partial, 'alpha', 'a.json'), /2 ephemeral nodes included: an import creates them as persistent nodes\. 2 unreadable nodes left out with their subtrees \(first: \/config\/secret\)\.$/);
    const q = unreadableQuestion(partial, 'alpha');
    assert.equal(q.message, '2 nodes under /config cannot be read with the credentials of "alpha". Export the other 3 nodes without them?');
    assert.match(q.detail, /\/config\/secret, \/config\/x\/y\./);
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
  });
});

describe('subtree messages: import', () => {
  it('refuses, saying why, what is not a usable export, and writes nothing', () => {
    const refused = (input: Uint8Array, re: RegExp) =>
      assert.throws(
        () => parseExportFile(input, 'in.json'),
        (e: Error) => {
          assert.match(e.message, /^Cannot import in\.json: /);
          assert.match(e.message, /Nothing was imported\.$/);
          assert.match(e.message, re);
          return true;
        },
      );
    refused(new Uint8Array(0), /the file is empty/);
    refused(new Uint8Array([0xff, 0xfe, 0x00, 0x81]), /not a text file/);
    refused(bytes('{"name": "my-app", "version": "1.0.0"}'), /it has no "format" field \(an export made by Export Subtree has "format": "zookeeper-explorer\/subtree"\)/);
    refused(bytes(JSON.stringify({ ...doc(), version: 3 })), /format version 3 is not supported: the file was written by a newer ZooKeeper Explorer, this one reads version 2; update the extension/);
    refused(bytes(exportFileText(doc()).slice(0, 200)), /it is not JSON/); // cut short
    refused(bytes(JSON.stringify({ ...doc(), nodes: [{ path: '/', data: '%%%%', stat }] })), /"data" is not base64/);
    refused(bytes(JSON.stringify({ ...doc(), root: 'config' })), /"root" must be the exported path/);
    refused(bytes('[1, 2]'), /no "format" field/);
  });

  it('imports by default where it came from, or below the row it was started on', () => {
    assert.equal(defaultImportTarget('/config/app'), '/config/app');
    assert.equal(defaultImportTarget('/config/app', { path: '/', kind: 'connection' }), '/config/app');
    assert.equal(defaultImportTarget('/config/app', { path: '/restore', kind: 'znode' }), '/restore/app');
    assert.equal(defaultImportTarget('/', { path: '/restore', kind: 'znode' }), '/restore');
    assert.equal(defaultImportTarget('/', undefined), '/');
  });

  it('previews a fresh import: nodes, size, source, one button', () => {
    const p = importPreview(plan(), 'sandbox', 'prod-config.json');
    assert.equal(p.message, 'Import 3 nodes (45 KiB) from "prod" /config into /config on "sandbox"?');
    assert.deepEqual(p.choices, ['Import']);
    assert.equal(
      p.detail,
      [
        'From prod-config.json, exported on 2026-11-26 21:35 UTC.',
        "1 node has a restricted ACL in the file: written with it unless you ignore the file's ACLs.",
        'New nodes without an ACL in the file get the default ACL: the ACL of the parent / (world:anyone:cdrwa).',
        'New nodes are written in one atomic transaction.',
      ].join('\n'),
    );
    assert.equal(conflictOfChoice('Import'), 'fail');
    assert.equal(conflictOfChoice(undefined), undefined);
  });

  it('lists the distinct ACLs an import sets with the lock-out verdict, and offers to ignore the file\'s ACLs', () => {
    const locked = { acl: [{ perms: PERMS.ALL, scheme: 'digest', id: digestId('ops', 'x') }], nodes: 2, firstPath: '/config/b', lockOut: msg('With this ACL, this session ({0}) could no longer {1}.', msg('no authenticated identity (world:anyone only)'), msg('read this node or change its ACL again')) };
    const open = { acl: [{ perms: PERMS.ALL, scheme: 'world', id: 'anyone' }], nodes: 1, firstPath: '/config' };
    const p = importPreview(plan({ acls: [open, locked], aclsIgnoringFile: [{ ...open, nodes: 3 }], withAcl: 3, aclRedacted: ['/config/c'] }), 'sandbox', 'f.json');
    assert.deepEqual(p.choices, ['Import', 'Import, Ignore File ACLs']);
    assert.equal(p.warn, true);
    assert.match(p.detail, /ACLs this import sets \(2 distinct ACLs; Overwrite also sets them on existing nodes\):/);
    assert.match(p.detail, /  • world:anyone:cdrwa on 1 node\n/);
    assert.match(p.detail, new RegExp(`  • digest:ops:${digestId('ops', 'x').slice(4).replace(/[+/=]/g, '\\$&')}:cdrwa on 2 nodes ⚠ locks you out: With this ACL`));
    assert.match(p.detail, /1 node has digest ids redacted in the file \(the password hashes were left out\): their ACL is not set, they get the default ACL \(first: \/config\/c\)/);
    assert.match(p.detail, /"Ignore File ACLs" writes every new node with the default ACL/);
    assert.deepEqual(importChoice('Import, Ignore File ACLs'), { conflict: 'fail', copyAcl: false });
    const existing = importPreview(plan({ existing: ['/config'], withAcl: 3 }), 'sandbox', 'f.json');
    assert.deepEqual(existing.choices, ['Skip existing', 'Overwrite', 'Add New Only, Ignore File ACLs', 'Replace Data, Ignore File ACLs']);
    assert.equal(existing.warn, false);
    assert.deepEqual(importChoice('Replace Data, Ignore File ACLs'), { conflict: 'overwrite', copyAcl: false });
    assert.deepEqual(importChoice('Add New Only, Ignore File ACLs'), { conflict: 'skip', copyAcl: false });
  });

  it('previews an import onto existing nodes: the conflict policy is asked for', () => {
    const p = importPreview(
      plan({ target: '/r/config', existing: ['/r/config', '/r/config/a'], missingParents: [], ephemeral: ['/r/config/b'], batches: 3, atomic: false, doc: doc({ source: undefined }) }),
      'sandbox',
      'f.json',
    );
    assert.equal(p.message, 'Import 3 nodes (45 KiB) from /config into /r/config on "sandbox"?');
    assert.deepEqual(p.choices, ['Skip existing', 'Overwrite']);
    assert.match(p.detail, /^2 of these nodes already exist on "sandbox" \(first: \/r\/config\)\. Skip existing keeps them as they are; Overwrite replaces their data and ACL\./m);
    assert.match(p.detail, /^1 node was ephemeral when exported: created as persistent\.$/m);
    assert.match(p.detail, /^New nodes are written in 3 batches \(not atomic: a failure half-way is reported\)\.$/m);
    assert.equal(conflictOfChoice('Skip existing'), 'skip');
    assert.equal(conflictOfChoice('Overwrite'), 'overwrite');
    const all = importPreview(plan({ existing: ['/config', '/config/a', '/config/b'] }), 'sandbox', 'f.json');
    assert.doesNotMatch(all.detail, /atomic/); // nothing new to write: no word on transactions
    const parents = importPreview(plan({ target: '/a/b/config', missingParents: ['/a', '/a/b'] }), 'sandbox', 'f.json');
    assert.match(parents.detail, /^Missing parents created first, empty: \/a, \/a\/b\.$/m);
  });

  it('reports what an import did', () => {
    const r: ImportResult = {
      target: '/config', exportedRoot: '/config', nodes: 5, created: 2, updated: 1, skipped: ['/config/x', '/config/y'], aclsSet: 1,
      ephemeralAsPersistent: ['/config/e'], aclNotCopied: [], parentsCreated: ['/r'], atomic: false, batches: 2, dataBytes: 10, ms: 5,
    };
    assert.equal(
      importReport(r, 'beta'),
      'Imported into /config on "beta": 2 created, 2 skipped (existing), 1 overwritten. Created the missing parent /r. 1 ephemeral node written as persistent. 1 ACL of existing nodes replaced.',
    );
    assert.equal(importReport({ ...r, target: '/', skipped: ['/'], updated: 0, created: 4, aclsSet: 0, ephemeralAsPersistent: [], parentsCreated: [] }, 'beta'), 'Imported into / on "beta": 4 created, 0 skipped (existing), 0 overwritten.');
  });

  it('says what a stop half-way wrote and what not, once', () => {
    const e = new SubtreeIncompleteError(
      'CONNECTIONLOSS',
      'Import of /config incomplete. Stopped: lost. 2 of 5 nodes written, 3 left (next: /config/c). Every node written has its parent, so /config holds a consistent top part of the tree: run again with the conflict policy "skip" to finish, or delete /config to undo.',
      { operation: 'import', root: '/config', completed: 2, remaining: 2, uncertain: 1, completedPaths: ['/config', '/config/a'], remainingPaths: ['/config/c', '/config/d'], uncertainPaths: ['/config/b'] },
    );
    const m = incompleteMessage(e);
    assert.match(m, /to undo\. Written: 2, not written: 2, unknown: 1 \(first not written: \/config\/c\)$/);
    assert.doesNotMatch(m, /\.\./);
    const d = new SubtreeIncompleteError('CANCELLED', 'Delete of /x incomplete. Cancelled.', {
      operation: 'delete', root: '/x', completed: 4, remaining: 0, uncertain: 0, completedPaths: [], remainingPaths: [], uncertainPaths: [],
    });
    assert.equal(incompleteMessage(d), 'Delete of /x incomplete. Cancelled. Deleted: 4, left: 0');
  });

  it("says the counts of a half-done delete in the user's language", () => {
    const fake = l10n as unknown as { t: typeof l10n.t };
    const original = fake.t;
    const bundle: Record<string, string> = { 'Deleted: {0}, left: {1}': '已删除：{0}，未删除：{1}', ' (first left: {0})': '（第一个未删除的：{0}）' };
    fake.t = ((m: string, ...args: unknown[]) => formatL10n(bundle[m] ?? m, args)) as typeof l10n.t;
    try {
      const d = new SubtreeIncompleteError('CANCELLED', 'Delete of /x incomplete. Cancelled.', {
        operation: 'delete', root: '/x', completed: 4, remaining: 2, uncertain: 0, completedPaths: [], remainingPaths: ['/x/a'], uncertainPaths: [],
      });
      assert.equal(incompleteMessage(d), 'Delete of /x incomplete. Cancelled. 已删除：4，未删除：2（第一个未删除的：/x/a）');
    } finally {
      fake.t = original;
    }
  });
});

describe('subtree messages: ACLs in exports, size of imports', () => {
  it('warns about digest password hashes and offers to redact them or leave ACLs out', () => {
    const q = exportAclQuestion({ digest: 3, restricted: 4 }, '/kafka');
    assert.equal(q.title, '3 nodes under /kafka have digest ACL entries: their ids hold password hashes (unsalted SHA-1)');
    assert.deepEqual(q.items.map((i) => [i.label, i.mode]), [
      ['Redact digest ids', 'redactDigest'],
      ['Without ACLs', 'omit'],
      ['Include the password hashes', 'full'],
    ]);
    assert.match(q.items[2].detail, /recover the passwords from the hashes offline/);
    const plain = exportAclQuestion({ digest: 0, restricted: 1 }, '/x');
    assert.equal(plain.title, '1 node under /x has a restricted ACL');
    assert.deepEqual(plain.items.map((i) => i.mode), ['full', 'omit']);
  });

  it('the export summary says what was left out of the ACLs', () => {
    assert.match(exportSummary(doc({ aclMode: 'redactDigest', version: 2 }), 'prod', 'f.json'), /Digest ids redacted \(no password hashes in the file\)\./);
    assert.match(exportSummary(doc({ aclMode: 'omit' }), 'prod', 'f.json'), /ACLs left out\./);
    assert.doesNotMatch(exportSummary(doc(), 'prod', 'f.json'), /ACLs left out|redacted/);
  });

  it('refuses an import file above the cap before reading it, with both sizes', () => {
    assert.equal(importFileSizeProblem(MAX_IMPORT_FILE_BYTES, 'ok.json'), undefined);
    assert.equal(
      importFileSizeProblem(600 * 1024 * 1024, 'huge.json'),
      'Cannot import huge.json: the file has 600 MiB (629,145,600 bytes), more than an import reads (256 MiB). Nothing was imported. Export a smaller subtree and import the parts one by one.',
    );
    assert.match(importFileSizeProblem(11, 'small.json', 10) ?? '', /11 B \(11 bytes\), more than an import reads \(10 B\)/);
  });
});

describe('subtree messages: in the user\'s language', () => {
  useTranslate(marking);
  const whole = (text: string) => assert.equal(untranslated(text), '', text);

  it('words the export summary, the import preview and report, and the refusals through l10n.t', () => {
    for (const d of [doc(), doc({ summary: { nodes: 1, dataBytes: 1, ephemeral: 1, maxDepth: 0, restrictedAcl: 0 }, unreadable: ['/s'], aclMode: 'omit' }), doc({ summary: { ...doc().summary, ephemeral: 2 }, unreadable: ['/s', '/t'], aclMode: 'redactDigest' })]) {
      for (const part of exportSummary(d, 'alpha', 'a.json').split(/(?<=») (?=«)/)) whole(part);
    }
    const locked = { acl: [{ perms: PERMS.ALL, scheme: 'digest', id: digestId('ops', 'x') }], nodes: 2, firstPath: '/config/b', lockOut: msg('locked') };
    const open = { acl: [{ perms: PERMS.ALL, scheme: 'world', id: 'anyone' }], nodes: 1, firstPath: '/config' };
    const plans = [
      plan({ acls: [open, locked], aclsIgnoringFile: [{ ...locked, nodes: 3 }], withAcl: 3, aclRedacted: ['/config/c'] }),
      plan({ acls: Array.from({ length: 8 }, () => open), withAcl: 1, aclRedacted: ['/c', '/d'], existing: ['/config'], missingParents: ['/a'], ephemeral: ['/e'] }),
      plan({ existing: ['/config', '/config/a'], missingParents: ['/a', '/b'], ephemeral: ['/e', '/f'], atomic: false, batches: 2, doc: doc({ source: undefined, exportedAt: 'garbage' }) }),
    ];
    for (const p of plans) {
      const preview = importPreview(p, 'sandbox', 'f.json');
      whole(preview.message);
      for (const line of preview.detail.split('\n')) whole(line.replace(/^  • /, ''));
      for (const choice of preview.choices) {
        whole(choice);
        assert.ok(importChoice(choice), `the translated button ${choice} is understood`);
      }
    }
    const r: ImportResult = {
      target: '/config', exportedRoot: '/config', nodes: 5, created: 2, updated: 1, skipped: [], aclsSet: 2,
      ephemeralAsPersistent: ['/config/e', '/config/f'], aclNotCopied: [], parentsCreated: ['/r', '/s'], atomic: false, batches: 2, dataBytes: 10, ms: 5,
    };
    for (const part of importReport(r, 'beta').split(/(?<=») (?=«)/)) whole(part);
    whole(importFileSizeProblem(MAX_IMPORT_FILE_BYTES + 1, 'big.json') ?? '');
    for (const input of [new Uint8Array(), new Uint8Array([0xff, 0xfe, 0x00])]) {
      assert.throws(() => parseExportFile(input, 'x.json'), (e: Error) => (whole(e.message), true));
    }
  });
});
