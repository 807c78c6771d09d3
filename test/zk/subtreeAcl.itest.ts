// ACLs set by import, copy and move, on a real server: the lock-out check runs on every ACL set
// (also the target root's, on Overwrite), new nodes and created parents take the stated default
// (the parent's ACL, or auth::cdrwa with credentials), and exports can redact digest ids (the
// password hashes never reach the file; an import of such a file gives those nodes the default).
import * as assert from 'node:assert/strict';
import { digestId, OPEN_ACL_UNSAFE, PERMS, type ZkAcl } from '../../src/zk/acl';
import { sessionIdentities, type SessionIdentities } from '../../src/zk/aclEdit';
import { ZkClient } from '../../src/zk/client';
import { isZkError } from '../../src/zk/errors';
import { renderMessage } from '../../src/zk/message';
import { checkCopyAcls, copySubtree, exportSubtree, importSubtree, planCopy, planImport } from '../../src/zk/subtree';
import { ZkCluster } from '../harness/zookeeper';

const USER = 'ops';
const PASSWORD = 'acl-secret';
const HASH_ID = digestId(USER, PASSWORD);
const OPS_ONLY: ZkAcl[] = [{ perms: PERMS.ALL, scheme: 'digest', id: HASH_ID }];
const READ_FOR_ALL_OPS_ADMIN: ZkAcl[] = [{ perms: PERMS.READ, scheme: 'world', id: 'anyone' }, ...OPS_ONLY];

