// Runs an authentication step (src/zk/postHandshakeStep.ts: SASL speaks in opcodes, payloads and
// reply codes) on the transport's post-handshake channel (which speaks in wire requests and decoded
// replies). A server's error code is an answer the step interprets (-115: refused); a connection
// lost meanwhile is not an answer, so the step fails without a verdict and the next connection
// runs it again.
import type { PostHandshakeStep as AuthStep, StepReply } from '../postHandshakeStep';
import { request } from '../wire/requests';
import type { ReplyFailure } from './requestQueue';
import type { PostHandshakeStep, SessionChannel } from './session';
import { FAIL } from './states';

/** The channel-level step, holding the authentication step it runs (and with it the session's copy of the secret). */
export type SessionAuthStep = PostHandshakeStep & { readonly authStep: AuthStep };

export function sessionStepOf(step: AuthStep): SessionAuthStep {
  const run: PostHandshakeStep = (channel: SessionChannel) =>
    step.run(async (opcode: number, payload: Buffer): Promise<StepReply> => {
      try {
        const body = await channel.send(request(opcode, payload, { decode: (r) => r.rest() }));
        return { err: 0, body: body as Buffer };
      } catch (failure) {
        const code = (failure as ReplyFailure | undefined)?.code;
        if (typeof code !== 'number' || code === FAIL.CONNECTION_LOSS) throw new Error('the connection closed during authentication');
        return { err: code, body: Buffer.alloc(0) };
      }
    });
  return Object.assign(run, { authStep: step });
}
