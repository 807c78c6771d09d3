import * as assert from 'node:assert/strict';
import type { ConfigTree } from '../../../src/zk/configAsCode/configTree';
import { diffTrees, type ApplyPlan, type RemoteNode } from '../../../src/zk/configAsCode/plan';
import { applyReportMarkdown, countsLine, hasWork, planMarkdown } from '../../../src/zk/configAsCode/planReport';
import type { ZnodeStat } from '../../../src/zk/stat';
import { marking, untranslated } from '../markingTranslate';
import { digestId, PERMS } from '../../../src/zk/acl';
import { sessionIdentities } from '../../../src/zk/aclEdit';
import { distinctAcls } from '../../../src/zk/subtreeAcl';

const t = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const stat = (version: number): ZnodeStat => ({ czxid: '0x1', mzxid: '0x1', pzxid: '0x1', ctime: new Date(0), mtime: new Date(0), version, cversion: 0, aversion: 0, ephemeralOwner: '0x0', dataLength: 0, numChildren: 0 });
const open = [{ perms: 31, scheme: 'world', id: 'anyone' }];

function planOf(local: ConfigTree, remote: Map<string, RemoteNode>, baseline: boolean): ApplyPlan {
  const d = diffTrees(local, remote, '/cfg', { mode: 'mirror', baseline });
  return { target: '/cfg', connection: 'prod', mode: 'mirror', baseline, readOnly: false, ...d, missingParents: [], defaultAcl: { acl: open, source: 'parent', description: 'the parent ACL' }, acls: [], unreadable: [], walkMs: 0 };
}

