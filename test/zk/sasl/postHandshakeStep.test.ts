// The wire layer's post-handshake hook (what SASL runs in) against a scripted peer: queued requests
// wait for the step, a refusal ends the session's use with its message, a stray or missing reply
// drops the connection and the next one runs the step again, and SESSIONCLOSEDREQUIRESASLAUTH to
// any request is the "SASL required" refusal.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../../../src/zk/client';
import { AuthFailure, type PostHandshakeStep } from '../../../src/zk/postHandshakeStep';
import { frame, int32, replyHeader, startHostilePeer, stat, type HostilePeer } from '../hostilePeer';
import { rejectsWith, waitUntil } from '../../helpers';

const SASL = 102;
const EXISTS = 3;

/** A step that sends one opcode-102 request and resolves on err 0, or rejects with an AuthFailure. */
function oneRequestStep(runs: { count: number }): PostHandshakeStep {
  return {
    async run(send) {
      runs.count++;
      const reply = await send(SASL, Buffer.concat([int32(0)]));
      if (reply.err !== 0) throw new AuthFailure('rejected', `refused with ${reply.err}`);
    },
  };
}

describe('post-handshake step (the SASL hook) against a scripted peer', () => {
  let peer: HostilePeer | undefined;
  let zk: ZkClient | undefined;
  afterEach(async () => {
    await zk?.close();
    await peer?.close();
    zk = peer = undefined;
  });

  it('holds requests queued while connecting until the step is done, then sends them', async () => {
    const order: string[] = [];
    peer = await startHostilePeer((r) => {
      order.push(`${r.opcode}`);
      if (r.opcode === SASL) {
        // Answer late: a request sent meanwhile would arrive before this reply.
        setTimeout(() => {
          order.push('102-answered');
          r.socket.write(frame(replyHeader(r.xid), int32(-1)));
        }, 300);
      } else r.socket.write(frame(replyHeader(r.xid), stat()));
    });
    const runs = { count: 0 };
    zk = new ZkClient({ connectString: peer.address, requestTimeoutMs: 3000, afterHandshake: oneRequestStep(runs) });
    const connected = zk.connect();
    const early = zk.exists('/x');
    await connected;
    assert.ok(await early);
    assert.deepEqual(order, ['102', '102-answered', `${EXISTS}`]);
    assert.equal(runs.count, 1);
  });

  it('a refusal ends in authFailed with the step\'s message; queued requests fail with it; no reconnect', async () => {
    peer = await startHostilePeer((r) => {
      if (r.opcode === SASL) r.socket.write(frame(replyHeader(r.xid, -115), int32(-1)));
    });
    zk = new ZkClient({ connectString: peer.address, requestTimeoutMs: 3000, afterHandshake: oneRequestStep({ count: 0 }) });
    const connecting = zk.connect();
    const queued = zk.exists('/x');
    await rejectsWith(connecting, 'AUTHFAILED', /refused with -115/);
    await rejectsWith(queued, 'AUTHFAILED', /refused with -115/);
    assert.equal(zk.state, 'authFailed');
    assert.equal(zk.authFailure?.kind, 'rejected');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(peer.connections, 1);
    assert.ok(!peer.requests.some((r) => r.opcode === EXISTS), 'the queued request was never sent');
  });

  it('a reply with another xid during the step drops the connection; the next connection runs the step again', async () => {
    peer = await startHostilePeer((r) => {
      if (r.opcode === SASL) r.socket.write(frame(replyHeader(r.connection === 0 ? r.xid + 7 : r.xid), int32(-1)));
      else r.socket.write(frame(replyHeader(r.xid), stat()));
    });
    const runs = { count: 0 };
    zk = new ZkClient({ connectString: peer.address, requestTimeoutMs: 5000, spinDelayMs: 50, afterHandshake: oneRequestStep(runs) });
    await zk.connect(5000);
    assert.ok(await zk.exists('/x'));
    assert.equal(runs.count, 2);
    assert.equal(peer.connections, 2);
  });

  it('a peer silent during the step is left after the handshake deadline, saying so', async () => {
    peer = await startHostilePeer(() => undefined);
    const errors: string[] = [];
    zk = new ZkClient({ connectString: peer.address, connectTimeoutMs: 400, spinDelayMs: 50, afterHandshake: oneRequestStep({ count: 0 }) });
    zk.on('socketError', (e: Error) => errors.push(e.message));
    void zk.connect(1500).catch(() => undefined);
    await waitUntil(() => errors.length > 0, 5000, 'a socket error');
    assert.match(errors[0], /to the SASL authentication within 400 ms/);
    await waitUntil(() => peer!.connections >= 2, 5000, 'a new connection');
  });

  it('SESSIONCLOSEDREQUIRESASLAUTH (-124) to a request: authFailed, "SASL required", with what to do', async () => {
    peer = await startHostilePeer((r) => r.socket.write(frame(replyHeader(r.xid, -124))));
    zk = new ZkClient({ connectString: peer.address, requestTimeoutMs: 3000, name: 'plain' });
    await zk.connect();
    await rejectsWith(zk.exists('/x'), 'AUTHFAILED', /Connection "plain": The server requires SASL authentication .*choose SASL \(DIGEST-MD5\)/);
    assert.equal(zk.state, 'authFailed');
    assert.equal(zk.authFailure?.kind, 'saslRequired');
  });
});
