// Small helpers shared by the test suites.
import * as assert from 'node:assert/strict';
import { ZkClient } from '../src/zk/client';
import { isZkError, type ZkError } from '../src/zk/errors';

/** Polls until cond() is true; fails the test after timeoutMs. */
export async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what} not met within ${timeoutMs} ms`);
}

/** Asserts that p rejects with a ZkError of this code (and message), and returns it. */
export async function rejectsWith(p: Promise<unknown>, code: string, message?: RegExp): Promise<ZkError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isZkError(e), `expected a ZkError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

export const text = (s: string): Buffer => Buffer.from(s, 'utf8');

/**
 * Ends a session from outside, the way tests force an expiry: a second client resumes it and
 * closes it. The owner's own reconnect can win the session back in between, so this tries again
 * until `expired` settles (the owner reported the expiry).
 */
export async function expireSession(
  connectString: string,
  owner: { sessionId: string; sessionPassword: Buffer },
  expired: Promise<unknown>,
  /** Runs once while the thief holds the session (the owner is cut off): changes "while it was down". */
  meanwhile?: () => Promise<unknown>,
  attempts = 5,
): Promise<void> {
  const id = Buffer.from(owner.sessionId.slice(2).padStart(16, '0'), 'hex');
  const password = Buffer.from(owner.sessionPassword);
  let heard = false;
  void expired.then(() => (heard = true));
  for (let i = 0; i < attempts && !heard; i++) {
    const thief = new ZkClient({ connectString, session: { id, password } });
    await thief.connect().catch(() => undefined);
    if (i === 0 && meanwhile) await meanwhile();
    await thief.close();
    const end = Date.now() + 5_000;
    while (!heard && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  }
  if (!heard) assert.fail(`session ${owner.sessionId} did not expire after ${attempts} attempts`);
}