async function codeOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('subtree ACLs (real ZooKeeper)', function () {
  this.timeout(120_000);
  let cluster: ZkCluster;
  let anon: ZkClient; // no credentials
  let ops: ZkClient; // digest ops:acl-secret
  let anonWho: SessionIdentities;
  let opsWho: SessionIdentities;

  before(async () => {
    cluster = await ZkCluster.startStandalone();
    anon = new ZkClient({ connectString: cluster.connectString });
    ops = new ZkClient({ connectString: cluster.connectString, auth: [{ scheme: 'digest', auth: `${USER}:${PASSWORD}` }] });
    await Promise.all([anon.connect(), ops.connect()]);
    anonWho = sessionIdentities(await anon.whoAmI(), undefined);
    opsWho = sessionIdentities(await ops.whoAmI(), { user: USER, password: PASSWORD });
  });
  after(async () => {
    await Promise.all([anon?.close(), ops?.close()]);
    await cluster?.close();
  });

  it('Overwrite that would replace the target root\'s ACL with one that locks this session out is refused before any write', async () => {
    await anon.create('/target', Buffer.from('old root'));
    await anon.create('/target/a', Buffer.from('old a'));
    const file = {
      format: 'zookeeper-explorer/subtree',
      version: 1,
      exportedAt: new Date().toISOString(),
      root: '/cfg',
      summary: { nodes: 2, dataBytes: 0, ephemeral: 0, maxDepth: 1, restrictedAcl: 2 },
      nodes: [
        { path: '/', data: Buffer.from('new root').toString('base64'), acl: OPS_ONLY, stat: { ephemeral: false } },
        { path: '/a', data: Buffer.from('new a').toString('base64'), acl: OPS_ONLY, stat: { ephemeral: false } },
      ],
    };
    const text = JSON.stringify(file);
    const plan = await planImport(anon, '/target', text, { identities: anonWho });
    assert.deepEqual(plan.existing, ['/target', '/target/a']);
    assert.equal(plan.acls.length, 1, 'one distinct ACL');
    assert.equal(plan.acls[0].nodes, 2);
    assert.match(renderMessage(plan.acls[0].lockOut ?? ''), /could no longer read this node or change its ACL again/);

    const e = await codeOf(importSubtree(anon, '/target', text, { conflict: 'overwrite', identities: anonWho }));
    assert.ok(isZkError(e, 'ACL_LOCK_OUT'), `expected ACL_LOCK_OUT, got ${String(e)}`);
    assert.match((e as Error).message, /Nothing was written/);
    assert.deepEqual((await anon.getACL('/target')).acl, [...OPEN_ACL_UNSAFE], 'the root\'s ACL is untouched');
    assert.equal(Buffer.from((await anon.getData('/target')).data).toString(), 'old root', 'no data was written either');

    // Ignoring the file's ACLs: data replaced, ACLs left as they are.
    const r = await importSubtree(anon, '/target', text, { conflict: 'overwrite', copyAcl: false, identities: anonWho });
    assert.equal(r.updated, 2);
    assert.equal(r.aclsSet, 0);
    assert.equal(Buffer.from((await anon.getData('/target')).data).toString(), 'new root');
    assert.deepEqual((await anon.getACL('/target/a')).acl, [...OPEN_ACL_UNSAFE]);
  });

  it('new nodes and created parents take the default ACL: the parent\'s without credentials, auth::cdrwa with them', async () => {
    const parentAcl: ZkAcl[] = [{ perms: PERMS.ALL, scheme: 'world', id: 'anyone' }, { perms: PERMS.READ, scheme: 'ip', id: '10.9.8.7' }];
    await anon.create('/base', undefined, { acl: parentAcl });
    const file = JSON.stringify({
      format: 'zookeeper-explorer/subtree',
      version: 1,
      exportedAt: new Date().toISOString(),
      root: '/x',
      summary: { nodes: 2, dataBytes: 0, ephemeral: 0, maxDepth: 1, restrictedAcl: 0 },
      nodes: [
        { path: '/', data: '', stat: { ephemeral: false } },
        { path: '/child', data: '', stat: { ephemeral: false } },
      ],
    });
    const plan = await planImport(anon, '/base/missing/x', file, { identities: anonWho });
    assert.equal(plan.defaultAcl.source, 'parent');
    assert.match(plan.defaultAcl.description, /the ACL of the parent \/base \(world:anyone:cdrwa, ip:10\.9\.8\.7:r\)/);
    await importSubtree(anon, '/base/missing/x', file, { createParents: true, identities: anonWho });
    for (const p of ['/base/missing', '/base/missing/x', '/base/missing/x/child']) {
      assert.deepEqual((await anon.getACL(p)).acl, parentAcl, `the ACL of ${p}`);
    }

    const plan2 = await planImport(ops, '/base/ops', file, { identities: opsWho });
    assert.equal(plan2.defaultAcl.source, 'auth');
    await importSubtree(ops, '/base/ops', file, { identities: opsWho });
    // The server turns auth::cdrwa into the session's identities.
    assert.deepEqual((await ops.getACL('/base/ops/child')).acl, OPS_ONLY);
  });

  it('copy runs the lock-out check on the ACLs it copies; without the source ACLs it copies', async () => {
    await ops.create('/guarded', Buffer.from('g'), { acl: READ_FOR_ALL_OPS_ADMIN });
    const plan = await planCopy(anon, '/guarded', anon, '/guarded-copy');
    const e = await codeOf(checkCopyAcls(anon, '/guarded-copy', plan, anonWho));
    assert.ok(isZkError(e, 'ACL_LOCK_OUT'), `expected ACL_LOCK_OUT, got ${String(e)}`);
    assert.match((e as Error).message, /could no longer change its ACL again/);
    const e2 = await codeOf(copySubtree(anon, '/guarded', anon, '/guarded-copy', { plan, identities: anonWho }));
    assert.ok(isZkError(e2, 'ACL_LOCK_OUT'));
    assert.equal(await anon.exists('/guarded-copy'), undefined, 'nothing written');
    const r = await copySubtree(anon, '/guarded', anon, '/guarded-copy', { plan, identities: anonWho, copyAcl: false });
    assert.equal(r.created, 1);
    assert.deepEqual((await anon.getACL('/guarded-copy')).acl, [...OPEN_ACL_UNSAFE], 'the default: the parent / is open');
    // The same copy by the session the ACL grants passes the check.
    await checkCopyAcls(ops, '/guarded-copy2', await planCopy(ops, '/guarded', ops, '/guarded-copy2'), opsWho);
  });

  it('an export can redact digest ids: no password hash in the file; importing it gives those nodes the default ACL', async () => {
    await ops.create('/secretive', Buffer.from('s'), { acl: READ_FOR_ALL_OPS_ADMIN });
    await ops.create('/secretive/open', Buffer.from('o'));
    const full = JSON.stringify(await exportSubtree(ops, '/secretive'));
    assert.ok(full.includes(HASH_ID.split(':')[1]), 'a full export holds the hash');
    const redacted = await exportSubtree(ops, '/secretive', { acl: 'redactDigest' });
    const text = JSON.stringify(redacted);
    assert.ok(!text.includes(HASH_ID.split(':')[1]), 'the hash is not in a redacted export');
    assert.equal(redacted.version, 2);
    assert.equal(redacted.aclMode, 'redactDigest');
    assert.deepEqual(redacted.nodes[0].acl, [{ perms: PERMS.READ, scheme: 'world', id: 'anyone' }, { perms: PERMS.ALL, scheme: 'digest', id: `${USER}:<redacted>` }]);
    const omitted = await exportSubtree(ops, '/secretive', { acl: 'omit' });
    assert.ok(omitted.nodes.every((n) => n.acl === undefined));

    const plan = await planImport(anon, '/restored', text, { identities: anonWho });
    assert.deepEqual(plan.aclRedacted, ['/restored']);
    await importSubtree(anon, '/restored', text, { identities: anonWho });
    assert.deepEqual((await anon.getACL('/restored')).acl, [...OPEN_ACL_UNSAFE], 'the default ACL (the parent / is open), not "ops:<redacted>"');
  });
});
