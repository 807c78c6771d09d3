// Quota text as ZooKeeper writes it (StatsTrack, both forms), the limits' validation, usage, order and alerts.
import * as assert from 'node:assert/strict';
import { marking, untranslated } from '../markingTranslate';
import { renderMessage, type Message } from '../../../src/zk/message';
import { describeLimits, describeUse, limitUses, formatStatsTrack, limitsProblem, parseStatsTrack, quotaAlerts, quotaPathProblem, shortQuotaText, sortByCloseness, limitsPath, statsPath, type Quota } from '../../../src/zk/clusterAdmin/quotas';
import { readQuota } from '../../../src/zk/clusterAdmin/quotaStore';
import { ZkError } from '../../../src/zk/errors';

const problemText = (m: Message | undefined) => (m ? renderMessage(m) : '');

describe('quota text (StatsTrack)', () => {
  it('reads the pre-3.7 form', () => {
    assert.deepEqual(parseStatsTrack('count=5,bytes=100'), { values: { count: 5, bytes: 100 } });
    assert.deepEqual(parseStatsTrack('count=-1,bytes=-1'), { values: {} });
  });

  it('reads the 3.7+ form with hard limits (as the 3.8 server wrote it for zkCli)', () => {
    assert.deepEqual(parseStatsTrack('count=5,bytes=-1=;byteHardLimit=50;countHardLimit=-1'), { values: { count: 5, bytesHard: 50 } });
    assert.deepEqual(parseStatsTrack('count=2,bytes=8'), { values: { count: 2, bytes: 8 } });
  });

  it('writes what the server and zkCli write, and reads it back', () => {
    assert.equal(formatStatsTrack({ count: 5 }), 'count=5,bytes=-1');
    assert.equal(formatStatsTrack({ count: 5, bytesHard: 50 }), 'count=5,bytes=-1=;byteHardLimit=50;countHardLimit=-1');
    const l = { count: 1, bytes: 2, countHard: 3, bytesHard: 4 };
    assert.deepEqual(parseStatsTrack(formatStatsTrack(l)).values, l);
  });

  it('hostile text: unknown fields ignored, garbage reported, never guessed', () => {
    assert.deepEqual(parseStatsTrack('count=5,bytes=1;futureField=7'), { values: { count: 5, bytes: 1 } });
    const odd = parseStatsTrack('count=5,bytes=<script>,countHardLimit=99999999999999999999');
    assert.deepEqual(odd.values, { count: 5 });
    assert.match(problemText(odd.problem), /not understood: bytes=<script>, countHardLimit=9+/);
    assert.equal(problemText(parseStatsTrack('x'.repeat(5000)).problem), 'too long (5000 characters) for quota text');
  });

  it("says what it did not understand in the user's language, quoting the text as it is", () => {
    const odd = renderMessage(parseStatsTrack('count=5,bytes=<script>').problem!, marking);
    assert.equal(odd, '«not understood: bytes=<script>»');
    const long = renderMessage(parseStatsTrack('x'.repeat(5000)).problem!, marking);
    assert.equal(untranslated(long), '', long);
  });

  it('a quota whose nodes hold foreign text, or that the server has not counted, says so through the Translate', async () => {
    const nodes = new Map([
      ['/zookeeper/quota/a/zookeeper_limits', 'count=5,bytes=<script>'],
      ['/zookeeper/quota/b/zookeeper_limits', 'count=5'],
      ['/zookeeper/quota/b/zookeeper_stats', 'x'.repeat(2000)],
    ]);
    const client = {
      getData: async (path: string) => {
        const text = nodes.get(path);
        if (text === undefined) throw new ZkError('NONODE', 'no node', { path });
        return { data: Buffer.from(text), stat: {} };
      },
    };
    const a = (await readQuota(client as never, '/a'))!;
    assert.equal(renderMessage(a.problem!), 'limits not understood: bytes=<script>; no zookeeper_stats node: the server has not counted this subtree');
    const b = (await readQuota(client as never, '/b'))!;
    assert.equal(renderMessage(b.problem!), 'usage too long (2000 characters) for quota text');
    for (const q of [a, b]) {
      const text = renderMessage(q.problem!, marking);
      assert.match(text, /^«/, text);
      assert.equal(untranslated(text), '', text);
    }
  });

  it('paths of the quota nodes', () => {
    assert.equal(limitsPath('/a/b'), '/zookeeper/quota/a/b/zookeeper_limits');
    assert.equal(statsPath('/a'), '/zookeeper/quota/a/zookeeper_stats');
  });
});

