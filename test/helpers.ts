// Small helpers shared by the test suites.
import * as assert from 'node:assert/strict';
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
