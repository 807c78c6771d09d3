// The Stats of a names-only search's matches: read a bounded number at a time, handed on in the
// order the nodes matched whatever order the replies come in, vanished nodes left out, and nothing
// lost when the lists it keeps are compacted during a long search (plain Node, a fake client).
import * as assert from 'node:assert/strict';
import { MatchStats } from '../../../src/zk/search/matchStats';
import type { NodeResult } from '../../../src/zk/search/searchSubtree';
import type { SubtreeClient } from '../../../src/zk/subtree';
import type { ZnodeStat } from '../../../src/zk/stat';

const result = (path: string): NodeResult => ({ path, nameMatches: [{ line: 0, column: 0, length: 1 }], pathMatches: [], dataMatches: [], dataBytes: 0 });

/** exists() answered out of order (each after a few turns of the event loop), undefined for `gone`. */
function fakeClient(gone: Set<string>) {
  let inFlight = 0;
  let most = 0;
  let turn = 0;
  const client = {
    exists: async (path: string): Promise<ZnodeStat | undefined> => {
      most = Math.max(most, ++inFlight);
      const waits = (turn++ * 7) % 5; // replies overtake each other
      for (let i = 0; i < waits; i++) await new Promise<void>((r) => setImmediate(r));
      inFlight--;
      return gone.has(path) ? undefined : ({ dataLength: path.length } as ZnodeStat);
    },
  } as unknown as SubtreeClient;
  return { client, most: () => most };
}

describe('MatchStats', () => {
  it('hands on every match with its size, in match order, leaving out vanished nodes, through compactions', async () => {
    const paths = Array.from({ length: 5000 }, (_, i) => `/n/${i}`);
    const gone = new Set(paths.filter((_, i) => i % 97 === 5));
    const { client, most } = fakeClient(gone);
    const handed: NodeResult[] = [];
    const vanished: string[] = [];
    const stats = new MatchStats(client, 16, (r) => handed.push(r), (r) => vanished.push(r.path));
    for (const p of paths) stats.add(result(p)); // added faster than answered: the window bounds the reads
    await stats.drain();
    assert.deepEqual(handed.map((r) => r.path), paths.filter((p) => !gone.has(p)));
    assert.ok(handed.every((r) => r.dataBytes === r.path.length), 'each result carries the size from its Stat');
    assert.deepEqual(vanished, [...gone]);
    assert.ok(most() <= 16, `at most 16 reads at once (saw ${most()})`);
  });

  it('a failed read fails the drain; after stop nothing more is handed on', async () => {
    const failing = { exists: async () => Promise.reject(new Error('connection lost')) } as unknown as SubtreeClient;
    const stats = new MatchStats(failing, 4, () => undefined, () => undefined);
    stats.add(result('/a'));
    await assert.rejects(stats.drain(), /connection lost/);

    const { client } = fakeClient(new Set());
    const handed: string[] = [];
    const stopped = new MatchStats(client, 4, (r) => handed.push(r.path), () => undefined);
    for (let i = 0; i < 10; i++) stopped.add(result(`/s/${i}`));
    stopped.stop();
    await stopped.drain();
    await new Promise<void>((r) => setTimeout(r, 10));
    assert.deepEqual(handed, []);
  });
});
