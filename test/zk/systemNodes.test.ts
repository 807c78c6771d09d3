// Every data write path (editor save, Restore, import, paste, copy, config-as-code apply) goes through
// ZkClient.setData or multi: /zookeeper/config is refused there, before anything is sent or even
// connected, and through a chroot that maps onto it.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../src/zk/client';
import { isZkError } from '../../src/zk/errors';
import { directWriteProblem } from '../../src/zk/systemNodes';

const refused = (e: unknown) => isZkError(e, 'INVALID_ARGUMENT') && /Add Member…, Remove Member… or Change Role…/.test((e as Error).message);

describe('writes to /zookeeper/config', () => {
  it('are refused by the client for setData and for a setData inside a multi, unconnected, nothing sent', async () => {
    const zk = new ZkClient({ connectString: '127.0.0.1:1' });
    await assert.rejects(zk.setData('/zookeeper/config', new Uint8Array([1]), -1), refused);
    await assert.rejects(zk.multi([{ type: 'check', path: '/a', version: 0 }, { type: 'setData', path: '/zookeeper/config', data: new Uint8Array([1]) }]), refused);
    await zk.close();
  });

  it('are refused through a chroot that maps onto the node', async () => {
    const zk = new ZkClient({ connectString: '127.0.0.1:1/zookeeper' });
    await assert.rejects(zk.setData('/config', new Uint8Array([1]), -1), refused);
    await zk.close();
  });

  it('only that node: its neighbours and a node of the same name under a chroot are not refused by the check', () => {
    assert.ok(directWriteProblem('/zookeeper/config'));
    assert.equal(directWriteProblem('/zookeeper/configs'), undefined);
    assert.equal(directWriteProblem('/app/zookeeper/config'), undefined);
    assert.equal(directWriteProblem('/zookeeper/quota/a'), undefined);
  });
});
