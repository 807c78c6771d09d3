import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { AuthFailure, type StepReply, type StepSend } from '../../../src/zk/postHandshakeStep';
import { digestMd5Bytes, parseDirectives } from '../../../src/zk/sasl/digestMd5';
import { decodeSaslToken, encodeSaslToken, saslStep } from '../../../src/zk/sasl/saslExchange';

const tokenBody = (t: Buffer | null): Buffer => {
  if (t === null) return Buffer.from([0xff, 0xff, 0xff, 0xff]);
  return encodeSaslToken(t);
};

/** A DIGEST-MD5 server as ZooKeeper's (realm zk-sasl-md5, qop auth, md5-sess), knowing `users`. */
function fakeServer(users: Record<string, string>, opts: { badRspauth?: boolean } = {}) {
  const nonce = randomBytes(12).toString('base64');
  const sent: { opcode: number; token: Buffer | null }[] = [];
  const md5 = (b: Buffer | string) => createHash('md5').update(b).digest();
  const send: StepSend = async (opcode, payload): Promise<StepReply> => {
    const token = decodeSaslToken(payload);
    sent.push({ opcode, token });
    if (sent.length === 1) {
      assert.equal(token?.length, 0, 'DIGEST-MD5 opens with an empty token');
      return { err: 0, body: tokenBody(Buffer.from(`realm="zk-sasl-md5",nonce="${nonce}",qop="auth",charset=utf-8,algorithm=md5-sess`)) };
    }
    const d = parseDirectives(token!.toString('utf8'));
    const user = d.get('username')![0];
    const password = users[user];
    if (password === undefined) return { err: -115, body: tokenBody(null) };
    const cnonce = d.get('cnonce')![0];
    const uri = d.get('digest-uri')![0];
    const inner = md5(Buffer.concat([digestMd5Bytes(`${user}:zk-sasl-md5:`), digestMd5Bytes(password)]));
    const ha1 = md5(Buffer.concat([inner, Buffer.from(`:${nonce}:${cnonce}`)])).toString('hex');
    const value = (a2: string) => md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${md5(a2).toString('hex')}`).toString('hex');
    if (d.get('response')![0] !== value(`AUTHENTICATE:${uri}`)) return { err: -115, body: tokenBody(null) };
    const rspauth = opts.badRspauth ? '0'.repeat(32) : value(`:${uri}`);
    return { err: 0, body: tokenBody(Buffer.from(`rspauth=${rspauth}`)) };
  };
  return { send, sent };
}

const credentials = (user: string, password: string) => ({ user, password: digestMd5Bytes(password) });

async function failureOf(p: Promise<unknown>): Promise<AuthFailure> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AuthFailure, `expected an AuthFailure, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the step to fail');
}

describe('SASL exchange (SetSASL, opcode 102)', () => {
  it('opens with an empty token, answers the challenge, and checks rspauth, all as opcode 102', async () => {
    const server = fakeServer({ alice: 'pässwörd' });
    await saslStep('DIGEST-MD5', credentials('alice', 'pässwörd')).run(server.send);
    assert.deepEqual(server.sent.map((s) => s.opcode), [102, 102]);
  });

  it('a refused user or password is "rejected", and says which user', async () => {
    const wrong = await failureOf(saslStep('DIGEST-MD5', credentials('alice', 'nope')).run(fakeServer({ alice: 'right' }).send));
    assert.equal(wrong.kind, 'rejected');
    assert.match(wrong.message, /rejected SASL user "alice" or its password/);
    const unknown = await failureOf(saslStep('DIGEST-MD5', credentials('mallory', 'x')).run(fakeServer({ alice: 'right' }).send));
    assert.equal(unknown.kind, 'rejected');
  });

  it('SESSIONCLOSEDREQUIRESASLAUTH to the exchange is a refusal by a server that requires SASL', async () => {
    const f = await failureOf(saslStep('DIGEST-MD5', credentials('a', 'b')).run(async () => ({ err: -124, body: Buffer.alloc(0) })));
    assert.equal(f.kind, 'rejected');
    assert.match(f.message, /requires SASL and rejected user "a"/);
  });

  it('a null token to the opening request means the server has no SASL configured', async () => {
    const f = await failureOf(saslStep('DIGEST-MD5', credentials('a', 'b')).run(async () => ({ err: 0, body: tokenBody(null) })));
    assert.equal(f.kind, 'noSaslOnServer');
    assert.match(f.message, /no SASL configured.*Server section/);
  });

  it('a server that cannot prove the password, or sends a malformed reply, is "badServer"', async () => {
    const proof = await failureOf(saslStep('DIGEST-MD5', credentials('alice', 'right')).run(fakeServer({ alice: 'right' }, { badRspauth: true }).send));
    assert.equal(proof.kind, 'badServer');
    assert.match(proof.message, /rspauth does not match/);
    const tooLong = Buffer.alloc(4);
    tooLong.writeInt32BE(1_000_000, 0);
    const malformed = await failureOf(saslStep('DIGEST-MD5', credentials('a', 'b')).run(async () => ({ err: 0, body: tooLong })));
    assert.equal(malformed.kind, 'badServer');
    const trailing = await failureOf(saslStep('DIGEST-MD5', credentials('a', 'b')).run(async () => ({ err: 0, body: Buffer.concat([tokenBody(Buffer.from('x')), Buffer.from([1])]) })));
    assert.match(trailing.message, /after its token/);
    const odd = await failureOf(saslStep('DIGEST-MD5', credentials('a', 'b')).run(async () => ({ err: -6, body: Buffer.alloc(0) })));
    assert.equal(odd.kind, 'badServer');
  });

  it('a dropped connection is not an AuthFailure (the next connection tries again)', async () => {
    await assert.rejects(
      saslStep('DIGEST-MD5', credentials('a', 'b')).run(async () => Promise.reject(new Error('the connection closed during authentication'))),
      (e: unknown) => !(e instanceof AuthFailure),
    );
  });

  it('GSSAPI and unknown mechanisms are refused without sending anything', async () => {
    let sent = 0;
    const send: StepSend = async () => {
      sent++;
      return { err: 0, body: tokenBody(null) };
    };
    const g = await failureOf(saslStep('GSSAPI', credentials('a', 'b')).run(send));
    assert.equal(g.kind, 'unsupportedMechanism');
    assert.match(g.message, /GSSAPI \(Kerberos\) is not supported.*native Kerberos library/);
    assert.equal((await failureOf(saslStep('PLAIN', credentials('a', 'b')).run(send))).kind, 'unsupportedMechanism');
    assert.equal(sent, 0);
  });
});