describe('config as code: plan report', () => {
  it('counts in words, every change listed with its reason, hostile names made visible and escaped', () => {
    const evil = 'x\u202E](javascript:alert(1))';
    const remote = new Map<string, RemoteNode>([
      ['/', { data: t(''), acl: open, stat: stat(0) }],
      ['/a', { data: t('old'), acl: open, stat: stat(3) }],
      ['/gone', { data: t('g'), acl: open, stat: stat(0) }],
    ]);
    const local: ConfigTree = {
      nodes: [
        { rel: '/', data: t(''), meta: { mode: 'persistent', acl: open, version: 0 } },
        { rel: '/a', data: t('new!'), meta: { mode: 'persistent', acl: open, version: 2 } },
        { rel: `/${evil}`, data: t('n') },
      ],
    };
    const plan = planOf(local, remote, true);
    assert.equal(countsLine(plan.counts), '1 to create, 0 to change, 0 to delete, 0 ACL changes, 1 unchanged, 2 conflicts');
    assert.ok(hasWork(plan));
    const text = planMarkdown(plan, 'pulled');
    assert.match(text, /## Conflicts: changed on the server since the pull \(never overwritten\) \(2\)/);
    assert.match(text, /`\/cfg\/a` — 3 bytes → 4 bytes; changed on the server since the pull \\\(data version 2 when pulled, 3 now\\\)/);
    assert.match(text, /## To create \(1\)/);
    assert.ok(text.includes('\\u202E'), 'the right-to-left override is shown as an escape');
    assert.ok(!text.includes('\u202E'));
    assert.ok(!/\]\(javascript/.test(text.replace(/`[^`]*`/g, '')), 'no link outside code spans');
  });

  it('says when there is nothing to write, and reports an apply that stopped', () => {
    const remote = new Map<string, RemoteNode>([['/', { data: t('same'), acl: open, stat: stat(0) }]]);
    const plan = planOf({ nodes: [{ rel: '/', data: t('same') }] }, remote, false);
    assert.equal(hasWork(plan), false);
    assert.match(planMarkdown(plan, 'pulled'), /Nothing to write/);
    const report = applyReportMarkdown(
      { target: '/cfg', applied: [{ op: 'create', path: '/cfg/a' }], uncertain: [{ op: 'setData', path: '/cfg/b' }], notApplied: [{ op: 'delete', path: '/cfg/c' }], batches: 1, ms: 5 },
      { connection: 'prod', error: 'Connection lost' },
    );
    assert.match(report, /# Apply stopped: `\/cfg` on "prod"/);
    assert.match(report, /1 applied, 1 uncertain, 1 not applied, in 1 transaction \(/);
    assert.match(report, /## Uncertain[^\n]*\(1\)\n\n- setData `\/cfg\/b`/);
  });

  it("words each change's reason through the Translate it is given", () => {
    const remote = new Map<string, RemoteNode>([
      ['/', { data: t(''), acl: open, stat: stat(0) }],
      ['/a', { data: t('old'), acl: open, stat: stat(3) }],
      ['/late', { data: t('x'), acl: open, stat: stat(0) }],
    ]);
    const local: ConfigTree = {
      nodes: [
        { rel: '/', data: t(''), meta: { mode: 'persistent', acl: open, version: 0 } },
        { rel: '/a', data: t('new!'), meta: { mode: 'persistent', acl: open, version: 2 } },
      ],
    };
    const text = planMarkdown(planOf(local, remote, true), 'pulled', { t: marking });
    assert.match(text, /`\/cfg\/a` — .*«changed on the server since the pull \\\(data version 2 when pulled, 3 now\\\)»/);
    assert.match(text, /`\/cfg\/late` — «created on the server since the pull; mirror would delete it»/);
  });

  it('words its headings, counts and sentences through the Translate it is given; paths and numbers stay as they are', () => {
    const remote = new Map<string, RemoteNode>([
      ['/', { data: t(''), acl: open, stat: stat(0) }],
      ['/a', { data: t('old'), acl: open, stat: stat(0) }],
    ]);
    const local: ConfigTree = { nodes: [{ rel: '/', data: t('') }, { rel: '/a', data: t('new!') }, { rel: '/b', data: t('n') }] };
    const plan = planOf(local, remote, false);
    // The lock-out verdict the plan carries (distinctAcls with this session's identities) is a Message too.
    plan.acls = distinctAcls([{ path: '/cfg/b', acl: [{ perms: PERMS.READ, scheme: 'digest', id: digestId('ops', 'x') }] }], sessionIdentities([], undefined));
    assert.ok(plan.acls[0].lockOut);
    assert.equal(countsLine(plan.counts, marking), '«1 to create»«, »«1 to change»«, »«0 to delete»«, »«0 ACL changes»«, »«1 unchanged»');
    const text = planMarkdown(plan, 'pulled', { t: marking });
    assert.match(text, /^# «Apply pulled to `\/cfg` on "prod"»$/m);
    assert.match(text, /^## «To change» \(1\)$/m);
    assert.match(text, /^\*\*«Lock-out:»\*\* «With this ACL, this session .*«no authenticated identity .*could no longer «read this node or change its ACL again».*»$/m);
    assert.match(text, /^- `\/cfg\/a` — «3 bytes» → «4 bytes»/m);
    assert.match(text, /^«Mode: \*\*mirror\*\* [^»]+» «Not the subtree [^»]+»$/m);
    const report = applyReportMarkdown(
      { target: '/cfg', applied: [{ op: 'create', path: '/cfg/a' }], uncertain: [], notApplied: [{ op: 'delete', path: '/cfg/c' }], batches: 2, ms: 5 },
      { connection: 'prod', error: 'Connection lost', t: marking },
    );
    assert.match(report, /^# «Apply stopped: `\/cfg` on "prod"»$/m);
    assert.match(report, /^«1 applied, 0 uncertain, 1 not applied, in 2 transactions \(5 ms\)\.»$/m);
    assert.match(report, /^## «Not applied» \(1\)$/m);
    for (const md of [text, report]) {
      assert.doesNotMatch(untranslated(md).replace(/\*\*Connection lost\*\*/, ''), /[a-z]{3,} [a-z]{3,}/i, `no English outside the translated parts: ${untranslated(md)}`);
    }
  });
});
