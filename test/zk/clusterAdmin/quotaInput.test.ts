// Set Quota…'s inputs, as checked while the user types.
import * as assert from 'node:assert/strict';
import { checkLimitInput, parseLimitInput } from '../../../src/zk/clusterAdmin/quotaInput';

describe('Set Quota inputs', () => {
  it('numbers, empty for no limit, byte units in powers of 1024', () => {
    assert.deepEqual(parseLimitInput('', 'count'), { value: undefined });
    assert.deepEqual(parseLimitInput(' 1,000 ', 'count'), { value: 1000 });
    assert.deepEqual(parseLimitInput('10 MiB', 'bytes'), { value: 10 * 1024 * 1024 });
    assert.deepEqual(parseLimitInput('512k', 'bytesHard'), { value: 512 * 1024 });
    assert.deepEqual(parseLimitInput('1.5G', 'bytes'), { value: 1.5 * 1024 ** 3 });
  });

  it('refuses what is not a limit, saying what is', () => {
    assert.match((parseLimitInput('10k', 'count') as { problem: string }).problem, /whole number of nodes/);
    assert.match((parseLimitInput('-5', 'bytes') as { problem: string }).problem, /whole number of bytes/);
    assert.match((parseLimitInput('5 parsecs', 'bytes') as { problem: string }).problem, /Unknown unit "parsecs"/);
    assert.match((parseLimitInput('3000000000', 'count') as { problem: string }).problem, /32-bit/);
  });

  it('checks each step against the earlier ones and the usage', () => {
    assert.match(checkLimitInput('5', 'countHard', { count: 10 }).error ?? '', /Below the soft limit \(10\)/);
    assert.match(checkLimitInput('1k', 'bytesHard', { bytes: 2048 }).error ?? '', /Below the soft limit \(2048\)/);
    assert.match(checkLimitInput('2', 'countHard', {}, { count: 3, bytes: 0 }).warning ?? '', /Already 3 used: with enforceQuota=true every write/);
    assert.match(checkLimitInput('2', 'count', {}, { count: 3, bytes: 0 }).warning ?? '', /logged as exceeded|log it as exceeded/);
    assert.deepEqual(checkLimitInput('20', 'count', {}, { count: 3, bytes: 0 }), {});
    assert.match(checkLimitInput('', 'bytesHard', {}).error ?? '', /at least one limit/);
    assert.deepEqual(checkLimitInput('', 'bytesHard', { count: 1 }), {});
  });
});