describe('quota limits and paths', () => {
  it('refuses the root and the /zookeeper subtree', () => {
    assert.match(problemText(quotaPathProblem('/')), /root/);
    assert.match(problemText(quotaPathProblem('/zookeeper/quota')), /server's own subtree/);
    assert.equal(quotaPathProblem('/zookeeperx'), undefined);
  });

  it('validates limits: at least one, whole, soft not above hard', () => {
    assert.match(problemText(limitsProblem({})), /at least one/);
    assert.match(problemText(limitsProblem({ count: -2 })), /whole numbers/);
    assert.match(problemText(limitsProblem({ count: 1.5 })), /whole numbers/);
    assert.match(problemText(limitsProblem({ count: 10, countHard: 5 })), /soft node limit \(10\) is above the hard one \(5\)/);
    assert.match(problemText(limitsProblem({ bytes: 10, bytesHard: 5 })), /soft byte limit/);
    assert.equal(limitsProblem({ count: 5, countHard: 10, bytes: 0 }), undefined);
  });
});

describe('quota usage and alerts', () => {
  const q = (path: string, limits: Quota['limits'], count: number, bytes: number): Quota => ({ path, limits, usage: { count, bytes } });
  const quotas = [q('/low', { count: 100 }, 10, 0), q('/near', { bytes: 100 }, 1, 85), q('/soft', { count: 5 }, 6, 0), q('/hard', { countHard: 10, bytes: 1000 }, 11, 5), { path: '/unread', limits: { count: 1 } }];

  it('sorts by closeness to the limit, past the limit first, unread last', () => {
    assert.deepEqual(sortByCloseness(quotas).map((x) => x.path), ['/soft', '/hard', '/near', '/low', '/unread']);
  });

  it('alerts on every exceeded quota and those at or above the threshold', () => {
    const alerts = quotaAlerts(quotas, 80);
    assert.deepEqual(alerts.map((a) => [a.path, a.kind, a.severity]), [
      ['/soft', 'quotaExceeded', 'error'],
      ['/hard', 'quotaExceeded', 'error'],
      ['/near', 'quotaNearLimit', 'warning'],
    ]);
    assert.match(alerts[0].detail, /6 of 5 nodes \(soft limit, 120%\).*only logs it/);
    assert.match(alerts[1].detail, /11 of 10 nodes \(hard limit, 110%\).*refuses every write/);
    assert.equal(quotaAlerts(quotas, 90).some((a) => a.path === '/near'), false, 'threshold is honoured');
  });

  it('words the path and limit refusals as Messages the adapter translates', () => {
    const problems = [quotaPathProblem('/'), quotaPathProblem('/zookeeper/x'), limitsProblem({}), limitsProblem({ count: -1 }), limitsProblem({ count: 3_000_000_000 }), limitsProblem({ count: 2, countHard: 1 }), limitsProblem({ bytes: 2, bytesHard: 1 })];
    for (const p of problems) {
      assert.ok(p);
      assert.equal(untranslated(renderMessage(p, marking)), '', renderMessage(p));
    }
  });

  it('words limits, uses and alerts through the Translate it is given', () => {
    const limits: Quota['limits'][] = [{}, { count: 5 }, { countHard: 5 }, { count: 5, countHard: 6 }, { bytes: 1 }, { bytesHard: 2 }, { bytes: 1, bytesHard: 2 }, { count: 1, bytesHard: 1000 }];
    for (const l of limits) {
      const text = describeLimits(l, marking);
      assert.match(text, /^«/, text);
      assert.equal(untranslated(text), '', text);
    }
    assert.equal(describeLimits({ count: 1, countHard: 2, bytesHard: 1000 }), 'nodes: soft 1, hard 2 · bytes: hard 1,000');
    const uses = [...limitUses(q('/a', { count: 5, countHard: 10, bytes: 100, bytesHard: 200 }, 6, 50)), ...limitUses(q('/b', { countHard: 0, bytes: 0 }, 1, 1))];
    assert.equal(uses.length, 6);
    for (const u of uses) assert.equal(untranslated(describeUse(u, marking)), '', describeUse(u, marking));
    assert.equal(describeUse(uses[4]), '1 of 0 nodes (hard limit, over)');
    const alerts = quotaAlerts(quotas, 80, marking);
    assert.equal(alerts.length, 3);
    for (const a of alerts) {
      assert.equal(untranslated(a.title), '', a.title);
      assert.equal(untranslated(a.detail), '', a.detail);
    }
  });

  it('short text for the tree row', () => {
    assert.equal(shortQuotaText(q('/a', { count: 5, bytesHard: 1000 }, 4, 10)), 'quota 4/5 nodes');
    assert.equal(shortQuotaText({ path: '/a', limits: {} }), 'quota');
  });
});
